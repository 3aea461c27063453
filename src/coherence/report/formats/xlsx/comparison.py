"""The comparison (`coherence compare --format xlsx`) as an XLSX workbook: the sheets
**Profiles**, **Scores by theme** (profile × theme: score, coverage and band of each theme),
**SDG domains**, **Findings by status**, **Rules by profile** (rule × profile: the status of
every rule for every profile, with its change mark) and **About** (legends and method),
each written in turn (`coherence.report.formats.xlsx.sheet`)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, BinaryIO

from coherence.report.formats.xlsx.sheet import Column, sheet, stamp, workbook
from coherence.report.views.comparison import Comparison
from coherence.spreadsheet import save_workbook

if TYPE_CHECKING:
    from openpyxl import Workbook


def _compare_sheets(wb: Workbook, c: Comparison) -> None:
    """The sheets of the comparison, one after the other."""
    from coherence.report.views.comparison import (
        METHOD_TEXT,
        class_legend_text,
        domain_cell_text,
        domain_legend_text,
    )
    from coherence.report.views.comparison_parts import CHANGE_MARKS

    entry = (Column("Profile", 16), Column("Country", 18), Column("As of", 11))

    def who(e) -> list[str]:
        return [e.label, e.country_name, e.as_of]

    sheet(
        wb,
        "Profiles",
        (*entry, Column("Roles", 22), Column("Review status", 14), Column("File", 36)),
        ([*who(e), ", ".join(e.roles), e.review_status, e.profile_path] for e in c.entries),
    )
    score_columns = [
        column
        for _, name in c.themes
        for column in (
            Column(f"{name}: score", 12, "0.0"),
            Column(f"{name}: coverage (%)", 12, "0.0"),
            Column(f"{name}: band", 24),
        )
    ]
    sheet(
        wb,
        "Scores by theme",
        (*entry, *score_columns),
        (
            [*who(r.entry), *(v for x in r.cells for v in (x.score, x.coverage, x.band_text))]
            for r in c.theme_rows
        ),
    )
    sheet(
        wb,
        "SDG domains",
        (*entry, *(Column(f"{code} {name}", 24) for code, name in c.domains)),
        ([*who(r.entry), *(domain_cell_text(d) for d in r.domains)] for r in c.theme_rows),
    )
    sheet(
        wb,
        "Findings by status",
        (*entry, *(Column(label, 12) for _, label in c.count_columns)),
        ([*who(r.entry), *(n for _, _, n in r.counts)] for r in c.theme_rows),
    )
    sheet(
        wb,
        "Rules by profile",
        (
            Column("Rule ID", 16),
            Column("Theme", 22),
            Column("Title", 40),
            Column("Severity", 10),
            Column("Profiles differ", 10),
            *(Column(e.label, 18) for e in c.entries),
        ),
        (
            [
                row.rule_id,
                g.name,
                row.title,
                row.severity_label,
                row.varies,
                *((f"{x.label} {x.mark}" if x.mark else x.label) for x in row.cells),
            ]
            for g in c.rule_groups
            for row in g.rows
        ),
    )
    about = [
        class_legend_text(c),
        domain_legend_text(c),
        "Rules by profile: " + " ".join(f"{sym} {text}." for sym, text in CHANGE_MARKS.values()),
        *METHOD_TEXT,
    ]
    if c.illustrative_text:
        about.insert(0, c.illustrative_text)
    sheet(wb, "About", (Column("About this comparison", 120),), ([p] for p in about))


def write_compare_workbook(c: Comparison, file: BinaryIO) -> None:
    """The comparison as one workbook, written into `file` (seekable, binary)."""
    with workbook() as wb:
        _compare_sheets(wb, c)
        save_workbook(wb, stamp(e.as_of for e in c.entries), file)


def render_compare_xlsx(c: Comparison) -> bytes:
    """The comparison as one workbook (bytes of an .xlsx file)."""
    out = io.BytesIO()
    write_compare_workbook(c, out)
    return out.getvalue()
