"""Lint: one requirement, one severity (docs/severity.md, rules 2 and 3).

* `severity-conflict` (checks): two standalone rules whose `met_when` read exactly the same
  paths (derived facts expanded) test one requirement, so they must carry one severity.
* `severity-contradiction`: a contradiction (theme `coherence`) takes the severity of the most
  severe standalone rule whose `met_when` reads an answer of its "What should go with it" side
  (`met_when`, `partial_when`): it matters as much as what is missing.
"""

from __future__ import annotations

from coherence.assessment.contradiction import answer_of, answers_read, is_contradiction_rule
from coherence.diagnostics import Diagnostic
from coherence.rules.catalog import Catalogue
from coherence.rules.model import Rule

RANK = {"low": 0, "medium": 1, "high": 2}


def severity_problems(catalogue: Catalogue, rule_ids: set[str] | None = None) -> list[Diagnostic]:
    """Every severity inconsistency among the chosen rules (all by default), at `file:line`."""
    checks = [r for r in catalogue.rules if not is_contradiction_rule(r)]
    core = {r.id: frozenset(answers_read(r, ("met_when",), catalogue)) for r in checks}
    answers = {r.id: frozenset(answer_of(p) for p in core[r.id]) for r in checks}
    problems: list[Diagnostic] = []

    def report(rule_id: str, code: str, message: str) -> None:
        origin = catalogue.origins[rule_id]
        at = origin.at("severity")
        problems.append(Diagnostic(at.file, at.line, 1, code, message, rule_id))

    # Checks indexed by the answers they read, so no pair of rules is compared in a loop.
    by_core: dict[frozenset[str], dict[str, list[str]]] = {}
    testing: dict[str, list[Rule]] = {}
    for check in checks:
        if core[check.id]:
            by_core.setdefault(core[check.id], {}).setdefault(check.severity, []).append(check.id)
        for answer in answers[check.id]:
            testing.setdefault(answer, []).append(check)
    for rule in checks:
        if rule_ids is not None and rule.id not in rule_ids:
            continue
        same = by_core.get(core[rule.id], {})
        clash = sorted(i for sev, ids in same.items() if sev != rule.severity for i in ids)
        if clash:
            report(
                rule.id,
                "severity-conflict",
                f"{rule.id} ({rule.severity}) tests the same answers as {', '.join(clash)} at "
                "another severity; one requirement has one severity (docs/severity.md)",
            )
    for rule in catalogue.rules:
        if not is_contradiction_rule(rule) or (rule_ids is not None and rule.id not in rule_ids):
            continue
        side_b = {answer_of(p) for p in answers_read(rule, ("met_when", "partial_when"), catalogue)}
        behind = list({c.id: c for a in side_b for c in testing.get(a, [])}.values())
        if not behind:
            continue
        top = max(behind, key=lambda c: (RANK[c.severity], c.id))
        if RANK[rule.severity] != RANK[top.severity]:
            report(
                rule.id,
                "severity-contradiction",
                f"{rule.id} is {rule.severity}, but the most severe check of what it finds missing "
                f"is {top.id} ({top.severity}); a contradiction takes that severity "
                "(docs/severity.md, rule 3)",
            )
    return problems
