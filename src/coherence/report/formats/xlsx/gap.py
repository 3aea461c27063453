"""The gap report as an XLSX workbook, for consultants who filter and sort.

`render_xlsx(assessments)` (`coherence check --format xlsx`) lays out the same view models as
the Markdown and HTML reports (`coherence.report.views`), one table per sheet:

* **Summary**: one row per profile and score (every theme, overall, consistency across
  themes): score, coverage and band, or why it is not classified;
* **Findings**: one row per finding, in report order (themes in report order, then status);
  what the profile says, the country's evidence, and the citations, one locator per line;
* **Citations**: one row per verified quotation of the rules in the report, each written
  once however many profiles share the rule (a rule's quotations are the catalogue's, the
  same for every profile): rule id, title and severity, then source, locator, role and quote;
* **Questions to answer**: the data gaps, one row per question (as the report's
  "Data gaps" section);
* **Profiles**: one row per profile: header, findings by status and the summary sentences.

Each profile's rows are made apart (`gap_piece`: in a worker process with `--jobs`, kept
compressed on disk by `check`), and the workbook is written from them one profile at a time
(`write_gap_workbook`), each profile's rows added at the end of every sheet at once
(`coherence.report.formats.xlsx.sheet`): memory stays flat however many profiles. Only the
Citations sheet is held until the end, and it is bounded by the catalogue, not the profiles.
"""

from __future__ import annotations

import io
import pickle
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from coherence.findings import Assessment
from coherence.report.formats.xlsx.sheet import Column, Table, stamp, workbook
from coherence.report.views.findings import FindingView, ProfileEntry
from coherence.report.views.gap import Report, build_report
from coherence.spreadsheet import EPOCH, save_workbook


def _lines(items: Iterable[str]) -> str:
    return "\n".join(items)


def _answers_text(entries: Sequence[ProfileEntry]) -> str:
    """What the profile says: one answer per line, its note below it."""
    out = []
    for e in entries:
        where = f", line {e.line}" if e.line else ""
        out.append(f"{e.label} ({e.path}{where}): {e.value}")
        if e.note:
            out.append(f"  Note: {e.note}")
    return _lines(out)


def _evidence_text(entries: Sequence[ProfileEntry]) -> str:
    """The country's evidence: one document per line, with the answer it supports."""
    return _lines(
        f"{e.path}: " + " — ".join(x for x in (ev.text, ev.url) if x)
        for e in entries
        for ev in e.evidence
    )


def _citations_text(f: FindingView) -> str:
    """The citations of a finding, one locator per line (the quotes are on Citations)."""
    return _lines(f"{c.locator} — {c.title}, {c.section}" for c in f.citations)


def _waiver_text(f: FindingView) -> str:
    if f.waiver is None:
        return ""
    w = f.waiver
    return (
        f"{w.justification} Approved by {w.approved_by}; expires {w.expires}; "
        f"status without the waiver: {w.underlying_label}."
    )


PROFILE_COLUMNS: tuple[Column, ...] = (
    Column("Country", 18),
    Column("As of", 11),
    Column("Profile", 28),
)
"""The columns that say which profile a row belongs to, first on every sheet."""


def _who(r: Report) -> tuple[str, str, str]:
    return (r.header.country_name, r.header.as_of, r.header.profile_path)


def _findings(reports: Sequence[Report]) -> Iterable[tuple[Report, str, FindingView]]:
    """Every finding of every report, in report order: (report, theme name, finding)."""
    for r in reports:
        for t in r.themes:
            for f in (*t.findings, *t.not_applicable):
                yield r, t.name, f


SUMMARY_COLUMNS: tuple[Column, ...] = (
    *PROFILE_COLUMNS,
    Column("Score of", 30),
    Column("Score (0–100)", 11, "0.0"),
    Column("Coverage (%)", 11, "0.0"),
    Column("Band", 8),
    Column("Band label", 22),
    Column("Result", 40),
    Column("Questions to answer", 12),
)


FINDING_COLUMNS: tuple[Column, ...] = (
    *PROFILE_COLUMNS,
    Column("Rule ID", 16),
    Column("Theme", 22),
    Column("Title", 40),
    Column("Status", 14),
    Column("Severity", 10),
    Column("SDG 10.7.2 domain", 10),
    Column("Reason", 50),
    Column("Missing answers", 30),
    Column("Profile line", 9),
    Column("What the profile says", 60),
    Column("Country's evidence", 50),
    Column("Recommendation", 60),
    Column("Responsible", 30),
    Column("Sources", 9),
    Column("Citations", 50),
    Column("References", 30),
    Column("Waiver", 40),
)


CITATION_COLUMNS: tuple[Column, ...] = (
    Column("Rule ID", 16),
    Column("Title", 40),
    Column("Severity", 10),
    Column("Source", 18),
    Column("Source title", 40),
    Column("Section", 30),
    Column("Locator", 24),
    Column("Role", 14),
    Column("Quote", 90),
)


QUESTION_COLUMNS: tuple[Column, ...] = (
    *PROFILE_COLUMNS,
    Column("Section", 24),
    Column("Question", 60),
    Column("Possible answers", 30),
    Column("Profile field", 40),
    Column("Line", 8),
    Column("Rules", 30),
)


def _summary_rows(reports: Sequence[Report]) -> Iterable[list[Any]]:
    for r in reports:
        for s in r.summary.score_rows:
            yield [
                *_who(r),
                s.name,
                s.score,
                s.coverage,
                s.band,
                s.band_label,
                s.band_text,
                s.question_count,
            ]


