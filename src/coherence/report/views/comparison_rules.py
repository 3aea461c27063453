"""The rule × profile matrix of a comparison, built from each profile's findings as small
numbers (`coherence.report.views.comparison_source`): one byte per rule and profile.

A rule's row has one cell per profile, in the comparison's order: the rule's status for
that profile (None when it was not evaluated), its label (a gap of a cross-theme rule is a
contradiction) and how it changed since the previous profile of the same country. There
are a few dozen distinct cells (7 statuses, 2 labels of a gap, 5 changes: at most 70), so
each row is a string of bytes into one shared table of cells (`RuleCells`).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

from coherence.assessment.regression import direction
from coherence.report.views.comparison_parts import RuleCell, RuleGroup, RuleRow
from coherence.report.views.comparison_rows import RuleCells
from coherence.report.views.comparison_source import ComparisonSource
from coherence.report.vocabulary import (
    CONTRADICTION_LABEL,
    SEVERITY_LABELS,
    STATUS_LABELS,
    theme_name,
    theme_rank,
)


def _previous(countries: Sequence[str]) -> array:
    """For each position in order, that of the previous profile of its country (-1: none)."""
    latest: dict[str, int] = {}
    out = array("i")
    for i, country in enumerate(countries):
        out.append(latest.get(country, -1))
        latest[country] = i
    return out


class _Cells:
    """The shared table of cells: one `RuleCell` per (status, label, change), by code."""

    def __init__(self) -> None:
        self.table: list[RuleCell] = []
        self._codes: dict[tuple[Any, ...], int] = {}

    def code(self, status: str | None, label: str, change: Any) -> int:
        key = (status, label, change)
        found = self._codes.get(key)
        if found is None:
            found = self._codes[key] = len(self.table)
            self.table.append(RuleCell(status, label, change))
        return found


def rule_groups(
    source: ComparisonSource, order: Sequence[int], countries: Sequence[str]
) -> tuple[RuleGroup, ...]:
    """The rules, grouped by theme, each with its cells for the profiles at the input
    positions `order` (whose countries are `countries`)."""
    findings, summaries = source.findings, source.summaries
    rules: dict[str, Any] = {}  # each rule's text: its first finding in order
    for j in order:
        for fid in summaries[j].findings:
            rules.setdefault(findings[fid].rule_id, findings[fid])
    ranked = sorted(rules, key=lambda r: (theme_rank(rules[r].theme), r))
    row_of = {rule_id: r for r, rule_id in enumerate(ranked)}
    statuses: list[str | None] = [None]  # code 0: not evaluated
    status_code = {None: 0}
    matrix = [bytearray(len(order)) for _ in ranked]
    for i, j in enumerate(order):
        for fid in summaries[j].findings:  # a rule found twice: the last finding counts
            f = findings[fid]
            if f.status not in status_code:
                status_code[f.status] = len(statuses)
                statuses.append(f.status)
            matrix[row_of[f.rule_id]][i] = status_code[f.status]
    previous = _previous(countries)
    cells = _Cells()
    groups: dict[str, list[RuleRow]] = {}
    for r, rule_id in enumerate(ranked):
        f = rules[rule_id]
        row, matrix[r] = matrix[r], bytearray()  # each row let go once coded
        codes = bytearray(len(row))
        coded: dict[tuple[int, int], int] = {}  # (previous status, status) -> cell code
        for i, now in enumerate(row):
            before = previous[i]
            pair = (row[before] if before >= 0 else -1, now)
            if pair not in coded:
                status = statuses[now]
                change = direction(statuses[pair[0]], status) if before >= 0 else None
                label = STATUS_LABELS[status] if status else "not evaluated"
                if status == "gap" and f.theme == "coherence":
                    label = CONTRADICTION_LABEL  # a gap of a cross-theme rule
                coded[pair] = cells.code(status, label, change)
            codes[i] = coded[pair]
        groups.setdefault(f.theme, []).append(
            RuleRow(
                rule_id=rule_id,
                title=f.title,
                theme=f.theme,
                severity=f.severity,
                severity_label=SEVERITY_LABELS[f.severity],
                cells=RuleCells(codes, cells.table),  # type: ignore[arg-type]
            )
        )
    return tuple(
        RuleGroup(key, theme_name(key), tuple(rows))
        for key, rows in sorted(groups.items(), key=lambda kv: theme_rank(kv[0]))
    )
