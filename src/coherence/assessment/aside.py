"""Parts of a rule that read only answers given as not applicable are set aside.

A rule can ask two things of every country: COHERENCE-036 asks a party to CEDAW to protect
women migrant workers *and* not to bar women from emigrating for work. A country of
destination only may answer the emigration question `not_applicable`. The condition language
reads that answer as unknown, so the rule stayed undecided, and, its only open answer being
not applicable, the whole rule was called not applicable: the protection of women migrant
workers, which does apply, was never judged. Here the condition is read again with each part
whose answers are all not applicable left out (`all` and `any` decide on their other parts),
so the rule is decided on what applies, and is not applicable only when nothing is left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from coherence.engine.reference import Truth, evaluate_leaf, open_paths
from coherence.facts import Fact
from coherence.rules.condition import All, Any_, Exists, Not, leaf_path

ASIDE = "aside"
"""A part of a condition that reads only answers given as not applicable."""


def _read(cond: object, facts: Mapping[str, Fact], derived: Mapping[str, object]) -> object:
    """True, False, None (unknown) or ASIDE for `cond`."""
    if isinstance(cond, (All, Any_)):
        parts = cond.all if isinstance(cond, All) else cond.any
        results = [r for r in (_read(c, facts, derived) for c in parts) if r is not ASIDE]
        if not results:
            return ASIDE
        decisive = isinstance(cond, Any_)  # True decides an `any`, False an `all`
        if any(r is decisive for r in results):
            return decisive
        return (not decisive) if all(r is (not decisive) for r in results) else None
    if isinstance(cond, Not):
        inner = _read(cond.not_, facts, derived)
        return inner if inner is None or inner is ASIDE else not inner
    path = leaf_path(cond)  # type: ignore[arg-type]
    name = path.removeprefix("derived.")
    if path != name and name in derived:
        return _read(derived[name], facts, derived)
    fact = facts.get(path)
    if fact is not None and fact.state == "not_applicable" and not isinstance(cond, Exists):
        return ASIDE
    return evaluate_leaf(cond, facts)  # type: ignore[arg-type]


def set_aside(
    cond: object, facts: Mapping[str, Fact], derived: Mapping[str, object]
) -> Truth | str:
    """`cond` decided with the parts that read only not-applicable answers left out: True or
    False; None while another answer is unknown; ASIDE when every part is left out."""
    return _read(cond, facts, derived)  # type: ignore[return-value]


def not_applicable_open(
    cond: object, facts: Mapping[str, Fact], derived: Mapping[str, object]
) -> list[str]:
    """The answers that leave `cond` unknown, when every one of them is given as not
    applicable (empty otherwise)."""
    unknown = open_paths(cond, dict(facts), derived)
    if unknown and all(facts[p].state == "not_applicable" for p in unknown):
        return unknown
    return []


def as_said(fact: Fact) -> Fact:
    """A not-applicable answer with the value a reason sentence prints ("not applicable")."""
    return replace(fact, value="not_applicable")
