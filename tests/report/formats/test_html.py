"""The HTML report, parsed back with the standard library's HTML parser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest

from coherence.findings import Assessment
from coherence.report.formats.html import TEMPLATES_DIR, render_html
from coherence.report.views.gap import SECTIONS
from tests.report.conftest import folder_reports

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
RESOURCE_ATTRS = ("src", "href", "srcset", "data", "poster", "action", "xlink:href", "background")
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass
class Table:
    """What a parsed table holds."""

    th: list[dict[str, str | None]] = field(default_factory=list)
    caption: bool = False


class Page(HTMLParser):
    """A parsed page: tags, headings, tables, style text and visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str]] = []
        self.tables: list[Table] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self.section_ids: list[str] = []
        self._heading: str | None = None
        self._buffer: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in HEADINGS:
            self._heading, self._buffer = tag, []
        elif tag == "table":
            self.tables.append(Table())
        elif tag == "th":
            self.tables[-1].th.append(a)
        elif tag == "caption":
            self.tables[-1].caption = True
        elif tag == "style":
            self._in_style = True
        elif tag == "section" and "major" in (a.get("class") or ""):
            self.section_ids.append(a.get("id") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self.headings.append((tag, " ".join("".join(self._buffer).split())))
            self._heading = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
            return
        self.text.append(data)
        if self._heading:
            self._buffer.append(data)

    def find(self, tag: str) -> list[dict[str, str | None]]:
        """The attributes of every `tag` element."""
        return [a for t, a in self.tags if t == tag]


@pytest.fixture(scope="module")
def transit_html(transit: Assessment) -> str:
    return render_html([transit])


@pytest.fixture(scope="module")
def page(transit_html: str) -> Page:
    return Page(transit_html)


def test_document_basics(page: Page) -> None:
    html = page.find("html")
    assert html and html[0].get("lang") == "en"
    assert page.find("meta")[0].get("charset") == "utf-8"
    assert [t for t, _ in page.headings].count("h1") == 1
    assert page.headings[0] == ("h1", "Policy coherence gap report: Mexico")


def test_sections_in_order(page: Page) -> None:
    assert [text for tag, text in page.headings if tag == "h2"] == [t for _, t in SECTIONS]
    assert page.section_ids == [key for key, _ in SECTIONS]


def test_headings_do_not_skip_levels(page: Page) -> None:
    levels = [int(tag[1]) for tag, _ in page.headings]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in pairwise(levels))


def test_tables_are_accessible(page: Page) -> None:
    assert len(page.tables) >= 10
    for table in page.tables:
        assert table.th and table.caption
        assert all(th.get("scope") in ("col", "row") for th in table.th)


def test_self_contained(transit_html: str, page: Page) -> None:
    assert not page.find("script")
    assert not page.find("link") and not page.find("img") and not page.find("iframe")
    for tag, attrs in page.tags:
        for name in RESOURCE_ATTRS:
            value = attrs.get(name)
            if value is None:
                continue
            if tag == "a" and name == "href":  # a link the reader may follow, loads nothing
                assert value.startswith(("#", "https://", "http://")), value
            else:
                assert not EXTERNAL.match(value), (tag, name, value)
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert "url(" not in (attrs.get("style") or "")
    css = "".join(page.styles)
    assert "@import" not in css and "url(" not in css
    assert "@font-face" not in css
    assert "javascript:" not in transit_html.lower()


def test_internal_links_resolve(page: Page) -> None:
    ids = {a.get("id") for _, a in page.tags if a.get("id")}
    targets = [a["href"][1:] for a in page.find("a") if (a.get("href") or "").startswith("#")]
    assert targets and all(t in ids for t in targets)
    assert len(ids) == len([a for _, a in page.tags if a.get("id")])  # ids are unique


def test_chart_and_print_styles(transit_html: str, page: Page) -> None:
    svg = page.find("svg")
    assert len(svg) == 1 and svg[0].get("role") == "img"
    assert len(page.find("rect")) >= 7
    css = "".join(page.styles)
    assert "@media print" in css
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    assert "break-before: page" in css


def test_status_is_written_not_only_coloured(page: Page, transit: Assessment) -> None:
    text = " ".join(page.text)
    for label in ("Gap", "Partly met", "Insufficient data", "Met", "Not applicable"):
        assert label in text
    assert "ILLUSTRATIVE" in text


def test_content_of_each_section(page: Page, transit: Assessment) -> None:
    text = " ".join(" ".join(page.text).split())
    assert "The strongest theme is" in text
    gap = next(f for f in transit.findings if f.status == "gap")
    assert " ".join(gap.recommendation.split())[:60] in text  # an action
    assert "Is immigration detention used only as a last resort" in text  # a profile question
    assert "Migration Law (illustrative), Art. 99, 2011-05-25" in text  # the country's evidence
    assert "The waiver for TRAFFIC-002 expired on 2024-12-31" in text
    assert "Third Coordination Meeting on International Migration" in text
    assert "met counting 1, partly met 0.5 and gap 0" in text


