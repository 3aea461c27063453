"""What comparisons and diffs share: the order of statuses, and scores as cells.

A finding's status changes in one of three directions:

* **regressed**: it moved down the order gap < partial < met;
* **improved**: it moved up that order;
* **newly decidable** / **newly undecidable**: it moved from insufficient data to met, partial
  or gap, or back. Answering a question is never a regression: a rule that turns out to be a
  gap once the country answers was a gap all along, only unseen;
* **other**: it moved to or from *not applicable* or *waived* (or the rule exists on one
  side only). These two stand outside the order, because the score leaves them out: not
  applicable follows from the country's roles, and a waiver is an approved decision to set a
  rule aside. Such a change is listed, with both statuses, but is never an improvement or a
  regression.

The score may still move with a newly decidable rule; the diff shows score changes per theme
separately.
"""

from __future__ import annotations

from typing import Literal

from coherence.findings import Assessment

Direction = Literal["improved", "regressed", "decidability", "other"]
Decidability = Literal["newly_decidable", "newly_undecidable"]


STATUS_RANK: dict[str, int] = {"gap": 0, "partial": 1, "insufficient_data": 2, "met": 3}
"""The order of statuses, worst first; not applicable and waived are outside it."""

DECIDED: frozenset[str] = frozenset({"gap", "partial", "met"})


def direction(old: str | None, new: str | None) -> Direction | None:
    """How a status change counts: None when the status did not change."""
    if old == new:
        return None
    if old in STATUS_RANK and new in STATUS_RANK:
        if "insufficient_data" in (old, new):
            return "decidability"  # listed as newly (un)decidable, never as a regression
        return "improved" if STATUS_RANK[new] > STATUS_RANK[old] else "regressed"
    return "other"


def decidability(old: str | None, new: str | None) -> Decidability | None:
    """Whether a change made a rule decidable, undecidable, or neither."""
    if old == "insufficient_data" and new in DECIDED:
        return "newly_decidable"
    if old in DECIDED and new == "insufficient_data":
        return "newly_undecidable"
    return None


def status_changes(old: Assessment, new: Assessment) -> dict[str, tuple[str | None, str | None]]:
    """Rule id → (old status, new status) of every rule whose status changed; None where the
    rule has no finding on that side."""
    before = {f.rule_id: f.status for f in old.findings}
    after = {f.rule_id: f.status for f in new.findings}
    out: dict[str, tuple[str | None, str | None]] = {}
    for rule_id in before.keys() | after.keys():
        pair = (before.get(rule_id), after.get(rule_id))
        if pair[0] != pair[1]:
            out[rule_id] = pair
    return out


def regressed_rules(old: Assessment, new: Assessment) -> tuple[str, ...]:
    """The rules whose status regressed from `old` to `new`, by id."""
    changes = status_changes(old, new)
    return tuple(sorted(r for r, (a, b) in changes.items() if direction(a, b) == "regressed"))


def has_regression(old: Assessment, new: Assessment) -> bool:
    """Whether any finding regressed: the rule behind `coherence diff --fail-on-regression`."""
    return bool(regressed_rules(old, new))
