"""`coherence validate` through the real CLI: exit codes, locations, formats, bad input."""

from __future__ import annotations

import json
import os
import shutil

import pytest
import yaml

from coherence.diagnostics import InputError
from tests.conftest import FIXTURES, PROFILES, ROOT, TEMPLATE, line_of

BAD = FIXTURES / "bad"
CASES = yaml.safe_load((FIXTURES / "cases-bad-input.yaml").read_text(encoding="utf-8"))


def test_every_bad_fixture_has_an_expectation():
    assert sorted(CASES) == sorted(p.name for p in BAD.glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_located_error_and_no_traceback(cli, name):
    expected = CASES[name]
    before = (BAD / name).read_bytes()
    result = cli("validate", "--format", "json", BAD / name)
    assert result.returncode == expected["exit"], result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    report = json.loads(result.stdout)
    (entry,) = report["files"]
    assert entry["valid"] is False
    matching = [e for e in entry["errors"] if e["code"] == expected["code"]]
    assert matching, entry["errors"]
    assert any(e["line"] == expected["line"] for e in matching), matching
    assert any(expected["message"] in e["message"] for e in matching), matching
    if "problems" in expected:  # one mistake, said once
        assert len(entry["errors"]) == expected["problems"], entry["errors"]
    assert (BAD / name).read_bytes() == before, "validate must never modify its input"


def test_text_format_prints_file_line_column(cli):
    result = cli("validate", BAD / "unknown-field.yaml")
    assert result.returncode == 1
    line = result.stdout.strip()
    assert line.startswith(f"{BAD / 'unknown-field.yaml'}:8:3: error[extra_forbidden]")
    assert "did you mean 'bilateral_agreements'?" in line
    assert "1 file checked: 0 valid, 1 invalid, 1 problem" in result.stderr


def test_reports_every_error_in_every_file(cli, tmp_path):
    for name in ("bad-answer.yaml", "missing-required.yaml"):
        shutil.copy(BAD / name, tmp_path / name)
    (tmp_path / "nested").mkdir()
    shutil.copy(PROFILES / "example-origin.yaml", tmp_path / "nested" / "ok.yml")
    result = cli("validate", "--format", "json", tmp_path)
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["summary"] == {"errors": 4, "files": 3, "invalid": 2, "warnings": 0}
    valid = {os.path.basename(f["path"]): f["valid"] for f in report["files"]}
    assert valid == {"bad-answer.yaml": False, "missing-required.yaml": False, "ok.yml": True}


def test_github_format_emits_escaped_workflow_commands(cli, tmp_path):
    odd = tmp_path / "a,b:c.yaml"
    shutil.copy(BAD / "bad-answer.yaml", odd)
    result = cli("validate", "--format", "github", odd)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=")
    assert "a%2Cb%3Ac.yaml" in first
    assert ",line=8,col=3,title=coherence literal_error::" in first


def test_missing_path_is_a_usage_error(cli_subprocess, tmp_path):
    # A real process: the console script's own exit code and standard error.
    result = cli_subprocess("validate", tmp_path / "nope.yaml")
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_folder_without_profiles_is_a_usage_error(cli, tmp_path):
    result = cli("validate", tmp_path)
    assert result.returncode == 2
    assert "no profile files" in result.stderr


def test_huge_file_is_refused_by_size_limit(cli, tmp_path):
    huge = tmp_path / "huge.yaml"
    huge.write_text(
        "notes:\n" + "  - " + "x" * 100 + "\n" * 1 + ("  - " + "y" * 100 + "\n") * 25_000
    )
    result = cli("validate", "--format", "json", huge)
    assert result.returncode == 1
    error = json.loads(result.stdout)["files"][0]["errors"][0]
    assert error["code"] == "too-large" and "the limit is 2,097,152 bytes" in error["message"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_exits_2(cli, tmp_path):  # pragma: no cover - CI runs as root
    locked = tmp_path / "locked.yaml"
    locked.write_text("a: 1\n")
    locked.chmod(0)
    result = cli("validate", locked)
    assert result.returncode == 2


def test_bundled_profiles_are_valid(cli):
    result = cli("validate", PROFILES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def _errors(cli, path):
    result = cli("validate", "--format", "json", path)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)["files"][0]["errors"]


def test_waiver_id_is_checked_in_plain_words(cli, tmp_path):
    (error,) = _errors(cli, BAD / "waiver-id.yaml")
    assert "RIGHTS-004" in error["message"]
    for regex in ("^", "$", "[A-Z", "{3}", "pattern"):
        assert regex not in error["message"], error["message"]
    almost = tmp_path / "almost.yaml"
    almost.write_text((BAD / "waiver-id.yaml").read_text().replace("rights-4", "rights-004"))
    (error,) = _errors(cli, almost)
    assert "did you mean 'RIGHTS-004'?" in error["message"]


def test_messages_say_what_to_write_in_text_format(cli):
    result = cli("validate", BAD / "free-text-answer.yaml")
    assert result.returncode == 1
    assert result.stdout.startswith(f"{BAD / 'free-text-answer.yaml'}:9:3: error[literal_error]")
    assert 'equal_treatment: {answer: partial, note: "Only for nationals"}' in result.stdout


HEAD = "format_version: 2\ncountry: {code: PHL, name: Philippines}\nas_of: 2025-01-01\nprepared_by: x\nroles: [origin]\n"


@pytest.mark.parametrize(
    ("body", "line", "hint"),
    [
        (
            "rights:\n    equal_treatment: yes\n  health_care: no\n",
            8,
            "indented 2 spaces and the line above 4 spaces: indent with spaces to line up with the other fields",
        ),
        (
            "rights:\n  equal_treatment yes\n  health_care: no\n",
            8,
            "the line above has no colon after its field name: write equal_treatment: yes",
        ),
        (
            'rights:\n  equal_treatment:\n    answer: partial\n    note: "Nationals" only\n',
            9,
            "put the whole text inside the quotes",
        ),
        (
            "rights:\n  equal_treatment:\n    answer: partial\n    note: @domestic workers\n",
            9,
            'put the note in quotes: note: "@domestic workers"',
        ),
        ("rights:\n\tequal_treatment: yes\n", 7, "spaces, not tabs"),
        ("roles: [origin, transit\n", 6, "close the list with ]"),
        (
            "waivers:\n  - rule: RIGHTS-004\n    justification: Reform: before parliament\n",
            8,
            'put the justification in quotes: justification: "Reform: before parliament"',
        ),
    ],
)
def test_common_yaml_mistakes_get_a_hint(cli, tmp_path, body, line, hint):
    head = HEAD.replace("roles: [origin]\n", "") if body.startswith("roles") else HEAD
    path = tmp_path / "p.yaml"
    path.write_text(head + body, encoding="utf-8")
    (error,) = _errors(cli, path)
    assert error["code"] == "yaml-syntax" and error["line"] == line, error
    assert hint in error["message"], error["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "rights: [equal_treatment]\n",
            "'rights' has the wrong shape: expected a mapping with: equal_treatment, social_security",
        ),
        (
            "instruments:\n  ilo_c97: [ratified, 2009]\n",
            "expected a mapping with: date, incorporated_in_law",
        ),
        (
            "instruments:\n  crc: not_ratified\n",
            "write not_signed, or signed if the country signed but has not ratified",
        ),
        ("instruments:\n  ilo_c97: ratified in 2009\n", "is not a status; write status: one of"),
        ("rights:\n  practice: partial\n", "'practice' is part of an answer's long form"),
        ("context:\n  prepared_by: x\n", "prepared_by belongs at the top level"),
        (
            "context:\n  equal_treatement: yes\n",
            "did you mean 'equal_treatment'? It belongs in rights",
        ),
        (
            "rights:\n  equal_treatment:\n    answer: yes\n    evidence: Labour Code\n",
            "write evidence: [{title: Labour Code}]",
        ),
        ("context:\n  main_destination_countries: [Saudi Arabia, QA]\n", "did you mean 'SAU'?"),
    ],
)
def test_validation_messages_name_what_to_write(cli, tmp_path, body, message):
    path = tmp_path / "p.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    errors = _errors(cli, path)
    assert any(message in e["message"] for e in errors), errors
    for error in errors:
        assert error["line"] > 5, error  # located at the mistake, not at the top of the file


