"""The rows and cells of a comparison: profiles, theme scores, rule statuses, trends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coherence.assessment.regression import Direction
from coherence.report.views.scores import DomainRow, ScoreCell
from coherence.report.vocabulary import signed

CHANGE_MARKS: dict[str, tuple[str, str]] = {
    "improved": ("▲", "improved since the previous profile of the same country"),
    "regressed": ("▼", "regressed since the previous profile of the same country"),
    "decidability": ("◇", "became decidable or undecidable (insufficient data before or after)"),
    "other": ("◆", "changed otherwise (to or from not applicable or waived)"),
}
"""The marks of the rule matrix: (symbol, meaning) by direction of change."""


@dataclass(frozen=True)
class Entry:
    """One profile of the comparison: a row of the theme matrix, a column of the rule matrix."""

    key: str
    """An id made of the label, for HTML anchors."""
    label: str
    """Country code and date, e.g. "MEX 2025-11-30"."""
    country_code: str
    country_name: str
    as_of: str
    roles: tuple[str, ...]
    review_status: str
    profile_path: str
    illustrative: bool
    catalogue_version: str
    series_index: int
    """Position in its country's time series (0 for the first or only profile)."""
    series_length: int
    """Number of profiles of its country."""

    def to_json(self) -> dict[str, Any]:
        """The entry as plain JSON data."""
        return {
            "label": self.label,
            "country": self.country_code,
            "country_name": self.country_name,
            "as_of": self.as_of,
            "roles": list(self.roles),
            "review_status": self.review_status,
            "path": self.profile_path,
            "illustrative": self.illustrative,
            "catalogue_version": self.catalogue_version,
        }


@dataclass(frozen=True)
class ThemeRow:
    """The scores of one profile: a row of the profile × theme matrix."""

    entry: Entry
    keys: tuple[str, ...]
    """The score column of each cell (the keys of `Comparison.themes`)."""
    cells: tuple[ScoreCell, ...]
    """One per column of `Comparison.themes`: the themes, overall, consistency."""
    counts: tuple[tuple[str, str, int], ...]
    """(status, label, number of findings) for every status, contradictions apart."""
    domains: tuple[DomainRow, ...]
    """The indicative SDG 10.7.2 view of the profile, PD_1 to PD_6."""

    @property
    def overall(self) -> ScoreCell:
        """The overall score (the five policy themes pooled)."""
        return self.cells[self.keys.index("overall")]


@dataclass(frozen=True)
class RuleCell:
    """The status of one rule for one profile."""

    status: str | None
    """None when the rule was not evaluated for this profile."""
    label: str
    change: Direction | None
    """How it changed since the previous profile of the same country (None: unchanged)."""

    @property
    def tone(self) -> str:
        """The CSS class that colours the cell."""
        return f"status-{self.status}" if self.status else "status-none"

    @property
    def mark(self) -> str:
        """The symbol of its change ("" when unchanged)."""
        return CHANGE_MARKS[self.change][0] if self.change else ""


@dataclass(frozen=True)
class RuleRow:
    """One rule across the profiles."""

    rule_id: str
    title: str
    theme: str
    severity: str
    severity_label: str
    cells: Sequence[RuleCell]
    """One per profile, in order (`comparison_rows.RuleCells`: a byte each)."""

    @property
    def varies(self) -> bool:
        """Whether the profiles differ on this rule."""
        return len({c.status for c in self.cells}) > 1


@dataclass(frozen=True)
class RuleGroup:
    """The rules of one theme."""

    key: str
    name: str
    rows: tuple[RuleRow, ...]


@dataclass(frozen=True)
class TrendCell:
    """The change of one theme's score (or overall) over a time series."""

    key: str
    name: str
    first: ScoreCell
    last: ScoreCell
    change: float | None

    @property
    def change_text(self) -> str:
        """e.g. "+12.5", or an em dash when either profile has no score."""
        return signed(self.change)

    @property
    def text(self) -> str:
        """e.g. "42.3 → 54.8 (+12.5); coverage 70.0% → 85.0%"."""
        return (
            f"{self.first.score_text} → {self.last.score_text} ({signed(self.change)}); "
            f"coverage {self.first.coverage_text} → {self.last.coverage_text}"
        )


@dataclass(frozen=True)
class Trend:
    """One country's profiles over time, first to last."""

    country_code: str
    country_name: str
    entries: Sequence[Entry]
    cells: tuple[TrendCell, ...]
    """One per column of `Comparison.themes`."""
    improved: int
    """Rules whose status improved from the first profile to the last."""
    regressed: int
    """Rules whose status regressed from the first profile to the last."""

    @property
    def first(self) -> Entry:
        """The earliest profile."""
        return self.entries[0]

    @property
    def last(self) -> Entry:
        """The latest profile."""
        return self.entries[-1]

    @property
    def overall(self) -> TrendCell:
        """The change of the overall score."""
        return next(c for c in self.cells if c.key == "overall")
