"""The gap report and the comparison as XLSX workbooks, for consultants who filter and sort.

`render_xlsx(assessments)` (`coherence check --format xlsx`) lays out the same view models as
the Markdown and HTML reports (`coherence.report.views`), one table per sheet:

* **Summary**: one row per profile and score (every theme, overall, consistency across
  themes): score, coverage and band, or why it is not classified;
* **Findings**: one row per finding, in report order (themes in report order, then status);
  what the profile says, the country's evidence, and the citations, one locator per line;
* **Citations**: one row per verified quotation, with the finding's rule id, status and
  severity repeated, so that filtering on a source, a status or a severity needs no lookup;
* **Questions to answer**: the data gaps, one row per question (as the report's
  "Data gaps" section);
* **Profiles**: one row per profile: header, findings by status and the summary sentences.

`render_compare_xlsx(comparison)` (`coherence compare --format xlsx`) has the sheets
**Profiles**, **Scores by theme** (profile × theme: score, coverage and band of each theme),
**SDG domains**, **Findings by status**, **Rules by profile** (rule × profile: the status of
every rule for every profile, with its change mark) and **About** (legends and method).

Every sheet has a bold, frozen header row and an autofilter; text wraps.

Text is never a formula, and the same inputs give the same bytes (`coherence.spreadsheet`):
the document and its zip entries are dated with the latest `as_of` date of the profiles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coherence.findings import Assessment
from coherence.report.formats import FormatError, GapOptions
from coherence.spreadsheet import EPOCH, set_cell, workbook_bytes

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from coherence.report.views.comparison import Comparison
from coherence.report.views.comparison import Comparison
from coherence.report.views.findings import FindingView, ProfileEntry
from coherence.report.views.gap import Report, build_reports


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header and width (in characters)."""

    header: str
    width: int = 16
    number_format: str | None = None


def _set(ws: Worksheet, row: int, col: int, value: Any) -> None:
    """Write one cell (see `coherence.spreadsheet.set_cell`)."""
    set_cell(ws.cell(row=row, column=col), value)


MAX_ROWS = 1_048_576
"""The rows of one worksheet in Excel and LibreOffice (the header included)."""


