"""The condition language: a small declarative YAML language, with nothing executable.

A condition is a mapping with exactly one key, naming the operator:

    equals:     {path: rights.equal_treatment, value: yes}
    in:         {path: labour_channels.temporary_admission, values: [yes, partial]}
    at_least:   {path: context.migrant_stock, value: 100000}
    at_most:    {path: context.migrant_stock, value: 100000}
    exists:     {path: context.migrant_stock}
    count:      {path: context.responsible_ministries, at_least: 2}
    instrument: {id: ilo_c143, at_least: ratified}
    all:        [condition, ...]
    any:        [condition, ...]
    not:        condition

Logic is three-valued (Kleene): a comparison on an `unknown`, `not_applicable` or missing
answer is *unknown*, and `all`/`any`/`not` combine true, false and unknown by Kleene's
rules, so a missing answer is never silently counted as `no`. `exists` is the one operator
that is never unknown: it asks whether the profile knows the answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, ConfigDict, Discriminator, Field, Tag

from coherence.docstrings import DocumentedModel


def _not_true_or_false(value: Any) -> Any:
    # YAML reads `true`/`false` as booleans, which pydantic would take as the numbers 1 and 0
    # (`at_least: {value: true}` meant at least 1): profiles refuse them in numbers, and so
    # do rules, saying what to write.
    if isinstance(value, bool):
        raise ValueError(
            f"{str(value).lower()} is a yes/no value, not an answer or a number: compare "
            "answers with the words (value: yes, value: no) and numbers with numbers"
        )
    return value


Scalar = Annotated[
    str | int | float, BeforeValidator(_not_true_or_false, json_schema_input_type=str | int | float)
]
STATUS_RANK: dict[str, int] = {
    "not_signed": 0,
    "not_ratified": 0,
    "denounced": 0,
    "signed": 1,
    "ratified": 2,
}
"""How far along a status is: UN treaties go not_signed < signed < ratified; ILO
conventions are not_ratified or denounced (0) or ratified (2), never signed."""


class _Node(DocumentedModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PathValue(_Node):
    """A profile path and one value to compare with."""

    path: str
    """Dotted profile path, e.g. `rights.equal_treatment`."""
    value: Scalar
    """The value to compare with (an answer such as `yes`, or a number)."""


class PathValues(_Node):
    """A profile path and the set of values that make the condition true."""

    path: str
    """Dotted profile path."""
    values: list[Scalar] = Field(min_length=1)
    """The condition is true when the answer is one of these."""


class PathOnly(_Node):
    """A profile path."""

    path: str
    """Dotted profile path."""


class CountSpec(_Node):
    """A bound on the number of items in a list answer."""

    path: str
    """Dotted path of a list answer, e.g. `context.responsible_ministries`."""
    at_least: int | None = Field(default=None, ge=0)
    """True when the list has at least this many items."""
    at_most: int | None = Field(default=None, ge=0)
    """True when the list has at most this many items."""


class InstrumentSpec(_Node):
    """The status of an international instrument, in the order not_signed < signed < ratified
    (ILO conventions: not_ratified or denounced < ratified)."""

    id: str
    """Instrument key in the profile's `instruments` section, e.g. `ilo_c97`."""
    at_least: Literal["signed", "ratified"] | None = None
    """True when the status is at least this far along."""
    status: Literal["not_signed", "signed", "ratified", "not_ratified", "denounced"] | None = None
    """True when the status is exactly this (accession reads as `ratified`)."""


class Equals(_Node):
    """True when the answer at `path` equals `value`."""

    equals: PathValue


class In(_Node):
    """True when the answer at `path` is one of `values`."""

    in_: PathValues = Field(alias="in")


class AtLeast(_Node):
    """True when the number at `path` is at least `value`."""

    at_least: PathValue


class AtMost(_Node):
    """True when the number at `path` is at most `value`."""

    at_most: PathValue


class Exists(_Node):
    """True when the profile knows the answer at `path` (not missing, unknown or n/a)."""

    exists: PathOnly


class Count(_Node):
    """A bound on the length of the list at `path`."""

    count: CountSpec


class Instrument(_Node):
    """A condition on the status of an international instrument."""

    instrument: InstrumentSpec


class All(_Node):
    """True when every condition is true; false when any is false; else unknown."""

    all: list[Condition] = Field(min_length=1)


class Any_(_Node):
    """True when any condition is true; false when every one is false; else unknown."""

    any: list[Condition] = Field(min_length=1)


class Not(_Node):
    """True when the condition is false, false when it is true, unknown when unknown."""

    not_: Condition = Field(alias="not")


_TAGS = {
    "equals": Equals,
    "in": In,
    "at_least": AtLeast,
    "at_most": AtMost,
    "exists": Exists,
    "count": Count,
    "instrument": Instrument,
    "all": All,
    "any": Any_,
    "not": Not,
}


def _operator(value: Any) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in _TAGS else None
    if isinstance(value, _Node):
        return next(k for k, v in _TAGS.items() if isinstance(value, v))
    return None


Condition = Annotated[
    Union[tuple(Annotated[model, Tag(tag)] for tag, model in _TAGS.items())],  # type: ignore[misc]  # noqa: UP007 - built from the tag table
    Discriminator(
        _operator,
        custom_error_type="condition",
        custom_error_message=(
            "a condition is a mapping with exactly one operator: " + ", ".join(_TAGS)
        ),
    ),
]

for _model in (All, Any_, Not):
    _model.model_rebuild()

Leaf = Equals | In | AtLeast | AtMost | Exists | Count | Instrument


def leaf_path(leaf: Leaf) -> str:
    """The profile path a leaf condition reads."""
    if isinstance(leaf, Instrument):
        return f"instruments.{leaf.instrument.id}.status"
    spec = getattr(leaf, next(iter(type(leaf).model_fields)))
    return spec.path


def children(cond: Any) -> list[Any]:
    """The direct sub-conditions of a combinator (empty for a leaf)."""
    if isinstance(cond, All):
        return list(cond.all)
    if isinstance(cond, Any_):
        return list(cond.any)
    if isinstance(cond, Not):
        return [cond.not_]
    return []


def leaves(cond: Any) -> Iterator[Leaf]:
    """Every leaf comparison in a condition, depth first, in document order."""
    kids = children(cond)
    if not kids and not isinstance(cond, (All, Any_, Not)):
        yield cond
    for kid in kids:
        yield from leaves(kid)


def paths(cond: Any) -> list[str]:
    """The profile paths a condition reads, in document order, without repeats."""
    return list(dict.fromkeys(leaf_path(leaf) for leaf in leaves(cond)))
