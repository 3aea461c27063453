"""Rule packs that attack the engines and lint (issue 12 §3, items 8 to 12): numbers the
engines cannot compare alike are refused at load, lint never allocates in proportion to a
number written in a rule, its reachability is exact where sampling was blind, and it reports
the rule engine's hard limits."""

from __future__ import annotations

import json
import math
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from coherence.diagnostics import InputError
from coherence.engine.compile import CompileError, compile_catalogue
from coherence.engine.reference import ReferenceEngine
from coherence.facts import Fact, readable_paths
from coherence.rules.catalog import load_catalogue
from coherence.ruletools.lint import (
    MAX_COMBINATIONS,
    _candidates,
    lint_catalogue,
    reachable_statuses,
)
from tests.conftest import invoke, line_of
from tests.rulepack import rule, write_pack

STOCK = "context.migrant_stock"
MINISTRIES = "context.responsible_ministries"


def _pack(tmp_path: Path, met_when: dict[str, Any], raw: dict[str, str] | None = None) -> Path:
    """A one-rule pack; `raw` replaces quoted YAML scalars by raw text (e.g. `.inf`)."""
    folder = write_pack(tmp_path / "pack", [rule("TEST-001", met_when)])
    pack = folder / "pack.yaml"
    text = pack.read_text(encoding="utf-8")
    for quoted, bare in (raw or {}).items():
        text = text.replace(quoted, bare)
    pack.write_text(text, encoding="utf-8")
    return folder


def _refused(folder: Path) -> list[Any]:
    with pytest.raises(InputError) as caught:
        load_catalogue([folder], include_bundled=False)
    return caught.value.diagnostics


# Item 8: .inf, -.inf and .nan bounds are refused when the rule loads, at the condition.


@pytest.mark.parametrize("op", ["at_least", "at_most"])
@pytest.mark.parametrize("bare", [".inf", "-.inf", ".nan"])
def test_a_non_finite_bound_is_refused_at_load(tmp_path, op, bare):
    folder = _pack(tmp_path, {op: {"path": STOCK, "value": "NONFINITE"}}, {"NONFINITE": bare})
    (problem,) = _refused(folder)
    assert problem.code == "bad-condition"
    assert problem.line == line_of(folder / "pack.yaml", "met_when:")
    assert "is not a finite number" in problem.message


def test_lint_names_a_non_finite_bound_without_a_traceback(tmp_path):
    folder = _pack(tmp_path, {"at_least": {"path": STOCK, "value": "NAN"}}, {"NAN": ".nan"})
    result = invoke("rules", "lint", "--no-bundled", "--format", "json", folder)
    assert result.returncode == 2 or result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nan is not a finite number" in result.stdout + result.stderr


# Item 9: durable-rules' C core compares integers exactly only below 2**63 (measured: from
# 2**63 on it reads them as doubles, so 2**63 + 1 >= ... disagrees with Python).


@pytest.mark.parametrize(
    "met_when",
    [
        {"at_least": {"path": STOCK, "value": 2**63}},
        {"at_most": {"path": STOCK, "value": 2**64 + 1}},
        {"equals": {"path": STOCK, "value": 2**63}},
        {"in": {"path": STOCK, "values": [1, -(2**63) - 1]}},
        {"count": {"path": MINISTRIES, "at_least": 2**63}},
        {"count": {"path": MINISTRIES, "at_most": 10**30}},
    ],
)
def test_an_integer_beyond_the_engine_is_refused_at_load(tmp_path, met_when):
    folder = _pack(tmp_path, met_when)
    (problem,) = _refused(folder)
    assert problem.code == "bad-condition"
    assert problem.line == line_of(folder / "pack.yaml", "met_when:")
    assert "out of range" in problem.message and "2**63" in problem.message


def test_a_decimal_number_past_2_53_is_refused_at_load(tmp_path):
    # durable-rules compares it as a double and rounds the profile's whole number with it:
    # 2**62 - 1 >= 2.0**62 is true there and false in Python.
    folder = _pack(tmp_path, {"at_least": {"path": STOCK, "value": 2.0**62}})
    (problem,) = _refused(folder)
    assert "decimal numbers in rules must lie strictly between -2**53 and 2**53" in (
        problem.message
    )
    fine = _pack(tmp_path / "fine", {"at_least": {"path": STOCK, "value": 1.5e6}})
    assert load_catalogue([fine], include_bundled=False).rules


def test_the_largest_allowed_integer_is_compared_alike_by_both_engines(tmp_path):
    durable = pytest.importorskip("coherence.engine.durable")
    if not durable.available():
        pytest.skip("durable-rules is not installed")
    top = 2**63 - 1
    folder = write_pack(
        tmp_path / "pack",
        [
            rule("TEST-001", {"at_least": {"path": STOCK, "value": top}}),
            rule("TEST-002", {"at_most": {"path": STOCK, "value": top - 1}}),
            rule("TEST-003", {"count": {"path": MINISTRIES, "at_least": top}}),
        ],
    )
    catalogue = load_catalogue([folder], include_bundled=False)
    engines = [durable.DurableEngine(catalogue), ReferenceEngine(catalogue)]
    for value in (0, top - 2, top - 1, top):
        facts = {
            STOCK: Fact(STOCK, "number", "known", value),
            MINISTRIES: Fact(MINISTRIES, "list", "known", ("a", "b")),
        }
        first, second = (e.truths(facts).conditions for e in engines)
        assert first == second, value


