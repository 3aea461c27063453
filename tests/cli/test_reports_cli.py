"""The report formats through the real CLI: Markdown, HTML (with --template-dir) and CSV."""

from __future__ import annotations

import csv
import io

from tests.conftest import PROFILES

TODAY = ("--today", "2026-06-01")
ORIGIN = PROFILES / "example-origin.yaml"


def test_html_report_with_a_consultant_stylesheet(cli, tmp_path):
    templates = tmp_path / "brand"
    templates.mkdir()
    (templates / "styles.css.j2").write_text("body { color: #0a0b0c; }\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = cli("check", *TODAY, ORIGIN, "-f", "html", "-o", out, "--template-dir", templates)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "#0a0b0c" in html and "<script" not in html.lower()
    assert html.count("<h1") == 1 and "Executive summary" in html
    missing = cli("check", ORIGIN, "-f", "html", "--template-dir", tmp_path / "nope")
    assert missing.returncode == 2 and "no such folder" in missing.stderr


def test_markdown_and_csv_reports(cli):
    md = cli("check", *TODAY, ORIGIN, "-f", "markdown")
    assert md.returncode == 0 and md.stdout.startswith("# ")
    for heading in (
        "Executive summary",
        "Action plan",
        "Findings by theme",
        "Data gaps",
        "Sources",
        "Method",
    ):
        assert heading in md.stdout
    table = cli("check", *TODAY, ORIGIN, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    rules = cli("rules", "list").stdout.strip().splitlines()
    assert len(rows) == len(rules)
    assert {r["country"] for r in rows} == {"Nepal"}
