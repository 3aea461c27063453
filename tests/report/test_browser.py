"""The HTML reports in a real browser: Playwright driving Debian's Chromium.

Each page must load with no console error, no page error and no request other than the
file itself; its summary and theme sections must be there; a full-page screenshot is taken.
The hostile profile's `<script>` payloads must show as text and never run.

Without /usr/bin/chromium or the `playwright` package the tests are skipped, unless
COHERENCE_REQUIRE_BROWSER=1, when they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from coherence.findings import Assessment
from coherence.report.formats.html import render_compare_html, render_html
from coherence.report.views.comparison import COMPARE_SECTIONS, build_comparison
from coherence.report.views.gap import SECTIONS, build_reports
from coherence.report.vocabulary import THEME_ORDER
from coherence.themes import THEME_NAMES
from tests.report.conftest import EXAMPLES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
THEMES = [THEME_NAMES[t] for t in THEME_ORDER]


def _unavailable(reason: str) -> None:
    if os.environ.get("COHERENCE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and COHERENCE_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(f"{reason}: browser tests skipped (set COHERENCE_REQUIRE_BROWSER=1 to fail)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, headless, launched once for the module."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Visit:
    """What happened while a page was open."""

    page: Any
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def headings(self, selector: str) -> list[str]:
        """The text of the headings matching `selector`, whitespace collapsed."""
        return self.page.eval_on_selector_all(
            selector, "els => els.map(e => e.textContent.replace(/\\s+/g, ' ').trim())"
        )


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    """Open a file in a fresh browser context, recording errors, requests and dialogs."""
    contexts = []

    def open_file(path: Path) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page, path.resolve().as_uri())
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        page.on("request", lambda r: seen.requests.append(r.url))

        def on_dialog(dialog: Any) -> None:
            seen.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        # Never reach the network, whatever the page asks for (it is still recorded).
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        page.goto(seen.url, wait_until="load")
        page.wait_for_timeout(200)  # let anything deferred fire
        return seen

    yield open_file
    for context in contexts:
        context.close()


def _assert_clean(seen: Visit) -> None:
    assert seen.errors == [], seen.errors
    assert seen.requests == [seen.url], seen.requests
    assert seen.dialogs == [], seen.dialogs


def _assert_screenshot(seen: Visit, target: Path) -> None:
    # A full-page capture of a tall report (about 135,000 px) takes tens of seconds on a busy
    # 2-core runner, most of it encoding a 20 MB PNG. The capture Playwright makes for
    # `page.screenshot(full_page=True)` (Page.captureScreenshot beyond the viewport, clipped
    # to the page's CSS content size), asked through CDP with Chromium's faster PNG encoding:
    # the same full page, about a third less time.
    import base64

    cdp = seen.page.context.new_cdp_session(seen.page)
    try:
        size = cdp.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = cdp.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "optimizeForSpeed": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": size["height"],
                    "scale": 1,
                },
            },
        )
    finally:
        cdp.detach()
    assert size["height"] > 900, f"the page is only {size['height']} px tall"
    target.write_bytes(base64.b64decode(shot["data"]))
    data = target.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    height = int.from_bytes(data[20:24], "big")  # the IHDR chunk: the whole page was captured
    assert abs(height - size["height"]) <= 1, (height, size["height"])
    assert len(data) > 10 * 1024, f"{target.name} is only {len(data)} bytes"


def _assert_report_sections(seen: Visit, assessment: Assessment) -> None:
    assert seen.headings("h1") == [
        f"Policy coherence gap report: {assessment.profile.country_name}"
    ]
    assert seen.headings("h2") == [title for _, title in SECTIONS]
    assert seen.page.locator("section#summary table.scores").count() == 1
    themes = seen.headings("section#findings section.theme > h3")
    assert themes[: len(THEMES)] == THEMES


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_report_in_the_browser(
    name: str, examples: dict[str, Assessment], visit: Any, tmp_path: Path
) -> None:
    html = tmp_path / f"{Path(name).stem}.html"
    html.write_text(render_html([examples[name]]), encoding="utf-8")
    seen = visit(html)
    _assert_clean(seen)
    _assert_report_sections(seen, examples[name])
    _assert_screenshot(seen, tmp_path / f"{Path(name).stem}.png")


def test_hostile_report_shows_scripts_as_text(
    hostile: Assessment, visit: Any, tmp_path: Path
) -> None:
    html = tmp_path / "hostile.html"
    html.write_text(render_html([hostile]), encoding="utf-8")
    seen = visit(html)
    _assert_clean(seen)
    page = seen.page
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('[onerror], [onload], [onclick]').length") == 0
    visible = page.inner_text("body")
    assert "<script>" in visible
    assert "<script>alert(1)</script>" in visible
    assert seen.dialogs == []
    _assert_report_sections(seen, hostile)
    _assert_screenshot(seen, tmp_path / "hostile.png")


def test_compare_report_in_the_browser(
    examples: dict[str, Assessment], hostile: Assessment, visit: Any, tmp_path: Path
) -> None:
    from coherence.api import assess
    from coherence.rules.catalog import load_catalogue
    from tests.conftest import PROFILES
    from tests.report.conftest import TODAY

    earlier = assess(PROFILES / "example-transit-2024.yaml", load_catalogue(), today=TODAY)
    comparison = build_comparison([*examples.values(), earlier, hostile])
    html = tmp_path / "compare.html"
    html.write_text(render_compare_html(comparison), encoding="utf-8")
    seen = visit(html)
    _assert_clean(seen)
    page = seen.page
    assert seen.headings("h2") == [title for _, title in COMPARE_SECTIONS]
    assert seen.headings("#compare-rules h3") == THEMES
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    assert "<script>" in page.inner_text("body")
    # The heat map: every score cell states its value, coverage and band (or that it is not
    # classified), not only a colour.
    cells = page.eval_on_selector_all(
        "table.scores-matrix td.heat", "els => els.map(e => e.innerText.trim())"
    )
    assert cells and all("coverage" in c and ("band" in c or "not classified" in c) for c in cells)
    # The time series: MEX 2024 comes before MEX 2025 in the rule matrix columns.
    columns = seen.headings("#compare-rules-rights thead th")
    assert columns.index("MEX 2024-06-30") < columns.index("MEX 2025-11-30")
    # The status and class colours differ, so the legend matters.
    colours = page.eval_on_selector_all(
        "#compare-scores .legend .swatch",
        "els => els.map(e => getComputedStyle(e).backgroundColor)",
    )
    assert len(set(colours)) == len(colours) == 5
    _assert_screenshot(seen, tmp_path / "compare.png")


# --- the printed report ----------------------------------------------------------------------

MAX_PRINTED_PAGES = 30
"""Issue #13: the destination example must print to at most this many A4 pages."""

