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

Comparing every pair of rules that way is quadratic (a pack of 1,000 rules on one answer took
minutes), so each condition's truth table is computed once, on its own candidate values, and
reduced to a canonical form (`truth_table`): two conditions are the same check exactly when
their canonical tables are equal. Only conditions too large to tabulate (past
`MAX_COMBINATIONS`) are still compared pair by pair with `same_check`, and only with the
rules that read the same answers.
"""

from __future__ import annotations

import itertools
import math
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
from coherence.facts import Fact, readable_paths
from coherence.rules.catalog import Catalogue, Origin
from coherence.rules.condition import leaves, paths
from coherence.rules.model import Derived, Rule
from coherence.ruletools.lint import MAX_COMBINATIONS, ListOfLength, _candidates


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


Table = tuple[Any, ...]
"""A condition's canonical truth table (see `truth_table`)."""


def truth_table(cond: Any, catalogue: Catalogue) -> Table | None:
    """The canonical truth table of a condition over the known values of the answers it
    reads (derived facts expanded), or None past `MAX_COMBINATIONS` combinations.

    Numbers and list lengths are tabulated on the condition's own candidates, which stand
    for every range of values it tells apart; a candidate is kept only where the truth value
    differs from the number just below it for some values of the other answers. Two
    conditions are then the same check (`same_check`) exactly when their tables are equal,
    however they are written."""
    answers = sorted(condition_answers(cond, catalogue))
    order = _derived_for([cond], catalogue)
    all_leaves = list(leaves(cond)) + [leaf for d in order for leaf in leaves(d.when)]
    options = [[f for f in _candidates(p, all_leaves) if f.known] for p in answers]
    if math.prod(len(o) for o in options) > MAX_COMBINATIONS:
        return None
    grid = list(itertools.product(*(range(len(o)) for o in options)))
    table = {}
    for index in grid:
        facts = {answers[a]: options[a][i] for a, i in enumerate(index)}
        for item in order:
            facts[f"derived.{item.id}"] = derived_fact(item.id, evaluate(item.when, facts))
        table[index] = evaluate(cond, facts)
    shown: list[tuple[Any, ...]] = []
    kept: list[list[int]] = []
    for axis, (path, facts_of) in enumerate(zip(answers, options, strict=True)):
        values = [f.value for f in facts_of]
        if readable_paths()[path].kind in ("number", "list"):
            values = [len(v) if isinstance(v, ListOfLength) else v for v in values]
            keep = [0] + [
                i
                for i in range(1, len(values))
                if values[i] == values[i - 1] + 1
                and any(
                    table[x] != table[(*x[:axis], i - 1, *x[axis + 1 :])]
                    for x in grid
                    if x[axis] == i
                )
            ]
        else:
            keep = list(range(len(values)))
        kept.append(keep)
        shown.append(tuple(values[i] for i in keep))
    return (tuple(answers), tuple(shown), tuple(table[x] for x in itertools.product(*kept)))


