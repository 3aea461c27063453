"""Answer types: what a profile can say about one policy question.

An answer travels with its evidence, as a value travels with its reference in OpenFisca's
parameters. Every answer can be written in short form (`equal_treatment: yes`) or in full
(`equal_treatment: {answer: yes, evidence: [...], note: ...}`).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator

from coherence.docstrings import DocumentedModel
from coherence.profile.country import CountryCode
from coherence.profile.reservations import Reservations
from coherence.profile.spelling import (
    COUNT_TEXT,
    FILLED,
    PARTIAL_DATE_IN_YEARS,
    YEAR_TEXT,
    any_case,
)

NAME_MAX = 300
"""The longest name (of a body, a person, the country): far more than any real one; reports
repeat a body's name in every action it is responsible for."""

Name = Annotated[str, Field(max_length=NAME_MAX)]
"""The name of a body, a person or a country."""

AnswerValue = Literal["yes", "partial", "no", "unknown", "not_applicable"]
"""`yes`, `partial`, `no`; `unknown` when the country does not know; `not_applicable`."""

ANSWER_VALUES: tuple[str, ...] = ("yes", "partial", "no", "unknown", "not_applicable")

AnswerWord = Annotated[str, WithJsonSchema(any_case(*ANSWER_VALUES))]
"""An answer as written: the validator reads `Yes`, `YES` or `" no "` as the answer."""

PracticeWord = Annotated[str, WithJsonSchema(any_case("yes", "partial", "no", "unknown"))]

Unknown = Annotated[str, WithJsonSchema(any_case("unknown"))]
"""`unknown` as written in a short form, in any case."""

PracticeValue = Literal["yes", "partial", "no", "unknown"]
"""How an answer is applied in practice: `yes`, `partial`, `no` or `unknown`."""

PRACTICE_RANK = {"no": 0, "partial": 1, "yes": 2}
"""Order of answers and practice, to tell when practice is worse than the law."""

Group = Literal[
    "domestic_workers",
    "agricultural_workers",
    "seasonal_workers",
    "temporary_workers",
    "low_skilled_workers",
    "self_employed",
    "informal_sector",
    "irregular_migrants",
    "asylum_seekers",
    "refugees",
    "subsidiary_protection",
    "temporary_protection",
    "children",
    "women",
]
"""Groups or sectors an answer can exclude (the vocabulary rules test with `excludes`)."""

GROUPS: tuple[str, ...] = typing.get_args(Group)