def _sheet(
    wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> Worksheet:
    """A sheet holding one table: bold frozen header, autofilter, wrapped text, widths."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for j, column in enumerate(columns, start=1):
        _set(ws, 1, j, column.header)
        ws.cell(row=1, column=j).font = bold
        ws.cell(row=1, column=j).alignment = wrap
        ws.column_dimensions[get_column_letter(j)].width = column.width
    last = 1
    for i, row in enumerate(rows, start=2):
        if i > MAX_ROWS:  # Excel would refuse the file, or drop the rows past its last
            raise FormatError(
                f"the sheet {title!r} would need more than {MAX_ROWS:,} rows, the most a "
                "spreadsheet holds: make the XLSX report of fewer profiles at a time, or use "
                "--format csv or json"
            )
        last = i
        for j, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            _set(ws, i, j, value)
            cell = ws.cell(row=i, column=j)
            cell.alignment = wrap
            if column.number_format and isinstance(value, (int, float)):
                cell.number_format = column.number_format
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    return ws


def _workbook() -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)  # sheets are added in order by `_sheet`
    return wb


def _stamp(dates: Iterable[str | dt.date]) -> dt.datetime:
    """The fixed date of the document: the latest `as_of` (never before 1980, for zip)."""
    days = []
    for d in dates:
        try:
            days.append(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)))
        except ValueError:
            continue
    when = dt.datetime.combine(max(days), dt.time()) if days else EPOCH
    return max(when, EPOCH)


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
    *PROFILE_COLUMNS,
    Column("Rule ID", 16),
    Column("Status", 14),
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
    for r, _, f in _findings(reports):
        for c in f.citations:
            yield [
                *_who(r),
                f.rule_id,
                f.status_label,
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


def _profile_sheet(wb: Workbook, reports: Sequence[Report]) -> None:
    if not reports:
        return
    fields = [label for label, _ in reports[0].header.fields()]
    counts = [c.label for c in reports[0].summary.counts]
    columns = (
        *(Column(label, 18) for label in fields),
        Column("Illustrative", 11),
        *(Column(label, 11) for label in counts),
        Column("Summary", 100),
    )
    rows = (
        [
            *(
                r.header.rules_evaluated if label == "Rules evaluated" else value
                for label, value in r.header.fields()
            ),
            r.header.illustrative,
            *(c.count for c in r.summary.counts),
            " ".join(r.summary.sentences),
        ]
        for r in reports
    )
    _sheet(wb, "Profiles", columns, rows)


def render_xlsx(assessments: Sequence[Assessment]) -> bytes:
    """The gap report of every assessment as one workbook (bytes of an .xlsx file)."""
    reports = build_reports(assessments)
    wb = _workbook()
    _sheet(wb, "Summary", SUMMARY_COLUMNS, _summary_rows(reports))
    _sheet(wb, "Findings", FINDING_COLUMNS, _finding_rows(reports))
    _sheet(wb, "Citations", CITATION_COLUMNS, _citation_rows(reports))
    _sheet(wb, "Questions to answer", QUESTION_COLUMNS, _question_rows(reports))
    _profile_sheet(wb, reports)
    return workbook_bytes(wb, _stamp(a.profile.as_of for a in assessments))


def render_compare_xlsx(c: Comparison) -> bytes:
    """The comparison as one workbook (bytes of an .xlsx file)."""
    from coherence.report.views.comparison import (
        METHOD_TEXT,
        class_legend_text,
        domain_cell_text,
        domain_legend_text,
    )
    from coherence.report.views.comparison_parts import CHANGE_MARKS

    wb = _workbook()
    entry = (Column("Profile", 16), Column("Country", 18), Column("As of", 11))

    def who(e) -> list[str]:
        return [e.label, e.country_name, e.as_of]

    _sheet(
        wb,
        "Profiles",
        (*entry, Column("Roles", 22), Column("Review status", 14), Column("File", 36)),
        ([*who(e), ", ".join(e.roles), e.review_status, e.profile_path] for e in c.entries),
    )
    score_columns = [
        column
        for _, name in c.themes
        for column in (
            Column(f"{name}: score", 12, "0.0"),
            Column(f"{name}: coverage (%)", 12, "0.0"),
            Column(f"{name}: band", 24),
        )
    ]
    _sheet(
        wb,
        "Scores by theme",
        (*entry, *score_columns),
        (
            [*who(r.entry), *(v for x in r.cells for v in (x.score, x.coverage, x.band_text))]
            for r in c.theme_rows
        ),
    )
    _sheet(
        wb,
        "SDG domains",
        (*entry, *(Column(f"{code} {name}", 24) for code, name in c.domains)),
        ([*who(r.entry), *(domain_cell_text(d) for d in r.domains)] for r in c.theme_rows),
    )
    _sheet(
        wb,
        "Findings by status",
        (*entry, *(Column(label, 12) for _, label in c.count_columns)),
        ([*who(r.entry), *(n for _, _, n in r.counts)] for r in c.theme_rows),
    )
    _sheet(
        wb,
        "Rules by profile",
        (
            Column("Rule ID", 16),
            Column("Theme", 22),
            Column("Title", 40),
            Column("Severity", 10),
            Column("Profiles differ", 10),
            *(Column(e.label, 18) for e in c.entries),
        ),
        (
            [
                row.rule_id,
                g.name,
                row.title,
                row.severity_label,
                row.varies,
                *((f"{x.label} {x.mark}" if x.mark else x.label) for x in row.cells),
            ]
            for g in c.rule_groups
            for row in g.rows
        ),
    )
    about = [
        class_legend_text(c),
        domain_legend_text(c),
        "Rules by profile: " + " ".join(f"{sym} {text}." for sym, text in CHANGE_MARKS.values()),
        *METHOD_TEXT,
    ]
    if c.illustrative_text:
        about.insert(0, c.illustrative_text)
    _sheet(wb, "About", (Column("About this comparison", 120),), ([p] for p in about))
    return workbook_bytes(wb, _stamp(e.as_of for e in c.entries))


# ---------------------------------------------------------------- the registry's entry points


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> bytes:
    """The gap report as a workbook."""
    return render_xlsx(assessments)


render_comparison = render_compare_xlsx
