"""`coherence check` through the real CLI: statuses, traces, waivers, scores, JSON contract."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from tests.conftest import ENGINES, FIXTURES, PROFILES, ROOT, TEMPLATE, line_of
from tests.gapjson import assessment, assessments

STATUSES = FIXTURES / "profiles" / "statuses.yaml"
WAIVERS = FIXTURES / "profiles" / "waivers.yaml"


def check_json(cli, *args):
    result = cli("check", "--format", "json", "--today", "2026-06-01", *args)
    assert result.returncode == 0, result.stderr
    return assessment(result.stdout), result


def by_rule(report):
    return {f["rule_id"]: f for f in report["findings"]}


def test_every_status_with_trace_lines(cli):
    report, _ = check_json(cli, STATUSES)
    f = by_rule(report)
    assert f["RIGHTS-001"]["status"] == "met"
    assert f["RIGHTS-032"]["status"] == "partial"
    assert f["DATA-005"]["status"] == "gap"
    assert f["DATA-002"]["status"] == "insufficient_data"
    assert f["DATA-002"]["missing"] == ["data_collection.sex_age_disaggregation"]
    assert f["RIGHTS-013"]["status"] == "not_applicable"
    assert f["COHERENCE-001"]["status"] == "gap"
    lines = STATUSES.read_text(encoding="utf-8").splitlines()
    # The trace names the answer and its line: "you answered no at line N".
    loc = f["DATA-005"]["location"]
    assert loc["path"] == "data_collection.admin_flow_statistics" and loc["value"] == "no"
    assert lines[loc["line"] - 1].strip().startswith("admin_flow_statistics:")
    trace = {t["path"]: t for t in f["COHERENCE-001"]["trace"]}
    assert trace["context.labour_shortages_declared"]["value"] == "yes"
    assert (
        lines[trace["context.labour_shortages_declared"]["line"] - 1]
        .strip()
        .startswith("labour_shortages_declared")
    )
    # A missing answer points at its parent section's line.
    missing = trace["labour_channels.temporary_admission"]
    assert missing["state"] == "known"
    absent = {t["path"]: t for t in f["RIGHTS-003"]["trace"]}["rights.social_security"]
    assert absent["state"] == "missing" and lines[absent["line"] - 1].startswith("rights:")


def test_citations_are_verbatim_and_located(cli):
    report, _ = check_json(cli, STATUSES)
    cite = by_rule(report)["COHERENCE-002"]["citations"][0]
    source = (ROOT / "seeds" / cite["file"]).read_text(encoding="utf-8").splitlines()
    window = " ".join(" ".join(source[cite["lines"][0] - 1 : cite["lines"][1]]).split())
    assert cite["quote"] in window and cite["section"]


def test_valid_waiver_applies_and_expired_waiver_is_ignored_with_notice(cli):
    report, _ = check_json(cli, WAIVERS)
    f = by_rule(report)
    assert f["RIGHTS-001"]["status"] == "waived"
    assert f["RIGHTS-001"]["waiver"]["underlying_status"] == "gap"
    assert "Equal-treatment bill" in f["RIGHTS-001"]["reason"]
    assert f["COORD-001"]["status"] == "gap"
    (notice,) = report["notices"]
    assert notice["code"] == "waiver-expired" and "COORD-001" in notice["message"]
    assert notice["line"] == line_of(FIXTURES / "profiles" / "waivers.yaml", "- rule: COORD-001")
    # Waived findings leave the score: RIGHTS-001 is neither a gap nor met there.
    assert report["scores"]["rights"]["counts"]["waived"] == 1


def test_a_waiver_never_hides_a_met_or_an_undecided_rule(cli):
    """Attack round 2 §21: a waiver sets aside a gap or a partial only. A met rule stays met
    (the waiver is not needed), an undecided one stays insufficient data, in the questions to
    answer (the waiver cannot apply yet); each says so at the waiver's line."""
    path = FIXTURES / "profiles" / "waivers-not-needed.yaml"
    report, _ = check_json(cli, path)
    f = by_rule(report)
    assert f["RIGHTS-001"]["status"] == "met" and f["RIGHTS-001"]["waiver"] is None
    assert f["LABOUR-001"]["status"] == "insufficient_data" and f["LABOUR-001"]["waiver"] is None
    assert f["COORD-001"]["status"] == "waived"
    assert f["COORD-001"]["waiver"]["underlying_status"] == "gap"
    notices = {n["code"]: n for n in report["notices"]}
    assert "RIGHTS-001 is not needed: the rule is met" in notices["waiver-unused"]["message"]
    undecided = notices["waiver-undecided"]
    assert "LABOUR-001 cannot apply until the question is answered" in undecided["message"]
    assert undecided["line"] == line_of(path, "- rule: LABOUR-001")
    assert report["scores"]["rights"]["counts"]["met"] >= 1
    assert f["LABOUR-001"]["missing"]  # its questions stay in the ones to answer
    text = cli("check", "--today", "2026-06-01", path)
    assert "The waiver for LABOUR-001 cannot apply until the question is answered" in (
        text.stdout + text.stderr
    )


def test_two_waivers_of_one_rule_are_refused_at_the_second(cli):
    path = FIXTURES / "bad" / "waiver-twice.yaml"
    result = cli("check", path)
    assert result.returncode == 2
    assert f"waiver-twice.yaml:{line_of(path, 'expires: 2029') - 3}:" in result.stderr
    assert "RIGHTS-001 is waived twice (first at line 9)" in result.stderr


