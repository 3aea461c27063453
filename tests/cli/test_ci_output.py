"""CI output that says what broke (issue 13): the failing findings named against a baseline,
SARIF baselineState, GitHub and JUnit marks, --only-failing, formats by name and by file name,
a profile on standard input, plain help."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from tests.conftest import FIXTURES, ROOT, line_of
from tests.gapjson import assessment

STATUSES = FIXTURES / "profiles" / "statuses.yaml"
# statuses.yaml: RIGHTS-001 met, RIGHTS-032 partial, DATA-005 gap (medium), TRAFFIC-001 gap
# (high), COHERENCE-001 contradiction (medium), DATA-002 insufficient data.
TODAY = ("--today", "2026-06-01")
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def regressed(cli, tmp_path: Path) -> Path:
    """`tmp_path/p.yaml` and `tmp_path/base.json`, made from statuses.yaml; then, in the
    profile, RIGHTS-001 goes met -> gap (high) and RIGHTS-032 partial -> gap (medium), and
    in the baseline DATA-005 (a gap) is dropped, so it is new. Everything else is unchanged."""
    profile = tmp_path / "p.yaml"
    shutil.copy(STATUSES, profile)
    made = cli("baseline", "p.yaml", "-o", "base.json", *TODAY, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    base = tmp_path / "base.json"
    data = json.loads(base.read_text(encoding="utf-8"))
    (entry,) = data["profiles"].values()
    assert entry["findings"].pop("DATA-005") == "gap"
    assert entry["findings"]["RIGHTS-001"] == "met"
    assert entry["findings"]["RIGHTS-032"] == "partial"
    assert entry["findings"]["TRAFFIC-001"] == "gap"
    base.write_text(json.dumps(data), encoding="utf-8")
    text = profile.read_text(encoding="utf-8")
    text = text.replace('equal_treatment: "yes"', 'equal_treatment: "no"')
    text = text.replace("rights_information: partial", 'rights_information: "no"')
    profile.write_text(text, encoding="utf-8")
    return tmp_path


def _check(cli, folder: Path, *args: str):
    return cli("check", "p.yaml", "--baseline", "base.json", *TODAY, *args, cwd=folder)


# --- 1. the failure names what broke -------------------------------------------------------


def test_baseline_failure_lists_each_new_or_worse_finding(cli, regressed):
    result = _check(cli, regressed, "--fail-on", "gap", "-f", "json", "-o", "r.json")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == "coherence: 3 findings new or worse than the baseline at the --fail-on threshold:"
    )
    profile = regressed / "p.yaml"
    rights1 = line_of(profile, "equal_treatment:")
    rights2 = line_of(profile, "rights_information:")
    data1 = line_of(profile, "admin_flow_statistics:")
    listed = {line.split()[0]: line for line in lines[1:]}
    assert set(listed) == {"RIGHTS-001", "RIGHTS-032", "DATA-005"}  # not the unchanged gaps
    assert listed["RIGHTS-001"].startswith(
        f"  RIGHTS-001 at p.yaml:{rights1}: met -> gap (high) - "
    )
    assert listed["RIGHTS-032"].startswith(
        f"  RIGHTS-032 at p.yaml:{rights2}: partial -> gap (medium) - "
    )
    assert listed["DATA-005"].startswith(f"  DATA-005 at p.yaml:{data1}: new gap (medium) - ")
    # A threshold only the unchanged TRAFFIC-001 and the worse RIGHTS-001 reach: one line.
    high = _check(cli, regressed, "--fail-on", "gap:high", "-f", "json", "-o", "r.json")
    assert high.returncode == 1
    assert high.stderr.splitlines()[1:] == [
        line for line in lines[1:] if line.startswith("  RIGHTS-001 ")
    ]


def test_failure_without_baseline_lists_findings_at_the_threshold(cli):
    result = cli("check", *TODAY, "--fail-on", "gap:high", "-f", "json", "-o", "-", STATUSES)
    assert result.returncode == 1
    first, *rest = result.stderr.splitlines()
    assert first == "coherence: 1 finding at the --fail-on threshold:"
    line = line_of(STATUSES, "trafficking_criminalised:")
    assert len(rest) == 1 and rest[0].startswith("  TRAFFIC-001 at tests/fixtures/profiles/")
    assert f"statuses.yaml:{line}: gap (high) - " in rest[0]


def test_passing_run_exits_0_and_lists_nothing(cli, regressed):
    # The unchanged findings reach gap:high too, but only new or worse ones fail.
    shutil.copy(STATUSES, regressed / "p.yaml")
    result = _check(cli, regressed, "--fail-on", "gap:high", "-f", "json", "-o", "r.json")
    assert result.returncode == 0, result.stderr
    assert "finding" not in result.stderr


def test_text_report_marks_findings_against_the_baseline(cli, regressed):
    result = _check(cli, regressed)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()

    def mark_after(rule_id: str) -> str:
        index = next(i for i, line in enumerate(out) if f"] {rule_id} " in line)
        return out[index + 1].strip()

    assert mark_after("RIGHTS-001") == "Worse than the baseline (met -> gap)."
    assert mark_after("RIGHTS-032") == "Worse than the baseline (partial -> gap)."
    assert mark_after("DATA-005") == "New since the baseline."
    assert mark_after("TRAFFIC-001") == "Known in the baseline (unchanged)."
    # Without a baseline, no mark.
    plain = cli("check", "p.yaml", *TODAY, cwd=regressed).stdout
    assert "baseline" not in plain


# --- 2. SARIF baselineState ----------------------------------------------------------------


def _sarif_validator() -> Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def test_sarif_results_carry_baseline_state(cli, regressed):
    result = _check(cli, regressed, "-f", "sarif", "-o", "r.sarif")
    assert result.returncode == 0, result.stderr
    log = json.loads((regressed / "r.sarif").read_text(encoding="utf-8"))
    errors = [e.message for e in _sarif_validator().iter_errors(log)]
    assert errors == []
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert all("baselineState" in r for r in results.values())
    assert results["RIGHTS-001"]["baselineState"] == "new"  # met in the baseline: no result
    assert results["RIGHTS-001"]["properties"]["baseline_status"] == "met"
    assert results["RIGHTS-032"]["baselineState"] == "updated"
    assert results["RIGHTS-032"]["properties"]["baseline_status"] == "partial"
    assert results["DATA-005"]["baselineState"] == "new"
    assert "baseline_status" not in results["DATA-005"]["properties"]
    assert results["TRAFFIC-001"]["baselineState"] == "unchanged"
    assert results["DATA-002"]["baselineState"] == "unchanged"  # insufficient data, still
    # The schema knows the property: a misspelt state would not validate.
    bad = json.loads(json.dumps(log))
    bad["runs"][0]["results"][0]["baselineState"] = "worse"
    assert list(_sarif_validator().iter_errors(bad))
    # Without a baseline, no baselineState.
    plain = cli("check", "p.yaml", *TODAY, "-f", "sarif", cwd=regressed)
    assert not any("baselineState" in r for r in json.loads(plain.stdout)["runs"][0]["results"])


# --- 3. GitHub annotations and JUnit --------------------------------------------------------

_ANNOTATION = re.compile(r"^::(error|warning|notice) (.*?)::(.*)$")


def _annotations(text: str) -> dict[str, tuple[str, str]]:
    found = {}
    for line in text.splitlines():
        level, props, message = _ANNOTATION.match(line).groups()
        rule_id = re.search(r"title=([A-Z]+-\d+)", props).group(1)
        found[rule_id] = (level, message)
    return found


def test_github_keeps_error_and_warning_for_new_or_worse_only(cli, regressed):
    result = _check(cli, regressed, "-f", "github")
    assert result.returncode == 0, result.stderr
    found = _annotations(result.stdout)
    assert found["RIGHTS-001"][0] == "error"
    assert found["RIGHTS-001"][1].startswith("Worse than the baseline (met -> gap): Gap: ")
    assert found["RIGHTS-032"][0] == "warning"
    assert found["RIGHTS-032"][1].startswith("Worse than the baseline (partial -> gap): ")
    assert found["DATA-005"][0] == "warning"
    assert found["DATA-005"][1].startswith("New since the baseline: Gap: ")
    # A high gap known in the baseline is no longer an error, only a notice.
    assert found["TRAFFIC-001"][0] == "notice"
    assert found["TRAFFIC-001"][1].startswith("Known in the baseline (unchanged): Gap: ")
    loud = {rule for rule, (level, _) in found.items() if level != "notice"}
    assert loud == {"RIGHTS-001", "RIGHTS-032", "DATA-005"}
    # Without a baseline, TRAFFIC-001 is an error as before.
    plain = _annotations(cli("check", "p.yaml", *TODAY, "-f", "github", cwd=regressed).stdout)
    assert plain["TRAFFIC-001"][0] == "error" and plain["TRAFFIC-001"][1].startswith("Gap: ")


def _junit_failures(path: Path) -> dict[str, ET.Element]:
    root = ET.parse(path).getroot()
    return {
        case.get("name").split()[0]: case.find("failure")
        for case in root.iter("testcase")
        if case.find("failure") is not None
    }


def test_junit_failure_messages_say_new_worse_or_known(cli, regressed):
    result = _check(cli, regressed, "-f", "junit", "-o", "r.xml")
    assert result.returncode == 0, result.stderr
    failures = _junit_failures(regressed / "r.xml")
    assert (
        failures["RIGHTS-001"]
        .get("message")
        .startswith("Worse than the baseline (met -> gap): Gap: ")
    )
    assert (
        failures["RIGHTS-032"]
        .get("message")
        .startswith("Worse than the baseline (partial -> gap): Gap: ")
    )
    assert failures["DATA-005"].get("message").startswith("New since the baseline: Gap: ")
    assert (
        failures["TRAFFIC-001"]
        .get("message")
        .startswith("Known in the baseline (unchanged): Gap: ")
    )
    assert failures["TRAFFIC-001"].get("type") == "gap"  # still a failure: the gap is there


# --- 4. --only-failing ---------------------------------------------------------------------


def test_only_failing_limits_every_ci_format_to_the_failing_findings(cli, tmp_path):
    out = {fmt: tmp_path / f"r.{fmt}" for fmt in ("sarif", "junit", "github", "text")}
    args = [a for fmt, path in out.items() for a in ("-f", fmt, "-o", path)]
    result = cli(
        "check", *TODAY, STATUSES, "--fail-on", "gap:high", "--only-failing", *args
    )  # fmt: skip
    assert result.returncode == 1
    sarif = json.loads(out["sarif"].read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["TRAFFIC-001"]
    assert not list(_sarif_validator().iter_errors(sarif))
    root = ET.parse(out["junit"]).getroot()
    assert [c.get("name").split()[0] for c in root.iter("testcase")] == ["TRAFFIC-001"]
    assert root.get("tests") == "1" and root.get("failures") == "1"
    assert list(_annotations(out["github"].read_text(encoding="utf-8"))) == ["TRAFFIC-001"]
    text = out["text"].read_text(encoding="utf-8")
    assert "] TRAFFIC-001 " in text and "] DATA-005 " not in text
    assert "Insufficient data (" not in text
    assert "3 gaps, 1 contradiction" in text  # the counts stay those of every rule
    # Without --only-failing, the others are there.
    full = cli("check", *TODAY, STATUSES, "-f", "github", "--fail-on", "gap:high")
    assert {"TRAFFIC-001", "DATA-005", "DATA-002"} <= set(_annotations(full.stdout))


def test_only_failing_with_a_baseline_keeps_only_new_or_worse(cli, regressed):
    result = _check(cli, regressed, "--fail-on", "gap", "--only-failing", "-f", "github")
    assert result.returncode == 1
    assert set(_annotations(result.stdout)) == {"RIGHTS-001", "RIGHTS-032", "DATA-005"}


def test_only_failing_without_fail_on_is_a_usage_error(cli):
    result = cli("check", *TODAY, STATUSES, "--only-failing", "-f", "github")
    assert result.returncode == 2
    assert result.stderr == (
        "coherence: error: --only-failing needs --fail-on: it lists only the findings at "
        "that threshold\n"
    )
    assert result.stdout == ""


# --- 5. --format is case-insensitive --------------------------------------------------------


def test_format_names_are_case_insensitive(cli, tmp_path):
    html = cli("check", *TODAY, STATUSES, "--format", "HTML")
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith("<!DOCTYPE html>")
    sarif = cli("check", *TODAY, STATUSES, "-f", "Sarif")
    assert json.loads(sarif.stdout)["version"] == "2.1.0"
    valid = cli("validate", "--format", "JSON", STATUSES)
    assert valid.returncode == 0 and json.loads(valid.stdout)
    compared = cli("compare", *TODAY, "--format", "CSV", STATUSES)
    assert compared.returncode == 0, compared.stderr
    assert not compared.stdout.lstrip("\ufeff").startswith("#")  # CSV, not the Markdown default
    diffed = cli("diff", *TODAY, "-f", "JSON", STATUSES, STATUSES)
    assert diffed.returncode == 0 and json.loads(diffed.stdout)
    wrong = cli("check", STATUSES, "--format", "HTMLX")
    assert wrong.returncode == 2


# --- 6. the --output file name implies the format -------------------------------------------


@pytest.mark.parametrize(
    "name,looks",
    [
        ("r.html", lambda t: t.startswith("<!DOCTYPE html>")),
        ("r.md", lambda t: t.startswith("#")),
        ("r.csv", lambda t: t.lstrip("\ufeff").split("\n", 1)[0].count(",") > 3),
        ("r.json", lambda t: json.loads(t)["kind"] == "gap_report"),
        ("r.sarif", lambda t: json.loads(t)["version"] == "2.1.0"),
        ("r.sarif.json", lambda t: json.loads(t)["version"] == "2.1.0"),
        ("r.xml", lambda t: t.startswith("<?xml") and "<testsuites" in t),
        ("r.txt", lambda t: "Gaps (" in t),
        ("R.HTML", lambda t: t.startswith("<!DOCTYPE html>")),
    ],
)
def test_output_suffix_implies_the_format(cli, tmp_path, name, looks):
    result = cli("check", *TODAY, STATUSES, "-o", tmp_path / name)
    assert result.returncode == 0, result.stderr
    assert looks((tmp_path / name).read_text(encoding="utf-8"))


def test_each_output_implies_its_own_format(cli, tmp_path):
    html, sarif = tmp_path / "a.html", tmp_path / "b.sarif"
    result = cli("check", *TODAY, STATUSES, "-o", html, "-o", sarif)
    assert result.returncode == 0, result.stderr
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_output_suffix_contradicting_the_format_is_a_usage_error(cli, tmp_path):
    target = tmp_path / "report.html"
    result = cli("check", *TODAY, STATUSES, "--format", "text", "-o", target)
    assert result.returncode == 2
    assert "--format text" in result.stderr and f"--output {target}" in result.stderr
    assert "html" in result.stderr
    assert not target.exists()
    # A SARIF log is JSON: .json accepts --format sarif; and any format goes to a .txt file.
    ok = cli("check", *TODAY, STATUSES, "-f", "sarif", "-o", tmp_path / "r.json")
    assert ok.returncode == 0, ok.stderr
    assert cli("check", *TODAY, STATUSES, "-f", "json", "-o", tmp_path / "r.txt").returncode == 0


def test_suffix_no_format_registers_is_not_inferred(cli, tmp_path):
    # Suffixes belong to the formats of the registry (coherence.report.formats.FORMATS): a
    # suffix none of them names implies nothing, so the report is text.
    from coherence.cli import formats

    assert formats.formats_of_output(Path("r.zzz")) == ()
    assert formats.formats_of_output(Path("r.txt")) == ()
    result = cli("check", *TODAY, STATUSES, "-o", tmp_path / "r.zzz")
    assert result.returncode == 0, result.stderr
    assert "Gaps (" in (tmp_path / "r.zzz").read_text(encoding="utf-8")
    assert cli("check", *TODAY, STATUSES, "-f", "html", "-o", tmp_path / "x.zzz").returncode == 0


# --- 7. a profile on standard input ---------------------------------------------------------


def test_validate_and_check_read_a_profile_from_stdin(cli):
    text = STATUSES.read_text(encoding="utf-8")
    valid = cli("validate", "-", input=text)
    assert valid.returncode == 0, valid.stderr
    checked = cli("check", *TODAY, "-f", "json", "-", input=text)
    assert checked.returncode == 0, checked.stderr
    report = assessment(checked.stdout)
    assert report["profile"]["path"] == "<stdin>"
    from_file = assessment(cli("check", *TODAY, "-f", "json", STATUSES).stdout)
    assert [f["status"] for f in report["findings"]] == [f["status"] for f in from_file["findings"]]


def test_stdin_diagnostics_name_stdin(cli):
    bad = "format_version: 2\ncountry: {code: ATA, name: X}\nas_of: 2026-01-01\nroles: [nowhere]\n"
    result = cli("validate", "-", input=bad)
    assert result.returncode == 1
    assert result.stdout.startswith("<stdin>:")
    checked = cli("check", "-", input=bad)
    assert checked.returncode == 2 and "<stdin>:" in checked.stderr


def test_stdin_keeps_the_size_limit(cli):
    from coherence.yamlsource import MAX_BYTES

    result = cli("validate", "-", input="#" * (MAX_BYTES + 10))
    assert result.returncode == 1
    assert "<stdin>" in result.stdout and "too-large" in result.stdout
    assert f"{MAX_BYTES:,} bytes" in result.stdout


def test_stdin_given_twice_is_a_usage_error(cli):
    result = cli("validate", "-", "-", input="")
    assert result.returncode == 2 and "standard input" in result.stderr


# --- 8. plain help --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        "check", "validate", "compare", "diff", "baseline", "schema", "template", "upgrade",
        "rules list", "rules show", "rules doc", "rules coverage", "rules lint", "rules test",
        "questionnaire", "import",
    ],
)  # fmt: skip
def test_help_shows_plain_metavars(cli, command):
    text = cli(*command.split(), "--help").stdout
    assert text.startswith("Usage: coherence ")
    assert "list[" not in text and "<path>" not in text and "{" not in text.splitlines()[0]
    assert not re.search(r"<(str|Path|int)>", text)
    if command in ("check", "validate", "compare", "diff", "rules list", "rules lint"):
        assert re.search(r"--format \[[a-z]+(\|[a-z]+)+\]", text)


def test_check_help_names_profiles_and_formats(cli):
    from coherence.cli.main import CheckFormat

    text = cli("check", "--help").stdout
    assert text.splitlines()[0] == "Usage: coherence check [OPTIONS] PROFILE..."
    assert "--format [" + "|".join(f.value for f in CheckFormat) + "]" in text
    assert "--output FILE" in text and "--rules DIR" in text and "--baseline FILE" in text
    assert "--only-failing" in text


def test_rules_format_is_case_insensitive_too(cli):
    listed = cli("rules", "list", "--format", "JSON")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)
