"""`answers_in` walks only the fields that can hold a model: it must find what a walk of
every field finds, in the same order, and it is what a loaded profile carries."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from coherence.diagnostics import InputError
from coherence.profile.answers import Answer
from coherence.profile.validate import load_profile
from coherence.profile.walk import answers_in
from tests.conftest import FIXTURES, PROFILES, ROOT


def _every_field(model: BaseModel, loc: tuple) -> list:
    """Every answer, looking at every field of every model (the walk before `answers_in`)."""
    found = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            where = (*loc, name, index) if isinstance(value, list) else (*loc, name)
            if isinstance(item, Answer):
                found.append((where, item))
            if isinstance(item, BaseModel):
                found.extend(_every_field(item, where))
    return found


def _profiles() -> list[Path]:
    paths = [*PROFILES.glob("*.yaml"), *(ROOT / "examples").rglob("*.yaml")]
    return sorted({*paths, *FIXTURES.rglob("*.yaml")})


def test_the_walk_finds_every_answer_of_every_valid_profile() -> None:
    walked = 0
    for path in _profiles():
        try:
            loaded = load_profile(path)
        except (InputError, OSError):
            continue
        expected = _every_field(loaded.profile, ())
        assert answers_in(loaded.profile) == expected, path
        assert loaded.answers == expected, path
        walked += 1
    assert walked >= 10


@pytest.mark.parametrize("name", ["example-origin.yaml", "example-destination.yaml"])
def test_paths_lead_to_the_answers(name: str) -> None:
    loaded = load_profile(PROFILES / name)
    assert loaded.answers
    for loc, answer in loaded.answers:
        node = loaded.profile
        for part in loc:
            node = node[part] if isinstance(part, int) else getattr(node, part)
        assert node is answer
