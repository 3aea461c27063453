"""The content of a gap report, independent of its format.

`build_reports` turns assessments into plain view models (frozen dataclasses of strings,
numbers and tuples). The formats (`coherence.report.formats`) only lay these out, so every
format carries the same content in the same order:

1. header (country, date, roles, review status, engine, catalogue, illustrative banner);
2. executive summary (scores with their coverage and band, or "not classified" with the
   questions to answer; consistency across themes; counts, with contradictions apart from
   gaps; generated sentences; the indicative view on the SDG 10.7.2 scale);
3. action plan (gaps and partly met rules: most severe first, gaps before partly met rules,
   then rule id; `coherence.report.views.priority`);
4. contradictions between policies (coherence findings not met or partly met, each naming
   every answer on both sides with its line; docs/contradictions.md);
5. findings by theme;
6. data gaps (the questions to answer, from the field descriptions);
7. waivers and notices;
8. the review before validation (each section's reviewer, the documents to confirm);
9. sources (the bibliography of the sources cited in the report) and method.

Every text a profile supplies (country name, notes, evidence, waivers, list answers) is
passed through as plain text: escaping is the formats' job.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from coherence.assessment.scores import CONSISTENCY_THEME
from coherence.findings import Assessment, Finding, ThemeScore
from coherence.report.views.findings import (
    ActionItem,
    ContradictionView,
    ThemeSection,
    WaiverView,
    action_items,
    contradiction_views,
    finding_order,
    finding_view,
    waiver_view,
)
from coherence.report.views.method import Method, SourceEntry, method_view, source_entries
from coherence.report.views.priority import is_contradiction
from coherence.report.views.questions import QuestionGroup, question_groups
from coherence.report.views.review import ReviewView, review_view
from coherence.report.views.scores import (
    DOMAIN_NOTE,
    OVERALL_NOTE,
    DomainRow,
    ScoreRow,
    domain_rows,
    score_row,
)
from coherence.report.views.sentences import DATA_GAPS_TITLE, executive_summary
from coherence.report.vocabulary import (
    CONTRADICTION_LABEL,
    STATUS_LABELS,
    THEME_ORDER,
    selection_text,
    theme_name,
    theme_rank,
)

SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Executive summary"),
    ("action-plan", "Action plan"),
    ("contradictions", "Contradictions between policies"),
    ("findings", "Findings by theme"),
    ("data-gaps", DATA_GAPS_TITLE),
    ("waivers", "Waivers and notices"),
    ("review", "Review before validation"),
    ("sources", "Sources"),
    ("method", "Method"),
)
"""The report's major sections after the header, in order: (anchor, title)."""


SECTION_TITLES: dict[str, str] = dict(SECTIONS)


CONTRADICTIONS_INTRO = (
    "Answers in different sections of the profile that contradict each other: what the profile "
    "says on one side (the situation or policy that calls for another), and what it says on "
    "the other. A contradiction is not a gap: it is counted apart, never enters the overall "
    "score, and no answer counts twice. Lines are those of the profile."
)
"""The sentence that opens the contradictions section in every format."""


NO_CONTRADICTIONS = "No answers of this profile contradict each other."
"""What the contradictions section says when it has none."""


ILLUSTRATIVE_TEXT = (
    "This profile is illustrative: its answers were invented to demonstrate the tool and "
    "do not describe any real country's policy."
)


@dataclass(frozen=True)
class Header:
    """Who and what the report is about."""

    title: str
    country_code: str
    country_name: str
    as_of: str
    roles: tuple[str, ...]
    review_status: str
    profile_path: str
    engine: str
    catalogue_version: str
    tool_version: str
    rules_evaluated: int
    illustrative: bool
    illustrative_text: str
    """The banner text (empty when the profile is not illustrative)."""

    @property
    def roles_text(self) -> str:
        """The roles as one phrase, e.g. "transit, origin"."""
        return ", ".join(self.roles)

    def fields(self) -> tuple[tuple[str, str], ...]:
        """The header as (label, value) pairs, in display order."""
        return (
            ("Country", f"{self.country_name} ({self.country_code})"),
            ("As of", self.as_of),
            ("Roles", self.roles_text),
            ("Review status", self.review_status),
            ("Profile", self.profile_path),
            ("Rules evaluated", str(self.rules_evaluated)),
            ("Catalogue version", self.catalogue_version),
            ("Engine", self.engine),
            ("Tool version", self.tool_version),
        )


