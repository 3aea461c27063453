"""The XLSX exports (`check --format xlsx`, `compare --format xlsx`), through the real CLI and
read back with openpyxl: sheets, one row per finding, verbatim quotes, formula-looking text
kept as text, byte-identical reruns, and the comparison's matrices."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coherence.report.formats.xlsx import (
    CITATION_COLUMNS,
    FINDING_COLUMNS,
    QUESTION_COLUMNS,
    SUMMARY_COLUMNS,
)
from coherence.report.views.comparison_parts import CHANGE_MARKS
from coherence.report.vocabulary import CONTRADICTION_LABEL, STATUS_LABELS
from tests.conftest import FIXTURES, PROFILES, ROOT, invoke
from tests.gapjson import assessments

TODAY = ("--today", "2026-01-01")
TRANSIT = PROFILES / "example-transit.yaml"
ORIGIN = PROFILES / "example-origin.yaml"
HOSTILE = FIXTURES / "profiles" / "hostile.yaml"
SERIES = (
    PROFILES / "example-origin.yaml",
    PROFILES / "example-destination.yaml",
    PROFILES / "example-transit-2024.yaml",
    TRANSIT,
)
CHECK_SHEETS = ["Summary", "Findings", "Citations", "Questions to answer", "Profiles"]
COMPARE_SHEETS = [
    "Profiles",
    "Scores by theme",
    "SDG domains",
    "Findings by status",
    "Rules by profile",
    "About",
]


def _xlsx(cli, tmp_path: Path, *args, name: str = "report.xlsx", command: str = "check") -> Path:
    out = tmp_path / name
    result = cli(command, *TODAY, "--format", "xlsx", "--output", out, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    return out


def _json(cli, *profiles) -> list[dict]:
    result = cli("check", *TODAY, "--format", "json", *profiles)
    assert result.returncode == 0, result.stderr
    return assessments(result.stdout)


def _table(ws) -> list[dict[str, object]]:
    """The rows of a sheet as dicts keyed by the header row."""
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _status_label(finding: dict) -> str:
    if finding["status"] == "gap" and finding["kind"] == "contradiction":
        return CONTRADICTION_LABEL
    return STATUS_LABELS[finding["status"]]


# --------------------------------------------------------------------------- check


def test_sheets_headers_and_layout(cli, tmp_path: Path) -> None:
    wb = load_workbook(_xlsx(cli, tmp_path, TRANSIT))
    assert wb.sheetnames == CHECK_SHEETS
    expected = {
        "Summary": SUMMARY_COLUMNS,
        "Findings": FINDING_COLUMNS,
        "Citations": CITATION_COLUMNS,
        "Questions to answer": QUESTION_COLUMNS,
    }
    for name, columns in expected.items():
        ws = wb[name]
        header = [c.value for c in ws[1]]
        assert header == [c.header for c in columns], name
        assert all(c.font.b for c in ws[1]), name  # bold
        assert ws.freeze_panes == "A2", name  # frozen
        last = ws.cell(row=1, column=len(columns)).column_letter
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}", name
        assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1]), name
        assert ws.cell(row=2, column=1).alignment.wrap_text, name


@pytest.mark.parametrize("profiles", [(TRANSIT,), (TRANSIT, ORIGIN)], ids=["one", "two"])
def test_one_row_per_finding_as_in_the_json_report(cli, tmp_path: Path, profiles) -> None:
    reports = _json(cli, *profiles)
    rows = _table(load_workbook(_xlsx(cli, tmp_path, *profiles))["Findings"])
    assert len(rows) == sum(len(r["findings"]) for r in reports)
    got = Counter((r["Profile"], r["Rule ID"], r["Status"], r["Severity"]) for r in rows)
    want = Counter(
        (r["profile"]["path"], f["rule_id"], _status_label(f), f["severity"].capitalize())
        for r in reports
        for f in r["findings"]
    )
    assert got == want


def test_summary_shows_the_scores_with_coverage_and_band(cli, tmp_path: Path) -> None:
    (report,) = _json(cli, TRANSIT)
    rows = _table(load_workbook(_xlsx(cli, tmp_path, TRANSIT))["Summary"])
    assert {r["Country"] for r in rows} == {report["profile"]["country_name"]}
    assert {r["As of"] for r in rows} == {report["profile"]["as_of"]}
    by_name = {r["Score of"]: r for r in rows}
    assert len(by_name) == len(report["scores"])  # every theme, overall and consistency
    overall = by_name["Overall"]
    want = report["scores"]["overall"]
    assert overall["Score (0–100)"] == pytest.approx(want["score"])
    assert overall["Coverage (%)"] == pytest.approx(want["coverage"])
    assert overall["Band"] == want["band"]
    assert overall["Questions to answer"] == want["question_count"]
    for row in rows:
        assert row["Result"]  # the band in words, or why it has none


@pytest.mark.parametrize("profiles", [(TRANSIT,), (TRANSIT, ORIGIN)], ids=["one", "two"])
def test_citations_are_verbatim_quotes_of_the_json_report_once_per_rule(
    cli, tmp_path: Path, profiles
) -> None:
    reports = _json(cli, *profiles)
    wb = load_workbook(_xlsx(cli, tmp_path, *profiles))
    # Two passages of one rule can share their lines: compare (rule, locator, quote) triples.
    # A rule's quotations are the same in every report, and the sheet holds them once.
    quotes = Counter(
        {
            (f["rule_id"], f"{c['source']}:{c['lines'][0]}-{c['lines'][1]}", c["quote"]): 1
            for report in reports
            for f in report["findings"]
            for c in f["citations"]
        }
    )
    rows = _table(wb["Citations"])
    assert Counter((r["Rule ID"], r["Locator"], r["Quote"]) for r in rows) == quotes
    assert all(r["Source title"] and r["Section"] and r["Title"] for r in rows)
    if len(profiles) > 1:  # the second report's rules add no row of their own
        cited = {f["rule_id"] for f in reports[0]["findings"] if f["citations"]}
        assert sum(r["Rule ID"] in cited for r in rows) == sum(
            len(f["citations"]) for f in reports[0]["findings"]
        )
    located = {(rule, locator) for rule, locator, _ in quotes}
    # The Findings sheet lists each finding's citations, one locator per line.
    for row in _table(wb["Findings"]):
        lines = str(row["Citations"] or "").splitlines()
        assert len(lines) == (row["Sources"] or 0)
        assert all((row["Rule ID"], line.split(" — ")[0]) in located for line in lines)


def test_questions_are_the_missing_answers(cli, tmp_path: Path) -> None:
    (report,) = _json(cli, TRANSIT)
    rows = _table(load_workbook(_xlsx(cli, tmp_path, TRANSIT))["Questions to answer"])
    missing: dict[str, set[str]] = {}
    for f in report["findings"]:
        if f["status"] == "insufficient_data":
            for path in f["missing"]:
                missing.setdefault(path, set()).add(f["rule_id"])
    assert rows and {r["Profile field"]: set(str(r["Rules"]).split(", ")) for r in rows} == missing
    assert all(r["Question"] and r["Possible answers"] for r in rows)


def test_the_countrys_evidence_is_shown(cli, tmp_path: Path) -> None:
    (report,) = _json(cli, TRANSIT)
    rows = {
        r["Rule ID"]: r for r in _table(load_workbook(_xlsx(cli, tmp_path, TRANSIT))["Findings"])
    }
    shown = 0
    for f in report["findings"]:
        for entry in f["trace"]:
            for ev in entry["evidence"]:
                if ev.get("title"):
                    assert ev["title"] in rows[f["rule_id"]]["Country's evidence"]
                    shown += 1
    assert shown


def _formula_profile(tmp_path: Path) -> Path:
    """The hostile fixture, with formulas where a cell starts with profile text."""
    text = HOSTILE.read_text(encoding="utf-8")
    text = text.replace(
        'name: \'=HYPERLINK("https://evil.example/","open") <script>alert(1)</script> | pipes |\'',
        "name: '=1+1'",
    )
    assert "name: '=1+1'" in text
    path = tmp_path / "formulas.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_formula_looking_text_stays_text(cli, tmp_path: Path) -> None:
    formulas = _formula_profile(tmp_path)
    out = _xlsx(cli, tmp_path, HOSTILE, formulas)
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    wb = load_workbook(out)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    texts.append(cell)
    values = [c.value for c in texts]
    assert (
        '=HYPERLINK("https://evil.example/","open") <script>alert(1)</script> | pipes |' in values
    )
    assert "=1+1" in values
    assert any("Note: =HYPERLINK(" in v for v in values)  # the hostile note, verbatim
    leading = [c for c in texts if c.value.startswith(("=", "+", "-", "@"))]
    assert leading and all(c.quotePrefix for c in leading)  # Excel keeps them text on edit


def test_control_characters_are_made_visible(cli, tmp_path: Path) -> None:
    """Profiles and rule files refuse control characters (tests/test_yamlsource.py); an
    assessment built by a library caller can still hold one, and the workbook shows it."""
    from coherence import assess, load_catalogue
    from coherence.report.formats import GapOptions, render

    path = tmp_path / "bell.yaml"
    path.write_text(
        HOSTILE.read_text(encoding="utf-8").replace(
            "  xenophobia_measures: no",
            '  xenophobia_measures:\n    answer: no\n    note: "a\\x07b"',
        ),
        encoding="utf-8",
    )
    assert cli("check", "-f", "xlsx", "-o", tmp_path / "r.xlsx", path).returncode == 2
    found = assess(TRANSIT, load_catalogue(), engine="reference")
    named = found.model_copy(
        update={"profile": found.profile.model_copy(update={"country_name": "a\x07b"})}
    )
    data = render("xlsx", "gap", [named], GapOptions())
    values = [
        c.value
        for ws in load_workbook(io.BytesIO(data)).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert any("a\\x07b" in v for v in values)
    assert not any("\x07" in v for v in values)


def test_reruns_are_byte_identical_and_carry_no_clock_time(cli, tmp_path: Path) -> None:
    first = _xlsx(cli, tmp_path, TRANSIT, ORIGIN, name="first.xlsx").read_bytes()
    second = _xlsx(cli, tmp_path, TRANSIT, ORIGIN, name="second.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        # The latest as_of of the profiles (transit, 2025-11-30), not the time of the run.
        assert {i.date_time for i in archive.infolist()} == {(2025, 11, 30, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert core.count("2025-11-30T00:00:00Z") == 2  # created and modified


def test_standard_output_refuses_a_terminal(cli, monkeypatch) -> None:
    from coherence.cli import output

    monkeypatch.setattr(output, "_on_terminal", lambda stream: True)
    for command, extra in (("check", ()), ("check", ("-o", "-")), ("compare", ())):
        result = cli(command, *TODAY, "--format", "xlsx", *extra, TRANSIT)
        assert result.returncode == 2
        assert result.stderr == "coherence: error: xlsx is binary: give --output FILE.xlsx\n"
        assert result.stdout == ""


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_a_real_terminal_is_refused(tmp_path: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "coherence", "check", *TODAY, "-f", "xlsx", str(TRANSIT)],
            stdout=follower,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    assert b"xlsx is binary: give --output FILE.xlsx" in proc.stderr


def test_a_pipe_gets_the_bytes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from coherence.cli.main import app

    file = _xlsx(invoke, tmp_path, TRANSIT)
    piped = CliRunner().invoke(app, ["check", *TODAY, "-f", "xlsx", str(TRANSIT)])
    assert piped.exit_code == 0
    assert piped.stdout_bytes == file.read_bytes()


# --------------------------------------------------------------------------- compare


def test_compare_matrices(cli, tmp_path: Path) -> None:
    out = _xlsx(cli, tmp_path, *SERIES, command="compare")
    data = json.loads(cli("compare", *TODAY, "--format", "json", *SERIES).stdout)
    wb = load_workbook(out)
    assert wb.sheetnames == COMPARE_SHEETS
    labels = [p["label"] for p in data["profiles"]]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert all(c.font.b for c in ws[1])
    # Profile × theme: score, coverage and band of every theme, one row per profile.
    scores = _table(wb["Scores by theme"])
    assert [r["Profile"] for r in scores] == labels
    for row, want in zip(scores, data["scores"], strict=True):
        overall = want["themes"]["overall"]
        assert row["Overall: score"] == pytest.approx(overall["score"])
        assert row["Overall: coverage (%)"] == pytest.approx(overall["coverage"])
        assert str(row["Overall: band"]).startswith(
            str(overall["band"]) if overall["classified"] else "not classified"
        )
    # Rule × profile: the status of every rule for every profile.
    rules = _table(wb["Rules by profile"])
    assert [r["Rule ID"] for r in rules] == [r["rule_id"] for r in data["rules"]]
    header = [c.value for c in wb["Rules by profile"][1]]
    assert header[-len(labels) :] == labels
    for row, want in zip(rules, data["rules"], strict=True):
        for label in labels:
            status = want["statuses"][label]
            cell = str(row[label])
            if status is None:
                assert cell == "not evaluated"
            elif status == "gap" and want["theme"] == "coherence":
                assert cell.startswith(CONTRADICTION_LABEL)
            else:
                assert cell.startswith(STATUS_LABELS[status])
            change = want["changes"].get(label)
            assert cell.endswith(f" {CHANGE_MARKS[change][0]}") if change else cell[-1].isalpha()
        assert row["Profiles differ"] == (
            "yes" if len(set(want["statuses"].values())) > 1 else "no"
        )


def test_compare_is_byte_identical_and_text_safe(cli, tmp_path: Path) -> None:
    a = _xlsx(cli, tmp_path, HOSTILE, TRANSIT, name="a.xlsx", command="compare").read_bytes()
    b = _xlsx(cli, tmp_path, HOSTILE, TRANSIT, name="b.xlsx", command="compare").read_bytes()
    assert a == b
    wb = load_workbook(io.BytesIO(a))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK(")]
    assert hostile and all(c.data_type == "s" and c.quotePrefix for c in hostile)


def test_a_report_too_long_for_a_spreadsheet_is_refused(cli, tmp_path, monkeypatch) -> None:
    """One profile has 500-odd citation rows: about 2,100 profiles pass the 1,048,576 rows a
    sheet holds, which Excel would refuse or cut. Shown here with the limit lowered."""
    import coherence.report.formats.xlsx.sheet as sheet

    monkeypatch.setattr(sheet, "MAX_ROWS", 50)
    out = tmp_path / "r.xlsx"
    result = cli("check", "profiles/example-origin.yaml", "-o", out)
    assert result.returncode == 2
    assert "would need more than 50 rows, the most a spreadsheet holds" in result.stderr
    assert not out.exists()
