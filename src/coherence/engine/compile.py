"""Compile the condition language to durable-rules rulesets.

Three-valued logic without negation: for every condition C the compiler builds two
*positive* formulas in disjunctive normal form, "C is true" and "C is false", by Kleene's
rules (T(all) = ∧T, F(all) = ∨F, T(any) = ∨T, F(any) = ∧F, T(not x) = F(x), F(not x) = T(x)).
A comparison is true or false only on a *known* fact, so "unknown" is simply neither formula
matching. Every fact — including unknown and missing answers — is asserted explicitly with
its state, so no rule ever needs `none()` (order-dependent in durable-rules) or a rule of
only `$nex` (which loops forever). Each conjunct becomes one durable rule that joins the
facts of its paths: this is where the Rete network does the cross-theme joins. Derived facts
are rules whose action asserts a new fact that other rules join on (forward chaining).

The catalogue is sharded into rulesets and checked against the engine's hard limits, so a
catalogue that would hang or break the C core fails to load with a clear message instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import product
from typing import Any

from coherence.facts import readable_paths
from coherence.rules.catalog import CONDITIONS, Catalogue
from coherence.rules.condition import (
    STATUS_RANK,
    All,
    Any_,
    AtLeast,
    AtMost,
    Count,
    Equals,
    Exists,
    In,
    Instrument,
    Not,
    leaf_path,
)

# Limits of durable-rules 2.0.28 (C constants), with a safety margin where passing the
# limit makes the engine hang rather than fail. See docs/engine.md.
MAX_RULES_PER_RULESET = 4096
MAX_EXPRESSIONS_PER_RULE = 32
MAX_CONDITIONS_PER_FACT = 64
MAX_RULES_SHARING_CONDITION = 256
MAX_DISTINCT_CONDITIONS = 500  # hard limit 512 children under one node: it hangs past that
MAX_FACT_PROPERTIES = 250
MAX_CONJUNCTS = 256  # per condition and truth value; keeps the DNF from exploding
SHARD_SIZE = 120

Conjunct = dict[str, tuple[Any, ...]]  # path -> expressions on that path's fact
Dnf = list[Conjunct]


class CompileError(Exception):
    """The catalogue cannot be compiled within the engine's limits."""


def _value_field(path: str) -> str:
    if path.startswith("derived."):
        return "v"
    kind = readable_paths()[path].kind
    return {"number": "x", "list": "n"}.get(kind, "v")


def _eq(fld: str, value: Any) -> dict[str, Any]:
    return {fld: value}


def _neq(fld: str, value: Any) -> dict[str, Any]:
    return {"$neq": {fld: value}}


KNOWN = {"k": "known"}


def _leaf(leaf: Any) -> tuple[Dnf, Dnf]:
    """(true-DNF, false-DNF) of one comparison."""
    path = leaf_path(leaf)
    if isinstance(leaf, Exists):
        return [{path: (KNOWN,)}], [{path: ({"$neq": KNOWN},)}]
    fld = _value_field(path)
    if isinstance(leaf, (Equals, In, Instrument)):
        if isinstance(leaf, Equals):
            values = [leaf.equals.value]
        elif isinstance(leaf, In):
            values = list(leaf.in_.values)
        else:
            spec = leaf.instrument
            allowed = list(readable_paths()[path].values)
            if spec.at_least is not None:
                floor = STATUS_RANK[spec.at_least]
                allowed = [v for v in allowed if STATUS_RANK[v] >= floor]
            if spec.status is not None:
                allowed = [v for v in allowed if v == spec.status]
            values = allowed
        if not values:  # can never be true
            return [], [{path: (KNOWN,)}]
        true = _eq(fld, values[0]) if len(values) == 1 else {"$or": [_eq(fld, v) for v in values]}
        return [{path: (KNOWN, true)}], [{path: (KNOWN, *(_neq(fld, v) for v in values))}]
    if isinstance(leaf, (AtLeast, AtMost)):
        low = isinstance(leaf, AtLeast)
        n = leaf.at_least.value if low else leaf.at_most.value
        t_op, f_op = ("$gte", "$lt") if low else ("$lte", "$gt")
        return [{path: (KNOWN, {t_op: {fld: n}})}], [{path: (KNOWN, {f_op: {fld: n}})}]
    if isinstance(leaf, Count):
        spec = leaf.count
        true: list[Any] = [KNOWN]
        false: Dnf = []
        if spec.at_least is not None:
            true.append({"$gte": {"n": spec.at_least}})
            false.append({path: (KNOWN, {"$lt": {"n": spec.at_least}})})
        if spec.at_most is not None:
            true.append({"$lte": {"n": spec.at_most}})
            false.append({path: (KNOWN, {"$gt": {"n": spec.at_most}})})
        return [{path: tuple(true)}], false
    raise CompileError(f"not a condition: {leaf!r}")