class SameChecks:
    """The standalone checks indexed so that the ones that are the same check as a given
    condition are found without comparing every pair: by the answers their `met_when` read,
    then by truth table (computed only for checks that share their answers with another
    condition); conditions too large to tabulate are compared with `same_check`."""

    def __init__(self, checks: list[Rule], catalogue: Catalogue):
        self.catalogue = catalogue
        self.position = {r.id: n for n, r in enumerate(checks)}
        self.groups: dict[frozenset[str], list[Rule]] = {}
        for rule in checks:
            self.groups.setdefault(self.key(rule.met_when), []).append(rule)
        self.tables: dict[str, Table | None] = {}
        self.indexed: dict[frozenset[str], tuple[dict[Table, list[Rule]], list[Rule]]] = {}
        self.compared = 0
        """How many pairs were compared with `same_check` (for tests and benchmarks)."""

    def key(self, cond: Any) -> frozenset[str]:
        """The answers a condition reads: only conditions reading the same ones can match."""
        return frozenset(condition_answers(cond, self.catalogue))

    def table_of(self, rule: Rule) -> Table | None:
        """The truth table of the rule's `met_when`, computed once."""
        if rule.id not in self.tables:
            self.tables[rule.id] = truth_table(rule.met_when, self.catalogue)
        return self.tables[rule.id]

    def index(self, key: frozenset[str]) -> tuple[dict[Table, list[Rule]], list[Rule]]:
        """The checks reading the answers `key`, by truth table, and those too large for one."""
        if key not in self.indexed:
            by_table: dict[Table, list[Rule]] = {}
            untabled: list[Rule] = []
            for rule in self.groups.get(key, []):
                table = self.table_of(rule)
                if table is None:
                    untabled.append(rule)
                else:
                    by_table.setdefault(table, []).append(rule)
            self.indexed[key] = (by_table, untabled)
        return self.indexed[key]

    def _same(self, first: Rule, second: Rule) -> bool:
        self.compared += 1
        return same_check(first.met_when, second.met_when, self.catalogue)

    def matching(self, rule: Rule) -> list[Rule]:
        """The checks, other than `rule`, whose `met_when` is the same check as its own, in
        catalogue order."""
        key = self.key(rule.met_when)
        others = [o for o in self.groups.get(key, []) if o.id != rule.id]
        if not others:
            return []
        by_table, untabled = self.index(key)
        table = self.table_of(rule)
        if table is None:
            found = [o for o in others if self._same(rule, o)]
        else:
            found = [o for o in by_table.get(table, []) if o.id != rule.id]
            found += [o for o in untabled if self._same(rule, o)]
        return sorted(found, key=lambda r: self.position[r.id])

    def pairs(self) -> list[tuple[Rule, Rule]]:
        """Every pair of checks that are the same check, each in catalogue order."""
        found: list[tuple[Rule, Rule]] = []
        for key, group in self.groups.items():
            if len(group) < 2:
                continue
            by_table, untabled = self.index(key)
            for same in by_table.values():
                found.extend(itertools.combinations(same, 2))
            for n, rule in enumerate(untabled):  # each pair with an untabled rule once
                done = {r.id for r in untabled[: n + 1]}
                found.extend((rule, o) for o in group if o.id not in done and self._same(rule, o))
        pos = self.position
        ordered = [(a, b) if pos[a.id] < pos[b.id] else (b, a) for a, b in found]
        return sorted(ordered, key=lambda p: (pos[p[0].id], pos[p[1].id]))


def _where(origin: Origin) -> str:
    return f"{origin.file}:{origin.line}"


def counting_problems(catalogue: Catalogue, rule_ids: set[str] | None = None) -> list[Diagnostic]:
    """`double-count`, `not-cross-theme` and `duplicate-check` problems of the chosen rules
    (all by default), compared with every rule of the catalogue."""
    problems: list[Diagnostic] = []
    wanted = [r for r in catalogue.rules if rule_ids is None or r.id in rule_ids]
    checks = [r for r in catalogue.rules if not is_contradiction_rule(r)]
    met_answers = {r.id: answers_read(r, ("met_when",), catalogue) for r in catalogue.rules}
    index = SameChecks(checks, catalogue)
    testing_answer: dict[str, list[str]] = {}
    for check in checks:
        for answer in dict.fromkeys(answer_of(p) for p in met_answers[check.id]):
            testing_answer.setdefault(answer, []).append(check.id)

    def report(rule: Rule, part: str, code: str, message: str) -> None:
        origin = catalogue.origins[rule.id]
        at = origin.at(part) if part else origin
        problems.append(Diagnostic(at.file, at.line, 1, code, message, rule.id))

    for rule in wanted:
        if not is_contradiction_rule(rule):
            continue
        same = index.matching(rule)
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
            testing = testing_answer.get(answer, [])
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
    for first, second in index.pairs():
        if first.id not in chosen and second.id not in chosen:
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
