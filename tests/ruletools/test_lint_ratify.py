"""`coherence rules lint`'s `ratify-when-ratified` check, through the CLI (in-process), on a
rule-pack fixture where RATIFY-001 is clean and every other rule breaks the check once."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from coherence.cli.main import app
from coherence.rules.catalog import load_catalogue
from coherence.ruletools.lint import ASKS_TO_RATIFY, ratify_when_ratified
from tests.conftest import FIXTURES

PACK = FIXTURES / "rules" / "ratify"
FILE = PACK / "ratify.yaml"


def lint_errors() -> dict[str, list[dict]]:
    result = CliRunner().invoke(
        app, ["rules", "lint", "--no-bundled", "--format", "json", str(PACK)]
    )
    assert result.exit_code == 1, result.output
    (entry,) = json.loads(result.stdout)["files"]
    found: dict[str, list[dict]] = {}
    for error in entry["errors"]:
        if error["code"] == "ratify-when-ratified":
            found.setdefault(error["path"], []).append(error)
    return found


def line_of(rule_id: str, text: str) -> int:
    """The line of `text` within the rule's block of the fixture."""
    lines = FILE.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  - id: {rule_id}")
    return next(i for i in range(start, len(lines)) if text in lines[i]) + 1


def test_each_broken_rule_is_reported_once_at_its_text():
    errors = lint_errors()
    assert sorted(errors) == ["RATIFY-002", "RATIFY-003", "RATIFY-004", "RATIFY-005", "RATIFY-006"]
    assert all(len(found) == 1 for found in errors.values())
    (missing,) = errors["RATIFY-002"]
    assert "recommendations.not_ratified or recommendations.not_in_law" in missing["message"]
    assert missing["line"] == line_of("RATIFY-002", "recommendation:")
    (default,) = errors["RATIFY-003"]
    assert "RATIFY-003 recommendation asks to ratify" in default["message"]
    assert default["line"] == line_of("RATIFY-003", "recommendation:")
    (in_law,) = errors["RATIFY-004"]
    assert "recommendations.not_in_law asks to ratify" in in_law["message"]
    assert in_law["line"] == line_of("RATIFY-004", "not_in_law:")


def test_a_status_read_through_a_derived_fact_counts():
    (error,) = lint_errors()["RATIFY-005"]
    assert "reads instrument statuses" in error["message"]


def test_a_rule_reading_no_status_still_may_not_ask_to_ratify():
    (error,) = lint_errors()["RATIFY-006"]
    assert "recommendation asks to ratify" in error["message"]


def test_the_words_that_ask_to_ratify():
    assert ASKS_TO_RATIFY.search("Ratify the Protocol")
    assert ASKS_TO_RATIFY.search("complete the ratification of the Convention")
    for fine in (
        "The Convention is ratified: bring the law into line",
        "For each ratified instrument, review national law",
        "report on ratifications to the treaty body",
    ):
        assert not ASKS_TO_RATIFY.search(fine), fine


def test_the_bundled_catalogue_passes():
    catalogue = load_catalogue()
    assert not [p for r in catalogue.rules for p in ratify_when_ratified(r, catalogue)]
