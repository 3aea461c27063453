"""The CSV export, parsed back with the csv module."""

from __future__ import annotations

import csv
import io

import pytest

from coherence.findings import Assessment
from coherence.report.csv import COLUMNS, neutralise, render_csv


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


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
    finding = next(f for f in transit.findings if f.rule_id == "RIGHTS-015")
    row = by_rule["RIGHTS-015"]
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


@pytest.mark.parametrize("cell", ["", "Mexico", "a=b", "'already", "1-2", " =x"])
def test_neutralise_leaves_other_cells(cell: str) -> None:
    assert neutralise(cell) == cell


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
