"""Answer types: what a profile can say about one policy question.

An answer travels with its evidence, as a value travels with its reference in OpenFisca's
parameters. Every answer can be written in short form (`equal_treatment: yes`) or in full
(`equal_treatment: {answer: yes, evidence: [...], note: ...}`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

AnswerValue = Literal["yes", "partial", "no", "unknown", "not_applicable"]
"""`yes`, `partial`, `no`; `unknown` when the country does not know; `not_applicable`."""

ANSWER_VALUES: tuple[str, ...] = ("yes", "partial", "no", "unknown", "not_applicable")


class StrictModel(BaseModel):
    """Base of every profile model: unknown keys are errors, docstrings document fields."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
        frozen=True,
    )


class Evidence(StrictModel):
    """A document that supports an answer: a law, a regulation, a report, an agreement."""

    title: str = Field(min_length=1)
    """Title of the law, regulation, agreement or document."""
    article: str | None = None
    """Article, section or page that bears on the answer."""
    url: str | None = Field(default=None, pattern=r"^(https?://|urn:|doi:)\S+$")
    """Where the document can be read (http, https, urn: or doi:)."""
    date: dt.date | None = None
    """Date of adoption or publication (YYYY-MM-DD)."""


def _coerce_answer(value: Any) -> Any:
    # YAML `true`/`false` mean what the user meant by them; the loader already keeps
    # YAML 1.1's `yes`/`no`/`on`/`off` as strings.
    if value is True:
        return {"answer": "yes"}
    if value is False:
        return {"answer": "no"}
    if isinstance(value, str):
        return {"answer": value.strip().lower()}
    return value


class Answer(StrictModel):
    """An answer to one policy question, with its evidence."""

    answer: AnswerValue
    """yes, partial, no, unknown (the country does not know) or not_applicable."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Laws, regulations or documents that support the answer."""
    note: str | None = None
    """Free-text explanation, e.g. what is missing for a `partial`."""


AnswerField = Annotated[
    Answer,
    BeforeValidator(_coerce_answer, json_schema_input_type=AnswerValue | bool | Answer),
]
"""An answer in short (`yes`) or full (`{answer: yes, evidence: [...]}`) form."""


class BilateralAgreements(Answer):
    """Bilateral labour agreements or memoranda of understanding on labour migration."""

    partners: list[str] = Field(default_factory=list)
    """Partner countries (names or ISO 3166-1 alpha-3 codes)."""
    monitored: AnswerField | None = None
    """Is the implementation of the agreements monitored (joint committees, reviews)?"""


BilateralAgreementsField = Annotated[
    BilateralAgreements,
    BeforeValidator(
        _coerce_answer, json_schema_input_type=AnswerValue | bool | BilateralAgreements
    ),
]


class CoordinationBody(Answer):
    """An inter-ministerial body that coordinates migration policy."""

    name: str | None = None
    """Name of the body."""
    mandate: str | None = None
    """Its mandate, in brief."""
    members: list[str] = Field(default_factory=list)
    """Member ministries and agencies."""
    meets: str | None = None
    """How often it meets, e.g. `quarterly`."""


CoordinationBodyField = Annotated[
    CoordinationBody,
    BeforeValidator(_coerce_answer, json_schema_input_type=AnswerValue | bool | CoordinationBody),
]


def _coerce_count(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"value": value}
    if isinstance(value, str):
        return {"value": value.strip().lower()}
    return value


class Count(StrictModel):
    """A number, such as a stock of migrants, with its year and source."""

    value: Annotated[int, Field(ge=0)] | Literal["unknown"]
    """The number, or `unknown`."""
    year: int | None = Field(default=None, ge=1900, le=2100)
    """Reference year of the number."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Where the number comes from."""
    note: str | None = None
    """Free-text explanation."""


CountField = Annotated[
    Count,
    BeforeValidator(
        _coerce_count,
        json_schema_input_type=Annotated[int, Field(ge=0)] | Literal["unknown"] | Count,
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


ItemListField = Annotated[
    ItemList,
    BeforeValidator(_coerce_list, json_schema_input_type=list[str] | Literal["unknown"] | ItemList),
]


InstrumentStatusValue = Literal["not_signed", "signed", "ratified", "unknown"]


def _coerce_instrument(value: Any) -> Any:
    if isinstance(value, str):
        return {"status": value.strip().lower()}
    return value


class Instrument(StrictModel):
    """The country's status under one international instrument."""

    status: InstrumentStatusValue
    """not_signed, signed, ratified (ratified or acceded), or unknown."""
    date: dt.date | None = None
    """Date of signature, ratification or accession (YYYY-MM-DD)."""
    reservations: str | None = None
    """Reservations, declarations or exclusions, in brief."""
    incorporated_in_law: AnswerField | None = None
    """Is the instrument reflected in national law (transposed, implementing legislation)?"""
    evidence: list[Evidence] = Field(default_factory=list)
    """Instrument of ratification, treaty-body record, implementing law."""
    note: str | None = None
    """Free-text explanation."""


InstrumentField = Annotated[
    Instrument,
    BeforeValidator(_coerce_instrument, json_schema_input_type=InstrumentStatusValue | Instrument),
]
