"""A profile written out as a commented YAML file (what `coherence import` produces).

Only what the profile says is written: a question left unanswered stays absent, so it reads
back as "not answered", exactly as before. Each answer is preceded by its question as a
comment, each section by its title, and answers are in short form (`health_care: yes`)
wherever nothing else was given.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import BaseModel

from coherence.profile.answers import ItemList
from coherence.profile.model import Profile
from coherence.profile.template import COMMITTED_SCHEMA, WIDTH, _comment

_IDENTITY = ("format_version", "country", "as_of", "prepared_by", "roles", "review_status")


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2-like implicit types, as coherence's loader reads them: `yes` and dates are
    text to it, so they need no quotes; numbers, null and true/false keep theirs."""


for _tag, _regexp, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "float",
        r"^[-+]?(?:[0-9]*\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _Resolver.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_regexp), list(_first))


class _Dumper(
    yaml.emitter.Emitter,
    yaml.serializer.Serializer,
    yaml.representer.SafeRepresenter,
    _Resolver,
):
    """Block style, keys in model order, answers and dates unquoted."""

    def __init__(self, stream: Any, **kwds: Any) -> None:
        yaml.emitter.Emitter.__init__(
            self, stream, width=kwds.get("width"), allow_unicode=kwds.get("allow_unicode")
        )
        yaml.serializer.Serializer.__init__(self)
        yaml.representer.SafeRepresenter.__init__(self, sort_keys=kwds.get("sort_keys", False))
        _Resolver.__init__(self)

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)  # list items indented under their key


def _str(dumper: Any, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _short(value: Any) -> Any:
    """The short form of a dumped answer, where its long form says nothing more."""
    if isinstance(value, dict):
        value = {k: _short(v) for k, v in value.items()}
        if set(value) == {"answer"}:
            return value["answer"]
        if set(value) == {"status"}:
            return value["status"]
        if set(value) == {"value"}:
            return value["value"]
        if set(value) == {"items"}:
            return value["items"] if value["items"] is not None else "unknown"
        return value
    if isinstance(value, list):
        return [_short(v) for v in value]
    return value


def _dump(key: str, value: Any, indent: str) -> list[str]:
    text = yaml.dump({key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH)
    return [f"{indent}{line}" if line else line for line in text.rstrip("\n").splitlines()]


def _comment_of(model: type[BaseModel], name: str) -> str:
    field = model.model_fields[name]
    return (field.description or "").replace("`", "")


def profile_yaml(profile: Profile, header: str = "", schema: str = COMMITTED_SCHEMA) -> str:
    """The profile as commented YAML; `header` (comment lines, without `#`) goes on top."""
    dumped = profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for section, fields in dumped.items():
        # A list not known (`items: null`) is said, not dropped with the other nulls.
        for name, value in fields.items() if isinstance(fields, dict) else ():
            if isinstance(getattr(getattr(profile, section), name, None), ItemList):
                value.setdefault("items", None)
    data = _short(dumped)
    lines = [f"# yaml-language-server: $schema={schema}", "#"]
    lines += [f"# {line}".rstrip() for line in header.splitlines()]
    lines.append("")
    for key in _IDENTITY:
        # review_status is always said, even at its default (draft).
        value = profile.review_status if key == "review_status" else data.get(key)
        lines += [*_comment(_comment_of(Profile, key), ""), *_dump(key, value, ""), ""]
    if profile.illustrative:
        lines += [*_comment(_comment_of(Profile, "illustrative"), ""), "illustrative: true", ""]
    for name, field in Profile.model_fields.items():
        if name in (*_IDENTITY, "illustrative") or name not in data:
            continue
        value = data[name]
        title = (field.description or name).rstrip(".")
        model = getattr(profile, name)
        lines.append(f"# ==== {title} ====")
        if isinstance(value, dict) and isinstance(model, BaseModel):
            lines.append(f"{name}:")
            for sub, sub_value in value.items():
                lines += _comment(_comment_of(type(model), sub), "  ")
                lines += _dump(sub, sub_value, "  ")
        else:
            lines += _dump(name, value, "")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
