"""The reference evaluator: the condition language in plain Python, by Kleene's rules.

It is deliberately independent of the durable-rules compiler: it walks the condition tree
directly, while the durable engine matches compiled patterns. The differential tests check
that both give the same truth values; where durable-rules cannot be imported (Python 3.13
and later) this evaluator is the announced fallback.
"""

from __future__ import annotations

from coherence.engine.base import Truths
from coherence.facts import Fact
from coherence.rules.catalog import Catalogue
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

Truth = bool | None


def evaluate_leaf(leaf: object, facts: dict[str, Fact]) -> Truth:
    """True, False or None (unknown) for one comparison."""
    fact = facts.get(leaf_path(leaf))  # type: ignore[arg-type]
    if isinstance(leaf, Exists):
        return fact is not None and fact.known
    if fact is None or not fact.known:
        return None
    value = fact.value
    if isinstance(leaf, Equals):
        return value == leaf.equals.value
    if isinstance(leaf, In):
        return value in leaf.in_.values
    if isinstance(leaf, AtLeast):
        return value >= leaf.at_least.value
    if isinstance(leaf, AtMost):
        return value <= leaf.at_most.value
    if isinstance(leaf, Count):
        size = len(value)
        low, high = leaf.count.at_least, leaf.count.at_most
        return (low is None or size >= low) and (high is None or size <= high)
    if isinstance(leaf, Instrument):
        spec = leaf.instrument
        if spec.status is not None and value != spec.status:
            return False
        if spec.at_least is not None:
            return STATUS_RANK[value] >= STATUS_RANK[spec.at_least]
        return True
    raise TypeError(f"not a condition: {leaf!r}")


def evaluate(cond: object, facts: dict[str, Fact]) -> Truth:
    """Kleene three-valued evaluation of a condition."""
    if isinstance(cond, All):
        results = [evaluate(c, facts) for c in cond.all]
        if any(r is False for r in results):
            return False
        return True if all(r is True for r in results) else None
    if isinstance(cond, Any_):
        results = [evaluate(c, facts) for c in cond.any]
        if any(r is True for r in results):
            return True
        return False if all(r is False for r in results) else None
    if isinstance(cond, Not):
        inner = evaluate(cond.not_, facts)
        return None if inner is None else not inner
    return evaluate_leaf(cond, facts)


class ReferenceEngine:
    """Evaluates a catalogue by walking each condition tree."""

    name = "reference"

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue

    def truths(self, facts: dict[str, Fact]) -> Truths:
        """Truth values of every rule condition and every derived fact for one profile."""
        facts = dict(facts)
        derived: dict[str, Truth] = {}
        for item in self.catalogue.derived:  # already in dependency order
            value = evaluate(item.when, facts)
            derived[item.id] = value
            facts[f"derived.{item.id}"] = derived_fact(item.id, value)
        conditions: dict[tuple[str, str], Truth] = {}
        for rule in self.catalogue.rules:
            for name in ("applies_when", "met_when", "partial_when"):
                cond = getattr(rule, name)
                if cond is not None:
                    conditions[(rule.id, name)] = evaluate(cond, facts)
        return Truths(conditions, derived)

    def close(self) -> None:
        """Nothing to release."""


def derived_fact(name: str, value: Truth) -> Fact:
    """The fact a derived value becomes, as rules read it under `derived.<name>`."""
    path = f"derived.{name}"
    if value is None:
        return Fact(path, "answer", "unknown")
    return Fact(path, "answer", "known", "yes" if value else "no")