class StrictModel(DocumentedModel):
    """Base of every profile model: unknown keys are errors, docstrings document fields."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
    )


_PARTIAL_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")


def _partial_date(value: Any) -> Any:
    # A year alone (2002), a year and month (2002-05) or a full date are all true records
    # of when a state ratified; treaty databases often give only the year.
    if isinstance(value, bool):
        raise ValueError("a date is a year (2002), a month (2002-05) or a day (2002-05-01)")
    if isinstance(value, int) and 0 <= value < 10000 and not FIRST_YEAR <= value <= LAST_YEAR:
        # YAML reads `0001` as the number 1: say the year, not "'1' is not a date".
        raise ValueError(
            f"the year {value:04d} is outside the years {FIRST_YEAR} to {LAST_YEAR} that a "
            "profile's documents and ratifications can date from"
        )
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, dt.datetime):
        raise ValueError("give a date, not a date and time")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        try:
            # In ASCII digits, as the schema has it: not fromisoformat's other forms (20020501,
            # 2002-W18-3), which Python 3.11 reads and 3.10 refuses, nor full-width digits.
            if not _PARTIAL_DATE.fullmatch(text):
                raise ValueError(text)
            if len(text) == 4:
                year = int(text)
            elif len(text) == 7:
                year = dt.date(int(text[:4]), int(text[5:7]), 1).year
            else:
                year = dt.date.fromisoformat(text).year
        except ValueError:
            year = 0
        if FIRST_YEAR <= year <= LAST_YEAR:
            return text
        if year:
            raise ValueError(
                f"{text!r} is outside the years {FIRST_YEAR} to {LAST_YEAR} that a profile's "
                "documents and ratifications can date from"
            )
    raise ValueError(
        f"{value!r} is not a date; write a year (2002), a month (2002-05) or a day (2002-05-01)"
    )


FIRST_YEAR, LAST_YEAR = 1800, 2100
"""The years a document or a ratification may date from: old enough for a founding law or
a 19th-century civil code."""


PartialDate = Annotated[
    str,
    BeforeValidator(
        _partial_date,
        json_schema_input_type=Annotated[str, Field(pattern=PARTIAL_DATE_IN_YEARS)]
        | Annotated[int, Field(ge=1800, le=2100)],
    ),
]
"""A year (`2002`), a month (`2002-05`) or a day (`2002-05-01`)."""


def _digits_if_text(value: Any) -> Any:
    # A number in quotes is what a spreadsheet's text cell gives ("1000"): it is read as the
    # number. Anything else in quotes ("2_020", "2020.0", "1,000") is refused here rather
    # than left to pydantic's lax parsing, so that the schema (YEAR_TEXT, COUNT_TEXT) says
    # exactly what passes. Booleans are refused: YAML reads `yes` as one, Python counts it 1.
    if isinstance(value, bool):
        raise ValueError("expected a whole number or unknown, not true/false")
    if isinstance(value, str) and value != "unknown" and not re.fullmatch(r"\s*[0-9]+\s*", value):
        raise ValueError(f"{value!r} is not a whole number; write it in digits")
    return value


Year = Annotated[
    # The bounds stand on the number, not on the whole `int | None`: on the union, newer
    # pydantic copies `ge`/`le` into the JSON Schema as keywords that mean nothing there.
    Annotated[int, Field(ge=1900, le=2100)] | None,
    BeforeValidator(
        _digits_if_text,
        json_schema_input_type=Annotated[int, Field(ge=1900, le=2100)]
        | Annotated[str, Field(pattern=YEAR_TEXT)]
        | None,
    ),
]
"""The year a number or an agreement dates from, 1900 to 2100."""


URL_PATTERN = r"^(https?://|urn:|doi:)\S+$"
"""A link as written in full: a scheme, then no space, tab or line break. (`<` and `"` are
let through: a report shows such a link as text, never as a link.)"""

_URL_SCHEMES = ("https://", "http://", "urn:", "doi:")
_BLANKS = {"\t": "a tab", "\n": "a line break", "\r": "a line break", " ": "a space"}


def url_problem(value: Any) -> str:
    """What is wrong with a link that does not match URL_PATTERN, in plain words."""
    text = str(value)
    if not text.startswith(_URL_SCHEMES):
        if text.lower().startswith(_URL_SCHEMES):
            return "starts with capitals: write the start in small letters (https://, urn:, doi:)"
        return "is not a link: write it in full, starting with https:// (or http://, urn:, doi:)"
    bad = next((c for c in text if c.isspace()), None)
    if bad is None:  # the scheme alone
        return "has nothing after the start: write the link in full"
    what = _BLANKS.get(bad, f"a blank (U+{ord(bad):04X})")
    if ord(bad) >= 128:
        return f"contains {what}, which a link never holds: remove it"
    return (
        f"contains {what}, which a link never holds: remove it, or write it as "
        f"%{ord(bad):02X} if it belongs to the address"
    )


class Evidence(StrictModel):
    """A document that supports an answer: a law, a regulation, a report, an agreement."""

    title: str = Field(min_length=1, pattern=FILLED)
    """Title of the law, regulation, agreement or document."""
    article: str | None = None
    """Article, section or page that bears on the answer."""
    url: str | None = Field(default=None, pattern=URL_PATTERN)
    """Where the document can be read (http, https, urn: or doi:)."""
    date: PartialDate | None = None
    """Date of adoption or publication: a year (2019), a month (2019-05) or a day (2019-05-01)."""


def _answer_word(value: Any) -> Any:
    # YAML `true`/`false` mean what the user meant by them (the loader already keeps YAML
    # 1.1's `yes`/`no`/`on`/`off` as strings); `Yes ` is `yes`. The same in the short form
    # (`equal_treatment: true`) and the long one (`answer: true`).
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, str):
        return value.strip().lower()
    return value


def _coerce_answer(value: Any) -> Any:
    if isinstance(value, (bool, str)):
        return {"answer": _answer_word(value)}
    return value


class Answer(StrictModel):
    """An answer to one policy question, with its evidence."""

    answer: Annotated[
        AnswerValue, BeforeValidator(_answer_word, json_schema_input_type=AnswerWord | bool)
    ]
    """In law or policy: yes, partial, no, unknown (the country does not know) or not_applicable."""
    practice: Annotated[
        PracticeValue | None,
        BeforeValidator(_answer_word, json_schema_input_type=PracticeWord | bool | None),
    ] = None
    """How it is applied in practice: yes, partial, no or unknown (leave out if not assessed)."""
    excludes: list[Group] = Field(default_factory=list)
    """Groups or sectors the answer leaves out, e.g. `[domestic_workers, irregular_migrants]`."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Laws, regulations or documents that support the answer."""
    practice_evidence: list[Evidence] = Field(default_factory=list)
    """Reports, statistics or inspections that show how it is applied in practice."""
    note: str | None = None
    """Free-text explanation, e.g. what is missing for a `partial`."""
    answered_by: Name | None = None
    """Who gave the answer (person, unit or ministry); `coherence import` records it."""

    @field_validator("excludes")
    @classmethod
    def _unique_groups(cls, groups: list[str]) -> list[str]:
        if len(set(groups)) != len(groups):
            raise ValueError("each group may be listed only once in excludes")
        return groups


