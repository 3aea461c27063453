"""The themes: one list, in report order, with their display names."""

from __future__ import annotations

POLICY_THEMES: tuple[str, ...] = (
    "rights",
    "data_collection",
    "labour_channels",
    "anti_trafficking",
    "coordination",
)
"""The five policy themes, which are also sections of a profile."""

RULE_THEMES: tuple[str, ...] = (*POLICY_THEMES, "coherence")
"""Every theme a rule can belong to: the five plus cross-theme coherence."""

THEME_NAMES: dict[str, str] = {
    "rights": "Rights",
    "data_collection": "Data collection",
    "labour_channels": "Labour channels",
    "anti_trafficking": "Anti-trafficking",
    "coordination": "Interagency coordination",
    "coherence": "Cross-theme coherence",
    "overall": "Overall",
}
"""How reports name each theme (and the overall score)."""