A4_TEXT_WIDTH_PX = round((210 - 2 * 12) / 25.4 * 96)
"""The width of an A4 page within the margins of `@page` in styles.css.j2 (12 mm each side),
in CSS pixels: laid out at this width, the printed page holds what fits in the viewport."""


def _print_pdf(seen: Visit) -> bytes:
    from tests.report.pdf_support import page_count

    pdf = seen.page.pdf(format="A4")
    assert page_count(pdf) > 0
    return pdf


def test_destination_example_prints_to_at_most_30_pages(
    destination: Assessment, visit: Any, tmp_path: Path
) -> None:
    from tests.report.pdf_support import page_count

    short = tmp_path / "destination.html"
    short.write_text(render_html([destination]), encoding="utf-8")
    pages = page_count(_print_pdf(visit(short)))
    assert 8 <= pages <= MAX_PRINTED_PAGES, f"{pages} A4 pages"
    # The appendix prints every rule in full: many more pages, so the cuts are real and the
    # count is of printed pages (the screen shows the same content either way).
    full = tmp_path / "destination-appendix.html"
    full.write_text(render_html([destination], appendix=True), encoding="utf-8")
    seen = visit(full)
    _assert_clean(seen)
    assert seen.page.locator("#appendix").is_hidden()  # on screen it would repeat the findings
    assert page_count(_print_pdf(seen)) > 3 * pages


