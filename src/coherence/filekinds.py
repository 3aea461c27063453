"""What a file is, by its first bytes, when it is not what a command reads: a profile that is
really a workbook, a questionnaire that is really an old `.xls`, a password-protected workbook
or an OpenDocument spreadsheet. Messages then say what the file is and what to do, rather than
"binary file" or "not an XLSX workbook" alone.
"""

from __future__ import annotations

import io
import zipfile

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of every Office 97-2003 file, and of a password-protected (encrypted) XLSX."""
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
"""The stream an encrypted Office file keeps its content in (its name is stored in UTF-16)."""

ZIPPED = {
    "xl/workbook.xml": "an XLSX workbook",
    "word/document.xml": "a Word document (.docx)",
    "ppt/presentation.xml": "a PowerPoint presentation (.pptx)",
}
OPEN_DOCUMENT = {
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.text": "an OpenDocument text (.odt)",
}


def kind_of(raw: bytes) -> str | None:
    """What the bytes are, in words ("an XLSX workbook", "an Excel 97-2003 workbook (.xls)",
    "a password-protected (encrypted) workbook or document", ...), or None if unknown."""
    if raw.startswith(OLE2):
        if ENCRYPTED in raw[:1_000_000]:
            return "a password-protected (encrypted) workbook or document"
        return "an Excel 97-2003 workbook (.xls) or another old Office file"
    if raw.startswith(b"%PDF"):
        return "a PDF document"
    if not raw.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return OPEN_DOCUMENT.get(mimetype, "an OpenDocument file")
    except (zipfile.BadZipFile, ValueError, OSError, KeyError, EOFError):
        return "a damaged zip archive"
    for name, kind in ZIPPED.items():
        if name in names:
            return kind
    return "a zip archive"


def as_xlsx_advice(kind: str) -> str:
    """What to do with a file of `kind` that should have been a questionnaire workbook."""
    if kind.startswith("a password-protected"):
        return (
            "remove the password (open it in your spreadsheet program, clear the password "
            "that protects the file, and save it), then import it again"
        )
    if kind == "a damaged zip archive":  # a workbook cut short in a download or a copy
        return (
            "it was cut short or damaged: copy it again from where it came from (an e-mail, "
            "a shared folder) and import it again"
        )
    if kind == "an XLSX workbook":  # it is one, but damaged
        return "open it in your spreadsheet program, save it again as .xlsx and import it again"
    return "open it in your spreadsheet program and save it as an Excel workbook (.xlsx)"
