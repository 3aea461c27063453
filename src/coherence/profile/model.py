"""The country profile: the single source of truth for the profile format.

The JSON Schema (`coherence schema`, `schema/profile.schema.json`) and the commented
template (`templates/profile.yaml`) are both generated from these models; the attribute
docstrings become the schema's descriptions and the template's comments.

Every answer is optional: a missing answer is treated like `unknown`, never as `no`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from coherence.profile.answers import (
    AnswerField,
    BilateralAgreementsField,
    CoordinationBodiesField,
    CountField,
    IloConventionField,
    ItemListField,
    StrictModel,
    UnTreatyField,
)
from coherence.profile.country import PLACEHOLDER_COUNTRY, CountryCode, iso3166_alpha3
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


class Country(StrictModel):
    """The country the profile describes."""

    code: CountryCode
    """ISO 3166-1 alpha-3 code, e.g. `PHL`, `DEU`, `MEX` (`XXX` only in the blank template)."""
    name: str = Field(min_length=1)
    """The country's name, as the report should print it."""


class Instruments(StrictModel):
    """Status of the international instruments on migration, labour and trafficking.

    UN treaties are `not_signed`, `signed`, `ratified` or `acceded` (accession, joining a
    treaty without signing it first, has the same effect as ratification). ILO conventions
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
    """Protocol relating to the Status of Refugees (1967), which lifts the 1951 Convention's time and place limits."""
    icerd: UnTreatyField | None = None
    """International Convention on the Elimination of All Forms of Racial Discrimination (1965)."""
    cedaw: UnTreatyField | None = None
    """Convention on the Elimination of All Forms of Discrimination against Women (1979)."""
    crc: UnTreatyField | None = None
    """Convention on the Rights of the Child (1989)."""


class Rights(StrictModel):
    """Rights of migrants and their families."""

    equal_treatment: AnswerField | None = None
    """Do migrant workers have equal treatment with nationals in pay and conditions of work, in law?"""
    social_security: AnswerField | None = None
    """Do migrant workers have access to social security on the same terms as nationals?"""
    social_security_portability: AnswerField | None = None
    """Can migrants take their social-security benefits with them (portability, totalisation agreements)?"""
    health_care: AnswerField | None = None
    """Do migrants have access to health care?"""
    health_care_irregular: AnswerField | None = None
    """Do migrants in an irregular situation have access to at least emergency and essential health care?"""
    education_children: AnswerField | None = None
    """Can migrant children attend school regardless of their or their parents' status?"""
    family_reunification: AnswerField | None = None
    """Can migrants with a regular status be joined by their families?"""
    anti_discrimination_law: AnswerField | None = None
    """Does a law prohibit discrimination against migrants (nationality, race, ethnicity)?"""
    anti_discrimination_body: AnswerField | None = None
    """Does a body (equality body, ombudsman) enforce the anti-discrimination law?"""
    xenophobia_measures: AnswerField | None = None
    """Are there measures against racism and xenophobia towards migrants (campaigns, monitoring)?"""
    access_to_justice: AnswerField | None = None
    """Can migrants, whatever their status, go to court or file complaints about abuse and unpaid wages?"""
    domestic_workers_covered: AnswerField | None = None
    """Are domestic workers, including migrants, covered by labour law?"""
    freedom_to_leave: AnswerField | None = None
    """Are citizens free to leave the country (no exit visas or arbitrary exit restrictions)?"""
    sex_specific_emigration_bans: AnswerField | None = None
    """Does the country ban or restrict emigration for work by sex (e.g. bans on women going abroad as domestic workers)? `yes` means such bans exist."""
    detention_last_resort: AnswerField | None = None
    """Is immigration detention used only as a last resort, with alternatives in law?"""
    child_detention_prohibited: AnswerField | None = None
    """Is the immigration detention of children prohibited?"""
    unaccompanied_children_protection: AnswerField | None = None
    """Are unaccompanied and separated migrant children protected (guardian, best-interests assessment, child-sensitive procedures)?"""
    asylum_procedure: AnswerField | None = None
    """Is there a fair and efficient asylum procedure in law and practice?"""
    non_refoulement: AnswerField | None = None
    """Is non-refoulement guaranteed in law?"""
    border_harm_reduction: AnswerField | None = None
    """Are there measures to prevent death and injury of migrants crossing borders irregularly (rescue, safe procedures)?"""
    nhri_covers_migrants: AnswerField | None = None
    """Does a national human-rights institution have a mandate that covers migrants?"""
    integration_measures: AnswerField | None = None
    """Are there integration measures for migrants (language, civic orientation), respecting their cultural identity?"""
    women_migrants_protection: AnswerField | None = None
    """Are there measures for the specific protection of women migrant workers?"""
    freedom_of_association: AnswerField | None = None
    """Can migrant workers join and form trade unions?"""
    birth_registration: AnswerField | None = None
    """Can every child born in the country be registered at birth, whatever the parents' status?"""
    rights_information: AnswerField | None = None
    """Are migrants told of their rights and obligations in the country (on arrival, through a public service, in languages they understand)?"""
    crisis_displacement_measures: AnswerField | None = None
    """Are there measures for people displaced by conflict or natural disaster, into the country or within it (humanitarian admission or temporary protection, assistance to internally displaced persons)?"""
    durable_solutions_refugees: AnswerField | None = None
    """Does the state pursue durable solutions for refugees it hosts (local integration or naturalisation, voluntary repatriation, resettlement)?"""


