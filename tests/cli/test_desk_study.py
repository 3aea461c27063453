"""Regressions from the desk studies of real countries (Nepal, Türkiye; the United Arab
Emirates, Senegal): findings that misstated what the profile says, or asked for answers the
profile gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "profiles"


def _finding(cli, profile: Path, rule_id: str) -> dict:
    result = cli("check", profile, "--format", "json", "--output", "-")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    found = [f for a in report["assessments"] for f in a["findings"] if f["rule_id"] == rule_id]
    assert len(found) == 1, rule_id
    return found[0]


def test_an_acceded_treaty_is_reported_as_acceded_not_ratified(cli):
    """Nepal acceded to the Trafficking Protocol, ICERD and CEDAW; the cross-theme findings
    said "The profile says: instruments.trafficking_protocol_2000.status = ratified", which is
    not what the profile says (accession only counts as ratification). The contradictions that
    read the first two (COHERENCE-028, -032) were retired; COHERENCE-036 reads CEDAW's."""
    profile = FIXTURES / "acceded.yaml"
    text = cli("check", profile).stdout
    assert "instruments.cedaw.status = acceded" in text
    assert "status = ratified" not in text
    markdown = cli("check", profile, "--format", "markdown", "--output", "-").stdout
    assert "status = ratified" not in markdown and "**ratified**" not in markdown
    finding = _finding(cli, profile, "COHERENCE-036")
    assert finding["status"] == "partial"
    status = [t for t in finding["trace"] if t["path"].endswith(".status")]
    assert [t["value"] for t in status] == ["acceded"]


def test_questions_leave_out_answers_given_or_made_irrelevant(cli):
    """Türkiye answered `brain_drain_measures: not_applicable`, and the report still asked
    "Are there measures against the loss of skilled workers? ... (decides COHERENCE-025)";
    with C143 not ratified it asked whether C143 is reflected in national law, which cannot
    decide RIGHTS-025 (only C97's status and law can)."""
    profile = FIXTURES / "answered-not-applicable.yaml"
    brain = _finding(cli, profile, "COHERENCE-025")
    assert brain["status"] == "insufficient_data"
    assert brain["missing"] == ["coordination.policy_coherence_assessment"]
    ilo = _finding(cli, profile, "RIGHTS-025")
    assert ilo["status"] == "insufficient_data"
    assert sorted(ilo["missing"]) == [
        "instruments.ilo_c97.incorporated_in_law",
        "instruments.ilo_c97.status",
    ]
    text = cli("check", profile).stdout
    questions = text[text.index("Questions to answer") :]
    assert "labour_channels.brain_drain_measures" not in questions
    assert "instruments.ilo_c143" not in questions


def test_reservations_and_exclusions_are_shown_with_the_status(cli):
    """Türkiye's profile records the geographical limitation of the Refugee Convention under
    `reservations:`; no report showed it, so RIGHTS-031 read as if the treaty applied in
    full."""
    profile = FIXTURES / "geographical-limitation.yaml"
    markdown = cli("check", profile, "--format", "markdown", "--output", "-").stdout
    assert "Reservations: Geographical limitation (Art. 1 B (1) (a)), only events" in markdown
    assert "Reservations: Geographical limitation maintained." in markdown
    assert "Exclusions: Annexes I to III not accepted." in markdown
    finding = _finding(cli, profile, "RIGHTS-031")
    notes = {t["path"]: t.get("note") for t in finding["trace"]}
    assert notes["instruments.refugee_protocol_1967.status"] == (
        "Reservations: Geographical limitation maintained."
    )


def test_the_1967_protocol_is_not_said_to_lift_a_kept_geographical_limit(cli):
    """The 1967 Protocol lets a state that chose the 1951 Convention's geographical limit keep
    it (Art. I(3)), as Türkiye did; the question put to every country said the Protocol
    "lifts the 1951 Convention's time and place limits", which Türkiye could not sign."""
    template = cli("template").stdout
    assert "time and place limits" not in template
    assert "a state that had opted for the geographical limit" in template
    profile = FIXTURES / "answered-not-applicable.yaml"
    questions = cli("check", profile, "--format", "markdown", "--output", "-").stdout
    assert "time and place limits" not in questions


def test_bodies_listed_without_members_are_asked_for_their_members(cli):
    """Nepal listed two bodies without members; the question to answer read "List each
    coordination body under bodies: ..." as if none were listed."""
    profile = FIXTURES / "bodies-without-members.yaml"
    assert _finding(cli, profile, "COORD-003")["missing"] == [
        "coordination.coordination_bodies.bodies"
    ]
    text = " ".join(cli("check", profile).stdout.split())
    assert "for a body listed already, add its members" in text


