"""One cell of a questionnaire workbook: where it is (`CellRef`, named `workbook!sheet!cell`
in messages) and its value as a profile holds it (`cell_value`), or why it cannot hold it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from coherence.diagnostics import Diagnostic
from coherence.spreadsheet import CUT_NOTE
from coherence.yamlsource import UNSAFE_IN_TEXT

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


def cell_value(cell: Any, key: str, ref: CellRef, problems: list[Diagnostic]) -> Any:
    """A cell's value as a profile holds it: text stripped, whole numbers as integers,
    spreadsheet dates as ISO dates; None for an empty cell."""
    raw = getattr(cell, "value", None)
    if raw is None:
        return None
    if getattr(cell, "data_type", None) == "f":
        # A formula's result is saved by some spreadsheet programs and not by others, and
        # may be stale: the profile holds what the ministry states, so it is typed.
        shown = raw if isinstance(raw, str) else "a formula"
        problems.append(
            cell_problem(
                ref,
                "formula",
                f"this cell holds a formula ({shown[:60]}); type the answer itself: the "
                "import reads typed values only, as a formula's result is not always saved",
            )
        )
        return None
    if getattr(cell, "data_type", None) == "e":  # #N/A pasted as a value stays an error
        problems.append(
            cell_problem(
                ref,
                "spreadsheet-error",
                f"this cell holds the spreadsheet error {raw}, not an answer; type the answer "
                "itself (an error copied and pasted as a value, such as #N/A from a lookup, "
                "stays an error)",
            )
        )
        return None
    if isinstance(raw, (dt.date, dt.datetime)) and key in _TEXT_KEYS:
        # A spreadsheet turns text typed as 6-7, 1/2 or Sept 3 into a date: an article or
        # a name would be imported as 2026-06-07 without a word.
        problems.append(
            cell_problem(
                ref,
                "date",
                f"this cell holds the date {raw:%Y-%m-%d}, but its column takes text: a "
                "spreadsheet turns text such as 6-7 or 1/2 into a date; format the cell as "
                "Text and type it again",
            )
        )
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
    if isinstance(raw, bool):  # TRUE as an answer means yes; in a text column, the word
        return ("TRUE" if raw else "FALSE") if key in _TEXT_KEYS else ("yes" if raw else "no")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (int, float)):
        return str(raw) if key in _TEXT_KEYS else raw
    text = str(raw).strip()
    if not text:
        return None
    unsafe = UNSAFE_IN_TEXT.search(text)
    if unsafe is not None:  # `validate` would refuse the profile written with it
        problems.append(cell_problem(ref, "character", _unsafe(ord(unsafe.group()))))
        return None
    if CUT_NOTE in text:
        problems.append(
            cell_problem(
                ref,
                "cut",
                f"this text ends with {CUT_NOTE!r}: `coherence questionnaire --from` cut a "
                "longer text to fit the cell, so its end is not here; shorten the text to "
                "what you want kept and delete the marker",
            )
        )
    if key in _DATE_KEYS or key == "value":
        why = _slashed_date(text)
        if why:
            problems.append(cell_problem(ref, "date", why))
    return text


def _unsafe(code: int) -> str:
    """Why a cell may not hold the character `code` (one of `UNSAFE_IN_TEXT`)."""
    what = "a control character"
    if code in (0x202D, 0x202E):
        what = "a bidirectional override, which makes text read backwards"
    return (
        f"this cell holds character U+{code:04X} ({what}, invisible in most spreadsheets); it "
        "would reach reports and terminals as a hidden command or reversed text: delete it (it "
        "often comes in with text pasted from a web page or a document)"
    )