class DataCollection(StrictModel):
    """Migration statistics and evidence for policy."""

    census_birthplace_citizenship: AnswerField | None = None
    """Does the census ask country of birth and country of citizenship?"""
    un_recommendations_rev1: AnswerField | None = None
    """Are migration statistics produced following the UN Recommendations on Statistics of International Migration, Revision 1 (1998)?"""
    admin_flow_statistics: AnswerField | None = None
    """Are flows into and out of the country measured from administrative sources (permits, border data, registers)?"""
    sex_age_disaggregation: AnswerField | None = None
    """Are migration statistics disaggregated by sex and age?"""
    labour_migration_data: AnswerField | None = None
    """Are there data on labour migration (work permits, migrant workers by sector and occupation)?"""
    remittance_statistics: AnswerField | None = None
    """Are remittance flows measured (balance of payments, household surveys)?"""
    trafficking_data: AnswerField | None = None
    """Are there data on trafficking: victims identified, prosecutions, convictions?"""
    nationals_abroad_data: AnswerField | None = None
    """Are there data on nationals living or working abroad?"""
    refugee_asylum_statistics: AnswerField | None = None
    """Are refugee and asylum statistics produced?"""
    data_publication: AnswerField | None = None
    """Are migration statistics published regularly?"""
    international_data_exchange: AnswerField | None = None
    """Are migration data exchanged with other countries or international bodies?"""
    irregular_migration_estimates: AnswerField | None = None
    """Are estimates of irregular migration produced?"""
    policy_evaluation: AnswerField | None = None
    """Are migration policies and programmes evaluated?"""
    research_capacity: AnswerField | None = None
    """Is there national capacity for migration research and statistics (training, a research unit)?"""
    household_survey_migration_module: AnswerField | None = None
    """Do household or labour-force surveys include questions on migration and remittances?"""


