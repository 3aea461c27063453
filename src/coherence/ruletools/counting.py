"""Lint checks that make double counting impossible to write (docs/contradictions.md).

A contradiction (a rule of theme `coherence`) sets answers of different profile sections
against each other; a check (a rule of one of the five policy themes) tests what one
recommendation asks for. One answer must never be reported twice, so `coherence rules lint`
refuses, each at `file:line`:

* `double-count`: a contradiction whose `met_when` is the same check as a standalone rule's
  `met_when` (same answers read, same truth value for every combination of their values), or
  whose `met_when` reads one single answer (derived facts expanded) that a standalone rule's
  `met_when` also reads;
* `not-cross-theme`: a contradiction whose answers (`applies_when` and `met_when`, derived
  facts expanded) all stand in one profile section;
* `duplicate-check`: two standalone rules whose `met_when` are the same check.

"The same check" is decided by evaluating both conditions, with the reference evaluator, on
every combination of the known values their answers can hold (sampled past
`MAX_COMBINATIONS`), derived facts computed from them as the engines do.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any

from coherence.assessment.contradiction import (
    answer_of,
    answers_read,
    condition_answers,
    is_contradiction_rule,
    section_of,
)
from coherence.diagnostics import Diagnostic
from coherence.engine.reference import derived_fact, evaluate
from coherence.facts import Fact
from coherence.rules.catalog import Catalogue, Origin
from coherence.rules.condition import leaves, paths
from coherence.rules.model import Derived, Rule
from coherence.ruletools.lint import MAX_COMBINATIONS, _candidates


def _derived_for(conds: list[Any], catalogue: Catalogue) -> list[Derived]:
    """The derived facts the conditions read, directly or not, in dependency order."""
    by_id = {d.id: d for d in catalogue.derived}
    needed: set[str] = set()
    stack = [p for cond in conds for p in paths(cond)]
    while stack:
        path = stack.pop()
        name = path.removeprefix("derived.")
        if path.startswith("derived.") and name in by_id and name not in needed:
            needed.add(name)
            stack.extend(paths(by_id[name].when))
    return [d for d in catalogue.derived if d.id in needed]


def _combinations(options: list[list[Fact]], seed: int = 0) -> Iterator[tuple[Fact, ...]]:
    total = 1
    for o in options:
        total *= len(o)
    if total <= MAX_COMBINATIONS:
        yield from itertools.product(*options)
        return
    rng = random.Random(seed)
    for _ in range(MAX_COMBINATIONS):
        yield tuple(rng.choice(o) for o in options)


def same_check(first: Any, second: Any, catalogue: Catalogue) -> bool:
    """Whether two conditions read the same answers and have the same truth value for every
    combination of the known values of those answers."""
    answers = condition_answers(first, catalogue)
    if set(answers) != set(condition_answers(second, catalogue)):
        return False
    order = _derived_for([first, second], catalogue)
    all_leaves = [leaf for c in (first, second) for leaf in leaves(c)]
    all_leaves += [leaf for d in order for leaf in leaves(d.when)]
    options = [[f for f in _candidates(p, all_leaves) if f.known] for p in sorted(answers)]
    for combo in _combinations(options):
        facts = {f.path: f for f in combo}
        for item in order:
            facts[f"derived.{item.id}"] = derived_fact(item.id, evaluate(item.when, facts))
        if evaluate(first, facts) != evaluate(second, facts):
            return False
    return True


def _where(origin: Origin) -> str:
    return f"{origin.file}:{origin.line}"


def counting_problems(catalogue: Catalogue, rule_ids: set[str] | None = None) -> list[Diagnostic]:
    """`double-count`, `not-cross-theme` and `duplicate-check` problems of the chosen rules
    (all by default), compared with every rule of the catalogue."""
    problems: list[Diagnostic] = []
    wanted = [r for r in catalogue.rules if rule_ids is None or r.id in rule_ids]
    checks = [r for r in catalogue.rules if not is_contradiction_rule(r)]
    met_answers = {r.id: answers_read(r, ("met_when",), catalogue) for r in catalogue.rules}

    def report(rule: Rule, part: str, code: str, message: str) -> None:
        origin = catalogue.origins[rule.id]
        at = origin.at(part) if part else origin
        problems.append(Diagnostic(at.file, at.line, 1, code, message, rule.id))

    for rule in wanted:
        if not is_contradiction_rule(rule):
            continue
        same = [s for s in checks if same_check(rule.met_when, s.met_when, catalogue)]
        if same:
            listed = ", ".join(f"{s.id} ({_where(catalogue.origins[s.id])})" for s in same)
            report(
                rule,
                "met_when",
                "double-count",
                f"{rule.id} met_when is the same check as the met_when of {listed}: the same "
                "answers, true for exactly the same values, so every answer it finds would "
                "be reported twice; read what makes the policies contradict each other, or "
                "retire the rule",
            )
        single = {answer_of(p) for p in met_answers[rule.id]}
        if not same and len(single) == 1:
            (answer,) = single
            testing = [s.id for s in checks if answer in {answer_of(p) for p in met_answers[s.id]}]
            if testing:
                report(
                    rule,
                    "met_when",
                    "double-count",
                    f"{rule.id} met_when reads a single answer, {answer}, which "
                    f"{', '.join(testing)} already test{'s' if len(testing) == 1 else ''}: "
                    "a negative answer there would be reported twice; read the several "
                    "answers that together contradict the other side, or retire the rule",
                )
        read = answers_read(rule, ("applies_when", "met_when"), catalogue)
        sections = sorted({section_of(p) for p in read})
        if len(sections) < 2:
            where = sections[0] if sections else "none"
            report(
                rule,
                "",
                "not-cross-theme",
                f"{rule.id} reads answers of one profile section only ({where}): a "
                "contradiction sets answers of at least two sections against each other "
                "(applies_when and met_when, derived facts expanded); make it a rule of "
                "that theme or retire it",
            )

    chosen = {r.id for r in wanted}
    order = {r.id: (catalogue.origins[r.id].file, catalogue.origins[r.id].line) for r in checks}
    groups: dict[frozenset[str], list[Rule]] = {}
    for rule in checks:
        groups.setdefault(frozenset(met_answers[rule.id]), []).append(rule)
    for group in groups.values():
        for first, second in itertools.combinations(group, 2):
            if first.id not in chosen and second.id not in chosen:
                continue
            if not same_check(first.met_when, second.met_when, catalogue):
                continue
            earlier, later = sorted((first, second), key=lambda r: order[r.id])
            at, other = (later, earlier) if later.id in chosen else (earlier, later)
            report(
                at,
                "met_when",
                "duplicate-check",
                f"{at.id} met_when is the same check as the met_when of {other.id} "
                f"({_where(catalogue.origins[other.id])}): the same answers tested twice, "
                "so one answer would make two findings; retire the weaker rule",
            )
    return problems
