"""Reading one questionnaire workbook: its sheets and cells, as rows of values located at
`workbook!sheet!cell` (`coherence.questionnaire.read` merges the workbooks into a profile).

Every read is bounded: the file size, the unpacked size (a zip bomb stops here) and the rows
per sheet.
"""

from __future__ import annotations

import io
import itertools
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coherence.diagnostics import Diagnostic, InputError
from coherence.filekinds import as_xlsx_advice, kind_of
from coherence.questionnaire.language import (
    LANGUAGES,
    LIST_COLUMNS,
    LISTED_FIELDS,
    VALUE_COLUMNS,
    Language,
    by_titles,
    language,
)
from coherence.questionnaire.layout import MARKER
from coherence.questionnaire.rows import NONE_LISTED
from coherence.questionnaire.sheets import match_headers, unknown_sheet
from coherence.questionnaire.values import CellRef, cell_problem, cell_value
from coherence.textinput import read_limited, shown_name

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
"""A questionnaire is a few hundred kilobytes; larger files are refused unread."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""XLSX is a zip archive: the unpacked size is bounded too (a zip bomb stops here)."""
MAX_ROWS = 5_000
"""Rows read per sheet; the questionnaire has about 140."""

MAX_SHEET_ROW = 1_048_576
"""The last row a spreadsheet has: a row number past it comes from a damaged file."""
UNREADABLE = frozenset({"unreadable", "not-xlsx", "too-large", "not-questionnaire", "damaged"})
"""Problems that mean a workbook could not be read at all (exit 2, as in `validate`)."""


@dataclass
class _Sheet:
    key: str
    ref: CellRef
    rows: list[dict[str, tuple[Any, CellRef]]]
    """Per row: column key -> (value, cell), for every column (value None when empty)."""
    lang: Language | None = None
    """The workbook's language, so that messages name its sheets as the ministry sees them."""


def _open(path: Path, problems: list[Diagnostic]) -> Any:
    """The workbook at `path`, or None with the reason in `problems`."""
    from openpyxl import load_workbook

    shown = shown_name(path)
    try:
        raw = read_limited(path, MAX_WORKBOOK_BYTES)
    except InputError as exc:
        problems.extend(exc.diagnostics)
        return None
    except OSError as exc:
        problems.append(cell_problem(shown, "unreadable", f"cannot read: {exc.strerror or exc}"))
        return None
    not_xlsx = "is not an XLSX workbook (save it from your spreadsheet as .xlsx)"
    kind = kind_of(raw)
    if kind is not None and kind != "an XLSX workbook":
        said = f"the file is {kind}, not an XLSX workbook: {as_xlsx_advice(kind)}"
        problems.append(cell_problem(shown, "not-xlsx", said))
        return None
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
            return load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged file
        damaged = "the file is not an XLSX workbook, or a damaged one: " + as_xlsx_advice(
            "an XLSX workbook"
        )
        problems.append(cell_problem(shown, "not-xlsx", damaged))
        return None


class _Damaged(Exception):
    """A sheet's XML could not be read (openpyxl parses a read-only sheet as it is iterated)."""

    def __init__(self, after: int):
        super().__init__(after)
        self.after = after
        """The rows read before the damage (0: none)."""


def _guarded(rows: Any, first: int = 1) -> Any:
    """The rows of `rows` (an openpyxl iterator from row `first`), turning whatever the parser
    raises on a damaged sheet (a cut-off file, a cell whose type and value disagree, a bad cell
    address) into `_Damaged`, as it does a row number past the last a spreadsheet has (the
    rows before it would come one by one, empty: billions of them)."""
    number = first - 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds for a damaged sheet
            raise _Damaged(number) from exc
        number += 1
        if number > MAX_SHEET_ROW:
            raise _Damaged(MAX_SHEET_ROW)
        yield row


def _damaged(book: str, title: str, after: int) -> Diagnostic:
    where = f"after row {after:,}" if after else "from its first row"
    return cell_problem(
        f"{book}!{title}",
        "damaged",
        f"the sheet cannot be read {where}: the file is damaged (it was cut short or changed "
        "by a program other than a spreadsheet); open the workbook in your spreadsheet "
        "program, save it again as .xlsx and import it again",
    )


