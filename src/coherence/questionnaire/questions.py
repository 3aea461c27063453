"""The questions of the questionnaire, read from the profile models, and who owns each.

The questionnaire asks exactly what a profile can say: each field of each section becomes
one question, its text the field's docstring, its allowed answers the field's `Literal`
values. A question's *kind* says which columns of its row it uses (see `layout`).

Each question has a natural owner among the ministries that answer for migration policy,
so the workbook can be split (`coherence questionnaire --ministry labour`) and sent round.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel

from coherence.profile.answers import (
    Answer,
    BilateralAgreements,
    CoordinationBodies,
    Count,
    IloConvention,
    ItemList,
    UnTreaty,
)
from coherence.profile.model import THEMES, Institutions, Profile
from coherence.profile.validate import model_at

Kind = Literal[
    "answer",  # an Answer: answer, practice, excludes, evidence, note
    "agreements",  # an Answer with its list of bilateral agreements (partners)
    "bodies",  # an Answer with its list of coordination bodies
    "un_treaty",
    "ilo_convention",
    "count",  # a number with its year
    "names",  # a list of names (ministries), or unknown
    "countries",  # a list of ISO alpha-3 codes
    "name",  # one name (an institution)
]


@dataclass(frozen=True)
class Ministry:
    """A ministry that answers part of the questionnaire."""

    key: str
    """Short name used on the command line (`--ministry labour`)."""
    label: str
    """Generic name, used when the profile does not name the country's own body."""
    institution: str
    """The `institutions:` field that holds the country's own name for it."""


MINISTRIES: tuple[Ministry, ...] = (
    Ministry("labour", "Ministry of Labour", "labour_ministry"),
    Ministry("interior", "Ministry of the Interior", "interior_ministry"),
    Ministry("foreign_affairs", "Ministry of Foreign Affairs", "foreign_affairs_ministry"),
    Ministry("statistics", "National Statistics Office", "statistics_office"),
    Ministry("justice", "Ministry of Justice", "justice_ministry"),
    Ministry("social_affairs", "Ministry of Social Affairs", "social_affairs_ministry"),
    Ministry("trafficking", "National Anti-Trafficking Coordinator", "trafficking_coordinator"),
)
MINISTRY_KEYS = tuple(m.key for m in MINISTRIES)

# The owner of each section, then the questions that belong to another ministry. The
# assignment follows who usually holds the file; the workbook's "responsible ministry"
# column can be changed before it is sent out.
SECTION_OWNER: dict[str, str] = {
    "institutions": "interior",
    "instruments": "foreign_affairs",
    "rights": "interior",
    "data_collection": "statistics",
    "labour_channels": "labour",
    "anti_trafficking": "trafficking",
    "coordination": "interior",
    "context": "interior",
}
FIELD_OWNER: dict[str, str] = {
    # ILO conventions are followed by the labour ministry (the ILO's tripartite constituent).
    **{
        f"instruments.{name}": "labour"
        for name in ("ilo_c97", "ilo_c143", "ilo_c181", "ilo_c189", "ilo_c29", "ilo_p29", "ilo_c96")
    },
    "rights.equal_treatment": "labour",
    "rights.social_security": "social_affairs",
    "rights.social_security_portability": "social_affairs",
    "rights.health_care": "social_affairs",
    "rights.health_care_irregular": "social_affairs",
    "rights.education_children": "social_affairs",
    "rights.anti_discrimination_law": "justice",
    "rights.anti_discrimination_body": "justice",
    "rights.access_to_justice": "justice",
    "rights.domestic_workers_covered": "labour",
    "rights.freedom_to_leave": "foreign_affairs",
    "rights.sex_specific_emigration_bans": "labour",
    "rights.change_of_employer": "labour",
    "rights.women_migrants_protection": "social_affairs",
    "rights.freedom_of_association": "labour",
    "rights.nhri_covers_migrants": "justice",
    "labour_channels.diaspora_engagement": "foreign_affairs",
    "labour_channels.gats_mode4_commitments": "foreign_affairs",
    "anti_trafficking.trafficking_criminalised": "justice",
    "anti_trafficking.smuggling_distinct": "justice",
    "anti_trafficking.non_punishment_of_victims": "justice",
    "coordination.diaspora_organisation_consultation": "foreign_affairs",
    "coordination.regional_consultative_processes": "foreign_affairs",
    "coordination.readmission_agreements": "foreign_affairs",
    "coordination.international_cooperation": "foreign_affairs",
    "coordination.social_partner_consultation": "labour",
    "context.labour_shortages_declared": "labour",
    "context.skilled_recruitment_policy": "labour",
    "context.promotes_labour_emigration": "labour",
    "context.remittance_policy": "labour",
    "context.temporary_labour_programmes": "labour",
    "context.main_destination_countries": "labour",
    "context.main_origin_countries": "labour",
    "context.free_movement_countries": "labour",
    "context.migrant_stock": "statistics",
    "context.nationals_abroad": "statistics",
    "context.development_aid_linked_to_migration": "foreign_affairs",
}


