"""Checks across the fields of a profile the models accept one by one, each located.

A profile can be valid field by field and still say two things at once: `answer: no` above
a list of agreements, the same ministry listed twice (and so counted twice by the rules that
count ministries). Each problem is located where the file (or the workbook cell) says it,
and a repeat names the line of the first mention too, for the official to keep one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from coherence.diagnostics import Diagnostic
from coherence.profile.model import Profile
from coherence.profile.walk import Answers, answers_in

Loc = tuple[str | int, ...]
Place = Callable[[Loc], tuple[str, int, int]]
"""Where the value at a profile path was written: (file, line, column); a workbook cell is
a file of its own (`book.xlsx!Rights!C5`) with line 0."""


@dataclass(frozen=True)
class Problem:
    """One problem at `loc`; `message(where)` is told where `first` was written, if given."""

    loc: Loc
    code: str
    message: Callable[[str], str]
    first: Loc | None = None


def name_key(text: str) -> str:
    """A name as a reader tells names apart: case, spacing and surrounding blanks ignored."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def repeats(items: Iterable[Any], key: Callable[[Any], Hashable] = lambda x: x):
    """(index of the first, index of the repeat) for every item whose `key` came before."""
    seen: dict[Hashable, int] = {}
    for index, item in enumerate(items):
        first = seen.setdefault(key(item), index)
        if first != index:
            yield first, index


def _listed_twice(where: Loc, items: list[Any], what: str, key: Callable[[Any], Hashable]):
    field = str(where[-1] if where[-1] != "items" else where[-2])
    for first, again in repeats(items, key):
        text = items[again]

        def message(seen: str, text: str = text) -> str:
            return (
                f"{text!r} is listed twice in {field} (first {seen}); list each {what} once, "
                "or the rules would count it twice"
            )

        yield Problem((*where, again), "listed-twice", message, (*where, first))


def _agreement(agreement: Any) -> tuple[Any, ...]:
    return (agreement.partner, agreement.type, agreement.year)


def _repeated(profile: Profile) -> list[Problem]:
    found: list[Problem] = []
    context = profile.context
    for name in ("main_destination_countries", "main_origin_countries", "free_movement_countries"):
        codes = getattr(context, name)
        if codes:
            found += _listed_twice(("context", name), codes, "country", lambda c: c)
    ministries = context.responsible_ministries
    if ministries is not None and ministries.items:
        where: Loc = ("context", "responsible_ministries", "items")
        found += _listed_twice(where, ministries.items, "ministry or agency", name_key)
    bodies = profile.coordination.coordination_bodies
    if bodies is not None:
        body_list: Loc = ("coordination", "coordination_bodies", "bodies")
        names = [b.name for b in bodies.bodies]
        for first, again in repeats(names, name_key):
            found.append(
                Problem(
                    (*body_list, again, "name"),
                    "listed-twice",
                    lambda seen, n=names[again]: (
                        f"the body {n!r} is listed twice in bodies (first {seen}); describe "
                        "each body once, with all its members"
                    ),
                    (*body_list, first, "name"),
                )
            )
        for index, body in enumerate(bodies.bodies):
            found += _listed_twice((*body_list, index, "members"), body.members, "member", name_key)
    agreements = profile.labour_channels.bilateral_agreements
    if agreements is not None:
        listed: Loc = ("labour_channels", "bilateral_agreements", "agreements")
        for first, again in repeats(agreements.agreements, _agreement):
            partner = agreements.agreements[again].partner
            found.append(
                Problem(
                    (*listed, again, "partner"),
                    "listed-twice",
                    lambda seen, p=partner: (
                        f"the agreement with {p} is listed twice (first {seen}); list each "
                        "agreement once, or, if the country has two agreements with "
                        f"{p}, give each its type and year"
                    ),
                    (*listed, first, "partner"),
                )
            )
    # Two waivers of one rule: only one can apply, and which one would be an accident of order
    # (the second's justification, approver and expiry silently replacing the first's).
    for first, again in repeats(profile.waivers, lambda w: w.rule):
        rule = profile.waivers[again].rule
        found.append(
            Problem(
                ("waivers", again, "rule"),
                "waiver-twice",
                lambda seen, r=rule: (
                    f"{r} is waived twice (first {seen}); keep one waiver per rule, with one "
                    "justification, approver and expiry"
                ),
                ("waivers", first, "rule"),
            )
        )
    return found


