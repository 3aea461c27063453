"""What a comparison keeps of each assessment, so that `coherence compare` over thousands of
profiles holds little more than their scores (issue 13 §5, memory flat).

A comparison reads, of each assessment, the profile, the scores and SDG domains (with the
number of open questions, not the questions), the scoring, the versions and, of each
finding, the rule's id, title, theme, severity, domain, kind and the status.
`for_comparison` keeps only those, as a `Compared`: plain tuples rather than Pydantic
models (a model copy costs about 500 bytes of bookkeeping, a tuple of its fields a fifth
of that: 35 KiB a profile became 5), small to send back from a worker process. The
comparison then keeps of it a few hundred bytes in memory and the rest on disk
(`coherence.report.views.comparison_source`).

A `Compared` reads like an `Assessment` for `coherence.report.views.comparison`: the same
attribute names, with the same values.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from coherence.findings import Assessment, DomainScore, Finding, ProfileInfo, ThemeScore

# A finding's per-profile parts, emptied: the comparison never reads them.
_EMPTIED: dict[str, Any] = {
    "reason": "",
    "missing": [],
    "location": None,
    "trace": [],
    "sides": [],
    "recommendation": "",
    "cause": None,
    "responsible_area": "",
    "rationale": "",
    "citations": [],
    "references": [],
    "waiver": None,
}


class ComparedProfile(NamedTuple):
    """The profile of a `Compared` (`ProfileInfo`'s fields, roles as a tuple)."""

    path: str
    country: str
    country_name: str
    as_of: Any
    roles: tuple[str, ...]
    review_status: str
    illustrative: bool


class ComparedScore(NamedTuple):
    """A theme score as a comparison reads it (`ThemeScore` without counts or questions)."""

    score: float | None
    band: int | None
    band_label: str | None
    classified: bool
    coverage: float | None
    question_count: int
    selection_only: bool = False


class ComparedDomain(NamedTuple):
    """An SDG 10.7.2 domain as a comparison reads it (`DomainScore` without counts or
    questions)."""

    name: str
    rules: int
    value: float | None
    sdg_class: int | None
    sdg_class_label: str | None
    classified: bool
    coverage: float | None
    question_count: int
    selection_only: bool = False


class Compared(NamedTuple):
    """What a comparison keeps of one assessment (its attributes read as an `Assessment`'s)."""

    profile: ComparedProfile
    scores: dict[str, ComparedScore]
    sdg_domains: dict[str, ComparedDomain]
    findings: tuple[Finding, ...]
    scoring: Any
    catalogue_version: str
    tool_version: str


def _profile(p: ProfileInfo) -> ComparedProfile:
    return ComparedProfile(
        p.path, p.country, p.country_name, p.as_of, tuple(p.roles), p.review_status, p.illustrative
    )


def _score(s: ThemeScore) -> ComparedScore:
    return ComparedScore(
        s.score, s.band, s.band_label, s.classified, s.coverage, s.question_count, s.selection_only
    )


def _domain(d: DomainScore) -> ComparedDomain:
    return ComparedDomain(
        d.name,
        d.rules,
        d.value,
        d.sdg_class,
        d.sdg_class_label,
        d.classified,
        d.coverage,
        d.question_count,
        d.selection_only,
    )


def for_comparison(assessment: Assessment) -> Compared:
    """The assessment as a comparison reads it: its profile, its scores and SDG domains (with
    the number of open questions, not the questions), and each finding's rule and status
    (everything else of a finding emptied); no answers, review or notices."""
    return Compared(
        profile=_profile(assessment.profile),
        scores={k: _score(s) for k, s in assessment.scores.items()},
        sdg_domains={k: _domain(d) for k, d in assessment.sdg_domains.items()},
        findings=tuple(f.model_copy(update=_EMPTIED) for f in assessment.findings),
        scoring=assessment.scoring,
        catalogue_version=assessment.catalogue_version,
        tool_version=assessment.tool_version,
    )


def comparison_key(f: Finding) -> tuple[Any, ...]:
    """What tells two findings apart in a comparison: the rule's text and the status (one
    object is kept for all the findings with the same key: see
    `coherence.report.views.comparison_source`)."""
    return (f.rule_id, f.title, f.theme, f.severity, f.sdg_domain, f.status, f.kind)
