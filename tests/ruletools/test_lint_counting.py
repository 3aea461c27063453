"""Double counting is impossible to write: `coherence rules lint` refuses, at file:line, a
contradiction that restates a standalone check, a contradiction within one profile section,
and two standalone rules that test the same field (docs/contradictions.md)."""

from __future__ import annotations

import json

import pytest

from coherence.assessment.contradiction import answer_of, answers_read, section_of
from coherence.rules.catalog import load_catalogue
from coherence.ruletools.counting import counting_problems, same_check
from tests.conftest import FIXTURES, run_in_process
from tests.rulepack import rule, write_pack

PACK = FIXTURES / "rules" / "double-count"
PACK_FILE = PACK / "pack.yaml"


def _line_of(rule_id: str, key: str) -> int:
    """The 1-based line of `key:` in the rule `rule_id` of the fixture pack."""
    lines = PACK_FILE.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  - id: {rule_id}")
    return next(i for i in range(start, len(lines)) if lines[i].strip() == f"{key}:") + 1


@pytest.fixture(scope="module")
def lint_json() -> dict:
    result = run_in_process("rules", "lint", "--format", "json", PACK)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def _errors(lint_json: dict) -> list[dict]:
    (entry,) = lint_json["files"]
    assert entry["path"].endswith("double-count/pack.yaml") and not entry["valid"]
    assert {e["file"] for e in entry["errors"]} == {entry["path"]}
    return entry["errors"]


def test_a_contradiction_that_restates_a_standalone_check_is_a_double_count(lint_json):
    errors = [e for e in _errors(lint_json) if e["path"] == "COUNT-001"]
    (error,) = errors
    assert error["code"] == "double-count"
    assert error["line"] == _line_of("COUNT-001", "met_when")
    assert "same check as the met_when of" in error["message"]
    assert "RIGHTS-001" in error["message"] and "rules/rights.yaml:" in error["message"]


def test_a_contradiction_reading_one_answer_a_check_reads_is_a_double_count(lint_json):
    (error,) = [e for e in _errors(lint_json) if e["path"] == "COUNT-002"]
    assert error["code"] == "double-count"
    assert error["line"] == _line_of("COUNT-002", "met_when")
    assert "single answer, labour_channels.temporary_admission" in error["message"]
    assert "LABOUR-002" in error["message"]


def test_a_contradiction_within_one_section_is_not_cross_theme(lint_json):
    (error,) = [e for e in _errors(lint_json) if e["path"] == "COUNT-003"]
    assert error["code"] == "not-cross-theme"
    lines = PACK_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[error["line"] - 1] == "  - id: COUNT-003"
    assert "one profile section only (anti_trafficking)" in error["message"]


def test_two_standalone_rules_with_the_same_check_are_a_duplicate(lint_json):
    (error,) = [e for e in _errors(lint_json) if e["path"] == "COUNT-004"]
    assert error["code"] == "duplicate-check"
    assert error["line"] == _line_of("COUNT-004", "met_when")
    assert "RIGHTS-001" in error["message"]


def test_a_real_contradiction_passes(lint_json):
    assert not [e for e in _errors(lint_json) if e["path"] == "COUNT-005"]


def test_text_output_gives_file_line_and_code(cli):
    result = cli("rules", "lint", PACK)
    assert result.returncode == 1
    line = _line_of("COUNT-001", "met_when")
    assert f"double-count/pack.yaml:{line}:1: error[double-count] COUNT-001" in result.stdout
    assert "5 rule(s) checked, 4 problem(s)" in result.stderr


def test_the_bundled_catalogue_counts_no_answer_twice():
    catalogue = load_catalogue()
    assert counting_problems(catalogue) == []
    contradictions = [r for r in catalogue.rules if r.theme == "coherence"]
    assert len(contradictions) >= 12
    for r in contradictions:
        read = answers_read(r, ("applies_when", "met_when"), catalogue)
        assert len({section_of(p) for p in read}) >= 2, r.id
        assert len({answer_of(p) for p in answers_read(r, ("met_when",), catalogue)}) >= 2, r.id


def test_same_check_compares_truth_tables_not_spelling(tmp_path):
    yes = {"equals": {"path": "rights.equal_treatment", "value": "yes"}}
    also_yes = {"not": {"in": {"path": "rights.equal_treatment", "values": ["no", "partial"]}}}
    partial_too = {"in": {"path": "rights.equal_treatment", "values": ["yes", "partial"]}}
    pack = write_pack(
        tmp_path,
        [rule("SAME-001", yes), rule("SAME-002", also_yes), rule("SAME-003", partial_too)],
    )
    catalogue = load_catalogue([pack], include_bundled=False)
    by_id = catalogue.by_id
    assert same_check(by_id["SAME-001"].met_when, by_id["SAME-002"].met_when, catalogue)
    assert not same_check(by_id["SAME-001"].met_when, by_id["SAME-003"].met_when, catalogue)
    codes = {(d.path, d.code) for d in counting_problems(catalogue)}
    assert codes == {("SAME-002", "duplicate-check")}


def test_derived_facts_are_expanded(tmp_path):
    derived = [
        {
            "id": "some_channel",
            "description": "A regular channel of some kind is open.",
            "when": {"in": {"path": "labour_channels.temporary_admission", "values": ["yes"]}},
        }
    ]
    through_derived = rule(
        "DERIVED-001",
        {"equals": {"path": "derived.some_channel", "value": "yes"}},
        theme="coherence",
        applies_when={"equals": {"path": "context.labour_shortages_declared", "value": "yes"}},
    )
    direct = rule(
        "DERIVED-002", {"equals": {"path": "labour_channels.temporary_admission", "value": "yes"}}
    )
    catalogue = load_catalogue(
        [write_pack(tmp_path, [through_derived, direct], derived)], include_bundled=False
    )
    problems = counting_problems(catalogue)
    assert [(d.path, d.code) for d in problems] == [("DERIVED-001", "double-count")]
    assert "same check as the met_when of DERIVED-002" in problems[0].message


def test_an_exclusion_belongs_to_its_answer():
    assert answer_of("rights.health_care.excludes.children") == "rights.health_care"
    assert answer_of("coordination.coordination_bodies.members") == (
        "coordination.coordination_bodies"
    )
    assert answer_of("rights.health_care") == "rights.health_care"
    assert answer_of("instruments.ilo_c97.incorporated_in_law") == (
        "instruments.ilo_c97.incorporated_in_law"
    )
