"""The content of a gap report, independent of its format.

`build_reports` turns assessments into plain view models (frozen dataclasses of strings,
numbers and tuples). The Markdown, HTML and CSV renderers only lay these out, so every
format carries the same content in the same order:

1. header (country, date, roles, review status, engine, catalogue, illustrative banner);
2. executive summary (scores with their coverage and band, or "not classified" with the
   questions to answer; consistency across themes; counts, with contradictions apart from
   gaps; generated sentences; the indicative view on the SDG 10.7.2 scale);
3. action plan (gaps and partly met rules: most severe first, gaps before partly met rules,
   then rule id; `coherence.report.priority`);
4. contradictions between policies (coherence findings not met or partly met, each naming
   every answer on both sides with its line; docs/contradictions.md);
5. findings by theme;
6. data gaps (the questions to answer, from the field descriptions);
7. waivers and notices;
8. the review before validation (each section's reviewer, the documents to confirm);
9. sources (the bibliography of the sources cited in the report) and method.

Every text a profile supplies (country name, notes, evidence, waivers, list answers) is
passed through as plain text: escaping is the renderers' job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from coherence.assessment.scores import (
    CONSISTENCY_THEME,
    SCORE_THEMES,
    Band,
    bands,
    scoring_config,
    sdg_classes,
    sdg_domain_names,
)
from coherence.corpus import Corpus, load_corpus
from coherence.facts import readable_paths
from coherence.findings import Assessment, DomainScore, Finding, ThemeScore, TraceEntry
from coherence.report.priority import SEVERITY_ORDER, action_plan, is_contradiction
from coherence.report.text import (
    DOMAIN_VIEW_NOTE,
    THEME_NAMES,
    band_text,
    domain_class_text,
    score_name,
)
from coherence.rules.citations import asks_words
from coherence.rules.citations import sections as citation_sections
from coherence.wording import series

THEME_ORDER: tuple[str, ...] = SCORE_THEMES
"""Themes in report order."""

SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Executive summary"),
    ("action-plan", "Action plan"),
    ("contradictions", "Contradictions between policies"),
    ("findings", "Findings by theme"),
    ("data-gaps", "Data gaps: questions to answer"),
    ("waivers", "Waivers and notices"),
    ("review", "Review before validation"),
    ("sources", "Sources"),
    ("method", "Method"),
)
"""The report's major sections after the header, in order: (anchor, title)."""

SECTION_TITLES: dict[str, str] = dict(SECTIONS)

STATUS_LABELS: dict[str, str] = {
    "gap": "Gap",
    "partial": "Partly met",
    "insufficient_data": "Insufficient data",
    "waived": "Waived",
    "met": "Met",
    "not_applicable": "Not applicable",
}
"""Plain-language status names, in the order a report lists findings."""

STATUS_ORDER: dict[str, int] = {s: i for i, s in enumerate(STATUS_LABELS)}

CONTRADICTION_LABEL = "Contradiction"
"""How reports name a gap of a cross-theme coherence rule (counted apart from gaps)."""

PARTIAL_CONTRADICTION_LABEL = "Partial contradiction"
"""How the contradictions section names a cross-theme coherence rule that is partly met."""

CONTRADICTIONS_INTRO = (
    "Answers in different sections of the profile that contradict each other: what the profile "
    "says on one side (the situation or policy that calls for another), and what it says on "
    "the other. A contradiction is not a gap: it is counted apart, never enters the overall "
    "score, and no answer counts twice. Lines are those of the profile."
)
"""The sentence that opens the contradictions section in every format."""

NO_CONTRADICTIONS = "No answers of this profile contradict each other."
"""What the contradictions section says when it has none."""

DOMAIN_NOTE = DOMAIN_VIEW_NOTE
"""The sentence every format shows with the SDG 10.7.2 domain view."""

OVERALL_NOTE = (
    "Overall pools the five policy themes. Consistency across themes (the cross-theme "
    "coherence rules) is scored apart and never enters the overall score, so that no answer "
    "counts twice."
)
"""The note under every table of scores."""

SEVERITY_LABELS: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}

ILLUSTRATIVE_TEXT = (
    "This profile is illustrative: its answers were invented to demonstrate the tool and "
    "do not describe any real country's policy."
)

