"""`coherence rules lint`: strict checks of a catalogue beyond what loading enforces.

Loading already refuses unverifiable quotes, unknown sources, unknown paths, impossible
values and duplicate ids. Lint adds:

* reachability: by exhaustive evaluation over the values each path can hold (past a bound,
  a search aimed at each truth value of each condition, then sampling), every rule must be
  able to be *met* and to be a *gap*; numbers and list lengths are candidates around the
  rule's own comparison values, lists represented by their length only;
* ratification alone must never meet a rule: `met_when` must read national law or practice,
  not only instrument statuses;
* every rule ships at least one `met` and one `gap` case, each case a valid profile
  (`invalid-case`, at the case's line), each with a name of its own (`duplicate-case`);
* ratify-when-ratified: a rule that reads instrument statuses gives recommendations for
  `not_ratified` and `not_in_law`, and only the `not_ratified` text asks to ratify;
* placeholders (`unknown-placeholder`): a recommendation writes no `{...}` but `{excluded}`,
  the only one filled in, so a report never prints a placeholder as written;
* engine limits (`engine-limit`): each rule, compiled alone for durable-rules, stays within
  the engine's hard limits, so a pack lint accepts is never refused at run time;
* double counting (`coherence.ruletools.counting`): `double-count`, `not-cross-theme` and
  `duplicate-check`.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import sys
from collections.abc import Iterator
from typing import Any

from coherence.assessment.decide import decide
from coherence.diagnostics import Diagnostic
from coherence.engine.base import Truths
from coherence.engine.reference import derived_fact, evaluate
from coherence.facts import Fact, readable_paths
from coherence.rules.catalog import CONDITIONS, Catalogue
from coherence.rules.condition import (
    All,
    Any_,
    AtLeast,
    AtMost,
    Count,
    Equals,
    In,
    Not,
    leaf_path,
    leaves,
    paths,
)
from coherence.rules.model import IF_RESERVATIONS, Rule
from coherence.rules.support import support_problems
from coherence.ruletools.cases import case_problems, coverage_problems, repeated_names

MAX_COMBINATIONS = 20_000


class ListOfLength:
    """A list answer for reachability, represented by its length only: lint never allocates
    in proportion to a number written in a rule (a count bound may be near 2**63).

    `len()` is all the evaluators read of a list; it cannot pass `sys.maxsize`, which no
    real list reaches either."""

    __slots__ = ("length",)

    def __init__(self, length: int):
        self.length = min(length, sys.maxsize)

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[str]:
        return (f"item{i}" for i in range(min(self.length, 3)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ListOfLength) and other.length == self.length

    def __hash__(self) -> int:
        return hash(("ListOfLength", self.length))

    def __repr__(self) -> str:
        return f"ListOfLength({self.length})"


def _number_values(leaf: Any) -> list[int | float]:
    """The numbers a leaf compares a number or list path with."""
    if isinstance(leaf, (AtLeast, AtMost)):
        return [(leaf.at_least if isinstance(leaf, AtLeast) else leaf.at_most).value]
    if isinstance(leaf, Count):
        return [n for n in (leaf.count.at_least, leaf.count.at_most) if n is not None]
    if isinstance(leaf, Equals):
        values = [leaf.equals.value]
    elif isinstance(leaf, In):
        values = list(leaf.in_.values)
    else:
        return []
    return [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _candidates(path: str, rule_leaves: list[Any]) -> list[Fact]:
    info = readable_paths()[path]
    options: list[Fact] = [Fact(path, info.kind, "unknown")]
    if info.kind in ("answer", "status"):
        options += [
            Fact(path, info.kind, "known", v)
            for v in info.values
            if v not in ("unknown", "not_applicable")
        ]
        return options
    # Profile numbers and list lengths are whole numbers >= 0: around every number the
    # rule compares the path with, its floor and ceiling and their neighbours decide every
    # comparison, so these candidates are exact.
    bounds = {0}
    for leaf in rule_leaves:
        if leaf_path(leaf) != path:
            continue
        for n in _number_values(leaf):
            low, high = math.floor(n), math.ceil(n)
            bounds.update({low - 1, low, high, high + 1})
    for n in sorted(b for b in bounds if b >= 0):
        value: Any = ListOfLength(n) if info.kind == "list" else n
        options.append(Fact(path, info.kind, "known", value))
    return options


MAX_WITNESSES = 64
"""How many partial assignments the targeted search keeps per condition node."""

Assignment = dict[str, Fact]


def _merge(first: Assignment, second: Assignment) -> Assignment | None:
    """Both partial assignments at once, or None when they give a path different values."""
    if any(first[p] != f for p, f in second.items() if p in first):
        return None
    return {**first, **second}


def _conjoin(groups: list[list[Assignment]]) -> list[Assignment]:
    """Assignments satisfying one member of every group (capped at MAX_WITNESSES)."""
    result: list[Assignment] = [{}]
    for group in groups:
        merged = [m for a in result for b in group if (m := _merge(a, b)) is not None]
        result = merged[:MAX_WITNESSES]
        if not result:
            break
    return result


def _witnesses(
    cond: Any, want: bool, options: dict[str, list[Fact]], by_id: dict[str, Any], depth: int = 0
) -> list[Assignment]:
    """Partial assignments of the candidate values under which `cond` is `want`: the search
    goes down the condition tree (and into derived facts), so a conjunction of many equals
    is found at once where uniform sampling would almost never hit it."""
    if depth > 50:
        return []
    if isinstance(cond, Not):
        return _witnesses(cond.not_, not want, options, by_id, depth + 1)
    if isinstance(cond, (All, Any_)):
        kids = list(cond.all if isinstance(cond, All) else cond.any)
        groups = [_witnesses(k, want, options, by_id, depth + 1) for k in kids]
        if want == isinstance(cond, All):  # all true, or any false: every child at once
            return _conjoin(groups)
        return [a for g in groups for a in g][:MAX_WITNESSES]  # one child suffices
    path = leaf_path(cond)
    if path.startswith("derived."):
        item = by_id.get(path.removeprefix("derived."))
        if item is None:
            return []
        found: list[Assignment] = []
        for truth in (True, False, None):
            if evaluate(cond, {path: derived_fact(item.id, truth)}) is not want:
                continue
            if truth is None:  # `exists` false: the derived fact unknown (the fillers try it)
                found.append({})
            else:
                found += _witnesses(item.when, truth, options, by_id, depth + 1)
        return found[:MAX_WITNESSES]
    return [{path: f} for f in options.get(path, []) if evaluate(cond, {path: f}) is want]


def _targeted(rule: Rule, options: dict[str, list[Fact]], order: list[Any]) -> Iterator[Assignment]:
    """Assignments aimed at each combination of truth values of the rule's conditions."""
    by_id = {d.id: d for d in order}
    present = [n for n in CONDITIONS if getattr(rule, n) is not None]
    wanted: dict[str, tuple[bool, ...]] = {
        "applies_when": (True, False),
        "met_when": (True, False),
        "partial_when": (True, False),
    }
    for truths in itertools.product(*(wanted[n] for n in present)):
        groups = [
            _witnesses(getattr(rule, n), t, options, by_id)
            for n, t in zip(present, truths, strict=True)
        ]
        yield from _conjoin(groups)


