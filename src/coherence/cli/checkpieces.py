"""`coherence check` over many profiles in flat memory: each assessment, as soon as it is made
(in a worker process with `--jobs`), becomes the pieces of the reports asked for and what the
gate needs, and is dropped; the reports are put together from the pieces at the end.

Per format, what is kept of each profile:

* text, github, csv: its part of the report, as compressed text;
* sarif: its results, written as the log's JSON, compressed
  (`coherence.report.sarif.sarif_piece`);
* junit: its `<testsuite>` element (`coherence.report.junit.junit_suite`);
* json: its JSON object, compressed (zlib);
* markdown, html, pdf, xlsx: the assessment itself (these reports need every assessment at
  once: scores across profiles, one document).

The gate (`--fail-on`, `--baseline`) keeps the count of failing findings and the first
`FAILING_LIMIT` lines that list them. Nothing is written before every profile has been
assessed: an invalid profile still means no report at all (exit 2). The reports with pieces
are then written piece by piece (`coherence.cli.output.Chunks`), never held whole.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from coherence.cli.output import Chunks

WHOLE_FORMATS = ("markdown", "html", "pdf", "xlsx")
"""Formats rendered from every assessment at once."""

_INDEX: dict[int, Any] = {}


def _sarif_index(catalogue):
    """`catalogue_index`, computed once per catalogue (in each process)."""
    from coherence.report.sarif import catalogue_index

    key = id(catalogue)
    if key not in _INDEX:
        _INDEX.clear()
        _INDEX[key] = (catalogue, catalogue_index(catalogue))
    return _INDEX[key][1]


def _csv_head() -> str:
    from coherence.report.csv import render_csv

    return render_csv([])


@dataclass
class ProfilePieces:
    """What `check` keeps of one assessment."""

    pieces: dict[str, Any]
    failing: int
    lines: list[str]
    """Its failing findings, listed as the end of the CI log does."""
    assessment: Any = None
    """The assessment, when a report needs every assessment at once."""


@dataclass(frozen=True)
class CheckPieces:
    """The `Reduce` of `check` (see `coherence.cli.parallel`): the pieces of these formats,
    with these `--fail-on` thresholds, baseline and `--only-failing`."""

    formats: tuple[str, ...]
    thresholds: tuple[Any, ...] = ()
    baseline: dict[str, Any] | None = None
    only_failing: bool = False

    def __call__(self, loaded, assessment, catalogue) -> ProfilePieces:
        from coherence.assessment.gate import compare_baseline, failing, finding_key
        from coherence.report.ci import failing_lines

        a = assessment
        changes = compare_baseline([a], self.baseline) if self.baseline is not None else None
        hits = failing([a], list(self.thresholds), self.baseline) if self.thresholds else []
        only = {finding_key(a, f) for a, f in hits} if self.only_failing else None
        pieces = {
            fmt: _piece(fmt, a, catalogue, changes, only)
            for fmt in dict.fromkeys(self.formats)
            if fmt not in WHOLE_FORMATS
        }
        whole = a if any(fmt in WHOLE_FORMATS for fmt in self.formats) else None
        lines = failing_lines(hits, changes, limit=len(hits))
        return ProfilePieces(pieces, len(hits), lines, whole)


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


def _unpack(piece: bytes) -> str:
    return zlib.decompress(piece).decode("utf-8")


def _joined(pieces: list[bytes], separator: str = "", head: str = "") -> Iterator[str]:
    if head:
        yield head
    for i, piece in enumerate(pieces):
        yield (separator if i else "") + _unpack(piece)


def _piece(fmt: str, a, catalogue, changes, only) -> Any:
    from coherence.assessment.gate import keep_findings, listed_rules

    if only is not None and fmt in ("sarif", "junit", "github"):
        a = keep_findings([a], only)[0]
    if fmt == "text":
        from coherence.report.text import render_text

        return _pack(render_text(a, changes=changes, only=listed_rules(a, only)))
    if fmt == "github":
        from coherence.report.github import render_github

        return _pack(render_github([a], changes=changes))
    if fmt == "csv":
        from coherence.report.csv import render_csv

        return _pack(render_csv([a])[len(_csv_head()) :])
    if fmt == "sarif":
        from coherence.report.sarif import sarif_piece

        return sarif_piece(a, catalogue, changes=changes, index=_sarif_index(catalogue))
    if fmt == "junit":
        from coherence.report.junit import junit_suite

        return junit_suite(a, changes=changes)
    if fmt == "json":
        from coherence.report.json import json_piece

        return json_piece(a)
    raise ValueError(f"no pieces for the {fmt} format")


@dataclass
class CheckCollector:
    """The pieces of every profile, in input order, and the gate's count and lines."""

    formats: tuple[str, ...]
    limit: int = 50
    pieces: dict[str, list[Any]] = field(default_factory=dict)
    assessments: list[Any] = field(default_factory=list)
    failing: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, profile: ProfilePieces) -> None:
        """Keep one profile's pieces."""
        for fmt, piece in profile.pieces.items():
            self.pieces.setdefault(fmt, []).append(piece)
        if profile.assessment is not None:
            self.assessments.append(profile.assessment)
        self.failing += profile.failing
        self.lines.extend(profile.lines[: max(0, self.limit - len(self.lines))])

    def failing_lines(self) -> list[str]:
        """As `coherence.report.ci.failing_lines` lists every failing finding."""
        from coherence.report.ci import more_failing

        return self.lines + more_failing(self.failing, self.limit)

    def render(self, fmt: str, catalogue) -> Chunks:
        """The report in a format with pieces (not one of `WHOLE_FORMATS`), as `Chunks`:
        unpacked one profile at a time as it is written."""
        got = self.pieces.get(fmt, [])
        if fmt == "text":
            return Chunks(_joined(got, "\n"))
        if fmt == "github":
            return Chunks(_joined(got))
        if fmt == "csv":
            return Chunks(_joined(got, head=_csv_head()))
        if fmt == "sarif":
            from coherence.report.sarif import sarif_chunks

            return Chunks(sarif_chunks(got, catalogue))
        if fmt == "junit":
            from coherence.report.junit import junit_document

            return junit_document(got)
        if fmt == "json":
            from coherence.report.json import json_chunks

            return Chunks(json_chunks(got))
        raise ValueError(f"no pieces for the {fmt} format")
