"""Findings: one rule against one profile, with its status, trace and citations.

These models are what the report renderers and CI formats build on. The JSON report
(`coherence check --format json`, `coherence schema --report`) is made of their parts
(`coherence.gapreport`): each rule's text (`RuleText`) and each cited passage (`Passage`)
once per document, and each profile's outcomes (`Outcome`, `AssessmentBody`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar

from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from coherence.docstrings import DocumentedModel

Status = Literal["met", "partial", "gap", "not_applicable", "insufficient_data", "waived"]
STATUSES: tuple[str, ...] = (
    "gap",
    "partial",
    "insufficient_data",
    "met",
    "not_applicable",
    "waived",
)


class _Out(DocumentedModel):
    model_config = ConfigDict(extra="forbid")


M = TypeVar("M", bound=_Out)


def built(cls: type[M], **values: Any) -> M:
    """A model made from values this program computed itself (the catalogue's text, the
    answers of a profile validated already), without validating them a second time: what
    `cls(**values)` holds, fields in their order and those not given at their defaults, as
    `model_construct` makes it, in two thirds of its time. For a model of many fields holding
    lists of models (a finding) it is also faster than validating (about 15 %); for a small
    one (a trace entry) it is not, and those are validated. The values must be of the fields'
    types as validation leaves them (a list for a list): nothing converts them."""
    fields = cls.__pydantic_fields__
    if len(values) == len(fields):
        data = {name: values[name] for name in fields}
    else:  # a default is made as validation makes it (a fresh list for `default_factory`)
        if not values.keys() <= fields.keys():
            raise TypeError(f"{cls.__name__} has no field {sorted(values.keys() - fields)}")
        data = {
            name: values[name] if name in values else info.get_default(call_default_factory=True)
            for name, info in fields.items()
        }
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", data)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


class QuestionOut(_Out):
    """The question a profile field answers, as the questionnaire asks it (one object per
    field, shared by every trace entry and answer of that field)."""

    text: str
    """The field's question: its description in the profile format (for an instrument's
    status, the instrument's name)."""
    kind: Literal["answer", "status", "number", "list"]
    """What the field holds: an answer, a treaty status, a number or a list."""
    allowed: list[str] = Field(default_factory=list)
    """The values the field accepts (answers and statuses; empty for numbers and lists)."""
    instrument: str | None = None
    """For the status of an international instrument or another answer about it: the
    instrument's name."""


class TraceEntry(_Out):
    """One profile field that the decision read."""

    path: str
    """Dotted profile path, or `derived.<id>` for a derived fact."""
    question: SkipJsonSchema[QuestionOut | None] = Field(default=None, exclude=True, repr=False)
    """The question the field answers; None for a derived fact. The same for every profile:
    a JSON report holds each field's question once, in its `questions` table, not here."""
    state: Literal["known", "unknown", "not_applicable", "missing"]
    """Whether the profile gave a value."""
    value: Any = None
    """The value read (absent when not known); a UN treaty's status as the profile writes it
    (`acceded` and `succeeded` stay so here, though rules read them as `ratified`)."""
    line: int = 0
    """Line of the answer in the profile (of its parent section when the answer is missing)."""
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    """The country's own evidence for the answer."""
    note: str | None = None
    """The profile's note on the answer."""
    practice: str | None = None
    """How the answer is applied in practice, when the profile says (yes/partial/no/unknown)."""
    excludes: list[str] = Field(default_factory=list)
    """Groups or sectors the answer leaves out."""
    practice_evidence: list[dict[str, Any]] = Field(default_factory=list)
    """The country's evidence on practice."""


CitationRole = Literal["requirement", "rationale", "context"]
Addressee = Literal[
    "states", "origin", "transit", "destination", "international_community", "un_system"
]


class Passage(_Out):
    """A verified quotation of a source, whatever rule cites it."""

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
    author: str = ""
    """The source's author (from the corpus manifest, `seeds/sources.yaml`)."""
    year: int | None = None
    """The source's year of publication."""
    year_note: str | None = None
    """A note on the year, e.g. the year of the edition quoted."""
    kind: str = ""
    """The kind of source, e.g. "convention" or "guidelines"."""


class CitationUse(_Out):
    """What a passage does for the rule that cites it."""

    role: CitationRole | None = None
    """What the passage does for the rule: `requirement` (it asks states for what the rule
    checks; reports show it under "What the sources ask"), `rationale` or `context` (shown as
    background); null when the rule pack does not say."""
    addressee: Addressee | None = None
    """To whom the passage speaks; null when the rule pack does not say."""


