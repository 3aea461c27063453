"""The country profile: the single source of truth for the profile format.

The JSON Schema (`coherence schema`, `schema/profile.schema.json`) and the commented
template (`templates/profile.yaml`) are both generated from these models; the attribute
docstrings become the schema's descriptions and the template's comments.

Every answer is optional: a missing answer is treated like `unknown`, never as `no`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, field_validator

from coherence.profile.answers import (
    FIRST_YEAR,
    LAST_YEAR,
    IloConventionField,
    Name,
    StrictModel,
    UnTreatyField,
)
from coherence.profile.country import (
    PLACEHOLDER_COUNTRY,
    PLACEHOLDER_NAME,
    CountryCode,
    iso3166_alpha3,
)
from coherence.profile.sections import (
    AntiTrafficking,
    Context,
    Coordination,
    DataCollection,
    LabourChannels,
    Rights,
)
from coherence.profile.spelling import AS_OF_DAY, DAY_IN_YEARS, FILLED, FILLED_10, any_case
from coherence.themes import POLICY_THEMES
from coherence.wording import series

FORMAT_VERSION = 2
Role = Literal["origin", "transit", "destination"]
ReviewStatus = Literal["draft", "inter_ministerial_review", "validated"]
THEMES = POLICY_THEMES

__all__ = [
    "FORMAT_VERSION",
    "PLACEHOLDER_COUNTRY",
    "REVIEW_SECTIONS",
    "THEMES",
    "CountryCode",
    "Profile",
    "iso3166_alpha3",
]


def _strict_date(value: Any) -> Any:
    # `as_of: 0` or a timestamp would be read by pydantic as a date: refuse both.
    if isinstance(value, dt.datetime):
        raise ValueError("give a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")
    if isinstance(value, str) and len(value.strip()) != 10:
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")
    return value


def _yes_or_no(value: Any) -> Any:
    # `illustrative: yes` means what it says (YAML 1.1 read it as true); `on`, `y` or `1`,
    # which pydantic's lax booleans would also take, are slips the schema would flag.
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
        return value.strip().lower() in ("yes", "true")  # a spreadsheet's text "TRUE" too
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false; write true or false (or yes or no)")
    return value


AS_OF_YEARS = (1900, 2100)
"""The years a profile may describe: a database's "no date" (0001-01-01) is not one."""


def _plausible_as_of(value: dt.date) -> dt.date:
    first, last = AS_OF_YEARS
    if not first <= value.year <= last:
        raise ValueError(
            f"{value.isoformat()} is not a plausible date for the answers (a year from {first} "
            f"to {last}); write the date the answers describe, e.g. 2025-06-30"
        )
    return value


def _in_profile_years(value: dt.date) -> dt.date:
    # A review date or an expiry of 0001-01-01 (a database's "no date") or 9999-12-31
    # describes nothing: bounded as the dates of documents are.
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(
            f"{value.isoformat()} is outside the years {FIRST_YEAR} to {LAST_YEAR} that a "
            "profile's dates can fall in; write the real date (YYYY-MM-DD)"
        )
    return value


def _day(pattern: str, bounds: Callable[[dt.date], dt.date]) -> Any:
    """A date written YYYY-MM-DD (its text matching `pattern` in the JSON Schema), checked
    by `bounds` once read."""
    text = Annotated[str, Field(pattern=pattern, json_schema_extra={"format": "date"})]
    return Annotated[
        dt.date,
        BeforeValidator(_strict_date, json_schema_input_type=text),
        AfterValidator(bounds),
    ]


RecordDate = _day(DAY_IN_YEARS, _in_profile_years)
"""A date the profile records (a review, an expiry), within the years of its documents."""

AsOfDate = _day(AS_OF_DAY, _plausible_as_of)
"""The date a profile's answers describe, in the years 1900 to 2100."""


class Country(StrictModel):
    """The country the profile describes."""

    code: CountryCode
    """ISO 3166-1 alpha-3 code, e.g. `PHL`, `DEU`, `MEX` (`XXX` only in the blank template)."""
    name: Name = Field(min_length=1, pattern=FILLED)
    """The country's name, as the report should print it."""

    @field_validator("name")
    @classmethod
    def _not_the_placeholder(cls, name: str) -> str:
        # The blank template's name, left as it was, would title every report.
        if name.casefold() == PLACEHOLDER_NAME.casefold():
            raise ValueError(
                f"the country name is still the template's placeholder {PLACEHOLDER_NAME!r}; "
                "write your country's name, e.g. Philippines"
            )
        return name


