"""`coherence rules test` evaluates only the rule under test and the derived facts it reads,
never the whole catalogue for every case (issue 12 §3, item 13)."""

from __future__ import annotations

import pytest

import coherence.ruletools.cases as cases
from coherence.engine.reference import ReferenceEngine
from coherence.rules.catalog import load_catalogue
from tests.conftest import invoke
from tests.rulepack import rule, write_pack

DERIVED = [
    {
        "id": "scope_channel_open",
        "description": "A temporary labour channel is open.",
        "when": {"equals": {"path": "labour_channels.temporary_admission", "value": "yes"}},
    },
    {
        "id": "scope_unused",
        "description": "A derived fact no rule under test reads.",
        "when": {"equals": {"path": "rights.equal_treatment", "value": "yes"}},
    },
]


def _case(name: str, expect: str, profile: dict) -> dict:
    return {"name": name, "expect": expect, "profile": profile}


RULES = [
    rule(
        "SCOPE-001",
        {"equals": {"path": "derived.scope_channel_open", "value": "yes"}},
        cases=[
            _case("open", "met", {"labour_channels": {"temporary_admission": "yes"}}),
            _case("closed", "gap", {"labour_channels": {"temporary_admission": "no"}}),
        ],
    ),
    rule(
        "SCOPE-002",
        {"equals": {"path": "anti_trafficking.trafficking_criminalised", "value": "yes"}},
        cases=[
            _case("criminalised", "met", {"anti_trafficking": {"trafficking_criminalised": "yes"}}),
            _case("not", "gap", {"anti_trafficking": {"trafficking_criminalised": "no"}}),
        ],
    ),
]


@pytest.fixture
def pack(tmp_path):
    return write_pack(tmp_path / "pack", RULES, DERIVED)


@pytest.fixture
def seen(monkeypatch):
    """The rules and derived facts of every catalogue a case's findings were built from."""
    calls: list[tuple[list[str], list[str]]] = []
    real = cases.build_assessment

    def spy(loaded, catalogue, *args, **kwargs):
        calls.append(([r.id for r in catalogue.rules], [d.id for d in catalogue.derived]))
        return real(loaded, catalogue, *args, **kwargs)

    monkeypatch.setattr(cases, "build_assessment", spy)
    return calls


def test_each_case_builds_findings_for_the_rule_under_test_only(pack, seen):
    catalogue = load_catalogue([pack], include_bundled=False)
    results = cases.run_cases(catalogue, ReferenceEngine(catalogue))
    assert [(r.rule_id, r.case, r.passed) for r in results] == [
        ("SCOPE-001", "open", True),
        ("SCOPE-001", "closed", True),
        ("SCOPE-002", "criminalised", True),
        ("SCOPE-002", "not", True),
    ]
    assert seen == [
        (["SCOPE-001"], ["scope_channel_open"]),
        (["SCOPE-001"], ["scope_channel_open"]),
        (["SCOPE-002"], []),
        (["SCOPE-002"], []),
    ]


def test_the_reference_engine_evaluates_the_rule_under_test_only(pack, monkeypatch):
    catalogue = load_catalogue([pack], include_bundled=False)
    evaluated: list[set[str]] = []
    real = ReferenceEngine.truths

    def spy(self, facts):
        truths = real(self, facts)
        evaluated.append({rid for rid, _ in truths.conditions} | set(truths.derived))
        return truths

    monkeypatch.setattr(ReferenceEngine, "truths", spy)
    cases.run_cases(catalogue, ReferenceEngine(catalogue))
    assert evaluated == [{"SCOPE-001", "scope_channel_open"}] * 2 + [{"SCOPE-002"}] * 2


def test_a_pack_on_top_of_the_bundled_catalogue_is_tested_alone(pack, seen):
    result = invoke("rules", "test", "--engine", "reference", pack)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2/2 rules pass; 4/4 cases pass" in result.stdout
    assert {tuple(ids) for ids, _ in seen} == {("SCOPE-001",), ("SCOPE-002",)}


def test_the_durable_engine_gives_the_same_results_scoped(pack, seen):
    durable = pytest.importorskip("coherence.engine.durable")
    if not durable.available():
        pytest.skip("durable-rules is not installed")
    catalogue = load_catalogue([pack])
    wanted = ["SCOPE-001", "SCOPE-002"]
    results = cases.run_cases(catalogue, durable.DurableEngine(catalogue), wanted)
    assert [r.passed for r in results] == [True] * 4
    assert [ids for ids, _ in seen] == [["SCOPE-001"]] * 2 + [["SCOPE-002"]] * 2