# Profile sections in the order a data-gaps list groups its questions.
QUESTION_GROUPS: dict[str, str] = {
    "instruments": "International instruments",
    "rights": THEME_NAMES["rights"],
    "data_collection": THEME_NAMES["data_collection"],
    "labour_channels": THEME_NAMES["labour_channels"],
    "anti_trafficking": THEME_NAMES["anti_trafficking"],
    "coordination": THEME_NAMES["coordination"],
    "context": "Context",
}

_SAFE_LINK = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
_ANCHOR_CHARS = re.compile(r"[^a-z0-9]+")


# --------------------------------------------------------------------------- view models


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
class ScoreRow:
    """The score of one theme, of overall, or of the consistency across themes."""

    key: str
    name: str
    score: float | None
    score_text: str
    band: int | None
    """coherence's band 1-4; None when not classified."""
    band_label: str
    """e.g. "Largely aligned"; empty when not classified."""
    classified: bool
    band_text: str
    """e.g. "3 — Largely aligned", or "not classified: answer these 4 questions"."""
    coverage: float | None
    coverage_text: str
    counts: tuple[tuple[str, str, int], ...]
    """(status, label, number) for every status."""
    questions: tuple[str, ...]
    """The questions (profile paths) that would decide its undecided rules."""

    @property
    def question_count(self) -> int:
        """Number of questions to answer."""
        return len(self.questions)

    @property
    def value_text(self) -> str:
        """The score with its coverage, never the score alone: "64.3 (coverage 82.4%)"."""
        return f"{self.score_text} (coverage {self.coverage_text})"

    @property
    def sentence(self) -> str:
        """The score, its coverage and its band (or why it has none) in one sentence."""
        if self.score is None and self.coverage is None:
            return "No rule applies: no score."
        head = f"Score {self.score_text} out of 100, coverage {self.coverage_text}"
        if self.classified:
            return f"{head}: band {self.band}, {self.band_label}."
        needed = f"{scoring_config().min_coverage:g}%"
        return f"{head} (at least {needed} needed to classify): {self.band_text}."


@dataclass(frozen=True)
class DomainRow:
    """One domain of the indicative SDG 10.7.2 view."""

    code: str
    name: str
    rules: int
    value: float | None
    value_text: str
    coverage: float | None
    coverage_text: str
    sdg_class: int | None
    classified: bool
    class_text: str
    """e.g. "2 — Partially meets", "not classified: answer these 3 questions", or "no rule
    of the catalogue covers this domain"."""


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
class ActionItem:
    """One entry of the action plan."""

    rank: int
    rule_id: str
    title: str
    theme: str
    theme_name: str
    severity: str
    severity_label: str
    status: str
    status_label: str
    recommendation: str
    responsible_area: str
    sources: int
    """Number of verified source passages the finding cites."""
    anchor: str


@dataclass(frozen=True)
class EvidenceView:
    """One document the country cites for an answer."""

    title: str
    article: str
    date: str
    url: str
    link: str | None
    """`url` when it is safe to make it a hyperlink (http or https), else None."""

    @property
    def text(self) -> str:
        """Title, article and date as one phrase (no URL)."""
        return ", ".join(part for part in (self.title, self.article, self.date) if part)


@dataclass(frozen=True)
class ProfileEntry:
    """One answer of the profile that a decision read."""

    path: str
    label: str
    """The field's description (a question), or the path when it has none."""
    state: str
    value: str
    line: int
    derived: bool
    evidence: tuple[EvidenceView, ...]
    note: str


@dataclass(frozen=True)
class SideView:
    """One side of a contradiction: "The profile says" or "But", with the answers it read."""

    label: str
    answers: tuple[ProfileEntry, ...]

    @property
    def text(self) -> str:
        """The side in one line: "But: <question> (path, line 40): no; ..."."""
        parts = [
            f"{a.label} ({a.path}{f', line {a.line}' if a.line else ''}): {a.value}"
            for a in self.answers
        ]
        return f"{self.label}: " + "; ".join(parts) if parts else f"{self.label}: —"


@dataclass(frozen=True)
class ContradictionView:
    """A contradiction between answers in different sections of the profile."""

    rule_id: str
    title: str
    severity: str
    severity_label: str
    status: str
    status_label: str
    """"Contradiction" (a gap of a coherence rule) or "Partial contradiction"."""
    sides: tuple[SideView, ...]
    reason: str
    recommendation: str
    responsible_area: str
    anchor: str
    """The id of the full finding under "Findings by theme"."""