def reachable_statuses(rule: Rule, catalogue: Catalogue, seed: int = 0) -> set[str]:
    """Every status the rule can produce, over the values its paths (and derived facts) read.

    Exhaustive up to `MAX_COMBINATIONS`; past it, a targeted search (assignments that make
    each condition true or false, completed in several ways) and then uniform sampling."""
    order = catalogue.derived_needed([rule])
    base = catalogue.paths_read(rule) + [p for d in order for p in paths(d.when)]
    real = sorted({p for p in base if not p.startswith("derived.")})
    all_leaves = [
        leaf
        for n in CONDITIONS
        if getattr(rule, n) is not None
        for leaf in leaves(getattr(rule, n))
    ]
    all_leaves += [leaf for d in order for leaf in leaves(d.when)]
    options = [_candidates(p, all_leaves) for p in real]
    total = 1
    for o in options:
        total *= len(o)
    rng = random.Random(seed)
    if total <= MAX_COMBINATIONS:
        combos: Any = itertools.product(*options)
    else:
        by_path = dict(zip(real, options, strict=True))

        def completed() -> Iterator[tuple[Fact, ...]]:
            for partial in _targeted(rule, by_path, order):
                fillers = [
                    {p: o[0] for p, o in by_path.items()},  # unknown
                    {p: o[min(1, len(o) - 1)] for p, o in by_path.items()},  # first known
                    {p: rng.choice(o) for p, o in by_path.items()},
                ]
                for filler in fillers:
                    yield tuple({**filler, **partial}.values())
            for _ in range(MAX_COMBINATIONS):
                yield tuple(rng.choice(o) for o in options)

        combos = completed()
    found: set[str] = set()
    roles = list(rule.applies_to)
    for combo in combos:
        facts = {f.path: f for f in combo}
        for item in order:
            facts[f"derived.{item.id}"] = derived_fact(item.id, evaluate(item.when, facts))
        conditions = {
            (rule.id, n): evaluate(getattr(rule, n), facts)
            for n in CONDITIONS
            if getattr(rule, n) is not None
        }
        found.add(decide(rule, Truths(conditions, {}), facts, roles, catalogue)[0])
        if {"met", "gap", "insufficient_data"} <= found:
            break
    return found