AnswerField = Annotated[
    Answer,
    BeforeValidator(_coerce_answer, json_schema_input_type=AnswerWord | bool | Answer),
]
"""An answer in short (`yes`) or full (`{answer: yes, evidence: [...]}`) form."""


class Agreement(StrictModel):
    """One bilateral labour agreement or memorandum of understanding."""

    partner: CountryCode
    """The partner country (ISO 3166-1 alpha-3 code, e.g. `QAT`)."""
    type: Literal["agreement", "memorandum", "other"] = "agreement"
    """agreement (a treaty), memorandum (an MoU) or other."""
    year: Year = None
    """Year it was signed."""
    covers: str | None = None
    """Sectors or workers it covers, in brief."""
    monitored: AnswerField | None = None
    """Is its implementation monitored (joint committee, reviews)?"""
    evidence: list[Evidence] = Field(default_factory=list)
    """The text of the agreement or a record of it."""


def _coerce_agreements(value: Any) -> Any:
    # A bare list of partners is what officials write first: read it as the long form.
    if isinstance(value, list):
        return {
            "answer": "yes" if value else "no",
            "agreements": [{"partner": p} if isinstance(p, str) else p for p in value],
        }
    return _coerce_answer(value)


class BilateralAgreements(Answer):
    """Bilateral labour agreements or memoranda of understanding on labour migration."""

    agreements: list[Agreement] = Field(default_factory=list)
    """Each agreement: partner, type, year, what it covers and whether it is monitored."""


BilateralAgreementsField = Annotated[
    BilateralAgreements,
    BeforeValidator(
        _coerce_agreements,
        json_schema_input_type=AnswerWord | bool | list[CountryCode] | BilateralAgreements,
    ),
]


class Body(StrictModel):
    """One inter-ministerial body that coordinates migration policy."""

    name: Name = Field(min_length=1, pattern=FILLED)
    """Name of the body."""
    mandate: str | None = None
    """Its mandate, in brief."""
    members: list[str] = Field(default_factory=list)
    """Member ministries and agencies."""
    meets: str | None = None
    """How often it meets, e.g. `quarterly`, `twice a year`, `has not met since 2022`."""
    evidence: list[Evidence] = Field(default_factory=list)
    """The decree or decision that set it up, minutes."""


class CoordinationBodies(Answer):
    """Inter-ministerial bodies that coordinate migration policy."""

    bodies: list[Body] = Field(default_factory=list)
    """Each body: name, mandate, members and how often it meets."""


CoordinationBodiesField = Annotated[
    CoordinationBodies,
    BeforeValidator(_coerce_answer, json_schema_input_type=AnswerWord | bool | CoordinationBodies),
]


def _coerce_count(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"value": value}
    if isinstance(value, str):
        return {"value": value.strip().lower()}
    return value


MAX_COUNT = 10**12
"""The largest number a profile may give (a trillion): more than any count of people, and
far below the 2**63 at which durable-rules' C core stops comparing numbers exactly."""


class Count(StrictModel):
    """A number, such as a stock of migrants, with its year and source."""

    value: Annotated[
        Annotated[int, Field(ge=0, le=MAX_COUNT)] | Literal["unknown"],
        BeforeValidator(
            _digits_if_text,
            json_schema_input_type=Annotated[int, Field(ge=0, le=MAX_COUNT)]
            | Literal["unknown"]
            | Annotated[str, Field(pattern=COUNT_TEXT)],
        ),
    ]
    """The number, or `unknown`."""
    year: Year = None
    """Reference year of the number."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Where the number comes from."""
    note: str | None = None
    """Free-text explanation."""
    answered_by: Name | None = None
    """Who gave the answer (person, unit or ministry); `coherence import` records it."""