class CitationOut(CitationUse, Passage):
    """A verified quotation of a source, as a rule cites it."""


class Side(_Out):
    """One side of a contradiction: the answers of one part of the profile that, read with
    the other side's, contradict each other (docs/contradictions.md)."""

    label: str
    """How a report introduces the side: "The profile says" (the situation or policy that
    triggers the check, read by the rule's `applies_when`) or "What should go with it" (what
    should accompany it, read by `met_when` and `partial_when`)."""
    condition: Literal["applies_when", "met_when"]
    """The condition whose answers this side holds (`met_when` also covers `partial_when`)."""
    answers: list[TraceEntry] = Field(default_factory=list)
    """Every profile answer the side read (derived facts expanded), with its value and line."""


class WaiverOut(_Out):
    """The waiver applied to a finding."""

    justification: str
    approved_by: str
    expires: dt.date
    underlying_status: Status
    """The status the rule would have without the waiver."""


class RuleText(_Out):
    """What a finding says of its rule: the same in every profile's finding of the rule."""

    title: str
    theme: str
    severity: Literal["high", "medium", "low"]
    sdg_domain: str
    kind: Literal["check", "contradiction"] = "check"
    """`check`: a rule of one of the five policy themes, scored as a gap when not met.
    `contradiction`: a cross-theme `coherence` rule, which finds answers in different
    sections that contradict each other; never counted as a gap nor in the overall score."""
    rationale: str
    references: list[str] = Field(default_factory=list)


class Outcome(_Out):
    """What a finding says of the profile: its rule's status there, and why."""

    rule_id: str
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
    sides: list[Side] = Field(default_factory=list)
    """For a contradiction: its two sides, "The profile says" and "What should go with it",
    each with every answer it read (empty for a check)."""
    recommendation: str
    """What to do, chosen by the cause of the finding; never asks for what is done."""
    cause: str | None = None
    """Why the rule is not met: not_ratified, not_in_law, not_in_practice, excluded_groups,
    partial or gap (null when met, not applicable, undecided or waived)."""
    responsible_area: str = ""
    """Who acts: the country's own bodies when the profile names them, else generic words."""
    waiver: WaiverOut | None = None


class Finding(Outcome, RuleText):
    """One rule evaluated against one profile: its outcome there and its rule's text."""

    citations: list[CitationOut]


class ThemeScore(_Out):
    """Score of one theme, of `overall` (the five policy themes pooled) or of `coherence`
    (consistency across themes: the share of cross-theme checks without contradiction)."""

    score: float | None
    """0-100, weighted by severity: sum(severity weight x status value) / sum(severity weight)
    over the decided applicable rules (see config/scoring.yaml); null if none decided."""
    band: int | None
    """coherence's own band 1-4 (config/scoring.yaml); null when not classified."""
    band_label: str | None
    """The band's name, e.g. "Largely aligned"; null when not classified."""
    classified: bool
    """Whether the score gets a band: it has a score and its coverage reaches `min_coverage`."""
    coverage: float | None
    """Share (0-100) of applicable rules that could be decided; null when no rule applies."""
    counts: dict[str, int]
    """Findings by status."""
    question_count: int
    """Number of questions (profile answers) to answer to decide the undecided rules."""
    questions: list[str]
    """Those questions: profile paths from the findings' `missing`, de-duplicated and sorted."""
    selection_only: bool = False
    """The run checked a selection of the rules (`--select`/`--skip`): the score covers only
    them, so it gets no band, whatever its coverage."""


class DomainScore(_Out):
    """One domain of the indicative SDG 10.7.2 view: the indicator's method applied to the
    rules of that domain (not the official indicator, which comes from the UN Inquiry)."""

    name: str
    """The domain's name, e.g. "Migrant rights"."""
    rules: int
    """Number of rules of the domain evaluated (cross-theme coherence rules are left out)."""
    value: float | None
    """0-100: the unweighted mean of its decided rules (met 1, partial 0.5, gap 0) x 100; null
    when none is decided."""
    sdg_class: int | None
    """SDG 10.7.2 class 1-4 (config/sdg_classes.yaml); null when not classified."""
    sdg_class_label: str | None
    """e.g. "Partially meets"; null when not classified."""
    classified: bool
    """Whether a class is given: it has a value and its coverage reaches `min_coverage`."""
    coverage: float | None
    """Share (0-100) of the domain's applicable rules that could be decided."""
    counts: dict[str, int]
    """Findings by status."""
    question_count: int
    """Number of questions to answer to decide the domain's undecided rules."""
    questions: list[str]
    """Those questions (profile paths), de-duplicated and sorted."""
    selection_only: bool = False
    """The run checked a selection of the rules (`--select`/`--skip`): no class is given, and
    a domain with no rule may have lost them to the selection."""


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


