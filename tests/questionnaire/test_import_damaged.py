"""`coherence import` of workbooks that are damaged inside, or are no XLSX workbook at all: one
plain problem naming the workbook and sheet, exit 2, nothing written; never an internal error
nor a hang (attack round 4)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROFILES

ORIGIN = PROFILES / "example-origin.yaml"


def _questionnaire(cli, tmp_path: Path) -> Path:
    book = tmp_path / "q.xlsx"
    made = cli("questionnaire", "--from", ORIGIN, "-o", book)
    assert made.returncode == 0, made.stderr
    return book


def _rewrite_rights(book: Path, change: Callable[[bytes], bytes]) -> None:
    """Rewrite the XML of the Rights sheet (the one holding rights.equal_treatment)."""
    with zipfile.ZipFile(book) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename.startswith("xl/worksheets/") and b"rights.equal_treatment" in data:
                new = change(data)
                assert new != data, "the edit did not apply"
                data = new
            archive.writestr(info.filename, data)


def _cell(kind: str, value: str) -> Callable[[bytes], bytes]:
    """Put a cell of type `kind` holding `value` (which that type cannot hold) at C2."""
    cell = f'<c r="C2" t="{kind}"><v>{value}</v></c><c r="Z2"'.encode()
    return lambda xml: xml.replace(b'<c r="C2"', cell, 1)


DAMAGES = {
    # The file cut off in the middle of the sheet (a copy or a download that stopped).
    "cut-off": lambda xml: xml[: len(xml) // 2],
    # Cells whose type and value disagree, as a program other than a spreadsheet writes them.
    "date-not-a-date": _cell("d", "notadate"),
    "number-not-a-number": _cell("n", "abc"),
    "shared-text-not-there": _cell("s", "999999"),
    "bad-cell-address": lambda xml: xml.replace(b'r="C2"', b'r="ZZZZZZZZ2"', 1),
    "bad-row-number": lambda xml: xml.replace(b'<row r="2"', b'<row r="abc"', 1),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_sheet_is_one_plain_problem_at_that_sheet(cli, tmp_path, damage):
    book = _questionnaire(cli, tmp_path)
    _rewrite_rights(book, DAMAGES[damage])
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error[" in line]
    assert errors, result.stderr
    if damage != "cut-off":  # a sheet cut short before its rows begin may fail to open at all
        assert errors[0].startswith("q.xlsx!Rights: error[damaged] the sheet cannot be read")
        assert "save it again as .xlsx" in errors[0]
    assert not out.exists()


def test_a_row_number_past_the_last_row_of_a_spreadsheet_does_not_hang(cli_subprocess, tmp_path):
    """Row 99,999,999,999: the rows before it came one by one, empty, for hours."""
    from tests.conftest import run_in_process

    book = _questionnaire(run_in_process, tmp_path)
    _rewrite_rights(book, lambda xml: xml.replace(b'<row r="2"', b'<row r="99999999999"', 1))
    result = cli_subprocess("import", book, "-o", tmp_path / "p.yaml", timeout=60)
    assert result.returncode == 2, result.stderr
    assert "q.xlsx!Rights: error[damaged]" in result.stderr
    assert not (tmp_path / "p.yaml").exists()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole(stream: str) -> bytes:
    """The start of an Office 97-2003 file with a stream of this name in its directory."""
    data = bytearray(OLE2 + bytes(4088))
    name = stream.encode("utf-16-le")
    data[1024 : 1024 + len(name)] = name
    return bytes(data)


def _zipped(members: dict[str, bytes | str]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


OTHER_FILES = {
    "encrypted": (_ole("EncryptedPackage"), "password-protected", "remove the password"),
    "xls": (_ole("Workbook"), "Excel 97-2003 workbook (.xls)", "save it as an Excel workbook"),
    "ods": (
        _zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
        "OpenDocument spreadsheet (.ods)",
        "save it as an Excel workbook",
    ),
    "docx": (_zipped({"word/document.xml": "<x/>"}), "Word document", "save it as an Excel"),
}


@pytest.mark.parametrize("kind", sorted(OTHER_FILES))
def test_a_file_that_is_no_xlsx_is_named_for_what_it_is(cli, tmp_path, kind):
    """A password-protected workbook, an old .xls or an .ods was "not an XLSX workbook (save it
    from your spreadsheet as .xlsx)", or the same with "(KeyError)" after it."""
    raw, what, advice = OTHER_FILES[kind]
    book = tmp_path / "answers.xlsx"
    book.write_bytes(raw)
    result = cli("import", book, "-o", tmp_path / "p.yaml")
    assert result.returncode == 2, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "error[" in line]
    assert line.startswith(f"{book}: error[not-xlsx] the file is ")
    assert what in line and advice in line and "Error)" not in line


def test_cells_merged_across_the_field_column_are_named_for_what_they_are(cli, tmp_path):
    """Merging A2:E4 of the Rights sheet empties the Field of rows 3 and 4 while their other
    cells keep answers: each was "unknown Field None" (attack round 5)."""
    from openpyxl import load_workbook

    book = _questionnaire(cli, tmp_path)
    wb = load_workbook(book)
    wb["Rights"].merge_cells("A2:E4")
    wb.save(book)
    result = cli("import", book, "-o", tmp_path / "p.yaml")
    assert result.returncode == 1, result.stderr
    assert "None" not in result.stderr
    for row in (3, 4):
        assert (
            f"q.xlsx!Rights!A{row}: error[unknown-question] this row holds answers but its Field "
            "cell is empty (cells merged across it, or the Field deleted?)"
        ) in result.stderr
    assert not (tmp_path / "p.yaml").exists()


def _laughs() -> bytes:
    """A document type whose entity unfolds to 10**9 'lol's (billion laughs)."""
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return f"<!DOCTYPE x [{''.join(entities)}]>".encode()


@pytest.mark.parametrize("part", ["workbook", "sheet"])
@pytest.mark.parametrize("attack", ["entity-expansion", "external-entity"])
def test_hostile_xml_in_a_workbook_is_refused_unread(cli, tmp_path, part, attack):
    """Entities in a workbook's XML (attack round 5): never expanded (memory) nor fetched (a
    local file's text in a cell, then in the profile); the XML parser refuses them, and the
    import says the file is damaged (exit 2), nothing written. Spreadsheet programs never
    write a document type, so nothing is lost."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TEXT", encoding="utf-8")
    if attack == "entity-expansion":
        doctype, use = _laughs(), b"&l9;"
    else:
        doctype, use = f'<!DOCTYPE x [<!ENTITY l9 SYSTEM "{secret.as_uri()}">]>'.encode(), b"&l9;"
    book = _questionnaire(cli, tmp_path)
    name = "xl/workbook.xml" if part == "workbook" else None
    with zipfile.ZipFile(book) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            hit = info.filename == name or (
                name is None
                and info.filename.startswith("xl/worksheets/")
                and b"rights.equal_treatment" in data
            )
            if hit:  # the entity stands for the first sheet's name, or a header
                tag, said = (
                    (b"Instructions", use) if name else (b"<t>Field</t>", b"<t>%s</t>" % use)
                )
                data = doctype + data.replace(tag, said, 1)
            archive.writestr(info.filename, data)
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "TOP-SECRET" not in result.stderr
    assert "error[not-xlsx]" in result.stderr or "error[damaged]" in result.stderr
    assert not out.exists()
