"""The comparison and the diff as libraries: view models, Markdown structure, HTML, escaping."""

from __future__ import annotations

from html.parser import HTMLParser
from itertools import pairwise

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from coherence.api import assess
from coherence.assessment.regression import (
    decidability,
    direction,
    has_regression,
    regressed_rules,
)
from coherence.findings import Assessment
from coherence.report.formats.csv import render_compare_csv
from coherence.report.formats.html import render_compare_html
from coherence.report.formats.json import render_compare_json, render_diff_json
from coherence.report.formats.markdown.comparison import render_compare_markdown
from coherence.report.formats.markdown.diff import render_diff_markdown
from coherence.report.formats.text import render_diff_text
from coherence.report.views.comparison import COMPARE_SECTIONS, CompareError, build_comparison
from coherence.report.views.diff import CATEGORY_TITLES, DiffError, diff_assessments
from coherence.report.vocabulary import signed
from coherence.rules.catalog import Catalogue
from tests.conftest import PROFILES
from tests.report.conftest import TODAY

SCRIPT = "<script>alert(1)</script>"
TRANSIT_2024 = PROFILES / "example-transit-2024.yaml"


@pytest.fixture(scope="module")
def transit_2024(catalogue: Catalogue) -> Assessment:
    """The earlier transit profile (same country as the transit example)."""
    return assess(TRANSIT_2024, catalogue, today=TODAY)


@pytest.fixture(scope="module")
def everything(examples: dict[str, Assessment], transit_2024: Assessment) -> list[Assessment]:
    return [*examples.values(), transit_2024]


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def _headings(tokens: list[Token]) -> list[tuple[str, str]]:
    return [
        (tok.tag, tokens[i + 1].content)
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open"
    ]


def _check_tables(tokens: list[Token]) -> int:
    """Every table has a header row and the same number of cells in every row."""
    tables = 0
    widths: list[int] = []
    cells = 0
    for tok in tokens:
        if tok.type == "table_open":
            tables, widths = tables + 1, []
        elif tok.type == "tr_open":
            cells = 0
        elif tok.type in ("th_open", "td_open"):
            cells += 1
        elif tok.type == "tr_close":
            widths.append(cells)
        elif tok.type == "table_close":
            assert len(set(widths)) == 1, widths
    return tables


# --------------------------------------------------------------------------- changes


@pytest.mark.parametrize(
    ("old", "new", "way", "decided"),
    [
        ("met", "gap", "regressed", None),
        ("partial", "met", "improved", None),
        ("met", "insufficient_data", "decidability", "newly_undecidable"),
        ("gap", "insufficient_data", "decidability", "newly_undecidable"),
        ("insufficient_data", "met", "decidability", "newly_decidable"),
        ("insufficient_data", "gap", "decidability", "newly_decidable"),
        ("met", "not_applicable", "other", None),
        ("waived", "gap", "other", None),
        ("insufficient_data", "waived", "other", None),
        (None, "met", "other", None),
        ("gap", "gap", None, None),
    ],
)
def test_status_order(old, new, way, decided) -> None:
    assert direction(old, new) == way
    assert decidability(old, new) == decided


def test_signed() -> None:
    assert [signed(x) for x in (12.5, -3.04, 0.0, -0.01, None)] == [
        "+12.5",
        "-3.0",
        "0.0",
        "0.0",
        "—",
    ]


# --------------------------------------------------------------------------- compare


def test_compare_markdown_structure(everything: list[Assessment]) -> None:
    md = render_compare_markdown(build_comparison(everything))
    tokens = _parser().parse(md)
    heads = _headings(tokens)
    assert [t for t, _ in heads].count("h1") == 1
    assert [text for tag, text in heads if tag == "h2"] == [t for _, t in COMPARE_SECTIONS]
    assert [text for tag, text in heads if tag == "h3"] == [
        "Rights",
        "Data collection",
        "Labour channels",
        "Anti-trafficking",
        "Interagency coordination",
        "Cross-theme coherence",
    ]
    assert all(int(b[1]) - int(a[1]) <= 1 for a, b in pairwise(t for t, _ in heads))
    assert _check_tables(tokens) == 5 + 6  # profiles, scores, domains, trends, counts; rules
    assert not any(t.type == "html_block" for t in tokens)


