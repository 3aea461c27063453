"""`coherence check` over many profiles in flat memory: each assessment, as soon as it is made
(in a worker process with `--jobs`), becomes the pieces of the reports asked for and what the
gate needs, and is dropped; the reports are put together from the pieces at the end.

Per format, what is kept of each profile: for a format with pieces (`pieces=True` in the
registry, `coherence.report.formats.FORMATS`), its module's `gap_piece` (text, github and
csv: its part of the report, compressed; sarif: its results; junit: its `<testsuite>` as
text, compressed, the suites sorted by their keys at the end; json: its lean assessment and
its findings' rules, compressed, the rules written once at the end; xlsx: its rows of every
sheet, compressed, written to the end of each sheet profile by profile); for html and pdf:
the assessment itself, on disk, rendered report by report when the document is written (a
report's ids depend on its place; WeasyPrint then lays out the PDF whole, in memory, which
is why a PDF takes at most `most_profiles` profiles).

The pieces are kept in a temporary file (`coherence.cli.spool`), not in memory. The gate
(`--fail-on`, `--baseline`) keeps the count of failing findings and the first
`FAILING_LIMIT` lines that list them. Nothing is written before every profile has been
assessed: an invalid profile still means no report at all (exit 2). The reports with pieces
are then written piece by piece (`coherence.cli.output.Chunks`), never held whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from coherence.cli.output import Chunks
from coherence.cli.spool import SpooledList


def _has_pieces(fmt: str) -> bool:
    """Whether the format streams the gap report profile by profile."""
    from coherence.report.formats import get_format

    return get_format(fmt).pieces


@dataclass
class ProfilePieces:
    """What `check` keeps of one assessment."""

    pieces: dict[str, Any]
    failing: int
    lines: list[str]
    """Its failing findings, listed as the end of the CI log does."""
    assessment: Any = None
    """The assessment, when a report needs every assessment at once."""
    warnings: list[str] = field(default_factory=list)
    """Said on standard error as the profile comes in (a baseline entry of another country)."""


@dataclass(frozen=True)
class CheckPieces:
    """The `Reduce` of `check` (see `coherence.cli.parallel`): the pieces of these formats,
    with these `--fail-on` thresholds, baseline and `--only-failing`."""

    formats: tuple[str, ...]
    thresholds: tuple[Any, ...] = ()
    baseline: dict[str, Any] | None = None
    only_failing: bool = False
    keeps_answers: ClassVar[bool] = False
    """No report of a check shows the profile's answers and details (only `coherence diff`
    compares them): its assessments are made without them (`coherence.cli.parallel`)."""

    def __call__(self, loaded, assessment, catalogue) -> ProfilePieces:
        from coherence.assessment.gate import (
            baseline_other_country,
            compare_baseline,
            failing,
            finding_key,
        )
        from coherence.report.views.ci import failing_lines

        a = assessment
        changes = compare_baseline([a], self.baseline) if self.baseline is not None else None
        hits = failing([a], list(self.thresholds), self.baseline) if self.thresholds else []
        only = {finding_key(a, f) for a, f in hits} if self.only_failing else None
        from coherence.report.formats import GapOptions, get_format

        options = GapOptions(catalogue, changes, only)
        pieces = {
            fmt: get_format(fmt).module.gap_piece(a, options)
            for fmt in dict.fromkeys(self.formats)
            if _has_pieces(fmt)
        }
        whole = a if not all(_has_pieces(fmt) for fmt in self.formats) else None
        lines = failing_lines(hits, changes, limit=len(hits))
        other = baseline_other_country(self.baseline, a) if self.baseline is not None else None
        return ProfilePieces(pieces, len(hits), lines, whole, [other] if other else [])


@dataclass
class CheckCollector:
    """The pieces of every profile, in input order, and the gate's count and lines."""

    formats: tuple[str, ...]
    limit: int = 50
    pieces: dict[str, SpooledList] = field(default_factory=dict)
    """Per format, every profile's piece, kept on disk."""
    assessments: list[Any] = field(default_factory=list)
    failing: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, profile: ProfilePieces) -> None:
        """Keep one profile's pieces (on disk: memory stays flat however many profiles)."""
        if profile.warnings:
            import typer

            from coherence.terminal import for_terminal

            for warning in profile.warnings:
                typer.echo(for_terminal(f"coherence: warning: {warning}"), err=True)
        for fmt, piece in profile.pieces.items():
            self.pieces.setdefault(fmt, SpooledList()).append(piece)
        if profile.assessment is not None:
            self.assessments.append(profile.assessment)
        self.failing += profile.failing
        self.lines.extend(profile.lines[: max(0, self.limit - len(self.lines))])

    def failing_lines(self) -> list[str]:
        """As `coherence.report.views.ci.failing_lines` lists every failing finding."""
        from coherence.report.views.ci import more_failing

        return self.lines + more_failing(self.failing, self.limit)

    def render(
        self, fmt: str, catalogue, template_dir=None, appendix: bool = False
    ) -> Chunks | str:
        """The report in a format with pieces, from its module's `gap_document`: written
        one profile at a time (`Chunks`) when it comes as an iterator of text (or of bytes,
        the blocks of a binary report)."""
        from coherence.report.formats import GapOptions, get_format

        got = self.pieces.get(fmt, [])
        options = GapOptions(catalogue, template_dir=template_dir, appendix=appendix)
        document = get_format(fmt).module.gap_document(got, options)
        if isinstance(document, str):
            return document
        return Chunks(document, binary=get_format(fmt).binary)
