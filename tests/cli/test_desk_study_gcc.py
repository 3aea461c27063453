"""Regressions left from the desk study of the United Arab Emirates and Senegal (desk4):
reasons and advice that misstated what the profile says about instruments, free movement and
where a question belongs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from tests.cli.test_desk_study import SENEGAL, UAE, _variant

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "profiles"


def _findings(cli, profile: Path) -> dict[str, dict]:
    result = cli("check", profile, "--format", "json", "--output", "-")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    return {f["rule_id"]: f for a in report["assessments"] for f in a["findings"]}


def test_the_reason_names_every_convention_not_ratified_and_none_ratified(cli, tmp_path):
    """The UAE has ratified neither ILO C97 nor C143; RIGHTS-025's reason named C97 alone, as
    if C143 were in place (its advice names both)."""
    uae = _findings(cli, UAE)["RIGHTS-025"]
    assert uae["status"] == "gap"
    assert "(No. 97) as not ratified (instruments.ilo_c97.status)" in uae["reason"]
    assert "(No. 143) as not ratified (instruments.ilo_c143.status)" in uae["reason"]

    def c97(law: str):
        return lambda d: d["instruments"].update(
            ilo_c97={"status": "ratified", "incorporated_in_law": law}
        )

    partial = _findings(cli, _variant(tmp_path, UAE, "c97.yaml", c97("yes")))["RIGHTS-025"]
    assert partial["status"] == "partial"
    assert "No. 143" in partial["reason"] and "No. 97" not in partial["reason"]
    gap = _findings(cli, _variant(tmp_path, UAE, "c97-no.yaml", c97("no")))["RIGHTS-025"]
    assert gap["status"] == "gap"
    assert "answers no to “Is the ILO Migration for Employment" in gap["reason"]
    assert "(No. 143) as not ratified" in gap["reason"]
    assert "(No. 97) as not ratified" not in gap["reason"]


def _reservations(value):
    return lambda d: d["instruments"]["cedaw"].update(reservations=value)


def test_withdrawing_reservations_is_advised_only_where_some_are_recorded(cli, tmp_path):
    """Senegal's profile records no reservation to CEDAW; RIGHTS-026 told it to "withdraw
    any reservations that affect migrant women". The profile can now say it made none
    (`reservations: []`), which reports show, and the advice speaks of reservations only
    where the profile records some."""
    none = _variant(tmp_path, SENEGAL, "none.yaml", _reservations([]))
    some = _variant(tmp_path, SENEGAL, "some.yaml", _reservations("Art. 16 (family law)."))
    advice = {
        name: _findings(cli, path)["RIGHTS-026"]["recommendation"]
        for name, path in (("unsaid", SENEGAL), ("none", none), ("some", some))
    }
    assert advice["some"].startswith(
        "The Convention is ratified or acceded to: withdraw the reservations that affect "
        "migrant women, and amend the admission, stay and labour laws"
    )
    for name in ("unsaid", "none"):
        assert "reservation" not in advice[name], name
        assert advice[name].startswith("The Convention is ratified or acceded to: amend the")
    markdown = cli("check", none, "--format", "markdown", "--output", "-").stdout
    assert "Reservations: none" in markdown
    assert "Reservations: none" not in cli("check", SENEGAL, "--format", "markdown").stdout


@pytest.mark.parametrize(("code", "none"), [("en", "none"), ("fr", "aucun"), ("es", "ninguno")])
def test_no_reservations_survives_the_questionnaire_round_trip(cli, tmp_path, code, none):
    """`reservations: []` (none made) is written `none` in the workbook's language and read
    back as none, distinct from a cell left empty (not stated)."""
    profile = _variant(tmp_path, SENEGAL, "none.yaml", _reservations([]))
    book, back = tmp_path / "none.xlsx", tmp_path / "back.yaml"
    assert cli("questionnaire", "--language", code, "--from", profile, "-o", book).returncode == 0
    cells = [c.value for ws in load_workbook(book) for row in ws.iter_rows() for c in row]
    assert none in cells
    assert cli("import", book, "-o", back).returncode == 0
    assert "0 answers of the profile changed." in cli("diff", profile, back).stdout
    instruments = yaml.safe_load(back.read_text(encoding="utf-8"))["instruments"]
    assert instruments["cedaw"]["reservations"] == []
    assert "reservations" not in instruments["crc"]


def test_free_movement_counts_only_for_the_corridors_it_holds(cli, tmp_path):
    """The UAE takes part in the GCC's free movement, which is for GCC nationals and holds
    none of its seven main countries of origin; LABOUR-024 was met on the answer `yes`
    alone. Senegal's ECOWAS free movement holds most of its corridors: still met."""
    uae = _findings(cli, UAE)
    assert uae["LABOUR-024"]["status"] == "partial"
    assert uae["LABOUR-024"]["reason"] == (
        "Partly met: the countries listed under free movement "
        "(context.free_movement_countries) hold none of the 7 main countries of origin "
        "(context.main_origin_countries)."
    )
    assert "EGY" in uae["LABOUR-004"]["reason"]  # free movement covers no corridor there
    assert _findings(cli, SENEGAL)["LABOUR-024"]["status"] == "met"
    unlisted = _variant(
        tmp_path, UAE, "unlisted.yaml", lambda d: d["context"].pop("free_movement_countries")
    )
    undecided = _findings(cli, unlisted)["LABOUR-024"]
    assert undecided["status"] == "insufficient_data"
    assert undecided["missing"] == ["context.free_movement_countries"]