@dataclass(frozen=True)
class CitationView:
    """One verified quotation."""

    source: str
    title: str
    section: str
    first_line: int
    last_line: int
    quote: str
    role: str | None = None
    addressee: str | None = None

    @property
    def asks(self) -> str:
        """ "Asks states", "Asks countries of destination", ... for a requirement passage;
        empty for background."""
        if self.role != "requirement":
            return ""
        words = asks_words(self)
        return words[:1].upper() + words[1:]

    @property
    def lines_text(self) -> str:
        """e.g. "line 77" or "lines 584-587"."""
        if self.first_line == self.last_line:
            return f"line {self.first_line}"
        return f"lines {self.first_line}–{self.last_line}"

    @property
    def locator(self) -> str:
        """Source id with its lines, e.g. "unpd-2004-cm3:584-587"."""
        return f"{self.source}:{self.first_line}-{self.last_line}"


@dataclass(frozen=True)
class WaiverView:
    """A waiver and the finding it sets aside."""

    rule_id: str
    title: str
    theme_name: str
    justification: str
    approved_by: str
    expires: str
    underlying_status: str
    underlying_label: str
    anchor: str


@dataclass(frozen=True)
class FindingView:
    """One finding in full."""

    rule_id: str
    title: str
    theme: str
    severity: str
    severity_label: str
    status: str
    status_label: str
    sdg_domain: str
    reason: str
    missing: tuple[str, ...]
    location_line: int
    profile: tuple[ProfileEntry, ...]
    citations: tuple[CitationView, ...]
    references: tuple[str, ...]
    recommendation: str
    responsible_area: str
    rationale: str
    waiver: WaiverView | None
    anchor: str

    @property
    def citation_sections(self) -> list[tuple[str, list[CitationView]]]:
        """The citations under their headings: "What the sources ask" (requirement
        passages), then "Background"; "What the sources say" when the rules give no roles."""
        return citation_sections(self.citations)

    @property
    def decided(self) -> bool:
        """Whether the finding calls for action or records a decision set aside: a gap, a
        partly met rule or a waived one. The printed report keeps these in full."""
        return self.status in DECIDED_STATUSES

    @property
    def questions(self) -> tuple[tuple[str, str], ...]:
        """The questions that would decide the rule: (question, profile field) for each
        missing answer, in the order the finding lists them."""
        return tuple((_question_text(path)[0], path) for path in self.missing)


DECIDED_STATUSES = frozenset({"gap", "partial", "waived"})
"""Statuses of the findings a printed report keeps in full (with the contradictions)."""


@dataclass(frozen=True)
class ThemeSection:
    """The findings of one theme."""

    key: str
    name: str
    score: ScoreRow | None
    findings: tuple[FindingView, ...]
    """Every applicable finding: gaps, partly met, insufficient data, waived, met."""
    not_applicable: tuple[FindingView, ...]
    """Findings that do not apply to this profile (listed briefly)."""

    @property
    def undecided(self) -> tuple[FindingView, ...]:
        """The findings that lack data (insufficient data), in report order."""
        return tuple(f for f in self.findings if f.status == "insufficient_data")

    @property
    def settled(self) -> tuple[FindingView, ...]:
        """The met findings, then those not applicable: nothing to do about them."""
        return tuple(f for f in self.findings if f.status == "met") + self.not_applicable


@dataclass(frozen=True)
class Question:
    """One piece of data to collect."""

    path: str
    question: str
    answers: str
    """The answers the field accepts, e.g. "yes, partial, no or not applicable"."""
    line: int
    rules: tuple[str, ...]


@dataclass(frozen=True)
class QuestionGroup:
    """The questions of one profile section."""

    key: str
    name: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class NoticeView:
    """A notice, e.g. an expired waiver."""

    code: str
    message: str
    line: int


@dataclass(frozen=True)
class SourceEntry:
    """One entry of the bibliography."""

    id: str
    author: str
    year: str
    title: str
    kind: str
    cited: int
    """Number of quotations from this source in the report."""


@dataclass(frozen=True)
class ClassBand:
    """One band of coherence's scale (or one SDG 10.7.2 class) and its score range."""

    number: int
    label: str
    minimum: float
    range_text: str