@dataclass(frozen=True)
class StatusCount:
    """How many findings have one status."""

    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Summary:
    """The executive summary."""

    themes: tuple[ScoreRow, ...]
    """The five policy themes (and any other theme but coherence), in report order."""
    overall: ScoreRow
    """The five policy themes pooled."""
    consistency: ScoreRow | None
    """Consistency across themes (the coherence rules), apart from overall."""
    counts: tuple[StatusCount, ...]
    """Findings by status, with contradictions (coherence gaps) apart from gaps."""
    sentences: tuple[str, ...]
    domains: tuple[DomainRow, ...]
    """The indicative SDG 10.7.2 view, PD_1 to PD_6."""
    domain_note: str
    overall_note: str

    @property
    def score_rows(self) -> tuple[ScoreRow, ...]:
        """Every row of the table of scores: themes, overall, then consistency."""
        return (*self.themes, self.overall, *((self.consistency,) if self.consistency else ()))


@dataclass(frozen=True)
class NoticeView:
    """A notice, e.g. an expired waiver."""

    code: str
    message: str
    line: int


@dataclass(frozen=True)
class Report:
    """One gap report: everything every format shows, in order."""

    anchor: str
    """A short id unique within a document, used to prefix HTML ids."""
    header: Header
    summary: Summary
    actions: tuple[ActionItem, ...]
    themes: tuple[ThemeSection, ...]
    data_gaps: tuple[QuestionGroup, ...]
    waivers: tuple[WaiverView, ...]
    notices: tuple[NoticeView, ...]
    sources: tuple[SourceEntry, ...]
    method: Method
    contradictions: tuple[ContradictionView, ...] = ()
    """Contradictions found (coherence rules not met or partly met), most severe first."""
    review: ReviewView | None = None
    """The review trail (absent for assessments made before it existed)."""

    @property
    def contradictions_intro(self) -> str:
        """The sentence that opens the contradictions section, or says there are none."""
        return CONTRADICTIONS_INTRO if self.contradictions else NO_CONTRADICTIONS

    @property
    def action_ranks(self) -> dict[str, int]:
        """The rank in the action plan of each rule there, by finding anchor."""
        return {x.anchor: x.rank for x in self.actions}

    @property
    def contradiction_anchors(self) -> frozenset[str]:
        """The anchors of the findings shown in the contradictions section."""
        return frozenset(c.anchor for c in self.contradictions)

    @property
    def data_gap_count(self) -> int:
        """Number of distinct questions to answer."""
        return sum(len(g.questions) for g in self.data_gaps)


def _themes(
    findings: Sequence[Finding], scores: dict[str, ScoreRow], prefix: str
) -> tuple[ThemeSection, ...]:
    keys = sorted({f.theme for f in findings} | set(THEME_ORDER), key=theme_rank)
    sections = []
    for key in keys:
        mine = sorted((f for f in findings if f.theme == key), key=finding_order)
        if not mine and key not in scores:
            continue
        sections.append(
            ThemeSection(
                key=key,
                name=theme_name(key),
                score=scores.get(key),
                findings=tuple(
                    finding_view(f, prefix) for f in mine if f.status != "not_applicable"
                ),
                not_applicable=tuple(
                    finding_view(f, prefix) for f in mine if f.status == "not_applicable"
                ),
            )
        )
    return tuple(sections)


NO_SCORE = ThemeScore(
    score=None,
    band=None,
    band_label=None,
    classified=False,
    coverage=None,
    counts={},
    question_count=0,
    questions=[],
)
"""The score of an entry that has no rule at all."""


