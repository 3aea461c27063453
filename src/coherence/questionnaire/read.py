"""`coherence import`: questionnaire workbooks back into one validated profile.

Every problem is reported at `workbook!sheet!cell` with the messages `validate` gives for
a YAML file. Several workbooks (one per ministry) are merged: the same answer given twice
is fine, two different answers to one question are an error that names both cells.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coherence.diagnostics import Diagnostic, InputError
from coherence.profile.model import FORMAT_VERSION, REVIEW_SECTIONS, Profile
from coherence.profile.validate import diagnostics_for, review_diagnostics
from coherence.questionnaire.layout import MARKER, SHEET_TITLES, Column, columns_for
from coherence.questionnaire.questions import Question, questions
from coherence.questionnaire.rows import (
    Read,
    Where,
    agreement_from,
    body_from,
    country_code,
    evidence_from,
    from_row,
    split_list,
)
from coherence.yamlsource import YamlDocument, read_limited

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
_STOPS = UNREADABLE | {"columns"}
"""Problems after which the answers read cannot be validated usefully."""


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


@dataclass
class Imported:
    """The result of reading workbooks: a profile or the problems that stop it."""

    profile: Profile | None
    problems: list[Diagnostic]
    warnings: list[Diagnostic] = field(default_factory=list)
    answered: int = 0
    """Questions answered (a non-empty answer, status or name)."""


def _problem(ref: CellRef | str, code: str, message: str, path: str = "") -> Diagnostic:
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
            problems.append(_problem(ref, "date", "give a date (YYYY-MM-DD), not a date and time"))
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
            problems.append(_problem(ref, "date", why))
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
        problems.append(_problem(shown, "unreadable", f"cannot read: {exc.strerror or exc}"))
        return None
    not_xlsx = "is not an XLSX workbook (save it from your spreadsheet as .xlsx)"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        problems.append(_problem(shown, "not-xlsx", f"the file {not_xlsx}"))
        return None
    if unpacked > MAX_UNPACKED_BYTES:
        problems.append(
            _problem(
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
        problems.append(_problem(shown, "not-xlsx", f"the file {not_xlsx} ({type(exc).__name__})"))
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
            _problem(
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
                _problem(sheet_ref, "too-large", f"more than {MAX_ROWS:,} rows; the rest ignored")
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


def _read_book(path: Path, book_no: int, problems: list[Diagnostic], notes: list[Diagnostic]):
    wb = _open(path, problems)
    if wb is None:
        return []
    book = path.name
    try:
        titles = wb.sheetnames
        ours = (wb.properties.keywords or "") == MARKER or "Profile" in titles
        if not ours:
            problems.append(
                _problem(
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
                    _problem(
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


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).lower() == " ".join(b.split()).lower()
    return a == b


class _Merge:
    """Values from several workbooks; different values for one key are conflicts."""

    def __init__(self, problems: list[Diagnostic]):
        self.problems = problems
        self.values: dict[tuple[str, ...], tuple[Any, CellRef]] = {}

    def put(self, key: tuple[str, ...], value: Any, ref: CellRef, what: str) -> None:
        if value is None:
            self.values.setdefault(key, (None, ref))  # remembered, to locate "missing"
            return
        known = self.values.get(key)
        if known is None or known[0] is None:
            self.values[key] = (value, ref)
        elif not _same(known[0], value):
            self.problems.append(
                _problem(
                    ref,
                    "conflict",
                    f"two different answers to {what}: {known[0]!r} in {known[1]} and "
                    f"{value!r} here; keep one",
                    ".".join(key[:-1]) if len(key) > 1 else key[0],
                )
            )

    def row(self, prefix: tuple[str, ...]) -> tuple[Read, dict[str, CellRef]]:
        """The non-empty cells under `prefix`, and every cell's place (empty ones too)."""
        cells: Read = {}
        places: dict[str, CellRef] = {}
        for key, (value, ref) in self.values.items():
            if key[:-1] == prefix:
                places[key[-1]] = ref
                if value is not None:
                    cells[key[-1]] = (value, ref)
        return cells, places


_DEFAULT_PART = {
    "answer": ("answer",),
    "agreements": ("answer",),
    "bodies": ("answer",),
    "un_treaty": ("status",),
    "ilo_convention": ("status",),
    "count": ("value",),
    "names": ("items",),
}
"""The part of an answer a "missing" error points at, by kind: its first cell."""
_FIRST_COLUMN = {"status": "status", "value": "answer", "items": "answer", "answer": "answer"}


