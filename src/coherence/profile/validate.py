"""Load a profile file and validate it, turning every problem into a located diagnostic."""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from coherence.diagnostics import Diagnostic, InputError
from coherence.profile.model import Profile
from coherence.yamlsource import YamlDocument, load_yaml_file


@dataclass
class LoadedProfile:
    """A valid profile together with the YAML document it came from (for line numbers)."""

    profile: Profile
    document: YamlDocument

    @property
    def path(self) -> str:
        """The file the profile was read from."""
        return self.document.path


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation may hold (through Optional, Annotated, list, unions)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            found.extend(_unwrap(arg))
        return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def model_at(loc: tuple[str | int, ...], root: type[BaseModel] = Profile) -> type[BaseModel] | None:
    """The model class that validates the mapping found at `loc`, if any."""
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue  # list index: the item model is the same as the list's
        field = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        if field is None:
            return None
        candidates = _unwrap(field.annotation)
        model = candidates[0] if candidates else None
    return model


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # Pydantic inserts union-branch and validator names into `loc`; keep real keys only.
    noise = ("[", "function-", "constrained-")
    return tuple(p for p in loc if isinstance(p, int) or not any(n in p for n in noise))


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(
    error: dict[str, Any], loc: tuple[str | int, ...], root: type[BaseModel]
) -> tuple[str, str]:
    """A plain-English message and a hint for one pydantic error."""
    kind = error["type"]
    name = str(loc[-1]) if loc else "profile"
    value = error.get("input")
    if kind == "missing":
        return f"required field '{name}' is missing", ""
    if kind == "extra_forbidden":
        model = model_at(loc[:-1], root)
        known = sorted(f.alias or n for n, f in model.model_fields.items()) if model else []
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if close:
            return f"unknown field '{name}'; did you mean '{close[0]}'?", close[0]
        where = ".".join(map(str, loc[:-1])) or "the top level"
        listing = ", ".join(known)
        return f"unknown field '{name}' (allowed in {where}: {listing})", ""
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        options = re.findall(r"'([^']*)'", expected)
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        if close:
            return f"{_describe(value)} is not allowed here; did you mean '{close[0]}'?", close[0]
        return f"{_describe(value)} is not allowed here; expected {expected}", ""
    if kind.startswith("date"):
        return f"{_describe(value)} is not a valid date; write it as YYYY-MM-DD", ""
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{name}' must be a mapping of fields, not {_describe(value)}", ""
    if kind == "list_type":
        return f"'{name}' must be a list, not {_describe(value)}", ""
    if kind in ("string_type",):
        return f"'{name}' must be text, not {_describe(value)}", ""
    if kind.startswith("int") or kind.startswith("greater") or kind.startswith("less"):
        return f"'{name}': {error['msg'].lower()} (got {_describe(value)})", ""
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"])), ""
    return f"'{name}': {error['msg']}", ""


def diagnostics_for(
    exc: ValidationError, document: YamlDocument, root: type[BaseModel] = Profile
) -> list[Diagnostic]:
    """Located, de-duplicated diagnostics for every validation error of a `root` model."""
    found: dict[tuple[Any, ...], Diagnostic] = {}
    for error in exc.errors(include_url=False):
        loc = _clean_loc(tuple(error["loc"]))
        message, hint = _message(error, loc, root)
        line, column = document.line_of(loc)
        path = ".".join(str(p) for p in loc)
        diag = Diagnostic(document.path, line, column, error["type"], message, path, hint=hint)
        # A union of short and long forms can report one mistake twice; keep the first.
        found.setdefault((line, column, path), diag)
    return sorted(found.values())


def validate_document(document: YamlDocument) -> LoadedProfile:
    """Validate parsed YAML as a profile. Raises `InputError` with every problem found."""
    if not isinstance(document.data, dict):
        kinds = {
            str: "piece of text",
            list: "list",
            int: "number",
            float: "number",
            bool: "boolean",
        }
        kind = kinds.get(type(document.data), type(document.data).__name__)
        raise InputError(
            [
                Diagnostic(
                    document.path,
                    1,
                    1,
                    "not-a-mapping",
                    f"the top level of a profile must be a mapping of fields, not a {kind}",
                )
            ]
        )
    try:
        profile = Profile.model_validate(document.data)
    except ValidationError as exc:
        raise InputError(diagnostics_for(exc, document)) from None
    return LoadedProfile(profile, document)


def load_profile(path: Path) -> LoadedProfile:
    """Read, parse and validate a profile file.

    Raises `InputError` for invalid content and `OSError` when the file cannot be read.
    """
    return validate_document(load_yaml_file(path))
