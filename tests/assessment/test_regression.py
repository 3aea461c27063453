"""The regression rule behind `coherence diff --fail-on-regression` (coherence.assessment)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from coherence.assessment.regression import has_regression, regressed_rules, status_changes


def _assessment(**statuses: str) -> Any:
    """An assessment as far as the rule reads it: rule ids and statuses."""
    findings = [SimpleNamespace(rule_id=r, status=s) for r, s in statuses.items()]
    return SimpleNamespace(findings=findings)


def test_a_status_moving_down_the_order_regresses() -> None:
    old = _assessment(A="met", B="partial", C="gap", D="met")
    new = _assessment(A="gap", B="partial", C="met", D="partial")
    assert regressed_rules(old, new) == ("A", "D")
    assert has_regression(old, new)
    assert status_changes(old, new) == {
        "A": ("met", "gap"),
        "C": ("gap", "met"),
        "D": ("met", "partial"),
    }


def test_decidability_and_statuses_outside_the_order_never_regress() -> None:
    old = _assessment(A="met", B="gap", C="met", D="waived", E="met")
    new = _assessment(A="insufficient_data", B="waived", C="not_applicable", D="gap")
    # E has no finding in the new assessment: a change, but not a regression
    assert status_changes(old, new)["E"] == ("met", None)
    assert regressed_rules(old, new) == ()
    assert not has_regression(old, new)


def test_no_change_no_regression() -> None:
    same = _assessment(A="gap", B="met")
    assert status_changes(same, same) == {}
    assert not has_regression(same, same)
