"""The Markdown report, parsed back with a real CommonMark parser."""

from __future__ import annotations

from itertools import pairwise

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from coherence.findings import Assessment
from coherence.report.formats.markdown.base import md_escape
from coherence.report.formats.markdown.gap import render_markdown
from coherence.report.views.gap import SECTIONS
from tests.report.conftest import folder_reports

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def _headings(tokens: list[Token]) -> list[tuple[str, str]]:
    """(tag, text) of every heading."""
    out = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            out.append((tok.tag, tokens[i + 1].content))
    return out


def _inline_text(tokens: list[Token]) -> str:
    """The text a reader sees, with Markdown escapes and entities resolved."""
    parts = []
    for tok in tokens:
        for child in tok.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def transit_md(transit: Assessment) -> str:
    return render_markdown([transit])


def test_structure(transit_md: str) -> None:
    tokens = _parser().parse(transit_md)
    heads = _headings(tokens)
    assert [t for t, _ in heads].count("h1") == 1
    assert heads[0] == ("h1", "Policy coherence gap report: Mexico")
    assert [text for tag, text in heads if tag == "h2"] == [title for _, title in SECTIONS]
    levels = [int(tag[1]) for tag, _ in heads]
    assert max(levels) <= 4
    assert all(b - a <= 1 for a, b in pairwise(levels))


def test_tables_have_header_rows(transit_md: str) -> None:
    tokens = _parser().parse(transit_md)
    tables = [i for i, t in enumerate(tokens) if t.type == "table_open"]
    assert len(tables) >= 8
    for start in tables:
        assert tokens[start + 1].type == "thead_open"
        assert tokens[start + 3].type == "th_open"


def test_sections_in_order_with_their_content(transit_md: str, transit: Assessment) -> None:
    positions = [transit_md.index(f"\n## {title}\n") for _, title in SECTIONS]
    assert positions == sorted(positions)
    assert "> **ILLUSTRATIVE**" in transit_md
    assert f"| Catalogue version | {transit.catalogue_version} |" in transit_md
    assert "The waiver for TRAFFIC-002 expired on 2024-12-31" in transit_md
    assert "Third Coordination Meeting on International Migration" in transit_md


def test_quotes_are_blockquotes(transit_md: str) -> None:
    tokens = _parser().parse(transit_md)
    assert sum(t.type == "blockquote_open" for t in tokens) > 50


def test_no_raw_html(examples: dict[str, Assessment]) -> None:
    for assessment in examples.values():
        tokens = _parser().parse(render_markdown([assessment]))
        kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
        assert not kinds & {"html_block", "html_inline"}


def test_hostile_text_is_escaped(hostile: Assessment) -> None:
    md = render_markdown([hostile])
    assert SCRIPT not in md and "<img" not in md
    parser = _parser()
    tokens = parser.parse(md)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    assert not kinds & {"html_block", "html_inline", "link_open", "image"}
    html = parser.render(md)
    assert "<script" not in html and "<img" not in html
    text = _inline_text(tokens)
    assert SCRIPT in text and IMG in text and "| pipes |" in text
    assert "*stars* [link](javascript:alert(1))" in text
    heads = _headings(tokens)
    assert [t for t, _ in heads].count("h1") == 1
    assert heads[0][1].startswith('Policy coherence gap report: =HYPERLINK("https')


def test_pipes_stay_inside_their_table_cell(hostile: Assessment) -> None:
    tokens = _parser().parse(render_markdown([hostile]))
    # Each row of a table has as many cells as its header.
    width = None
    for i, tok in enumerate(tokens):
        if tok.type == "thead_open":
            width = None
        if tok.type == "tr_open":
            j, cells = i + 1, 0
            while tokens[j].type != "tr_close":
                cells += tokens[j].type in ("th_open", "td_open")
                j += 1
            if width is None:
                width = cells
            assert cells == width
    cells = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "td_open" and "pipes" in tokens[i + 1].content
    ]
    assert cells  # the header table and the waiver table hold hostile text
    country = next(
        tokens[i + 4].content
        for i, t in enumerate(tokens)
        if t.type == "td_open" and tokens[i + 1].content == "Country"
    )
    # the table extension unescapes `\|` in the cell's source; the inline text keeps it
    assert country.endswith("| pipes | (ATA)")
    rendered = _parser().render(render_markdown([hostile]))
    assert "| pipes | (ATA)</td>" in rendered


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a | b", "a \\| b"),
        ("line\nbreak", "line break"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("snake_case stays", "snake_case stays"),
        ("_emphasis_", "\\_emphasis\\_"),
        ("[x](y) `c` $m$ @cite", "\\[x\\](y) \\`c\\` \\$m\\$ \\@cite"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_several_reports(examples: dict[str, Assessment]) -> None:
    md = render_markdown(list(examples.values()))
    heads = _headings(_parser().parse(md))
    assert [text for tag, text in heads if tag == "h1"] == [
        "Policy coherence gap report: Nepal",
        "Policy coherence gap report: Mexico",
        "Policy coherence gap report: United Arab Emirates",
    ]


def test_deterministic(transit: Assessment, transit_md: str) -> None:
    assert render_markdown([transit]) == transit_md
    assert transit_md.endswith("\n") and not transit_md.endswith("\n\n")


def test_a_report_of_many_profiles_is_streamed_profile_by_profile(
    examples: dict[str, Assessment], cli, tmp_path
) -> None:
    """`check` keeps each profile's Markdown on disk, not its assessment (issue 13 §5): the
    document put together from the pieces is the in-memory one, byte for byte."""
    from coherence.report.formats import FORMATS
    from coherence.report.formats.markdown.gap import markdown_document, markdown_piece

    assert next(f for f in FORMATS if f.name == "markdown").pieces
    several = list(examples.values())
    pieces = [markdown_piece(a) for a in several]
    assert "".join(markdown_document(pieces)) == render_markdown(several)
    assert "".join(markdown_document(pieces[:1])) == render_markdown(several[:1])
    assert "".join(markdown_document([])) == render_markdown([]) == "\n"
    # Through the CLI: a folder, in this process and in two workers, as each file alone.
    folder, raw = folder_reports(cli, tmp_path, ".md")
    outs = [r.decode("utf-8") for r in raw]
    alone = []
    for name in ("example-origin.yaml", "example-transit.yaml"):
        out = tmp_path / f"{name}.md"
        assert cli("check", folder / name, "-o", out).returncode in (0, 1)
        alone.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1]
    assert outs[0].startswith(alone[0].rstrip("\n")) and outs[0].endswith(alone[1])
