"""Every answer of a validated profile, with its path, found in one walk of its models.

The consistency checks (`consistency.py`) and the review trail (`assessment/review.py`) both
read every answer; each walked the whole profile, field by field, for every profile of a
batch (together a tenth of checking one, issue 12 §4). The walk is now made once, when the
profile is validated (`LoadedProfile.answers`), and it visits only the fields whose type can
hold a model: the text, numbers and dates that are most of a profile are never looked at.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel

from coherence.profile.answers import Answer

Loc = tuple[str | int, ...]
Answers = list[tuple[Loc, Answer]]
"""(path, answer) for every answer, in the order of the profile's fields."""


def model_classes(annotation: Any) -> list[Any]:
    """The model classes an annotation may hold (through Optional, Annotated, list, unions)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return model_classes(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            found.extend(model_classes(arg))
        return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


@cache
def _branches(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class that can hold a model or a list of models. A validated
    model holds in each field what its annotation allows, so the others hold no answer."""
    fields = cls.__pydantic_fields__
    return tuple(name for name, info in fields.items() if model_classes(info.annotation))


def answers_in(model: BaseModel, loc: Loc = ()) -> Answers:
    """Every answer in `model` (instruments' incorporation, agreements' monitoring included),
    with its path below `loc`: an answer before the answers inside it, fields in order."""
    found: Answers = []
    _walk(model, loc, found)
    return found


def _walk(model: BaseModel, loc: Loc, found: Answers) -> None:
    values = model.__dict__
    for name in _branches(type(model)):
        value = values[name]
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    where = (*loc, name, index)
                    if isinstance(item, Answer):
                        found.append((where, item))
                    _walk(item, where, found)
        elif isinstance(value, BaseModel):
            where = (*loc, name)
            if isinstance(value, Answer):
                found.append((where, value))
            _walk(value, where, found)