class Instruments(StrictModel):
    """Status of the international instruments on migration, labour and trafficking.

    UN treaties are `not_signed`, `signed`, `ratified`, `acceded` (accession, joining a
    treaty without signing it first, has the same effect as ratification) or `succeeded`
    (succession: a new state bound by its predecessor's ratification). ILO conventions
    are `not_ratified`, `ratified` or `denounced`: they are never signed.
    """

    migrant_workers_convention_1990: UnTreatyField | None = None
    """International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families (1990)."""
    ilo_c97: IloConventionField | None = None
    """ILO Migration for Employment Convention (Revised), 1949 (No. 97)."""
    ilo_c143: IloConventionField | None = None
    """ILO Migrant Workers (Supplementary Provisions) Convention, 1975 (No. 143)."""
    ilo_c181: IloConventionField | None = None
    """ILO Private Employment Agencies Convention, 1997 (No. 181)."""
    ilo_c189: IloConventionField | None = None
    """ILO Domestic Workers Convention, 2011 (No. 189)."""
    ilo_c29: IloConventionField | None = None
    """ILO Forced Labour Convention, 1930 (No. 29)."""
    ilo_p29: IloConventionField | None = None
    """Protocol of 2014 to the Forced Labour Convention, 1930 (P029)."""
    ilo_c96: IloConventionField | None = None
    """ILO Fee-Charging Employment Agencies Convention (Revised), 1949 (No. 96)."""
    trafficking_protocol_2000: UnTreatyField | None = None
    """Protocol to Prevent, Suppress and Punish Trafficking in Persons, especially Women and Children (Palermo, 2000)."""
    smuggling_protocol_2000: UnTreatyField | None = None
    """Protocol against the Smuggling of Migrants by Land, Sea and Air (2000)."""
    untoc_2000: UnTreatyField | None = None
    """United Nations Convention against Transnational Organized Crime (2000), parent of the Palermo protocols."""
    refugee_convention_1951: UnTreatyField | None = None
    """Convention relating to the Status of Refugees (1951)."""
    refugee_protocol_1967: UnTreatyField | None = None
    """Protocol relating to the Status of Refugees (1967), which lifts the 1951 Convention's time limit and its geographical limit (a state that had opted for the geographical limit may keep it)."""
    icerd: UnTreatyField | None = None
    """International Convention on the Elimination of All Forms of Racial Discrimination (1965)."""
    cedaw: UnTreatyField | None = None
    """Convention on the Elimination of All Forms of Discrimination against Women (1979)."""
    crc: UnTreatyField | None = None
    """Convention on the Rights of the Child (1989)."""
    iccpr: UnTreatyField | None = None
    """International Covenant on Civil and Political Rights (1966)."""
    icescr: UnTreatyField | None = None
    """International Covenant on Economic, Social and Cultural Rights (1966)."""
    cat: UnTreatyField | None = None
    """Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment (1984)."""
    statelessness_convention_1954: UnTreatyField | None = None
    """Convention relating to the Status of Stateless Persons (1954)."""
    statelessness_convention_1961: UnTreatyField | None = None
    """Convention on the Reduction of Statelessness (1961)."""


class Institutions(StrictModel):
    """The country's own bodies, by function: reports name them as responsible for actions.

    Leave out any that do not exist or that you do not want named; the report then uses a
    generic description such as "the ministry responsible for labour".
    """

    labour_ministry: Name | None = None
    """The ministry responsible for labour and employment."""
    interior_ministry: Name | None = None
    """The ministry responsible for the interior (police, public order), and for immigration and borders unless another body is named below."""
    immigration_authority: Name | None = None
    """The body that handles immigration, residence permits, exit and entry controls and removals, where it is not the ministry of the interior (e.g. a Bureau of Immigration under the ministry of justice)."""
    foreign_affairs_ministry: Name | None = None
    """The ministry of foreign affairs (consular services, nationals abroad)."""
    justice_ministry: Name | None = None
    """The ministry of justice."""
    social_affairs_ministry: Name | None = None
    """The ministry responsible for social affairs and social protection."""
    health_ministry: Name | None = None
    """The ministry of health."""
    education_ministry: Name | None = None
    """The ministry of education."""
    women_ministry: Name | None = None
    """The ministry or office responsible for women and gender equality."""
    statistics_office: Name | None = None
    """The national statistics office."""
    lead_migration_agency: Name | None = None
    """The lead agency for migration, if there is one."""
    emigration_agency: Name | None = None
    """The agency for foreign employment or emigration of nationals."""
    diaspora_agency: Name | None = None
    """The agency or office for the diaspora."""
    labour_inspectorate: Name | None = None
    """The labour inspectorate."""
    child_protection_authority: Name | None = None
    """The child protection authority."""
    trafficking_coordinator: Name | None = None
    """The national anti-trafficking coordinator, committee or rapporteur."""
    asylum_authority: Name | None = None
    """The authority that decides asylum claims."""
    equality_body: Name | None = None
    """The equality body or ombudsman that deals with discrimination."""
    human_rights_institution: Name | None = None
    """The national human-rights institution."""
    central_bank: Name | None = None
    """The central bank (remittances, balance of payments)."""
    planning_ministry: Name | None = None
    """The ministry responsible for planning and development."""


REVIEW_SECTIONS: tuple[str, ...] = ("instruments", *THEMES, "context")
"""The sections of a profile that are reviewed one by one before the government validates it."""