@dataclass(frozen=True)
class Method:
    """How the scores are computed."""

    paragraphs: tuple[str, ...]
    weights: tuple[tuple[str, str], ...]
    """(status label, how it counts)."""
    severity_weights: tuple[tuple[str, str], ...]
    """(severity label, weight)."""
    bands: tuple[ClassBand, ...]
    """coherence's bands for theme, overall and consistency scores, highest first."""
    classes: tuple[ClassBand, ...]
    """The SDG 10.7.2 classes of the indicative domain view, highest first."""


@dataclass(frozen=True)
class SectionReviewView:
    """One section of the profile in the review trail."""

    section: str
    """The section's name in words."""
    owner: str
    reviewed_by: str
    reviewed_on: str
    reviewed: bool


@dataclass(frozen=True)
class OldEvidenceView:
    """A document to confirm before validation."""

    path: str
    title: str
    date: str
    kind: str
    """law, or practice (a report on how the law is applied)."""
    line: int


@dataclass(frozen=True)
class ReviewView:
    """The review trail and what to settle before the government validates the profile."""

    summary: str
    sections: tuple[SectionReviewView, ...]
    old_evidence_text: str
    """What the old documents are ("" when there are none)."""
    old_evidence: tuple[OldEvidenceView, ...]


def review_view(assessment: Assessment) -> ReviewView | None:
    """The review section of a report (None for an assessment made before it existed)."""
    from coherence.assessment.review import old_evidence_sentence, review_summary, section_name

    review = assessment.review
    if review is None:
        return None
    return ReviewView(
        summary=review_summary(review),
        sections=tuple(
            SectionReviewView(
                section=section_name(s.section),
                owner=s.owner or "—",
                reviewed_by=s.reviewed_by or "—",
                reviewed_on=s.reviewed_on.isoformat() if s.reviewed_on else "—",
                reviewed=s.reviewed,
            )
            for s in review.sections
        ),
        old_evidence_text=old_evidence_sentence(review),
        old_evidence=tuple(
            OldEvidenceView(e.path, e.title, e.date, e.kind, e.line) for e in review.old_evidence
        ),
    )


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


# --------------------------------------------------------------------------- helpers


