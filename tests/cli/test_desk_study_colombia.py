"""The desk study of Colombia (origin, transit and destination; desk5): a real-country
profile written from public law, read as the Colombian ministry would read its report."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_desk_study_gcc import _findings

COLOMBIA = (
    Path(__file__).resolve().parent.parent / "fixtures" / "profiles" / "reviewer-colombia.yaml"
)


def test_colombia_survives_the_spanish_questionnaire(cli, tmp_path):
    """Written in Spanish and read back, the profile keeps every answer."""
    book, back = tmp_path / "col.xlsx", tmp_path / "back.yaml"
    made = cli("questionnaire", "--language", "es", "--from", COLOMBIA, "-o", book)
    assert made.returncode == 0, made.stderr
    assert cli("import", book, "-o", back).returncode == 0
    assert "0 answers of the profile changed." in cli("diff", COLOMBIA, back).stdout


def test_colombia_s_corridors_and_free_movement_are_read_from_its_lists(cli):
    """The agreement with Spain and the Andean free movement (Ecuador) cover two of its five
    main corridors; the Andean scheme holds some of them, so LABOUR-024 follows the answer
    (partial: Andean nationals only)."""
    found = _findings(cli, COLOMBIA)
    assert found["LABOUR-004"]["reason"].endswith("not covered: CHL, USA, VEN.")
    assert found["LABOUR-024"]["status"] == "partial"
    assert "reservation" not in found["RIGHTS-026"]["recommendation"]


def test_a_question_on_a_convention_s_law_names_the_convention(cli):
    """Colombia's status under ILO C97 is unknown; the question read "ILO Migration for
    Employment Convention (Revised), 1949 (No. 97): is the instrument reflected in national
    law?"."""
    text = " ".join(cli("check", COLOMBIA).stdout.split())
    assert "is the instrument reflected" not in text
    assert (
        "Is the ILO Migration for Employment Convention (Revised), 1949 (No. 97) reflected in "
        "national law?" in text
    )
