"""Contradictions: what a cross-theme `coherence` finding is made of.

A rule of theme `coherence` does not check one recommendation; it finds answers in different
sections of the profile that contradict each other (docs/contradictions.md):

* side A, "The profile says": the answers its `applies_when` reads, the situation or policy
  that triggers the check (labour shortages declared, removals of irregular migrants, ...);
* side B, "What should go with it": the answers its `met_when` and `partial_when` read, what
  should accompany it (a regular channel of any kind, sanctions on those who organise
  irregular migration, ...).

Derived facts are expanded to the answers behind them, so each side names every answer it
read, with its value and line. The same helpers tell the linter which answers and which
profile sections a rule reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from coherence.facts import readable_paths
from coherence.findings import Side, TraceEntry
from coherence.rules.catalog import Catalogue
from coherence.rules.condition import paths
from coherence.rules.model import Rule

CONTRADICTION_THEME = "coherence"
"""The theme whose rules are contradictions between policies, not checks."""

SAYS = "The profile says"
"""The label of side A (the answers `applies_when` reads)."""

BUT = "What should go with it"
"""The label of side B (the answers `met_when` and `partial_when` read)."""


def is_contradiction_rule(rule: Rule) -> bool:
    """Whether the rule finds contradictions between policies (theme `coherence`)."""
    return rule.theme == CONTRADICTION_THEME


def kind_of(rule: Rule) -> Literal["check", "contradiction"]:
    """`contradiction` for a cross-theme coherence rule, `check` for any other rule."""
    return "contradiction" if is_contradiction_rule(rule) else "check"


def condition_answers(cond: object, catalogue: Catalogue) -> list[str]:
    """The profile paths a condition reads, derived facts expanded, in order without repeats."""
    found: list[str] = []
    for path in paths(cond):
        found.extend(p for p in catalogue.paths_behind(path) if not p.startswith("derived."))
    return list(dict.fromkeys(found))


def answers_read(rule: Rule, names: Iterable[str], catalogue: Catalogue) -> list[str]:
    """The profile paths the named conditions of `rule` read, derived facts expanded, in
    condition order without repeats (computed once per catalogue, rule and conditions)."""
    names = tuple(names)
    memo: dict[tuple[str, tuple[str, ...]], list[str]] = catalogue.__dict__.setdefault(
        "_answers_read_memo", {}
    )
    key = (rule.id, names)
    if key not in memo:
        found: list[str] = []
        for name in names:
            cond = getattr(rule, name)
            if cond is not None:
                found.extend(condition_answers(cond, catalogue))
        memo[key] = list(dict.fromkeys(found))
    return memo[key]


def answer_of(path: str) -> str:
    """The profile answer a path belongs to: a path computed from an answer (an exclusion such
    as `rights.health_care.excludes.children`, the partners of the bilateral agreements, the
    members of the coordination bodies) belongs to that answer; any other path is its own."""
    known = readable_paths()
    info = known.get(path)
    if info is None or info.question:
        return path
    parts = path.split(".")
    for end in range(len(parts) - 1, 0, -1):
        parent = known.get(".".join(parts[:end]))
        if parent is not None and parent.question:
            return ".".join(parts[:end])
    return path


def section_of(path: str) -> str:
    """The profile section a path stands in, e.g. `labour_channels`."""
    return path.split(".", 1)[0]


def sides_of(rule: Rule, catalogue: Catalogue, trace: list[TraceEntry]) -> list[Side]:
    """The sides of a contradiction (empty for a rule that is not one), from the finding's
    trace: side A reads `applies_when`, side B `met_when` and `partial_when`. An answer read
    by both is named once, on side A. Without `applies_when` the only side is side B, shown
    as what the profile says."""
    if not is_contradiction_rule(rule):
        return []
    by_path = {entry.path: entry for entry in trace}
    first = answers_read(rule, ("applies_when",), catalogue)
    second = [
        p for p in answers_read(rule, ("met_when", "partial_when"), catalogue) if p not in first
    ]
    sides = []
    if first:
        sides.append(
            Side(
                label=SAYS,
                condition="applies_when",
                answers=[by_path[p] for p in first if p in by_path],
            )
        )
    if second:
        sides.append(
            Side(
                label=BUT if sides else SAYS,
                condition="met_when",
                answers=[by_path[p] for p in second if p in by_path],
            )
        )
    return sides
