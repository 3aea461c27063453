"""The problems of an import in the order a reader meets the cells, the first
`MAX_EXPLAINED` of them with their advice.

A workbook with 5,000 junk rows on each sheet gave 35,000 lines of problems, listed in the
order of their names (`A100`, `A1000`, `A1001`, ... `A101`), and took minutes, nearly all of
it spent looking for a close match to each unknown Field; the advice is now sought only for
the problems shown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from coherence.diagnostics import Diagnostic, first_explained
from coherence.questionnaire.cells import CellRef
from coherence.questionnaire.values import cell_problem

_CELL = re.compile(r"^(?P<sheet>.*)!(?P<column>[A-Z]{1,3})(?P<row>[0-9]+)$")
"""`book!sheet!B12`: the sheet it is on, its column and its row."""

UNKNOWN_FIELD = "unknown-question"


def unknown_field(ref: CellRef, value: object, unknown: dict[str, str]) -> Diagnostic:
    """The problem of a row whose Field names no question: an unknown Field (kept in
    `unknown`, for the close match `explained` gives the ones shown), or an empty Field in a
    row that holds answers (cells merged across it, a Field deleted), which was said as
    "unknown Field None"."""
    if not str(value or "").strip():
        return cell_problem(
            ref,
            UNKNOWN_FIELD,
            "this row holds answers but its Field cell is empty (cells merged across it, or "
            "the Field deleted?): its answers cannot be placed; copy the Field back from a "
            "fresh `coherence questionnaire`",
        )
    unknown[str(ref)] = str(value)
    return cell_problem(ref, UNKNOWN_FIELD, f"unknown Field {value!r}")


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _order_key(
    sheets: Mapping[str, tuple[int, int]], cells: Mapping[str, tuple[int, int, int, int]]
):
    """Sort key: (workbook, sheet, row, column) as read, then the name and the message."""

    def key(problem: Diagnostic) -> tuple:
        known = cells.get(problem.file)
        if known is not None:
            return (known, problem.file, problem.message)
        match = _CELL.match(problem.file)
        sheet, row, column = (
            (match["sheet"], int(match["row"]), _column(match["column"]))
            if match
            else (problem.file, 0, 0)  # a whole sheet or workbook: before its cells
        )
        book, number = sheets.get(sheet, (9999, 9999))
        return ((book, number, row, column), problem.file, problem.message)

    return key


def explained(
    problems: Iterable[Diagnostic],
    *,
    sheets: Mapping[str, tuple[int, int]],
    cells: Iterable[CellRef | None],
    unknown: Mapping[str, str],
    field_paths: Iterable[str],
    books: str,
) -> list[Diagnostic]:
    """`problems` in reading order (`sheets`: `book!sheet` -> its place; `cells`: the cells
    read, with their place), the first `MAX_EXPLAINED` of them explained, one more line at
    `books` counting the rest. An unknown Field (`unknown`: cell -> the Field as written) is
    given the close match of `field_paths`, if any, only when it is shown."""
    places = {str(ref): ref.order for ref in cells if ref is not None}
    shown = first_explained(sorted(problems, key=_order_key(sheets, places)), books, "import")
    paths = list(field_paths)
    return [_advised(p, unknown, paths) for p in shown]


def _advised(problem: Diagnostic, unknown: Mapping[str, str], paths: list[str]) -> Diagnostic:
    if problem.code != UNKNOWN_FIELD or problem.file not in unknown:
        return problem
    close = difflib.get_close_matches(unknown[problem.file], paths, n=1)
    return (
        replace(problem, message=f"{problem.message}; did you mean {close[0]!r}?")
        if close
        else problem
    )


__all__ = ["UNKNOWN_FIELD", "explained", "unknown_field"]
