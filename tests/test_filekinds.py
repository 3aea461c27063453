"""`coherence.filekinds`: a file given as a profile that is a workbook, a PDF or an old Office
file is named for what it is, with what to do, not just "a binary file" (attack round 4)."""

from __future__ import annotations

import io
import zipfile

import pytest

from coherence.filekinds import kind_of
from tests.conftest import PROFILES


def _zipped(members: dict[str, str]) -> bytes:
    """A zip archive with a fixed date on every member: the bytes are the test's id, and
    xdist's workers must collect the same ids (a member stamped with the time of collection
    differed between two workers that collected two seconds apart, and the run stopped)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (_zipped({"xl/workbook.xml": "<x/>"}), "an XLSX workbook"),
        (_zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "(.ods)"),
        (_zipped({"hello.txt": "hi"}), "a zip archive"),
        (b"PK\x03\x04" + bytes(30), "a damaged zip archive"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "Excel 97-2003"),
        (b"format_version: 2\n", None),
    ],
)
def test_kind_of_names_the_usual_suspects(raw, kind):
    found = kind_of(raw)
    assert found == kind if kind is None else kind in found


def test_a_questionnaire_given_to_validate_is_named_with_the_import_command(cli, tmp_path):
    book = tmp_path / "answers.xlsx"
    made = cli("questionnaire", "--from", PROFILES / "example-origin.yaml", "-o", book)
    assert made.returncode == 0, made.stderr
    result = cli("validate", book)
    assert result.returncode == 1
    assert result.stdout.startswith(
        f"{book}:1:1: error[binary] this is an XLSX workbook, not a YAML text file; a filled-in "
        "questionnaire becomes a profile with `coherence import WORKBOOK.xlsx -o PROFILE.yaml`"
    ), result.stdout
