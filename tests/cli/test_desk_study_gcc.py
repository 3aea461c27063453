"""Regressions left from the desk study of the United Arab Emirates and Senegal (desk4):
reasons and advice that misstated what the profile says about instruments, free movement and
where a question belongs."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_desk_study import UAE, _variant

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "profiles"


def _findings(cli, profile: Path) -> dict[str, dict]:
    result = cli("check", profile, "--format", "json", "--output", "-")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    return {f["rule_id"]: f for a in report["assessments"] for f in a["findings"]}


def test_the_reason_names_every_convention_not_ratified_and_none_ratified(cli, tmp_path):
    """The UAE has ratified neither ILO C97 nor C143; RIGHTS-025's reason named C97 alone, as
    if C143 were in place (its advice names both)."""
    uae = _findings(cli, UAE)["RIGHTS-025"]
    assert uae["status"] == "gap"
    assert "(No. 97) as not ratified (instruments.ilo_c97.status)" in uae["reason"]
    assert "(No. 143) as not ratified (instruments.ilo_c143.status)" in uae["reason"]

    def c97(law: str):
        return lambda d: d["instruments"].update(
            ilo_c97={"status": "ratified", "incorporated_in_law": law}
        )

    partial = _findings(cli, _variant(tmp_path, UAE, "c97.yaml", c97("yes")))["RIGHTS-025"]
    assert partial["status"] == "partial"
    assert "No. 143" in partial["reason"] and "No. 97" not in partial["reason"]
    gap = _findings(cli, _variant(tmp_path, UAE, "c97-no.yaml", c97("no")))["RIGHTS-025"]
    assert gap["status"] == "gap"
    assert "answers no to “Is the ILO Migration for Employment" in gap["reason"]
    assert "(No. 143) as not ratified" in gap["reason"]
    assert "(No. 97) as not ratified" not in gap["reason"]
