"""Generated documentation stays in sync, and the worked rule-pack example works."""

from __future__ import annotations

from tests.conftest import PROFILES, ROOT
from tests.gapjson import assessment

PACK = ROOT / "examples" / "rule-pack"


def test_catalogue_document_is_in_sync(cli):
    result = cli("rules", "doc")
    assert result.returncode == 0
    assert result.stdout == (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8"), (
        "docs/catalogue.md is stale: run `coherence rules doc -o docs/catalogue.md`"
    )
    assert "### COHERENCE-001:" in result.stdout and "> —" in result.stdout


def test_worked_example_pack_lints_tests_and_checks(cli):
    assert cli("rules", "lint", PACK).returncode == 0
    tested = cli("rules", "test", PACK)
    assert tested.returncode == 0 and "2/2 rules pass" in tested.stdout
    report = assessment(
        cli(
            "check", "--format", "json", "--rules", PACK, PROFILES / "example-destination.yaml"
        ).stdout
    )
    statuses = {f["rule_id"]: f["status"] for f in report["findings"]}
    assert statuses["REGIONAL-001"] == "partial" and statuses["REGIONAL-002"] == "met"


def test_rules_schema_is_committed_and_in_sync(cli):
    assert cli("schema", "--rules").stdout == (ROOT / "schema" / "rules.schema.json").read_text(
        encoding="utf-8"
    )