CountField = Annotated[
    Count,
    BeforeValidator(
        _coerce_count,
        json_schema_input_type=Annotated[int, Field(ge=0, le=MAX_COUNT)]
        | Unknown
        | Annotated[str, Field(pattern=COUNT_TEXT)]
        | Count,
    ),
]


def _coerce_list(value: Any) -> Any:
    if isinstance(value, list):
        return {"items": value}
    if isinstance(value, str) and value.strip().lower() == "unknown":
        return {"items": None}
    return value


class ItemList(StrictModel):
    """A list of names, such as ministries; `unknown` when the list is not known."""

    items: list[str] | None
    """The names; null (or the short form `unknown`) when not known."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Where the list comes from."""
    note: str | None = None
    """Free-text explanation."""
    answered_by: Name | None = None
    """Who gave the answer (person, unit or ministry); `coherence import` records it."""


ItemListField = Annotated[
    ItemList,
    BeforeValidator(_coerce_list, json_schema_input_type=list[str] | Unknown | ItemList),
]


UnStatusValue = Literal["not_signed", "signed", "ratified", "acceded", "succeeded", "unknown"]
IloStatusValue = Literal["not_ratified", "ratified", "denounced", "unknown"]

UN_STATUS_VALUES: tuple[str, ...] = ("not_signed", "signed", "ratified")
"""Statuses of a UN treaty as rules read them (accession and succession read as `ratified`)."""
ILO_STATUS_VALUES: tuple[str, ...] = ("not_ratified", "ratified", "denounced")
"""Statuses of an ILO convention: ILO conventions are ratified or not, never signed."""


def _coerce_instrument(value: Any) -> Any:
    if isinstance(value, str):
        return {"status": value.strip().lower()}
    return value


class _InstrumentBase(StrictModel):
    date: PartialDate | None = None
    """Date of ratification or accession (or signature): a year, a month or a day."""
    incorporated_in_law: AnswerField | None = None
    """Is the instrument reflected in national law (transposed, implementing legislation)?"""
    evidence: list[Evidence] = Field(default_factory=list)
    """Instrument of ratification, treaty-body record, implementing law."""
    note: str | None = None
    """Free-text explanation."""
    answered_by: Name | None = None
    """Who gave the answer (person, unit or ministry); `coherence import` records it."""


class UnTreaty(_InstrumentBase):
    """The country's status under a UN treaty."""

    status: UnStatusValue
    """not_signed, signed, ratified, acceded (accession counts as ratification), succeeded
    (succession: a new state bound by its predecessor's treaty, which counts as ratification
    too) or unknown."""
    reservations: Reservations | None = None
    """Reservations or declarations, in brief; `[]` (an empty list) when it made none."""

    @property
    def rule_status(self) -> str | None:
        """The status rules read: accession and succession are ratification; None when
        unknown."""
        if self.status == "unknown":
            return None
        return "ratified" if self.status in ("acceded", "succeeded") else self.status


class IloConvention(_InstrumentBase):
    """The country's status under an ILO convention or protocol (ratified or not, never signed)."""

    status: IloStatusValue
    """not_ratified, ratified, denounced or unknown."""
    exclusions: str | None = None
    """Parts or categories excluded at ratification (e.g. annexes of C97 not accepted)."""

    @property
    def rule_status(self) -> str | None:
        """The status rules read; None when unknown."""
        return None if self.status == "unknown" else self.status


Instrument = UnTreaty | IloConvention

UnTreatyField = Annotated[
    UnTreaty,
    BeforeValidator(
        _coerce_instrument,
        json_schema_input_type=Annotated[
            str, WithJsonSchema(any_case(*typing.get_args(UnStatusValue)))
        ]
        | UnTreaty,
    ),
]
IloConventionField = Annotated[
    IloConvention,
    BeforeValidator(
        _coerce_instrument,
        json_schema_input_type=Annotated[
            str, WithJsonSchema(any_case(*typing.get_args(IloStatusValue)))
        ]
        | IloConvention,
    ),
]
