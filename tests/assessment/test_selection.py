"""`--select`/`--skip` (assessment/selection.py): a selection's scores are never classified as
if the whole catalogue had been checked, and every report names the selection."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.gapjson import assessment

ONE = FIXTURES / "profiles" / "one-answer.yaml"
SELECTED = ("--select", "RIGHTS-001", "--today", "2026-06-01")
NAMED = "Only 1 of the"


def test_a_selection_is_recorded_and_its_scores_get_no_band(cli) -> None:
    """Attack round 2 §3: `--select RIGHTS-001` on a one-answer profile gave "Overall 100.0,
    4 Aligned" and "no rule of the catalogue covers this domain" for the domains it removed."""
    result = cli("check", "-f", "json", *SELECTED, ONE)
    assert result.returncode == 0, result.stderr
    report = assessment(result.stdout)
    selection = report["selection"]
    assert selection["select"] == ["RIGHTS-001"] and selection["skip"] == []
    assert selection["rules"] == 1 and selection["catalogue_rules"] > 1
    overall = report["scores"]["overall"]
    assert overall["coverage"] == 100.0 and overall["score"] == 100.0
    assert not overall["classified"] and overall["band"] is None
    assert not any(d["classified"] for d in report["sdg_domains"].values())
    whole = assessment(cli("check", "-f", "json", "--today", "2026-06-01", ONE).stdout)
    assert whole["selection"] is None


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_report_names_the_selection(cli, fmt) -> None:
    result = cli("check", "-f", fmt, "-o", "-", *SELECTED, "--skip", "low", ONE)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "(--select RIGHTS-001 --skip low)" in text and NAMED in text
    assert "not classified: only a selection of the rules was checked" in text
    assert "4 — Aligned" not in text and "4 — Fully meets" not in text  # it was both
    assert "no rule of the catalogue covers this domain" not in text
    assert "no rule of this domain was selected" in text
    assert "scores 100.0 out of 100 overall" not in text


def test_the_whole_catalogue_is_not_a_selection(cli) -> None:
    """A selection of every rule is the whole catalogue: scored and explained as usual."""
    result = cli("check", "-f", "json", "--today", "2026-06-01", "--select", "*", ONE)
    assert result.returncode == 0, result.stderr
    assert assessment(result.stdout)["selection"] is None
    text = cli("check", "--today", "2026-06-01", ONE).stdout
    assert NAMED not in text and "not classified: answer these" in text


@pytest.mark.parametrize(
    "args",
    [["--skip", "*"], ["--select", "RIGHTS-001", "--skip", "RIGHTS-001"], ["--skip", "high",
     "--skip", "medium", "--skip", "low"]],
)  # fmt: skip
def test_a_selection_that_leaves_no_rule_is_refused(cli, args) -> None:
    """`--skip '*'` printed "Checked 0 rules", no finding, exit 0: a clean bill for a run
    that checked nothing (attack round 4)."""
    result = cli("check", *args, "profiles/example-origin.yaml")
    assert result.returncode == 2, result.stdout
    assert "leaves no rule to check" in result.stderr
    assert "Checked 0 rules" not in result.stdout