def test_check_of_the_profiles_folder_passes(cli):
    """The README's CI command and the GitHub Action's default path: every file in
    profiles/ is a valid profile (the blank template lives in templates/)."""
    result = cli("check", "--format", "json", PROFILES)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_validate_and_check_agree_on_the_template(cli):
    validated = cli("validate", TEMPLATE)
    checked = cli("check", TEMPLATE)
    assert validated.returncode == 1 and checked.returncode == 2
    assert "placeholder XXX" in validated.stdout and "placeholder XXX" in checked.stderr
    # Its name too, as its code (attack round 2 §13): "Country name" would title a report.
    assert "the country name is still the template's placeholder 'Country name'" in (
        validated.stdout
    )


@pytest.mark.parametrize(
    "name",
    [
        "Nepal",
        "nepal",
        "NEPAL ",
        "Federal Democratic Republic of Nepal",
        # Ministries write their country's name in their own language (real-country
        # review: Morocco's "Maroc" was warned of).
        "Népal",
        "le Népal",
        "Непал",
        "نيبال",
        "尼泊尔",
    ],
)
def test_a_name_of_the_code_in_any_form_gives_no_warning(cli, tmp_path, name):
    text = (BAD.parent / "profiles" / "country-mismatch.yaml").read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("name: Germany", f"name: {name!r}"), encoding="utf-8")
    result = cli("validate", path)
    assert result.returncode == 0 and "warning" not in result.stdout + result.stderr, name


