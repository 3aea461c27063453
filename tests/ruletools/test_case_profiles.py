"""A rule case that is not a valid profile is reported by `rules lint` and `rules test` at its
line in the rule file (an attack round: `rules test` said "invalid case profile" with no file
or line, and `rules lint` passed such a pack)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.rulepack import rule, write_pack

GOOD = [
    {"name": "equal", "expect": "met", "profile": {"rights": {"equal_treatment": "yes"}}},
    {"name": "unequal", "expect": "gap", "profile": {"rights": {"equal_treatment": "no"}}},
]
BAD = [
    (
        {"name": "maybe", "expect": "met", "profile": {"rights": {"equal_treatment": "maybe"}}},
        "equal_treatment: maybe",
    ),
    ({"name": "zero date", "expect": "gap", "profile": {"as_of": 0}}, "as_of: 0"),
    ({"name": "no roles", "expect": "gap", "roles": []}, "roles: []"),
    (
        {"name": "placeholder", "expect": "gap", "profile": {"country": {"code": "XXX"}}},
        "code: XXX",
    ),
]
"""Invalid cases, each with the text of the line its problem must be reported at."""


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cases")
    met_when = {"equals": {"path": "rights.equal_treatment", "value": "yes"}}
    cases = GOOD + [case for case, _ in BAD]
    return write_pack(folder, [rule("CASES-001", met_when, theme="rights", cases=cases)])


def _line(pack: Path, text: str) -> int:
    lines = (pack / "pack.yaml").read_text(encoding="utf-8").splitlines()
    (found,) = [n for n, line in enumerate(lines, 1) if line.strip().endswith(text)]
    return found


def test_lint_reports_every_invalid_case_at_its_line(cli, pack):
    result = cli("rules", "lint", "--no-bundled", "--format", "json", pack)
    assert result.returncode == 1, result.stdout + result.stderr
    (entry,) = json.loads(result.stdout)["files"]
    errors = [e for e in entry["errors"] if e["code"] == "invalid-case"]
    assert sorted(e["line"] for e in errors) == sorted(_line(pack, text) for _, text in BAD)
    messages = " ".join(e["message"] for e in errors)
    assert "CASES-001 case 'maybe' is not a valid profile" in messages
    assert "'maybe' is not allowed here" in messages
    assert "0 is not a date" in messages
    assert "placeholder XXX" in messages


def test_rules_test_gives_the_file_and_line_of_an_invalid_case(cli, pack):
    result = cli("rules", "test", "--no-bundled", "--engine", "reference", pack)
    assert result.returncode == 1
    for case, text in BAD:
        (line,) = [x for x in result.stdout.splitlines() if f"FAIL {case['name']}:" in x]
        assert f"invalid case profile: {pack / 'pack.yaml'}:{_line(pack, text)}: " in line


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> Path:
    """A pack whose rule has two passing cases of one name (and is otherwise clean)."""
    folder = tmp_path_factory.mktemp("twins")
    met_when = {"equals": {"path": "rights.equal_treatment", "value": "yes"}}
    again = {**GOOD[0], "profile": {"rights": {"equal_treatment": "yes"}, "context": {}}}
    return write_pack(folder, [rule("TWIN-001", met_when, theme="rights", cases=[*GOOD, again])])


def _name_lines(pack: Path, name: str) -> list[int]:
    lines = (pack / "pack.yaml").read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, 1) if line.strip() == f"- name: {name}"]


def test_lint_refuses_two_cases_of_one_name_naming_both_lines(cli, twins):
    first, second = _name_lines(twins, "equal")
    result = cli("rules", "lint", "--no-bundled", "--format", "json", twins)
    assert result.returncode == 1, result.stdout + result.stderr
    (entry,) = json.loads(result.stdout)["files"]
    (error,) = [e for e in entry["errors"] if e["code"] == "duplicate-case"]
    assert error["line"] == second
    assert (
        f"TWIN-001 has two cases named 'equal', at lines {first} and {second}" in (error["message"])
    )


def test_rules_test_fails_a_rule_with_two_cases_of_one_name(cli, twins):
    first, second = _name_lines(twins, "equal")
    result = cli("rules", "test", "--no-bundled", "--engine", "reference", twins)
    assert result.returncode == 1, result.stdout
    assert "FAIL TWIN-001 (3/3 cases)" in result.stdout  # every case passes; the names clash
    assert f"pack.yaml:{second}: TWIN-001 has two cases named 'equal', at lines {first} and" in (
        result.stdout
    )
