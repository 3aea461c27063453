"""Rule tests (`coherence rules test`): every rule ships cases that must and must not fire.

Like `opa test` or Semgrep's rule tests: each case is a profile fragment and the status the
rule must give it. The fragment is merged into a minimal valid profile, validated like any
profile, and evaluated by the chosen engine.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from coherence.assessment.decide import build_assessment
from coherence.diagnostics import Diagnostic, InputError
from coherence.engine.base import Engine
from coherence.facts import profile_facts
from coherence.profile.validate import validate_document
from coherence.rules.catalog import Catalogue, Origin
from coherence.rules.model import Case, Rule
from coherence.yamlsource import YamlDocument

BASE_PROFILE: dict[str, Any] = {
    "format_version": 2,
    "country": {"code": "ATA", "name": "Rule-test country"},
    "as_of": "2026-01-01",
    "prepared_by": "coherence rules test",
    "roles": ["origin", "transit", "destination"],
    "illustrative": True,
}


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case."""

    rule_id: str
    case: str
    expected: str
    actual: str
    error: str = ""

    @property
    def passed(self) -> bool:
        """Did the rule give the expected status?"""
        return not self.error and self.expected == self.actual


def case_profile(case: Case) -> dict[str, Any]:
    """The full profile data a case describes."""
    data = copy.deepcopy(BASE_PROFILE)
    data["roles"] = list(case.roles)
    for section, values in case.profile.items():
        if isinstance(values, dict) and isinstance(data.get(section), dict):
            data[section].update(values)
        else:
            data[section] = copy.deepcopy(values)
    return data


def _case_loc(case: Case, path: str) -> tuple[str | int, ...]:
    """Where, within a case, the profile path of a validation problem was written: in its
    `profile` fragment, its `roles`, or the case itself for what the base profile supplies."""
    parts: tuple[str | int, ...] = tuple(int(p) if p.isdigit() else p for p in path.split("."))
    if parts and parts[0] in case.profile:
        return ("profile", *parts)
    if parts and parts[0] == "roles":
        return ("roles",)
    return ()


def _validated(rule: Rule, index: int, origin: Origin) -> tuple[Any, list[tuple[Origin, str]]]:
    """The case's profile validated, or None and each problem (`path: message`) with the
    place in the rule file where it was written."""
    case = rule.cases[index]
    try:
        return validate_document(YamlDocument(origin.file, case_profile(case))), []
    except InputError as exc:
        return None, [
            (
                origin.at("cases", index, *_case_loc(case, d.path)),
                f"{d.path}: {d.message}" if d.path else d.message,
            )
            for d in exc.diagnostics
        ]


def case_problems(rule: Rule, index: int, origin: Origin) -> list[Diagnostic]:
    """Why the rule's case `index` does not describe a valid profile, each problem at its
    line in the rule file (code `invalid-case`); empty when it is valid."""
    name = rule.cases[index].name
    return [
        Diagnostic(
            at.file,
            at.line,
            1,
            "invalid-case",
            f"{rule.id} case {name!r} is not a valid profile: {message}",
            rule.id,
        )
        for at, message in _validated(rule, index, origin)[1]
    ]


def run_case(
    rule: Rule, case: Case, catalogue: Catalogue, engine: Engine, origin: Origin
) -> CaseResult:
    """Evaluate one case and compare the rule's status with the expectation; an invalid case
    profile fails, each problem at its line in the rule file."""
    index = next(i for i, c in enumerate(rule.cases) if c is case)
    loaded, problems = _validated(rule, index, origin)
    if loaded is None:
        detail = "; ".join(f"{at.file}:{at.line}: {message}" for at, message in problems)
        return CaseResult(
            rule.id, case.name, case.expect, "invalid", f"invalid case profile: {detail}"
        )
    facts = profile_facts(loaded, read=catalogue.answers_read)
    truths = engine.truths(facts)
    assessment = build_assessment(
        loaded, catalogue, facts, truths, engine.name, dt.date(2026, 1, 1)
    )
    finding = next(f for f in assessment.findings if f.rule_id == rule.id)
    return CaseResult(rule.id, case.name, case.expect, finding.status)


def coverage_problems(rule: Rule) -> list[str]:
    """Cases a rule must ship: at least one `met` and one `gap`."""
    expected = {c.expect for c in rule.cases}
    missing = [s for s in ("met", "gap") if s not in expected]
    return [f"{rule.id} has no '{s}' case" for s in missing]


def repeated_names(rule: Rule, origin: Origin) -> list[tuple[Origin, str]]:
    """Cases of the rule that share a name with an earlier case: each at its line, with a
    message naming both lines (a report or a failing test could not tell them apart)."""
    first: dict[str, Origin] = {}
    found = []
    for index, case in enumerate(rule.cases):
        at = origin.at("cases", index, "name")
        if case.name in first:
            found.append(
                (
                    at,
                    f"{rule.id} has two cases named {case.name!r}, at lines "
                    f"{first[case.name].line} and {at.line}; give each case its own name",
                )
            )
        else:
            first[case.name] = at
    return found


def scoped(catalogue: Catalogue, rules: list[Rule]) -> Catalogue:
    """The catalogue cut down to these rules and the derived facts they read."""
    return dataclasses.replace(
        catalogue, rules=tuple(rules), derived=tuple(catalogue.derived_needed(rules))
    )


SCOPE_SIZE = 120
"""Rules evaluated together by an engine that compiles (durable-rules): one ruleset's worth,
so each case costs one small ruleset rather than the whole catalogue, and the number of
rulesets registered stays small (durable-rules never frees one)."""


def run_cases(
    catalogue: Catalogue, engine: Engine, rule_ids: list[str] | None = None
) -> list[CaseResult]:
    """Run the cases of the chosen rules (all by default), in rule-id order.

    A case evaluates only the rule under test and the derived facts it reads, never the
    whole catalogue: the engine runs on a catalogue cut down to a group of rules (the rule
    alone for the reference evaluator), and the findings are built for that rule only.
    """
    from coherence.engine.reference import ReferenceEngine

    chosen = [r for r in catalogue.rules if r.cases and (rule_ids is None or r.id in rule_ids)]
    size = 1 if isinstance(engine, ReferenceEngine) else SCOPE_SIZE
    results = []
    for start in range(0, len(chosen), size):
        group = chosen[start : start + size]
        group_engine: Engine = (
            engine if len(group) == len(catalogue.rules) else type(engine)(scoped(catalogue, group))
        )
        try:
            for rule in group:
                origin = catalogue.origins[rule.id]
                alone = scoped(catalogue, [rule])
                for case in rule.cases:
                    results.append(run_case(rule, case, alone, group_engine, origin))
        finally:
            if group_engine is not engine:
                group_engine.close()
    return results