class LabourChannels(StrictModel):
    """Regular channels for labour migration and the protection of migrant workers."""

    labour_market_needs_assessment: AnswerField | None = None
    """Are admissions of foreign workers tied to an assessment of labour-market needs?"""
    temporary_admission: AnswerField | None = None
    """Is there a regular channel for temporary labour migration?"""
    seasonal_admission: AnswerField | None = None
    """Is there a regular channel for seasonal work?"""
    permanent_admission: AnswerField | None = None
    """Is there a regular channel for permanent labour migration?"""
    low_skilled_admission: AnswerField | None = None
    """Is a regular admission channel open to low- and medium-skilled workers, not only the highly skilled?"""
    bilateral_agreements: BilateralAgreementsField | None = None
    """Does the country have bilateral labour agreements? List the partners and say whether they are monitored."""
    regional_free_movement: AnswerField | None = None
    """Does the country take part in a regional scheme of free movement of workers, with harmonised rules?"""
    recruitment_agency_licensing: AnswerField | None = None
    """Are private recruitment agencies licensed and supervised?"""
    recruitment_fee_ban: AnswerField | None = None
    """Is charging recruitment fees to workers prohibited?"""
    pre_departure_orientation: AnswerField | None = None
    """Do emigrating workers receive pre-departure orientation?"""
    legal_migration_information: AnswerField | None = None
    """Is information on legal routes and the risks of irregular migration made available?"""
    labour_attaches: AnswerField | None = None
    """Are there labour attachés or welfare officers in the main destination countries?"""
    welfare_fund: AnswerField | None = None
    """Is there a welfare fund or insurance for nationals working abroad?"""
    skills_recognition: AnswerField | None = None
    """Are migrants' qualifications and skills recognised?"""
    gats_mode4_commitments: AnswerField | None = None
    """Has the country made GATS Mode 4 commitments (temporary movement of service suppliers)?"""
    circular_migration_programmes: AnswerField | None = None
    """Are there circular or temporary-return migration programmes?"""
    return_reintegration_support: AnswerField | None = None
    """Is there support for the return and reintegration of migrants?"""
    diaspora_engagement: AnswerField | None = None
    """Is there a policy to engage the diaspora in development (skills, investment)?"""
    remittance_formal_channels: AnswerField | None = None
    """Are formal, safe channels for remittances promoted?"""
    remittance_cost_reduction: AnswerField | None = None
    """Are there measures to lower the cost of sending remittances (competition, transparency)?"""
    remittance_tax: AnswerField | None = None
    """Are remittances taxed? `yes` means a tax is levied on remittances."""
    social_partner_consultation: AnswerField | None = None
    """Are employers' and workers' organisations consulted on labour-migration policy?"""
    labour_inspection: AnswerField | None = None
    """Does labour inspection cover sectors where migrants work?"""
    employer_sanctions: AnswerField | None = None
    """Are employers who exploit migrant workers or employ them irregularly sanctioned?"""
    brain_drain_measures: AnswerField | None = None
    """Are there measures against the loss of skilled workers (ethical recruitment, retention, return of skills)?"""
    passport_retention_prohibited: AnswerField | None = None
    """Is it prohibited for employers and recruiters to confiscate migrant workers' passports?"""


class AntiTrafficking(StrictModel):
    """Prevention of trafficking in persons, protection of victims, prosecution."""

    trafficking_criminalised: AnswerField | None = None
    """Is trafficking in persons a crime, defined as in the Palermo Protocol?"""
    smuggling_distinct: AnswerField | None = None
    """Does the law distinguish trafficking from migrant smuggling?"""
    non_punishment_of_victims: AnswerField | None = None
    """Are victims protected from punishment for offences they were forced to commit (e.g. irregular entry)?"""
    children_treated_as_victims: AnswerField | None = None
    """Are trafficked children treated as victims, never as offenders?"""
    identification_referral: AnswerField | None = None
    """Is there a mechanism to identify victims and refer them to assistance?"""
    shelter: AnswerField | None = None
    """Do victims have access to shelter and assistance?"""
    recovery_period: AnswerField | None = None
    """Do victims get a recovery and reflection period?"""
    residence_permits_victims: AnswerField | None = None
    """Can foreign victims obtain a residence permit?"""
    child_safeguards: AnswerField | None = None
    """Are there safeguards specific to child victims (guardians, child-sensitive procedures)?"""
    national_action_plan: AnswerField | None = None
    """Is there a national action plan against trafficking?"""
    coordinator_or_rapporteur: AnswerField | None = None
    """Is there a national coordinating body or rapporteur on trafficking?"""
    sanctions_on_traffickers: AnswerField | None = None
    """Are traffickers and organisers prosecuted and sanctioned in practice?"""
    prevention_campaigns: AnswerField | None = None
    """Are there prevention and information campaigns?"""
    vulnerability_reduction: AnswerField | None = None
    """Are there measures that reduce people's vulnerability to trafficking (poverty, lack of opportunity, discrimination)?"""
    international_cooperation: AnswerField | None = None
    """Does the country cooperate internationally on trafficking (agreements, joint investigations)?"""
    law_enforcement_training: AnswerField | None = None
    """Are police, border guards, labour inspectors and prosecutors trained to identify victims?"""
    victim_reintegration: AnswerField | None = None
    """Are returning victims of trafficking helped to return safely and reintegrate?"""