def plural(n: int, one: str, many: str | None = None) -> str:
    """`n` and the right form of the noun: "1 gap", "3 gaps"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def number_text(value: float | None) -> str:
    """A score as shown: one decimal, or an em dash for none."""
    return "—" if value is None else f"{value:.1f}"


def anchor_id(*parts: str) -> str:
    """A lower-case id made of letters, digits and hyphens."""
    return "-".join(p for p in (_ANCHOR_CHARS.sub("-", x.lower()).strip("-") for x in parts) if p)


def _theme_name(key: str) -> str:
    return THEME_NAMES.get(key, key.replace("_", " ").capitalize())


def _theme_rank(key: str) -> tuple[int, str]:
    return (THEME_ORDER.index(key) if key in THEME_ORDER else len(THEME_ORDER), key)


_ENUM_WORDS = {"not_applicable", "not_signed"}
_STATE_WORDS = {"unknown": "unknown", "missing": "not answered", "not_applicable": "not applicable"}


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.10g}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(v) for v in value) or "none listed"
    if value is None:
        return ""
    text = str(value)
    return text.replace("_", " ") if text in _ENUM_WORDS else text


def coverage_text(value: float | None) -> str:
    """A coverage as shown: "82.4%", or an em dash when no rule applies."""
    return "—" if value is None else f"{value:.1f}%"


def _score_row(key: str, score: ThemeScore) -> ScoreRow:
    return ScoreRow(
        key=key,
        name=score_name(key),
        score=score.score,
        score_text=number_text(score.score),
        band=score.band,
        band_label=score.band_label or "",
        classified=score.classified,
        band_text=band_text(score),
        coverage=score.coverage,
        coverage_text=coverage_text(score.coverage),
        counts=tuple((s, STATUS_LABELS[s], score.counts.get(s, 0)) for s in STATUS_LABELS),
        questions=tuple(score.questions),
    )


def _domain_row(code: str, domain: DomainScore) -> DomainRow:
    return DomainRow(
        code=code,
        name=domain.name,
        rules=domain.rules,
        value=domain.value,
        value_text=number_text(domain.value),
        coverage=domain.coverage,
        coverage_text=coverage_text(domain.coverage),
        sdg_class=domain.sdg_class,
        classified=domain.classified,
        class_text=domain_class_text(domain),
    )


def domain_rows(assessment: Assessment) -> tuple[DomainRow, ...]:
    """The indicative SDG 10.7.2 view of an assessment, PD_1 to PD_6."""
    names = sdg_domain_names()
    order = list(names)
    return tuple(
        _domain_row(code, assessment.sdg_domains[code])
        for code in sorted(assessment.sdg_domains, key=lambda c: (order.index(c), c))
    )


def _evidence(item: dict[str, Any]) -> EvidenceView:
    url = str(item.get("url") or "")
    return EvidenceView(
        title=str(item.get("title") or ""),
        article=str(item.get("article") or ""),
        date=str(item.get("date") or ""),
        url=url,
        link=url if _SAFE_LINK.match(url) else None,
    )


def _profile_entry(entry: TraceEntry) -> ProfileEntry:
    info = readable_paths().get(entry.path)
    derived = entry.path.startswith("derived.")
    if derived:
        label = "Derived from other answers: " + entry.path.removeprefix("derived.").replace(
            "_", " "
        )
    else:
        label = (info.description if info else "") or entry.path
    if entry.state == "known":
        value = _value_text(entry.value)
    else:
        value = _STATE_WORDS.get(entry.state, entry.state)
    return ProfileEntry(
        path=entry.path,
        label=label,
        state=entry.state,
        value=value,
        line=entry.line,
        derived=derived,
        evidence=tuple(_evidence(e) for e in entry.evidence),
        note=entry.note or "",
    )


def _finding_anchor(prefix: str, rule_id: str) -> str:
    return anchor_id(prefix, "finding", rule_id)


def _waiver_view(f: Finding, prefix: str) -> WaiverView | None:
    if f.waiver is None:
        return None
    w = f.waiver
    return WaiverView(
        rule_id=f.rule_id,
        title=f.title,
        theme_name=_theme_name(f.theme),
        justification=w.justification,
        approved_by=w.approved_by,
        expires=w.expires.isoformat(),
        underlying_status=w.underlying_status,
        underlying_label=STATUS_LABELS[w.underlying_status],
        anchor=_finding_anchor(prefix, f.rule_id),
    )


def _finding_view(f: Finding, prefix: str) -> FindingView:
    return FindingView(
        rule_id=f.rule_id,
        title=f.title,
        theme=f.theme,
        severity=f.severity,
        severity_label=SEVERITY_LABELS[f.severity],
        status=f.status,
        status_label=status_label(f),
        sdg_domain=f.sdg_domain,
        reason=f.reason,
        missing=tuple(f.missing),
        location_line=f.location.line if f.location else 0,
        profile=tuple(_profile_entry(t) for t in f.trace),
        citations=tuple(
            CitationView(
                c.source, c.title, c.section, c.lines[0], c.lines[1], c.quote, c.role, c.addressee
            )
            for c in f.citations
        ),
        references=tuple(f.references),
        recommendation=f.recommendation,
        responsible_area=f.responsible_area,
        rationale=f.rationale,
        waiver=_waiver_view(f, prefix),
        anchor=_finding_anchor(prefix, f.rule_id),
    )


def status_label(f: Finding) -> str:
    """The status in words; a gap of a cross-theme coherence rule is a contradiction."""
    return CONTRADICTION_LABEL if is_contradiction(f) else STATUS_LABELS[f.status]


def contradiction_views(findings: Sequence[Finding], prefix: str) -> tuple[ContradictionView, ...]:
    """The contradictions found: coherence findings that are a gap or partly met, in
    action-plan order, each with its two sides."""
    chosen = [f for f in action_plan(findings) if f.kind == "contradiction"]
    return tuple(
        ContradictionView(
            rule_id=f.rule_id,
            title=f.title,
            severity=f.severity,
            severity_label=SEVERITY_LABELS[f.severity],
            status=f.status,
            status_label=CONTRADICTION_LABEL if f.status == "gap" else PARTIAL_CONTRADICTION_LABEL,
            sides=tuple(
                SideView(side.label, tuple(_profile_entry(a) for a in side.answers))
                for side in f.sides
            ),
            reason=f.reason,
            recommendation=f.recommendation,
            responsible_area=f.responsible_area,
            anchor=_finding_anchor(prefix, f.rule_id),
        )
        for f in chosen
    )


def _actions(findings: Sequence[Finding], prefix: str) -> tuple[ActionItem, ...]:
    chosen = action_plan(findings)
    return tuple(
        ActionItem(
            rank=i,
            rule_id=f.rule_id,
            title=f.title,
            theme=f.theme,
            theme_name=_theme_name(f.theme),
            severity=f.severity,
            severity_label=SEVERITY_LABELS[f.severity],
            status=f.status,
            status_label=status_label(f),
            recommendation=f.recommendation,
            responsible_area=f.responsible_area,
            sources=len(f.citations),
            anchor=_finding_anchor(prefix, f.rule_id),
        )
        for i, f in enumerate(chosen, start=1)
    )


def _finding_key(f: Finding) -> tuple[int, int, str]:
    return (STATUS_ORDER[f.status], SEVERITY_ORDER[f.severity], f.rule_id)


def _themes(
    findings: Sequence[Finding], scores: dict[str, ScoreRow], prefix: str
) -> tuple[ThemeSection, ...]:
    keys = sorted({f.theme for f in findings} | set(THEME_ORDER), key=_theme_rank)
    sections = []
    for key in keys:
        mine = sorted((f for f in findings if f.theme == key), key=_finding_key)
        if not mine and key not in scores:
            continue
        sections.append(
            ThemeSection(
                key=key,
                name=_theme_name(key),
                score=scores.get(key),
                findings=tuple(
                    _finding_view(f, prefix) for f in mine if f.status != "not_applicable"
                ),
                not_applicable=tuple(
                    _finding_view(f, prefix) for f in mine if f.status == "not_applicable"
                ),
            )
        )
    return tuple(sections)


def _answers_text(values: Iterable[str]) -> str:
    return series(v.replace("_", " ") for v in values if v != "unknown")


def _question_text(path: str) -> tuple[str, str]:
    """The question for a profile path and the answers it accepts."""
    paths = readable_paths()
    info = paths.get(path)
    if info is None:
        return path, ""
    text = info.description or path
    parts = path.split(".")
    if parts[0] == "instruments" and len(parts) == 3:
        instrument = paths.get(f"instruments.{parts[1]}.status")
        name = (instrument.description if instrument else "").rstrip(".") or parts[1]
        if parts[2] == "status":
            text = f"What is the status of the {name}?"
        else:
            text = f"{name}: {text[0].lower()}{text[1:]}"
    kinds = {"number": "a number", "list": "a list"}
    return text, kinds.get(info.kind) or _answers_text(info.values)


def _data_gaps(findings: Sequence[Finding]) -> tuple[QuestionGroup, ...]:
    rules: dict[str, set[str]] = {}
    lines: dict[str, int] = {}
    for f in findings:
        if f.status != "insufficient_data":
            continue
        for path in f.missing:
            rules.setdefault(path, set()).add(f.rule_id)
            line = next((t.line for t in f.trace if t.path == path and t.line), 0)
            if line and (path not in lines or line < lines[path]):
                lines[path] = line
            lines.setdefault(path, 0)
    groups: dict[str, list[Question]] = {}
    for path in rules:
        text, answers = _question_text(path)
        section = path.split(".", 1)[0]
        groups.setdefault(section, []).append(
            Question(path, text, answers, lines[path], tuple(sorted(rules[path])))
        )
    order = list(QUESTION_GROUPS)

    def rank(key: str) -> tuple[int, str]:
        return (order.index(key) if key in order else len(order), key)

    return tuple(
        QuestionGroup(
            key=key,
            name=QUESTION_GROUPS.get(key, key.replace("_", " ").capitalize()),
            questions=tuple(sorted(groups[key], key=lambda q: (q.line or 10**9, q.path))),
        )
        for key in sorted(groups, key=rank)
    )


def _sources(themes: Sequence[ThemeSection], corpus: Corpus) -> tuple[SourceEntry, ...]:
    cited: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for theme in themes:
        for f in theme.findings:
            for c in f.citations:
                cited[c.source] += 1
                titles.setdefault(c.source, c.title)
    entries = []
    for source_id, count in cited.items():
        src = corpus.sources.get(source_id)
        if src is None:  # a rule pack citing a source outside the bundled corpus
            entries.append(SourceEntry(source_id, "", "n.d.", titles[source_id], "", count))
            continue
        year = str(src.year) + (f" ({src.year_note})" if src.year_note else "")
        entries.append(SourceEntry(src.id, src.author, year, src.title, src.kind, count))
    return tuple(sorted(entries, key=lambda e: (e.author.casefold(), e.year, e.title, e.id)))


def _scale_bands(scale: Sequence[Band]) -> tuple[ClassBand, ...]:
    out = []
    upper: float | None = None
    for c in scale:  # highest first
        text = f"{c.minimum:g} to 100" if upper is None else f"{c.minimum:g} to under {upper:g}"
        out.append(ClassBand(c.number, c.label, c.minimum, text))
        upper = c.minimum
    return tuple(out)


def band_scale() -> tuple[ClassBand, ...]:
    """coherence's bands with their score ranges, highest first."""
    return _scale_bands(bands())


