"""Profile → facts: every answer the rules can read, flattened to one fact per path.

A fact carries its state (known, unknown, not_applicable, missing), its value and the
line of the profile it came from, so findings can say "you answered *no* at line 42".
The set of readable paths is derived from the profile models, so the rule linter can
check every path a condition reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from coherence.profile.answers import (
    ANSWER_VALUES,
    Answer,
    Count,
    Instrument,
    ItemList,
)
from coherence.profile.model import Profile
from coherence.profile.validate import LoadedProfile, _unwrap

Kind = Literal["answer", "status", "number", "list"]
State = Literal["known", "unknown", "not_applicable", "missing"]

STATUS_VALUES: tuple[str, ...] = ("not_signed", "signed", "ratified")
SECTIONS: tuple[str, ...] = (
    "instruments",
    "rights",
    "data_collection",
    "labour_channels",
    "anti_trafficking",
    "coordination",
    "context",
)


@dataclass(frozen=True)
class PathInfo:
    """What a readable path holds."""

    kind: Kind
    values: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Fact:
    """One answer of one profile."""

    path: str
    kind: Kind
    state: State
    value: Any = None
    line: int = 0
    evidence: tuple[dict[str, Any], ...] = ()
    note: str | None = None

    @property
    def known(self) -> bool:
        """True when the profile gives a usable value."""
        return self.state == "known"

    def shown(self) -> Any:
        """The value as a report prints it (the state when there is no value)."""
        if self.state == "known":
            return self.value
        return self.state


def _field_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    found = _unwrap(model.model_fields[name].annotation)
    return found[0] if found else None


@cache
def readable_paths() -> dict[str, PathInfo]:
    """Every profile path a rule condition may read, with its kind and allowed values."""
    found: dict[str, PathInfo] = {}
    for section in SECTIONS:
        section_model = _field_model(Profile, section)
        assert section_model is not None
        for name, field in section_model.model_fields.items():
            path = f"{section}.{name}"
            model = _field_model(section_model, name)
            desc = field.description or ""
            if model is Instrument or (model and issubclass(model, Instrument)):
                found[f"{path}.status"] = PathInfo("status", STATUS_VALUES, desc)
                found[f"{path}.incorporated_in_law"] = PathInfo(
                    "answer", ANSWER_VALUES, "Is the instrument reflected in national law?"
                )
            elif model is Count:
                found[path] = PathInfo("number", (), desc)
            elif model is ItemList:
                found[path] = PathInfo("list", (), desc)
            elif model and issubclass(model, Answer):
                found[path] = PathInfo("answer", ANSWER_VALUES, desc)
                for sub, sub_field in model.model_fields.items():
                    if sub in Answer.model_fields:
                        continue
                    sub_models = _unwrap(sub_field.annotation)
                    if sub_models and issubclass(sub_models[0], Answer):
                        found[f"{path}.{sub}"] = PathInfo(
                            "answer", ANSWER_VALUES, sub_field.description or ""
                        )
                    elif "list" in str(sub_field.annotation):
                        found[f"{path}.{sub}"] = PathInfo("list", (), sub_field.description or "")
    return found


def _answer_fact(path: str, answer: Answer | None, line: int) -> Fact:
    if answer is None:
        return Fact(path, "answer", "missing", None, line)
    state: State = "known"
    if answer.answer == "unknown":
        state = "unknown"
    elif answer.answer == "not_applicable":
        state = "not_applicable"
    evidence = tuple(e.model_dump(mode="json", exclude_none=True) for e in answer.evidence)
    value = answer.answer if state == "known" else None
    return Fact(path, "answer", state, value, line, evidence, answer.note)


def _lookup(profile: Profile, path: str) -> Any:
    node: Any = profile
    for part in path.split("."):
        if node is None:
            return None
        node = getattr(node, part, None)
    return node


def _list_fact(profile: Profile, path: str, line: int) -> Fact:
    node = _lookup(profile, path)
    if isinstance(node, ItemList) or node is None:  # a list answer of its own
        if node is None:
            return Fact(path, "list", "missing", None, line)
        if node.items is None:
            return Fact(path, "list", "unknown", None, line, note=node.note)
        return Fact(path, "list", "known", tuple(node.items), line, note=node.note)
    # A list inside an answer (partners of agreements, members of a body): an empty list
    # is only known to be empty when the answer itself is `no`.
    parent: Answer | None = _lookup(profile, path.rsplit(".", 1)[0])
    if parent is None:
        return Fact(path, "list", "missing", None, line)
    if node or parent.answer == "no":
        return Fact(path, "list", "known", tuple(node), line)
    return Fact(path, "list", "unknown", None, line)


def profile_facts(loaded: LoadedProfile, only: set[str] | None = None) -> dict[str, Fact]:
    """The facts of a profile, keyed by path (all readable paths, or only those asked for)."""
    facts: dict[str, Fact] = {}
    doc = loaded.document
    for path, info in readable_paths().items():
        if only is not None and path not in only:
            continue
        loc = tuple(path.split("."))
        line = doc.line_of(loc)[0]
        if info.kind == "status":
            inst: Instrument | None = _lookup(loaded.profile, path.rsplit(".", 1)[0])
            line = doc.line_of(loc[:-1])[0]
            if inst is None:
                facts[path] = Fact(path, "status", "missing", None, line)
            elif inst.status == "unknown":
                facts[path] = Fact(path, "status", "unknown", None, line, note=inst.note)
            else:
                evidence = tuple(
                    e.model_dump(mode="json", exclude_none=True) for e in inst.evidence
                )
                facts[path] = Fact(path, "status", "known", inst.status, line, evidence, inst.note)
        elif info.kind == "number":
            count: Count | None = _lookup(loaded.profile, path)
            if count is None:
                facts[path] = Fact(path, "number", "missing", None, line)
            elif count.value == "unknown":
                facts[path] = Fact(path, "number", "unknown", None, line, note=count.note)
            else:
                evidence = tuple(
                    e.model_dump(mode="json", exclude_none=True) for e in count.evidence
                )
                facts[path] = Fact(path, "number", "known", count.value, line, evidence, count.note)
        elif info.kind == "list":
            facts[path] = _list_fact(loaded.profile, path, line)
        else:
            facts[path] = _answer_fact(path, _lookup(loaded.profile, path), line)
    return facts