def test_waiver_for_unknown_rule_is_an_input_error(cli):
    result = cli("check", FIXTURES / "bad" / "unknown-waiver.yaml")
    assert result.returncode == 2
    assert "unknown-waiver.yaml:8:5" in result.stderr and "RIGHTS-999" in result.stderr


def test_scores_bands_and_coverage(cli):
    report, _ = check_json(cli, PROFILES / "example-origin.yaml")
    weight = {"high": 3, "medium": 2, "low": 1}
    value = {"met": 1, "partial": 0.5, "gap": 0}
    policy = ("rights", "data_collection", "labour_channels", "anti_trafficking", "coordination")
    for name, score in report["scores"].items():
        themes = policy if name == "overall" else (name,)
        mine = [f for f in report["findings"] if f["theme"] in themes]
        decided = [f for f in mine if f["status"] in value]
        counts = score["counts"]
        assert len(decided) == counts["met"] + counts["partial"] + counts["gap"]
        if decided:
            expected = sum(weight[f["severity"]] * value[f["status"]] for f in decided) / sum(
                weight[f["severity"]] for f in decided
            )
            assert score["score"] == round(100 * expected, 1), name
            assert score["coverage"] == round(
                100 * len(decided) / (len(decided) + counts["insufficient_data"]), 1
            )
            assert score["classified"] == (score["coverage"] >= 60)
            if score["classified"]:
                assert 1 <= score["band"] <= 4 and score["band_label"]
        else:
            assert score["score"] is None and score["band"] is None and not score["classified"]


def test_json_report_matches_its_schema_and_is_byte_identical(cli, cli_subprocess):
    # One run in a real process and one in this one: two hash seeds, so set order cannot leak.
    first = cli_subprocess(
        "check", "--format", "json", "--today", "2026-06-01", PROFILES / "example-transit.yaml"
    )
    second = cli(
        "check", "--format", "json", "--today", "2026-06-01", PROFILES / "example-transit.yaml"
    )
    assert first.stdout == second.stdout
    schema = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(first.stdout))
    committed = cli("schema", "--report")
    assert committed.stdout == (ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8")


def test_text_summary_names_gaps_and_their_sources(cli):
    result = cli("check", "--today", "2026-06-01", STATUSES)
    assert result.returncode == 0
    assert "Statusland (ATA)" in result.stdout
    assert (
        "[medium] DATA-005 Entries and departures of migrants are measured from administrative sources"
        in result.stdout
    )
    assert "statuses.yaml:" in result.stdout
    # The questions that would decide the undecided rules, in plain words with their field.
    questions = result.stdout.split("\nQuestions to answer (", 1)[1]
    assert "data_collection.sex_age_disaggregation" in questions
    assert "disaggregated by sex and age?" in questions


def test_output_is_written_atomically_and_never_over_an_input(cli, tmp_path):
    profile = tmp_path / "p.yaml"
    shutil.copy(STATUSES, profile)
    before = profile.read_bytes()
    refused = cli("check", profile, "--output", profile)
    assert refused.returncode == 2 and "refusing to overwrite an input file" in refused.stderr
    assert profile.read_bytes() == before
    out = tmp_path / "report.json"
    written = cli("check", profile, "--format", "json", "--output", out, "--today", "2026-06-01")
    assert written.returncode == 0 and written.stdout == ""
    assert assessment(out.read_text(encoding="utf-8"))["profile"]["country"] == "ATA"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_invalid_profile_and_placeholder_are_input_errors(cli):
    bad = cli("check", FIXTURES / "bad" / "bad-answer.yaml")
    assert bad.returncode == 2 and "bad-answer.yaml:8:3" in bad.stderr
    template = cli("check", TEMPLATE)
    assert template.returncode == 2 and "placeholder XXX" in template.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_agree_through_the_cli(cli, engine):
    report, _ = check_json(cli, "--engine", engine, PROFILES / "example-destination.yaml")
    other, _ = check_json(cli, "--engine", "reference", PROFILES / "example-destination.yaml")
    assert report["engine"] == engine
    assert report["findings"] == other["findings"] and report["scores"] == other["scores"]


def test_several_profiles_and_extra_rule_pack(cli):
    examples = sorted(PROFILES.glob("example-*.yaml"))
    result = cli("check", "-f", "json", "--rules", FIXTURES / "rules" / "logic", *examples)
    report = assessments(result.stdout)
    countries = sorted(a["profile"]["country"] for a in report)
    assert set(countries) == {"ARE", "MEX", "NPL"} and len(countries) == len(examples)
    assert any(f["rule_id"] == "LOGIC-001" for f in report[0]["findings"])


def test_library_api_without_the_cli():
    import datetime as dt

    from coherence import assess, load_catalogue, load_profile

    result = assess(load_profile(STATUSES), load_catalogue(), today=dt.date(2026, 6, 1))
    assert {f.rule_id: f.status for f in result.findings}["DATA-005"] == "gap"


@pytest.mark.parametrize("when", ["20260601", "2026-W22-1", "2026-06-1", "２０２６-06-01"])
def test_today_is_a_date_written_yyyy_mm_dd_on_every_python(cli, when):
    """Python 3.11 reads 20260601 and 2026-W22-1 as dates and 3.10 refuses them: the same
    CI job passed or failed with the interpreter (attack round 4, second pass)."""
    result = cli("check", "--today", when, PROFILES / "example-origin.yaml")
    assert result.returncode == 2, result.stderr
    assert f"--today {when!r} is not a date; write it as YYYY-MM-DD" in result.stderr
