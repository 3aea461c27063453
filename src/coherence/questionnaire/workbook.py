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

from coherence.profile.answers import ANSWER_VALUES
from coherence.profile.model import REVIEW_SECTIONS, Profile
from coherence.questionnaire.language import (
    CAPTIONS,
    INSTRUCTIONS,
    LIST_COLUMNS,
    PROFILE_FIELDS,
    VALUE_COLUMNS,
    Language,
    language,
)
from coherence.questionnaire.layout import (
    CELLS_BY_KIND,
    ILO_VALUES,
    LIST_ROWS,
    MARKER,
    REVIEW_VALUES,
    UN_VALUES,
    YES_NO,
    Column,
)
from coherence.questionnaire.questions import (
    MINISTRIES,
    QUESTION_SECTIONS,
    SECTION_OWNER,
    Ministry,
    Question,
    questions,
)
from coherence.questionnaire.rows import NONE_LISTED, Extras, agreement_cells, body_cells, to_row
from coherence.spreadsheet import set_cell, workbook_bytes

_HEADER_FILL = PatternFill("solid", fgColor="1F3864")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_UNUSED_FILL = PatternFill("solid", fgColor="D9D9D9")
_FREE = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_FIXED_TIME = dt.datetime(2000, 1, 1)
"""Workbook timestamps: fixed, so the same inputs give the same bytes."""
FOR_THE_RECORD = CAPTIONS["for_the_record"]
"""Added under a question that no rule of the catalogue reads (in English; see `language`)."""


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
    """The drop-down lists of one sheet: one data validation per list of values, offered
    as the language's labels."""

    def __init__(self, ws: Worksheet, lang: Language):
        self.ws = ws
        self.lang = lang
        self.by_values: dict[tuple[str, ...], DataValidation] = {}

    def add(self, values: Sequence[str], cell: str) -> None:
        key = tuple(values)
        dv = self.by_values.get(key)
        if dv is None:
            labels = [self.lang.value(v) for v in values]
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(labels) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=self.lang.caption("list_error_title"),
                error=self.lang.caption("list_error", values=", ".join(labels)),
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


def _shown(key: str, value: Any, lang: Language) -> Any:
    """A pre-filled value as the workbook's language shows it (`yes` -> `oui`)."""
    if not isinstance(value, str):
        return value
    if key in VALUE_COLUMNS or (key == "reservations" and value == NONE_LISTED):
        return lang.value(value)
    if key in LIST_COLUMNS:
        return ", ".join(lang.value(v) for v in value.split(", "))
    return value


def _owner_name(key: str, profile: Profile | None, lang: Language) -> str:
    ministry = next(m for m in MINISTRIES if m.key == key)
    named = getattr(profile.institutions, ministry.institution, None) if profile else None
    return named or lang.ministry(key)


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
    lang: Language,
) -> None:
    columns = lang.columns(section)
    _header(ws, columns)
    lists = _Lists(ws, lang)
    for row, question in enumerate(asked, 2):
        cells, more = to_row(question, data.get(question.name))
        extras.evidence.extend(more.evidence)
        extras.agreements.extend(more.agreements)
        extras.bodies.extend(more.bodies)
        cells.setdefault("ministry", _owner_name(question.owner, profile, lang))
        used = CELLS_BY_KIND[question.kind]
        for index, column in enumerate(columns, 1):
            cell = ws.cell(row=row, column=index)
            if column.key == "path":
                set_cell(cell, question.path)
                cell.fill = _LOCKED_FILL
            elif column.key == "question":
                text = lang.question(question)
                if question.path in unread:
                    text += "\n" + lang.caption("for_the_record")
                set_cell(cell, text)
                cell.fill = _LOCKED_FILL
                cell.alignment = _WRAP
            elif column.key in used:
                _free_cell(cell, column)
                if cells.get(column.key) is not None:
                    set_cell(cell, _shown(column.key, cells[column.key], lang))
                values = _row_values(question, column)
                if values:
                    lists.add(values, cell.coordinate)
            else:
                cell.fill = _UNUSED_FILL
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(asked) + 1}"
    _protect(ws)


def _list_sheet(
    ws: Worksheet, sheet: str, rows: Sequence[dict[str, Any]], blank: int, lang: Language
) -> None:
    """A sheet of free rows (agreements, bodies, documents, waivers, reviews)."""
    columns = lang.columns(sheet)
    _header(ws, columns)
    lists = _Lists(ws, lang)
    for row in range(2, len(rows) + blank + 2):
        values = rows[row - 2] if row - 2 < len(rows) else {}
        for index, column in enumerate(columns, 1):
            cell = ws.cell(row=row, column=index)
            _free_cell(cell, column)
            if values.get(column.key) is not None:
                set_cell(cell, _shown(column.key, values[column.key], lang))
            if column.values:
                lists.add(column.values, cell.coordinate)
    _protect(ws)


