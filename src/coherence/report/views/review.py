"""The review before validation, as a gap report shows it."""

from __future__ import annotations

from dataclasses import dataclass

from coherence.findings import Assessment


@dataclass(frozen=True)
class SectionReviewView:
    """One section of the profile in the review trail."""

    section: str
    """The section's name in words."""
    owner: str
    reviewed_by: str
    reviewed_on: str
    reviewed: bool


@dataclass(frozen=True)
class OldEvidenceView:
    """A document to confirm before validation."""

    path: str
    title: str
    date: str
    kind: str
    """law, or practice (a report on how the law is applied)."""
    line: int


@dataclass(frozen=True)
class ReviewView:
    """The review trail and what to settle before the government validates the profile."""

    summary: str
    sections: tuple[SectionReviewView, ...]
    old_evidence_text: str
    """What the old documents are ("" when there are none)."""
    old_evidence: tuple[OldEvidenceView, ...]


def review_view(assessment: Assessment) -> ReviewView | None:
    """The review section of a report (None for an assessment made before it existed)."""
    from coherence.assessment.review import old_evidence_sentence, review_summary, section_name

    review = assessment.review
    if review is None:
        return None
    return ReviewView(
        summary=review_summary(review),
        sections=tuple(
            SectionReviewView(
                section=section_name(s.section),
                owner=s.owner or "—",
                reviewed_by=s.reviewed_by or "—",
                reviewed_on=s.reviewed_on.isoformat() if s.reviewed_on else "—",
                reviewed=s.reviewed,
            )
            for s in review.sections
        ),
        old_evidence_text=old_evidence_sentence(review),
        old_evidence=tuple(
            OldEvidenceView(e.path, e.title, e.date, e.kind, e.line) for e in review.old_evidence
        ),
    )