def status_counts(findings: Sequence[Finding]) -> tuple[StatusCount, ...]:
    """Findings by status, with contradictions (coherence gaps) counted apart from gaps."""
    counts = Counter(f.status for f in findings)
    contradictions = sum(1 for f in findings if is_contradiction(f))
    out = []
    for status, label in STATUS_LABELS.items():
        if status == "gap":
            out.append(StatusCount("gap", label, counts["gap"] - contradictions))
            out.append(StatusCount("contradiction", CONTRADICTION_LABEL, contradictions))
        else:
            out.append(StatusCount(status, label, counts[status]))
    return tuple(out)


def report_title(country_name: str) -> str:
    """The title of one country's report."""
    return f"Policy coherence gap report: {country_name}"


def build_header(assessment: Assessment) -> Header:
    """The header of an assessment's gap report (alone: a table of contents needs no more)."""
    p = assessment.profile
    return Header(
        title=report_title(p.country_name),
        country_code=p.country,
        country_name=p.country_name,
        as_of=p.as_of.isoformat() if isinstance(p.as_of, dt.date) else str(p.as_of),
        roles=tuple(p.roles),
        review_status=p.review_status.replace("_", " "),
        profile_path=p.path,
        engine=assessment.engine,
        catalogue_version=assessment.catalogue_version,
        tool_version=assessment.tool_version,
        rules_evaluated=assessment.rules_evaluated,
        illustrative=p.illustrative,
        illustrative_text=ILLUSTRATIVE_TEXT if p.illustrative else "",
    )


def build_report(assessment: Assessment, anchor: str = "") -> Report:
    """The view model of one assessment's gap report, from the assessment alone (its
    citations carry the bibliography, its `scoring` the bands and the method).

    `anchor` prefixes the ids of the report's parts when a document holds several reports.
    """
    min_coverage = assessment.scoring.min_coverage
    p = assessment.profile
    header = build_header(assessment)
    rows = {k: score_row(k, s, min_coverage) for k, s in assessment.scores.items()}
    theme_rows = tuple(
        rows[k] for k in sorted(rows, key=theme_rank) if k not in ("overall", CONSISTENCY_THEME)
    )
    consistency = rows.get(CONSISTENCY_THEME)
    overall = rows.get("overall") or score_row("overall", NO_SCORE, min_coverage)
    findings = sorted(assessment.findings, key=lambda f: (theme_rank(f.theme), f.rule_id))
    actions = action_items(findings, anchor)
    data_gaps = question_groups(findings)
    questions = sum(len(g.questions) for g in data_gaps)
    summary = Summary(
        themes=theme_rows,
        overall=overall,
        consistency=consistency,
        counts=status_counts(findings),
        sentences=executive_summary(
            p.country_name,
            overall,
            theme_rows,
            consistency,
            findings,
            actions,
            sum(1 for f in findings if f.status == "insufficient_data"),
            questions,
            (selection_text(assessment.selection),) if assessment.selection else (),
        ),
        domains=domain_rows(assessment),
        domain_note=DOMAIN_NOTE,
        overall_note=OVERALL_NOTE,
    )
    themes = _themes(findings, rows, anchor)
    waivers = tuple(
        w for w in (waiver_view(f, anchor) for f in sorted(findings, key=lambda f: f.rule_id)) if w
    )
    notices = tuple(
        NoticeView(n.code, n.message, n.line)
        for n in sorted(assessment.notices, key=lambda n: (n.line, n.code, n.message))
    )
    return Report(
        anchor=anchor,
        header=header,
        summary=summary,
        actions=actions,
        themes=themes,
        data_gaps=data_gaps,
        waivers=waivers,
        notices=notices,
        sources=source_entries(themes),
        method=method_view(assessment.scoring),
        contradictions=contradiction_views(findings, anchor),
        review=review_view(assessment),
    )


def build_reports(assessments: Sequence[Assessment]) -> list[Report]:
    """One report per assessment, in the given order.

    With several assessments each report gets an id prefix (`r1`, `r2`, ...) so that the
    anchors of an HTML document stay unique.
    """
    several = len(assessments) > 1
    return [
        build_report(a, anchor=f"r{i}" if several else "")
        for i, a in enumerate(assessments, start=1)
    ]
