"""The rule format (`rules/*.yaml`): rules are data, never code.

A rule file holds a list of rules under `rules:` and, optionally, derived facts under
`derived:`. Each rule says to whom it applies, when it is met, partially met or a gap, why
(rationale and verbatim citations of the sources) and what a government can do about it.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from coherence.docstrings import DocumentedModel
from coherence.rules.condition import Condition

Theme = Literal[
    "rights", "data_collection", "labour_channels", "anti_trafficking", "coordination", "coherence"
]
Severity = Literal["high", "medium", "low"]
Role = Literal["origin", "transit", "destination"]
SdgDomain = Literal["PD_1", "PD_2", "PD_3", "PD_4", "PD_5", "PD_6"]
Status = Literal["met", "partial", "gap", "not_applicable", "insufficient_data", "waived"]

Cause = Literal[
    "not_ratified", "not_in_law", "not_in_practice", "excluded_groups", "partial", "gap"
]
"""Why a rule is not met, read from the trace (see docs/rule-language.md, "Recommendations
by cause")."""

Institution = Literal[
    "labour_ministry",
    "interior_ministry",
    "immigration_authority",
    "foreign_affairs_ministry",
    "justice_ministry",
    "social_affairs_ministry",
    "health_ministry",
    "education_ministry",
    "women_ministry",
    "statistics_office",
    "lead_migration_agency",
    "emigration_agency",
    "diaspora_agency",
    "labour_inspectorate",
    "child_protection_authority",
    "trafficking_coordinator",
    "asylum_authority",
    "equality_body",
    "human_rights_institution",
    "central_bank",
    "planning_ministry",
]
"""Institutions by function, as a profile's `institutions` section names them."""

RULE_ID = r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]{3}$"
DERIVED_ID = r"^[a-z][a-z0-9_]*$"