def sdg_scale() -> tuple[ClassBand, ...]:
    """The SDG 10.7.2 classes with their value ranges, highest first."""
    return _scale_bands(sdg_classes())


def _method() -> Method:
    config = scoring_config()
    weights = (
        *((STATUS_LABELS[s], f"counts {w:g}") for s, w in config.status_values.items()),
        (STATUS_LABELS["not_applicable"], "left out"),
        (STATUS_LABELS["waived"], "left out"),
        (STATUS_LABELS["insufficient_data"], "left out of the score; lowers coverage"),
    )
    severity = tuple(
        (SEVERITY_LABELS[k], f"weight {w:g}") for k, w in config.severity_weights.items()
    )
    minimum = f"{config.min_coverage:g}%"
    paragraphs = (
        "Each rule of the catalogue checks one recommendation of the international sources "
        "against the answers of the profile, and gives one status: met, partly met, gap, "
        "not applicable (the rule does not concern the country's roles), insufficient data "
        "(an answer the rule needs is unknown or missing) or waived (set aside by an "
        "approved waiver that has not expired).",
        "The score of a theme is the average over its decided rules, with met counting 1, "
        "partly met 0.5 and gap 0, each rule weighted by its severity, expressed out of 100. "
        "Rules that are not applicable or waived are left out. Rules with insufficient data "
        "are left out of the score too, and reported as coverage: the share of applicable "
        "rules that could be decided. A score is always shown with its coverage.",
        "The overall score pools the rules of the five policy themes. The cross-theme "
        "coherence rules re-read answers those themes already score, so they are scored apart "
        "as consistency across themes (the share of cross-theme checks without "
        "contradiction) and never enter the overall score: no answer counts twice. Their gaps "
        "are contradictions, counted apart from the gaps.",
        f"A score with a coverage of at least {minimum} is placed in one of coherence's four "
        "bands below. Below that coverage it is not classified: too few rules were decided "
        "for the score to describe the policy, and the report lists the questions to answer "
        "instead of a band.",
        DOMAIN_VIEW_NOTE + f" A domain below {minimum} coverage is not classified either.",
        "Every quotation in this report is verbatim and was verified against the text of its "
        "source when the catalogue was loaded; its lines are the lines of that text. The "
        "catalogue version identifies the exact rules and sources used.",
    )
    return Method(paragraphs, weights, severity, band_scale(), sdg_scale())


