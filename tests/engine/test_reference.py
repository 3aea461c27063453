"""The reference evaluator: Kleene truth tables and comparison semantics."""

from __future__ import annotations

import itertools

import pytest
from pydantic import TypeAdapter

from coherence.engine.reference import compile_condition, evaluate
from coherence.facts import Fact
from coherence.rules.condition import All, Any_, Condition, Not

CONDITION = TypeAdapter(Condition)
PATHS = ("rights.equal_treatment", "rights.social_security")


def facts_for(*values):
    found = {}
    for path, value in zip(PATHS, values, strict=True):
        if value is None:
            found[path] = Fact(path, "answer", "unknown")
        else:
            found[path] = Fact(path, "answer", "known", "yes" if value else "no")
    return found


def leaf(path):
    return {"equals": {"path": path, "value": "yes"}}


def kleene_and(a, b):
    if a is False or b is False:
        return False
    return True if a is True and b is True else None


def kleene_or(a, b):
    if a is True or b is True:
        return True
    return False if a is False and b is False else None


@pytest.mark.parametrize("a,b", list(itertools.product([True, False, None], repeat=2)))
def test_all_any_not_follow_kleene(a, b):
    facts = facts_for(a, b)
    both = CONDITION.validate_python({"all": [leaf(PATHS[0]), leaf(PATHS[1])]})
    either = CONDITION.validate_python({"any": [leaf(PATHS[0]), leaf(PATHS[1])]})
    negated = CONDITION.validate_python({"not": leaf(PATHS[0])})
    assert isinstance(both, All) and isinstance(either, Any_) and isinstance(negated, Not)
    assert evaluate(both, facts) is kleene_and(a, b)
    assert evaluate(either, facts) is kleene_or(a, b)
    assert evaluate(negated, facts) is (None if a is None else not a)
    for cond in (both, either, negated):  # the compiled closures agree
        assert compile_condition(cond)(facts) is evaluate(cond, facts)


def test_not_applicable_and_missing_are_unknown_not_false():
    cond = CONDITION.validate_python({"equals": {"path": "rights.equal_treatment", "value": "no"}})
    assert (
        evaluate(
            cond,
            {"rights.equal_treatment": Fact("rights.equal_treatment", "answer", "not_applicable")},
        )
        is None
    )
    assert evaluate(cond, {}) is None


def test_exists_is_never_unknown():
    cond = CONDITION.validate_python({"exists": {"path": "context.migrant_stock"}})
    assert evaluate(cond, {}) is False
    assert (
        evaluate(
            cond, {"context.migrant_stock": Fact("context.migrant_stock", "number", "known", 5)}
        )
        is True
    )


def test_instrument_order_and_exact_status():
    path = "instruments.ilo_c97.status"
    signed = {path: Fact(path, "status", "known", "signed")}
    at_least_signed = CONDITION.validate_python(
        {"instrument": {"id": "ilo_c97", "at_least": "signed"}}
    )
    at_least_ratified = CONDITION.validate_python(
        {"instrument": {"id": "ilo_c97", "at_least": "ratified"}}
    )
    exactly_signed = CONDITION.validate_python(
        {"instrument": {"id": "ilo_c97", "status": "signed"}}
    )
    assert evaluate(at_least_signed, signed) is True
    assert evaluate(at_least_ratified, signed) is False
    assert evaluate(exactly_signed, signed) is True


def test_count_bounds():
    path = "context.responsible_ministries"
    three = {path: Fact(path, "list", "known", ("a", "b", "c"))}
    within = CONDITION.validate_python({"count": {"path": path, "at_least": 2, "at_most": 3}})
    over = CONDITION.validate_python({"count": {"path": path, "at_most": 2}})
    assert evaluate(within, three) is True
    assert evaluate(over, three) is False


def test_malformed_condition_is_rejected_with_the_operator_list():
    with pytest.raises(Exception) as err:
        CONDITION.validate_python({"equal": {"path": "x", "value": "yes"}})
    assert "exactly one operator" in str(err.value)


def test_compiled_conditions_agree_with_the_tree_walk_on_every_catalogue_condition():
    """`ReferenceEngine` evaluates closures compiled once; they must give what `evaluate`
    gives, on every bundled condition, for every bundled profile and with every fact unknown
    or missing (the differential test then checks them against durable-rules)."""
    from coherence.facts import profile_facts
    from coherence.profile.validate import load_profile
    from coherence.rules.catalog import load_catalogue
    from tests.conftest import PROFILES

    catalogue = load_catalogue()
    conds = [d.when for d in catalogue.derived] + [
        c
        for r in catalogue.rules
        for c in (r.applies_when, r.met_when, r.partial_when)
        if c is not None
    ]
    cases = [profile_facts(load_profile(p)) for p in sorted(PROFILES.glob("*.yaml"))]
    assert cases
    unknown = {path: Fact(path, "answer", "unknown") for path in cases[0]}
    cases += [unknown, {}]
    for facts in cases:
        for cond in conds:
            assert compile_condition(cond)(facts) is evaluate(cond, facts), cond
