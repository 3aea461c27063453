"""One finding as every report shows it: status, evidence, the profile's answers,
citations, waiver, contradiction sides, and the action plan's items."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coherence.citations import asks_words
from coherence.citations import sections as citation_sections
from coherence.findings import Finding, TraceEntry
from coherence.report.views.priority import SEVERITY_ORDER, action_plan, is_contradiction
from coherence.report.views.questions import question_text
from coherence.report.views.scores import ScoreRow
from coherence.report.vocabulary import (
    CONTRADICTION_LABEL,
    PARTIAL_CONTRADICTION_LABEL,
    SEVERITY_LABELS,
    STATE_WORDS,
    STATUS_LABELS,
    STATUS_ORDER,
    theme_name,
    value_text,
)
from coherence.wording import bare_title

_SAFE_LINK = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


_ANCHOR_CHARS = re.compile(r"[^a-z0-9]+")


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
    asked: str
    """The question as a list of questions asks it (an instrument's answers name it)."""
    state: str
    value: str
    line: int
    derived: bool
    evidence: tuple[EvidenceView, ...]
    note: str


@dataclass(frozen=True)
class SideView:
    """One side of a contradiction: "The profile says" or "What should go with it", with the
    answers it read."""

    label: str
    answers: tuple[ProfileEntry, ...]

    @property
    def text(self) -> str:
        """The side in one line: "What should go with it: <question> (path, line 40): no; ..."."""
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
    author: str = ""
    year: int | None = None
    year_note: str | None = None
    kind: str = ""
    """The source's author, year, note on the year and kind (for the bibliography)."""

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
        asked = {e.path: e.asked for e in self.profile}
        return tuple((asked.get(path, path), path) for path in self.missing)


DECIDED_STATUSES = frozenset({"gap", "partial", "waived"})
"""Statuses of the findings a printed report keeps in full (with the contradictions)."""


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


def anchor_id(*parts: str) -> str:
    """A lower-case id made of letters, digits and hyphens."""
    return "-".join(p for p in (_ANCHOR_CHARS.sub("-", x.lower()).strip("-") for x in parts) if p)


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
    derived = entry.path.startswith("derived.")
    if derived:
        label = "Derived from other answers: " + entry.path.removeprefix("derived.").replace(
            "_", " "
        )
    else:
        label = (entry.question.text if entry.question else "") or entry.path
        if entry.question and entry.question.instrument:  # the line above names it too
            label = label.replace("the instrument", f"the {bare_title(entry.question.instrument)}")
    if entry.state == "known":
        value = value_text(entry.value)
    else:
        value = STATE_WORDS.get(entry.state, entry.state)
    return ProfileEntry(
        path=entry.path,
        label=label,
        asked=question_text(entry.path, entry.question)[0],
        state=entry.state,
        value=value,
        line=entry.line,
        derived=derived,
        evidence=tuple(_evidence(e) for e in entry.evidence),
        note=entry.note or "",
    )


def _finding_anchor(prefix: str, rule_id: str) -> str:
    return anchor_id(prefix, "finding", rule_id)


def waiver_view(f: Finding, prefix: str) -> WaiverView | None:
    """The waiver of a finding as shown, or None without one."""
    if f.waiver is None:
        return None
    w = f.waiver
    return WaiverView(
        rule_id=f.rule_id,
        title=f.title,
        theme_name=theme_name(f.theme),
        justification=w.justification,
        approved_by=w.approved_by,
        expires=w.expires.isoformat(),
        underlying_status=w.underlying_status,
        underlying_label=STATUS_LABELS[w.underlying_status],
        anchor=_finding_anchor(prefix, f.rule_id),
    )


def finding_view(f: Finding, prefix: str) -> FindingView:
    """One finding as every format shows it; `prefix` makes its anchor unique."""
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
                c.source,
                c.title,
                c.section,
                c.lines[0],
                c.lines[1],
                c.quote,
                c.role,
                c.addressee,
                c.author,
                c.year,
                c.year_note,
                c.kind,
            )
            for c in f.citations
        ),
        references=tuple(f.references),
        recommendation=f.recommendation,
        responsible_area=f.responsible_area,
        rationale=f.rationale,
        waiver=waiver_view(f, prefix),
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


def action_items(findings: Sequence[Finding], prefix: str) -> tuple[ActionItem, ...]:
    """The action plan: gaps and partly met rules in `action_plan` order."""
    chosen = action_plan(findings)
    return tuple(
        ActionItem(
            rank=i,
            rule_id=f.rule_id,
            title=f.title,
            theme=f.theme,
            theme_name=theme_name(f.theme),
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


def finding_order(f: Finding) -> tuple[int, int, str]:
    """The order of findings within a theme: status, then severity, then rule id."""
    return (STATUS_ORDER[f.status], SEVERITY_ORDER[f.severity], f.rule_id)


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
