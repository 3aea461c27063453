"""Scores per theme, overall and across themes; bands; the indicative SDG 10.7.2 domain view.

Every number comes from data read at run time (`config/scoring.yaml`, `config/sdg_classes.yaml`;
docs/scoring.md explains them):

* **Theme score**: sum(severity weight x status value) / sum(severity weight) over the decided
  applicable findings (met, partial, gap), x 100. Not applicable and waived findings are left
  out; insufficient data is left out of the score but lowers the **coverage**, the share of
  applicable rules that could be decided.
* **Overall** pools the five policy themes only. The cross-theme `coherence` rules re-read
  answers the themes already score, so they keep their own entry, *consistency across
  themes* (the same formula: the share of cross-theme checks without contradiction), and never
  count an answer twice.
* **Bands**: coherence's own four bands, given only when the coverage reaches `min_coverage`;
  below it a score is *not classified* and carries the questions to answer.
* **SDG 10.7.2 domains**: per domain PD_1..PD_6, the unweighted mean of its decided rules
  (met 1, partial 0.5, gap 0) x 100 and a class with the indicator's labels and cut-offs,
  under the same coverage rule. Indicative only: the official indicator is computed from the
  UN Inquiry's module III answers, not from these rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coherence.findings import STATUSES, DomainScore, Finding, ScaleClass, Scoring, ThemeScore
from coherence.resources import data_dir
from coherence.themes import POLICY_THEMES, RULE_THEMES
from coherence.yamlsource import load_yaml_file

SCORE_THEMES: tuple[str, ...] = RULE_THEMES
"""Every theme that gets its own score entry, in report order."""

OVERALL_THEMES: tuple[str, ...] = POLICY_THEMES
"""The themes the overall score pools: the five policy themes, never `coherence`."""

CONSISTENCY_THEME = "coherence"
"""The cross-theme rules: their own score entry, left out of overall and of the domain view."""

DECIDED: tuple[str, ...] = ("met", "partial", "gap")

SDG_DOMAINS: tuple[str, ...] = ("PD_1", "PD_2", "PD_3", "PD_4", "PD_5", "PD_6")


class ScoringConfigError(ValueError):
    """`config/scoring.yaml` or `config/sdg_classes.yaml` is not usable."""


@dataclass(frozen=True)
class Band:
    """One class of a four-level scale: coherence's bands, or the SDG 10.7.2 classes."""

    number: int
    label: str
    minimum: float


SdgClass = Band
"""An SDG 10.7.2 class (same shape as a band)."""


@dataclass(frozen=True)
class ScoringConfig:
    """The contents of `config/scoring.yaml`."""

    severity_weights: dict[str, float]
    status_values: dict[str, float]
    min_coverage: float
    bands: tuple[Band, ...]
    """Highest first."""


def _scale(entries: object, key: str, where: Path) -> tuple[Band, ...]:
    if not isinstance(entries, list) or not entries:
        raise ScoringConfigError(f"{where}: expected a list of {key}es")
    try:
        scale = [Band(int(e[key]), str(e["label"]), float(e["min"])) for e in entries]
    except (KeyError, TypeError, ValueError) as exc:
        raise ScoringConfigError(f"{where}: each entry needs {key}, label and min ({exc})") from exc
    if not any(b.minimum <= 0 for b in scale):
        raise ScoringConfigError(f"{where}: one {key} must start at min 0")
    return tuple(sorted(scale, key=lambda b: -b.minimum))


def _weights(data: object, keys: Sequence[str], name: str, where: Path) -> dict[str, float]:
    if not isinstance(data, dict) or set(data) != set(keys):
        raise ScoringConfigError(f"{where}: {name} needs exactly {', '.join(keys)}")
    try:
        return {k: float(data[k]) for k in keys}
    except (TypeError, ValueError) as exc:
        raise ScoringConfigError(f"{where}: {name} must be numbers ({exc})") from exc


@cache
def scoring_config(path: Path | None = None) -> ScoringConfig:
    """Weights, status values, minimum coverage and bands from `config/scoring.yaml`."""
    where = path or data_dir() / "config" / "scoring.yaml"
    data = load_yaml_file(where).data
    if not isinstance(data, dict):
        raise ScoringConfigError(f"{where}: expected a mapping")
    severity = _weights(
        data.get("severity_weights"), ("high", "medium", "low"), "severity_weights", where
    )
    if min(severity.values()) <= 0:
        raise ScoringConfigError(f"{where}: severity_weights must be positive")
    values = _weights(data.get("status_values"), DECIDED, "status_values", where)
    try:
        minimum = float(data.get("min_coverage", 60))
    except (TypeError, ValueError) as exc:
        raise ScoringConfigError(f"{where}: min_coverage must be a number") from exc
    if not 0 <= minimum <= 100:
        raise ScoringConfigError(f"{where}: min_coverage must be between 0 and 100")
    return ScoringConfig(severity, values, minimum, _scale(data.get("bands"), "band", where))


@cache
def _sdg_file(path: Path | None = None) -> dict[str, object]:
    where = path or data_dir() / "config" / "sdg_classes.yaml"
    data = load_yaml_file(where).data
    if not isinstance(data, dict):
        raise ScoringConfigError(f"{where}: expected a mapping")
    return {"where": where, **data}


@cache
def sdg_classes(path: Path | None = None) -> tuple[SdgClass, ...]:
    """The SDG 10.7.2 class cut-offs (`config/sdg_classes.yaml`), highest first."""
    data = _sdg_file(path)
    return _scale(data.get("classes"), "class", data["where"])  # type: ignore[arg-type]


