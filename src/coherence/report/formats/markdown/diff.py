"""The diff as Markdown."""

from __future__ import annotations

from coherence.report.formats.markdown.base import code_span, md_escape, pipe_table
from coherence.report.views.diff import CATEGORY_TITLES, METHOD_TEXT, Diff, summary_sentences
from coherence.report.views.gap import ILLUSTRATIVE_TEXT
from coherence.report.vocabulary import SEVERITY_LABELS, signed, theme_name


def render_diff_markdown(d: Diff) -> str:
    """The diff as one Markdown document (level-1 title, level-2 sections)."""
    out = [f"# {md_escape(d.title)}", ""]
    if d.old.illustrative or d.new.illustrative:
        out += [f"> **ILLUSTRATIVE** — {md_escape(ILLUSTRATIVE_TEXT)}", ""]
    out += pipe_table(
        ("Item", "Old", "New"),
        [
            ("Profile", code_span(d.old.path), code_span(d.new.path)),
            ("As of", d.old.as_of, d.new.as_of),
            (
                "Catalogue version",
                md_escape(d.old.catalogue_version),
                md_escape(d.new.catalogue_version),
            ),
        ],
    )
    out += ["## Summary", "", " ".join(md_escape(s) for s in summary_sentences(d)), ""]
    out += pipe_table(
        ("Change", "Rules"),
        [
            (title, str(n))
            for title, n in zip(CATEGORY_TITLES.values(), d.counts.values(), strict=True)
        ],
    )
    out += ["## Scores", ""]
    out += pipe_table(
        (
            "Theme",
            "Old score",
            "New score",
            "Change",
            "Old coverage",
            "New coverage",
            "Band",
        ),
        [
            (
                f"**{md_escape(s.name)}**" if s.key == "overall" else md_escape(s.name),
                s.old.score_text,
                s.new.score_text,
                signed(s.change),
                s.old.coverage_text,
                s.new.coverage_text,
                md_escape(s.band_text),
            )
            for s in d.scores
        ],
    )
    for name, title in CATEGORY_TITLES.items():
        items = d.category(name)
        out += [f"## {title}", ""]
        if not items:
            out += ["None.", ""]
            continue
        header = ["Rule", "Theme", "Severity", "Old status", "New status", "New profile line"]
        noted = name in ("regressed", "improved")
        rows = []
        for f in items:
            row = [
                f"{md_escape(f.rule_id)} {md_escape(f.title)}",
                md_escape(theme_name(f.theme)),
                SEVERITY_LABELS[f.severity],
                f.old_label,
                f"**{f.new_label}**",
                str(f.line) if f.line else "—",
            ]
            rows.append([*row, f.note or "—"] if noted else row)
        out += pipe_table([*header, "Note"] if noted else header, rows)
    out += ["## Answers that changed", ""]
    if d.answers is None:
        out += ["The answers were not compared.", ""]
    elif not d.answers:
        out += ["No answer changed.", ""]
    else:
        header = ("Question or field", "Profile field", "Old answer", "New answer")
        by = any(a.answered_by for a in d.answers)
        out += pipe_table(
            (*header, *(("Answered by",) if by else ()), "New profile line"),
            [
                (
                    md_escape(a.label),
                    code_span(a.path),
                    md_escape(a.old_text),
                    f"**{md_escape(a.new_text)}**",
                    *((md_escape(a.answered_by or "—"),) if by else ()),
                    str(a.line) if a.line else "—",
                )
                for a in d.answers
            ],
        )
    if d.others:
        out += ["## Other changes: notes, evidence, names, dates", ""]
        out += pipe_table(
            ("Profile field", "Old", "New"),
            [(code_span(o.path), md_escape(o.old_text), md_escape(o.new_text)) for o in d.others],
        )
    out += ["## How changes are classified", ""]
    for p in METHOD_TEXT:
        out += [md_escape(p), ""]
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
