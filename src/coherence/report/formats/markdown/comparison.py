"""The comparison as Markdown."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from coherence.report.formats.markdown.base import code_span, md_escape, pipe_lines
from coherence.report.views.captions import CAPTIONS
from coherence.report.views.comparison import (
    COMPARE_TITLES,
    METHOD_TEXT,
    Comparison,
    class_legend_text,
    domain_cell_text,
    domain_legend_text,
)
from coherence.report.views.comparison_parts import CHANGE_MARKS
from coherence.report.views.scores import DOMAIN_VIEW_TITLE, OVERALL_NOTE


def _md_profiles(c: Comparison) -> Iterable[str]:
    out = [f"## {COMPARE_TITLES['profiles']}", ""]
    return chain(
        out,
        pipe_lines(
            ("Profile", "Country", "As of", "Roles", "Review status", "File"),
            (
                (
                    md_escape(e.label),
                    md_escape(e.country_name),
                    e.as_of,
                    md_escape(", ".join(e.roles)),
                    md_escape(e.review_status),
                    code_span(e.profile_path),
                )
                for e in c.entries
            ),
        ),
    )


def _md_scores(c: Comparison) -> Iterable[str]:
    out = [f"## {COMPARE_TITLES['scores']}", ""]
    out += [
        "Score out of 100 of every theme, overall and consistency across themes, each with "
        "its coverage (the share of applicable rules that could be decided) and its band. "
        + OVERALL_NOTE,
        "",
    ]
    header = ("Profile", *(md_escape(name) for _, name in c.themes))
    rows = (
        (
            f"**{md_escape(r.entry.label)}**",
            *(
                f"**{md_escape(cell.short)}**" if key == "overall" else md_escape(cell.short)
                for key, cell in zip(r.keys, r.cells, strict=True)
            ),
        )
        for r in c.theme_rows
    )
    return chain(out, pipe_lines(header, rows), [md_escape(class_legend_text(c)), ""])


def _md_domains(c: Comparison) -> Iterable[str]:
    out = [f"## {COMPARE_TITLES['domains']}", ""]
    out += [
        md_escape(DOMAIN_VIEW_TITLE) + ": the value (0–100), coverage and class of each domain.",
        "",
    ]
    header = ("Profile", *(f"{code} {md_escape(name)}" for code, name in c.domains))
    rows = (
        (
            f"**{md_escape(r.entry.label)}**",
            *(md_escape(domain_cell_text(d)) for d in r.domains),
        )
        for r in c.theme_rows
    )
    return chain(out, pipe_lines(header, rows), [md_escape(domain_legend_text(c)), ""])


def _md_trends(c: Comparison) -> Iterable[str]:
    out = [f"## {COMPARE_TITLES['trends']}", ""]
    if not c.trends:
        return [*out, CAPTIONS.no_series, ""]
    out += [
        "Each country with profiles of several dates: score of its first and last profile "
        "and the change, in points; rules whose status improved or regressed in between.",
        "",
    ]
    header = (
        "Country",
        "From",
        "To",
        *(md_escape(name) for _, name in c.themes),
        "Rules improved",
        "Rules regressed",
    )
    rows = (
        (
            f"**{md_escape(t.country_name)} ({md_escape(t.country_code)})**",
            t.first.as_of,
            t.last.as_of,
            *(cell.text for cell in t.cells),
            str(t.improved),
            str(t.regressed),
        )
        for t in c.trends
    )
    return chain(out, pipe_lines(header, rows))


def _md_counts(c: Comparison) -> Iterable[str]:
    out = [f"## {COMPARE_TITLES['counts']}", ""]
    header = ("Profile", *(label for _, label in c.count_columns))
    rows = ((md_escape(r.entry.label), *(str(n) for _, _, n in r.counts)) for r in c.theme_rows)
    return chain(out, pipe_lines(header, rows))


def _md_rules(c: Comparison) -> Iterator[Iterable[str]]:
    """The rules section, theme by theme: with thousands of profiles each table is long."""
    yield [
        f"## {COMPARE_TITLES['rules']}",
        "",
        f"The status of each of the {c.rule_count} rules for each profile. "
        + " ".join(f"{sym} {md_escape(text)}." for sym, text in CHANGE_MARKS.values()),
        "",
    ]
    header = ("Rule", "Severity", *(md_escape(e.label) for e in c.entries))
    for g in c.rule_groups:
        table = pipe_lines(
            header,
            (
                (
                    f"{md_escape(r.rule_id)} {md_escape(r.title)}",
                    r.severity_label,
                    *((f"{x.label} {x.mark}" if x.mark else x.label) for x in r.cells),
                )
                for r in g.rows
            ),
        )
        yield chain([f"### {md_escape(g.name)}", ""], table)


def _md_parts(c: Comparison) -> Iterator[Iterable[str]]:
    """The document's lines, section by section (each made as it is read)."""
    head = [f"# {md_escape(c.title)}", ""]
    if c.illustrative_text:
        head += [f"> **ILLUSTRATIVE** — {md_escape(c.illustrative_text)}", ""]
    yield head
    yield _md_profiles(c)
    yield [f"## {COMPARE_TITLES['summary']}", "", " ".join(md_escape(s) for s in c.sentences), ""]
    yield _md_scores(c)
    yield _md_domains(c)
    yield _md_trends(c)
    yield _md_counts(c)
    yield from _md_rules(c)
    method = [f"## {COMPARE_TITLES['method']}", ""]
    for p in METHOD_TEXT:
        method += [md_escape(p), ""]
    while method and not method[-1]:
        method.pop()
    yield method


CHUNK_CHARS = 1 << 16
"""About the text handed on at a time (a row of the rule matrix of 10,000 profiles, about
100 KB, is handed on alone)."""


def comparison_chunks(c: Comparison) -> Iterator[str]:
    """`render_compare_markdown`, section by section and at most about `CHUNK_CHARS` at a
    time, each line made as it is read, so that the document of thousands of profiles is
    never held whole."""
    # Every line ended by a newline: the lines of the whole document joined by newlines and
    # ended by one, as one string would be.
    for part in _md_parts(c):  # a section (a theme's rules) at a time, or less
        batch: list[str] = []
        size = 0
        for line in part:
            batch.append(line)
            size += len(line) + 1
            if size >= CHUNK_CHARS:
                yield "\n".join(batch) + "\n"
                batch, size = [], 0
        if batch:
            yield "\n".join(batch) + "\n"


def render_compare_markdown(c: Comparison) -> str:
    """The comparison as one Markdown document (level-1 title, level-2 sections)."""
    return "".join(comparison_chunks(c))