def test_compare_hostile_text_stays_text(
    examples: dict[str, Assessment], hostile: Assessment
) -> None:
    c = build_comparison([examples["example-origin.yaml"], hostile])
    md = render_compare_markdown(c)
    tokens = _parser().parse(md)
    assert not any(t.type in ("html_block", "html_inline") for t in tokens)
    assert not any(child.type == "html_inline" for t in tokens for child in (t.children or ()))
    html = render_compare_html(c)
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert "'=HYPERLINK(" in render_compare_csv(c)
    assert SCRIPT in render_compare_json(c)  # JSON carries the text verbatim


class _Tables(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables = self.captions = 0
        self.th_scopes: list[str | None] = []
        self.tags: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.tables += tag == "table"
        self.captions += tag == "caption"
        if tag == "th":
            self.th_scopes.append(dict(attrs).get("scope"))


def test_compare_html_tables_are_accessible(everything: list[Assessment]) -> None:
    page = _Tables(render_compare_html(build_comparison(everything)))
    assert page.tables == page.captions == 5 + 6
    assert set(page.th_scopes) == {"col", "row"}
    assert not page.tags & {"script", "img", "link", "iframe", "object"}


def test_compare_single_profile_and_errors(examples: dict[str, Assessment]) -> None:
    origin = examples["example-origin.yaml"]
    c = build_comparison([origin])
    assert c.trends == () and [e.label for e in c.entries] == ["NPL 2025-09-30"]
    assert "No country has profiles of several dates." in render_compare_markdown(c)
    with pytest.raises(CompareError, match="different as_of"):
        build_comparison([origin, origin])
    with pytest.raises(CompareError):
        build_comparison([])
    with pytest.raises(CompareError, match="unknown order"):
        build_comparison([origin], sort="rank")


# --------------------------------------------------------------------------- diff


@pytest.fixture(scope="module")
def transit_diff(transit: Assessment, transit_2024: Assessment):
    return diff_assessments(transit_2024, transit)


def test_diff_lists_the_regressions_the_gate_counts(
    transit_diff, transit: Assessment, transit_2024: Assessment
) -> None:
    """The diff's regressed findings are those of the rule in coherence.assessment."""
    listed = sorted(f.rule_id for f in transit_diff.regressed)
    assert tuple(listed) == regressed_rules(transit_2024, transit)
    assert transit_diff.has_regression == has_regression(transit_2024, transit)


def test_diff_markdown_structure(transit_diff) -> None:
    md = render_diff_markdown(transit_diff)
    tokens = _parser().parse(md)
    heads = _headings(tokens)
    assert heads[0] == ("h1", "Policy coherence changes: Mexico (MEX), 2024-06-30 → 2025-11-30")
    h2 = [text for tag, text in heads if tag == "h2"]
    assert h2 == [
        "Summary",
        "Scores",
        *CATEGORY_TITLES.values(),
        "Answers that changed",
        "Other changes: notes, evidence, names, dates",
        "How changes are classified",
    ]
    assert {t for t, _ in heads} == {"h1", "h2"}
    assert _check_tables(tokens) >= 6
    assert not any(t.type == "html_block" for t in tokens)


def test_diff_sections_partition_the_changes(transit_diff) -> None:
    d = transit_diff
    by_direction = (
        d.category("regressed")
        + d.category("improved")
        + d.category("other")
        + tuple(f for f in d.findings if f.direction == "decidability")
    )
    assert sorted(f.rule_id for f in by_direction) == sorted(f.rule_id for f in d.findings)
    assert all(f.decidability == "newly_decidable" for f in d.category("newly_decidable"))
    assert d.has_regression == bool(d.regressed)


def test_diff_without_answers_and_of_two_countries(
    examples: dict[str, Assessment], transit: Assessment
) -> None:
    # An assessment read back from its JSON report does not keep the profile's answers.
    read_back = Assessment.model_validate_json(transit.model_dump_json())
    assert read_back.answers is None and transit.answers
    d = diff_assessments(read_back, transit)
    assert d.answers is None and d.findings == () and not d.has_regression
    assert "The answers were not compared." in render_diff_markdown(d)
    assert '"answers": null' in render_diff_json(d)
    assert "No rule changed status." in render_diff_text(d)
    with pytest.raises(DiffError, match="same country"):
        diff_assessments(examples["example-origin.yaml"], transit)
