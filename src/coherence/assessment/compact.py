"""What a comparison keeps of each assessment, so that `coherence compare` over thousands of
profiles holds little more than their scores (issue 13 §5, memory flat).

A comparison reads, of each assessment, the profile, the scores and, of each finding, the
rule's id, title, theme, severity, domain, kind and the status. `for_comparison` keeps only
those (small to send back from a worker process); `SharedFindings` then makes every finding
with the same content one object, so that a thousand profiles share the few hundred
(rule, status) findings instead of holding a hundred each.
"""

from __future__ import annotations

from typing import Any

from coherence.findings import Assessment, Finding

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


def for_comparison(assessment: Assessment) -> Assessment:
    """The assessment as a comparison reads it: its profile, its scores and SDG domains (with
    the number of open questions, not the questions), and each finding's rule and status
    (everything else of a finding emptied); no answers, review or notices."""
    findings = [f.model_copy(update=_EMPTIED) for f in assessment.findings]
    # A comparison shows how many questions are open, never which: the lists go.
    scores = {k: s.model_copy(update={"questions": []}) for k, s in assessment.scores.items()}
    domains = {k: d.model_copy(update={"questions": []}) for k, d in assessment.sdg_domains.items()}
    return assessment.model_copy(
        update={
            "findings": findings,
            "scores": scores,
            "sdg_domains": domains,
            "answers": None,
            "review": None,
            "notices": [],
        }
    )


def _key(f: Finding) -> tuple[Any, ...]:
    return (f.rule_id, f.title, f.theme, f.severity, f.sdg_domain, f.status, f.kind)


class SharedFindings:
    """Called on each `for_comparison` assessment as it arrives: the same assessment, its
    findings replaced by one shared object per distinct finding."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Any, ...], Finding] = {}

    def __call__(self, assessment: Assessment) -> Assessment:
        findings = [self._seen.setdefault(_key(f), f) for f in assessment.findings]
        return assessment.model_copy(update={"findings": findings})