def _merge(conjuncts: tuple[Conjunct, ...]) -> Conjunct:
    merged: dict[str, list[Any]] = {}
    for conj in conjuncts:
        for path, exprs in conj.items():
            bucket = merged.setdefault(path, [])
            bucket.extend(e for e in exprs if e not in bucket)
    return {p: tuple(e) for p, e in sorted(merged.items())}


def _dedup(dnf: Dnf) -> Dnf:
    seen: dict[str, Conjunct] = {}
    for conj in dnf:
        seen.setdefault(json.dumps(conj, sort_keys=True), conj)
    return list(seen.values())


def _check_size(dnf: Dnf, what: str) -> Dnf:
    if len(dnf) > MAX_CONJUNCTS:
        raise CompileError(
            f"{what} expands to {len(dnf)} alternatives (limit {MAX_CONJUNCTS}); "
            "split it into simpler conditions or a derived fact"
        )
    return dnf


def dnf(cond: Any, what: str = "condition") -> tuple[Dnf, Dnf]:
    """(true-DNF, false-DNF) of a condition."""
    if isinstance(cond, Not):
        true, false = dnf(cond.not_, what)
        return false, true
    if isinstance(cond, (All, Any_)):
        parts = [dnf(c, what) for c in (cond.all if isinstance(cond, All) else cond.any)]
        trues = [p[0] for p in parts]
        falses = [p[1] for p in parts]
        if isinstance(cond, Any_):
            trues, falses = falses, trues  # De Morgan: the roles of T and F swap
        size = 1
        for t in trues:
            size *= max(len(t), 1)
            _check_size([{}] * min(size, MAX_CONJUNCTS + 1), what)
        conj = _dedup([_merge(combo) for combo in product(*trues)])
        disj = _dedup([c for f in falses for c in f])
        _check_size(conj, what)
        _check_size(disj, what)
        return (conj, disj) if isinstance(cond, All) else (disj, conj)
    return _leaf(cond)


@dataclass(frozen=True)
class Target:
    """What a durable rule establishes when it fires."""

    kind: str  # "condition" or "derived"
    key: tuple[str, str]  # (rule id, condition name) or ("derived", id)
    truth: bool


@dataclass
class Shard:
    """One durable-rules ruleset: some catalogue rules plus the derived facts they need."""

    name: str
    rule_ids: list[str]
    paths: set[str] = field(default_factory=set)
    state_paths: set[str] = field(default_factory=set)
    """Paths some pattern reads in a not-known state (`exists` false): only these need
    their unknown, missing and not-applicable facts asserted."""
    definitions: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)


FACT_FIELDS = ("sid", "id", "t", "k", "v", "x", "n", "$s", "$f")
"""The other property names of the facts and session states in a ruleset."""


def path_key(path: str) -> str:
    """The property that names a fact's path: a fact of `rights.equal_treatment` carries
    `"p/rights/equal_treatment": 1`. durable-rules finds an alpha node by the hash of a
    property's name, in constant time, but compares a value with every node of the same
    name: with the path as the value of one property (`"p": path`), each fact was compared
    with the ~100 paths of its ruleset (measured: the C matching 35 % slower). No dot: a
    dotted name would be read as nested objects."""
    return "p/" + path.replace(".", "/")


def key_path(key: str) -> str:
    """The path a `path_key` names."""
    return key.removeprefix("p/").replace("/", ".")


