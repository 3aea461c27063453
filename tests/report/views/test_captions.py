"""Captions and empty-state sentences are view data (issue 13 §1): written once in
`coherence.report.views.captions`, laid out by Markdown and HTML alike, restated by none."""

from __future__ import annotations

import html
from dataclasses import fields
from pathlib import Path

import coherence.report
from coherence.report.formats.html import render_html
from coherence.report.formats.markdown import render_markdown
from coherence.report.views.captions import CAPTIONS

REPORT = Path(coherence.report.__file__).parent
SENTENCES = [getattr(CAPTIONS, f.name) for f in fields(CAPTIONS)]


def test_no_format_or_template_restates_a_caption() -> None:
    sources = [*REPORT.glob("templates/*.j2"), *REPORT.glob("formats/**/*.py")]
    assert len(sources) > 10
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for sentence in SENTENCES:
            assert sentence not in text, (path.name, sentence)
        assert "in the profile to decide the rules" not in text, path.name


def test_markdown_and_html_say_the_same(origin) -> None:
    md = render_markdown([origin])
    page = html.unescape(render_html([origin]))
    # the origin example has actions, quotes sources and waives no rule (tests/report/conftest)
    for sentence in [CAPTIONS.actions_intro, CAPTIONS.sources_intro, CAPTIONS.no_waivers]:
        assert sentence in md, sentence
        assert sentence in page, sentence


def test_counted_captions() -> None:
    assert CAPTIONS.data_gaps_intro(1).startswith("Answer these 1 question in the profile")
    assert CAPTIONS.data_gaps_intro(3).startswith("Answer these 3 questions in the profile")
    assert CAPTIONS.not_applicable_caption(4) == "Not applicable to this profile (4)"
