"""What the profile says about one answer, in plain words: the sentence after "Met:", "Not
met:" or "Partly met:" in a finding's reason."""

from __future__ import annotations

from typing import Any

from coherence.assessment.asked import question_of
from coherence.assessment.recommend import unratified
from coherence.facts import FREE_MOVEMENT_CORRIDORS, Fact, readable_paths
from coherence.rules.catalog import Catalogue
from coherence.wording import bare_title, group_name


def _words(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return f"{len(value)} listed"
    return str(value).replace("_", " ")


def statement(path: str, fact: Fact, catalogue: Catalogue, facts: dict[str, Fact]) -> str:
    """What the profile says about `path`, in plain words, e.g. for a report sentence."""
    if path.startswith("derived."):
        item = next(d for d in catalogue.derived if d.id == path.removeprefix("derived."))
        verdict = "holds" if fact.value == "yes" else "does not hold"
        return f"“{item.description.rstrip('.')}” {verdict} for this profile"
    if EXCLUDES in path:  # `<answer>.excludes.<group>`: say it as the answer's exclusion
        answer, group = path.split(EXCLUDES, 1)
        info = readable_paths().get(answer)
        question = info.description if info and info.description else answer
        left_out = "excludes" if fact.value == "yes" else "does not exclude"
        return f"the answer to “{question}” ({answer}) {left_out} {group_name(group)}"
    worked_out = _worked_out(path, fact, facts)
    if worked_out:
        return worked_out
    info = readable_paths().get(path)
    question = info.description if info and info.description else path
    asked = question_of(path)
    instrument = asked.instrument if asked else None
    if instrument:  # "the instrument" of the question, named
        if path.endswith(".status"):
            said = f"{_words(fact.written)} (which counts as ratified)" if fact.written else ""
            return (
                f"the profile records the {bare_title(instrument)} as "
                f"{said or _words(fact.value)} ({path})"
            )
        question = question.replace("the instrument", f"the {bare_title(instrument)}")
    if isinstance(fact.value, (list, tuple)):  # a list is not an answer to a question
        return f"the profile lists {len(fact.value)}: “{question.rstrip('.')}” ({path})"
    return f"the profile answers {_words(fact.value)} to “{question}” ({path})"


AGREEMENTS = "labour_channels.bilateral_agreements"


def _corridor_lists(facts: dict[str, Fact]) -> str:
    """The main countries a corridors count is of, named by the lists that hold some: a
    country of destination only lists no main countries of destination (the UAE), and its
    count is of its main countries of origin alone."""
    kinds = [
        (word, path)
        for word, path in (
            ("destination", "context.main_destination_countries"),
            ("origin", "context.main_origin_countries"),
        )
        if _codes(facts, path)
    ]
    words = " and ".join(word for word, _ in kinds)
    return f"countries of {words} ({', '.join(path for _, path in kinds)}"


def _codes(facts: dict[str, Fact], path: str) -> set[str]:
    fact = facts.get(path)
    return set(fact.value) if fact is not None and isinstance(fact.value, (list, tuple)) else set()


def _worked_out(path: str, fact: Fact, facts: dict[str, Fact]) -> str | None:
    """What an answer the tool works out from the agreements listed says, in their terms (the
    profile never answers it as such, so "the profile answers partial" would misread it)."""
    if path in (f"{AGREEMENTS}.main_corridors_covered", f"{AGREEMENTS}.main_destinations_covered"):
        both = path.endswith("corridors_covered")
        corridors = _codes(facts, "context.main_destination_countries")
        if both:
            corridors |= _codes(facts, "context.main_origin_countries")
        covered = _codes(facts, f"{AGREEMENTS}.partners") | _codes(
            facts, "context.free_movement_countries"
        )
        if not corridors:
            return None
        out = sorted(corridors - covered)
        # Keyed by how many are left out: none left out is all covered.
        share = {0: "all", len(corridors): "none"}.get(len(out), f"{len(corridors) - len(out)}")
        which = (
            _corridor_lists(facts)
            if both
            else "countries its workers go to (context.main_destination_countries"
        )
        said = (
            f"the agreements listed ({AGREEMENTS}) cover {share} of the {len(corridors)} main "
            f"{which}; free movement, regional or by treaty, counts as covered)"
        )
        return f"{said}; not covered: {', '.join(out)}" if out else said
    if path == FREE_MOVEMENT_CORRIDORS and fact.value in ("yes", "partial", "no"):
        corridors = _codes(facts, "context.main_destination_countries") | _codes(
            facts, "context.main_origin_countries"
        )
        inside = corridors & _codes(facts, "context.free_movement_countries")
        share = {0: "none", len(corridors): "all"}.get(len(inside), f"{len(inside)}")
        return (
            f"the countries listed under free movement (context.free_movement_countries) "
            f"hold {share} of the {len(corridors)} main {_corridor_lists(facts)})"
        )
    if path == f"{AGREEMENTS}.monitored" and fact.value in ("yes", "partial", "no"):
        share = {"yes": "all", "partial": "some", "no": "none"}[str(fact.value)]
        return f"{share} of the agreements listed are monitored ({AGREEMENTS}.agreements.monitored)"
    return None


EXCLUDES = ".excludes."
"""What an exclusion path holds between its answer and its group."""


def also_unratified(
    read: list[str], where: str | None, facts: dict[str, Fact], catalogue: Catalogue
) -> str:
    """What the profile says of the instruments among `read`, other than the deciding answer
    `where`, that it records as not ratified (not signed, signed only, denounced), each after
    "; ": a reason that named one of two conventions missing read as if the other were in
    place (RIGHTS-025 for the UAE, which has ratified neither C97 nor C143)."""
    others = [p for p in read if p != where and unratified(p, facts.get(p))]
    return "".join(f"; {statement(p, facts[p], catalogue, facts)}" for p in dict.fromkeys(others))