ASKS_TO_RATIFY = re.compile(r"\bratify\b|\bratification of\b", re.IGNORECASE)
"""Words that ask a state to ratify: only a `not_ratified` recommendation may use them."""


def reads_instrument_status(rule: Rule, catalogue: Catalogue) -> bool:
    """Whether the rule's conditions read an instrument status, directly or through a
    derived fact."""
    found = catalogue.paths_read(rule)
    found += [p for d in catalogue.derived_needed([rule]) for p in paths(d.when)]
    return any(p.startswith("instruments.") and p.endswith(".status") for p in found)


def recommendation_texts(rule: Rule) -> dict[tuple[str, ...], str]:
    """The rule's recommendation texts, each keyed by where it is written in the rule."""
    texts: dict[tuple[str, ...], str] = {("recommendation",): rule.recommendation}
    texts.update({("recommendations", k): v for k, v in rule.recommendations.items()})
    return texts


PLACEHOLDER = re.compile(r"\{[^{}]*\}")
"""A `{...}` in a recommendation; the only ones filled in are `{excluded}` and
`{not_ratified}`, and `{if_reservations: text}` is kept or dropped
(`coherence.assessment.recommend.recommendation_for`)."""

FILLED = ("excluded", "not_ratified")


def placeholder_problems(rule: Rule) -> list[tuple[tuple[str, ...], str]]:
    """Placeholders a report would print as written: anything in braces but `{excluded}` and
    `{not_ratified}` (an unknown name, a format spec or conversion), each with the text it
    stands in."""
    problems: list[tuple[tuple[str, ...], str]] = []
    for where, text in recommendation_texts(rule).items():
        for found in dict.fromkeys(PLACEHOLDER.findall(text)):
            if found[1:-1] in FILLED or IF_RESERVATIONS.fullmatch(found):
                continue
            name = re.split(r"[:!]", found[1:-1], maxsplit=1)[0].strip()
            why = (
                f"the placeholder takes no format; write {{{name}}} alone"
                if name in FILLED
                else "the only placeholders filled in are {excluded} and {not_ratified} (and "
                "{if_reservations: text} keeps its text only where reservations are recorded)"
            )
            problems.append(
                (
                    where,
                    f"{rule.id} {'.'.join(where)} has {found}, which a report would print as "
                    f"written: {why}",
                )
            )
    return problems


