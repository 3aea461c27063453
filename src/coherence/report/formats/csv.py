"""CSV: the findings, one row per finding, for spreadsheets and the consultant's own tools;
and the comparison (`render_compare_csv`), one row per score, domain and rule.

Rows follow the report's order: assessments as given, then themes in report order, then
rule id. A cell that a spreadsheet would read as a formula gets a leading apostrophe, since
profiles and rule packs are written by other people (see `neutralise`).

The text starts with a UTF-8 byte-order mark (`BOM`): without it Excel on Windows reads the
file in the local code page and garbles curly quotes and accented names. `--output` keeps
it in the file; printed to standard output it is left out (`coherence.cli.output`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence

from coherence.findings import Assessment, Finding
from coherence.report.formats import GapOptions
from coherence.report.formats.pieces import joined, pack
from coherence.report.views.comparison import Comparison
from coherence.report.vocabulary import number_or_blank, theme_rank

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
    "kind",
    "contradiction",
)
"""The header row. `sources` is the number of verified source passages the finding cites;
`citations` gives each one on its own line: its locator `source-id:first-last`, the source's
title and section, and the verbatim quote (whitespace runs as one space), e.g.
`unpd-2004-cm3:965-967 — Third Coordination Meeting..., Annex: “...”`. `kind` is `check` or
`contradiction`; for a contradiction, `contradiction` names every answer on each side with its
line, e.g. `The profile says: context.labour_shortages_declared = yes (line 12) | What should
go with it: ...`."""


BOM = "\ufeff"
"""The UTF-8 byte-order mark every CSV report starts with."""


FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n")
"""Characters that make a spreadsheet read a cell as a formula (OWASP's list, plus `\n`)."""


# What a spreadsheet may skip before it looks for a formula: whitespace of every kind (NBSP,
# U+2028, ideographic space...), and invisible format characters (BOM, zero-width space,
# bidi marks), in any number.
_IGNORABLE = re.compile(r"(?:\s|[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff])*")


def neutralise(cell: str) -> str:
    """The cell with a leading `'` if a spreadsheet could take it for a formula.

    The test is made after any leading whitespace or invisible characters, and on the
    compatibility form of the first character left, so a full-width `＝` or `＋` counts.
    """
    first = cell[_IGNORABLE.match(cell).end() :][:1]  # type: ignore[union-attr]
    if cell.startswith(FORMULA_TRIGGERS) or unicodedata.normalize("NFKC", first).startswith(
        FORMULA_TRIGGERS
    ):
        return "'" + cell
    return cell


def sides_text(finding: Finding) -> str:
    """The sides of a contradiction in one cell (empty for a check)."""
    out = []
    for side in finding.sides:
        answers = "; ".join(
            f"{a.path} = {_value(a.value) if a.state == 'known' else a.state}"
            + (f" (line {a.line})" if a.line else "")
            for a in side.answers
        )
        out.append(f"{side.label}: {answers}")
    return " | ".join(out)


def _value(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def citations_text(finding: Finding) -> str:
    """The citations of a finding in one cell, one per line: locator, source and quote (its
    whitespace runs made single spaces, so that each citation stays on its line)."""
    return "\n".join(
        f"{c.source}:{c.lines[0]}-{c.lines[1]} — {c.title}, {c.section}: "
        f"“{' '.join(c.quote.split())}”"
        for c in finding.citations
    )


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
        citations_text(f),
        "; ".join(f.references),
        f.kind,
        sides_text(f),
    ]


def render_csv(assessments: Sequence[Assessment]) -> str:
    """Every finding of every assessment as CSV, with a header row and `\\n` line ends,
    after a byte-order mark."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for assessment in assessments:
        findings = sorted(assessment.findings, key=lambda f: (theme_rank(f.theme), f.rule_id))
        for finding in findings:
            writer.writerow([neutralise(cell) for cell in finding_row(assessment, finding)])
    return out.getvalue()


CSV_FIXED_COLUMNS: tuple[str, ...] = ("row", "id", "theme", "title", "severity")
"""The columns before the one-per-profile columns (headed by the profile labels).

Rows, in order: `profile` rows (id `country`, `country_name`, `as_of`, `path`, `roles`);
for every theme, `overall` and `coherence` (consistency across themes) a `score`, a
`coverage` and a `band` row (the band number, or "not classified: answer these N questions");
for every SDG 10.7.2 domain a `domain` (value), a `domain_coverage` and a `domain_class` row
(indicative, on the SDG 10.7.2 scale); then one `rule` row per rule, with the status of each
profile (empty when the rule was not evaluated for it).
"""


def render_compare_csv(c: Comparison) -> str:
    """The comparison as one CSV table, one column per profile, `\\n` line ends.

    Cells a spreadsheet would read as formulas get a leading apostrophe (`neutralise`). The
    text starts with a UTF-8 byte-order mark, for Excel (see `coherence.report.formats.csv.BOM`).
    """
    return "".join(compare_csv_chunks(c))


ROWS_PER_CHUNK = 32
"""Rows of the comparison written at a time at most (each as wide as there are profiles)."""

CHUNK_CHARS = 1 << 16
"""About the most text handed on at a time: a row of 10,000 profiles is about 100 KB, so
their chunks are of one row each."""


def compare_csv_chunks(c: Comparison) -> Iterator[str]:
    """`render_compare_csv`, `ROWS_PER_CHUNK` rows or `CHUNK_CHARS` at a time: the table of
    thousands of profiles is never held whole."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    for i, row in enumerate(_compare_rows(c), start=1):
        writer.writerow([neutralise(cell) for cell in row])
        if i % ROWS_PER_CHUNK == 0 or out.tell() >= CHUNK_CHARS:
            yield out.getvalue()
            out = io.StringIO()  # a new buffer: the old one's room is let go
            writer = csv.writer(out, lineterminator="\n")
    yield out.getvalue()


def _compare_rows(c: Comparison) -> Iterator[list[str]]:
    """The rows of the comparison's table, the header first, made one at a time."""
    yield [*CSV_FIXED_COLUMNS, *(e.label for e in c.entries)]
    profile_fields = (
        ("country", lambda e: e.country_code),
        ("country_name", lambda e: e.country_name),
        ("as_of", lambda e: e.as_of),
        ("path", lambda e: e.profile_path),
        ("roles", lambda e: ", ".join(e.roles)),
    )
    for name, get in profile_fields:
        yield ["profile", name, "", "", "", *(get(e) for e in c.entries)]
    for i, (key, title) in enumerate(c.themes):
        cells = [r.cells[i] for r in c.theme_rows]
        yield ["score", key, key, title, "", *(number_or_blank(x.score) for x in cells)]
        yield ["coverage", key, key, title, "", *(number_or_blank(x.coverage) for x in cells)]
        bands = (str(x.band) if x.classified else x.band_text for x in cells)
        yield ["band", key, key, title, "", *bands]
    for j, (code, name) in enumerate(c.domains):
        domains = [r.domains[j] for r in c.theme_rows]
        title = f"{name} (indicative, SDG 10.7.2 scale)"
        yield ["domain", code, "", title, "", *(number_or_blank(d.value) for d in domains)]
        coverages = (number_or_blank(d.coverage) for d in domains)
        yield ["domain_coverage", code, "", title, "", *coverages]
        classes = (str(d.sdg_class) if d.classified else d.class_text for d in domains)
        yield ["domain_class", code, "", title, "", *classes]
    for g in c.rule_groups:
        for r in g.rows:
            yield [
                "rule",
                r.rule_id,
                r.theme,
                r.title,
                r.severity,
                *(x.status or "" for x in r.cells),
            ]


# ---------------------------------------------------------------- the registry's entry points


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> str:
    """One row per finding of every assessment."""
    return render_csv(assessments)


def gap_piece(assessment: Assessment, options: GapOptions) -> bytes:
    """One profile's rows (without the header), compressed."""
    return pack(render_csv([assessment])[len(render_csv([])) :])


def gap_document(pieces: Sequence[bytes], options: GapOptions) -> Iterator[str]:
    """The header, then every profile's rows."""
    return joined(pieces, head=render_csv([]))


render_comparison = render_compare_csv
comparison_chunks = compare_csv_chunks
