"""`coherence import`: workbooks back into a profile; the round trip; cell-located errors."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from coherence.profile.validate import load_profile
from tests.conftest import FIXTURES, PROFILES
from tests.gapjson import assessment
from tests.questionnaire.workbooks import fill, load_answers

BUNDLED = sorted(PROFILES.glob("*.yaml")) + sorted((FIXTURES / "profiles").glob("*.yaml"))
ANSWERS = FIXTURES / "questionnaire"


def _findings(report: dict) -> list[dict]:
    """The findings without what depends on the file they came from (its lines, its path)."""

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in ("line", "column", "file")}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return clean(report["findings"])


@pytest.mark.parametrize("profile", BUNDLED, ids=lambda p: p.name)
def test_round_trip_gives_the_same_profile_and_the_same_findings(cli, tmp_path, profile):
    book = tmp_path / "q.xlsx"
    made = cli("questionnaire", "--from", profile, "-o", book)
    assert made.returncode == 0, made.stderr
    assert "not carried" not in made.stderr
    back = tmp_path / "back.yaml"
    imported = cli("import", book, "-o", back)
    assert imported.returncode == 0, imported.stderr
    assert cli("validate", back).returncode == 0
    assert load_profile(back).profile == load_profile(profile).profile
    reports = []
    for source in (profile, back):
        out = tmp_path / f"{source.stem}-{len(reports)}.json"
        result = cli("check", source, "--format", "json", "-o", out, "--today", "2026-01-01")
        assert result.returncode == 0, result.stderr
        reports.append(assessment(out.read_text(encoding="utf-8")))
    assert _findings(reports[0]) == _findings(reports[1])
    assert reports[0]["findings"], "a round trip of no findings would prove nothing"


def _blank(cli, tmp_path: Path, name: str = "q.xlsx", *args: str) -> Path:
    book = tmp_path / name
    assert cli("questionnaire", "-o", book, *args).returncode == 0
    return book


def test_an_officials_mistakes_are_reported_at_their_cells(cli, tmp_path):
    book = _blank(cli, tmp_path, "labour.xlsx")
    cells = fill(book, load_answers(ANSWERS / "official-mistakes.yaml"))
    result = cli("import", book, "-o", tmp_path / "p.yaml")
    assert result.returncode == 1
    assert not (tmp_path / "p.yaml").exists()
    lines = result.stderr.splitlines()

    def said(cell_key: str, *words: str) -> None:
        cell = cells[cell_key]
        hits = [line for line in lines if line.startswith(cell + ":")]
        assert hits, f"nothing reported at {cell}:\n{result.stderr}"
        assert all(w in hits[0] for w in words), hits[0]

    said("country.code|Answer", "'Narnia' is not an ISO 3166-1 alpha-3 country code")
    said("as_of|Answer", "'31/12/2024' is not a date", "2024-12-31")
    said(
        "labour_channels.recruitment_fee_ban|Answer",
        "'Only for domestic workers' is not an answer",
        "Note column",
    )
    said("labour_channels.pre_departure_orientation|Evidence: date", "2019-03-04 or 2019-04-03")
    # No look-alike group is offered for an unknown one: the allowed groups are listed.
    said("rights.equal_treatment|Groups left out", "'gig_workers'", "expected", "'women'")
    assert "did you mean 'domestic_workers'" not in result.stderr
    # The missing identity field is reported at the cell to fill in.
    prepared = cells["country.code|Answer"].replace("C2", "C5")
    assert any(
        line.startswith(prepared) and "'prepared_by' is missing" in line for line in lines
    ), result.stderr
    # Exact country names are read as codes: no error for Qatar and Malaysia.
    assert "Qatar" not in result.stderr and "Malaysia" not in result.stderr


def test_ministry_workbooks_merge_into_one_profile(cli, tmp_path):
    answers = load_answers(ANSWERS / "official-clean.yaml")
    books = []
    for ministry, typed in answers.items():
        book = _blank(cli, tmp_path, f"{ministry}.xlsx", "--ministry", ministry)
        fill(book, typed)
        books.append(book)
    out = tmp_path / "merged.yaml"
    result = cli("import", *books, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "2 workbooks imported" in result.stderr
    profile = load_profile(out).profile
    labour = profile.labour_channels
    assert [a.partner for a in labour.bilateral_agreements.agreements] == ["QAT", "MYS"]
    assert labour.recruitment_fee_ban.practice == "no"
    assert labour.recruitment_fee_ban.note == "=Fees are capped, not banned"
    assert labour.recruitment_fee_ban.answered_by == "R. Thapa, Foreign Employment Division"
    assert profile.rights.equal_treatment.excludes == ["domestic_workers"]
    assert profile.rights.equal_treatment.evidence[0].article == "6"
    assert profile.rights.equal_treatment.evidence[0].date == "2017"
    assert (
        profile.rights.detention_last_resort.answered_by == "S. Gurung, Department of Immigration"
    )
    assert profile.coordination.lead_agency.answer == "yes"
    assert profile.roles == ["origin", "transit"]
    # The written profile is commented: each answer under its question.
    text = out.read_text(encoding="utf-8")
    assert "# Is there a designated lead agency for migration?\n  lead_agency: yes" in text
    assert cli("check", out).returncode == 0


def test_two_different_answers_to_one_question_name_both_cells(cli, tmp_path):
    first = _blank(cli, tmp_path, "a.xlsx")
    second = _blank(cli, tmp_path, "b.xlsx")
    identity = load_answers(ANSWERS / "official-clean.yaml")["labour"]["Profile"]
    a = fill(first, {"Profile": identity, "Rights": {"rights.health_care": {"Answer": "yes"}}})
    b = fill(second, {"Profile": identity, "Rights": {"rights.health_care": {"Answer": "no"}}})
    result = cli("import", first, second, "-o", tmp_path / "p.yaml")
    assert result.returncode == 1
    conflict = [line for line in result.stderr.splitlines() if "two different answers" in line]
    assert len(conflict) == 1
    assert a["rights.health_care|Answer"] in conflict[0]
    assert b["rights.health_care|Answer"] in conflict[0]
    assert "'yes'" in conflict[0] and "'no'" in conflict[0]


def test_the_same_answer_twice_is_fine(cli, tmp_path):
    identity = load_answers(ANSWERS / "official-clean.yaml")["labour"]["Profile"]
    books = []
    for name in ("a.xlsx", "b.xlsx"):
        book = _blank(cli, tmp_path, name)
        fill(book, {"Profile": identity, "Rights": {"rights.health_care": {"Answer": "Yes "}}})
        books.append(book)
    out = tmp_path / "p.yaml"
    assert cli("import", *books, "-o", out).returncode == 0
    assert load_profile(out).profile.rights.health_care.answer == "yes"


def test_import_never_overwrites_without_force_nor_writes_over_its_inputs(cli, tmp_path):
    book = _blank(cli, tmp_path, "q.xlsx", "--from", str(PROFILES / "example-origin.yaml"))
    out = tmp_path / "p.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    result = cli("import", book, "-o", out)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert cli("import", book, "-o", out, "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# yaml-language-server")
    before = book.read_bytes()
    assert cli("import", book, "-o", book, "--force").returncode == 2
    assert book.read_bytes() == before


def test_files_that_are_not_questionnaires_are_refused_plainly(cli, tmp_path):
    yaml_file = tmp_path / "profile.xlsx"
    shutil.copy(PROFILES / "example-origin.yaml", yaml_file)
    result = cli("import", yaml_file, "-o", tmp_path / "p.yaml")
    assert result.returncode == 2
    assert "is not an XLSX workbook" in result.stderr and "Traceback" not in result.stderr
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    result = cli("import", other, "-o", tmp_path / "p.yaml")
    assert result.returncode == 2 and "not an XLSX workbook" in result.stderr
    result = cli("import", tmp_path / "missing.xlsx", "-o", tmp_path / "p.yaml")
    assert result.returncode == 2 and "missing.xlsx" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_given_as_a_workbook_does_not_hang(cli_subprocess, tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    result = cli_subprocess("import", fifo, "-o", tmp_path / "p.yaml", timeout=60)
    assert result.returncode == 2
    assert "not a regular file" in result.stderr


def test_a_blank_questionnaire_is_reported_empty_at_its_identity_cells(cli, tmp_path):
    book = _blank(cli, tmp_path)
    result = cli("import", book, "-o", tmp_path / "p.yaml")
    assert result.returncode == 1
    located = re.findall(r"^q\.xlsx!Profile!C\d+: .*missing", result.stderr, re.M)
    assert len(located) >= 3, result.stderr  # country code, name, as_of, prepared_by, roles


def test_a_workbook_without_its_profile_sheet_says_so(cli, tmp_path):
    """A ministry deleted the "Profile" sheet (country, date, roles): one located problem,
    not an internal error nor "country is missing" on another sheet."""
    from openpyxl import load_workbook

    book = tmp_path / "q.xlsx"
    made = cli("questionnaire", "--from", PROFILES / "example-transit.yaml", "-o", book)
    assert made.returncode == 0, made.stderr
    wb = load_workbook(book)
    del wb["Profile"]
    wb.save(book)
    result = cli("import", book, "-o", tmp_path / "p.yaml")
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert "error[missing-sheet]" in said and "'Profile' sheet" in said
    assert "internal error" not in said and "is missing" not in said.replace("missing-sheet", "")
    assert not (tmp_path / "p.yaml").exists()


def test_a_country_name_that_is_not_its_codes_is_warned_of_at_its_cell(cli, tmp_path):
    """`NO` typed for Nepal (a two-letter code the import reads as Norway's) wrote a profile of
    NOR named Nepal with no word; `validate` warns of it, and now `import` does too, at the
    name's cell (attack round 5)."""
    identity = dict(load_answers(ANSWERS / "official-clean.yaml")["labour"]["Profile"])
    identity["country.code"] = {"Answer": "NO"}
    book = _blank(cli, tmp_path)
    cells = fill(book, {"Profile": identity})
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out)
    assert result.returncode == 0, result.stderr
    assert load_profile(out).profile.country.code == "NOR"
    (warning,) = [line for line in result.stderr.splitlines() if "warning[" in line]
    assert warning.startswith(f"{cells['country.name|Answer']}: warning[country-name] ")
    assert "'Nepal' is not a name of NOR (Norway)" in warning
    fill(book, {"Profile": {"country.code": {"Answer": "NP"}}})  # Nepal's two letters
    clean = cli("import", book, "-o", tmp_path / "q.yaml")
    assert clean.returncode == 0 and "warning[" not in clean.stderr
