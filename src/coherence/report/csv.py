"""The findings as CSV: one row per finding, for spreadsheets and the consultant's own tools.

Rows follow the report's order: assessments as given, then themes in report order, then
rule id. A cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`,
`@`, a tab or a carriage return) gets a leading apostrophe, since a profile is user input.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from coherence.findings import Assessment, Finding
from coherence.report.content import THEME_ORDER

COLUMNS: tuple[str, ...] = (
    "country",
    "as_of",
    "profile",
    "rule_id",
    "theme",
    "severity",
    "status",
    "title",
    "reason",
    "missing",
    "location_line",
    "recommendation",
    "responsible_area",
    "sources",
    "citations",
    "references",
)
"""The header row. `sources` is the number of verified source passages the finding cites;
`citations` lists them as `source-id:first-last`, separated by `; `."""

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell with a leading `'` if a spreadsheet would take it for a formula."""
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def _theme_rank(theme: str) -> tuple[int, str]:
    return (THEME_ORDER.index(theme) if theme in THEME_ORDER else len(THEME_ORDER), theme)


def finding_row(assessment: Assessment, finding: Finding) -> list[str]:
    """The CSV cells of one finding (not yet neutralised)."""
    p = assessment.profile
    f = finding
    return [
        p.country_name,
        p.as_of.isoformat(),
        p.path,
        f.rule_id,
        f.theme,
        f.severity,
        f.status,
        f.title,
        f.reason,
        "; ".join(f.missing),
        str(f.location.line) if f.location and f.location.line else "",
        f.recommendation,
        f.responsible_area,
        str(len(f.citations)),
        "; ".join(f"{c.source}:{c.lines[0]}-{c.lines[1]}" for c in f.citations),
        "; ".join(f.references),
    ]


def render_csv(assessments: Sequence[Assessment]) -> str:
    """Every finding of every assessment as CSV, with a header row and `\\n` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for assessment in assessments:
        findings = sorted(assessment.findings, key=lambda f: (_theme_rank(f.theme), f.rule_id))
        for finding in findings:
            writer.writerow([neutralise(cell) for cell in finding_row(assessment, finding)])
    return out.getvalue()