def test_print_keeps_decided_findings_and_tables_and_screen_keeps_everything(
    destination: Assessment, visit: Any, tmp_path: Path
) -> None:
    html = tmp_path / "destination.html"
    html.write_text(render_html([destination]), encoding="utf-8")
    seen = visit(html)
    page = seen.page
    count = "sel => document.querySelectorAll(sel).length"
    visible = (
        "sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length).length"
    )
    findings = list(destination.findings)
    applicable = [f for f in findings if f.status != "not_applicable"]
    decided = [f for f in applicable if f.status in ("gap", "partial", "waived")]
    # On screen: every applicable finding in full, with its quotations; no print-only table.
    assert page.evaluate(visible, "article.finding") == len(applicable)
    assert page.evaluate(visible, ".finding .citations") == page.evaluate(count, ".citations")
    assert page.evaluate(visible, ".print-only") == 0
    assert page.evaluate(visible, "table.not-applicable") > 0
    # In print: the decided findings not already printed under the contradictions, without
    # their quotations; the others as compact tables.
    page.emulate_media(media="print")
    contradictions = page.evaluate(count, "#contradictions article.contradiction")
    assert contradictions > 0
    assert page.evaluate(visible, "article.finding") == len(decided) - contradictions
    assert page.evaluate(visible, "article.finding.undecided") == 0
    assert page.evaluate(visible, ".finding .citations, .quote") == 0
    assert page.evaluate(visible, "table.undecided") > 0
    assert page.evaluate(visible, "table.settled") > 0
    assert page.evaluate(visible, "table.not-applicable") == 0
    undecided_rows = page.eval_on_selector_all(
        "table.undecided tbody th", "els => els.map(e => e.textContent.trim().split(/\\s+/)[0])"
    )
    assert sorted(undecided_rows) == sorted(
        f.rule_id for f in applicable if f.status == "insufficient_data"
    )
    settled_rows = page.eval_on_selector_all(
        "table.settled tbody th", "els => els.map(e => e.textContent)"
    )
    assert sorted(settled_rows) == sorted(
        f.rule_id for f in findings if f.status in ("met", "not_applicable")
    )


def test_action_plan_keeps_every_column_within_the_printed_page(
    destination: Assessment, browser: Any, tmp_path: Path
) -> None:
    html = tmp_path / "destination.html"
    html.write_text(render_html([destination]), encoding="utf-8")
    context = browser.new_context(viewport={"width": A4_TEXT_WIDTH_PX, "height": 1000})
    try:
        page = context.new_page()
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        headers = page.eval_on_selector_all(
            "table.actions thead th",
            "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().left,"
            " e.getBoundingClientRect().right])",
        )
        assert [h[0] for h in headers] == [
            "#", "Severity", "Status", "Rule", "Recommendation", "Responsible", "Sources"
        ]  # fmt: skip
        for name, left, right in headers:
            assert 0 <= left < right <= A4_TEXT_WIDTH_PX + 0.5, (name, left, right)
        sources = page.locator("table.actions tbody tr td:last-child")
        assert sources.count() == len(build_reports([destination])[0].actions) > 0
        right_edges = page.eval_on_selector_all(
            "table.actions tbody td:last-child, table.actions tbody td:nth-child(5)",
            "els => els.map(e => e.getBoundingClientRect().right)",
        )
        assert max(right_edges) <= A4_TEXT_WIDTH_PX + 0.5
        assert page.evaluate(
            "() => { const t = document.querySelector('table.actions');"
            " return t.scrollWidth <= t.clientWidth + 1 }"
        )
        # Dense: the 45 actions take at most 7 pages' worth of height.
        height = page.locator("table.actions").bounding_box()["height"]
        assert height < 7 * 1000, height
    finally:
        context.close()