def test_hostile_text_is_escaped(hostile: Assessment) -> None:
    html = render_html([hostile])
    assert SCRIPT not in html and "<img" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = Page(html)
    assert not page.find("script") and not page.find("img")
    assert all(not any(k.startswith("on") for k in a) for _, a in page.tags)
    text = "".join(page.text)
    assert SCRIPT in text and IMG in text and "| pipes |" in text
    assert page.headings[0][1].startswith('Policy coherence gap report: =HYPERLINK("https')
    # the evidence URL holding markup is shown as text, never as a link
    hrefs = [a.get("href") or "" for a in page.find("a")]
    assert all(h.startswith("#") for h in hrefs)
    assert 'https://example.org/law?a=1&b="><script>alert(1)</script>' in text


def test_several_reports_share_one_h1(examples: dict[str, Assessment]) -> None:
    page = Page(render_html(list(examples.values())))
    assert [text for tag, text in page.headings if tag == "h1"] == ["Policy coherence gap reports"]
    assert [text for tag, text in page.headings if tag == "h2"] == [
        "Policy coherence gap report: Nepal",
        "Policy coherence gap report: Mexico",
        "Policy coherence gap report: United Arab Emirates",
    ]
    levels = [int(tag[1]) for tag, _ in page.headings]
    assert all(b - a <= 1 for a, b in pairwise(levels))
    assert len(page.find("svg")) == 3
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))


def test_template_dir_overrides_a_partial(tmp_path: Path, origin: Assessment) -> None:
    (tmp_path / "styles.css.j2").write_text("body { color: #123456; }\n", encoding="utf-8")
    html = render_html([origin], template_dir=tmp_path)
    assert "#123456" in html and "@media print" not in html


def test_template_dir_can_extend_the_packaged_template(tmp_path: Path, origin: Assessment) -> None:
    (tmp_path / "report.html.j2").write_text(
        '{% extends "coherence/report.html.j2" %}'
        "{% block footer %}<p>Prepared by {{ doc_title }} consultants</p>{% endblock %}",
        encoding="utf-8",
    )
    html = render_html([origin], template_dir=tmp_path)
    assert "Prepared by Policy coherence gap report: Nepal consultants" in html
    assert "@media print" in html


def test_consultant_templates_are_autoescaped(tmp_path: Path, hostile: Assessment) -> None:
    (tmp_path / "report.html.j2").write_text("<title>{{ doc_title }}</title>", encoding="utf-8")
    html = render_html([hostile], template_dir=tmp_path)
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_packaged_templates_exist() -> None:
    names = {p.name for p in TEMPLATES_DIR.iterdir()}
    assert {"report.html.j2", "report_body.html.j2", "finding.html.j2"} <= names
    assert {"chart.svg.j2", "styles.css.j2"} <= names


def test_deterministic(transit: Assessment, transit_html: str) -> None:
    assert render_html([transit]) == transit_html


def test_many_profiles_are_rendered_one_report_at_a_time(examples, cli, tmp_path) -> None:
    """`check` keeps each profile's assessment on disk and renders the HTML report by report
    as it writes it (issue 13 §5): the same bytes as the report made in memory."""
    from coherence.report.formats import FORMATS, GapOptions
    from coherence.report.formats.html import gap_document, render_html

    assert next(f for f in FORMATS if f.name == "html").pieces
    several = list(examples.values())
    assert "".join(gap_document(several, GapOptions())) == render_html(several)
    _, outs = folder_reports(cli, tmp_path, ".html")
    assert outs[0] == outs[1]
    assert outs[0].count(b'id="r1-report"') == outs[0].count(b'id="r2-report"') == 1


@pytest.mark.parametrize("count", [1, 3])
def test_each_report_is_built_once(examples, monkeypatch, count: int) -> None:
    """The table of contents reads each report's header alone: the report is built whole
    once, for its body, not once more for the contents (nor for the title of one report)."""
    import coherence.report.formats.html as html

    built: list[str] = []
    real = html.build_report
    monkeypatch.setattr(
        html, "build_report", lambda a, anchor="": built.append(anchor) or real(a, anchor)
    )
    several = list(examples.values())[:count]
    page = Page(render_html(several))
    assert built == (["r1", "r2", "r3"] if count > 1 else [""])
    assert len(page.find("svg")) == count
    if count > 1:
        toc = [a["href"] for _, a in page.tags if a.get("href", "").endswith("-report")]
        assert toc == ["#r1-report", "#r2-report", "#r3-report"]


def test_a_template_may_read_the_whole_report_in_its_contents(tmp_path: Path, examples) -> None:
    """A consultant's contents that read more than the header get the report, built then."""
    (tmp_path / "report.html.j2").write_text(
        '{% extends "coherence/report.html.j2" %}{% block doc_header %}'
        "{% for report, chart in items %}<p>{{ report.header.country_code }} "
        "{{ report.summary.overall.score_text }} {{ chart.bars | length }}</p>{% endfor %}"
        "{% endblock %}",
        encoding="utf-8",
    )
    several = list(examples.values())
    html = render_html(several, template_dir=tmp_path)
    from coherence.report.views.gap import build_report

    for a in several:
        report = build_report(a)
        want = f"<p>{report.header.country_code} {report.summary.overall.score_text} "
        assert want + f"{len(report.summary.score_rows)}</p>" in html
    assert html.count("<svg") == 3
