"""`coherence rules lint` finds the same checks without comparing every pair of rules (an
attack round: a pack of 1,000 rules on one answer took minutes, as every pair's truth tables
were evaluated again): each condition's truth table is computed once, in a canonical form."""

from __future__ import annotations

import itertools
import random
from typing import Any

import coherence.ruletools.counting as counting
from coherence.rules.catalog import load_catalogue
from coherence.ruletools.counting import SameChecks, counting_problems, same_check, truth_table
from tests.rulepack import rule, write_pack

STOCK = "context.migrant_stock"
MINISTRIES = "context.responsible_ministries"
EQUAL = "rights.equal_treatment"
ADMISSION = "labour_channels.temporary_admission"
MANY = [
    "rights.equal_treatment",
    "rights.health_care",
    "rights.education_children",
    "rights.social_security_portability",
    "rights.family_reunification",
    "labour_channels.temporary_admission",
    "labour_channels.permanent_admission",
    "labour_channels.skills_recognition",
    "anti_trafficking.victim_reintegration",
    "anti_trafficking.national_action_plan",
]
"""Ten answers of three known values each: 59,049 combinations, too many to tabulate."""


def _number(rng: random.Random) -> dict[str, Any]:
    """A condition on the number `STOCK`, often one written in several ways."""
    n = rng.randint(1, 6)
    return rng.choice(
        [
            {"at_least": {"path": STOCK, "value": n}},
            {"not": {"at_most": {"path": STOCK, "value": n - 1}}},
            {"at_most": {"path": STOCK, "value": n}},
            {"not": {"at_least": {"path": STOCK, "value": n + 1}}},
            {"equals": {"path": STOCK, "value": n}},
            {"in": {"path": STOCK, "values": [n, n + 1]}},
            {
                "all": [
                    {"at_least": {"path": STOCK, "value": n}},
                    {"at_most": {"path": STOCK, "value": n}},
                ]
            },
            {"at_least": {"path": STOCK, "value": n - 0.5}},
        ]
    )


def _answer(rng: random.Random) -> dict[str, Any]:
    """A condition on an answer, often one written in several ways."""
    return rng.choice(
        [
            {"equals": {"path": EQUAL, "value": "yes"}},
            {"not": {"in": {"path": EQUAL, "values": ["no", "partial"]}}},
            {"in": {"path": EQUAL, "values": ["yes", "partial"]}},
            {"not": {"equals": {"path": EQUAL, "value": "no"}}},
            {"equals": {"path": "derived.equal", "value": "yes"}},
        ]
    )


def _condition(rng: random.Random) -> dict[str, Any]:
    """A random condition on a number, a list length and answers (derived facts too)."""
    k = rng.randint(0, 3)
    count = rng.choice(
        [
            {"count": {"path": MINISTRIES, "at_least": k}},
            {"not": {"count": {"path": MINISTRIES, "at_most": max(k - 1, 0)}}},
            {"count": {"path": MINISTRIES, "at_least": k, "at_most": k + 1}},
        ]
    )
    parts = [_number(rng), _answer(rng), count, {"equals": {"path": ADMISSION, "value": "yes"}}]
    chosen = rng.sample(parts, rng.randint(1, 3))
    if len(chosen) == 1:
        return chosen[0]
    return {rng.choice(["all", "any"]): chosen}


DERIVED = [
    {
        "id": "equal",
        "description": "Equal treatment in law.",
        "when": {"equals": {"path": EQUAL, "value": "yes"}},
    }
]


def _pack(tmp_path, conditions: list[dict[str, Any]]):
    rules = [rule(f"GEN-{n:03d}", c) for n, c in enumerate(conditions)]
    return load_catalogue([write_pack(tmp_path, rules, DERIVED)], include_bundled=False)


def test_distinct_checks_on_one_answer_are_never_compared_pair_by_pair(tmp_path, monkeypatch):
    conditions = [{"at_least": {"path": STOCK, "value": n}} for n in range(1, 300)]
    conditions.append({"equals": {"path": STOCK, "value": 7}})
    catalogue = _pack(tmp_path, conditions)
    calls = []

    def counted(*args: Any) -> bool:
        calls.append(args)
        if len(calls) > 50:
            raise AssertionError("rules compared pair by pair")
        return same_check(*args)

    monkeypatch.setattr(counting, "same_check", counted)
    assert counting_problems(catalogue) == []
    assert calls == []


def test_the_index_finds_exactly_what_comparing_every_pair_finds(tmp_path):
    rng = random.Random(1)
    conditions = [_condition(rng) for _ in range(50)]
    large = {"all": [{"equals": {"path": p, "value": "yes"}} for p in MANY]}
    large_too = {"not": {"any": [{"in": {"path": p, "values": ["no", "partial"]}} for p in MANY]}}
    conditions += [large, large_too]
    catalogue = _pack(tmp_path, conditions)
    checks = list(catalogue.rules)
    expected = [
        (a.id, b.id)
        for a, b in itertools.combinations(checks, 2)
        if same_check(a.met_when, b.met_when, catalogue)
    ]
    index = SameChecks(checks, catalogue)
    assert [(a.id, b.id) for a, b in index.pairs()] == expected
    assert len(expected) >= 10  # the generator writes many checks twice
    assert ("GEN-050", "GEN-051") in expected  # too large to tabulate, compared directly
    assert index.compared <= 2 * len(checks)
    for first in checks[:10]:
        assert [r.id for r in index.matching(first)] == [
            r.id
            for r in checks
            if r.id != first.id and same_check(first.met_when, r.met_when, catalogue)
        ]
    duplicates = {(d.path, d.code) for d in counting_problems(catalogue)}
    assert duplicates == {(b, "duplicate-check") for _, b in expected}


def test_truth_tables_do_not_depend_on_spelling(tmp_path):
    conditions = [
        {"at_least": {"path": STOCK, "value": 5}},
        {"not": {"at_most": {"path": STOCK, "value": 4}}},
        {"at_least": {"path": STOCK, "value": 4.5}},
        {"at_least": {"path": STOCK, "value": 6}},
        {"count": {"path": MINISTRIES, "at_least": 2}},
        {"not": {"count": {"path": MINISTRIES, "at_most": 1}}},
        {"count": {"path": MINISTRIES, "at_least": 2, "at_most": 3}},
    ]
    catalogue = _pack(tmp_path, conditions)
    tables = [truth_table(r.met_when, catalogue) for r in catalogue.rules]
    assert tables[0] == tables[1] == tables[2] != tables[3]
    assert tables[4] == tables[5] != tables[6]