def ratify_when_ratified(rule: Rule, catalogue: Catalogue) -> list[tuple[tuple[str, ...], str]]:
    """Problems that could make a report ask a state that ratified a treaty to ratify it,
    each with the part of the rule it concerns.

    A rule that reads instrument statuses must say what to do when a treaty is not ratified
    and when it is ratified but not (fully) in national law; only the `not_ratified` text
    may ask to ratify, since every other text can be shown to a state that has ratified.
    """
    problems: list[tuple[tuple[str, ...], str]] = []
    if reads_instrument_status(rule, catalogue):
        missing = [c for c in ("not_ratified", "not_in_law") if c not in rule.recommendations]
        if missing:
            where = ("recommendations",) if rule.recommendations else ("recommendation",)
            problems.append(
                (
                    where,
                    f"{rule.id} reads instrument statuses but has no recommendations."
                    f"{' or recommendations.'.join(missing)}: say what to do when a treaty is "
                    "not ratified and when it is ratified but not in national law",
                )
            )
    for where, text in recommendation_texts(rule).items():
        if where != ("recommendations", "not_ratified") and ASKS_TO_RATIFY.search(text):
            problems.append(
                (
                    where,
                    f"{rule.id} {'.'.join(where)} asks to ratify, but it can be shown to a "
                    "state that has ratified; ask to ratify only in recommendations.not_ratified",
                )
            )
    return problems


def engine_limit_problems(rule: Rule, catalogue: Catalogue) -> list[str]:
    """Why durable-rules would refuse the rule (with the derived facts it reads) at run
    time: the compiler run on the rule alone, as `compile_catalogue` does when it shards."""
    from coherence.engine.compile import CompileError, build_shard, limit_problems

    try:
        shard = build_shard(catalogue, "lint", [rule.id])
    except CompileError as exc:
        return [f"{rule.id} cannot be compiled for the rule engine: {exc}"]
    problems = limit_problems(shard)
    if not problems:
        return []
    return [f"{rule.id} exceeds the rule engine's limits: " + "; ".join(problems)]


def lint_catalogue(catalogue: Catalogue, rule_ids: set[str] | None = None) -> list[Diagnostic]:
    """Every lint problem of the chosen rules (all by default), each at `file:line`."""
    problems: list[Diagnostic] = []
    for rule in catalogue.rules:
        if rule_ids is not None and rule.id not in rule_ids:
            continue
        origin = catalogue.origins[rule.id]

        def report(code: str, message: str, origin: Any = origin, rid: str = rule.id) -> None:
            problems.append(Diagnostic(origin.file, origin.line, 1, code, message, rid))

        statuses = reachable_statuses(rule, catalogue)
        for needed, meaning in (
            ("met", "can never be met"),
            ("gap", "can never fire (never a gap)"),
        ):
            if needed not in statuses:
                report(
                    "unreachable", f"{rule.id} {meaning}; reachable: {', '.join(sorted(statuses))}"
                )
        met_paths = paths(rule.met_when)
        if met_paths and all(
            p.startswith("instruments.") and p.endswith(".status") for p in met_paths
        ):
            report(
                "ratification-only",
                f"{rule.id} is met by ratification alone; "
                "met_when must also read national law or practice",
            )
        for message in coverage_problems(rule):
            report("missing-case", message)
        for index in range(len(rule.cases)):
            problems.extend(case_problems(rule, index, origin))
        for at, message in repeated_names(rule, origin):
            report("duplicate-case", message, at)

        def located(
            code: str,
            message: str,
            loc: tuple[str | int, ...],
            here: Any = origin,
            rid: str = rule.id,
        ) -> None:
            at = here.at(*loc)
            problems.append(Diagnostic(at.file, at.line, 1, code, message, rid))

        support_problems(rule, located)
        for where, message in ratify_when_ratified(rule, catalogue):
            report("ratify-when-ratified", message, origin.at(*where))
        for where, message in placeholder_problems(rule):
            report("unknown-placeholder", message, origin.at(*where))
        for message in engine_limit_problems(rule, catalogue):
            report("engine-limit", message)
    from coherence.ruletools.counting import counting_problems  # imports this module

    problems.extend(counting_problems(catalogue, rule_ids))
    from coherence.ruletools.severity import severity_problems  # imports this module's catalogue

    problems.extend(severity_problems(catalogue, rule_ids))
    return sorted(problems)
