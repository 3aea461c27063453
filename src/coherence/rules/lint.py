"""`coherence rules lint`: strict checks of a catalogue beyond what loading enforces.

Loading already refuses unverifiable quotes, unknown sources, unknown paths, impossible
values and duplicate ids. Lint adds:

* reachability: by exhaustive (or, past a bound, sampled) evaluation over the values each
  path can hold, every rule must be able to be *met* and to be a *gap*;
* ratification alone must never meet a rule: `met_when` must read national law or practice,
  not only instrument statuses;
* every rule ships at least one `met` and one `gap` case;
* ratify-when-ratified: a rule that reads instrument statuses gives recommendations for
  `not_ratified` and `not_in_law`, and only the `not_ratified` text asks to ratify;
* double counting (`coherence.rules.counting`): `double-count`, `not-cross-theme` and
  `duplicate-check`.
"""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

from coherence.assessment.decide import decide
from coherence.diagnostics import Diagnostic
from coherence.engine.base import Truths
from coherence.engine.reference import derived_fact, evaluate
from coherence.facts import Fact, readable_paths
from coherence.rules.cases import coverage_problems
from coherence.rules.catalog import CONDITIONS, Catalogue
from coherence.rules.condition import AtLeast, AtMost, Count, leaf_path, leaves, paths
from coherence.rules.model import Rule
from coherence.rules.support import support_problems

MAX_COMBINATIONS = 20_000


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
    bounds = {0}
    for leaf in rule_leaves:
        if leaf_path(leaf) != path:
            continue
        if isinstance(leaf, (AtLeast, AtMost)):
            n = leaf.at_least.value if isinstance(leaf, AtLeast) else leaf.at_most.value
            bounds.update({int(n) - 1, int(n), int(n) + 1})
        if isinstance(leaf, Count):
            for n in (leaf.count.at_least, leaf.count.at_most):
                if n is not None:
                    bounds.update({n - 1, n, n + 1})
    for n in sorted(b for b in bounds if b >= 0):
        value: Any = tuple(f"item{i}" for i in range(n)) if info.kind == "list" else n
        options.append(Fact(path, info.kind, "known", value))
    return options


def reachable_statuses(rule: Rule, catalogue: Catalogue, seed: int = 0) -> set[str]:
    """Every status the rule can produce, over the values its paths (and derived facts) read."""
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
    if total <= MAX_COMBINATIONS:
        combos: Any = itertools.product(*options)
    else:
        rng = random.Random(seed)
        combos = (tuple(rng.choice(o) for o in options) for _ in range(MAX_COMBINATIONS))
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
    texts: dict[tuple[str, ...], str] = {("recommendation",): rule.recommendation}
    texts.update({("recommendations", k): v for k, v in rule.recommendations.items()})
    for where, text in texts.items():
        if where != ("recommendations", "not_ratified") and ASKS_TO_RATIFY.search(text):
            problems.append(
                (
                    where,
                    f"{rule.id} {'.'.join(where)} asks to ratify, but it can be shown to a "
                    "state that has ratified; ask to ratify only in recommendations.not_ratified",
                )
            )
    return problems


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
    from coherence.rules.counting import counting_problems  # imports this module

    problems.extend(counting_problems(catalogue, rule_ids))
    return sorted(problems)
