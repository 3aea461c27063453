"""Profile paths on the command line (cli/inputs.py): one file given twice is one profile."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PROFILES
from tests.gapjson import assessments

ORIGIN = PROFILES / "example-origin.yaml"


def test_check_assesses_a_profile_given_twice_once(cli, tmp_path) -> None:
    """Attack round 2 §14: `x.yaml ./x.yaml`, or a folder and a file in it, is one profile."""
    result = cli(
        "check", "-f", "json", "profiles/example-origin.yaml", "./profiles/example-origin.yaml"
    )
    assert result.returncode == 0, result.stderr
    assert [a["profile"]["country"] for a in assessments(result.stdout)] == ["NPL"]
    folder = cli("check", "-f", "json", "profiles", ORIGIN)
    assert folder.returncode == 0, folder.stderr
    countries = [a["profile"]["country"] for a in assessments(folder.stdout)]
    assert countries.count("NPL") == 1 and len(countries) == len(list(PROFILES.glob("*.yaml")))


def test_baseline_and_compare_take_a_profile_given_twice_once(cli, tmp_path) -> None:
    out = tmp_path / "baseline.json"
    result = cli("baseline", "profiles", "profiles/example-origin.yaml", "-o", out)
    assert result.returncode == 0, result.stderr
    count = len(list(PROFILES.glob("*.yaml")))
    assert f"baseline of {count} profile(s)" in result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["profiles"]) == count
    # It was "both profiles of NPL as of 2025-09-30: a time series needs a different as_of".
    compared = cli("compare", "-f", "json", "profiles/", ORIGIN.resolve())
    assert compared.returncode == 0, compared.stderr


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["diff", "-", "PROFILE"], "diff"),
        (["upgrade", "-"], "upgrade"),
        (["import", "-", "-o", "p.yaml"], "import"),
        (["questionnaire", "--from", "-", "-o", "q.xlsx"], "questionnaire --from"),
        (["check", "--baseline", "-", "PROFILE"], "--baseline"),
    ],
)
def test_standard_input_where_a_file_is_read_is_said_so(cli, tmp_path, args, what) -> None:
    """`-` means standard input for the profiles of validate and check; given to diff, import,
    upgrade or --baseline it was "-: no such file" (attack round 4)."""
    argv = [str(ORIGIN) if a == "PROFILE" else a for a in args]
    result = cli(*argv, cwd=tmp_path, input=ORIGIN.read_text(encoding="utf-8"))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        f"coherence: error: - (standard input) is not read here: {what} reads a file"
    ), result.stderr
    assert list(tmp_path.iterdir()) == []