class SectionReview(StrictModel):
    """Who owns a section's answers and who reviewed them, when."""

    owner: Name | None = None
    """The ministry or unit that owns the section's answers, e.g. `Ministry of Labour`."""
    reviewed_by: Name | None = None
    """Who reviewed the answers (person and ministry), e.g. `A. Rana, Ministry of Justice`."""
    reviewed_on: RecordDate | None = None
    """When the review was done (YYYY-MM-DD)."""

    @property
    def reviewed(self) -> bool:
        """True when the review names both a reviewer and a date."""
        return bool(self.reviewed_by) and self.reviewed_on is not None


class Reviews(StrictModel):
    """The review trail: one entry per section (instruments, the five themes, context).

    `review_status: validated` is accepted only when every section has been reviewed.
    """

    instruments: SectionReview | None = None
    """Status of the international instruments."""
    rights: SectionReview | None = None
    """Rights of migrants and their families."""
    data_collection: SectionReview | None = None
    """Migration statistics and evidence for policy."""
    labour_channels: SectionReview | None = None
    """Regular channels for labour migration."""
    anti_trafficking: SectionReview | None = None
    """Anti-trafficking."""
    coordination: SectionReview | None = None
    """Interagency coordination."""
    context: SectionReview | None = None
    """The country's situation."""

    def unreviewed(self) -> list[str]:
        """The sections, in profile order, that have no reviewer or no review date."""
        return [
            name
            for name in REVIEW_SECTIONS
            if (review := getattr(self, name)) is None or not review.reviewed
        ]


class Waiver(StrictModel):
    """A decision to set a rule aside for this country, with its justification."""

    rule: str = Field(pattern=r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]{3}$")
    """The id of the rule waived, e.g. `RIGHTS-004`."""
    justification: str = Field(min_length=10, pattern=FILLED_10)
    """Why the rule is set aside; shown in every report."""
    approved_by: Name = Field(min_length=1, pattern=FILLED)
    """Who approved the waiver (office or person)."""
    expires: RecordDate
    """The waiver lapses after this date (YYYY-MM-DD)."""


class Profile(StrictModel):
    """A country's migration-policy profile, checked by `coherence check`."""

    format_version: Literal[2]
    """Version of the profile format: 2. A format-1 profile is rewritten by `coherence upgrade`."""
    country: Country
    """The country the profile describes."""
    as_of: AsOfDate
    """The date the answers describe (YYYY-MM-DD)."""
    prepared_by: Name = Field(min_length=1, pattern=FILLED)
    """Who prepared the profile (ministry, unit, consultant)."""
    roles: list[Role] = Field(min_length=1)
    """The country's migration roles: one or more of origin, transit, destination."""
    review_status: ReviewStatus = "draft"
    """draft, inter_ministerial_review or validated."""
    illustrative: Annotated[
        bool,
        BeforeValidator(
            _yes_or_no,
            json_schema_input_type=bool
            | Annotated[str, WithJsonSchema(any_case("yes", "no", "true", "false"))],
        ),
    ] = False
    """True for made-up example profiles that describe no real country's policy."""
    institutions: Institutions = Field(default_factory=Institutions)
    """The country's own bodies by function, named in reports as responsible for actions."""
    instruments: Instruments = Field(default_factory=Instruments)
    """Status of the international instruments."""
    rights: Rights = Field(default_factory=Rights)
    """Rights of migrants and their families."""
    data_collection: DataCollection = Field(default_factory=DataCollection)
    """Migration statistics and evidence for policy."""
    labour_channels: LabourChannels = Field(default_factory=LabourChannels)
    """Regular channels for labour migration and protection of migrant workers."""
    anti_trafficking: AntiTrafficking = Field(default_factory=AntiTrafficking)
    """Prevention of trafficking, protection of victims, prosecution."""
    coordination: Coordination = Field(default_factory=Coordination)
    """Interagency coordination and coherence."""
    context: Context = Field(default_factory=Context)
    """The country's situation, for the coherence rules."""
    waivers: list[Waiver] = Field(default_factory=list)
    """Rules set aside for this country, each with a justification and an expiry date."""
    reviews: Reviews = Field(default_factory=Reviews)
    """The review trail: each section's owner, who reviewed it and when. `review_status: validated` needs every section reviewed."""

    def review_problems(self) -> list[tuple[tuple[str, ...], str]]:
        """Why `review_status: validated` cannot stand: (where, message) pairs; empty if it can."""
        if self.review_status != "validated":
            return []
        missing = self.reviews.unreviewed()
        if not missing:
            return []
        return [
            (
                ("review_status",),
                "'validated' needs a review of every section, and "
                + f"{series(missing, 'and')} {'has' if len(missing) == 1 else 'have'} none: "
                + "add reviews: with reviewed_by and reviewed_on for each, or set "
                + "review_status: inter_ministerial_review until they are reviewed",
            )
        ]

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, roles: list[str]) -> list[str]:
        if len(set(roles)) != len(roles):
            raise ValueError("each role may be listed only once")
        return roles
