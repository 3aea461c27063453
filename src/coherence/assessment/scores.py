"""Scores per theme and overall, and their SDG 10.7.2 class.

met counts 1, partial 0.5, gap 0; not applicable and waived findings are left out;
insufficient data is left out of the score but lowers the coverage (the share of applicable
rules that could be decided). The class cut-offs are data in `config/sdg_classes.yaml`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coherence.findings import STATUSES, Finding, ThemeScore
from coherence.resources import data_dir
from coherence.themes import RULE_THEMES
from coherence.yamlsource import load_yaml_file

SCORE_THEMES: tuple[str, ...] = RULE_THEMES
WEIGHTS = {"met": 1.0, "partial": 0.5, "gap": 0.0}


@dataclass(frozen=True)
class SdgClass:
    """One class of the four-level scale."""

    number: int
    label: str
    minimum: float


@cache
def sdg_classes(path: Path | None = None) -> tuple[SdgClass, ...]:
    """The class cut-offs, highest first."""
    doc = load_yaml_file(path or data_dir() / "config" / "sdg_classes.yaml")
    classes = [
        SdgClass(int(c["class"]), str(c["label"]), float(c["min"])) for c in doc.data["classes"]
    ]
    return tuple(sorted(classes, key=lambda c: -c.minimum))


def classify(score: float | None) -> SdgClass | None:
    """The class a score falls in (None for no score)."""
    if score is None:
        return None
    return next(c for c in sdg_classes() if score >= c.minimum)


def score_findings(findings: list[Finding]) -> ThemeScore:
    """Score, class, coverage and status counts of a set of findings."""
    counts = Counter(f.status for f in findings)
    decided = sum(counts[s] for s in WEIGHTS)
    applicable = decided + counts["insufficient_data"]
    score = None
    if decided:
        score = round(100 * sum(WEIGHTS[s] * counts[s] for s in WEIGHTS) / decided, 1)
    coverage = round(100 * decided / applicable, 1) if applicable else None
    sdg = classify(score)
    return ThemeScore(
        score=score,
        sdg_class=sdg.number if sdg else None,
        sdg_class_label=sdg.label if sdg else None,
        coverage=coverage,
        counts={s: counts.get(s, 0) for s in STATUSES},
    )


def score_assessment(findings: list[Finding]) -> dict[str, ThemeScore]:
    """Scores for every theme and `overall` (all findings pooled)."""
    scores = {t: score_findings([f for f in findings if f.theme == t]) for t in SCORE_THEMES}
    scores["overall"] = score_findings(findings)
    return scores
