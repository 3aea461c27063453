"""Outputs never replace what a ministry cannot make again: a filled-in questionnaire workbook
or a baseline (an attack round: `diff -o answers.xlsx` wrote plain text over a questionnaire,
`check -o baseline.json` replaced a baseline, both exit 0); and a file name whose suffix
says a format the command cannot write is refused instead of receiving another format."""

from __future__ import annotations

import pytest

ORIGIN = "profiles/example-origin.yaml"
TRANSIT = "profiles/example-transit.yaml"
OLD = "profiles/example-transit-2024.yaml"

REPORTS = [
    ["check", ORIGIN],
    ["check", ORIGIN, "-f", "xlsx"],
    ["compare", ORIGIN, TRANSIT],
    ["diff", OLD, TRANSIT],
    ["rules", "doc"],
]
IDS = ["check", "check xlsx", "compare", "diff", "rules doc"]


@pytest.fixture
def questionnaire(cli, tmp_path):
    target = tmp_path / "answers.xlsx"
    assert cli("questionnaire", "--from", ORIGIN, "-o", target).returncode == 0
    return target


@pytest.mark.parametrize("command", [*REPORTS, ["baseline", ORIGIN]], ids=[*IDS, "baseline"])
def test_no_report_replaces_a_questionnaire_workbook(cli, questionnaire, command) -> None:
    before = questionnaire.read_bytes()
    result = cli(*command, "-o", questionnaire)
    assert result.returncode == 2, result.stderr
    # diff has no workbook format: its refusal says so before the file is looked at.
    said = "cannot write" if command[0] == "diff" else "is a coherence questionnaire workbook"
    assert said in result.stderr
    assert questionnaire.read_bytes() == before


def test_the_questionnaire_replaces_its_own_workbook_when_forced(cli, questionnaire) -> None:
    assert cli("questionnaire", "--from", ORIGIN, "-o", questionnaire).returncode == 2
    assert cli("questionnaire", "-o", questionnaire, "--force").returncode == 0


@pytest.mark.parametrize(
    "command",
    [
        ["check", ORIGIN],
        ["check", ORIGIN, "-f", "sarif"],
        ["compare", ORIGIN, TRANSIT],
        ["diff", OLD, TRANSIT],
        ["rules", "doc"],
    ],
    ids=["check", "check sarif", "compare", "diff", "rules doc"],
)
def test_no_report_replaces_a_baseline(cli, tmp_path, command) -> None:
    baseline = tmp_path / "baseline.json"
    assert cli("baseline", ORIGIN, "-o", baseline).returncode == 0
    before = baseline.read_bytes()
    result = cli(*command, "-o", baseline)
    assert result.returncode == 2, result.stderr
    assert "is a coherence baseline" in result.stderr
    assert baseline.read_bytes() == before
    # `coherence baseline` itself updates it, as CI does.
    assert cli("baseline", ORIGIN, TRANSIT, "-o", baseline).returncode == 0
    assert baseline.read_bytes() != before


def test_a_report_still_replaces_its_own_earlier_report(cli, tmp_path) -> None:
    for name in ("r.xlsx", "r.json", "r.md"):
        target = tmp_path / name
        for _ in range(2):
            assert cli("check", ORIGIN, "-o", target).returncode == 0
    target = tmp_path / "c.xlsx"
    for _ in range(2):
        assert cli("compare", ORIGIN, TRANSIT, "-o", target).returncode == 0


@pytest.mark.parametrize(
    "command,name,said",
    [
        (["diff", OLD, TRANSIT], "d.xlsx", "xlsx"),
        (["diff", OLD, TRANSIT], "d.pdf", "pdf"),
        (["compare", ORIGIN, TRANSIT], "c.pdf", "pdf"),
        (["compare", ORIGIN, TRANSIT], "c.sarif", "sarif"),
    ],
)
def test_a_suffix_the_command_cannot_write_is_refused(cli, tmp_path, command, name, said):
    target = tmp_path / name
    result = cli(*command, "-o", target)
    assert result.returncode == 2, result.stderr
    assert f"the name says {said}" in result.stderr and "cannot write" in result.stderr
    assert not target.exists()


def test_the_file_standard_input_comes_from_is_an_input(tmp_path) -> None:
    """`check - -o p.txt < p.txt` emptied the profile it was reading (attack round 4, second
    pass): `-` is refused as an output's input like a named file. A real process, as the
    shell's redirection is what makes standard input that file."""
    import subprocess

    from tests.conftest import PROFILES, ROOT, _command

    profile = tmp_path / "nepal.txt"  # a profile not named .yaml, else refused as YAML
    profile.write_bytes((PROFILES / "example-origin.yaml").read_bytes())
    before = profile.read_bytes()
    with profile.open("rb") as stdin:
        result = subprocess.run(
            [*_command(), "check", "-", "-o", str(profile)],
            stdin=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2, result.stderr
    assert f"{profile}: refusing to overwrite an input file" in result.stderr
    assert profile.read_bytes() == before
    with profile.open("rb") as stdin:  # another output is written as before
        other = subprocess.run(
            [*_command(), "check", "-", "-o", str(tmp_path / "report.txt")],
            stdin=stdin,
            capture_output=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    assert other.returncode == 0 and (tmp_path / "report.txt").stat().st_size > 1000