class _Strict(DocumentedModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


CitationRole = Literal["requirement", "rationale", "context"]
"""What a cited passage does for the rule: `requirement` asks or urges states (or a category
of states) to do what the rule checks; `rationale` explains why it matters; `context` is
background."""

Addressee = Literal[
    "states", "origin", "transit", "destination", "international_community", "un_system"
]
"""To whom the passage speaks: states in general, countries of origin, transit or
destination, the international community, or the UN system."""


class Citation(_Strict):
    """A verbatim passage of a source, with what it does for the rule and to whom it speaks."""

    source: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    """Source id from `seeds/sources.yaml`, e.g. `iom-2003-mpi1`."""
    lines: tuple[int, int]
    """First and last line of the quote in the source file (1-based, inclusive)."""
    quote: str = Field(min_length=20)
    """The source's own words, verbatim (whitespace may differ)."""
    role: CitationRole | None = None
    """requirement, rationale or context (`rules lint` requires it)."""
    addressee: Addressee | None = None
    """states, origin, transit, destination, international_community or un_system
    (`rules lint` requires it)."""

    @field_validator("lines", mode="before")
    @classmethod
    def _two_numbers(cls, value: Any) -> Any:
        # Said once for the field, in plain words: not "required field '1' is missing" for
        # `[42]`, nor "'0': input should be a valid integer" for `[a, b]`.
        numbers = isinstance(value, (list, tuple)) and len(value) == 2
        if numbers and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return value
        shown = "[" + ", ".join(map(str, value)) + "]" if isinstance(value, list) else value
        raise ValueError(
            "lines needs two whole numbers, the first and the last line of the quote in the "
            f"source, e.g. lines: [40, 42] (got {shown})"
        )

    @model_validator(mode="after")
    def _ordered(self) -> Citation:
        if not 1 <= self.lines[0] <= self.lines[1]:
            raise ValueError("lines must be [first, last] with 1 <= first <= last")
        return self


class Reference(_Strict):
    """A pointer to a primary instrument, in the catalogue's own words (not a quote)."""

    instrument: str = Field(pattern=r"^[a-z0-9_]+$")
    """Instrument id from `config/instruments.yaml`, e.g. `ilo_c97`, `icpd_poa`."""
    provision: str | None = None
    """Article or paragraph where one applies, e.g. `Art. 6`, `paras. 10.12-10.14`; left out
    when unsure."""
    note: str | None = None
    """What the provision is about, in a few words."""


class Case(_Strict):
    """A rule test: a profile fragment and the status the rule must give it."""

    name: str
    """What the case shows, in a few words."""
    expect: Literal["met", "partial", "gap", "not_applicable", "insufficient_data"]
    """The status the rule must produce."""
    roles: list[Role] = Field(default_factory=lambda: ["origin", "transit", "destination"])
    """The country's roles for this case (default: all three)."""
    profile: dict[str, Any] = Field(default_factory=dict)
    """Profile sections to merge into a minimal valid profile, e.g. `{rights: {...}}`."""


class Rule(_Strict):
    """One check of a profile against the international recommendations."""

    id: str = Field(pattern=RULE_ID)
    """Stable id, e.g. `RIGHTS-004`; never reused for a different check."""
    title: str = Field(min_length=5)
    """What the rule checks, as a short sentence."""
    theme: Theme
    """rights, data_collection, labour_channels, anti_trafficking, coordination or coherence."""
    severity: Severity
    """How much a gap matters: high, medium or low."""
    applies_to: list[Role] = Field(min_length=1)
    """The country roles the rule concerns."""
    applies_when: Condition | None = None
    """Optional applicability: false gives `not_applicable`, unknown `insufficient_data`."""
    met_when: Condition
    """True: the rule is met."""
    partial_when: Condition | None = None
    """When `met_when` is false and this is true, the rule is partially met."""
    rationale: str = Field(min_length=20)
    """Why this matters, in plain language."""
    recommendation: str = Field(min_length=20)
    """What a government can do, written as an action."""
    recommendations: dict[Cause, str] = Field(default_factory=dict)
    """Recommendations by cause, chosen by what the trace shows: `not_ratified`,
    `not_in_law` (ratified but not, or not fully, in national law), `not_in_practice`
    (in law but not applied), `excluded_groups` (`{excluded}` is replaced by the groups
    the answer leaves out), `partial`, `gap`. `recommendation` is used for any cause
    not listed. In any of them, `{if_reservations: text}` keeps its text only where the
    profile records reservations to a UN treaty the rule reads."""
    responsible_area: str = Field(default="", max_length=80)
    """Which part of government usually acts, in generic words, e.g. `Ministry of Labour`."""
    responsible: list[Institution] = Field(default_factory=list)
    """The institutions that act, by function; reports use the country's own names for them
    when its profile gives them (`institutions:`), and `responsible_area` otherwise."""
    practice_cap: bool | None = None
    """When true, an answer in law that is worse in practice makes a met rule at most partial,
    with the reason "in law but not in practice". Unset, it is true for the five policy themes
    and false for cross-theme coherence rules (`theme: coherence`): a contradiction sets
    policies against each other, and a practice shortfall is the finding of the theme rule
    that reads the answer, never counted a second time."""

    @property
    def caps_practice(self) -> bool:
        """Whether the practice cap applies (`practice_cap`, or its default by theme)."""
        return self.practice_cap if self.practice_cap is not None else self.theme != "coherence"

    exclusions_cap: bool = True
    """When true (the default), a `yes` answer that excludes groups or sectors makes a met
    rule at most partial, naming the groups left out."""
    citations: list[Citation] = Field(min_length=1)
    """Verbatim passages of the sources that ask for this."""
    references: list[Reference | str] = Field(default_factory=list)
    """Primary instruments behind the rule, as `{instrument, provision}` pointers (a plain
    string is accepted for old rule packs, and `rules lint` asks for the structured form)."""
    sdg_domain: SdgDomain
    """SDG 10.7.2 / IOM MiGOF policy domain: PD_1 rights, PD_2 whole-of-government,
    PD_3 cooperation and partnerships, PD_4 socioeconomic well-being,
    PD_5 mobility dimensions of crises, PD_6 safe, orderly and regular migration."""
    tags: list[str] = Field(default_factory=list)
    """Free keywords."""
    cases: list[Case] = Field(default_factory=list)
    """Rule tests, run by `coherence rules test`."""


class Derived(_Strict):
    """A derived fact: a named condition that rules can read as `derived.<id>` (yes/no)."""

    id: str = Field(pattern=DERIVED_ID)
    """Name of the fact, read by rules as `derived.<id>`."""
    description: str = Field(min_length=10)
    """What the fact means."""
    when: Condition
    """True gives `yes`, false gives `no`, unknown leaves the fact unknown."""


class RetiredRule(_Strict):
    """A rule once in the catalogue and taken out: its id is never used again, and a
    profile's waiver of it is told why instead of being refused as unknown."""

    id: str = Field(pattern=RULE_ID)
    """The retired rule's id."""
    title: str = Field(min_length=5)
    """What it checked."""
    reason: str = Field(min_length=10)
    """Why it was retired, in plain words."""


class RuleFile(_Strict):
    """One file of the catalogue or of a rule pack."""

    rules: list[Rule] = Field(default_factory=list)
    """The rules in this file."""
    derived: list[Derived] = Field(default_factory=list)
    """Derived facts defined in this file."""
    retired: list[RetiredRule] = Field(default_factory=list)
    """Rules retired from this file: their ids stay taken."""


IF_RESERVATIONS = re.compile(r"\{if_reservations:\s*([^{}]*)\}")
"""`{if_reservations: text}` in a recommendation: the text is kept only where the profile
records reservations to a treaty the rule reads (Senegal, which records none, was told to
withdraw them)."""
