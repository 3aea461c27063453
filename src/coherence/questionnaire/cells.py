"""Reading one questionnaire workbook: its sheets and cells, as rows of values located at
`workbook!sheet!cell` (`coherence.questionnaire.read` merges the workbooks into a profile).

Every read is bounded: the file size, the unpacked size (a zip bomb stops here) and the rows
per sheet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import io
import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coherence.diagnostics import Diagnostic, InputError
from coherence.questionnaire.layout import MARKER, SHEET_TITLES, Column, columns_for
from coherence.textinput import read_limited

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
"""A questionnaire is a few hundred kilobytes; larger files are refused unread."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""XLSX is a zip archive: the unpacked size is bounded too (a zip bomb stops here)."""
MAX_ROWS = 5_000
"""Rows read per sheet; the questionnaire has about 140."""

_TEXT_KEYS = {
    "question",
    "note",
    "answered_by",
    "evidence_title",
    "evidence_article",
    "evidence_url",
    "title",
    "article",
    "url",
    "covers",
    "monitored_note",
    "incorporated_note",
    "reservations",
    "name",
    "mandate",
    "meets",
    "justification",
    "approved_by",
    "owner",
    "reviewed_by",
    "rule",
}
"""Columns whose numbers are text (an article `12`), unlike a year or a count."""
_DATE_KEYS = {"date", "evidence_date", "expires", "reviewed_on"}
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_SHEETS = {title: key for key, title in SHEET_TITLES.items()}
UNREADABLE = frozenset({"unreadable", "not-xlsx", "too-large", "not-questionnaire"})
"""Problems that mean a workbook could not be read at all (exit 2, as in `validate`)."""


@dataclass(frozen=True)
class CellRef:
    """A cell of a workbook, as messages name it."""

    book: str
    sheet: str
    coordinate: str
    order: tuple[int, int, int, int] = (0, 0, 0, 0)
    """(book, sheet, row, column) in reading order, to sort messages."""

    def __str__(self) -> str:
        return f"{self.book}!{self.sheet}!{self.coordinate}"


@dataclass
class _Sheet:
    key: str
    ref: CellRef
    rows: list[dict[str, tuple[Any, CellRef]]]
    """Per row: column key -> (value, cell), for every column (value None when empty)."""


def cell_problem(ref: CellRef | str, code: str, message: str, path: str = "") -> Diagnostic:
    """A problem located at a cell (`book!sheet!cell`) or at a workbook or sheet."""
    return Diagnostic(str(ref), 0, 0, code, message, path)


def _slashed_date(text: str) -> str | None:
    """Why `31/12/2024` is refused, with the ISO form(s) it may mean."""
    match = _SLASHED.match(text)
    if not match:
        return None
    a, b, year = (int(g) for g in match.groups())
    readings = []
    for day, month in ((a, b), (b, a)):
        with contextlib.suppress(ValueError):  # 31/12 has one reading, 3/4 two
            readings.append(dt.date(year, month, day).isoformat())
    readings = sorted(set(readings))
    if not readings:
        return f"{text!r} is not a date; write it as YYYY-MM-DD"
    meant = " or ".join(readings)
    return f"{text!r} is not a date; write it as YYYY-MM-DD ({meant})"


