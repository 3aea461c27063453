"""The durable-rules engine: sessions, facts no rule reads, errors surfaced, limits, sharding."""

from __future__ import annotations

import json

import pytest

from coherence.engine.compile import (
    MAX_CONDITIONS_PER_FACT,
    CompileError,
    compile_catalogue,
    limit_problems,
)
from coherence.engine.durable import (
    DurableEngine,
    EngineError,
    _core,
    _encode,
    _Session,
    available,
)
from coherence.engine.reference import ReferenceEngine
from coherence.facts import profile_facts
from coherence.profile.validate import load_profile, validate_document
from coherence.rules.catalog import load_catalogue
from coherence.yamlsource import YamlDocument
from tests.conftest import FIXTURES, PROFILES
from tests.rulepack import profile_doc, rule, write_pack

pytestmark = pytest.mark.skipif(
    not available(), reason="durable-rules does not import on this Python"
)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _facts(fragment):
    return profile_facts(validate_document(YamlDocument("t.yaml", profile_doc(fragment))))


def test_many_profiles_never_hit_the_session_cap(catalogue):
    engine = DurableEngine(catalogue)
    facts = profile_facts(load_profile(PROFILES / "example-origin.yaml"))
    first = engine.truths(facts)
    for _ in range(1_100):  # past the 1,024 live-session cap: sessions must be deleted
        assert engine.truths(facts) == first
    # A deleted session is really gone from the engine.
    name = engine._names[0][0]
    with pytest.raises(Exception, match=r"309|not found|Could not"):
        engine._host.get_state(name, "s0")


def test_fact_matching_no_rule_neither_raises_nor_stops_the_batch(catalogue):
    """There is no catch-all rule: the C core reports a fact that matches no rule as code 1,
    and the rest of its batch is still matched, with the fired rules run in this thread."""
    engine = DurableEngine(catalogue)
    name, handle, shard, paths, _ = engine._plan[0]
    facts = profile_facts(load_profile(PROFILES / "example-origin.yaml"))

    def run(sid, lonely):
        batch = [_encode(facts[p], sid) for p in paths if p in facts and facts[p].known]
        extra = [
            {"sid": sid, "t": "f", "p": "nothing.reads.this", "k": "known", "v": v} for v in lonely
        ]
        session = _Session()
        engine._run_session(handle, shard, json.dumps(extra[:1] + batch + extra[1:]), sid, session)
        engine._host.delete_state(name, sid)
        return session.truths, session.derived

    plain = run("plain", [])
    assert plain[0]  # rules fired
    assert run("lonely", ["x", "y"]) == plain
    code = _core.assert_facts(
        handle, json.dumps([{"sid": "alone", "t": "f", "p": "no.one", "k": "unknown"}])
    )
    assert code[0] == 1  # not handled, reported rather than raised
    engine._host.delete_state(name, "alone")


def test_a_session_where_no_rule_fires_is_deleted_safely(catalogue):
    """Deleting a durable-rules session in which no rule fired corrupts the C heap (the
    process aborts: `munmap_chunk(): invalid pointer`). Four answers of this profile fire
    nothing in one ruleset; the marker rule fires once in every session, so it is safe."""
    engine = DurableEngine(catalogue)
    facts = profile_facts(load_profile(FIXTURES / "profiles" / "three-noes.yaml"))
    expected = ReferenceEngine(catalogue).truths(facts)
    for _ in range(3):
        assert engine.truths(facts) == expected


def test_exception_in_action_surfaces(catalogue):
    class Broken(DurableEngine):
        def _on_fire(self, target, sid, session, handle):
            raise RuntimeError("boom in action")

    engine = Broken(catalogue)
    facts = profile_facts(load_profile(PROFILES / "example-destination.yaml"))
    with pytest.raises(EngineError, match="boom in action"):
        engine.truths(facts)
    # The engine is still usable afterwards: the failed sessions were abandoned and deleted.
    healthy = DurableEngine(catalogue)
    assert healthy.truths(facts) == ReferenceEngine(catalogue).truths(facts)


def test_rule_over_the_expression_limit_fails_to_load_with_its_location(tmp_path):
    paths = [
        "rights.equal_treatment", "rights.social_security", "rights.health_care", "rights.family_reunification",
        "rights.asylum_procedure", "rights.non_refoulement", "rights.freedom_to_leave", "rights.access_to_justice",
        "rights.xenophobia_measures", "rights.education_children", "rights.anti_discrimination_law",
    ]  # fmt: skip
    # 11 facts of 3 expressions each (path, state, value): 33, over the limit of 32
    wide = rule("WIDE-001", {"all": [{"equals": {"path": p, "value": "yes"}} for p in paths]})
    catalogue = load_catalogue([write_pack(tmp_path, [wide])], include_bundled=False)
    with pytest.raises(CompileError) as err:
        compile_catalogue(catalogue)
    assert "pack.yaml:2: rule WIDE-001 exceeds the engine's limits" in str(err.value)
    assert "expressions" in str(err.value)


