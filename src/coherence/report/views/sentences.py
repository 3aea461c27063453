"""The executive summary's sentences, from the report's score rows, findings and action plan
(each format shows them as they are)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from coherence.findings import Finding
from coherence.report.views.findings import ActionItem
from coherence.report.views.priority import is_contradiction
from coherence.report.views.scores import ScoreRow
from coherence.report.vocabulary import SELECTION_NOT_CLASSIFIED, plural, theme_rank

DATA_GAPS_TITLE = "Data gaps: questions to answer"
"""The title of the report's section of questions, which the sentences point to."""


def _overall_sentence(name: str, overall: ScoreRow) -> str:
    data = f"“{DATA_GAPS_TITLE}”"
    if overall.coverage is None:
        return f"No rule of the five policy themes applies to {name}: there is no overall score."
    if overall.score is None:
        return (
            f"No applicable rule of the five policy themes could be decided for {name}, so the "
            f"overall result is {overall.band_text}, listed under {data}."
        )
    if overall.band_text == SELECTION_NOT_CLASSIFIED:
        return f"{name}'s overall result is {overall.band_text}."
    if overall.classified:
        return (
            f"{name} scores {overall.score_text} out of 100 overall with a coverage of "
            f"{overall.coverage_text} of the applicable rules decided: band {overall.band} "
            f"(“{overall.band_label}”)."
        )
    needed = f"{overall.min_coverage:g}%"
    return (
        f"{name}'s overall result is not classified: only {overall.coverage_text} of the "
        f"applicable rules could be decided, below the {needed} needed to give a score; answer its "
        f"{plural(overall.question_count, 'question')} (listed under {data}) to classify it."
    )


def _themes_sentence(themes: Sequence[ScoreRow]) -> str:
    classified = [t for t in themes if t.classified]
    out = ""
    if len(classified) == 1:
        t = classified[0]
        out = f"Only one theme can be classified: {t.name}, at {t.value_text}, {t.band_label}."
    elif classified:
        best = max(classified, key=lambda t: (t.score, -theme_rank(t.key)[0]))
        worst = min(classified, key=lambda t: (t.score, theme_rank(t.key)[0]))
        if best.score == worst.score:
            out = f"Every classified theme stands at {best.score_text} ({best.band_label})."
        else:
            out = (
                f"The strongest theme is {best.name} at {best.value_text}, {best.band_label}; "
                f"the weakest is {worst.name} at {worst.value_text}, {worst.band_label}."
            )
    thin = [t for t in themes if not t.classified and t.coverage is not None]
    thin = [t for t in thin if t.band_text != SELECTION_NOT_CLASSIFIED]  # not for lack of data
    if thin:
        listed = "; ".join(f"{t.name} (coverage {t.coverage_text})" for t in thin)
        lead = "No theme can be classified" if not classified else "Not classified"
        out += (" " if out else "") + f"{lead} for lack of data: {listed}."
    return out


def _counts_sentence(findings: Sequence[Finding], consistency: ScoreRow | None) -> str:
    gaps = [f for f in findings if f.status == "gap" and not is_contradiction(f)]
    contradictions = sum(1 for f in findings if is_contradiction(f))
    partial = sum(1 for f in findings if f.status == "partial")
    high = sum(1 for f in gaps if f.severity == "high")
    found = f"{plural(len(gaps), 'gap')} ({high or 'none'} of high severity)" if gaps else "no gap"
    text = (
        f"The review found {found}, "
        f"{plural(contradictions, 'contradiction') if contradictions else 'no contradiction'} "
        f"between themes and {plural(partial, 'rule') if partial else 'no rule'} only partly met"
    )
    if consistency is not None and consistency.coverage is not None:
        shown = (
            f"{consistency.value_text}, band {consistency.band} ({consistency.band_label})"
            if consistency.classified
            else f"not classified at a coverage of {consistency.coverage_text} "
            f"({consistency.band_text.removeprefix('not classified: ')})"
        )
        text += f"; consistency across themes, scored apart from overall, is {shown}"
    return text + "."


def executive_summary(
    name: str,
    overall: ScoreRow,
    themes: Sequence[ScoreRow],
    consistency: ScoreRow | None,
    findings: Sequence[Finding],
    actions: Sequence[ActionItem],
    data_gap_rules: int,
    questions: int,
    selection: tuple[str, ...] = (),
) -> tuple[str, ...]:
    out = [*selection, _overall_sentence(name, overall)]
    themes_text = _themes_sentence(themes)
    if themes_text:
        out.append(themes_text)
    out.append(_counts_sentence(findings, consistency))
    top = actions[:PRESSING]
    if top:
        items = [
            f"“{a.title.rstrip('.')}” ({a.rule_id}; {a.severity} severity; "
            f"{a.status_label.lower()})"
            for a in top
        ]
        order = "most severe first, gaps before partly met rules"
        if len(top) == 1:
            lead = f"The most pressing item, first in the action plan ({order}), is "
        else:
            lead = (
                f"The most pressing items, the first {len(top)} of the action plan ({order}), are "
            )
        out.append(lead + "; ".join(items) + ".")
    counts = Counter(f.status for f in findings)
    if data_gap_rules:
        data = (
            f"{plural(data_gap_rules, 'rule')} could not be decided for lack of data; answering "
            f"the {plural(questions, 'question')} under “{DATA_GAPS_TITLE}” "
            + (
                # Overall counts the questions of the five themes only: say where the rest go.
                f"(the {overall.question_count} that would classify the five themes, and "
                f"{questions - overall.question_count} that only the cross-theme checks read) "
                if not overall.classified and 0 < overall.question_count < questions
                else ""
            )
            + "would decide them"
        )
    else:
        data = "Every applicable rule checked could be decided: there are no data gaps"
    if counts["waived"]:
        data += f", and {plural(counts['waived'], 'rule is', 'rules are')} waived"
    out.append(data + ".")
    return tuple(out)


PRESSING = 3
"""How many first rows of the action plan the executive summary names."""
