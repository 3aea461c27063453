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
from coherence.report.content import THEME_ORDER, coverage_text, number_text
from coherence.report.text import THEME_NAMES, band_text, not_classified_text, score_name

Direction = Literal["improved", "regressed", "decidability", "other"]
Decidability = Literal["newly_decidable", "newly_undecidable"]

STATUS_RANK: dict[str, int] = {"gap": 0, "partial": 1, "insufficient_data": 2, "met": 3}
"""The order of statuses, worst first; not applicable and waived are outside it."""

DECIDED: frozenset[str] = frozenset({"gap", "partial", "met"})

SCORE_KEYS: tuple[str, ...] = (
    *(t for t in THEME_ORDER if t != "coherence"),
    "overall",
    "coherence",
)
"""The score columns of comparisons and diffs: the policy themes, overall (which pools them),
then consistency across themes (the cross-theme coherence rules, never part of overall)."""


def score_keys(present: set[str]) -> list[str]:
    """The score columns in order: the known themes, a rule pack's own, overall, coherence."""
    known = [k for k in SCORE_KEYS if k in present]
    extra = sorted(present - set(SCORE_KEYS))  # themes of a rule pack
    at = known.index("overall") if "overall" in known else len(known)
    return [*known[:at], *extra, *known[at:]]


def theme_name(key: str) -> str:
    """The display name of a theme key (or of `overall`)."""
    return THEME_NAMES.get(key, key.replace("_", " ").capitalize())


def score_column_name(key: str) -> str:
    """The display name of a score column: a theme, "Overall", or "Consistency across themes"."""
    return score_name(key)


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
    """One score (of a theme, overall, or consistency across themes) of one profile."""

    score: float | None
    score_text: str
    band: int | None
    """coherence's band 1-4; None when not classified."""
    band_label: str
    """e.g. "Largely aligned"; empty when not classified."""
    classified: bool
    band_text: str
    """e.g. "3 — Largely aligned", or "not classified: answer these 4 questions"."""
    coverage: float | None
    coverage_text: str
    question_count: int

    @property
    def tone(self) -> str:
        """The CSS class that colours the cell: `class-1` to `class-4`, or `class-none`."""
        return f"class-{self.band}" if self.classified else "class-none"

    @property
    def note(self) -> str:
        """Coverage and band (or why there is none), e.g. "coverage 82.4% · band 3, ..."."""
        if self.classified:
            return f"coverage {self.coverage_text} · band {self.band}, {self.band_label}"
        return f"coverage {self.coverage_text} · {self.band_text}"

    @property
    def short(self) -> str:
        """Score, coverage and band, never the score alone: "65.8 (82.4%, band 3)"."""
        if self.score is None:
            return f"— ({self.band_text})"
        if self.classified:
            return f"{self.score_text} ({self.coverage_text}, band {self.band})"
        return f"{self.score_text} ({self.coverage_text}, {self.band_text})"

    def to_json(self) -> dict[str, object]:
        """The cell as plain JSON data."""
        return {
            "score": self.score,
            "band": self.band,
            "band_label": self.band_label or None,
            "classified": self.classified,
            "coverage": self.coverage,
            "question_count": self.question_count,
        }


NO_SCORE = ScoreCell(
    None, "—", None, "", False, not_classified_text(0, None), None, coverage_text(None), 0
)
"""The cell of a score that is absent (a theme without any rule)."""


def score_cell(score: ThemeScore | None) -> ScoreCell:
    """The cell of one theme score of an assessment."""
    if score is None:
        return NO_SCORE
    return ScoreCell(
        score=score.score,
        score_text=number_text(score.score),
        band=score.band,
        band_label=score.band_label or "",
        classified=score.classified,
        band_text=band_text(score),
        coverage=score.coverage,
        coverage_text=coverage_text(score.coverage),
        question_count=score.question_count,
    )


def score_change(old: ScoreCell, new: ScoreCell) -> float | None:
    """New minus old score, rounded to one decimal; None when either has no score."""
    if old.score is None or new.score is None:
        return None
    return round(new.score - old.score, 1)