def fnv1a_32(text: str) -> int:
    """durable-rules' hash of a property name (`fnv1Hash32` in its C core: FNV-1a over the
    UTF-8 bytes, read as signed chars)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value ^= byte if byte < 0x80 else (byte - 0x100) & 0xFFFFFFFF
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def _pattern(path: str, exprs: tuple[Any, ...]) -> dict[str, Any]:
    return {"$and": [{path_key(path): 1}, *exprs]}


def pattern_path(pattern: dict[str, Any]) -> str:
    """The path whose facts a pattern made by `_pattern` matches."""
    return key_path(next(iter(pattern["$and"][0])))


def _count_expressions(node: Any) -> int:
    if isinstance(node, dict):
        total = 0
        for key, value in node.items():
            if key in ("$and", "$or"):
                total += sum(_count_expressions(v) for v in value)
            elif key.startswith("$"):
                total += 1
            else:
                total += 1
        return total
    return 0


def _add(shard: Shard, conjuncts: Dnf, target_key: tuple[str, str], kind: str, truth: bool) -> None:
    for conj in conjuncts:
        name = f"r{len(shard.definitions)}"
        shard.definitions[name] = {
            "all": [{f"m{i}": _pattern(p, e)} for i, (p, e) in enumerate(sorted(conj.items()))]
        }
        shard.targets[name] = Target(kind, target_key, truth)
        shard.paths.update(conj)
        shard.state_paths.update(p for p, exprs in conj.items() if {"$neq": KNOWN} in exprs)


def _derived(shard: Shard) -> set[str]:
    """The derived-fact paths a shard asserts or reads."""
    made = {f"derived.{t.key[1]}" for t in shard.targets.values() if t.kind == "derived"}
    read = {
        pattern_path(next(iter(m.values()))) for d in shard.definitions.values() for m in d["all"]
    }
    return made | {p for p in read if p.startswith("derived.")}


def limit_problems(shard: Shard) -> list[str]:
    """Every way the shard breaks one of durable-rules' hard limits."""
    problems = []
    if len(shard.definitions) + 1 > MAX_RULES_PER_RULESET:
        problems.append(f"{len(shard.definitions)} engine rules (limit {MAX_RULES_PER_RULESET})")
    per_path: dict[str, set[str]] = {}
    shared: dict[str, int] = {}
    for name, definition in shard.definitions.items():
        exprs = sum(_count_expressions(next(iter(m.values()))) for m in definition["all"])
        if exprs > MAX_EXPRESSIONS_PER_RULE:
            problems.append(
                f"engine rule {name} has {exprs} expressions (limit {MAX_EXPRESSIONS_PER_RULE})"
            )
        for m in definition["all"]:
            pattern = next(iter(m.values()))
            key = json.dumps(pattern, sort_keys=True)
            per_path.setdefault(pattern_path(pattern), set()).add(key)
            shared[key] = shared.get(key, 0) + 1
    for path, patterns in per_path.items():
        if len(patterns) + 1 > MAX_CONDITIONS_PER_FACT:  # +1: the catch-all
            problems.append(
                f"{len(patterns)} conditions on '{path}' (limit {MAX_CONDITIONS_PER_FACT - 1})"
            )
    for count in shared.values():
        if count > MAX_RULES_SHARING_CONDITION:
            problems.append(
                f"{count} engine rules share one condition (limit {MAX_RULES_SHARING_CONDITION})"
            )
    # durable-rules tells properties apart by the hash of their names only: two paths (or a
    # path and another field) whose names share a hash would match each other's facts.
    hashes: dict[int, str] = {}
    for name in (*FACT_FIELDS, *(path_key(p) for p in sorted(shard.paths | _derived(shard)))):
        other = hashes.setdefault(fnv1a_32(name), name)
        if other != name:
            problems.append(f"'{key_path(name)}' and '{key_path(other)}' share an engine hash")
    distinct = sum(len(p) for p in per_path.values())
    if distinct > MAX_DISTINCT_CONDITIONS:
        problems.append(f"{distinct} distinct conditions (limit {MAX_DISTINCT_CONDITIONS})")
    return problems


def build_shard(catalogue: Catalogue, name: str, rule_ids: list[str]) -> Shard:
    """Compile some rules (and the derived facts they read) into one ruleset definition."""
    shard = Shard(name, list(rule_ids))
    for item in catalogue.derived_needed([catalogue.by_id[rid] for rid in rule_ids]):
        true, false = dnf(item.when, f"derived fact {item.id}")
        _add(shard, true, ("derived", item.id), "derived", True)
        _add(shard, false, ("derived", item.id), "derived", False)
    for rid in rule_ids:
        rule = catalogue.by_id[rid]
        for cond_name in CONDITIONS:
            cond = getattr(rule, cond_name)
            if cond is None:
                continue
            true, false = dnf(cond, f"{rid} {cond_name}")
            _add(shard, true, (rid, cond_name), "condition", True)
            _add(shard, false, (rid, cond_name), "condition", False)
    # Facts a shard must receive: every path its patterns read, minus the derived ones it makes.
    shard.paths = {p for p in shard.paths if not p.startswith("derived.")}
    return shard


def compile_catalogue(catalogue: Catalogue, shard_size: int = SHARD_SIZE) -> list[Shard]:
    """Shard the catalogue into rulesets that respect every engine limit.

    Raises `CompileError` naming the rule (at `file:line`) that cannot fit even alone.
    """
    shards: list[Shard] = []
    pending = [r.id for r in catalogue.rules]
    while pending:
        size = min(shard_size, len(pending))
        while True:
            chunk = pending[:size]
            try:
                shard = build_shard(catalogue, f"coherence-{len(shards)}", chunk)
            except CompileError as exc:
                origin = catalogue.origins.get(chunk[0])
                where = f"{origin.file}:{origin.line}: " if origin and size == 1 else ""
                if size == 1:
                    raise CompileError(f"{where}{exc}") from None
                size = max(1, size // 2)
                continue
            problems = limit_problems(shard)
            if not problems:
                break
            if size == 1:
                origin = catalogue.origins[chunk[0]]
                raise CompileError(
                    f"{origin.file}:{origin.line}: rule {chunk[0]} exceeds the engine's limits: "
                    + "; ".join(problems)
                )
            size = max(1, size // 2)
        shards.append(shard)
        pending = pending[size:]
    return shards
