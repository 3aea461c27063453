"""`coherence diff` as HTML: one self-contained file with every change of the JSON diff, and
the format inferred from the `--output` file name (for `compare` too)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from tests.conftest import PROFILES

TODAY = ("--today", "2026-06-01")
OLD, NEW = PROFILES / "example-transit-2024.yaml", PROFILES / "example-transit.yaml"


class _Rows(HTMLParser):
    """The text of each table row's first cell, per section id."""

    def __init__(self) -> None:
        super().__init__()
        self.section: str | None = None
        self.rows: dict[str, list[str]] = {}
        self._cell: list[str] | None = None
        self._first = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("id")
        elif tag == "tr":
            self._first = True
        elif tag in ("th", "td") and self._first and self.section:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.rows.setdefault(self.section, []).append(" ".join("".join(self._cell).split()))
            self._cell, self._first = None, False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_diff_html_holds_every_change_of_the_json_diff(cli, tmp_path) -> None:
    target = tmp_path / "diff.html"
    result = cli("diff", *TODAY, OLD, NEW, "--output", target)  # format from the file name
    assert result.returncode == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    # Nothing loads from outside: a URL of the profile's evidence appears only as text.
    assert not re.search(r"""(src|href|srcset|action|data)\s*=\s*["']?(https?:)?//""", html)
    assert "url(http" not in html and "@import" not in html
    assert html.count("<caption") == html.count("<table")
    diffed = json.loads(cli("diff", "--format", "json", *TODAY, OLD, NEW).stdout)
    parser = _Rows()
    parser.feed(html)
    for f in diffed["findings"]:
        section = f["decidability"] if f["change"] == "decidability" else f["change"]
        listed = parser.rows.get(f"diff-{section}", [])
        assert any(row.startswith(f["rule_id"] + " ") for row in listed), (f["rule_id"], section)
    questions = parser.rows["diff-answers"][1:]  # after the header row
    assert len(questions) == len(diffed["answers"]) == 24
    assert "Answers that changed (24)" in html


def test_diff_and_compare_take_the_format_from_the_output_name(cli, tmp_path) -> None:
    md = tmp_path / "changes.md"
    assert cli("diff", *TODAY, OLD, NEW, "-o", md).returncode == 0
    assert md.read_text(encoding="utf-8").startswith("# Policy coherence changes: ")
    page = tmp_path / "compare.htm"
    assert cli("compare", *TODAY, OLD, NEW, "-o", page).returncode == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    clash = cli("diff", "--format", "json", *TODAY, OLD, NEW, "-o", tmp_path / "x.html")
    assert clash.returncode == 2
    assert "--format json contradicts --output" in clash.stderr
    assert not (tmp_path / "x.html").exists()
    plain = cli("diff", *TODAY, OLD, NEW)  # no file name: the default
    assert plain.stdout.startswith("Mexico (MEX): ")