class SectionReviewOut(_Out):
    """One section's place in the review trail."""

    section: str
    """instruments, one of the five themes, or context."""
    owner: str | None = None
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None
    reviewed: bool
    """True when the section names a reviewer and a date."""


class OldEvidence(_Out):
    """A document older than the review's age limit: to confirm before validation."""

    path: str
    """The answer it supports."""
    title: str
    date: str
    """As the profile gives it: a year, a month or a day."""
    kind: Literal["law", "practice"]
    line: int = 0


class ReviewState(_Out):
    """Where the profile stands in its review, and what to settle before validation."""

    sections: list[SectionReviewOut]
    unreviewed: list[str]
    """Sections with no reviewer or no date, in profile order."""
    evidence_max_age_years: int
    """The age limit (config/review.yaml), counted back from the profile's as_of date."""
    old_evidence: list[OldEvidence] = Field(default_factory=list)


class ScaleClass(_Out):
    """One class of a four-level scale: a band of coherence's scores, or an SDG 10.7.2 class."""

    number: int
    label: str
    minimum: float
    """The lowest score (0-100) of the class."""


class Scoring(_Out):
    """How the scores were computed: `config/scoring.yaml` and `config/sdg_classes.yaml` as
    read for this assessment (docs/scoring.md)."""

    severity_weights: dict[str, float]
    """The weight of each severity, high to low."""
    status_values: dict[str, float]
    """What each decided status counts: met, partial, gap."""
    min_coverage: float
    """The coverage (0-100) a score needs to be classified."""
    bands: list[ScaleClass]
    """coherence's bands for theme, overall and consistency scores, highest first."""
    sdg_classes: list[ScaleClass]
    """The SDG 10.7.2 classes of the indicative domain view, highest first."""


class ProfileAnswer(_Out):
    """One question of the profile as answered (what `coherence diff` compares); kept with
    the assessment, never written to a report."""

    path: str
    question: QuestionOut
    state: Literal["known", "unknown", "not_applicable", "missing"]
    value: Any = None
    """The value given (a tuple for a list), absent when not known."""
    line: int = 0
    practice: str | None = None
    excludes: tuple[str, ...] = ()
    answered_by: str | None = None


class Selection(_Out):
    """The rules a run checked when `--select`/`--skip` left some of the catalogue out."""

    select: list[str]
    """The `--select` patterns, as given."""
    skip: list[str]
    """The `--skip` patterns, as given."""
    rules: int
    """How many rules the run checked."""
    catalogue_rules: int
    """How many rules the whole catalogue has."""


class AssessmentBody(_Out):
    """What an assessment says of its profile besides the findings."""

    profile: ProfileInfo
    engine: str
    rules_evaluated: int
    selection: Selection | None = None
    """Set when `--select`/`--skip` left rules out: the scores cover the selection only and
    are not classified. Absent when the whole catalogue was checked."""
    scores: dict[str, ThemeScore]
    """Per theme, `overall` (the five policy themes, never the cross-theme `coherence` rules)
    and `coherence` (consistency across themes)."""
    sdg_domains: dict[str, DomainScore]
    """Indicative view on the SDG 10.7.2 scale, by domain `PD_1` to `PD_6` (every domain, also
    those no rule covers)."""
    notices: list[Notice] = Field(default_factory=list)
    review: ReviewState | None = None
    """The review trail and what to settle before validation (absent in older reports)."""
    scoring: Scoring
    """The weights, minimum coverage, bands and SDG 10.7.2 classes the scores were made with."""


class Assessment(AssessmentBody):
    """The result of checking one profile against the catalogue."""

    format_version: Literal[2] = 2
    """2: severity-weighted scores with bands and coverage threshold, SDG 10.7.2 domain view."""
    tool_version: str
    catalogue_version: str
    findings: list[Finding]
    answers: SkipJsonSchema[dict[str, ProfileAnswer] | None] = Field(
        default=None, exclude=True, repr=False
    )
    """Every question of the profile as answered, by path (for `coherence diff`); never
    written to a report, and None when the assessment was read back from one."""
    details: SkipJsonSchema[dict[str, str] | None] = Field(default=None, exclude=True, repr=False)
    """Notes, evidence, names and dates of the profile, by path (`assessment/details.py`),
    for `coherence diff`'s other changes; never written to a report, like `answers`."""
