"""CI behaviour of `coherence check`: thresholds, baseline, selection, several formats."""

from __future__ import annotations

import json
import shutil

import junitparser
import pytest

from tests.conftest import FIXTURES, line_of
from tests.gapjson import assessment

STATUSES = (
    FIXTURES / "profiles" / "statuses.yaml"
)  # DATA-005 gap (medium), COHERENCE-001 contradiction (medium), TRAFFIC-001 gap (high)
TODAY = ("--today", "2026-06-01")


@pytest.mark.parametrize(
    "fail_on,expected",
    [
        ([], 0),
        (["gap"], 1),
        (["gap:high"], 1),
        (["partial:high"], 1),  # a status is a minimum too: TRAFFIC-001 is a high gap
        (["partial"], 1),
        (["insufficient_data"], 1),
        (["high"], 1),
        (["gap:medium", "partial:high"], 1),
    ],
)
def test_fail_on_thresholds(cli, fail_on, expected):
    args = [a for t in fail_on for a in ("--fail-on", t)]
    result = cli("check", "-f", "json", *TODAY, *args, STATUSES)
    assert result.returncode == expected, result.stderr
    json.loads(result.stdout)  # the report is written whatever the verdict


@pytest.mark.parametrize(
    "fail_on,expected",
    [("gap", 1), ("partial", 1), ("insufficient_data", 1), ("gap:high", 1), ("gap:low", 1)],
)
def test_a_status_threshold_is_reached_by_every_worse_status(cli, fail_on, expected):
    """An attack round: `--fail-on partial` exited 0 on a profile whose only finding was a
    high-severity gap, although the help says "reaches this threshold"."""
    profile = FIXTURES / "profiles" / "one-gap.yaml"
    report = assessment(cli("check", "-f", "json", *TODAY, profile).stdout)
    statuses = {f["status"] for f in report["findings"]}
    assert "gap" in statuses and "partial" not in statuses
    result = cli("check", *TODAY, "--fail-on", fail_on, profile)
    assert result.returncode == expected, result.stderr


def test_threshold_counts_only_matching_severity(cli, tmp_path):
    # With only medium gaps selected, gap:high cannot fail.
    result = cli("check", *TODAY, "--select", "DATA-005", "--fail-on", "gap:high", STATUSES)
    assert result.returncode == 0
    result = cli("check", *TODAY, "--select", "DATA-005", "--fail-on", "gap:medium", STATUSES)
    assert result.returncode == 1 and "1 finding at the --fail-on threshold" in result.stderr


def test_bad_threshold_is_a_usage_error(cli):
    result = cli("check", "--fail-on", "gaps:severe", STATUSES)
    assert result.returncode == 2 and "expected STATUS[:SEVERITY]" in result.stderr


@pytest.mark.parametrize("fail_on", ["gap:", "high:"])
def test_an_empty_severity_after_the_colon_is_a_usage_error(cli, fail_on):
    """`--fail-on gap:$SEVERITY` with the variable unset was taken as gap:low (attack round 4)."""
    result = cli("check", "--fail-on", fail_on, STATUSES)
    assert result.returncode == 2, result.stderr
    assert f"--fail-on {fail_on!r}: the severity after ':' is empty" in result.stderr


def test_baseline_fails_only_on_new_or_worse(cli, tmp_path):
    profile = tmp_path / "p.yaml"
    shutil.copy(STATUSES, profile)
    base = tmp_path / "baseline.json"
    made = cli("baseline", profile, "--output", base, *TODAY)
    assert made.returncode == 0
    data = json.loads(base.read_text(encoding="utf-8"))
    (key,) = data["profiles"]
    assert data["profiles"][key]["country"] == "ATA"
    assert data["profiles"][key]["findings"]["DATA-005"] == "gap"
    assert list(data["profiles"][key]["findings"]) == sorted(data["profiles"][key]["findings"])
    # Same profile: nothing new, so no failure even with a strict threshold.
    assert cli("check", profile, "--baseline", base, "--fail-on", "gap", *TODAY).returncode == 0
    # Make one answer worse: RIGHTS-001 goes from met to gap, a regression.
    profile.write_text(
        profile.read_text().replace('equal_treatment: "yes"', 'equal_treatment: "no"')
    )
    worse = cli("check", profile, "--baseline", base, "--fail-on", "gap", *TODAY)
    assert worse.returncode == 1 and "1 finding new or worse than the baseline" in worse.stderr
    # Improvements never fail.
    profile.write_text(
        profile.read_text()
        .replace('equal_treatment: "no"', 'equal_treatment: "yes"')
        .replace('admin_flow_statistics: "no"', 'admin_flow_statistics: "yes"')
    )
    assert cli("check", profile, "--baseline", base, "--fail-on", "gap", *TODAY).returncode == 0