_NONE_MEANS = {
    "no": "no means the country has none",
    "not_applicable": "not_applicable means the question does not apply to the country",
    "unknown": "unknown means it is not known whether the country has any",
}


def _answer_against_list(profile: Profile) -> list[Problem]:
    """`answer: no` (or not_applicable, unknown) above a list of agreements or bodies."""
    found: list[Problem] = []
    for section, field, items, what in (
        ("labour_channels", "bilateral_agreements", "agreements", "agreement"),
        ("coordination", "coordination_bodies", "bodies", "body"),
    ):
        answer = getattr(getattr(profile, section), field)
        if answer is None or answer.answer not in _NONE_MEANS or not getattr(answer, items):
            continue
        count = len(getattr(answer, items))
        listed = f"{count} {what if count == 1 else items} {'is' if count == 1 else 'are'} listed"

        def message(seen: str, said: str = answer.answer, listed: str = listed) -> str:
            return (
                f"the answer is {said}, but {listed} ({seen}): {_NONE_MEANS[said]}; write "
                "answer: yes (or partial), or remove the list"
            )

        where = (section, field, "answer")
        found.append(Problem(where, "answer-contradicts-list", message, (section, field, items)))
    return found


_NO_ONE = {
    "no": "it covers no one, so no group is left out",
    "not_applicable": "the question does not apply to the country",
    "unknown": "it is not known whom it covers",
}


def _excludes_without_a_yes(answers: Answers) -> list[Problem]:
    """`excludes` on an answer of no, not_applicable or unknown: there is no one to leave out."""
    found: list[Problem] = []
    for loc, answer in answers:
        if answer.excludes and answer.answer in _NONE_MEANS:

            def message(_seen: str, said: str = answer.answer) -> str:
                return (
                    "excludes names the groups a yes or partial leaves out, but the answer is "
                    f"{said} ({_NO_ONE[said]}): remove excludes, or answer partial if it "
                    "covers some groups but not these"
                )

            found.append(Problem((*loc, "excludes"), "excludes-without-answer", message))
    return found


def profile_problems(profile: Profile, answers: Answers | None = None) -> list[Problem]:
    """Every problem across fields of a profile its models accepted, in file order;
    `answers` are its answers (`walk.answers_in`) when the caller has them already."""
    found = [
        Problem(loc, "unreviewed", lambda _seen, m=message: m)
        for loc, message in profile.review_problems()
    ]
    return (
        found
        + _answer_against_list(profile)
        + _excludes_without_a_yes(answers if answers is not None else answers_in(profile))
        + _repeated(profile)
    )


def _where(first: tuple[str, int, int], here: tuple[str, int, int]) -> str:
    if first[1] <= 0:  # a workbook cell
        return "in the same cell" if first[0] == here[0] else f"in {first[0]}"
    if first[0] == here[0]:
        return f"earlier on line {first[1]}" if first[1] == here[1] else f"at line {first[1]}"
    return f"at {first[0]}:{first[1]}"


def consistency_diagnostics(
    profile: Profile, place: Place, answers: Answers | None = None
) -> list[Diagnostic]:
    """The diagnostics of `profile_problems`, located by `place`."""
    found = []
    for problem in profile_problems(profile, answers):
        here = place(problem.loc)
        seen = _where(place(problem.first), here) if problem.first is not None else ""
        path = ".".join(str(p) for p in problem.loc)
        found.append(Diagnostic(*here, problem.code, problem.message(seen), path))
    return sorted(found)
