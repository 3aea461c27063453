"""The gap report as Markdown (GitHub-flavoured; also reads well through pandoc).

Only pipe tables with header rows, ATX headings (`#` to `####`), lists and blockquotes are
used: no raw HTML. Every text that comes from a profile (or from a rule pack) goes through
`md_escape`, so it can break neither a table nor the document, and cannot inject HTML.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from coherence.findings import Assessment
from coherence.report.formats.markdown.base import (
    code_span,
    heading_lines,
    md_escape,
    md_escape_shared,
    pipe_table,
)
from coherence.report.formats.pieces import pack, unpack
from coherence.report.views.captions import CAPTIONS
from coherence.report.views.findings import FindingView, ThemeSection
from coherence.report.views.gap import (
    CONTRADICTIONS_INTRO,
    NO_CONTRADICTIONS,
    SECTION_TITLES,
    Report,
    build_report,
)
from coherence.report.views.scores import DOMAIN_VIEW_TITLE, ScoreRow
from coherence.report.vocabulary import plural


def _header(r: Report) -> list[str]:
    h = r.header
    out = heading_lines(1, md_escape(h.title))
    if h.illustrative:
        out += [f"> **ILLUSTRATIVE** — {md_escape(h.illustrative_text)}", ""]
    out += pipe_table(("Item", "Detail"), ((md_escape(k), md_escape(v)) for k, v in h.fields()))
    return out


def _summary(r: Report) -> list[str]:
    s = r.summary
    out = heading_lines(2, SECTION_TITLES["summary"])
    out += [" ".join(md_escape(x) for x in s.sentences), ""]

    def row(name: str, x: ScoreRow) -> tuple[str, ...]:
        return (name, x.score_text, x.coverage_text, md_escape(x.band_text))

    rows = [row(md_escape(t.name), t) for t in s.themes]
    rows.append(row("**Overall**", s.overall))
    if s.consistency is not None:
        rows.append(row(md_escape(s.consistency.name), s.consistency))
    out += ["**Scores by theme**", ""]
    out += pipe_table(("Theme", "Score (0–100)", "Coverage", "Band"), rows)
    out += [md_escape(s.overall_note), ""]
    out += ["**Findings by status**", ""]
    out += pipe_table(("Status", "Findings"), ((c.label, str(c.count)) for c in s.counts))
    out += [f"**{md_escape(DOMAIN_VIEW_TITLE)}**", ""]
    out += pipe_table(
        ("Domain", "Value (0–100)", "Coverage", "Class on the SDG 10.7.2 scale", "Rules"),
        (
            (
                f"{d.code} {md_escape(d.name)}",
                d.value_text,
                d.coverage_text,
                md_escape(d.class_text),
                str(d.rules),
            )
            for d in s.domains
        ),
    )
    out += [md_escape(s.domain_note), ""]
    return out


def _actions(r: Report) -> list[str]:
    out = heading_lines(2, SECTION_TITLES["action-plan"])
    if not r.actions:
        return [*out, CAPTIONS.no_actions, ""]
    out += [CAPTIONS.actions_intro, ""]
    rows = (
        (
            str(a.rank),
            a.severity_label,
            a.status_label,
            f"{md_escape(a.rule_id)} {md_escape(a.title)} ({md_escape(a.theme_name)})",
            md_escape(a.recommendation),
            md_escape(a.responsible_area) or "—",
            str(a.sources),
        )
        for a in r.actions
    )
    header = ("#", "Severity", "Status", "Rule", "Recommendation", "Responsible", "Sources")
    return out + pipe_table(header, rows)


def _contradictions(r: Report) -> list[str]:
    out = heading_lines(2, SECTION_TITLES["contradictions"])
    if not r.contradictions:
        return [*out, NO_CONTRADICTIONS, ""]
    out += [md_escape(CONTRADICTIONS_INTRO), ""]
    for c in r.contradictions:
        out += heading_lines(3, f"{md_escape(c.rule_id)}: {md_escape_shared(c.title)}")
        out += [f"**{c.status_label}** · Severity: {c.severity_label}", ""]
        for side in c.sides:
            out.append(f"- **{md_escape(side.label)}:**")
            for a in side.answers:
                where = f", line {a.line}" if a.line else ""
                said = f"**{md_escape(a.value)}**"
                out.append(f"  - {md_escape_shared(a.label)} ({code_span(a.path)}{where}): {said}")
        rec = f"**Recommendation:** {md_escape_shared(c.recommendation)}"
        if c.responsible_area:
            rec += f" *Responsible: {md_escape_shared(c.responsible_area)}.*"
        out += ["", rec, ""]
    return out


def _finding(f: FindingView) -> list[str]:
    out = heading_lines(4, f"{md_escape(f.rule_id)}: {md_escape_shared(f.title)}")
    meta = [
        f"**Status: {f.status_label}**",
        f"Severity: {f.severity_label}",
        f"SDG 10.7.2 domain: {md_escape(f.sdg_domain)}",
    ]
    if f.location_line:
        meta.append(f"Profile line {f.location_line}")
    out += [" · ".join(meta), "", md_escape_shared(f.reason), ""]
    if f.missing:
        out += ["**Missing answers:** " + ", ".join(code_span(m) for m in f.missing), ""]
    if f.waiver:
        w = f.waiver
        out += [
            f"**Waiver:** {md_escape(w.justification)} Approved by {md_escape(w.approved_by)}; "
            f"expires {w.expires}; status without the waiver: {w.underlying_label}.",
            "",
        ]
    out += ["**What the profile says**", ""]
    for e in f.profile:
        where = f", line {e.line}" if e.line else ""
        label = md_escape_shared(e.label)
        out.append(f"- {label} ({code_span(e.path)}{where}): **{md_escape(e.value)}**")
        if e.note:
            out.append(f"  - Note: {md_escape(e.note)}")
        for ev in e.evidence:
            url = f"<{ev.link}>" if ev.link else md_escape(ev.url)
            text = ", ".join(x for x in (md_escape(ev.text), url) if x)
            out.append(f"  - Evidence: {text}")
    if not f.profile:
        out.append("- The decision read no answer of the profile.")
    out.append("")
    for heading, citations in f.citation_sections:
        out += [f"**{heading}**", ""]
        for c in citations:
            if c.asks:
                out += [f"*{c.asks}:*", ""]
            out += [
                f"> “{md_escape_shared(c.quote)}”",
                ">",
                f"> — *{md_escape_shared(c.title)}*, {md_escape_shared(c.section)}, {c.lines_text} "
                f"({md_escape(c.source)})",
                "",
            ]
    if f.references:
        out += ["**Instruments referred to:**", ""]
        out += [f"- {md_escape_shared(ref)}" for ref in f.references]
        out.append("")
    rec = f"**Recommendation:** {md_escape_shared(f.recommendation)}"
    if f.responsible_area:
        rec += f" *Responsible: {md_escape_shared(f.responsible_area)}.*"
    return [*out, rec, ""]


def _theme(t: ThemeSection) -> list[str]:
    out = heading_lines(3, md_escape(t.name))
    if t.score is not None:
        s = t.score
        lead = f"**{md_escape(s.name)}:** " if s.name != t.name else ""
        out += [lead + md_escape(s.sentence), ""]
        if not s.classified and s.questions:
            out += ["Questions to answer: " + ", ".join(code_span(q) for q in s.questions), ""]
    for f in t.findings:
        out += _finding(f)
    if t.not_applicable:
        out += [f"**{CAPTIONS.not_applicable_caption(len(t.not_applicable))}**", ""]
        out += pipe_table(
            ("Rule", "Title", "Why"),
            (
                (md_escape(f.rule_id), md_escape_shared(f.title), md_escape_shared(f.reason))
                for f in t.not_applicable
            ),
        )
    if not t.findings and not t.not_applicable:
        out += [CAPTIONS.no_theme_rules, ""]
    return out


def _data_gaps(r: Report) -> list[str]:
    out = heading_lines(2, SECTION_TITLES["data-gaps"])
    if not r.data_gaps:
        return [*out, CAPTIONS.no_data_gaps, ""]
    out += [CAPTIONS.data_gaps_intro(r.data_gap_count), ""]
    for g in r.data_gaps:
        out += heading_lines(3, md_escape(g.name))
        out += pipe_table(
            ("Question", "Possible answers", "Profile field", "Line", "Rules"),
            (
                (
                    md_escape(q.question),
                    md_escape(q.answers) or "—",
                    code_span(q.path),
                    str(q.line) if q.line else "—",
                    ", ".join(md_escape(x) for x in q.rules),
                )
                for q in g.questions
            ),
        )
    return out


def _waivers(r: Report) -> list[str]:
    out = heading_lines(2, SECTION_TITLES["waivers"])
    out += heading_lines(3, "Waived rules")
    if r.waivers:
        out += pipe_table(
            ("Rule", "Justification", "Approved by", "Expires", "Status without waiver"),
            (
                (
                    f"{md_escape(w.rule_id)} {md_escape(w.title)}",
                    md_escape(w.justification),
                    md_escape(w.approved_by),
                    w.expires,
                    w.underlying_label,
                )
                for w in r.waivers
            ),
        )
    else:
        out += [CAPTIONS.no_waivers, ""]
    out += heading_lines(3, "Notices")
    if r.notices:
        for n in r.notices:
            where = f" (profile line {n.line})" if n.line else ""
            out.append(f"- {md_escape(n.message)}{where}")
        out.append("")
    else:
        out += ["No notices.", ""]
    return out


def _review(r: Report) -> list[str]:
    if r.review is None:
        return []
    v = r.review
    out = heading_lines(2, SECTION_TITLES["review"])
    out += [md_escape(v.summary), ""]
    out += pipe_table(
        ("Section", "Owner", "Reviewed by", "Reviewed on"),
        (
            (
                md_escape(s.section),
                md_escape(s.owner),
                md_escape(s.reviewed_by),
                s.reviewed_on if s.reviewed else f"**not reviewed** {s.reviewed_on}".strip(" —"),
            )
            for s in v.sections
        ),
    )
    if v.old_evidence:
        out += [md_escape(v.old_evidence_text), ""]
        out += pipe_table(
            ("Answer", "Document", "Date", "Law or practice", "Profile line"),
            (
                (code_span(e.path), md_escape(e.title), md_escape(e.date), e.kind, str(e.line))
                for e in v.old_evidence
            ),
        )
    return out


def _sources(r: Report) -> list[str]:
    out = heading_lines(2, SECTION_TITLES["sources"])
    if not r.sources:
        return [*out, CAPTIONS.no_sources, ""]
    out += [CAPTIONS.sources_intro, ""]
    for i, s in enumerate(r.sources, start=1):
        author = f"{md_escape(s.author)} " if s.author else ""
        kind = f" {md_escape(s.kind.capitalize())}." if s.kind else ""
        out.append(
            f"{i}. {author}({md_escape(s.year)}). *{md_escape(s.title)}*.{kind} "
            f"Quoted {plural(s.cited, 'time')} in this report. Id {code_span(s.id)}."
        )
    return [*out, ""]


def _method(r: Report) -> list[str]:
    m = r.method
    out = heading_lines(2, SECTION_TITLES["method"])
    for p in m.paragraphs:
        out += [md_escape(p), ""]
    out += pipe_table(
        ("Status", "In the score"), ((md_escape(a), md_escape(b)) for a, b in m.weights)
    )
    out += pipe_table(("Severity", "Weight of its rules"), m.severity_weights)
    out += pipe_table(
        ("Band", "Label", "Score"),
        ((str(c.number), md_escape(c.label), md_escape(c.range_text)) for c in m.bands),
    )
    out += pipe_table(
        ("SDG 10.7.2 class (domain view)", "Label", "Value"),
        ((str(c.number), md_escape(c.label), md_escape(c.range_text)) for c in m.classes),
    )
    return out


def render_report_markdown(report: Report) -> list[str]:
    """The lines of one report."""
    out = _header(report)
    out += _summary(report)
    out += _actions(report)
    out += _contradictions(report)
    out += heading_lines(2, SECTION_TITLES["findings"])
    for t in report.themes:
        out += _theme(t)
    out += _data_gaps(report)
    out += _waivers(report)
    out += _review(report)
    out += _sources(report)
    out += _method(report)
    return out


def render_markdown(assessments: Sequence[Assessment]) -> str:
    """The gap report of each assessment as one Markdown document.

    Each report starts with its own level-1 heading (one per assessment); sections are
    level 2, themes level 3 and findings level 4.
    """
    return "".join(markdown_document([markdown_piece(a) for a in assessments]))


MarkdownPiece = tuple[bytes, int]
"""One report's lines without its trailing blank ones (compressed), and how many there were."""


def markdown_piece(assessment: Assessment) -> MarkdownPiece:
    """One assessment's report, as `markdown_document` puts it together with the others
    (Markdown has no ids, so a report reads the same alone or among several)."""
    lines = render_report_markdown(build_report(assessment))
    blank = 0
    while lines and not lines[-1]:
        lines.pop()
        blank += 1
    return pack("\n".join(lines)), blank


def markdown_document(pieces: Sequence[MarkdownPiece]) -> Iterator[str]:
    """The reports one after the other, each piece's text at a time: the lines of all joined
    by new lines, without the blank lines that end the last (a report never is all blank)."""
    if not pieces:
        yield "\n"
        return
    last = len(pieces) - 1
    for i, (packed, blank) in enumerate(pieces):
        yield unpack(packed) + ("\n" if i == last else "\n" * (blank + 1))