def test_a_list_is_said_to_be_listed_not_answered(cli):
    """COORD-003 for Türkiye read "Met: the profile answers 6 listed to “Member ministries
    and agencies of the coordination bodies.”": a list is not an answer to a question."""
    finding = _finding(cli, FIXTURES / "bodies-with-members.yaml", "COORD-003")
    assert finding["status"] == "met"
    assert finding["reason"] == (
        "Met: the profile lists 2: “Member ministries and agencies of the coordination "
        "bodies” (coordination.coordination_bodies.members)."
    )


def test_a_partial_coordination_body_is_not_assumed_to_be_occasional(cli):
    """Nepal's bodies are standing ones by statute (Foreign Employment Board, National
    Committee for Controlling Human Trafficking), each covering part of migration; COORD-001
    told it to "Turn the proposed or occasional body into a standing one"."""
    finding = _finding(cli, FIXTURES / "bodies-without-members.yaml", "COORD-001")
    assert finding["status"] == "partial"
    advice = " ".join(finding["recommendation"].split())
    assert "Turn the proposed or occasional body" not in advice
    assert "where it covers only part of migration" in advice


def test_advice_for_an_acceded_treaty_not_in_law_does_not_say_only_ratified(cli):
    """TRAFFIC-017 for Nepal, which acceded to the Trafficking Protocol: "The Trafficking
    Protocol is ratified: review national legislation ..."."""
    finding = _finding(cli, FIXTURES / "acceded.yaml", "TRAFFIC-017")
    assert finding["status"] == "partial" and finding["cause"] == "not_in_law"
    assert " ".join(finding["recommendation"].split()).startswith(
        "The Trafficking Protocol is ratified or acceded to: review national legislation"
    )


def test_free_movement_by_treaty_is_not_called_regional(cli):
    """Nepal's workers go to India under the 1950 treaty, not under a regional scheme: the
    reason said "regional free movement counts as covered"."""
    finding = _finding(cli, FIXTURES / "acceded.yaml", "COHERENCE-006")
    assert finding["status"] == "met", finding["reason"]
    assert "cover all of the 2 main countries its workers go to" in finding["reason"]
    assert "free movement, regional or by treaty, counts as covered" in finding["reason"]
    assert "regional free movement" not in json.dumps(finding)


# Desk study desk4: the United Arab Emirates (destination) and Senegal (origin, transit).
UAE = FIXTURES / "reviewer-uae.yaml"
SENEGAL = FIXTURES / "reviewer-senegal.yaml"


def _variant(tmp_path: Path, source: Path, name: str, edit) -> Path:
    """A copy of a fixture with one edit to its data (a section deleted, an answer changed)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("code", "none"), [("en", "none"), ("fr", "aucun"), ("es", "ninguno")])
def test_an_empty_list_survives_the_questionnaire_round_trip(cli, tmp_path, code, none):
    """The UAE, a country of destination only, lists no main countries of destination
    (`main_destination_countries: []`); the workbook left the cell empty, the import read it
    as not answered, and `diff` showed "none listed → not answered". The same for a list of
    ministries given as empty. The cell says "none" in the workbook's language."""
    for name, profile in (
        ("uae", UAE),
        (
            "none",
            _variant(
                tmp_path, UAE, "none.yaml", lambda d: d["context"].update(responsible_ministries=[])
            ),
        ),
    ):
        book, back = tmp_path / f"{name}.xlsx", tmp_path / f"{name}-back.yaml"
        made = cli("questionnaire", "--language", code, "--from", profile, "-o", book)
        assert made.returncode == 0, made.stderr
        assert "not carried" not in made.stderr
        cells = {c.value for ws in load_workbook(book) for row in ws.iter_rows() for c in row}
        assert none in cells
        assert cli("import", book, "-o", back).returncode == 0
        diff = cli("diff", profile, back)
        assert "0 answers of the profile changed." in diff.stdout, diff.stdout
        context = yaml.safe_load(back.read_text(encoding="utf-8"))["context"]
        assert context["main_destination_countries"] == []
    assert context["responsible_ministries"] == []


