"""`coherence questionnaire`: the workbook a ministry fills in, read back with openpyxl."""

from __future__ import annotations

import copy
import datetime as dt
import warnings
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from coherence.profile.answers import ANSWER_VALUES
from coherence.profile.validate import load_profile
from coherence.questionnaire.questions import MINISTRY_KEYS, questions
from coherence.questionnaire.workbook import FOR_THE_RECORD
from tests.conftest import PROFILES
from tests.questionnaire.workbooks import rows_of

THEME_SHEETS = {
    "Rights": "rights",
    "Data collection": "data_collection",
    "Labour channels": "labour_channels",
    "Anti-trafficking": "anti_trafficking",
    "Coordination": "coordination",
    "Context": "context",
    "Instruments": "instruments",
    "Institutions": "institutions",
}


def _write(cli, tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    result = cli("questionnaire", "-o", out, *args)
    assert result.returncode == 0, result.stderr
    return out


def _validations(ws) -> dict[str, str]:
    """Cell -> the list formula of the drop-down on it."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            for row in (
                ws[cell_range.coord] if ":" in cell_range.coord else [[ws[cell_range.coord]]]
            ):
                for cell in row:
                    found[cell.coordinate] = dv.formula1
    return found


def test_every_question_has_a_row_with_its_text_and_allowed_answers(cli, tmp_path):
    out = _write(cli, tmp_path, "q.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a workbook the tool wrote reads without warnings
        wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["Instructions", "Profile"]
    asked = {q.path: q for q in questions()}
    seen = set()
    for title, section in THEME_SHEETS.items():
        ws = wb[title]
        headers = [c.value for c in ws[1]]
        assert headers[:2] in (["Field", "Question"], ["Field", "Instrument"], ["Field", "Body"])
        assert "Responsible ministry" in headers
        lists = _validations(ws)
        for row in ws.iter_rows(min_row=2):
            path = row[0].value
            assert path in asked and asked[path].section == section
            seen.add(path)
            text = row[1].value.removesuffix(f"\n{FOR_THE_RECORD}")
            assert text == asked[path].text.replace("`", "")
            assert row[0].protection.locked and row[1].protection.locked
            if asked[path].kind == "answer":
                answer = row[headers.index("Answer")]
                assert not answer.protection.locked
                assert lists[answer.coordinate] == '"' + ",".join(ANSWER_VALUES) + '"'
                practice = row[headers.index("In practice")]
                assert lists[practice.coordinate] == '"yes,partial,no,unknown"'
        assert ws.protection.sheet, title
    assert seen == set(asked), "every question of the profile format is asked once"


def test_instrument_rows_offer_the_statuses_of_their_kind(cli, tmp_path):
    ws = load_workbook(_write(cli, tmp_path, "q.xlsx"))["Instruments"]
    lists = _validations(ws)
    status_column = [c.value for c in ws[1]].index("Status") + 1
    by_path = {row[0].value: row[0].row for row in ws.iter_rows(min_row=2)}
    un = ws.cell(row=by_path["instruments.cedaw"], column=status_column).coordinate
    ilo = ws.cell(row=by_path["instruments.ilo_c97"], column=status_column).coordinate
    assert "acceded" in lists[un] and "denounced" not in lists[un]
    assert "denounced" in lists[ilo] and "signed" not in lists[ilo].replace("not_ratified", "")


def test_from_prefills_this_years_answers(cli, tmp_path):
    out = _write(cli, tmp_path, "q.xlsx", "--from", PROFILES / "example-origin.yaml")
    rights = rows_of(out, "Rights")
    assert rights["rights.equal_treatment"]["Answer"] == "yes"
    assert rights["rights.equal_treatment"]["Evidence: title"] == "Labour Act (illustrative)"
    assert rights["rights.social_security"]["Answer"] == "unknown"
    labour = rows_of(out, "Labour channels")
    # Every agreement has its row on the Agreements sheet, its one place; the Partners cell,
    # a quick list for a blank questionnaire, is left empty.
    assert labour["labour_channels.bilateral_agreements"]["Partners (country codes)"] is None
    origin = load_profile(PROFILES / "example-origin.yaml").profile
    agreements = origin.labour_channels.bilateral_agreements.agreements
    rows = load_workbook(out)["Agreements"].iter_rows(min_row=2, max_col=1, values_only=True)
    assert [p for (p,) in rows if p] == [a.partner for a in agreements]
    assert len(agreements) > 1
    profile = rows_of(out, "Profile")
    assert profile["country.code"]["Answer"] == "NPL"
    # The responsible ministry is the country's own body where the profile names it.
    assert labour["labour_channels.recruitment_fee_ban"]["Responsible ministry"] == (
        "Ministry of Labour, Employment and Social Security (illustrative)"
    )


@pytest.mark.parametrize("ministry", MINISTRY_KEYS)
def test_ministry_workbook_holds_only_its_questions(cli, tmp_path, ministry):
    out = _write(cli, tmp_path, "q.xlsx", "--ministry", ministry)
    wb = load_workbook(out)
    owned = {q.path for q in questions() if q.owner == ministry}
    found = set()
    for title in THEME_SHEETS:
        if title in wb.sheetnames:
            found |= {row[0] for row in wb[title].iter_rows(min_row=2, values_only=True)}
    assert found == owned and owned
    assert "Waivers" not in wb.sheetnames and "Review" not in wb.sheetnames


def test_unknown_ministry_is_a_usage_error_listing_the_choices(cli, tmp_path):
    result = cli("questionnaire", "-o", tmp_path / "q.xlsx", "--ministry", "finance")
    assert result.returncode == 2
    assert "labour, interior, foreign_affairs" in result.stderr
    assert not (tmp_path / "q.xlsx").exists()


def test_output_must_be_xlsx_and_is_never_overwritten_without_force(cli, tmp_path):
    assert cli("questionnaire", "-o", tmp_path / "q.csv").returncode == 2
    out = _write(cli, tmp_path, "q.xlsx")
    before = out.read_bytes()
    again = cli("questionnaire", "-o", out, "--from", PROFILES / "example-origin.yaml")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert out.read_bytes() == before
    assert (
        cli(
            "questionnaire", "-o", out, "--force", "--from", PROFILES / "example-origin.yaml"
        ).returncode
        == 0
    )
    assert out.read_bytes() != before


def test_an_output_named_only_xlsx_is_told_it_has_no_name_not_to_name_it_xlsx(cli, tmp_path):
    result = cli("questionnaire", "-o", tmp_path / ".xlsx")
    assert result.returncode == 2
    assert "the name has nothing before .xlsx" in result.stderr
    assert "name it *.xlsx" not in result.stderr
    assert not (tmp_path / ".xlsx").exists()
    to_stdout = cli("questionnaire", "-o", "-")
    assert to_stdout.returncode == 2 and "cannot go to standard output" in to_stdout.stderr


def test_same_inputs_give_the_same_bytes(cli, tmp_path):
    a = _write(cli, tmp_path, "a.xlsx", "--from", PROFILES / "example-destination.yaml")
    b = _write(cli, tmp_path, "b.xlsx", "--from", PROFILES / "example-destination.yaml")
    assert a.read_bytes() == b.read_bytes()


def test_validations_and_protection_survive_a_load_save_cycle(cli, tmp_path):
    out = _write(cli, tmp_path, "q.xlsx", "--from", PROFILES / "example-origin.yaml")
    wb = load_workbook(out)
    before = {ws.title: (_validations(ws), ws.protection.sheet) for ws in wb.worksheets}
    saved = tmp_path / "saved.xlsx"
    wb.save(saved)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = load_workbook(saved)
    after = {ws.title: (_validations(ws), ws.protection.sheet) for ws in again.worksheets}
    assert after == before
    # The drop-downs are really there: at least answer and practice on every answer row.
    answer_rows = sum(1 for q in questions() if q.kind in ("answer", "agreements", "bodies"))
    assert sum(len(v[0]) for v in after.values()) >= 2 * answer_rows


def test_text_that_looks_like_a_formula_stays_text(cli, tmp_path):
    profile = tmp_path / "p.yaml"
    text = (PROFILES / "example-origin.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  health_care: yes\n", '  health_care: {answer: yes, note: "=HYPERLINK(\\"x\\")"}\n'
    )
    profile.write_text(text, encoding="utf-8")
    out = _write(cli, tmp_path, "q.xlsx", "--from", profile)
    ws = load_workbook(out)["Rights"]
    note = [c.value for c in ws[1]].index("Note")
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "rights.health_care")
    assert row[note].value == '=HYPERLINK("x")'
    assert row[note].data_type == "s"


def _statuses(catalogue, profile: Path) -> dict[str, str]:
    from coherence.api import assess

    found = assess(profile, catalogue, engine="reference", today=dt.date(2026, 1, 1)).findings
    return {f.rule_id: f.status for f in found}


def test_questions_marked_for_the_record_change_no_finding_and_the_others_do(cli, tmp_path):
    """A question marked 'For the record' must really change no finding: answering it yes
    or no in a profile of every role gives the same statuses. An unmarked answer does."""
    from coherence.rules.catalog import load_catalogue

    out = _write(cli, tmp_path, "q.xlsx")
    wb = load_workbook(out)
    marked = {
        row[0].value
        for ws in wb.worksheets[2:]
        for row in ws.iter_rows(min_row=2)
        if isinstance(row[1].value, str) and row[1].value.endswith(FOR_THE_RECORD)
    }
    assert "Questions marked 'For the record'" in "".join(
        str(c.value) for c in wb["Instructions"]["A"]
    )
    assert "rights.birth_registration" in marked and "rights.equal_treatment" not in marked
    catalogue = load_catalogue()
    base = yaml.safe_load((PROFILES / "example-destination.yaml").read_text(encoding="utf-8"))
    base["roles"] = ["origin", "transit", "destination"]
    asked = {q.path: q for q in questions()}
    not_party = {"un_treaty": "not_signed", "ilo_convention": "not_ratified"}

    def statuses(path: str, answer: str) -> dict[str, str]:
        data = copy.deepcopy(base)
        section, name = path.split(".")
        data.setdefault(section, {})[name] = (
            {"status": "ratified" if answer == "yes" else not_party[asked[path].kind]}
            if asked[path].kind in not_party
            else answer
        )
        file = tmp_path / f"{section}-{name}-{answer}.yaml"
        file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return _statuses(catalogue, file)

    for path in sorted(marked):
        if asked[path].kind in ("agreements", "bodies"):
            continue  # their lists need more than one cell; none is marked today
        assert statuses(path, "yes") == statuses(path, "no"), path
    assert statuses("rights.equal_treatment", "yes") != statuses("rights.equal_treatment", "no")
    result = cli("questionnaire", "-o", tmp_path / "again.xlsx")
    assert f"{len(marked)} questions are marked 'For the record'" in result.stderr
