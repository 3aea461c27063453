"""The CSV export, parsed back with the csv module."""

from __future__ import annotations

import csv
import io

import pytest

from coherence.findings import Assessment
from coherence.report.formats.csv import BOM, COLUMNS, finding_row, neutralise, render_csv


def _rows(text: str) -> list[list[str]]:
    """The rows of a CSV report, which starts with a byte-order mark (for Excel)."""
    assert text.startswith(BOM) and not text.startswith(BOM * 2)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))


def test_one_row_per_finding(examples: dict[str, Assessment]) -> None:
    assessments = list(examples.values())
    rows = _rows(render_csv(assessments))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) - 1 == sum(len(a.findings) for a in assessments)
    assert all(len(r) == len(COLUMNS) for r in rows)


def test_cells(transit: Assessment) -> None:
    rows = _rows(render_csv([transit]))
    col = {name: i for i, name in enumerate(rows[0])}
    by_rule = {r[col["rule_id"]]: r for r in rows[1:]}
    finding = next(f for f in transit.findings if f.rule_id == "RIGHTS-017")
    row = by_rule["RIGHTS-017"]
    assert row[col["country"]] == "Mexico"
    assert row[col["as_of"]] == "2025-11-30"
    assert row[col["profile"]] == transit.profile.path
    assert row[col["status"]] == finding.status
    assert row[col["sources"]] == str(len(finding.citations))
    first = finding.citations[0]
    assert row[col["citations"]].startswith(f"{first.source}:{first.lines[0]}-{first.lines[1]}")
    assert row[col["location_line"]] == str(finding.location.line)  # type: ignore[union-attr]
    unknown = next(f for f in transit.findings if f.status == "insufficient_data")
    assert by_rule[unknown.rule_id][col["missing"]] == "; ".join(unknown.missing)


def test_citations_carry_source_locator_and_quote(transit: Assessment) -> None:
    rows = _rows(render_csv([transit]))
    col = {name: i for i, name in enumerate(rows[0])}
    by_rule = {r[col["rule_id"]]: r for r in rows[1:]}
    for finding in transit.findings:
        lines = by_rule[finding.rule_id][col["citations"]].split("\n")
        assert len(lines) == len(finding.citations)  # one citation per line
        for line, c in zip(lines, finding.citations, strict=True):
            locator = f"{c.source}:{c.lines[0]}-{c.lines[1]}"
            assert line == f"{locator} — {c.title}, {c.section}: “{' '.join(c.quote.split())}”"


def test_byte_order_mark_once_at_the_start(transit: Assessment) -> None:
    # Excel on Windows reads a UTF-8 CSV as UTF-8 only after a byte-order mark.
    text = render_csv([transit])
    assert text.startswith(BOM + ",".join(COLUMNS) + "\n")
    assert text.count(BOM) == 1
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbfcountry,")


def test_order_follows_the_report(transit: Assessment) -> None:
    rows = _rows(render_csv([transit]))[1:]
    themes = [r[4] for r in rows]
    order = ["rights", "data_collection", "labour_channels", "anti_trafficking", "coordination"]
    order.append("coherence")
    assert themes == sorted(themes, key=order.index)


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_formula_triggers(trigger: str) -> None:
    cell = trigger + 'HYPERLINK("https://evil.example/","x")'
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["", "Mexico", "a=b", "'already", "1-2", " plain", "\u00a0text", "a =x", " \t"]
)
def test_neutralise_leaves_other_cells(cell: str) -> None:
    assert neutralise(cell) == cell


# A spreadsheet skips leading whitespace and invisible characters before it looks for a
# formula, and some read full-width signs as the ASCII ones (issue 12 §3.20).
HIDDEN_FORMULAS = {
    "newline": '\n=HYPERLINK("https://evil.example/")',
    "space": " =1+1",
    "spaces-and-tab": "  \t+1",
    "nbsp": "\u00a0=1+1",
    "bom": "\ufeff=1+1",
    "line-separator": "\u2028=1+1",
    "paragraph-separator": "\u2029@SUM(A1)",
    "zero-width-space": "\u200b=1+1",
    "ideographic-space": "\u3000-1+1",
    "full-width-equals": '\uff1dHYPERLINK("https://evil.example/")',
    "full-width-plus": "\uff0b1",
    "full-width-minus": "\uff0d1",
    "full-width-at": "\uff20SUM(A1)",
    "small-equals": "\ufe66SUM(A1)",
    "mixed": "\u00a0\ufeff \n\uff1d1",
}


@pytest.mark.parametrize("name", sorted(HIDDEN_FORMULAS))
def test_neutralise_looks_past_whitespace_and_invisible_characters(name: str) -> None:
    cell = HIDDEN_FORMULAS[name]
    assert neutralise(cell) == "'" + cell


def test_rule_pack_text_is_neutralised_too(hostile: Assessment) -> None:
    # Titles, recommendations and references come from rule packs, which are not stripped.
    tricked = hostile.findings[0].model_copy(
        update={
            "title": '\n=HYPERLINK("https://evil.example/")',
            "recommendation": "\u00a0=1+1",
            "references": ["\uff1dSUM(A1)"],
        }
    )
    row = finding_row(hostile, tricked)
    cells = dict(zip(COLUMNS, (neutralise(c) for c in row), strict=True))
    for column in ("title", "recommendation", "references"):
        assert cells[column].startswith("'"), column


def test_formula_in_profile_is_neutralised(hostile: Assessment) -> None:
    rows = _rows(render_csv([hostile]))
    assert len(rows) - 1 == len(hostile.findings)
    for row in rows[1:]:
        assert row[0].startswith("'=HYPERLINK(")
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    waived = next(r for r in rows if r[6] == "waived")
    assert waived[3] == "RIGHTS-010"


def test_line_endings_and_determinism(transit: Assessment) -> None:
    text = render_csv([transit])
    assert "\r\n" not in text and text.endswith("\n")
    assert render_csv([transit]) == text


def test_contradictions_name_both_sides(destination: Assessment) -> None:
    rows = _rows(render_csv([destination]))
    col = {name: i for i, name in enumerate(rows[0])}
    by_rule = {r[col["rule_id"]]: r for r in rows[1:]}
    for f in destination.findings:
        row = by_rule[f.rule_id]
        assert row[col["kind"]] == f.kind
        if f.kind == "check":
            assert row[col["contradiction"]] == ""
            continue
        cell = row[col["contradiction"]]
        assert cell.startswith("The profile says: ") and " | What should go with it: " in cell
        for entry in (e for s in f.sides for e in s.answers):
            assert f"{entry.path} = " in cell and f"(line {entry.line})" in cell
