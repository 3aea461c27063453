"""Scores as a report shows them: a theme's row of the gap report, a score cell of the
comparison and the diff, the SDG 10.7.2 domains and the class bands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from coherence.assessment.scores import SDG_DOMAINS
from coherence.findings import Assessment, DomainScore, ScaleClass, Scoring, ThemeScore
from coherence.report.vocabulary import (
    STATUS_LABELS,
    THEME_ORDER,
    band_text,
    coverage_text,
    domain_class_text,
    not_classified_text,
    number_text,
    score_name,
)

DOMAIN_VIEW_TITLE = "SDG 10.7.2 domains (indicative, on the SDG 10.7.2 scale)"


DOMAIN_VIEW_NOTE = (
    "Indicative, on the SDG 10.7.2 scale: each domain's value is the plain mean of its decided "
    "rules of this catalogue (met 1, partly met 0.5, gap 0) out of 100, classed with the "
    "indicator's labels and cut-offs. It is not the official SDG indicator 10.7.2, which is "
    "computed from the Government's answers to module III of the UN Inquiry among Governments "
    "on Population and Development, not from these rules; cross-theme coherence rules are "
    "left out."
)
"""The sentence every format shows with the SDG 10.7.2 domain view."""


DOMAIN_NOTE = DOMAIN_VIEW_NOTE
"""The sentence every format shows with the SDG 10.7.2 domain view."""


OVERALL_NOTE = (
    "Overall pools the five policy themes. Consistency across themes (the cross-theme "
    "coherence rules) is scored apart and never enters the overall score, so that no answer "
    "counts twice."
)
"""The note under every table of scores."""


@dataclass(frozen=True)
class ScoreCell:
    """One score (of a theme, overall, or consistency across themes) of one profile."""

    score: float | None
    score_text: str
    """The score as written, e.g. "64.3"; "—" when there is none or it is not classified."""
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
        # A score below the minimum coverage is not shown as a number anywhere: on thin data
        # a "100.0" copied out of a table misleads (scoring.md: questions instead of a number).
        score_text=number_text(score.score) if score.classified else "—",
        band=score.band,
        band_label=score.band_label or "",
        classified=score.classified,
        band_text=band_text(score),
        coverage=score.coverage,
        coverage_text=coverage_text(score.coverage),
        question_count=score.question_count,
    )


@dataclass(frozen=True)
class ScoreRow(ScoreCell):
    """The score of one theme, of overall, or of the consistency across themes, as a gap
    report shows it: its cell, with the theme's name, counts and questions."""

    key: str
    name: str
    counts: tuple[tuple[str, str, int], ...]
    """(status, label, number) for every status."""
    questions: tuple[str, ...]
    """The questions (profile paths) that would decide its undecided rules."""
    min_coverage: float
    """The coverage a score needs to be classified (`Scoring.min_coverage`)."""

    @property
    def value_text(self) -> str:
        """The score with its coverage, never the score alone: "64.3 (coverage 82.4%)"."""
        return f"{self.score_text} (coverage {self.coverage_text})"

    @property
    def sentence(self) -> str:
        """The score, its coverage and its band (or why it has none) in one sentence."""
        if self.score is None and self.coverage is None:
            return "No rule applies: no score."
        if self.classified:
            head = f"Score {self.score_text} out of 100, coverage {self.coverage_text}"
            return f"{head}: band {self.band}, {self.band_label}."
        needed = f"{self.min_coverage:g}%"
        return (
            f"No score: coverage {self.coverage_text} (at least {needed} needed to classify): "
            f"{self.band_text}."
        )


@dataclass(frozen=True)
class DomainRow:
    """One domain of the indicative SDG 10.7.2 view."""

    code: str
    name: str
    rules: int
    value: float | None
    value_text: str
    coverage: float | None
    coverage_text: str
    sdg_class: int | None
    classified: bool
    class_text: str
    """e.g. "2 — Partially meets", "not classified: answer these 3 questions", or "no rule
    of the catalogue covers this domain"."""


def score_row(key: str, score: ThemeScore, min_coverage: float) -> ScoreRow:
    """The row of one score in the gap report's summary; `min_coverage` is the assessment's
    (`Scoring.min_coverage`)."""
    cell = {f.name: getattr(score_cell(score), f.name) for f in fields(ScoreCell)}
    cell["question_count"] = len(score.questions)  # the questions the row lists
    return ScoreRow(
        **cell,
        key=key,
        name=score_name(key),
        counts=tuple((s, STATUS_LABELS[s], score.counts.get(s, 0)) for s in STATUS_LABELS),
        questions=tuple(score.questions),
        min_coverage=min_coverage,
    )


def _domain_row(code: str, domain: DomainScore) -> DomainRow:
    return DomainRow(
        code=code,
        name=domain.name,
        rules=domain.rules,
        value=domain.value,
        value_text=number_text(domain.value) if domain.classified else "—",
        coverage=domain.coverage,
        coverage_text=coverage_text(domain.coverage),
        sdg_class=domain.sdg_class,
        classified=domain.classified,
        class_text=domain_class_text(domain),
    )


def domain_rows(assessment: Assessment) -> tuple[DomainRow, ...]:
    """The indicative SDG 10.7.2 view of an assessment, PD_1 to PD_6."""
    order = list(SDG_DOMAINS)
    return tuple(
        _domain_row(code, assessment.sdg_domains[code])
        for code in sorted(assessment.sdg_domains, key=lambda c: (order.index(c), c))
    )


@dataclass(frozen=True)
class ClassBand:
    """One band of coherence's scale (or one SDG 10.7.2 class) and its score range."""

    number: int
    label: str
    minimum: float
    range_text: str


def _scale_bands(scale: Sequence[ScaleClass]) -> tuple[ClassBand, ...]:
    out = []
    upper: float | None = None
    for c in scale:  # highest first
        text = f"{c.minimum:g} to 100" if upper is None else f"{c.minimum:g} to under {upper:g}"
        out.append(ClassBand(c.number, c.label, c.minimum, text))
        upper = c.minimum
    return tuple(out)


def band_scale(scoring: Scoring) -> tuple[ClassBand, ...]:
    """coherence's bands (of an assessment's scoring) with their score ranges, highest first."""
    return _scale_bands(scoring.bands)


def sdg_scale(scoring: Scoring) -> tuple[ClassBand, ...]:
    """The SDG 10.7.2 classes (of an assessment's scoring) with their ranges, highest first."""
    return _scale_bands(scoring.sdg_classes)


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


def score_column_name(key: str) -> str:
    """The display name of a score column: a theme, "Overall", or "Consistency across themes"."""
    return score_name(key)


def score_change(old: ScoreCell, new: ScoreCell) -> float | None:
    """New minus old score, rounded to one decimal; None when either has no score."""
    if old.score is None or new.score is None:
        return None
    return round(new.score - old.score, 1)
