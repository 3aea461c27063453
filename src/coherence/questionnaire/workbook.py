"""`coherence questionnaire`: the profile as an XLSX workbook that goes round the ministries.

One sheet per section, one row per question. Question cells are locked (the sheets are
protected without a password, against slips rather than people); answer cells are free,
with drop-down lists where the answers are a closed set. `--from` pre-fills the answers
of an existing profile; `--ministry` keeps only the questions one ministry owns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from coherence.profile.answers import ANSWER_VALUES, GROUPS
from coherence.profile.model import REVIEW_SECTIONS, Profile
from coherence.questionnaire.layout import (
    AGREEMENT_COLUMNS,
    BODY_COLUMNS,
    CELLS_BY_KIND,
    EVIDENCE_COLUMNS,
    ILO_VALUES,
    LIST_ROWS,
    MARKER,
    PROFILE_COLUMNS,
    REVIEW_COLUMNS,
    REVIEW_VALUES,
    SHEET_TITLES,
    UN_VALUES,
    WAIVER_COLUMNS,
    YES_NO,
    Column,
    columns_for,
)
from coherence.questionnaire.questions import (
    MINISTRIES,
    QUESTION_SECTIONS,
    SECTION_OWNER,
    Ministry,
    Question,
    questions,
)
from coherence.questionnaire.rows import Extras, agreement_cells, body_cells, to_row
from coherence.spreadsheet import set_cell, workbook_bytes
from coherence.wording import series

_HEADER_FILL = PatternFill("solid", fgColor="1F3864")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_UNUSED_FILL = PatternFill("solid", fgColor="D9D9D9")
_FREE = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_FIXED_TIME = dt.datetime(2000, 1, 1)
"""Workbook timestamps: fixed, so the same inputs give the same bytes."""

FOR_THE_RECORD = "(For the record: no check reads this answer yet.)"
"""Added under a question that no rule of the catalogue reads."""
RECORD_NOTE = (
    "Questions marked 'For the record' are part of the profile, but no check of coherence's "
    "catalogue reads them yet: their answers change no finding or score. Answer them when "
    "you can; the checks come first."
)

INSTRUCTIONS: tuple[str, ...] = (
    "How to answer this questionnaire",
    (
        "This workbook asks the questions of a coherence country profile (profile format 2). "
        "Each sheet holds one part of the profile; each row one question. Grey cells are the "
        "questions and cannot be changed; white cells are yours."
    ),
    (
        "Answer: choose yes, partial, no, unknown or not_applicable from the list. yes: the "
        "law or policy provides it. partial: it does, in part only (say in the Note what is "
        "missing). no: it does not."
    ),
    (
        "unknown means 'we do not know': the report lists it as data to collect, never as a "
        "gap. not_applicable means the question does not apply to your country. A question "
        "left empty is treated like unknown."
    ),
    (
        "In practice: how the answer is applied in practice (yes, partial, no, unknown). "
        "Leave it empty if it has not been assessed. Where practice is worse than the law, "
        "the finding is at most partial."
    ),
    (
        "Groups left out: the groups or sectors the answer leaves out, separated by commas, "
        f"from: {', '.join(GROUPS)}."
    ),
    (
        "Agreements: the Agreements sheet lists every bilateral labour agreement, one row "
        "each, with its partner as an ISO code (QAT) or exact name (Qatar); delete a row to "
        "remove an agreement. The Partners cell of the question is a quick list (QAT, MYS) "
        "for when the sheet is left empty; if both are filled they must name the same "
        "partners."
    ),
    (
        "Coordination bodies: one row per body on the Coordination bodies sheet, with its "
        "members one per line (Alt+Enter in Excel)."
    ),
    (
        "Lists of countries (ISO codes such as QAT, separated by commas) or of ministries (one "
        "per line): write none when there are none (a country of destination only has no main "
        "countries of destination); leave the cell empty when the list is not known."
    ),
    (
        f"Instruments: UN treaties are {series(UN_VALUES)}; accession counts as ratification. "
        f"ILO conventions are {series(ILO_VALUES)}: they are never signed. Incorporated in "
        "national law: whether national law reflects the instrument; Incorporation in "
        "practice: how that law is applied (yes, partial, no, unknown), empty if not assessed."
    ),
    (
        "Dates: write a year (2002), a month (2002-05) or a day as YYYY-MM-DD (2002-05-01). A"
        " date such as 31/12/2024 is refused, because it could be read two ways."
    ),
    (
        "Evidence: the law, regulation or report that supports the answer: its title, "
        "article, link (https://...) and date. Further documents, and reports on practice, go"
        " on the More evidence sheet, one row each, with the question's Field."
    ),
    (
        "Answered by: your name and unit. Responsible ministry: the ministry expected to "
        "answer; change it if another holds the file."
    ),
    (
        "When the workbooks come back, the focal point runs: coherence import "
        "WORKBOOK.xlsx... -o PROFILE.yaml, which reports every problem by workbook, sheet and"
        " cell."
    ),
)
"""The instructions sheet, one paragraph per row."""


def _header(ws: Worksheet, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, 1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "C2" if columns[0].key == "path" else "A2"
    ws.row_dimensions[1].height = 32


class _Lists:
    """The drop-down lists of one sheet: one data validation per list of values."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.by_values: dict[tuple[str, ...], DataValidation] = {}

    def add(self, values: Sequence[str], cell: str) -> None:
        key = tuple(values)
        dv = self.by_values.get(key)
        if dv is None:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(values) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Not one of the answers",
                error="Choose one of: " + ", ".join(values),
            )
            self.ws.add_data_validation(dv)
            self.by_values[key] = dv
        dv.add(cell)


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    # Officials may still widen columns, resize rows, sort and filter.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.sort = False
    ws.protection.autoFilter = False