def test_questions_for_a_missing_section_do_not_point_at_line_1(cli, tmp_path):
    """With its rights section left out, the UAE's questions on rights read
    "(half.yaml:1 rights.access_to_justice; ...)": line 1 is `format_version`, and nothing
    about rights is written anywhere. They now say the answer is not in the profile; an
    answer missing from a section that is there still points at the section."""
    profile = _variant(tmp_path, UAE, "half.yaml", lambda d: d.pop("rights"))
    text = " ".join(cli("check", profile).stdout.split())
    questions = text[text.index("Questions to answer") :]
    assert "(rights.access_to_justice, not in the profile; decides COHERENCE-024" in questions
    assert "half.yaml:1 " not in questions
    github = cli("check", profile, "--format", "github", "--output", "-").stdout
    rights_011 = next(line for line in github.splitlines() if "title=RIGHTS-011" in line)
    assert "rights.access_to_justice (missing) yet (its section is not in the profile)" in (
        rights_011
    )
    senegal = " ".join(cli("check", SENEGAL).stdout.split())
    assert "reviewer-senegal.yaml:" in senegal[senegal.index("Questions to answer") :]


def test_the_report_names_the_instrument_whose_law_it_asks_about(cli):
    """Under "What the profile says", the line after the UAE's C97 status read "Is the
    instrument reflected in national law?": name the instrument, as the reason does."""
    markdown = cli("check", UAE, "--format", "markdown", "--output", "-").stdout
    assert "Is the instrument reflected" not in markdown
    assert (
        "- Is the ILO Migration for Employment Convention (Revised), 1949 (No. 97) reflected "
        "in national law? (`instruments.ilo_c97.incorporated_in_law`"
    ) in markdown
    html = cli("check", UAE, "--format", "html", "--output", "-").stdout
    assert "Is the instrument reflected" not in html


NEW_FIELDS = {
    "instruments.iccpr": "ratified",
    "instruments.icescr": "ratified",
    "instruments.cat": "ratified",
    "instruments.statelessness_convention_1954": "acceded",
    "instruments.statelessness_convention_1961": "not_signed",
    "rights.statelessness_determination": "no",
    "anti_trafficking.residence_permit_without_cooperation": "partial",
}
"""What the desk studies could not say (format-gaps items 7 and 15), as a profile says it."""
RECORD = "(Solo para registro: ningún control lee aún esta respuesta.)"
"""The Spanish workbook's 'For the record' mark."""


def test_statelessness_the_un_covenants_and_permits_without_cooperation_are_sayable(cli, tmp_path):
    """Real-country writers could not record statelessness (a determination procedure, the
    1954 and 1961 conventions), CAT, ICCPR and ICESCR, or whether a trafficking victim's
    residence permit depends on cooperating with prosecutors. No passage of the seeds asks
    governments for them, so the questionnaire marks them 'For the record'; they carry
    through the Spanish questionnaire unchanged."""

    def edit(data):
        for path, value in NEW_FIELDS.items():
            section, name = path.split(".")
            data.setdefault(section, {})[name] = value

    profile = _variant(tmp_path, SENEGAL, "said.yaml", edit)
    template = cli("template").stdout
    for path in NEW_FIELDS:
        assert f"  {path.split('.')[1]}:" in template, path
    book, back = tmp_path / "said.xlsx", tmp_path / "back.yaml"
    assert cli("questionnaire", "--language", "es", "--from", profile, "-o", book).returncode == 0
    rows = {
        row[0].value: row[1].value
        for ws in load_workbook(book).worksheets[2:]
        for row in ws.iter_rows(min_row=2)
    }
    for path in NEW_FIELDS:
        assert rows[path].endswith(RECORD), path
    assert (
        "Convención sobre el Estatuto de los Apátridas (1954)."
        in rows["instruments.statelessness_convention_1954"]
    )
    assert cli("import", book, "-o", back).returncode == 0
    assert "0 answers of the profile changed." in cli("diff", profile, back).stdout
    said = {k: (f["status"], f["reason"]) for k, f in _findings(cli, profile).items()}
    assert said == {k: (f["status"], f["reason"]) for k, f in _findings(cli, SENEGAL).items()}
