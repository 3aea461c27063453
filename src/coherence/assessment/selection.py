"""`--select` / `--skip`: which rules a run evaluates.

A pattern is a rule id (`RIGHTS-004`), a wildcard (`RIGHTS-*`, `*-00?`), a theme
(`coherence`) or a severity (`high`). When several patterns match a rule, the most specific
wins: an explicit id beats a wildcard, which beats a theme or a severity. At equal
specificity `--skip` wins. Without `--select` every rule is selected at the lowest level, so
any matching `--skip` removes it.
"""

from __future__ import annotations

import fnmatch
from dataclasses import replace

from coherence.findings import Selection
from coherence.rules.catalog import Catalogue
from coherence.rules.model import Rule
from coherence.themes import RULE_THEMES

SEVERITIES = ("high", "medium", "low")
THEMES = RULE_THEMES


class SelectionError(ValueError):
    """A pattern that can match nothing, such as a misspelt theme."""


def specificity(pattern: str, rule: Rule) -> int:
    """How specifically `pattern` names `rule`: 3 id, 2 wildcard, 1 theme/severity, -1 none."""
    if pattern.upper() == rule.id:
        return 3
    if any(c in pattern for c in "*?[") and fnmatch.fnmatchcase(rule.id, pattern.upper()):
        return 2
    if pattern.lower() in (rule.theme, rule.severity):
        return 1
    return -1


def check_patterns(patterns: list[str], catalogue: Catalogue) -> None:
    """Refuse patterns that match no rule (a typo must not silently select nothing)."""
    for pattern in patterns:
        if not any(specificity(pattern, r) >= 0 for r in catalogue.rules):
            gone = next((r for r in catalogue.retired if r.id == pattern.upper()), None)
            if gone is not None:
                raise SelectionError(
                    f"--select/--skip {pattern!r}: {gone.id} was retired from the catalogue "
                    f"({gone.reason.rstrip('.')}); leave it out"
                )
            if "," in pattern:
                each = " ".join(f"--select {p.strip()}" for p in pattern.split(",") if p.strip())
                raise SelectionError(
                    f"--select/--skip {pattern!r} matches no rule: give one pattern each time, "
                    f"repeating the option ({each})"
                )
            known = f"a rule id, a wildcard, one of {', '.join(THEMES)} or {', '.join(SEVERITIES)}"
            raise SelectionError(f"--select/--skip {pattern!r} matches no rule; use {known}")


def is_selected(rule: Rule, select: list[str], skip: list[str]) -> bool:
    """Does the rule take part in the run?"""
    best_select = max((specificity(p, rule) for p in select), default=0)
    best_skip = max((specificity(p, rule) for p in skip), default=-1)
    return best_select >= 0 and best_select > best_skip


def select_rules(catalogue: Catalogue, select: list[str], skip: list[str]) -> Catalogue:
    """The catalogue restricted to the selected rules (derived facts are kept)."""
    if not select and not skip:
        return catalogue
    check_patterns([*select, *skip], catalogue)
    chosen = tuple(r for r in catalogue.rules if is_selected(r, select, skip))
    if not chosen:  # a report of no rule would read as a clean bill (exit 0, nothing found)
        given = " ".join([*(f"--select {p}" for p in select), *(f"--skip {p}" for p in skip)])
        raise SelectionError(f"{given} leaves no rule to check; skip fewer rules")
    if len(chosen) == len(catalogue.rules):  # nothing left out: the whole catalogue
        return replace(catalogue, rules=chosen)
    # Recorded, so that scores over a part of the catalogue are never classified as if the
    # whole had been checked, and every report names what was left out.
    kept = Selection(
        select=list(select),
        skip=list(skip),
        rules=len(chosen),
        catalogue_rules=len(catalogue.rules),
    )
    return replace(catalogue, rules=chosen, selection=kept)