def _free_cell(cell: XlCell, column: Column) -> None:
    cell.protection = _FREE
    cell.alignment = _WRAP
    if column.text:
        cell.number_format = "@"


def _owner_name(key: str, profile: Profile | None) -> str:
    ministry = next(m for m in MINISTRIES if m.key == key)
    named = getattr(profile.institutions, ministry.institution, None) if profile else None
    return named or ministry.label


def _row_values(question: Question, column: Column) -> tuple[str, ...]:
    if column.key == "answer" and question.kind in ("answer", "agreements", "bodies"):
        return ANSWER_VALUES
    if column.key == "status":
        return UN_VALUES if question.kind == "un_treaty" else ILO_VALUES
    return column.values


def _question_sheet(
    ws: Worksheet,
    section: str,
    asked: Sequence[Question],
    data: dict[str, Any],
    profile: Profile | None,
    extras: Extras,
    unread: frozenset[str],
) -> None:
    columns = columns_for(section)
    _header(ws, columns)
    lists = _Lists(ws)
    for row, question in enumerate(asked, 2):
        cells, more = to_row(question, data.get(question.name))
        extras.evidence.extend(more.evidence)
        extras.agreements.extend(more.agreements)
        extras.bodies.extend(more.bodies)
        cells.setdefault("ministry", _owner_name(question.owner, profile))
        used = CELLS_BY_KIND[question.kind]
        for index, column in enumerate(columns, 1):
            cell = ws.cell(row=row, column=index)
            if column.key == "path":
                set_cell(cell, question.path)
                cell.fill = _LOCKED_FILL
            elif column.key == "question":
                text = question.text.replace("`", "")
                if question.path in unread:
                    text += f"\n{FOR_THE_RECORD}"
                set_cell(cell, text)
                cell.fill = _LOCKED_FILL
                cell.alignment = _WRAP
            elif column.key in used:
                _free_cell(cell, column)
                if cells.get(column.key) is not None:
                    set_cell(cell, cells[column.key])
                values = _row_values(question, column)
                if values:
                    lists.add(values, cell.coordinate)
            else:
                cell.fill = _UNUSED_FILL
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(asked) + 1}"
    _protect(ws)


def _list_sheet(
    ws: Worksheet, columns: Sequence[Column], rows: Sequence[dict[str, Any]], blank: int
) -> None:
    """A sheet of free rows (agreements, bodies, documents, waivers, reviews)."""
    _header(ws, columns)
    lists = _Lists(ws)
    for row in range(2, len(rows) + blank + 2):
        values = rows[row - 2] if row - 2 < len(rows) else {}
        for index, column in enumerate(columns, 1):
            cell = ws.cell(row=row, column=index)
            _free_cell(cell, column)
            if values.get(column.key) is not None:
                set_cell(cell, values[column.key])
            if column.values:
                lists.add(column.values, cell.coordinate)
    _protect(ws)


