"""Writing XLSX cells and files safely: shared by the XLSX report and the questionnaire.

* **Text is never a formula.** A text cell is stored as a string (`data_type` `s`), so a
  profile's `=HYPERLINK(...)` stays text; a cell a spreadsheet would read as a formula (see
  `coherence.report.formats.csv.neutralise`) also gets Excel's quote prefix, so editing it keeps it
  text. Characters XML cannot hold are shown as `\\xNN`, and text is cut at a cell's limit.
* **Same inputs, same bytes.** The document's dates are given, not the clock's (which
  `Workbook.save` would write), and every zip entry carries that date, with fixed
  attributes, so two runs give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

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


def workbook_bytes(wb: Workbook, when: dt.datetime) -> bytes:
    """The workbook's bytes, the same for the same content: document and zip entry dates
    are `when` (at the earliest 1980, which zip needs), never the clock."""
    from openpyxl.writer.excel import ExcelWriter

    when = max(when, EPOCH)
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "coherence"
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()  # closes the zip
    out = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3  # the same on every platform
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info))
    return out.getvalue()