# Item 10: lint never allocates in proportion to a number written in a rule.


def test_lint_of_a_huge_count_bound_finishes_and_reaches_both_outcomes(tmp_path):
    folder = _pack(tmp_path, {"count": {"path": MINISTRIES, "at_least": 2**63 - 1}})
    catalogue = load_catalogue([folder], include_bundled=False)
    rule_ = catalogue.by_id["TEST-001"]
    assert {"met", "gap"} <= reachable_statuses(rule_, catalogue)
    codes = {d.code for d in lint_catalogue(catalogue, {"TEST-001"})}
    assert "unreachable" not in codes


def test_list_candidates_are_lengths_not_lists(tmp_path):
    folder = _pack(tmp_path, {"count": {"path": MINISTRIES, "at_least": 1_000_000}})
    catalogue = load_catalogue([folder], include_bundled=False)
    rule_ = catalogue.by_id["TEST-001"]
    tracemalloc.start()
    try:
        reachable_statuses(rule_, catalogue)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, peak  # a list of a million items alone is 8 MB
    lengths = sorted(len(f.value) for f in _candidates(MINISTRIES, [rule_.met_when]) if f.known)
    assert lengths == [0, 999_999, 1_000_000, 1_000_001]


# Item 11: reachability is exact for equals on number paths and for conjunctions of many
# equals, where uniform sampling never hits the one combination that meets the rule.


def test_an_equals_on_a_number_path_is_reachable(tmp_path):
    folder = _pack(tmp_path, {"equals": {"path": STOCK, "value": 250_000}})
    catalogue = load_catalogue([folder], include_bundled=False)
    assert {"met", "gap"} <= reachable_statuses(catalogue.by_id["TEST-001"], catalogue)
    codes = {d.code for d in lint_catalogue(catalogue, {"TEST-001"})}
    assert "unreachable" not in codes


def test_a_fractional_equals_on_a_number_path_is_never_met(tmp_path):
    # Profile numbers are whole: the candidates are exact, so lint still says so.
    folder = _pack(tmp_path, {"equals": {"path": STOCK, "value": 2.5}})
    catalogue = load_catalogue([folder], include_bundled=False)
    assert "met" not in reachable_statuses(catalogue.by_id["TEST-001"], catalogue)


def _many_valued_answers(count: int) -> list[str]:
    found = [
        p
        for p, info in readable_paths().items()
        if info.kind == "answer"
        and info.question
        and len([v for v in info.values if v not in ("unknown", "not_applicable")]) >= 3
    ]
    return found[:count]


def test_an_all_of_eight_equals_is_reachable_past_the_sampling_bound(tmp_path):
    answers = _many_valued_answers(8)
    met_when = {"all": [{"equals": {"path": p, "value": "yes"}} for p in answers]}
    folder = _pack(tmp_path, met_when)
    catalogue = load_catalogue([folder], include_bundled=False)
    rule_ = catalogue.by_id["TEST-001"]
    total = math.prod(len(_candidates(p, [rule_.met_when])) for p in answers)
    assert total > MAX_COMBINATIONS  # the search cannot be exhaustive here
    assert {"met", "gap", "insufficient_data"} <= reachable_statuses(rule_, catalogue)
    codes = {d.code for d in lint_catalogue(catalogue, {"TEST-001"})}
    assert "unreachable" not in codes


def test_a_rule_that_can_never_be_met_is_still_reported_past_the_bound(tmp_path):
    answers = _many_valued_answers(8)
    met_when = {
        "all": [
            *({"equals": {"path": p, "value": "yes"}} for p in answers),
            {"equals": {"path": answers[0], "value": "no"}},
        ]
    }
    folder = _pack(tmp_path, met_when)
    catalogue = load_catalogue([folder], include_bundled=False)
    statuses = reachable_statuses(catalogue.by_id["TEST-001"], catalogue)
    assert "met" not in statuses and "gap" in statuses


# Item 12: lint reports the rule engine's hard limits, at the rule's file:line.


def test_lint_reports_a_rule_past_the_engine_limits_at_its_line(tmp_path):
    folder = _pack(tmp_path, {"in": {"path": STOCK, "values": list(range(1, 41))}})
    catalogue = load_catalogue([folder], include_bundled=False)
    with pytest.raises(CompileError):  # what `check` would meet at run time
        compile_catalogue(catalogue)
    result = invoke("rules", "lint", "--no-bundled", "--format", "json", folder)
    assert result.returncode == 1
    (entry,) = json.loads(result.stdout)["files"]
    (error,) = [e for e in entry["errors"] if e["code"] == "engine-limit"]
    assert error["line"] == line_of(folder / "pack.yaml", "id: TEST-001")
    assert "TEST-001 exceeds the rule engine's limits" in error["message"]
    assert "expressions (limit 32)" in error["message"]


def test_lint_reports_a_condition_too_large_to_compile(tmp_path):
    # 9 alternatives, each a conjunction with the next: the true-DNF of all(any...) explodes.
    met_when = {
        "all": [
            {"any": [{"equals": {"path": STOCK, "value": i * 10 + j}} for j in range(4)]}
            for i in range(5)
        ]
    }
    folder = _pack(tmp_path, met_when)
    catalogue = load_catalogue([folder], include_bundled=False)
    problems = [d for d in lint_catalogue(catalogue, {"TEST-001"}) if d.code == "engine-limit"]
    (problem,) = problems
    assert "cannot be compiled for the rule engine" in problem.message
    assert "alternatives (limit" in problem.message
