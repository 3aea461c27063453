"""Recommendations that fit the finding: the cause of a status, the action it calls for, and
who acts.

The cause is read from the trace, never guessed from the rule's wording:

* `not_ratified`: a treaty the rule reads is not ratified;
* `not_in_law`: every treaty it reads is ratified, but national law does not (fully) reflect it;
* `not_in_practice`: the law is there, but the profile says practice falls short;
* `excluded_groups`: the answer leaves out groups or sectors (domestic workers, ...);
* `partial` or `gap` otherwise.

A rule can write a recommendation per cause (`recommendations:`); for any cause it does not
cover, a generic text that asks only for what the cause shows is missing is used, so the
shown recommendation never asks for what the profile says is done (e.g. no "ratify" for a
treaty ratified decades ago).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from coherence.facts import Fact, readable_paths
from coherence.profile.answers import PRACTICE_RANK
from coherence.rules.condition import All, Any_, Equals, In, Instrument, Not, leaf_path
from coherence.rules.model import IF_RESERVATIONS, Rule
from coherence.wording import group_name, series

GENERIC: dict[str, str] = {
    "not_in_law": (
        "The instrument is ratified: review national law against it, amend the laws and "
        "regulations that fall short, and report on their application to the treaty body."
    ),
    "not_in_practice": (
        "The law or policy is in place but not applied in practice: give the bodies that apply "
        "it the mandate, staff and budget to do so, and monitor and publish how it is applied."
    ),
    "excluded_groups": (
        "Extend the measure to the groups it now leaves out ({excluded}), in law and in practice."
    ),
}

INSTITUTION_WORDS: dict[str, str] = {
    "labour_ministry": "Ministry of Labour",
    "interior_ministry": "Ministry of Interior",
    "immigration_authority": "Immigration authority",
    "foreign_affairs_ministry": "Ministry of Foreign Affairs",
    "justice_ministry": "Ministry of Justice",
    "social_affairs_ministry": "Ministry of Social Affairs",
    "health_ministry": "Ministry of Health",
    "education_ministry": "Ministry of Education",
    "women_ministry": "Ministry for Women",
    "statistics_office": "National statistical office",
    "lead_migration_agency": "Lead migration agency",
    "emigration_agency": "Foreign-employment agency",
    "diaspora_agency": "Diaspora office",
    "labour_inspectorate": "Labour inspectorate",
    "child_protection_authority": "Child-protection authority",
    "trafficking_coordinator": "National anti-trafficking coordinator",
    "asylum_authority": "Asylum authority",
    "equality_body": "Equality body",
    "human_rights_institution": "National human-rights institution",
    "central_bank": "Central bank",
    "planning_ministry": "Ministry of Planning",
}
"""Generic words for each function, used when the profile does not name the body."""

STANDS_IN: dict[str, str] = {"immigration_authority": "interior_ministry"}
"""A body the profile may leave unnamed -> the body that does its work then: where no
separate immigration authority is named, the ministry of the interior handles immigration."""


@dataclass(frozen=True)
class Cap:
    """Why a rule whose condition holds is only partly met."""

    cause: str
    reason: str
    path: str


def _words(groups: tuple[str, ...] | list[str]) -> str:
    return series((group_name(g) for g in groups), last="and")


def _walk(
    cond: Any, positive: bool, derived: dict[str, Any], out: set[str], seen: set[str]
) -> None:
    if isinstance(cond, Not):
        _walk(cond.not_, not positive, derived, out, seen)
        return
    if isinstance(cond, (All, Any_)):
        for kid in cond.all if isinstance(cond, All) else cond.any:
            _walk(kid, positive, derived, out, seen)
        return
    if isinstance(cond, Instrument):
        if positive and cond.instrument.status in (None, "ratified", "signed"):
            out.add(leaf_path(cond))
        return
    if not isinstance(cond, (Equals, In)):
        return
    path = leaf_path(cond)
    values = [cond.equals.value] if isinstance(cond, Equals) else list(cond.in_.values)
    if path.startswith("derived."):
        name = path.removeprefix("derived.")
        if name in derived and name not in seen:
            wants_yes = "yes" in values
            _walk(derived[name], positive == wants_yes, derived, out, seen | {name})
        return
    if ("yes" in values) == positive:
        out.add(path)


def good_paths(rule: Rule, derived: dict[str, Any]) -> frozenset[str]:
    """The answers for which `yes` (and the instruments for which ratification) moves the rule
    towards met. Only these can show a cause: for a question where `yes` is the bad state (a
    ban, a tax), poor practice is not a shortfall, and a treaty that a rule reads only to
    excuse its absence ("not ratified, or in law") is not one to ratify."""
    out: set[str] = set()
    for name in ("met_when", "partial_when"):
        cond = getattr(rule, name)
        if cond is not None:
            _walk(cond, True, derived, out, set())
    return frozenset(out)


def _question(path: str) -> str:
    info = readable_paths().get(path)
    asked = info.description if info and info.description else path
    return f"“{asked}” ({path})"


def _known_answers(read: list[str], facts: dict[str, Fact]) -> Iterator[tuple[str, Fact]]:
    """The known answers among the paths read, in order."""
    for path in read:
        fact = facts.get(path)
        if fact is not None and fact.known and fact.kind == "answer":
            yield path, fact


def _worse_in_practice(fact: Fact) -> bool:
    """Whether practice falls short of what the law (the answer) provides."""
    return (
        fact.practice in PRACTICE_RANK
        and fact.value in PRACTICE_RANK
        and PRACTICE_RANK[fact.practice] < PRACTICE_RANK[fact.value]
    )


def cap(rule: Rule, read: list[str], facts: dict[str, Fact]) -> Cap | None:
    """The exclusion or practice cap on a met rule, from the answers its condition read
    (only those for which `yes` is the good state; see `good_paths`). Groups left out come
    first: extending the measure to them is the larger change, and the generic text for it
    asks for the measure "in law and in practice"; a practice shortfall of the same answer is
    named in the reason too."""
    answers = list(_known_answers(read, facts))
    if rule.exclusions_cap:
        for path, fact in answers:
            if fact.excludes and fact.value == "yes":
                also = (
                    f", and practice is {fact.practice}"
                    if rule.caps_practice and _worse_in_practice(fact)
                    else ""
                )
                return Cap(
                    "excluded_groups",
                    f"the answer to {_question(path)} excludes {_words(fact.excludes)}{also}",
                    path,
                )
    if rule.caps_practice:
        for path, fact in answers:
            if _worse_in_practice(fact):
                return Cap(
                    "not_in_practice",
                    f"in law but not in practice: the profile answers {fact.value} in law and "
                    f"{fact.practice} in practice to {_question(path)}",
                    path,
                )
    return None


def cause_of(
    rule: Rule,
    status: str,
    read: list[str],
    facts: dict[str, Fact],
    capped: Cap | None,
    exclusions: list[str] | tuple[str, ...] = (),
) -> str | None:
    """The cause of a gap or partial, read from the trace (None for other statuses).

    In order: a treaty not ratified; a ratified treaty not in law; the measure itself short
    in law (an answer `no` or `partial`: the rule's own recommendation, never "apply in
    practice what the law provides"); groups left out (an answer's `excludes`, or an
    `<answer>.excludes.<group>` path the rule reads); practice short of the law.
    """
    if status not in ("gap", "partial"):
        return None
    if capped is not None:
        return capped.cause
    treaties = [p for p in read if p.startswith("instruments.") and p.endswith(".status")]
    read = [p for p in read if not p.endswith(".status")]
    known = [facts[p] for p in treaties if facts[p].known]
    if any(f.value != "ratified" for f in known):
        return "not_ratified"
    if known:
        laws = [facts[f.path.removesuffix(".status") + ".incorporated_in_law"] for f in known]
        if any(not law.known or law.value != "yes" for law in laws):
            return "not_in_law"
    answers = [fact for _, fact in _known_answers(read, facts)]
    if any(fact.value in ("no", "partial") for fact in answers):
        return status
    left_out = [p for p in exclusions if p in facts and facts[p].known and facts[p].value == "yes"]
    if left_out or any(fact.excludes for fact in answers):
        return "excluded_groups"
    if any(_worse_in_practice(fact) for fact in answers):
        return "not_in_practice"
    return status


def excluded_of(read: list[str], facts: dict[str, Fact]) -> tuple[str, ...]:
    """Every group the answers read leave out, in vocabulary order, without repeats."""
    found: list[str] = []
    for path in read:
        fact = facts.get(path)
        if fact is None or not fact.known:
            continue
        if ".excludes." in path:  # `<answer>.excludes.<group>`: `yes` leaves the group out
            group = path.rsplit(".excludes.", 1)[1]
            if fact.value == "yes" and group not in found:
                found.append(group)
            continue
        found.extend(g for g in fact.excludes if g not in found)
    return tuple(found)


def unratified(path: str, fact: Fact | None) -> bool:
    """Whether `path` is an instrument's status that the profile records as short of
    ratification: not signed, signed only, not ratified or denounced (accession and
    succession count as ratified, and are read as such)."""
    is_status = path.startswith("instruments.") and path.endswith(".status")
    return is_status and fact is not None and fact.known and fact.value != "ratified"


def not_ratified_of(read: list[str], facts: dict[str, Fact]) -> tuple[str, ...]:
    """The names of the instruments among the paths read whose known status is not ratified
    (what `{not_ratified}` says), in the order read."""
    paths = readable_paths()
    out = []
    for path in read:
        fact = facts.get(path)
        if unratified(path, fact):
            info = paths.get(path)
            out.append((info.description if info else path).rstrip("."))
    return tuple(dict.fromkeys(out))


def recommendation_for(
    rule: Rule,
    cause: str | None,
    excluded: tuple[str, ...],
    not_ratified: tuple[str, ...] = (),
    reserved: bool = False,
) -> str:
    """The recommendation shown for a cause: the rule's own text for it, else a generic one,
    with `{excluded}` and `{not_ratified}` filled in, and `{if_reservations: ...}` kept
    (`reserved`: the profile records reservations to a treaty the rule reads) or dropped."""
    text = rule.recommendations.get(cause) if cause else None  # type: ignore[arg-type]
    if text is None and cause in GENERIC:
        text = GENERIC[cause]
    if text is None:
        text = rule.recommendation
    text = _squashed(text)
    if "{" not in text:
        return text
    if "{if_reservations:" in text:
        text = IF_RESERVATIONS.sub(lambda m: m.group(1) if reserved else "", text)
        text = text[:1].upper() + text[1:]  # the clause may open the text
    if "{not_ratified}" in text:
        named = series([f"the {n}" if not n.startswith("the ") else n for n in not_ratified])
        text = text.replace("{not_ratified}", named or "the instruments not yet ratified")
    return text.replace("{excluded}", _words(excluded) or "the groups left out")


_SQUASHED: dict[str, str] = {}


def _squashed(text: str) -> str:
    """`text` with its runs of white space made single spaces, once per text (recommendations
    are catalogue text, the same for every profile)."""
    found = _SQUASHED.get(text)
    if found is None:
        if len(_SQUASHED) > 10_000:  # rule packs come and go in a long-lived process
            _SQUASHED.clear()
        found = _SQUASHED[text] = " ".join(text.split())
    return found


def responsible_for(rule: Rule, institutions: dict[str, str | None]) -> str:
    """Who acts: the country's own bodies where the profile names them, else generic words."""
    keys = [
        STANDS_IN[key] if key in STANDS_IN and not institutions.get(key) else key
        for key in rule.responsible
    ]
    named = [institutions.get(key) for key in keys]
    if not rule.responsible or not any(named):
        return rule.responsible_area
    words = [name or INSTITUTION_WORDS[key] for key, name in zip(keys, named, strict=True)]
    shown = "; ".join(dict.fromkeys(words))
    # The generic words may name more actors than the keys cover (e.g. a ministry of trade,
    # which has no key): keep them visible rather than drop an actor.
    actors = [a for a in re.split(r",\s*|\s+and\s+|\s+with\s+", rule.responsible_area) if a]
    if len(actors) > len(rule.responsible):
        shown += f" (with: {rule.responsible_area})"
    return shown