class Coordination(StrictModel):
    """Interagency coordination and coherence of migration governance."""

    national_migration_policy: AnswerField | None = None
    """Is there a national migration policy or strategy?"""
    coordination_bodies: CoordinationBodiesField | None = None
    """Is there an inter-ministerial body that coordinates migration policy? List each body with its mandate, members and how often it meets."""
    lead_agency: AnswerField | None = None
    """Is there a designated lead agency for migration?"""
    development_plan_mainstreaming: AnswerField | None = None
    """Is migration mainstreamed in the national development plan or poverty-reduction strategy?"""
    root_causes_development_policy: AnswerField | None = None
    """Does the development strategy aim to make staying in the country a viable option (jobs, rural development) rather than rely on emigration?"""
    civil_society_consultation: AnswerField | None = None
    """Is civil society consulted on migration policy?"""
    social_partner_consultation: AnswerField | None = None
    """Are employers' and workers' organisations consulted on migration policy in general?"""
    diaspora_organisation_consultation: AnswerField | None = None
    """Are migrant and diaspora organisations consulted?"""
    information_sharing: AnswerField | None = None
    """Do the agencies concerned share information on migration?"""
    privacy_safeguards: AnswerField | None = None
    """Are there privacy and data-protection safeguards on migration data and data sharing?"""
    regional_consultative_processes: AnswerField | None = None
    """Does the country take part in regional consultative processes on migration?"""
    readmission_agreements: AnswerField | None = None
    """Does the country have cooperation or readmission agreements with other countries?"""
    policy_coherence_assessment: AnswerField | None = None
    """Is migration policy assessed for coherence with development, trade, aid and labour policy?"""
    rules_published: AnswerField | None = None
    """Are migration laws, rules and procedures published and accessible?"""
    international_cooperation: AnswerField | None = None
    """Does the country hold bilateral or multilateral dialogue on migration with countries of origin, transit or destination?"""
    institutional_capacity: AnswerField | None = None
    """Do the institutions in charge of migration have trained staff and resources for their mandate?"""


class Context(StrictModel):
    """Facts about the country's situation that coherence rules need."""

    labour_shortages_declared: AnswerField | None = None
    """Has the government declared labour shortages (in a sector, occupation or region)?"""
    skilled_recruitment_policy: AnswerField | None = None
    """Does the country actively recruit highly skilled migrants (e.g. health workers) from developing countries?"""
    promotes_labour_emigration: AnswerField | None = None
    """Does the government promote the emigration of its nationals for work?"""
    remittance_policy: AnswerField | None = None
    """Does the government have a policy to attract or leverage remittances?"""
    immigration_detention_used: AnswerField | None = None
    """Is immigration detention used?"""
    removals_of_irregular_migrants: AnswerField | None = None
    """Are migrants in an irregular situation removed (deported) in practice?"""
    sanctions_on_smugglers_and_organisers: AnswerField | None = None
    """Are those who organise or profit from irregular migration (smugglers, exploiters) sanctioned in law and practice?"""
    security_data_sharing: AnswerField | None = None
    """Are migration data shared for security purposes (watch lists, biometrics, with other states)?"""
    temporary_labour_programmes: AnswerField | None = None
    """Does the country run temporary labour-migration programmes?"""
    irregular_migration_significant: AnswerField | None = None
    """Is irregular migration significant (transit or residence)?"""
    development_aid_linked_to_migration: AnswerField | None = None
    """Is development aid linked to migration objectives (e.g. conditional on readmission)?"""
    regularisation_programmes: AnswerField | None = None
    """Has the country run regularisation (amnesty) programmes for migrants in an irregular situation?"""
    responsible_ministries: ItemListField | None = None
    """Ministries and agencies with responsibilities for migration."""
    main_destination_countries: list[CountryCode] | None = None
    """The main countries your nationals go to for work (ISO alpha-3 codes), e.g. `[SAU, QAT, MYS]`."""
    main_origin_countries: list[CountryCode] | None = None
    """The main countries migrant workers come from (ISO alpha-3 codes), e.g. `[IND, NPL, PHL]`."""
    migrant_stock: CountField | None = None
    """Number of international migrants living in the country."""
    nationals_abroad: CountField | None = None
    """Number of nationals living abroad."""