def _read_sheet(
    ws: Any,
    key: str,
    of_book: tuple[str, int, Language],
    sheet_no: int,
    problems: list[Diagnostic],
    notes: list[Diagnostic],
) -> _Sheet | None:
    """The rows of a sheet, `of_book`: the workbook's name, number and language."""
    from openpyxl.utils import get_column_letter

    book, book_no, lang = of_book
    columns = lang.columns(key)
    first = next(_guarded(ws.iter_rows(min_row=1, max_row=1, values_only=True)), ())
    headers, lost = match_headers(first, columns)
    sheet_ref = CellRef(book, ws.title, "A1", (book_no, sheet_no, 1, 1))
    for index, message in lost:
        letter = get_column_letter(index + 1)
        at = CellRef(book, ws.title, f"{letter}1", (book_no, sheet_no, 1, index + 1))
        problems.append(cell_problem(at, "columns", message))
    if lost:
        return None
    rows = []
    # A column of the official's own (comments, a confidence level): not read, and said so.
    own = {i: h for i, h in enumerate(first) if i not in headers and str(h or "").strip()}
    kept: dict[int, int] = dict.fromkeys(own, 0)
    # Without the sheet's stated size each row is as wide as its own last cell, and rows missing
    # from the file come as one empty list: a stray value at XFD1048576 costs nothing to find.
    ws.reset_dimensions()
    read = _guarded(ws.iter_rows(min_row=2), first=2)
    for number, values in enumerate(read, 2):
        if number > MAX_ROWS + 1:
            stray = _values_past(values, read, number)
            if stray:
                (row, column), *_ = stray
                at = CellRef(
                    book, ws.title, _coordinate(row, column), (book_no, sheet_no, row, column)
                )
                problems.append(cell_problem(at, "too-large", _too_far(stray)))
            break
        row: dict[str, tuple[Any, CellRef]] = {}
        for index, column in headers.items():
            cell = values[index] if index < len(values) else None
            ref = CellRef(
                book,
                ws.title,
                f"{get_column_letter(index + 1)}{number}",
                (book_no, sheet_no, number, index + 1),
            )
            row[column.key] = (cell_value(cell, column.key, ref, problems), ref)
        if any(v is not None for v, _ in row.values()):
            rows.append(_in_english(row, lang) if lang.code != "en" else row)
        for index in own:
            cell = values[index] if index < len(values) else None
            if getattr(cell, "value", None) not in (None, ""):
                kept[index] += 1
    for index, count in kept.items():
        if count:
            letter = get_column_letter(index + 1)
            header = str(own[index]).strip()
            twice = header.lower() in {c.header.strip().lower() for c in columns}
            note = next((c.header for c in columns if c.key == "note"), "Note")
            where = f"{book}!{ws.title}!{letter}1"
            notes.append(_own_column(where, header, count, twice, note))
    return _Sheet(key, sheet_ref, rows, lang)


def _own_column(where: str, header: str, count: int, twice: bool, note: str) -> Diagnostic:
    """The warning for a column the import does not read (one the questionnaire does not
    have, or a second one of the same header), holding `count` values; `note`: the header
    of the Note column in the workbook's language."""
    what = "is there twice" if twice else "is not one of the questionnaire's"
    values = "value is" if count == 1 else "values are"
    return Diagnostic(
        where,
        0,
        0,
        "unknown-column",
        f"the column {header!r} {what}: its {count} {values} not imported; put what the "
        f"profile should keep in the questionnaire's own columns (the {note!r} column for "
        "comments)",
        severity="warning",
    )


def _in_english(row: dict[str, tuple[Any, CellRef]], lang: Language) -> dict:
    """A row of a French or Spanish workbook with its labels read back as the values
    (`oui` -> `yes`); English values typed in stay as they are."""
    field = row.get("path", (None,))[0]
    for key, (value, ref) in row.items():
        if key in VALUE_COLUMNS:
            row[key] = (lang.from_label(value), ref)
        elif key == "reservations" and lang.from_label(value) == NONE_LISTED:
            row[key] = (NONE_LISTED, ref)  # `aucun`, `ninguno`: none made, like an empty list
        elif key in LIST_COLUMNS or (key == "value" and LISTED_FIELDS.get(str(field))):
            row[key] = (lang.from_list(value), ref)
        elif key == "value" and str(field) in LISTED_FIELDS:
            row[key] = (lang.from_label(value), ref)
    return row


def workbook_language(wb: Any) -> Language:
    """The language a workbook was written in: recorded in its properties by `coherence
    questionnaire`, else the one whose sheet titles it has (a program that dropped it)."""
    recorded = str(getattr(wb.properties, "language", None) or "").strip().lower()
    return language(recorded) if recorded in LANGUAGES else by_titles(wb.sheetnames)