def _resolve(data: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The mapping at a dotted path of `data` (numbers are 1-based list positions)."""
    node: Any = data
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and 1 <= int(part) <= len(node):
            node = node[int(part) - 1]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node if isinstance(node, dict) else None


def _documents(sheet_rows, data: dict[str, Any], where: Where, problems: list[Diagnostic]):
    for row in sheet_rows:
        path = row.get("path", (None, None))[0]
        first = next(ref for _, ref in row.values())
        if not path:
            problems.append(
                _problem(first, "evidence-field", "a document without a Field: write the "
                         "question's Field (e.g. rights.equal_treatment) in the first column")
            )  # fmt: skip
            continue
        target = _resolve(data, str(path))
        if target is None:
            problems.append(
                _problem(
                    row["path"][1],
                    "evidence-field",
                    f"{path!r} is not an answered question of this questionnaire; write the "
                    "Field of an answered question (e.g. rights.equal_treatment)",
                )
            )
            continue
        kind = str(row.get("kind", (None,))[0] or "law").strip().lower()
        key = "practice_evidence" if kind == "practice" else "evidence"
        if kind not in ("law", "practice"):
            problems.append(
                _problem(row["kind"][1], "evidence-kind", f"{kind!r}: write law or practice")
            )
            continue
        cells = {k: v for k, v in row.items() if v[0] is not None}
        documents = target.setdefault(key, [])
        at = (*_path_parts(str(path), data), key, len(documents))
        document = evidence_from(cells, "", where, at)
        if document is not None:
            documents.append(document)


def _path_parts(path: str, data: dict[str, Any]) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for part in path.split("."):
        parts.append(int(part) - 1 if part.isdigit() else part)
    return tuple(parts)


def read_workbooks(paths: Sequence[Path]) -> Imported:
    """Read and merge questionnaire workbooks into one validated profile."""
    problems: list[Diagnostic] = []
    notes: list[Diagnostic] = []
    merge = _Merge(problems)
    lists: dict[str, list[dict[str, tuple[Any, CellRef]]]] = {}
    by_path: dict[str, Question] = {q.path: q for q in questions()}
    first_ref: CellRef | None = None
    for book_no, path in enumerate(paths, 1):
        for sheet in _read_book(path, book_no, problems, notes):
            first_ref = first_ref or sheet.ref
            if sheet.key in ("agreements", "bodies", "evidence", "waivers"):
                seen = lists.setdefault(sheet.key, [])
                for row in sheet.rows:
                    plain = {k: v for k, (v, _) in row.items()}
                    if all(plain != {k: v for k, (v, _) in r.items()} for r in seen):
                        seen.append(row)
                continue
            if sheet.key == "review":
                for row in sheet.rows:
                    section = str(row["section"][0] or "").strip()
                    if section not in REVIEW_SECTIONS:
                        problems.append(
                            _problem(row["section"][1], "review-section",
                                     f"{section!r} is not a section; the sections are "
                                     + ", ".join(REVIEW_SECTIONS))
                        )  # fmt: skip
                        continue
                    for column in ("owner", "reviewed_by", "reviewed_on"):
                        value, ref = row[column]
                        merge.put(("reviews", section, column), value, ref, f"reviews.{section}")
                continue
            for row in sheet.rows:
                value, ref = row["path"]
                if sheet.key == "profile":
                    merge.put((str(value),), row["value"][0], row["value"][1], str(value))
                    continue
                question = by_path.get(str(value or "").strip())
                if question is None:
                    close = difflib.get_close_matches(str(value), list(by_path), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    problems.append(
                        _problem(ref, "unknown-question", f"unknown Field {value!r}{hint}")
                    )
                    continue
                for column, (cell, cell_ref) in row.items():
                    if column not in ("path", "question", "ministry"):
                        merge.put((question.path, column), cell, cell_ref, question.path)
    if not merge.values and not problems:
        problems.append(
            _problem(first_ref or str(paths[0]), "empty", "the workbook holds no answers")
        )
    data, where, answered = _assemble(merge, lists, problems)
    if any(p.code in _STOPS for p in problems) or first_ref is None:
        return Imported(None, _sorted(problems), notes, answered)
    fallback = first_ref

    def place(loc: tuple[str | int, ...]) -> tuple[str, int, int]:
        for end in range(len(loc), 0, -1):
            ref = where.get(tuple(loc[:end]))
            if ref is not None:
                return (str(ref), 0, 0)
        return (str(fallback), 0, 0)

    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        document = YamlDocument(str(fallback), data)
        found = [_in_cells(d, data) for d in diagnostics_for(exc, document, place=place)]
        # A cell already explained while reading (a date such as 31/12/2024) is said once.
        told = {p.file for p in problems}
        found = problems + [d for d in found if d.file not in told]
        return Imported(None, _sorted(found, where), notes, answered)
    if problems:
        return Imported(None, _sorted(problems, where), notes, answered)
    review = review_diagnostics(profile, place)
    if review:
        return Imported(None, review, notes, answered)
    return Imported(profile, [], notes, answered)


def _in_cells(diagnostic: Diagnostic, data: dict[str, Any]) -> Diagnostic:
    """A message about free text in an answer, in the workbook's words rather than YAML's."""
    if diagnostic.code != "literal_error" or not diagnostic.path.endswith(".answer"):
        return diagnostic
    node: Any = data
    for part in diagnostic.path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, str) or len(node.split()) < 2:
        return diagnostic
    message = (
        f"{node!r} is not an answer: choose one from the Answer list (partial, if it holds "
        "in part) and write the explanation in the Note column"
    )
    return Diagnostic(diagnostic.file, 0, 0, "free-text", message, diagnostic.path)


def _sorted(problems: list[Diagnostic], where: Where | None = None) -> list[Diagnostic]:
    order = {str(ref): ref.order for ref in (where or {}).values()}
    return sorted(problems, key=lambda d: (order.get(d.file, (9999,)), d.file, d.message))


def _identity(merge: _Merge, data: dict[str, Any], where: Where) -> None:
    for key, (value, ref) in list(merge.values.items()):
        if len(key) != 1:
            continue
        parts = tuple(key[0].split("."))
        if parts not in (
            ("country", "code"),
            ("country", "name"),
            ("as_of",),
            ("prepared_by",),
            ("roles",),
            ("review_status",),
            ("illustrative",),
        ):
            continue
        where[parts] = ref
        if value is None:
            continue
        if parts == ("country", "code"):
            value = country_code(str(value))
        elif parts == ("roles",):
            value = [r.lower() for r in split_list(value)]
            where.update({("roles", i): ref for i in range(len(value))})
        elif parts in (("review_status",), ("illustrative",)):
            value = str(value).strip().lower()
        target = data
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    where.setdefault(("country",), where.get(("country", "code")) or where.get(("country", "name")))


def _assemble(
    merge: _Merge, lists: dict[str, list], problems: list[Diagnostic]
) -> tuple[dict[str, Any], Where, int]:
    data: dict[str, Any] = {"format_version": FORMAT_VERSION}
    where: Where = {}
    _identity(merge, data, where)
    answered = 0
    for question in questions():
        cells, places = merge.row((question.path,))
        at = (question.section, question.name)
        value = from_row(question, cells, where)
        # Point "missing" errors at the cell to fill in.
        for part in _DEFAULT_PART.get(question.kind, ()):
            column = _FIRST_COLUMN[part]
            if column in places:
                where.setdefault((*at, part), places[column])
                where.setdefault(at, places[column])
        if value is None:
            continue
        answered += 1
        data.setdefault(question.section, {})[question.name] = value
    _agreements(lists.get("agreements", []), data, where)
    _bodies(lists.get("bodies", []), data, where)
    for row in lists.get("waivers", []):
        cells = {k: v for k, v in row.items() if v[0] is not None}
        waiver: dict[str, Any] = {}
        index = len(data.setdefault("waivers", []))
        for key, (value, ref) in cells.items():
            waiver[key] = value
            where[("waivers", index, key)] = ref
        where[("waivers", index)] = next(iter(cells.values()))[1]
        data["waivers"].append(waiver)
    for key, (value, ref) in merge.values.items():
        if key[0] == "reviews":
            where[key] = ref
            where.setdefault(key[:2], ref)
            if value is not None:
                data.setdefault("reviews", {}).setdefault(key[1], {})[key[2]] = value
    _documents(lists.get("evidence", []), data, where, problems)
    return data, where, answered


def _agreements(rows: list, data: dict[str, Any], where: Where) -> None:
    if not rows:
        return
    at = ("labour_channels", "bilateral_agreements")
    answer = data.setdefault("labour_channels", {}).setdefault("bilateral_agreements", {})
    listed = answer.setdefault("agreements", [])
    used = [False] * len(listed)
    for row in rows:
        cells = {k: v for k, v in row.items() if v[0] is not None}
        partner = country_code(str(cells["partner"][0])) if "partner" in cells else None
        spot = next(
            (i for i, a in enumerate(listed) if not used[i] and a.get("partner") == partner),
            None,
        )
        if spot is None:
            listed.append({})
            used.append(False)
            spot = len(listed) - 1
        used[spot] = True
        listed[spot] = agreement_from(cells, where, (*at, "agreements", spot))
        where.setdefault((*at, "agreements", spot), next(iter(cells.values()))[1])


def _bodies(rows: list, data: dict[str, Any], where: Where) -> None:
    if not rows:
        return
    at = ("coordination", "coordination_bodies")
    answer = data.setdefault("coordination", {}).setdefault("coordination_bodies", {})
    bodies = answer.setdefault("bodies", [])
    for row in rows:
        cells = {k: v for k, v in row.items() if v[0] is not None}
        where[(*at, "bodies", len(bodies))] = next(iter(cells.values()))[1]
        bodies.append(body_from(cells, where, (*at, "bodies", len(bodies))))


def import_or_raise(paths: Sequence[Path]) -> Profile:
    """The merged, validated profile; raises `InputError` with every problem."""
    result = read_workbooks(paths)
    if result.profile is None:
        raise InputError(result.problems)
    return result.profile