def _overall_sentence(name: str, overall: ScoreRow) -> str:
    data = f"“{SECTION_TITLES['data-gaps']}”"
    if overall.coverage is None:
        return f"No rule of the five policy themes applies to {name}: there is no overall score."
    if overall.score is None:
        return (
            f"No applicable rule of the five policy themes could be decided for {name}, so the "
            f"overall result is {overall.band_text}, listed under {data}."
        )
    if overall.classified:
        return (
            f"{name} scores {overall.score_text} out of 100 overall with a coverage of "
            f"{overall.coverage_text} of the applicable rules decided: band {overall.band} "
            f"(“{overall.band_label}”)."
        )
    needed = f"{scoring_config().min_coverage:g}%"
    return (
        f"{name}'s overall result is not classified: only {overall.coverage_text} of the "
        f"applicable rules could be decided, below the {needed} needed, so its provisional "
        f"score of {overall.score_text} out of 100 says little; answer its "
        f"{plural(overall.question_count, 'question')} (listed under {data}) to classify it."
    )


def _themes_sentence(themes: Sequence[ScoreRow]) -> str:
    classified = [t for t in themes if t.classified]
    out = ""
    if len(classified) == 1:
        t = classified[0]
        out = f"Only one theme can be classified: {t.name}, at {t.value_text}, {t.band_label}."
    elif classified:
        best = max(classified, key=lambda t: (t.score, -_theme_rank(t.key)[0]))
        worst = min(classified, key=lambda t: (t.score, _theme_rank(t.key)[0]))
        if best.score == worst.score:
            out = f"Every classified theme stands at {best.score_text} ({best.band_label})."
        else:
            out = (
                f"The strongest theme is {best.name} at {best.value_text}, {best.band_label}; "
                f"the weakest is {worst.name} at {worst.value_text}, {worst.band_label}."
            )
    thin = [t for t in themes if not t.classified and t.coverage is not None]
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
            else f"{consistency.value_text}, {consistency.band_text}"
        )
        text += f"; consistency across themes, scored apart from overall, is {shown}"
    return text + "."


