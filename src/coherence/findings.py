"""Findings: one rule against one profile, with its status, trace and citations.

These models are the JSON contract (`coherence check --format json`, `coherence schema
--report`) that the report renderers and CI formats build on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["met", "partial", "gap", "not_applicable", "insufficient_data", "waived"]
STATUSES: tuple[str, ...] = (
    "gap",
    "partial",
    "insufficient_data",
    "met",
    "not_applicable",
    "waived",
)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class TraceEntry(_Out):
    """One profile field that the decision read."""

    path: str
    """Dotted profile path, or `derived.<id>` for a derived fact."""
    state: Literal["known", "unknown", "not_applicable", "missing"]
    """Whether the profile gave a value."""
    value: Any = None
    """The value read (absent when not known)."""
    line: int = 0
    """Line of the answer in the profile (of its parent section when the answer is missing)."""
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    """The country's own evidence for the answer."""
    note: str | None = None
    """The profile's note on the answer."""


class CitationOut(_Out):
    """A verified quotation of a source."""

    source: str
    """Source id."""
    title: str
    """Source title."""
    file: str
    """Source file in `seeds/`."""
    lines: tuple[int, int]
    """First and last line of the quote."""
    section: str
    """The section of the source the quote stands in."""
    quote: str
    """The verbatim quote."""


class WaiverOut(_Out):
    """The waiver applied to a finding."""

    justification: str
    approved_by: str
    expires: dt.date
    underlying_status: Status
    """The status the rule would have without the waiver."""


class Finding(_Out):
    """One rule evaluated against one profile."""

    rule_id: str
    title: str
    theme: str
    severity: Literal["high", "medium", "low"]
    sdg_domain: str
    status: Status
    """met, partial, gap, not_applicable, insufficient_data or waived."""
    reason: str
    """Why, in one plain sentence."""
    missing: list[str] = Field(default_factory=list)
    """For insufficient_data: the unknown or missing answers the decision needs."""
    location: TraceEntry | None = None
    """The answer that decided the status (first of the trace when none stands out)."""
    trace: list[TraceEntry] = Field(default_factory=list)
    """Every profile field the decision read, in condition order."""
    recommendation: str
    responsible_area: str = ""
    rationale: str
    citations: list[CitationOut]
    references: list[str] = Field(default_factory=list)
    waiver: WaiverOut | None = None


class ThemeScore(_Out):
    """Score of one theme (or overall)."""

    score: float | None
    """0-100: met 1, partial 0.5, gap 0 over decided applicable rules; null if none decided."""
    sdg_class: int | None
    """SDG 10.7.2 class 1-4, null when the score is null."""
    sdg_class_label: str | None
    coverage: float | None
    """Share (0-100) of applicable rules that could be decided."""
    counts: dict[str, int]
    """Findings by status."""


class ProfileInfo(_Out):
    """The profile the assessment is about."""

    path: str
    country: str
    country_name: str
    as_of: dt.date
    roles: list[str]
    review_status: str
    illustrative: bool


class Notice(_Out):
    """Something the user should know that is not a finding, e.g. an expired waiver."""

    code: str
    message: str
    line: int = 0


class Assessment(_Out):
    """The result of checking one profile against the catalogue."""

    format_version: Literal[1] = 1
    tool_version: str
    profile: ProfileInfo
    engine: str
    catalogue_version: str
    rules_evaluated: int
    findings: list[Finding]
    scores: dict[str, ThemeScore]
    """Per theme and `overall`."""
    notices: list[Notice] = Field(default_factory=list)
