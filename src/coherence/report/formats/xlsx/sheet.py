"""Writing a workbook of tables in flat memory, for the XLSX report and comparison.

The workbook is written in openpyxl's write-only mode: each sheet's rows go to its own
temporary file as they are added, so several sheets can grow at once (the gap report adds
each profile's rows to the end of every sheet) and no cell is held in memory. Each table
has a bold, frozen header row, an autofilter over its rows, wrapped text and column widths;
a value is written by `coherence.spreadsheet.set_cell` (text is never a formula).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coherence.report.formats import FormatError
from coherence.spreadsheet import EPOCH, set_cell

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header and width (in characters)."""

    header: str
    width: int = 16
    number_format: str | None = None


MAX_ROWS = 1_048_576
"""The rows of one worksheet in Excel and LibreOffice (the header included)."""


class Table:
    """One sheet holding one table, written row by row in write-only mode (the rows go to a
    temporary file as they are added): bold frozen header, autofilter, wrapped text, widths.
    Several tables of one workbook can grow at once; `close` ends one."""

    def __init__(self, wb: Workbook, title: str, columns: Sequence[Column]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        self.ws: WriteOnlyWorksheet = wb.create_sheet(title)
        self._new_cell: Callable[[], Cell] = functools.partial(WriteOnlyCell, self.ws)
        self.title, self.columns, self.rows = title, tuple(columns), 1
        for j, column in enumerate(self.columns, start=1):  # before the first row
            self.ws.column_dimensions[get_column_letter(j)].width = column.width
        self.ws.freeze_panes = "A2"
        # The style of a cell: text wrapped, and a number's format; made once and copied
        # into each cell (looking a style up is most of the time of writing a cell).
        wrap = Alignment(wrap_text=True, vertical="top")
        self._styles: dict[str | None, Any] = {}
        # In column order (styles are numbered as they are made: the same bytes each run).
        for number_format in dict.fromkeys((None, *(c.number_format for c in self.columns))):
            model = self._new_cell()
            model.alignment = wrap
            if number_format:
                model.number_format = number_format
            self._styles[number_format] = model._style
        bold = Font(bold=True)
        header = [self._cell(c.header) for c in self.columns]
        for cell in header:
            cell.font = bold
        self.ws.append(header)

    def _cell(self, value: Any, number_format: str | None = None) -> Cell:
        """One cell (see `coherence.spreadsheet.set_cell`): text wrapped, a number in the
        column's format."""
        cell = self._new_cell()
        numbered = number_format and isinstance(value, (int, float))
        cell._style = copy.copy(self._styles[number_format if numbered else None])
        set_cell(cell, value)
        return cell

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        """Write these rows after the others."""
        for row in rows:
            if self.rows >= MAX_ROWS:  # Excel would refuse the file, or drop the rows past it
                raise FormatError(
                    f"the sheet {self.title!r} would need more than {MAX_ROWS:,} rows, the "
                    "most a spreadsheet holds: make the XLSX report of fewer profiles at a "
                    "time, or use --format csv or json"
                )
            self.rows += 1
            self.ws.append(
                [
                    self._cell(value, column.number_format)
                    for column, value in zip(self.columns, row, strict=True)
                ]
            )

    def close(self) -> None:
        """The autofilter over every row written (the sheet's end is written on saving)."""
        from openpyxl.utils import get_column_letter

        self.ws.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{self.rows}"


def sheet(
    wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> None:
    """A sheet holding one table, written whole now."""
    table = Table(wb, title, columns)
    table.add(rows)
    table.close()


@contextlib.contextmanager
def workbook() -> Iterator[Workbook]:
    """A write-only workbook (sheets added in order, no default one); the temporary files
    of sheets left unsaved (a report refused halfway) are removed on leaving."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    try:
        yield wb
    finally:
        for ws in wb.worksheets:
            writer = ws._writer  # None until a row is written; a saved sheet is closed
            if writer is not None and not ws.closed:
                with contextlib.suppress(Exception):
                    ws.close()
                    writer.cleanup()


def stamp(dates: Iterable[str | dt.date]) -> dt.datetime:
    """The fixed date of the document: the latest `as_of` (never before 1980, for zip)."""
    days = []
    for d in dates:
        try:
            days.append(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)))
        except ValueError:
            continue
    when = dt.datetime.combine(max(days), dt.time()) if days else EPOCH
    return max(when, EPOCH)