def test_an_answer_is_asked_once_however_many_groups_a_rule_reads(cli, tmp_path):
    """With its rights section left unanswered, the UAE was asked "Do migrant workers have
    equal treatment ...?" and then, as two more questions to answer yes or no, whether that
    answer leaves out seasonal workers and temporary workers (the same for social security
    and for detention of children): one answer counted as three questions, and no field to
    write a yes or no in (the groups go in the answer's `excludes`)."""
    profile = _variant(tmp_path, UAE, "half.yaml", lambda d: d.pop("rights"))
    assert _finding(cli, profile, "COHERENCE-033")["missing"] == [
        "rights.equal_treatment",
        "rights.social_security",
    ]
    assert _finding(cli, profile, "COHERENCE-018")["missing"] == [
        "rights.child_detention_prohibited",
        "rights.detention_last_resort",
    ]
    text = cli("check", profile).stdout
    questions = " ".join(text[text.index("Questions to answer") :].split())
    assert ".excludes." not in questions and "leave out" not in questions
    asked = "(rights.equal_treatment, not in the profile; decides COHERENCE-033, RIGHTS-001)"
    assert questions.count(asked) == 1


def test_a_part_of_a_rule_answered_not_applicable_is_set_aside(cli, tmp_path):
    """COHERENCE-036 asks a party to CEDAW to protect women migrant workers and not to bar
    women from emigrating. The UAE, a destination, may answer the emigration question not
    applicable; the whole rule then became "not applicable" ("The profile answers not
    applicable to what this rule needs"), whether or not women migrant workers are
    protected."""

    def edit(protection: str):
        return lambda d: d["rights"].update(
            sex_specific_emigration_bans="not_applicable", women_migrants_protection=protection
        )

    met = _finding(cli, _variant(tmp_path, UAE, "yes.yaml", edit("yes")), "COHERENCE-036")
    gap = _finding(cli, _variant(tmp_path, UAE, "no.yaml", edit("no")), "COHERENCE-036")
    assert (met["status"], gap["status"]) == ("met", "gap")
    assert gap["reason"].startswith(
        "Not met: the profile answers no to “Are there measures for the specific protection "
        "of women migrant workers?” (rights.women_migrants_protection). Set aside, as not "
        "applicable: the profile answers not applicable to “Does the country ban"
    )
    assert gap["reason"].endswith("(rights.sex_specific_emigration_bans).")


def test_a_rule_not_applicable_by_an_answer_names_it(cli, tmp_path):
    """A rule whose only open answer was not applicable said "The profile answers not
    applicable to what this rule needs", naming no answer."""
    profile = _variant(
        tmp_path,
        SENEGAL,
        "na.yaml",
        lambda d: d["labour_channels"].update(pre_departure_orientation="not_applicable"),
    )
    finding = _finding(cli, profile, "LABOUR-008")
    assert finding["status"] == "not_applicable"
    assert finding["reason"].startswith("Not applicable: the profile answers not applicable to “")
    assert finding["reason"].endswith("” (labour_channels.pre_departure_orientation).")


def test_a_convention_s_status_is_asked_before_its_national_law(cli):
    """Senegal's status under ILO C97 and C143 is unknown to the desk study; the questions
    asked whether each convention is reflected in national law before asking whether it is
    ratified."""
    text = " ".join(cli("check", SENEGAL).stdout.split())
    for ilo in ("ilo_c97", "ilo_c143"):
        status = text.index(f"instruments.{ilo}.status;")
        law = text.index(f"instruments.{ilo}.incorporated_in_law;")
        assert status < law, ilo


def test_corridors_covered_by_treaty_are_not_called_regional(cli):
    """c2d192b changed the reason's wording to "free movement, regional or by treaty", but
    the answer's own description in the findings still said "a country under regional free
    movement counts as covered"."""
    markdown = cli("check", SENEGAL, "--format", "markdown", "--output", "-").stdout
    assert "regional free movement" not in markdown
    assert "a country under free movement, regional or by treaty, counts as covered" in markdown


def test_a_destination_s_corridors_are_its_countries_of_origin(cli):
    """The UAE lists no main countries of destination (it is one); LABOUR-004 said its
    agreements "cover 6 of the 7 main countries of destination and origin
    (context.main_destination_countries, context.main_origin_countries; ...)", naming a list
    that holds none of them."""
    finding = _finding(cli, UAE, "LABOUR-004")
    assert finding["reason"] == (
        "Partly met: the agreements listed (labour_channels.bilateral_agreements) cover 6 of "
        "the 7 main countries of origin (context.main_origin_countries; free movement, "
        "regional or by treaty, counts as covered); not covered: EGY."
    )
    both = _finding(cli, SENEGAL, "LABOUR-004")["reason"]
    assert "cover 7 of the 11 main countries of destination and origin" in both
