"""The reference evaluator: the condition language in plain Python, by Kleene's rules.

It is deliberately independent of the durable-rules compiler: it walks the condition tree
directly, while the durable engine matches compiled patterns. The differential tests check
that both give the same truth values; where durable-rules cannot be imported (Python 3.13
and later) this evaluator is the announced fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

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
    children,
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


def open_paths(cond: object, facts: dict[str, Fact], derived: Mapping[str, object]) -> list[str]:
    """The profile paths whose answers leave `cond` unknown, in document order without
    repeats: those of its parts still unknown, never those of a part that other answers have
    decided (the national law of a convention that is not ratified, inside an `all` that its
    status makes false). A derived fact is followed to the answers behind it (`derived` maps
    its id to its condition). Empty when `cond` is decided."""
    if evaluate(cond, facts) is not None:
        return []
    kids = children(cond)
    if kids:
        found = [p for kid in kids for p in open_paths(kid, facts, derived)]
        return list(dict.fromkeys(found))
    path = leaf_path(cond)  # type: ignore[arg-type]
    name = path.removeprefix("derived.")
    if path != name and name in derived:
        return open_paths(derived[name], facts, derived)
    return [path]


Compiled = Callable[[dict[str, Fact]], Truth]


def _compile_leaf(leaf: object) -> Compiled:
    """`evaluate_leaf` for one leaf, with the isinstance dispatch and attribute reads done
    once, here, rather than for every profile."""
    path = leaf_path(leaf)  # type: ignore[arg-type]
    if isinstance(leaf, Exists):

        def exists(facts: dict[str, Fact]) -> Truth:
            fact = facts.get(path)
            return fact is not None and fact.known

        return exists
    test: Callable[[object], bool]
    if isinstance(leaf, Equals):
        wanted = leaf.equals.value
        test = lambda value: value == wanted  # noqa: E731
    elif isinstance(leaf, In):
        values = leaf.in_.values
        test = lambda value: value in values  # noqa: E731
    elif isinstance(leaf, AtLeast):
        low = leaf.at_least.value
        test = lambda value: value >= low  # noqa: E731
    elif isinstance(leaf, AtMost):
        high = leaf.at_most.value
        test = lambda value: value <= high  # noqa: E731
    elif isinstance(leaf, Count):
        least, most = leaf.count.at_least, leaf.count.at_most

        def test(value: object) -> bool:
            size = len(value)  # type: ignore[arg-type]
            return (least is None or size >= least) and (most is None or size <= most)

    elif isinstance(leaf, Instrument):
        status, at_least = leaf.instrument.status, leaf.instrument.at_least
        rank = STATUS_RANK[at_least] if at_least is not None else None

        def test(value: object) -> bool:
            if status is not None and value != status:
                return False
            return True if rank is None else STATUS_RANK[value] >= rank  # type: ignore[index]

    else:
        raise TypeError(f"not a condition: {leaf!r}")

    def compare(facts: dict[str, Fact]) -> Truth:
        fact = facts.get(path)
        if fact is None or not fact.known:
            return None
        return test(fact.value)

    return compare


def compile_condition(cond: object) -> Compiled:
    """A closure giving `evaluate(cond, facts)` for any facts: the tree is walked once."""
    if isinstance(cond, All):
        parts = tuple(compile_condition(c) for c in cond.all)

        def all_(facts: dict[str, Fact]) -> Truth:
            unknown = False
            for part in parts:  # the parts are pure: stopping at the first False is safe
                result = part(facts)
                if result is False:
                    return False
                if result is not True:
                    unknown = True
            return None if unknown else True

        return all_
    if isinstance(cond, Any_):
        parts = tuple(compile_condition(c) for c in cond.any)

        def any_(facts: dict[str, Fact]) -> Truth:
            unknown = False
            for part in parts:
                result = part(facts)
                if result is True:
                    return True
                if result is not False:
                    unknown = True
            return None if unknown else False

        return any_
    if isinstance(cond, Not):
        inner = compile_condition(cond.not_)

        def not_(facts: dict[str, Fact]) -> Truth:
            value = inner(facts)
            return None if value is None else not value

        return not_
    return _compile_leaf(cond)


class ReferenceEngine:
    """Evaluates a catalogue by walking each condition tree (compiled once into closures:
    `compile_condition`, which gives what `evaluate` gives)."""

    name = "reference"

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self._derived = [(d.id, compile_condition(d.when)) for d in catalogue.derived]
        self._conditions = [
            ((rule.id, name), compile_condition(cond))
            for rule in catalogue.rules
            for name in ("applies_when", "met_when", "partial_when")
            if (cond := getattr(rule, name)) is not None
        ]

    def truths(self, facts: dict[str, Fact]) -> Truths:
        """Truth values of every rule condition and every derived fact for one profile."""
        facts = dict(facts)
        derived: dict[str, Truth] = {}
        for name, test in self._derived:  # already in dependency order
            value = test(facts)
            derived[name] = value
            facts[f"derived.{name}"] = derived_fact(name, value)
        conditions = {key: test(facts) for key, test in self._conditions}
        return Truths(conditions, derived)

    def close(self) -> None:
        """Nothing to release."""


def derived_fact(name: str, value: Truth) -> Fact:
    """The fact a derived value becomes, as rules read it under `derived.<name>`."""
    path = f"derived.{name}"
    if value is None:
        return Fact(path, "answer", "unknown")
    return Fact(path, "answer", "known", "yes" if value else "no")