def test_condition_explosion_is_refused(tmp_path):
    from coherence.facts import readable_paths

    rights = [p for p, i in readable_paths().items() if p.startswith("rights.") and i.question][:20]
    groups = [
        rights[i : i + 4] for i in range(0, 20, 4)
    ]  # all of 5 groups of any-of-4: 4**5 = 1024
    cond = {"all": [{"any": [{"equals": {"path": p, "value": "yes"}} for p in g]} for g in groups]}
    catalogue = load_catalogue(
        [write_pack(tmp_path, [rule("BOOM-001", cond)])], include_bundled=False
    )
    with pytest.raises(CompileError, match="alternatives"):
        compile_catalogue(catalogue)
    # The reference evaluator has no such limit and still evaluates the rule.
    facts = _facts({"rights": {p.split(".")[1]: "yes" for p in rights}})
    assert ReferenceEngine(catalogue).truths(facts).conditions[("BOOM-001", "met_when")] is True


def test_many_conditions_on_one_path_are_sharded_within_limits(tmp_path):
    # 70 rules on one number path: 140 distinct patterns, far past 63 per fact in one ruleset.
    rules = [
        rule(f"MANY-{i:03d}", {"at_least": {"path": "context.migrant_stock", "value": i * 1000}})
        for i in range(70)
    ]
    catalogue = load_catalogue([write_pack(tmp_path, rules)], include_bundled=False)
    shards = compile_catalogue(catalogue)
    assert len(shards) > 1
    assert all(not limit_problems(s) for s in shards)
    per_shard = [len({str(r) for r in s.definitions.values()}) for s in shards]
    assert max(per_shard) < MAX_CONDITIONS_PER_FACT
    facts = _facts({"context": {"migrant_stock": {"value": 35_500}}})
    assert DurableEngine(catalogue).truths(facts) == ReferenceEngine(catalogue).truths(facts)


def test_derived_facts_chain_across_shards(tmp_path):
    derived = [
        {"id": "base", "description": "First derived fact.", "when": {"equals": {"path": "rights.equal_treatment", "value": "yes"}}},
        {"id": "chained", "description": "Built on the first.", "when": {"all": [
            {"equals": {"path": "derived.base", "value": "yes"}},
            {"equals": {"path": "rights.social_security", "value": "yes"}}]}},
    ]  # fmt: skip
    # 300 rules share one condition, past the engine's limit of 256: they must be sharded,
    # and each shard must then derive the chained fact for itself.
    rules = [
        rule(f"CHAIN-{i:03d}", {"equals": {"path": "derived.chained", "value": "yes"}})
        for i in range(300)
    ]
    catalogue = load_catalogue([write_pack(tmp_path, rules, derived)], include_bundled=False)
    engine = DurableEngine(catalogue)
    assert len(engine.shards) > 1
    for eq, ss, expected in (
        ("yes", "yes", True),
        ("yes", "no", False),
        ("no", "unknown", False),
        ("yes", "unknown", None),
    ):
        facts = _facts({"rights": {"equal_treatment": eq, "social_security": ss}})
        truths = engine.truths(facts)
        assert {v for k, v in truths.conditions.items()} == {expected}
        assert truths == ReferenceEngine(catalogue).truths(facts)


COLLIDING = ("derived.x70148", "derived.x454182")
"""Two paths whose property names (`p/derived/x70148`, `p/derived/x454182`) share durable-rules'
32-bit FNV-1a hash (found by search)."""


def test_durable_rules_tells_properties_apart_by_hash_only(catalogue):
    """Why the compiler checks the hashes: a fact of one path fires a rule on the other."""
    from coherence.engine.compile import fnv1a_32, path_key

    first, second = (path_key(p) for p in COLLIDING)
    assert fnv1a_32(first) == fnv1a_32(second)
    host = DurableEngine(catalogue)._host
    host.register_rulesets(
        {"collision-test": {"r0": {"all": [{"m": {"$and": [{first: 1}]}}], "run": lambda c: None}}}
    )
    handle = host.get_ruleset("collision-test")._handle
    result = _core.assert_facts(handle, json.dumps([{"sid": "c", second: 1, "k": "known"}]))
    assert _core.start_action_for_state(handle, result[1])  # it fired
    _core.complete_and_start_action(handle, result[1])
    host.delete_state("collision-test", "c")


def test_paths_sharing_an_engine_hash_are_refused():
    from coherence.engine.compile import Shard, _pattern

    known = ({"k": "known"},)
    shard = Shard("s", [], definitions={"r0": {"all": [{"m0": _pattern(COLLIDING[0], known)}]}})
    assert limit_problems(shard) == []
    shard.definitions["r1"] = {"all": [{"m0": _pattern(COLLIDING[1], known)}]}
    assert any("share an engine hash" in p for p in limit_problems(shard))