def test_broken_baseline_is_a_usage_error(cli, tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("{not json")
    result = cli("check", STATUSES, "--baseline", bad)
    assert result.returncode == 2 and "b.json:1:2" in result.stderr


def test_select_and_skip_precedence(cli):
    def rules(*args):
        result = cli("check", "-f", "json", *TODAY, *args, STATUSES)
        assert result.returncode == 0, result.stderr
        return [f["rule_id"] for f in assessment(result.stdout)["findings"]]

    data = rules("--select", "data_collection")
    assert data and all(r.startswith("DATA-") for r in data)
    # An explicit id beats a wildcard: DATA-002 stays although DATA-* is skipped.
    assert rules("--select", "DATA-002", "--skip", "DATA-*") == ["DATA-002"]
    # A wildcard beats a severity.
    kept = rules("--select", "COHERENCE-*", "--skip", "high")
    assert "COHERENCE-002" in kept  # a high-severity contradiction, kept by the wildcard
    # A severity skip alone removes every rule of that severity.
    assert not {"RIGHTS-001", "COHERENCE-002"} & set(rules("--skip", "high"))
    typo = cli("check", "--select", "rigths", STATUSES)
    assert typo.returncode == 2 and "matches no rule" in typo.stderr
    # A retired rule is named as such; a comma-separated list gets the way to write it.
    retired = cli("check", "--select", "RIGHTS-004", STATUSES)
    assert retired.returncode == 2 and "RIGHTS-004 was retired from the catalogue" in (
        retired.stderr
    )
    listed = cli("check", "--select", "RIGHTS-001,RIGHTS-002", STATUSES)
    assert listed.returncode == 2
    assert "(--select RIGHTS-001 --select RIGHTS-002)" in listed.stderr


def test_stale_waivers_are_reported(cli, tmp_path):
    profile = tmp_path / "w.yaml"
    text = (FIXTURES / "profiles" / "waivers.yaml").read_text(encoding="utf-8")
    profile.write_text(
        text.replace('equal_treatment: "no"', 'equal_treatment: "yes"'), encoding="utf-8"
    )
    report = assessment(cli("check", "-f", "json", *TODAY, profile).stdout)
    codes = {n["code"]: n["message"] for n in report["notices"]}
    assert "waiver-unused" in codes and "RIGHTS-001" in codes["waiver-unused"]
    skipped = assessment(cli("check", "-f", "json", *TODAY, "--skip", "RIGHTS-001", profile).stdout)
    assert any(n["code"] == "waiver-unmatched" for n in skipped["notices"])


def test_a_waiver_of_a_retired_rule_is_explained_not_refused(cli, tmp_path):
    """Last year's profile may waive a rule the catalogue has since retired: the check runs,
    and the notice says the rule was retired and why (it was "unknown rule", exit 2)."""
    profile = tmp_path / "w.yaml"
    waiver = (
        "waivers:\n  - rule: RIGHTS-004\n    justification: Portability is covered by a "
        "regional agreement.\n    approved_by: Minister of Labour\n    expires: 2030-01-01\n"
    )
    profile.write_text(STATUSES.read_text(encoding="utf-8") + waiver, encoding="utf-8")
    assert cli("validate", profile).returncode == 0
    result = cli("check", "-f", "json", *TODAY, profile)
    assert result.returncode == 0, result.stderr
    (notice,) = [n for n in assessment(result.stdout)["notices"] if n["code"] == "waiver-retired"]
    assert "RIGHTS-004 names a rule retired from the catalogue" in notice["message"]
    assert "Social-security benefits are portable" in notice["message"]
    assert notice["line"] == line_of(profile, "rule: RIGHTS-004")
    # A rule that never was stays an error, with its suggestion.
    profile.write_text(profile.read_text().replace("RIGHTS-004", "RIGHTS-904"), "utf-8")
    assert cli("validate", profile).returncode == 1


def test_several_formats_in_one_run(cli, tmp_path):
    sarif, junit, md = tmp_path / "r.sarif", tmp_path / "r.xml", tmp_path / "r.md"
    result = cli(
        "check", *TODAY, STATUSES,
        "-f", "sarif", "-o", sarif, "-f", "junit", "-o", junit, "-f", "markdown", "-o", md,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    suites = list(junitparser.JUnitXml.fromfile(str(junit)))
    assert len(suites) == 1
    assert md.read_text().startswith("#")
    mismatched = cli("check", STATUSES, "-f", "sarif", "-f", "junit", "-o", sarif)
    assert mismatched.returncode == 2 and "one --output for each --format" in mismatched.stderr


def test_outputs_have_normal_file_permissions(cli, tmp_path):
    out = tmp_path / "r.json"
    assert cli("check", "-f", "json", "-o", out, *TODAY, STATUSES).returncode == 0
    assert out.stat().st_mode & 0o044 == 0o044  # readable by group and others, as with any new file


def test_github_annotations_point_at_profile_lines(cli):
    result = cli("check", "-f", "github", *TODAY, STATUSES)
    lines = result.stdout.splitlines()
    assert any(line.startswith("::error file=") and "title=TRAFFIC-001" in line for line in lines)
    data = next(line for line in lines if "DATA-005" in line)
    assert f",line={line_of(STATUSES, 'admin_flow_statistics:')}," in data


def test_a_baseline_finds_its_profile_from_another_folder(cli, tmp_path):
    """CI runs from another working directory, or with absolute paths: the baseline's entry
    is still found (by its path made plain, else by its country and date, else its country),
    not every finding called new."""
    (tmp_path / "profiles").mkdir()
    profile = tmp_path / "profiles" / "p.yaml"
    shutil.copy(STATUSES, profile)
    base = tmp_path / "baseline.json"
    made = cli("baseline", "profiles/p.yaml", "--output", base, *TODAY, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    gate = ("--baseline", base, "--fail-on", "gap", *TODAY)
    for args, cwd in (
        (("./profiles/p.yaml",), tmp_path),
        (("p.yaml",), tmp_path / "profiles"),
        ((profile,), tmp_path / "profiles"),
    ):
        result = cli("check", *args, *gate, cwd=cwd)
        assert result.returncode == 0, (args, result.stderr)
    # Without the baseline, the same run fails: the baseline is what lets it pass.
    assert cli("check", profile, "--fail-on", "gap", *TODAY).returncode == 1


def test_a_baseline_entry_is_never_guessed_between_two(cli, tmp_path):
    """Two entries of one country and date under other paths: neither is taken."""
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(STATUSES, tmp_path / name)
    base = tmp_path / "baseline.json"
    assert cli("baseline", "a.yaml", "b.yaml", "-o", base, *TODAY, cwd=tmp_path).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(STATUSES, elsewhere / "c.yaml")
    result = cli("check", "c.yaml", "--baseline", base, "--fail-on", "gap", *TODAY, cwd=elsewhere)
    assert result.returncode == 1 and "new or worse than the baseline" in result.stderr


def test_a_baseline_entry_of_another_country_is_warned_about(cli, tmp_path):
    """The entry under the profile's path names another country: it is not used, and that was
    silent (every finding "new")."""
    shutil.copy(STATUSES, tmp_path / "p.yaml")
    base = tmp_path / "baseline.json"
    assert cli("baseline", "p.yaml", "-o", base, *TODAY, cwd=tmp_path).returncode == 0
    data = json.loads(base.read_text(encoding="utf-8"))
    assert data["profiles"]["p.yaml"]["country"] == "ATA"
    result = cli("check", "p.yaml", "--baseline", base, "-f", "json", *TODAY, cwd=tmp_path)
    assert result.returncode == 0 and "warning" not in result.stderr
    data["profiles"]["p.yaml"]["country"] = "NPL"
    base.write_text(json.dumps(data), encoding="utf-8")
    result = cli("check", "p.yaml", "--baseline", base, "-f", "json", *TODAY, cwd=tmp_path)
    assert result.returncode == 0
    assert (
        "coherence: warning: p.yaml: the baseline's entry for this file is of NPL, but the "
        "profile is of ATA" in result.stderr
    )
