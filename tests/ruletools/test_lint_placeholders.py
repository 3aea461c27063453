"""`rules lint` refuses a recommendation placeholder a report would print as written (an
attack round: `{foo}` and `{excluded:>9}` passed lint and reached the report verbatim); only
`{excluded}` and `{not_ratified}` are filled in."""

from __future__ import annotations

import json
from pathlib import Path

from coherence.rules.catalog import load_catalogue
from coherence.ruletools.lint import placeholder_problems
from tests.gapjson import assessment
from tests.rulepack import rule, write_pack

MET_WHEN = {"equals": {"path": "rights.equal_treatment", "value": "yes"}}


def _pack(tmp_path: Path) -> Path:
    return write_pack(
        tmp_path,
        [
            rule(
                "PLACE-001",
                MET_WHEN,
                theme="rights",
                recommendation="Bring {foo} under the law.",
                recommendations={
                    "excluded_groups": "Bring {excluded:>9} under the law.",
                    "gap": "Bring {excluded} and {excluded!r} under the law.",
                },
            ),
            rule(
                "PLACE-002",
                {"equals": {"path": "rights.health_care", "value": "yes"}},
                theme="rights",
                recommendation="Extend the measure to {excluded}, in law and in practice.",
            ),
        ],
    )


def _line_of(pack: Path, text: str) -> int:
    lines = (pack / "pack.yaml").read_text(encoding="utf-8").splitlines()
    (found,) = [n for n, line in enumerate(lines, 1) if text in line]
    return found


def test_unknown_placeholders_and_format_specs_are_refused_at_their_line(cli, tmp_path):
    pack = _pack(tmp_path)
    result = cli("rules", "lint", "--no-bundled", "--format", "json", pack)
    assert result.returncode == 1
    (entry,) = json.loads(result.stdout)["files"]
    found = {
        (e["line"], e["path"], e["message"].split(" has ")[1].split(",")[0])
        for e in entry["errors"]
        if e["code"] == "unknown-placeholder"
    }
    assert found == {
        (_line_of(pack, "{foo}"), "PLACE-001", "{foo}"),
        (_line_of(pack, "{excluded:>9}"), "PLACE-001", "{excluded:>9}"),
        (_line_of(pack, "{excluded!r}"), "PLACE-001", "{excluded!r}"),
    }
    messages = [e["message"] for e in entry["errors"] if e["code"] == "unknown-placeholder"]
    assert any(
        "the only placeholders filled in are {excluded} and {not_ratified}" in m for m in messages
    )
    assert any("takes no format; write {excluded} alone" in m for m in messages)


def test_the_bundled_catalogue_writes_only_known_placeholders():
    catalogue = load_catalogue()
    assert [p for r in catalogue.rules for p in placeholder_problems(r)] == []


def test_not_ratified_names_only_the_instruments_not_ratified(cli, tmp_path):
    """A real-country review: "Ratify ILO Conventions No. 97 and No. 143 (whichever is not yet
    ratified)" to a country that ratified C97 in 1959. `{not_ratified}` names the one missing."""
    both = {
        "all": [
            {"instrument": {"id": "ilo_c97", "status": "ratified"}},
            {"instrument": {"id": "ilo_c143", "status": "ratified"}},
        ]
    }
    pack = write_pack(
        tmp_path / "pack",
        [
            rule(
                "PLACE-003",
                both,
                theme="rights",
                recommendation="Give migrant workers the protection of both Conventions.",
                recommendations={"not_ratified": "Ratify {not_ratified}."},
            )
        ],
    )
    lint = cli("rules", "lint", "--no-bundled", "--format", "json", pack)
    (entry,) = json.loads(lint.stdout)["files"]
    assert not [e for e in entry["errors"] if e["code"] == "unknown-placeholder"]
    profile = Path(__file__).parents[1] / "fixtures" / "profiles" / "not-ratified.yaml"
    result = cli("check", "-f", "json", "--today", "2026-06-01", "--rules", pack, profile)
    report = assessment(result.stdout)
    (found,) = [f for f in report["findings"] if f["rule_id"] == "PLACE-003"]
    assert found["cause"] == "not_ratified"
    assert found["recommendation"] == (
        "Ratify the ILO Migration for Employment Convention (Revised), 1949 (No. 97)."
    )