@cache
def sdg_domain_names(path: Path | None = None) -> dict[str, str]:
    """The name of each SDG 10.7.2 domain, PD_1 to PD_6, in order."""
    names = _sdg_file(path).get("domains") or {}
    if not isinstance(names, dict):
        raise ScoringConfigError("config/sdg_classes.yaml: domains must be a mapping")
    return {d: str(names.get(d, d)) for d in SDG_DOMAINS}


def bands() -> tuple[Band, ...]:
    """coherence's bands, highest first."""
    return scoring_config().bands


def _classes(scale: Iterable[Band]) -> list[ScaleClass]:
    return [ScaleClass(number=b.number, label=b.label, minimum=b.minimum) for b in scale]


@cache
def scoring_used() -> Scoring:
    """The scoring an assessment carries (`Assessment.scoring`): weights, minimum coverage,
    bands and SDG 10.7.2 classes as read from the configuration, one object per process."""
    config = scoring_config()
    return Scoring(
        severity_weights=dict(config.severity_weights),
        status_values=dict(config.status_values),
        min_coverage=config.min_coverage,
        bands=_classes(config.bands),
        sdg_classes=_classes(sdg_classes()),
    )


def _place(value: float | None, scale: Iterable[Band]) -> Band | None:
    if value is None:
        return None
    return next(b for b in scale if value >= b.minimum)


def band_of(score: float | None) -> Band | None:
    """The band a score falls in (None for no score), whatever the coverage."""
    return _place(score, bands())


def classify(value: float | None) -> SdgClass | None:
    """The SDG 10.7.2 class a domain value falls in (None for no value)."""
    return _place(value, sdg_classes())


def questions_of(findings: Iterable[Finding]) -> list[str]:
    """The profile answers that would decide the undecided findings, de-duplicated, sorted."""
    return sorted({p for f in findings if f.status == "insufficient_data" for p in f.missing})


def _counts(findings: Sequence[Finding]) -> tuple[dict[str, int], int, int, bool]:
    """Counts by status, decided, applicable, and whether the coverage is enough."""
    counts = Counter(f.status for f in findings)
    decided = sum(counts[s] for s in DECIDED)
    applicable = decided + counts["insufficient_data"]
    enough = bool(decided) and 100 * decided >= scoring_config().min_coverage * applicable
    return {s: counts.get(s, 0) for s in STATUSES}, decided, applicable, enough


def _coverage(decided: int, applicable: int) -> float | None:
    return round(100 * decided / applicable, 1) if applicable else None


def score_findings(findings: Sequence[Finding], selection_only: bool = False) -> ThemeScore:
    """Severity-weighted score, band (if the coverage is enough and the whole catalogue was
    checked, not a `selection_only`), coverage and questions."""
    config = scoring_config()
    counts, decided, applicable, enough = _counts(findings)
    chosen = [f for f in findings if f.status in DECIDED]
    score = None
    if chosen:
        weight = sum(config.severity_weights[f.severity] for f in chosen)
        earned = sum(
            config.severity_weights[f.severity] * config.status_values[f.status] for f in chosen
        )
        score = round(100 * earned / weight, 1)
    band = band_of(score) if enough and not selection_only else None
    questions = questions_of(findings)
    return ThemeScore(
        score=score,
        band=band.number if band else None,
        band_label=band.label if band else None,
        classified=band is not None,
        coverage=_coverage(decided, applicable),
        counts=counts,
        question_count=len(questions),
        questions=questions,
        selection_only=selection_only,
    )


def score_domain(
    name: str, findings: Sequence[Finding], selection_only: bool = False
) -> DomainScore:
    """One domain on the SDG 10.7.2 scale: unweighted mean of its decided findings x 100
    (classed unless only a selection of the rules was checked)."""
    values = scoring_config().status_values
    counts, decided, applicable, enough = _counts(findings)
    value = None
    if decided:
        value = round(100 * sum(values[s] * counts[s] for s in DECIDED) / decided, 1)
    sdg = classify(value) if enough and not selection_only else None
    questions = questions_of(findings)
    return DomainScore(
        name=name,
        rules=len(findings),
        value=value,
        sdg_class=sdg.number if sdg else None,
        sdg_class_label=sdg.label if sdg else None,
        classified=sdg is not None,
        coverage=_coverage(decided, applicable),
        counts=counts,
        question_count=len(questions),
        questions=questions,
        selection_only=selection_only,
    )


def score_assessment(
    findings: Sequence[Finding], selection_only: bool = False
) -> dict[str, ThemeScore]:
    """Scores for every theme, `overall` (the five policy themes) and `coherence`; none
    classified when only a selection of the rules was checked (`--select`/`--skip`)."""
    scores = {
        t: score_findings([f for f in findings if f.theme == t], selection_only)
        for t in SCORE_THEMES
    }
    policy = [f for f in findings if f.theme in OVERALL_THEMES]
    scores["overall"] = score_findings(policy, selection_only)
    return scores


def score_domains(
    findings: Sequence[Finding], selection_only: bool = False
) -> dict[str, DomainScore]:
    """The indicative SDG 10.7.2 view: every domain, from the policy-theme findings only."""
    policy = [f for f in findings if f.theme in OVERALL_THEMES]
    return {
        code: score_domain(name, [f for f in policy if f.sdg_domain == code], selection_only)
        for code, name in sdg_domain_names().items()
    }