def _sentences(
    name: str,
    overall: ScoreRow,
    themes: Sequence[ScoreRow],
    consistency: ScoreRow | None,
    findings: Sequence[Finding],
    actions: Sequence[ActionItem],
    data_gap_rules: int,
    questions: int,
) -> tuple[str, ...]:
    out = [_overall_sentence(name, overall)]
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
            f"the {plural(questions, 'question')} under “{SECTION_TITLES['data-gaps']}” "
            "would decide them"
        )
    else:
        data = "Every applicable rule could be decided: there are no data gaps"
    if counts["waived"]:
        data += f", and {plural(counts['waived'], 'rule is', 'rules are')} waived"
    out.append(data + ".")
    return tuple(out)


# --------------------------------------------------------------------------- builders


PRESSING = 3
"""How many first rows of the action plan the executive summary names."""

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


def build_report(assessment: Assessment, corpus: Corpus | None = None, anchor: str = "") -> Report:
    """The view model of one assessment's gap report.

    `corpus` supplies the bibliography (default: the bundled corpus manifest); `anchor`
    prefixes the ids of the report's parts when a document holds several reports.
    """
    corpus = corpus or load_corpus()
    p = assessment.profile
    header = Header(
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
    rows = {k: _score_row(k, s) for k, s in assessment.scores.items()}
    theme_rows = tuple(
        rows[k] for k in sorted(rows, key=_theme_rank) if k not in ("overall", CONSISTENCY_THEME)
    )
    consistency = rows.get(CONSISTENCY_THEME)
    overall = rows.get("overall") or _score_row("overall", NO_SCORE)
    findings = sorted(assessment.findings, key=lambda f: (_theme_rank(f.theme), f.rule_id))
    actions = _actions(findings, anchor)
    data_gaps = _data_gaps(findings)
    questions = sum(len(g.questions) for g in data_gaps)
    summary = Summary(
        themes=theme_rows,
        overall=overall,
        consistency=consistency,
        counts=status_counts(findings),
        sentences=_sentences(
            p.country_name,
            overall,
            theme_rows,
            consistency,
            findings,
            actions,
            sum(1 for f in findings if f.status == "insufficient_data"),
            questions,
        ),
        domains=domain_rows(assessment),
        domain_note=DOMAIN_NOTE,
        overall_note=OVERALL_NOTE,
    )
    themes = _themes(findings, rows, anchor)
    waivers = tuple(
        w for w in (_waiver_view(f, anchor) for f in sorted(findings, key=lambda f: f.rule_id)) if w
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
        sources=_sources(themes, corpus),
        method=_method(),
        contradictions=contradiction_views(findings, anchor),
        review=review_view(assessment),
    )


def build_reports(assessments: Sequence[Assessment], corpus: Corpus | None = None) -> list[Report]:
    """One report per assessment, in the given order.

    With several assessments each report gets an id prefix (`r1`, `r2`, ...) so that the
    anchors of an HTML document stay unique.
    """
    corpus = corpus or load_corpus()
    several = len(assessments) > 1
    return [
        build_report(a, corpus, anchor=f"r{i}" if several else "")
        for i, a in enumerate(assessments, start=1)
    ]