def _profile_sheet(ws: Worksheet, profile: Profile | None) -> None:
    _header(ws, PROFILE_COLUMNS)
    lists = _Lists(ws)
    data = profile.model_dump(mode="json") if profile else {}
    identity: list[tuple[str, str, Any, tuple[str, ...]]] = [
        ("country.code", "The country's ISO 3166-1 alpha-3 code (e.g. PHL, NPL, DEU)",
         data.get("country", {}).get("code"), ()),
        ("country.name", "The country's name, as the report should print it",
         data.get("country", {}).get("name"), ()),
        ("as_of", "The date the answers describe (YYYY-MM-DD)", data.get("as_of"), ()),
        ("prepared_by", "Who prepared the profile (ministry, unit, consultant)",
         data.get("prepared_by"), ()),
        ("roles", "The country's migration roles: one or more of origin, transit, destination, "
         "separated by commas", ", ".join(data.get("roles", [])) or None, ()),
        ("review_status", "Where the profile stands: " + series(REVIEW_VALUES),
         data.get("review_status", "draft"), REVIEW_VALUES),
        ("illustrative", "yes for a made-up example that describes no real country's policy",
         ("yes" if data.get("illustrative") else "no") if profile else None, YES_NO),
    ]  # fmt: skip
    for row, (path, text, value, values) in enumerate(identity, 2):
        set_cell(ws.cell(row=row, column=1), path)
        set_cell(ws.cell(row=row, column=2), text)
        for col in (1, 2):
            ws.cell(row=row, column=col).fill = _LOCKED_FILL
            ws.cell(row=row, column=col).alignment = _WRAP
        cell = ws.cell(row=row, column=3)
        _free_cell(cell, PROFILE_COLUMNS[2])
        if value is not None:
            set_cell(cell, value)
        if values:
            lists.add(values, cell.coordinate)
    _protect(ws)


def _instructions(ws: Worksheet, ministry: Ministry | None, marked: bool) -> None:
    ws.column_dimensions["A"].width = 120
    lines = list(INSTRUCTIONS)
    if marked:
        lines.append(RECORD_NOTE)
    if ministry is not None:
        lines.insert(1, f"This workbook holds only the questions for: {ministry.label}.")
    for row, line in enumerate(lines, 1):
        cell = ws.cell(row=row, column=1)
        set_cell(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)
    _protect(ws)


def build_workbook(
    profile: Profile | None = None,
    ministry: Ministry | None = None,
    unread: frozenset[str] = frozenset(),
) -> bytes:
    """The questionnaire as XLSX bytes: pre-filled from `profile`, limited to `ministry`.

    The questions whose path is in `unread` (no check of the catalogue reads them) say so
    under their text, so a ministry short of time knows which answers change no finding.
    """
    wb = Workbook()
    wb.properties.creator = "coherence"
    wb.properties.keywords = MARKER
    wb.properties.title = "Migration policy questionnaire"
    wb.properties.lastModifiedBy = "coherence"
    _instructions(wb.active, ministry, bool(unread))
    wb.active.title = SHEET_TITLES["instructions"]
    _profile_sheet(wb.create_sheet(SHEET_TITLES["profile"]), profile)
    data = profile.model_dump(mode="json", exclude_none=True) if profile else {}
    extras = Extras()
    for section in QUESTION_SECTIONS:
        asked = [
            q
            for q in questions()
            if q.section == section and (ministry is None or q.owner == ministry.key)
        ]
        if asked:
            ws = wb.create_sheet(SHEET_TITLES[section])
            _question_sheet(ws, section, asked, data.get(section, {}), profile, extras, unread)
    owns = {q.path for q in questions() if ministry is None or q.owner == ministry.key}
    if "labour_channels.bilateral_agreements" in owns:
        rows = [agreement_cells(a) for a in extras.agreements]
        _list_sheet(wb.create_sheet(SHEET_TITLES["agreements"]), AGREEMENT_COLUMNS, rows, 10)
    if "coordination.coordination_bodies" in owns:
        rows = [body_cells(b) for b in extras.bodies]
        _list_sheet(wb.create_sheet(SHEET_TITLES["bodies"]), BODY_COLUMNS, rows, 5)
    documents = [
        {"path": path, "kind": kind, **document} for path, kind, document in extras.evidence
    ]
    _list_sheet(wb.create_sheet(SHEET_TITLES["evidence"]), EVIDENCE_COLUMNS, documents, LIST_ROWS)
    if ministry is None:
        waivers = data.get("waivers", [])
        _list_sheet(wb.create_sheet(SHEET_TITLES["waivers"]), WAIVER_COLUMNS, waivers, 10)
        reviews = data.get("reviews", {})
        rows = [
            {
                "section": name,
                # A blank workbook suggests owners; a pre-filled one keeps the profile's.
                **({} if profile else {"owner": _owner_name(SECTION_OWNER[name], None)}),
                **(reviews.get(name) or {}),
            }
            for name in REVIEW_SECTIONS
        ]
        ws = wb.create_sheet(SHEET_TITLES["review"])
        _list_sheet(ws, REVIEW_COLUMNS, rows, 0)
        for row in range(2, len(rows) + 2):  # the section names are the sheet's keys
            ws.cell(row=row, column=1).protection = Protection(locked=True)
            ws.cell(row=row, column=1).fill = _LOCKED_FILL
    return workbook_bytes(wb, _FIXED_TIME)
