"""Markdown: the gap report, the comparison and the diff (one module per view, as the
Markdown of the three together is longer than a module should be)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from coherence.findings import Assessment
from coherence.report.formats import GapOptions
from coherence.report.formats.markdown.base import md_escape
from coherence.report.formats.markdown.comparison import (
    comparison_chunks,
    render_compare_markdown,
)
from coherence.report.formats.markdown.diff import render_diff_markdown
from coherence.report.formats.markdown.gap import (
    MarkdownPiece,
    markdown_document,
    markdown_piece,
    render_markdown,
)

__all__ = [
    "comparison_chunks",
    "md_escape",
    "render_compare_markdown",
    "render_comparison",
    "render_diff",
    "render_diff_markdown",
    "render_gap",
    "render_markdown",
]


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> str:
    """The gap report as Markdown."""
    return render_markdown(assessments)


def gap_piece(assessment: Assessment, options: GapOptions) -> MarkdownPiece:
    """One profile's report, compressed."""
    return markdown_piece(assessment)


def gap_document(pieces: Sequence[MarkdownPiece], options: GapOptions) -> Iterator[str]:
    """The reports one after the other."""
    return markdown_document(pieces)


render_comparison = render_compare_markdown
render_diff = render_diff_markdown
