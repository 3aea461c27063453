"""The printed form of the HTML report: what it keeps, what becomes a table, the appendix.

The browser tests (test_browser.py) print the report with Chromium and count its pages;
these read the document itself: every rule the print leaves out in full is in a compact
table, and the appendix holds every rule in full only when asked for.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

import pytest

from coherence.findings import Assessment
from coherence.report.formats.html import APPENDIX_TITLE, render_html
from coherence.report.views.gap import build_reports


def _elements(html: str, tag: str, cls: str) -> list[str]:
    """The inner HTML of each `<tag class="... cls ...">` (not nested in one another)."""
    pattern = rf'<{tag} class="(?:[^"]* )?{re.escape(cls)}(?: [^"]*)?"[^>]*>(.*?)</{tag}>'
    return re.findall(pattern, html, re.S)


def _rows(table: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", " ", r)) for r in re.findall(r"<tr.*?</tr>", table, re.S)]


@pytest.fixture(scope="module")
def destination_html(destination: Assessment) -> str:
    return render_html([destination])


def test_undecided_rules_become_questions_with_their_fields(
    destination: Assessment, destination_html: str
) -> None:
    report = build_reports([destination])[0]
    tables = _elements(destination_html, "table", "undecided")
    assert len(tables) == sum(1 for t in report.themes if t.undecided) > 0
    text = " ".join(" ".join(r.split()) for t in tables for r in _rows(t))
    undecided = [f for t in report.themes for f in t.undecided]
    assert undecided
    for f in undecided:
        assert f.rule_id in text
        assert f.questions, f.rule_id
        for question, path in f.questions:
            assert " ".join(question.split()) in text, (f.rule_id, question)
            assert f"<code>{path}</code>" in destination_html
    # One row per question, the rule cell spanning them.
    rows = sum(len(_rows(t)) - 1 for t in tables)  # less the header row
    assert rows == sum(len(f.questions) for f in undecided)


def test_met_and_not_applicable_rules_become_one_table(
    destination: Assessment, destination_html: str
) -> None:
    tables = _elements(destination_html, "table", "settled")
    rows = [" ".join(r.split()) for t in tables for r in _rows(t)[1:]]
    expected = Counter(
        (f.rule_id, {"met": "Met", "not_applicable": "Not applicable"}[f.status])
        for f in destination.findings
        if f.status in ("met", "not_applicable")
    )
    assert expected
    got = Counter(
        (r.split()[0], "Not applicable" if r.endswith("Not applicable") else r.split()[-1])
        for r in rows
    )
    assert got == expected


def test_print_only_and_screen_only_parts(destination_html: str) -> None:
    assert re.search(r'<table class="undecided print-only">', destination_html)
    assert re.search(r'<table class="settled print-only">', destination_html)
    assert re.search(r'<table class="not-applicable screen-only">', destination_html)
    css = destination_html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert re.search(r"@media screen \{\s*\.print-only \{ display: none !important; \}", css)


def test_decided_findings_point_to_their_action(
    destination: Assessment, destination_html: str
) -> None:
    report = build_reports([destination])[0]
    assert report.actions
    for x in report.actions:
        article = re.search(
            rf'<article class="([^"]*)" id="{x.anchor}">(.*?)</article>', destination_html, re.S
        )
        assert article, x.rule_id
        classes, body = article.groups()
        assert "decided" in classes.split()
        assert f"action {x.rank} of the action plan." in body
        # The screen keeps the recommendation in full; print leaves it to the action plan.
        assert 'class="recommendation-block in-action-plan"' in body
    for t in report.themes:
        for f in t.findings:
            cls = re.search(rf'<article class="([^"]*)" id="{f.anchor}"', destination_html)[1]
            assert ("undecided" in cls.split()) is (f.status in ("met", "insufficient_data"))
            assert ("in-contradictions" in cls.split()) is (
                f.anchor in report.contradiction_anchors
            )


def test_appendix_only_when_asked(destination: Assessment, destination_html: str) -> None:
    assert 'id="appendix"' not in destination_html
    assert "-evidence" not in destination_html
    assert APPENDIX_TITLE not in destination_html
    full = render_html([destination], appendix=True)
    section = full.split('<section class="major page appendix print-only" id="appendix">', 1)[1]
    applicable = [f for f in destination.findings if f.status != "not_applicable"]
    report = build_reports([destination])[0]
    for t in report.themes:
        for f in t.findings:
            assert f'id="{f.anchor}-evidence"' in section
    assert section.count('<article class="finding') == len(applicable)
    # In full: the quotations, and every recommendation (no pointer to the action plan).
    assert section.count('<figure class="quote') == sum(len(f.citations) for f in applicable)
    assert "of the action plan." not in section
    ids = re.findall(r'\bid="([^"]+)"', full)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert f'<a href="#appendix">{APPENDIX_TITLE}</a>' in full
    # Before the appendix, the report is the one without it, less the contents' link.
    before = full.split('<section class="major page appendix', 1)[0]
    link = f'<li class="print-only"><a href="#appendix">{APPENDIX_TITLE}</a></li>\n'
    assert link in before
    assert destination_html.startswith(before.replace(link, ""))


def test_several_reports_each_get_their_appendix(examples: dict[str, Assessment]) -> None:
    html = render_html(list(examples.values()), appendix=True)
    assert html.count(f"<h3>{APPENDIX_TITLE}</h3>") == len(examples)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_check_appendix_option(cli, tmp_path) -> None:
    from tests.conftest import PROFILES
    from tests.report.conftest import TODAY

    day = ("--today", TODAY.isoformat())
    profile = PROFILES / "example-origin.yaml"
    plain, full = tmp_path / "plain.html", tmp_path / "full.html"
    assert cli("check", *day, profile, "-o", plain).returncode == 0
    result = cli("check", *day, profile, "-o", full, "--appendix")
    assert result.returncode == 0, result.stderr
    assert 'id="appendix"' not in plain.read_text(encoding="utf-8")
    assert f"<h2>{APPENDIX_TITLE}</h2>" in full.read_text(encoding="utf-8")