def _value(raw: Any, key: str, ref: CellRef, problems: list[Diagnostic]) -> Any:
    """A cell's value as a profile holds it: text stripped, whole numbers as integers,
    spreadsheet dates as ISO dates; None for an empty cell."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0):
            problems.append(
                cell_problem(ref, "date", "give a date (YYYY-MM-DD), not a date and time")
            )
            return None
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (int, float)):
        return str(raw) if key in _TEXT_KEYS else raw
    text = str(raw).strip()
    if not text:
        return None
    if key in _DATE_KEYS or key == "value":
        why = _slashed_date(text)
        if why:
            problems.append(cell_problem(ref, "date", why))
    return text


def _open(path: Path, problems: list[Diagnostic]) -> Any:
    """The workbook at `path`, or None with the reason in `problems`."""
    from openpyxl import load_workbook

    shown = str(path)
    try:
        raw = read_limited(path, MAX_WORKBOOK_BYTES)
    except InputError as exc:
        problems.extend(exc.diagnostics)
        return None
    except OSError as exc:
        problems.append(cell_problem(shown, "unreadable", f"cannot read: {exc.strerror or exc}"))
        return None
    not_xlsx = "is not an XLSX workbook (save it from your spreadsheet as .xlsx)"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        problems.append(cell_problem(shown, "not-xlsx", f"the file {not_xlsx}"))
        return None
    if unpacked > MAX_UNPACKED_BYTES:
        problems.append(
            cell_problem(
                shown,
                "too-large",
                f"the workbook unpacks to {unpacked:,} bytes; the limit is {MAX_UNPACKED_BYTES:,}",
            )
        )
        return None
    try:
        with warnings.catch_warnings():
            # Spreadsheet programs add extensions openpyxl does not read; they do not matter.
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.append(
            cell_problem(shown, "not-xlsx", f"the file {not_xlsx} ({type(exc).__name__})")
        )
        return None


def _headers(ws: Any, columns: Sequence[Column]) -> dict[int, Column]:
    wanted = {c.header.strip().lower(): c for c in columns}
    found: dict[int, Column] = {}
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    for index, header in enumerate(first):
        if isinstance(header, str) and header.strip().lower() in wanted:
            found[index] = wanted[header.strip().lower()]
    return found


def _read_sheet(
    ws: Any, key: str, book: str, book_no: int, sheet_no: int, problems: list[Diagnostic]
) -> _Sheet | None:
    from openpyxl.utils import get_column_letter

    columns = columns_for(key)
    headers = _headers(ws, columns)
    sheet_ref = CellRef(book, ws.title, "A1", (book_no, sheet_no, 1, 1))
    missing = [c.header for c in columns if c.key in ("path",) and c not in headers.values()]
    if missing or not headers:
        lost = missing[0] if missing else columns[0].header
        problems.append(
            cell_problem(
                sheet_ref,
                "columns",
                f"the header row has lost its column {lost!r}; restore it from a fresh "
                "`coherence questionnaire`",
            )
        )
        return None
    rows = []
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
        if number > MAX_ROWS + 1:
            problems.append(
                cell_problem(
                    sheet_ref, "too-large", f"more than {MAX_ROWS:,} rows; the rest ignored"
                )
            )
            break
        row: dict[str, tuple[Any, CellRef]] = {}
        for index, column in headers.items():
            raw = values[index] if index < len(values) else None
            ref = CellRef(
                book,
                ws.title,
                f"{get_column_letter(index + 1)}{number}",
                (book_no, sheet_no, number, index + 1),
            )
            row[column.key] = (_value(raw, column.key, ref, problems), ref)
        if any(v is not None for v, _ in row.values()):
            rows.append(row)
    return _Sheet(key, sheet_ref, rows)


def read_book(path: Path, book_no: int, problems: list[Diagnostic], notes: list[Diagnostic]):
    """The questionnaire sheets of one workbook, as rows of located values; what cannot be
    read goes to `problems`, sheets that are not the questionnaire's to `notes`."""
    wb = _open(path, problems)
    if wb is None:
        return []
    book = path.name
    try:
        titles = wb.sheetnames
        ours = (wb.properties.keywords or "") == MARKER or "Profile" in titles
        if not ours:
            problems.append(
                cell_problem(
                    str(path),
                    "not-questionnaire",
                    "this workbook is not a coherence questionnaire; start from one written "
                    "by `coherence questionnaire`",
                )
            )
            return []
        sheets = []
        for sheet_no, title in enumerate(titles, 1):
            key = _SHEETS.get(title.strip())
            ws = wb[title]
            if key is None:
                close = difflib.get_close_matches(title, list(_SHEETS), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                notes.append(
                    cell_problem(
                        f"{book}!{title}",
                        "unknown-sheet",
                        f"the sheet is not part of the questionnaire and was not read{hint}",
                    )
                )
                continue
            if key == "instructions":
                continue
            sheet = _read_sheet(ws, key, book, book_no, sheet_no, problems)
            if sheet is not None:
                sheets.append(sheet)
        return sheets
    finally:
        wb.close()
