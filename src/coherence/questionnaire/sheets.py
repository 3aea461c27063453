"""Recognising a workbook's sheets and columns when an official has renamed or moved them.

The reader finds sheets by their title and columns by their header. Anything it would not
find must be said, never dropped: a renamed or deleted column stops the import at its
header, and a sheet with questionnaire rows under a name that is not the questionnaire's
is an error, because its answers would be missing from the profile without a word.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

from coherence.questionnaire.language import Language
from coherence.questionnaire.layout import SHEET_TITLES, Column
from coherence.questionnaire.questions import questions

_NOT_READ = {"question", "ministry"}
"""Columns the reader does not need (the question's text; who is expected to answer)."""
_ADDED = {"incorporated_practice"}
"""Columns added after workbooks went out: a workbook written before has nothing in them,
so it imports without them."""
_READ_SHEETS = [key for key in SHEET_TITLES if key != "instructions"]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value)


def _stand_in(
    column: Column, position: int, strangers: dict[int, str], alone: bool
) -> tuple[int, bool] | None:
    """The unknown header that took `column`'s place, and whether it looks like a typo."""
    lowered = {index: text.lower() for index, text in strangers.items()}
    close = difflib.get_close_matches(column.header.lower(), list(lowered.values()), n=1)
    if close:
        return next(i for i, t in lowered.items() if t == close[0]), True
    if alone and len(strangers) == 1:
        return next(iter(strangers)), False
    if position in strangers:
        return position, False
    return None


def match_headers(
    first: Sequence[Any], columns: Sequence[Column]
) -> tuple[dict[int, Column], list[tuple[int, str]]]:
    """The columns found by their header (by position, from 0), and for each column the
    reader needs but cannot find: the position to point at and what to say."""
    wanted = {c.header.strip().lower(): c for c in columns}
    found: dict[int, Column] = {}
    strangers: dict[int, str] = {}
    for index, header in enumerate(first):
        text = _text(header)
        column = wanted.get(text.lower())
        if column is not None and column not in found.values():
            found[index] = column
        elif text and column is None:
            strangers[index] = text
    needed = [c for c in columns if c.key not in _NOT_READ | _ADDED]
    missing = [c for c in needed if c not in found.values()]
    lost: list[tuple[int, str]] = []
    for column in missing:
        position = columns.index(column)
        stand_in = _stand_in(column, position, strangers, len(missing) == 1)
        restore = "the import finds columns by their header, so nothing was imported"
        if stand_in is None:
            message = (
                f"the header row has lost its column {column.header!r}; restore it from a "
                f"fresh `coherence questionnaire` ({restore})"
            )
            lost.append((position, message))
            continue
        index, typo = stand_in
        found_text = strangers.pop(index)
        guess = f"did you mean {column.header!r}?" if typo else "a renamed or translated header?"
        message = (
            f"the column {column.header!r} is missing; this header reads {found_text!r} "
            f"({guess}): write {column.header!r} back ({restore})"
        )
        lost.append((index, message))
    return found, lost


def _like(headers: set[str], lang: Language) -> bool:
    """Whether a header row is (mostly) one of the questionnaire's."""
    for key in _READ_SHEETS:
        known = {c.header.lower() for c in lang.columns(key)}
        if len(headers & known) >= min(3, len(known)):
            return True
    return False


def unknown_sheet(
    title: str, first: Sequence[Any], fields: Iterable[Any], present: set[str], lang: Language
) -> tuple[str, str]:
    """The severity and message for a sheet whose title is not one of the questionnaire's:
    an error when it holds questionnaire rows or stands for a missing sheet, else a warning.
    `first`: its header row; `fields`: its first column; `present`: the workbook's titles;
    `lang`: the workbook's language."""
    headers = {_text(h).lower() for h in first} - {""}
    paths = {q.path: q.section for q in questions()}
    sections = [paths[f.strip()] for f in fields if isinstance(f, str) and f.strip() in paths]
    titles = {key: lang.title(key) for key in _READ_SHEETS}
    close = difflib.get_close_matches(title.strip(), list(titles.values()), n=1, cutoff=0.6)
    meant = close[0] if close else titles[sections[0]] if sections else None
    rows = bool(sections) or _like(headers, lang)
    not_read = "the sheet is not part of the questionnaire and was not read"
    if rows and meant in present:
        return "error", (
            f"{not_read}, but it holds questionnaire rows: move its answers to the sheet "
            f"{meant!r} and delete this one, or they are lost"
        )
    if rows or (meant is not None and meant not in present):
        hint = (
            f"did you mean {meant!r}? Give it back its name"
            if meant
            else "give it back the name of the questionnaire's sheet it came from"
        )
        what = "it holds questionnaire rows" if rows else f"the sheet {meant!r} is missing"
        return "error", f"{not_read}, but {what}: {hint}, or its answers are lost"
    return "warning", not_read
