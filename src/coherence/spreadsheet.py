"""Writing XLSX cells and files safely: shared by the XLSX report and the questionnaire.

* **Text is never a formula.** A text cell is stored as a string (`data_type` `s`), so a
  profile's `=HYPERLINK(...)` stays text; a cell a spreadsheet would read as a formula (see
  `coherence.report.formats.csv.neutralise`) also gets Excel's quote prefix, so editing it keeps it
  text. Characters XML cannot hold are shown as `\\xNN`, and text is cut at a cell's limit.
* **Same inputs, same bytes.** The document's dates are given, not the clock's (which
  `Workbook.save` would write), and every zip entry carries that date, with fixed
  attributes, so two runs give byte-identical files. The zip is written with those dates as
  it is made (`save_workbook`), into any binary file: a sheet streamed to a temporary file
  (openpyxl's write-only mode) is copied into it block by block, never read whole.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import zipfile
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell

MAX_CELL = 32767
"""The most characters an Excel cell holds; longer text is cut with a note."""
CUT_NOTE = "[cut: longer than a spreadsheet cell holds]"
"""Ends a text cut at `MAX_CELL` (`coherence import` refuses a cell holding it)."""

EPOCH = dt.datetime(1980, 1, 1)
"""The earliest date a zip entry can carry."""

# Control characters that XML 1.0 cannot carry (openpyxl refuses them).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_text(text: str) -> str:
    """Text as a cell can hold it: illegal characters shown as `\\xNN`, cut at the limit."""
    text = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if len(text) > MAX_CELL:
        cut = f" … {CUT_NOTE}"
        text = text[: MAX_CELL - len(cut)] + cut
    return text


def set_cell(cell: Cell, value: Any) -> None:
    """Write one value: numbers as numbers, anything else as text, never as a formula."""
    from coherence.report.formats.csv import neutralise

    if value is None or value == "":
        return
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, (int, float)):
        cell.value = value
        return
    text = cell_text(str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
    if neutralise(text) != text:
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited


class _DatedZip(zipfile.ZipFile):
    """A zip being written whose every entry carries one date and fixed attributes, whatever
    the clock or the file system says (openpyxl adds entries by `writestr` and `write`)."""

    def __init__(self, file: IO[bytes], when: dt.datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self._stamp = when.timetuple()[:6]

    def _entry(self, name: str, size: int) -> zipfile.ZipInfo:
        fixed = zipfile.ZipInfo(name, date_time=self._stamp)
        fixed.compress_type = zipfile.ZIP_DEFLATED
        fixed.create_system = 3  # the same on every platform
        fixed.external_attr = 0o644 << 16
        fixed.file_size = size  # decides whether the entry needs zip64, as `write` does
        return fixed

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None) -> None:
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        super().writestr(self._entry(name, 0), data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None) -> None:
        name = arcname if arcname is not None else os.path.basename(filename)
        entry = self._entry(name, os.path.getsize(filename))
        with open(filename, "rb") as src, self.open(entry, "w") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)


def save_workbook(wb: Workbook, when: dt.datetime, target: IO[bytes]) -> None:
    """Write the workbook as an .xlsx file into `target` (a seekable binary file), the same
    bytes for the same content: document and zip entry dates are `when` (at the earliest
    1980, which zip needs), never the clock."""
    from openpyxl.writer.excel import ExcelWriter

    when = max(when, EPOCH)
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "coherence"
    ExcelWriter(wb, _DatedZip(target, when)).save()  # closes the zip, not `target`


def workbook_bytes(wb: Workbook, when: dt.datetime) -> bytes:
    """The workbook's bytes (see `save_workbook`)."""
    out = io.BytesIO()
    save_workbook(wb, when, out)
    return out.getvalue()
