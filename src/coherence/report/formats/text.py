"""Plain text for a terminal: the gap report's summary (scores per theme, gaps by severity,
the citation of each gap) and the diff."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from coherence.assessment.gate import BaselineChange, FindingKey, change_of, listed_rules
from coherence.assessment.review import old_evidence_sentence, review_summary
from coherence.citations import asks_words
from coherence.findings import Assessment, Finding, ThemeScore
from coherence.report.formats import GapOptions
from coherence.report.formats.pieces import CACHED_TEXT, joined, pack
from coherence.report.views.ci import baseline_mark
from coherence.report.views.priority import action_key, is_contradiction
from coherence.report.views.questions import question_groups
from coherence.report.views.scores import DOMAIN_VIEW_NOTE, DOMAIN_VIEW_TITLE
from coherence.report.vocabulary import (
    STATUS_WORDS,
    band_text,
    domain_class_text,
    lines_words,
    score_name,
    selection_text,
    signed,
    value_words,
)

if TYPE_CHECKING:  # the check of one profile, the usual run, needs no diff
    from coherence.report.views.diff import Diff


def _wrap(text: str, indent: str) -> tuple[str, ...]:
    # Most texts wrapped are the catalogue's (recommendations, quotes) or a reason repeated
    # across profiles, and wrapping was a third of the CPU of a check of many profiles in
    # text: short texts are cached. The cache is bounded in entries and in their length
    # (`CACHED_TEXT`), so memory stays flat whatever the profiles hold.
    if len(text) <= CACHED_TEXT:
        return _wrapped(text, indent)
    return _wrapped.__wrapped__(text, indent)


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, indent: str) -> tuple[str, ...]:
    return tuple(textwrap.wrap(text, 96, initial_indent=indent, subsequent_indent=indent))


def _pct(value: float | None) -> str:
    """A score in a 5-wide column."""
    return "   —" if value is None else f"{value:5.1f}"


def _cov(value: float | None) -> str:
    """A coverage in an 8-wide column: " 82.4%", or a dash when no rule applies."""
    return f"{'—':>8}" if value is None else f"{value:7.1f}%"


def _finding_lines(f: Finding, path: str, change: BaselineChange | None = None) -> list[str]:
    where = f.location
    at = f" ({path}:{where.line})" if where and where.line else ""
    lines = [f"  [{f.severity}] {f.rule_id} {f.title}{at}"]
    if change is not None:  # e.g. "New since the baseline." under the finding's line
        lines += _wrap(baseline_mark(change).removesuffix(": ") + ".", "      ")
    lines += _wrap(f.reason, "      ")
    for side in f.sides:  # a contradiction names every answer on each side, with its line
        said = "; ".join(
            f"{a.path} = "
            + (value_words(a.value) if a.state == "known" else a.state.replace("_", " "))
            + (f" ({path}:{a.line})" if a.line else "")
            for a in side.answers
        )
        lines += textwrap.wrap(
            f"{side.label}: {said or '—'}",
            96,
            initial_indent="      ",
            subsequent_indent="        ",
            break_on_hyphens=False,
            break_long_words=False,
        )
    lines += _wrap("Action: " + f.recommendation, "      ")
    for cite in f.citations[:2]:  # requirement passages come first (assessment.decide)
        quote = cite.quote if len(cite.quote) <= 180 else cite.quote[:177] + "..."
        asks = asks_words(cite) if cite.role == "requirement" else ""
        label = f"{asks[:1].upper()}{asks[1:]}: " if asks else ""
        if cite.role in ("rationale", "context"):
            label = "Background: "
        lines += _wrap(
            f'{label}"{quote}" ({cite.title}, {cite.section}, {lines_words(cite.lines)})',
            "      > ",
        )
    if len(f.citations) > 2:
        lines.append(f"      > ... and {len(f.citations) - 2} more source passage(s)")
    return lines


def _score_line(key: str, score: ThemeScore) -> str:
    return (
        # No number for a score that is not classified: on thin data it would mislead.
        f"  {score_name(key):<26} {_pct(score.score if score.classified else None):>6}  "
        f"{_cov(score.coverage)}  "
        f"{band_text(score)}"
    )


def _score_lines(assessment: Assessment) -> list[str]:
    """The table of scores: the themes, overall, then consistency across themes."""
    scores = assessment.scores
    themes = [k for k in scores if k not in ("overall", "coherence")]
    out = [f"  {'Theme':<26} {'Score':>6}  {'Coverage':>8}  Band"]
    out += [_score_line(k, scores[k]) for k in themes]
    if "overall" in scores:
        out.append(_score_line("overall", scores["overall"]))
    if "coherence" in scores:
        out.append(_score_line("coherence", scores["coherence"]))
    out += _wrap(
        "Overall pools the five policy themes; consistency across themes (the share of "
        "cross-theme checks without contradiction) is scored apart, so no answer counts twice.",
        "  ",
    )
    if any(not s.classified and s.questions for s in scores.values()):
        out += _wrap("The questions to answer are listed at the end, in plain words.", "  ")
    return out


def _domain_lines(assessment: Assessment) -> list[str]:
    """The indicative SDG 10.7.2 view, one line per domain."""
    width = max((len(d.name) for d in assessment.sdg_domains.values()), default=0) + 5
    out = [DOMAIN_VIEW_TITLE + ":", f"  {'Domain':<{width}} {'Value':>6}  {'Coverage':>8}  Class"]
    for code, d in assessment.sdg_domains.items():
        out.append(
            f"  {code + ' ' + d.name:<{width}} {_pct(d.value if d.classified else None):>6}  "
            f"{_cov(d.coverage)}  "
            f"{domain_class_text(d)}"
        )
    return [*out, *_wrap(DOMAIN_VIEW_NOTE, "  ")]


def _count_text(findings: list[Finding]) -> str:
    """e.g. "17 gaps, 2 contradictions, 26 partly met, ..." (contradictions apart)."""
    contradictions = sum(1 for f in findings if is_contradiction(f))
    counts = {s: sum(1 for f in findings if f.status == s) for s in STATUS_WORDS}
    counts["gap"] -= contradictions
    parts = [f"{counts['gap']} gap{'' if counts['gap'] == 1 else 's'}"]
    parts.append(f"{contradictions} contradiction{'' if contradictions == 1 else 's'}")
    parts += [f"{counts[s]} {STATUS_WORDS[s]}" for s in STATUS_WORDS if s != "gap" and counts[s]]
    return ", ".join(parts)


def render_text(
    assessment: Assessment,
    *,
    changes: Mapping[FindingKey, BaselineChange] | None = None,
    only: Collection[str] | None = None,
) -> str:
    """A readable summary of one assessment.

    `changes` (from `coherence.assessment.gate.compare_baseline`) adds to each listed finding
    how it stands against the baseline. `only` (rule ids) limits the listings of findings to
    those rules (`check --only-failing`); the scores and counts stay those of every rule.
    """
    p = assessment.profile
    out = [
        f"{p.country_name} ({p.country}), as of {p.as_of} — roles: {', '.join(p.roles)}; "
        f"review status: {p.review_status.replace('_', ' ')}",
        f"Checked {assessment.rules_evaluated} rules (catalogue {assessment.catalogue_version}, "
        f"engine {assessment.engine}).",
    ]
    if p.illustrative:
        out.append("This is an ILLUSTRATIVE profile: its answers describe no real policy.")
    if assessment.selection is not None:
        out += _wrap(selection_text(assessment.selection), "")
    out += ["", *_score_lines(assessment), "", *_domain_lines(assessment)]
    out += ["", "  " + _count_text(assessment.findings)]
    listed = assessment.findings
    if only is not None:
        listed = [f for f in assessment.findings if f.rule_id in only]
        out += _wrap(
            f"Listed below: only the {len(listed)} finding(s) at the --fail-on threshold"
            + (" and new or worse than the baseline" if changes is not None else "")
            + " (--only-failing).",
            "  ",
        )
    groups = (
        ("Gaps", lambda f: f.status == "gap" and not is_contradiction(f)),
        ("Contradictions between themes", is_contradiction),
        ("Partly met", lambda f: f.status == "partial"),
    )
    for heading, wanted in groups:
        chosen = sorted((f for f in listed if wanted(f)), key=action_key)
        if chosen:
            out += ["", f"{heading} ({len(chosen)}), most severe first:"]
            for f in chosen:
                out += _finding_lines(f, p.path, change_of(changes, assessment, f))
    unknown = [f for f in listed if f.status == "insufficient_data"]
    out += _question_lines(assessment, unknown, changes)
    out += _review_lines(assessment)
    for n in assessment.notices:
        out += ["", f"Note: {n.message}" + (f" ({p.path}:{n.line})" if n.line else "")]
    return "\n".join(out) + "\n"


def _question_lines(
    assessment: Assessment,
    unknown: Sequence[Finding],
    changes: Mapping[FindingKey, BaselineChange] | None,
) -> list[str]:
    """The questions that would decide the undecided rules, in plain words, grouped by profile
    section, each with the field to fill in and the rules it decides (a rule newly undecided
    since the baseline is marked)."""
    if not unknown:
        return []
    marks: dict[str, str] = {}
    for f in unknown:
        change = change_of(changes, assessment, f)
        if change is not None and change.worse:  # the known ones stay unmarked
            marks[f.rule_id] = f" [{baseline_mark(change).removesuffix(': ').lower()}]"
    groups = question_groups(unknown)
    count = sum(len(g.questions) for g in groups)
    out = [
        "",
        f"Questions to answer ({count}), which would decide {len(unknown)} undecided "
        f"rule{'' if len(unknown) == 1 else 's'}:",
    ]
    for group in groups:
        out.append(f"  {group.name}")
        for q in group.questions:
            rules = ", ".join(r + marks.get(r, "") for r in q.rules)
            answers = f" Answer: {q.answers}." if q.answers else ""
            # Line 0: its section is not in the profile (line 1 would point at nothing).
            at = (
                f"{assessment.profile.path}:{q.line} {q.path}"
                if q.line
                else f"{q.path}, not in the profile"
            )
            out += textwrap.wrap(
                f"{q.question}{answers} ({at}; decides {rules})",
                96,
                initial_indent="    - ",
                subsequent_indent="      ",
            )
    undecided_without = [f.rule_id for f in unknown if not f.missing]
    if undecided_without:  # pragma: no cover - every undecided rule names what it misses
        out += _wrap("Also undecided: " + ", ".join(undecided_without), "  ")
    return out


REVIEW_LISTED = 5
"""Old documents listed by line in the terminal; the Markdown and HTML reports list all."""


def _review_lines(assessment: Assessment) -> list[str]:
    review = assessment.review
    if review is None:
        return []
    out = ["", *_wrap("Review: " + review_summary(review), "")]
    old = review.old_evidence
    if old:
        out += _wrap(old_evidence_sentence(review), "")
        path = assessment.profile.path
        for e in old[:REVIEW_LISTED]:
            out.append(f"  {path}:{e.line} {e.path}: {e.title} ({e.date})")
        if len(old) > REVIEW_LISTED:
            more = len(old) - REVIEW_LISTED
            out.append(f"  ... and {more} more (the Markdown and HTML reports list them all)")
    return out


def render_diff_text(d: Diff) -> str:
    # Imported here: the check of one profile, the usual run, needs neither view.
    from coherence.report.views.diff import CATEGORY_TITLES, summary_sentences
    from coherence.report.views.gap import ILLUSTRATIVE_TEXT

    """The diff as plain text for a terminal."""
    out = [
        f"{d.new.country_name} ({d.new.country_code}): {d.old.path} (as of {d.old.as_of}) "
        f"→ {d.new.path} (as of {d.new.as_of})",
    ]
    if d.old.illustrative or d.new.illustrative:
        out.append("ILLUSTRATIVE: " + ILLUSTRATIVE_TEXT)
    out += ["", *summary_sentences(d), "", "Scores (old → new, change; coverage; band):"]
    for s in d.scores:
        out.append(
            f"  {s.name:<26} {s.old.score_text:>5} → {s.new.score_text:>5}  "
            f"{signed(s.change):>6}  coverage {s.old.coverage_text} → {s.new.coverage_text}  "
            f"band {s.band_text}"
        )
    for name, title in CATEGORY_TITLES.items():
        items = d.category(name)
        if not items:
            continue
        out += ["", f"{title} ({len(items)}):"]
        for f in items:
            at = f" (line {f.line})" if f.line else ""
            note = f" [{f.note}]" if f.note and name in ("regressed", "improved") else ""
            out.append(
                f"  [{f.severity}] {f.rule_id} {f.title}: {f.old_label} → {f.new_label}{at}{note}"
            )
    if d.answers is not None:
        out += ["", f"Answers that changed ({len(d.answers)}):"]
        for a in d.answers:
            at = f"line {a.line}: " if a.line else ""
            by = f" (answered by {a.answered_by})" if a.answered_by else ""
            out.append(f"  {at}{a.path}: {a.old_text} → {a.new_text}{by}")
    if d.others:
        out += ["", f"Other changes: notes, evidence, names, dates ({len(d.others)}):"]
        out += [f"  {o.path}: {o.old_text} → {o.new_text}" for o in d.others]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the registry's entry points


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> str:
    """The terminal summary of every assessment, one after the other."""
    return "\n".join(_summary(a, options) for a in assessments)


def _summary(a: Assessment, options: GapOptions) -> str:
    return render_text(a, changes=options.changes, only=listed_rules(a, options.only))


def gap_piece(assessment: Assessment, options: GapOptions) -> bytes:
    """One profile's summary, compressed."""
    return pack(_summary(assessment, options))


def gap_document(pieces: Sequence[bytes], options: GapOptions) -> Iterator[str]:
    """The summaries, a blank line between two."""
    return joined(pieces, "\n")


render_diff = render_diff_text