def _finding_rows(reports: Sequence[Report]) -> Iterable[list[Any]]:
    for r, theme_name, f in _findings(reports):
        yield [
            *_who(r),
            f.rule_id,
            theme_name,
            f.title,
            f.status_label,
            f.severity_label,
            f.sdg_domain,
            f.reason,
            _lines(f.missing),
            f.location_line or None,
            _answers_text(f.profile),
            _evidence_text(f.profile),
            f.recommendation,
            f.responsible_area,
            len(f.citations),
            _citations_text(f),
            _lines(f.references),
            _waiver_text(f),
        ]


def _citation_rows(reports: Sequence[Report]) -> Iterable[list[Any]]:
    """The rows of the Citations sheet, once per rule (a rule's quotations are the same in
    every report): a rule's rows are made only where it first appears."""
    seen: set[str] = set()
    for _, _, f in _findings(reports):
        if f.rule_id in seen:
            continue
        seen.add(f.rule_id)
        for c in f.citations:
            yield [
                f.rule_id,
                f.title,
                f.severity_label,
                c.source,
                c.title,
                c.section,
                c.locator,
                c.role or "",
                c.quote,
            ]


def _question_rows(reports: Sequence[Report]) -> Iterable[list[Any]]:
    for r in reports:
        for g in r.data_gaps:
            for q in g.questions:
                yield [
                    *_who(r),
                    g.name,
                    q.question,
                    q.answers,
                    q.path,
                    q.line or None,
                    ", ".join(q.rules),
                ]


def _profile_columns(r: Report) -> tuple[Column, ...]:
    """The columns of the Profiles sheet: the header's fields, then the counts by status."""
    return (
        *(Column(label, 18) for label, _ in r.header.fields()),
        Column("Illustrative", 11),
        *(Column(c.label, 11) for c in r.summary.counts),
        Column("Summary", 100),
    )


def _profile_row(r: Report) -> list[Any]:
    return [
        *(
            r.header.rules_evaluated if label == "Rules evaluated" else value
            for label, value in r.header.fields()
        ),
        r.header.illustrative,
        *(c.count for c in r.summary.counts),
        " ".join(r.summary.sentences),
    ]


GAP_TABLES = (
    ("Summary", SUMMARY_COLUMNS, _summary_rows),
    ("Findings", FINDING_COLUMNS, _finding_rows),
    ("Citations", CITATION_COLUMNS, _citation_rows),
    ("Questions to answer", QUESTION_COLUMNS, _question_rows),
)
"""The sheets of the gap report before Profiles: title, columns and a report's rows."""
_CITATIONS = 2
"""The index in `GAP_TABLES` of Citations, whose rows are written once per rule."""


@dataclass(frozen=True)
class XlsxPiece:
    """One profile's part of the gap report's workbook: its rows of every sheet."""

    as_of: Any
    """The profile's `as_of` (the document is dated with the latest)."""
    profile_columns: tuple[Column, ...]
    """The columns of the Profiles sheet (the first profile's are the sheet's)."""
    packed: bytes
    """The rows of each sheet of `GAP_TABLES`, then the row of Profiles: pickled by this
    process or its worker (never read from elsewhere) and compressed."""

    def tables(self) -> tuple[list[Any], ...]:
        """The rows of each sheet of `GAP_TABLES`, then the row of Profiles."""
        return pickle.loads(zlib.decompress(self.packed))


def gap_piece(assessment: Assessment) -> XlsxPiece:
    """One profile's rows of every sheet, compressed (kept on disk by `check`)."""
    r = build_report(assessment)
    tables = (*(list(rows([r])) for _, _, rows in GAP_TABLES), _profile_row(r))
    packed = zlib.compress(pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL), 1)
    return XlsxPiece(assessment.profile.as_of, _profile_columns(r), packed)


def write_gap_workbook(pieces: Iterable[XlsxPiece], target: IO[bytes]) -> None:
    """The gap report's workbook, written into `target` from the pieces taken one at a
    time, as they come: each profile's rows go to the end of every sheet at once."""
    with workbook() as wb:
        tables = [Table(wb, title, columns) for title, columns, _ in GAP_TABLES]
        profiles: Table | None = None  # no profile, no Profiles sheet
        when = EPOCH
        cited: set[str] = set()  # the rules whose quotations are written
        for piece in pieces:
            *rows, profile_row = piece.tables()
            rows[_CITATIONS] = [row for row in rows[_CITATIONS] if row[0] not in cited]
            cited.update(row[0] for row in rows[_CITATIONS])
            for table, table_rows in zip(tables, rows, strict=True):
                table.add(table_rows)
            if profiles is None:  # the first report's columns (every report has the same)
                profiles = Table(wb, "Profiles", piece.profile_columns)
            profiles.add([profile_row])
            when = max(when, stamp([piece.as_of]))
        for table in (*tables, *([profiles] if profiles else [])):
            table.close()
        save_workbook(wb, when, target)


def render_xlsx(assessments: Iterable[Assessment]) -> bytes:
    """The gap report of every assessment as one workbook (bytes of an .xlsx file); the
    assessments are read one at a time as the workbook is written (an iterator is consumed
    as it goes)."""
    out = io.BytesIO()
    write_gap_workbook((gap_piece(a) for a in assessments), out)
    return out.getvalue()
