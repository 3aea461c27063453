"""The prose of the reports that is not data: section intros and empty-state sentences.

Written once here, so that the Markdown and the HTML templates say the same; a format lays
these out and never restates them (the templates get them as `captions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from coherence.report.vocabulary import plural


@dataclass(frozen=True)
class Captions:
    """Section intros and empty-state sentences of the gap report and the comparison."""

    actions_intro: str = (
        "Gaps, contradictions between themes and partly met rules: most severe first, gaps "
        "before partly met rules within a severity, then by rule id."
    )
    no_actions: str = "No gap and no partly met rule: there is nothing to act on."
    no_theme_rules: str = "No rule of this theme was evaluated."
    no_data_gaps: str = "Every applicable rule could be decided: there is no data to collect."
    no_waivers: str = "No rule is waived."
    sources_intro: str = "The sources quoted in this report:"
    no_sources: str = "No source is quoted in this report."
    no_series: str = "No country has profiles of several dates."

    def data_gaps_intro(self, count: int) -> str:
        """The sentence before the questions to answer."""
        return (
            f"Answer these {plural(count, 'question')} in the profile to decide the rules that "
            "now lack data. Lines are those of the profile."
        )

    def not_applicable_caption(self, count: int) -> str:
        """The caption of a theme's table of rules that do not apply."""
        return f"Not applicable to this profile ({count})"


CAPTIONS = Captions()
"""The captions every format uses."""