class Institutions(StrictModel):
    """The country's own bodies, by function: reports name them as responsible for actions.

    Leave out any that do not exist or that you do not want named; the report then uses a
    generic description such as "the ministry responsible for labour".
    """

    labour_ministry: str | None = None
    """The ministry responsible for labour and employment."""
    interior_ministry: str | None = None
    """The ministry responsible for the interior, immigration and borders."""
    foreign_affairs_ministry: str | None = None
    """The ministry of foreign affairs (consular services, nationals abroad)."""
    justice_ministry: str | None = None
    """The ministry of justice."""
    social_affairs_ministry: str | None = None
    """The ministry responsible for social affairs and social protection."""
    health_ministry: str | None = None
    """The ministry of health."""
    education_ministry: str | None = None
    """The ministry of education."""
    women_ministry: str | None = None
    """The ministry or office responsible for women and gender equality."""
    statistics_office: str | None = None
    """The national statistics office."""
    lead_migration_agency: str | None = None
    """The lead agency for migration, if there is one."""
    emigration_agency: str | None = None
    """The agency for foreign employment or emigration of nationals."""
    diaspora_agency: str | None = None
    """The agency or office for the diaspora."""
    labour_inspectorate: str | None = None
    """The labour inspectorate."""
    child_protection_authority: str | None = None
    """The child protection authority."""
    trafficking_coordinator: str | None = None
    """The national anti-trafficking coordinator, committee or rapporteur."""
    asylum_authority: str | None = None
    """The authority that decides asylum claims."""
    equality_body: str | None = None
    """The equality body or ombudsman that deals with discrimination."""
    human_rights_institution: str | None = None
    """The national human-rights institution."""
    central_bank: str | None = None
    """The central bank (remittances, balance of payments)."""
    planning_ministry: str | None = None
    """The ministry responsible for planning and development."""


REVIEW_SECTIONS: tuple[str, ...] = ("instruments", *THEMES, "context")
"""The sections of a profile that are reviewed one by one before the government validates it."""


class SectionReview(StrictModel):
    """Who owns a section's answers and who reviewed them, when."""

    owner: str | None = None
    """The ministry or unit that owns the section's answers, e.g. `Ministry of Labour`."""
    reviewed_by: str | None = None
    """Who reviewed the answers (person and ministry), e.g. `A. Rana, Ministry of Justice`."""
    reviewed_on: (
        Annotated[dt.date, BeforeValidator(_strict_date, json_schema_input_type=str)] | None
    ) = None
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
    justification: str = Field(min_length=10)
    """Why the rule is set aside; shown in every report."""
    approved_by: str = Field(min_length=1)
    """Who approved the waiver (office or person)."""
    expires: dt.date
    """The waiver lapses after this date (YYYY-MM-DD)."""


class Profile(StrictModel):
    """A country's migration-policy profile, checked by `coherence check`."""

    format_version: Literal[2]
    """Version of the profile format: 2. A format-1 profile is rewritten by `coherence upgrade`."""
    country: Country
    """The country the profile describes."""
    as_of: Annotated[dt.date, BeforeValidator(_strict_date, json_schema_input_type=str)]
    """The date the answers describe (YYYY-MM-DD)."""
    prepared_by: str = Field(min_length=1)
    """Who prepared the profile (ministry, unit, consultant)."""
    roles: list[Role] = Field(min_length=1)
    """The country's migration roles: one or more of origin, transit, destination."""
    review_status: ReviewStatus = "draft"
    """draft, inter_ministerial_review or validated."""
    illustrative: bool = False
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
