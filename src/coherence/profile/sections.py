"""The policy sections of a country profile: one model per theme, and the context.

Part of the profile format (`coherence.profile.model`, which assembles the whole profile);
the attribute docstrings are the questions, as the schema and the template print them.
"""

from __future__ import annotations

from coherence.profile.answers import (
    AnswerField,
    BilateralAgreementsField,
    CoordinationBodiesField,
    CountField,
    ItemListField,
    StrictModel,
)
from coherence.profile.country import CountryList


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
    migrant_workers_free_to_exit: AnswerField | None = None
    """Can migrant workers leave the country without their employer's permission (no exit permit, no sponsor's consent), keeping their own passports?"""
    change_of_employer: AnswerField | None = None
    """Can migrant workers change employer without their current employer's consent?"""
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
    statelessness_determination: AnswerField | None = None
    """Is there a procedure to determine statelessness that gives stateless persons a legal status?"""
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
    """Are there labour attachés, welfare officers or consular staff charged with assisting workers in the main destination countries?"""
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
    residence_permit_without_cooperation: AnswerField | None = None
    """Can foreign victims obtain that residence permit without having to cooperate with the investigation or prosecution?"""
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
    """Does the government promote or organise the emigration of its nationals for work (for
    example through a deployment agency or government-to-government hiring), even without
    promoting it as economic policy?"""
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
    main_destination_countries: CountryList | None = None
    """The main countries your nationals go to for work (ISO alpha-3 codes), e.g. `[SAU, QAT, MYS]`."""
    main_origin_countries: CountryList | None = None
    """The main countries migrant workers come from (ISO alpha-3 codes), e.g. `[IND, NPL, PHL]`."""
    free_movement_countries: CountryList | None = None
    """The countries whose workers and yours move freely under a regional scheme (the EU, ECOWAS, MERCOSUR...) or a treaty between the two countries (Nepal and India, 1950), so that no labour agreement is needed with them (ISO alpha-3 codes), e.g. `[POL, ROU]`; list at least those among your main countries of destination or origin."""
    migrant_stock: CountField | None = None
    """Number of international migrants living in the country."""
    nationals_abroad: CountField | None = None
    """Number of nationals living abroad."""