def _profile_sheet(ws: Worksheet, profile: Profile | None, lang: Language) -> None:
    columns = lang.columns("profile")
    _header(ws, columns)
    lists = _Lists(ws, lang)
    data = profile.model_dump(mode="json") if profile else {}
    values: dict[str, Any] = {
        "country.code": data.get("country", {}).get("code"),
        "country.name": data.get("country", {}).get("name"),
        "as_of": data.get("as_of"),
        "prepared_by": data.get("prepared_by"),
        "roles": ", ".join(lang.value(r) for r in data.get("roles", [])) or None,
        "review_status": lang.value(data.get("review_status", "draft")),
        "illustrative": lang.value("yes" if data.get("illustrative") else "no")
        if profile
        else None,
    }
    choices = {"review_status": REVIEW_VALUES, "illustrative": YES_NO}
    for row, path in enumerate(PROFILE_FIELDS, 2):
        set_cell(ws.cell(row=row, column=1), path)
        set_cell(ws.cell(row=row, column=2), lang.profile_question(path))
        for col in (1, 2):
            ws.cell(row=row, column=col).fill = _LOCKED_FILL
            ws.cell(row=row, column=col).alignment = _WRAP
        cell = ws.cell(row=row, column=3)
        _free_cell(cell, columns[2])
        if values[path] is not None:
            set_cell(cell, values[path])
        if path in choices:
            lists.add(choices[path], cell.coordinate)
    _protect(ws)


def _instructions(ws: Worksheet, ministry: Ministry | None, marked: bool, lang: Language) -> None:
    ws.column_dimensions["A"].width = 120
    lines = [lang.caption(key) for key in INSTRUCTIONS]
    if marked:
        lines.append(lang.caption("record_note"))
    if ministry is not None:
        lines.insert(1, lang.caption("only_for", ministry=lang.ministry(ministry.key)))
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
    code: str = "en",
) -> bytes:
    """The questionnaire as XLSX bytes: pre-filled from `profile`, limited to `ministry`,
    in the language `code` (one of `language.LANGUAGES`).

    The questions whose path is in `unread` (no check of the catalogue reads them) say so
    under their text, so a ministry short of time knows which answers change no finding.
    """
    lang = language(code)
    wb = Workbook()
    wb.properties.creator = "coherence"
    wb.properties.keywords = MARKER
    # Where `import` finds the language again (the sheet titles are its fallback).
    wb.properties.language = lang.code
    wb.properties.title = lang.caption("title")
    wb.properties.lastModifiedBy = "coherence"
    _instructions(wb.active, ministry, bool(unread), lang)
    wb.active.title = lang.title("instructions")
    _profile_sheet(wb.create_sheet(lang.title("profile")), profile, lang)
    data = profile.model_dump(mode="json", exclude_none=True) if profile else {}
    extras = Extras()
    for section in QUESTION_SECTIONS:
        asked = [
            q
            for q in questions()
            if q.section == section and (ministry is None or q.owner == ministry.key)
        ]
        if asked:
            ws = wb.create_sheet(lang.title(section))
            data_here = data.get(section, {})
            _question_sheet(ws, section, asked, data_here, profile, extras, unread, lang)
    owns = {q.path for q in questions() if ministry is None or q.owner == ministry.key}
    if "labour_channels.bilateral_agreements" in owns:
        rows = [agreement_cells(a) for a in extras.agreements]
        _list_sheet(wb.create_sheet(lang.title("agreements")), "agreements", rows, 10, lang)
    if "coordination.coordination_bodies" in owns:
        rows = [body_cells(b) for b in extras.bodies]
        _list_sheet(wb.create_sheet(lang.title("bodies")), "bodies", rows, 5, lang)
    documents = [
        {"path": path, "kind": kind, **document} for path, kind, document in extras.evidence
    ]
    ws = wb.create_sheet(lang.title("evidence"))
    _list_sheet(ws, "evidence", documents, LIST_ROWS, lang)
    if ministry is None:
        waivers = data.get("waivers", [])
        _list_sheet(wb.create_sheet(lang.title("waivers")), "waivers", waivers, 10, lang)
        reviews = data.get("reviews", {})
        rows = [
            {
                "section": name,
                # A blank workbook suggests owners; a pre-filled one keeps the profile's.
                **({} if profile else {"owner": _owner_name(SECTION_OWNER[name], None, lang)}),
                **(reviews.get(name) or {}),
            }
            for name in REVIEW_SECTIONS
        ]
        ws = wb.create_sheet(lang.title("review"))
        _list_sheet(ws, "review", rows, 0, lang)
        for row in range(2, len(rows) + 2):  # the section names are the sheet's keys
            ws.cell(row=row, column=1).protection = Protection(locked=True)
            ws.cell(row=row, column=1).fill = _LOCKED_FILL
    return workbook_bytes(wb, _FIXED_TIME)
