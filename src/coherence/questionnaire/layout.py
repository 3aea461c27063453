"""The workbook's layout: its sheets, their columns, and which cells each kind of question uses.

The writer (`workbook`) and the reader (`read`) both follow these tables, so a column can
be added or renamed in one place. The reader finds columns by their header text, so an
official who moves a column does not break the import.
"""

from __future__ import annotations

from dataclasses import dataclass

from coherence.profile.answers import (
    ANSWER_VALUES,
    Agreement,
    Answer,
    IloConvention,
    UnTreaty,
)
from coherence.profile.model import Profile
from coherence.profile.template import literal_values

MARKER = "coherence questionnaire, profile format 2"
"""Written into the workbook's properties (keywords): `import` refuses other workbooks."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    key: str
    header: str
    width: int
    values: tuple[str, ...] = ()
    """Allowed values, offered as a drop-down list (empty: free text)."""
    text: bool = True
    """Formatted as text, so a spreadsheet does not turn `2002-05` into a date."""


def _values(model: type, name: str) -> tuple[str, ...]:
    return literal_values(model.model_fields[name].annotation)


PRACTICE_VALUES = _values(Answer, "practice")
UN_VALUES = _values(UnTreaty, "status")
ILO_VALUES = _values(IloConvention, "status")
AGREEMENT_TYPES = _values(Agreement, "type")
REVIEW_VALUES = _values(Profile, "review_status")
YES_NO = ("yes", "no")
EVIDENCE_KINDS = ("law", "practice")

_EVIDENCE = (
    Column("evidence_title", "Evidence: title", 34),
    Column("evidence_article", "Evidence: article", 14),
    Column("evidence_url", "Evidence: link", 30),
    Column("evidence_date", "Evidence: date", 13),
)
_PATH = Column("path", "Field", 34)
_ANSWERED = Column("answered_by", "Answered by", 24)
_MINISTRY = Column("ministry", "Responsible ministry", 28)

QUESTION_COLUMNS: tuple[Column, ...] = (
    _PATH,
    Column("question", "Question", 62),
    Column("answer", "Answer", 16),
    Column("practice", "In practice", 12, PRACTICE_VALUES),
    Column("excludes", "Groups left out", 28),
    Column("partners", "Partners (country codes)", 22),
    Column("year", "Year of the number", 10),
    *_EVIDENCE,
    Column("note", "Note", 44),
    _ANSWERED,
    _MINISTRY,
)
INSTRUMENT_COLUMNS: tuple[Column, ...] = (
    _PATH,
    Column("question", "Instrument", 62),
    Column("status", "Status", 14),
    Column("date", "Date of ratification, accession or signature", 16),
    Column("incorporated", "Incorporated in national law", 16, ANSWER_VALUES),
    Column("incorporated_practice", "Incorporation in practice", 14, PRACTICE_VALUES),
    Column("incorporated_note", "Note on incorporation", 34),
    Column("reservations", "Reservations or exclusions", 28),
    *_EVIDENCE,
    Column("note", "Note", 40),
    _ANSWERED,
    _MINISTRY,
)
INSTITUTION_COLUMNS: tuple[Column, ...] = (
    _PATH,
    Column("question", "Body", 62),
    Column("name", "Its name in your country", 50),
    _MINISTRY,
)
PROFILE_COLUMNS: tuple[Column, ...] = (
    _PATH,
    Column("question", "Question", 62),
    Column("value", "Answer", 50),
)
AGREEMENT_COLUMNS: tuple[Column, ...] = (
    Column("partner", "Partner country (code)", 16),
    Column("type", "Type", 14, AGREEMENT_TYPES),
    Column("year", "Year signed", 10),
    Column("covers", "Workers or sectors covered", 34),
    Column("monitored", "Monitored?", 12, ANSWER_VALUES),
    Column("monitored_note", "Note on monitoring", 34),
    *_EVIDENCE,
)
BODY_COLUMNS: tuple[Column, ...] = (
    Column("name", "Name of the body", 40),
    Column("mandate", "Mandate", 40),
    Column("members", "Members (one per line)", 40),
    Column("meets", "How often it meets", 18),
    *_EVIDENCE,
)
EVIDENCE_COLUMNS: tuple[Column, ...] = (
    Column("path", "Field (as on the question's row)", 40),
    Column("kind", "Law or practice", 14, EVIDENCE_KINDS),
    Column("title", "Title", 40),
    Column("article", "Article", 14),
    Column("url", "Link", 34),
    Column("date", "Date", 13),
)
WAIVER_COLUMNS: tuple[Column, ...] = (
    Column("rule", "Rule id", 14),
    Column("justification", "Justification", 50),
    Column("approved_by", "Approved by", 30),
    Column("expires", "Expires (YYYY-MM-DD)", 14),
)
REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("section", "Section", 22),
    Column("owner", "Owner (ministry or unit)", 34),
    Column("reviewed_by", "Reviewed by (person and ministry)", 34),
    Column("reviewed_on", "Reviewed on (YYYY-MM-DD)", 16),
)

# Which value columns a question of each kind uses; its other cells are greyed and locked.
_ANSWER_CELLS = ("answer", "practice", "excludes", *(c.key for c in _EVIDENCE), "note")
CELLS_BY_KIND: dict[str, tuple[str, ...]] = {
    "answer": (*_ANSWER_CELLS, "answered_by", "ministry"),
    "agreements": (*_ANSWER_CELLS, "partners", "answered_by", "ministry"),
    "bodies": (*_ANSWER_CELLS, "answered_by", "ministry"),
    "count": ("answer", "year", *(c.key for c in _EVIDENCE), "note", "answered_by", "ministry"),
    "names": ("answer", *(c.key for c in _EVIDENCE), "note", "answered_by", "ministry"),
    "countries": ("answer", "ministry"),
    "un_treaty": tuple(c.key for c in INSTRUMENT_COLUMNS[2:]),
    "ilo_convention": tuple(c.key for c in INSTRUMENT_COLUMNS[2:]),
    "name": ("name", "ministry"),
}

SHEET_TITLES: dict[str, str] = {
    "instructions": "Instructions",
    "profile": "Profile",
    "institutions": "Institutions",
    "instruments": "Instruments",
    "rights": "Rights",
    "data_collection": "Data collection",
    "labour_channels": "Labour channels",
    "anti_trafficking": "Anti-trafficking",
    "coordination": "Coordination",
    "context": "Context",
    "agreements": "Agreements",
    "bodies": "Coordination bodies",
    "evidence": "More evidence",
    "waivers": "Waivers",
    "review": "Review",
}
"""Sheet key -> title. Question sheets are keyed by their profile section."""

LIST_ROWS = 25
"""Blank rows offered on the list sheets (agreements, bodies, evidence, waivers)."""


def columns_for(sheet: str) -> tuple[Column, ...]:
    """The columns of a sheet, by its key."""
    special = {
        "profile": PROFILE_COLUMNS,
        "institutions": INSTITUTION_COLUMNS,
        "instruments": INSTRUMENT_COLUMNS,
        "agreements": AGREEMENT_COLUMNS,
        "bodies": BODY_COLUMNS,
        "evidence": EVIDENCE_COLUMNS,
        "waivers": WAIVER_COLUMNS,
        "review": REVIEW_COLUMNS,
    }
    return special.get(sheet, QUESTION_COLUMNS)
