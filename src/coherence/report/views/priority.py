"""The order of the action plan, in one place.

The action plan, the executive summary's most pressing items and the terminal summary all
take their order from `action_plan`: severity (high first), then gaps before partly met rules
within a severity, then rule id. A gap of a cross-theme `coherence` rule is a *contradiction*
between the country's own policies; it stays in the plan, under that name.
"""

from __future__ import annotations

from collections.abc import Iterable

from coherence.findings import Finding

SEVERITY_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2}
"""Severities, most severe first."""


ACTION_STATUSES: tuple[str, ...] = ("gap", "partial")
"""The statuses the action plan lists, in their order within a severity."""


CONTRADICTION_THEME = "coherence"
"""The theme whose gaps are contradictions between themes."""


def is_contradiction(finding: Finding) -> bool:
    """Whether the finding is a contradiction: a gap of a cross-theme coherence rule."""
    return finding.theme == CONTRADICTION_THEME and finding.status == "gap"


def action_key(finding: Finding) -> tuple[int, int, str]:
    """Action-plan order: severity (high first), gap before partly met, then rule id."""
    return (
        SEVERITY_ORDER[finding.severity],
        ACTION_STATUSES.index(finding.status),
        finding.rule_id,
    )


def action_plan(findings: Iterable[Finding]) -> list[Finding]:
    """The gaps (contradictions included) and partly met rules, in action-plan order."""
    return sorted((f for f in findings if f.status in ACTION_STATUSES), key=action_key)