@pytest.mark.parametrize("name", ["Allemagne", "Alemania", "Deutschland", "ألمانيا"])
def test_another_countrys_name_in_another_language_is_still_warned_of(cli, tmp_path, name):
    text = (BAD.parent / "profiles" / "country-mismatch.yaml").read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("name: Germany", f"name: {name}"), encoding="utf-8")
    result = cli("validate", path)
    assert result.returncode == 0
    assert f"'{name}' is not a name of NPL (Nepal)" in result.stdout


def test_a_name_that_is_not_the_codes_is_warned_of_not_refused(cli):
    """Attack round 2 §13: `code: NPL, name: Germany` validated silently (and `compare` then
    titled Nepal's series "Germany"). Names vary, so it is a warning: the file stays valid."""
    path = BAD.parent / "profiles" / "country-mismatch.yaml"
    result = cli("validate", path)
    assert result.returncode == 0, result.stdout
    line = line_of(path, "name: Germany")
    assert f"country-mismatch.yaml:{line}:" in result.stdout
    assert "warning[country-name] country.name: 'Germany' is not a name of NPL (Nepal)" in (
        result.stdout
    )
    assert "1 valid, 0 invalid, 1 warning" in result.stderr
    report = json.loads(cli("validate", "--format", "json", path).stdout)
    (entry,) = report["files"]
    assert entry["valid"] and not entry["errors"] and entry["warnings"][0]["line"] == line
    assert report["summary"]["warnings"] == 1
    accented = cli("validate", PROFILES / "example-origin.yaml")
    assert "warning" not in accented.stdout


def test_yes_no_unquoted_mean_what_the_user_meant(tmp_path):
    from coherence.profile import load_profile

    path = tmp_path / "p.yaml"
    path.write_text(
        "format_version: 2\ncountry: {code: PHL, name: Philippines}\nas_of: 2025-01-01\n"
        "prepared_by: x\n"
        "roles: [origin]\nrights:\n  equal_treatment: yes\n  health_care: NO\n"
        "  social_security: true\n  family_reunification: off\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_profile(path)
    # `off` is not an answer; everything else is read as the user meant it.
    assert [d.path for d in err.value.diagnostics] == ["rights.family_reunification.answer"]
    path.write_text(path.read_text().replace("off", "partial"))
    rights = load_profile(path).profile.rights
    assert rights.equal_treatment.answer == "yes"
    assert rights.health_care.answer == "no"
    assert rights.social_security.answer == "yes"


def test_help_lists_every_command_and_version(cli_subprocess):
    # A real process: the installed console script, as users run it.
    result = cli_subprocess("--help")
    assert result.returncode == 0
    for command in ("validate", "schema", "template"):
        assert command in result.stdout
    version = cli_subprocess("--version")
    assert version.returncode == 0 and version.stdout.startswith("coherence ")


def test_repository_layout_from_design_card():
    for name in (
        "pyproject.toml",
        "README.md",
        "seeds",
        "src/coherence",
        "rules",
        "profiles",
        "tests",
        "examples",
    ):
        assert (ROOT / name).exists(), name


def test_two_agreements_with_one_partner_are_told_apart_by_year(cli, tmp_path):
    """A repeated partner is refused as the same agreement twice (bad/agreement-twice.yaml),
    but a country may have two agreements with one partner: their type or year tells them
    apart, and an answer of partial may list its agreements."""
    text = (BAD / "agreement-twice.yaml").read_text(encoding="utf-8")
    text = text.replace('answer: "yes"', 'answer: "partial"')
    text = text.replace(
        '{partner: MAR, monitored: "no"}', '{partner: MAR, year: 2021, monitored: "no"}'
    )
    (tmp_path / "two.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", tmp_path / "two.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
