"""XLSX: the gap report and the comparison as workbooks, for consultants who filter and sort
(one module per view, as for Markdown; `sheet` writes the tables of both).

`render_xlsx(assessments)` (`coherence check --format xlsx`, `gap`) has the sheets Summary,
Findings, Citations, Questions to answer and Profiles; `render_compare_xlsx(comparison)`
(`coherence compare --format xlsx`, `comparison`) has Profiles, Scores by theme, SDG
domains, Findings by status, Rules by profile and About.

Every sheet has a bold, frozen header row and an autofilter; text wraps. Text is never a
formula, and the same inputs give the same bytes (`coherence.spreadsheet`): the document and
its zip entries are dated with the latest `as_of` date of the profiles.

Memory stays flat however many profiles: the workbook is written in openpyxl's write-only
mode, each sheet's rows streamed to a temporary file as they come. `coherence check` keeps
of each profile only its rows (`gap_piece`, compressed, on disk), and `gap_document` writes
the workbook from them one profile at a time, then hands the file on in blocks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from typing import Any

from coherence.findings import Assessment
from coherence.report.formats import GapOptions
from coherence.report.formats.xlsx.comparison import render_compare_xlsx, write_compare_workbook
from coherence.report.formats.xlsx.gap import (
    CITATION_COLUMNS,
    FINDING_COLUMNS,
    QUESTION_COLUMNS,
    SUMMARY_COLUMNS,
    XlsxPiece,
    render_xlsx,
    write_gap_workbook,
)
from coherence.report.formats.xlsx.gap import gap_piece as _gap_piece

__all__ = [
    "CITATION_COLUMNS",
    "FINDING_COLUMNS",
    "QUESTION_COLUMNS",
    "SUMMARY_COLUMNS",
    "comparison_chunks",
    "gap_document",
    "gap_piece",
    "render_compare_xlsx",
    "render_comparison",
    "render_gap",
    "render_xlsx",
]

BLOCK = 1 << 20
"""The bytes of the workbook handed on at a time by `gap_document`."""


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> bytes:
    """The gap report as a workbook."""
    return render_xlsx(assessments)


def gap_piece(assessment: Assessment, options: GapOptions) -> XlsxPiece:
    """One profile's rows of every sheet, compressed."""
    return _gap_piece(assessment)


def gap_document(pieces: Sequence[XlsxPiece], options: GapOptions) -> Iterator[bytes]:
    """The workbook, written whole into a temporary file from the pieces read one at a time
    (`check` keeps them on disk), then handed on in blocks: a report refused (more rows than
    a sheet holds) is refused before its first byte goes out."""
    with tempfile.TemporaryFile(prefix=".coherence-tmp-") as file:
        write_gap_workbook(pieces, file)
        file.seek(0)
        yield from iter(lambda: file.read(BLOCK), b"")


render_comparison = render_compare_xlsx


def comparison_chunks(c: Any) -> Iterator[bytes]:
    """The comparison's workbook, written into a temporary file, then handed on in blocks
    (never held whole in memory)."""
    with tempfile.TemporaryFile(prefix=".coherence-tmp-") as file:
        write_compare_workbook(c, file)
        file.seek(0)
        yield from iter(lambda: file.read(BLOCK), b"")