@dataclass(frozen=True)
class Question:
    """One row of the questionnaire."""

    section: str
    """The profile section (`rights`, `instruments`, `institutions`, ...)."""
    name: str
    """The field within the section."""
    text: str
    """The question in plain words (the field's docstring)."""
    kind: Kind
    owner: str
    """Key of the ministry that naturally answers it (see `MINISTRIES`)."""

    @property
    def path(self) -> str:
        """The field path, e.g. `rights.equal_treatment`."""
        return f"{self.section}.{self.name}"


QUESTION_SECTIONS: tuple[str, ...] = ("institutions", "instruments", *THEMES, "context")
"""The sections asked, in the order of the workbook's sheets."""


def _kind(model: type[BaseModel] | None, annotation: object) -> Kind:
    if model is BilateralAgreements:
        return "agreements"
    if model is CoordinationBodies:
        return "bodies"
    if model is UnTreaty:
        return "un_treaty"
    if model is IloConvention:
        return "ilo_convention"
    if model is Count:
        return "count"
    if model is ItemList:
        return "names"
    if model is not None and issubclass(model, Answer):
        return "answer"
    if "list" in str(annotation):
        return "countries"
    return "name"


@cache
def questions() -> tuple[Question, ...]:
    """Every question, section by section in workbook order, fields in profile order."""
    found: list[Question] = []
    for section in QUESTION_SECTIONS:
        model = Institutions if section == "institutions" else model_at((section,))
        assert model is not None
        for name, field in model.model_fields.items():
            kind = _kind(model_at((section, name), Profile), field.annotation)
            owner = FIELD_OWNER.get(f"{section}.{name}", SECTION_OWNER[section])
            found.append(Question(section, name, field.description or name, kind, owner))
    return tuple(found)


def ministry(key: str) -> Ministry | None:
    """The ministry with this key or generic name (case and spaces ignored), if any."""
    wanted = key.strip().lower().replace(" ", "_").replace("-", "_")
    for m in MINISTRIES:
        if wanted in (m.key, m.label.lower().replace(" ", "_"), m.institution):
            return m
    return None


RECORDED_KINDS = frozenset({"answer", "agreements", "bodies", "un_treaty", "ilo_convention"})
"""The kinds of question a check can read; names, country lists and numbers describe the
country (the reports and the responsible column use them) and are never marked."""


def unread_questions(answers_read: frozenset[str]) -> frozenset[str]:
    """The paths of the questions no check reads, given every profile path the catalogue's
    conditions read (`Catalogue.answers_read`): a question is read when its path, or a
    path under it (`instruments.cedaw.status`), is."""
    prefixes = {".".join(p.split(".")[:2]) for p in answers_read}
    return frozenset(
        q.path for q in questions() if q.kind in RECORDED_KINDS and q.path not in prefixes
    )
