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

from dataclasses import dataclass
from typing import Literal

from coherence.findings import ThemeScore
from coherence.report.content import THEME_ORDER, number_text
from coherence.report.text import THEME_NAMES

Direction = Literal["improved", "regressed", "decidability", "other"]
Decidability = Literal["newly_decidable", "newly_undecidable"]

STATUS_RANK: dict[str, int] = {"gap": 0, "partial": 1, "insufficient_data": 2, "met": 3}
"""The order of statuses, worst first; not applicable and waived are outside it."""

DECIDED: frozenset[str] = frozenset({"gap", "partial", "met"})

SCORE_KEYS: tuple[str, ...] = (*THEME_ORDER, "overall")
"""The score columns of comparisons and diffs: every theme, then overall."""


def theme_name(key: str) -> str:
    """The display name of a theme key (or of `overall`)."""
    return THEME_NAMES.get(key, key.replace("_", " ").capitalize())


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


def signed(value: float | None) -> str:
    """A score change as shown: "+12.5", "-3.0", "0.0", or an em dash for none."""
    if value is None:
        return "—"
    if round(value, 1) == 0:
        return "0.0"
    return f"{value:+.1f}"


@dataclass(frozen=True)
class ScoreCell:
    """One score (of a theme, or overall) of one profile."""

    score: float | None
    score_text: str
    sdg_class: int | None
    sdg_label: str
    """e.g. "Meets"; "not enough data" when there is no score."""
    coverage: float | None
    coverage_text: str

    @property
    def tone(self) -> str:
        """The CSS class that colours the cell: `class-1` to `class-4`, or `class-none`."""
        return f"class-{self.sdg_class}" if self.sdg_class else "class-none"

    @property
    def short(self) -> str:
        """Score and class in a few characters, e.g. "65.8 (class 3)", or "—"."""
        if self.score is None:
            return "—"
        return f"{self.score_text} (class {self.sdg_class})"

    def to_json(self) -> dict[str, object]:
        """The cell as plain JSON data."""
        return {
            "score": self.score,
            "sdg_class": self.sdg_class,
            "sdg_class_label": None if self.score is None else self.sdg_label,
            "coverage": self.coverage,
        }


NO_SCORE = ScoreCell(None, "—", None, "not enough data", None, "—")
"""The cell of a score that is absent (a theme without any rule)."""


def score_cell(score: ThemeScore | None) -> ScoreCell:
    """The cell of one theme score of an assessment."""
    if score is None:
        return NO_SCORE
    return ScoreCell(
        score=score.score,
        score_text=number_text(score.score),
        sdg_class=score.sdg_class,
        sdg_label=score.sdg_class_label or "not enough data",
        coverage=score.coverage,
        coverage_text="—" if score.coverage is None else f"{score.coverage:.1f}%",
    )


def score_change(old: ScoreCell, new: ScoreCell) -> float | None:
    """New minus old score, rounded to one decimal; None when either has no score."""
    if old.score is None or new.score is None:
        return None
    return round(new.score - old.score, 1)