def _values_past(first: Any, rest: Any, number: int) -> list[tuple[int, int]]:
    """(row, column) of the first cells that hold a value from row `number` on (`first` is
    that row, `rest` the rows after it): at most four, enough to say where they are."""
    found: list[tuple[int, int]] = []
    for row, cells in enumerate(itertools.chain([first], rest), number):
        for column, cell in enumerate(cells, 1):
            if getattr(cell, "value", None) not in (None, ""):
                found.append((row, column))
                if len(found) > 3:
                    return found
    return found


def _coordinate(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def _too_far(stray: list[tuple[int, int]]) -> str:
    """Why values past the rows a sheet may have stop the import, and where they are."""
    limit = f"a questionnaire sheet holds at most {MAX_ROWS:,} rows of answers"
    if len(stray) == 1:
        (row, column), *_ = stray
        return (
            f"a value at {_coordinate(row, column)}, on row {row:,}: {limit}, so the workbook "
            "is refused; delete that value (a stray entry?) and import again"
        )
    cells = ", ".join(_coordinate(*c) for c in stray[:3]) + (" and more" if len(stray) > 3 else "")
    return (
        f"values on rows past {MAX_ROWS + 1:,}, at {cells}: {limit}, so the workbook is "
        f"refused; delete the rows past row {MAX_ROWS + 1:,} and import again"
    )


def book_names(paths: Sequence[Path]) -> list[str]:
    """How messages name each workbook: its file name, with as many of its folders as it
    takes to tell apart two workbooks of the same name (`labour/q.xlsx`, `interior/q.xlsx`)."""
    names = [path.name for path in paths]
    for depth in range(2, max((len(p.parts) for p in paths), default=1) + 1):
        clash = {n for n in names if names.count(n) > 1}
        if not clash:
            break
        pairs = zip(paths, names, strict=True)
        names = ["/".join(p.parts[-depth:]) if n in clash else n for p, n in pairs]
    shown = [str(p) if names.count(n) > 1 else n for p, n in zip(paths, names, strict=True)]
    return [shown_name(name) for name in shown]  # a name that is not UTF-8 is written too


def _unknown(
    ws: Any, book: str, titles: list[str], problems: list[Diagnostic], notes: list, lang: Language
):
    """A sheet the questionnaire does not have: an error if answers would be lost."""
    first = next(_guarded(ws.iter_rows(min_row=1, max_row=1, values_only=True)), ())
    rest = ws.iter_rows(min_row=2, max_row=MAX_ROWS, max_col=1, values_only=True)
    fields = (r[0] for r in _guarded(rest, first=2))
    present = {t.strip() for t in titles}
    severity, message = unknown_sheet(ws.title, first, fields, present, lang)
    found = Diagnostic(f"{book}!{ws.title}", 0, 0, "unknown-sheet", message, severity=severity)
    (problems if severity == "error" else notes).append(found)


def read_book(
    path: Path,
    book_no: int,
    problems: list[Diagnostic],
    notes: list[Diagnostic],
    book: str | None = None,
) -> list[_Sheet]:
    """The questionnaire sheets of one workbook (named `book` in messages), as rows of located
    values; what cannot be read goes to `problems`, sheets that are not the questionnaire's to
    `problems` if they hold answers, else to `notes`."""
    wb = _open(path, problems)
    if wb is None:
        return []
    book = book or path.name
    try:
        titles = wb.sheetnames
        lang = workbook_language(wb)
        profiles = {language(code).title("profile") for code in LANGUAGES}
        ours = (wb.properties.keywords or "") == MARKER or bool(profiles & set(titles))
        if not ours:
            problems.append(
                cell_problem(
                    shown_name(path),
                    "not-questionnaire",
                    "this workbook is not a coherence questionnaire; start from one written "
                    "by `coherence questionnaire`",
                )
            )
            return []
        sheets = []
        for sheet_no, title in enumerate(titles, 1):
            key = lang.sheet_keys.get(title.strip())
            if key == "instructions":
                continue
            try:
                ws = wb[title]
                if key is None:
                    _unknown(ws, book, titles, problems, notes, lang)
                    continue
                sheet = _read_sheet(ws, key, (book, book_no, lang), sheet_no, problems, notes)
            except _Damaged as exc:
                problems.append(_damaged(book, title, exc.after))
                continue
            if sheet is not None:
                sheets.append(sheet)
        return sheets
    finally:
        wb.close()
