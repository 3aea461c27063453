"""`rules lint`: one requirement, one severity (docs/severity.md, rules 2 and 3)."""

from __future__ import annotations

import json

from coherence.rules.catalog import load_catalogue
from coherence.ruletools.severity import severity_problems
from tests.conftest import invoke
from tests.rulepack import rule, write_pack


def _codes(pack) -> dict[str, set[str]]:
    result = invoke("rules", "lint", pack, "--format", "json")
    found: dict[str, set[str]] = {}
    for file in json.loads(result.stdout)["files"]:
        for problem in file["errors"]:
            found.setdefault(problem["path"], set()).add(problem["code"])
    return found


def test_a_check_of_the_same_answer_at_another_severity_is_refused(tmp_path):
    # RIGHTS-001 tests equal treatment alone at high severity; a pack rule that tests the same
    # answer at low severity contradicts the method.
    pack = write_pack(
        tmp_path / "pack",
        [
            rule(
                "PACK-001",
                {"equals": {"path": "rights.equal_treatment", "value": "yes"}},
                theme="rights",
                severity="low",
            )
        ],
    )
    assert "severity-conflict" in _codes(pack).get("PACK-001", set())


def test_a_contradiction_takes_the_severity_of_what_it_finds_missing(tmp_path):
    # Shortages declared, no regular channel: LABOUR-002 (what is missing) sets the severity.
    condition = {
        "any": [
            {"equals": {"path": "labour_channels.temporary_admission", "value": "yes"}},
            {"equals": {"path": "labour_channels.seasonal_admission", "value": "yes"}},
        ]
    }
    catalogue = load_catalogue()
    expected = catalogue.by_id["LABOUR-002"].severity
    wrong = "low" if expected != "low" else "high"
    shortages = {"equals": {"path": "context.labour_shortages_declared", "value": "yes"}}
    pack = write_pack(
        tmp_path / "pack",
        [
            rule("PACK-002", condition, theme="coherence", severity=wrong, applies_when=shortages),
            rule(
                "PACK-003", condition, theme="coherence", severity=expected, applies_when=shortages
            ),
        ],
    )
    codes = _codes(pack)
    assert "severity-contradiction" in codes.get("PACK-002", set())
    assert "severity-contradiction" not in codes.get("PACK-003", set())


def test_the_bundled_catalogue_has_one_severity_per_requirement():
    assert severity_problems(load_catalogue()) == []
