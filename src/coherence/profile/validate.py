"""Load a profile file and validate it, turning every problem into a located diagnostic."""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from coherence.diagnostics import (
    MAX_EXPLAINED,
    Diagnostic,
    InputError,
    first_explained,
    more_problems,
)
from coherence.profile.consistency import Place, consistency_diagnostics
from coherence.profile.kinds import not_a_profile
from coherence.profile.model import FORMAT_VERSION, Profile
from coherence.profile.patterns import describe as _describe
from coherence.profile.patterns import pattern_message as _pattern_message
from coherence.profile.synonyms import foreign_word, meant_field, status_word
from coherence.profile.walk import Answers, answers_in, model_classes
from coherence.wording import odd_characters, plain_message, quoted, series, typed_key
from coherence.yamlsource import STDIN_NAME, YamlDocument, load_yaml_file, load_yaml_stream


@dataclass
class LoadedProfile:
    """A valid profile together with the YAML document it came from (for line numbers)."""

    profile: Profile
    document: YamlDocument
    answers: Answers | None = field(default=None, repr=False, compare=False)
    """Every answer with its path (`walk.answers_in`), found once when the profile was
    validated; None when not known (`answers_in` walks the profile again)."""

    @property
    def path(self) -> str:
        """The file the profile was read from."""
        return self.document.path


def model_at(loc: tuple[str | int, ...], root: type[BaseModel] = Profile) -> type[BaseModel] | None:
    """The model class that validates the mapping found at `loc`, if any."""
    models: list[type[BaseModel]] = [root]
    for part in loc:
        if isinstance(part, int):
            continue  # list index: the item model is the same as the list's
        # Of a union's models (a rule's condition), the one that has the field.
        field = next(
            (f for m in models for n, f in m.model_fields.items() if part in (n, f.alias)), None
        )
        if field is None:
            return None
        models = model_classes(field.annotation)
    return models[0] if models else None


_NOISE = ("[", "function-", "constrained-")


_SCALAR_BRANCHES = frozenset({"str", "int", "float", "bool"})
"""The names pydantic gives the branches of a union of scalars in an error's location."""


def _clean_loc(loc: tuple[Any, ...], data: Any = None) -> tuple[str | int, ...]:
    """`loc` without the union-branch and validator names pydantic inserts into it.

    A part that is a key of the data at that point is a real key, whatever it looks like
    (a user's unknown key `a[b]` or `function-x` is reported as itself, at its own line);
    only a part that is not in the data and looks like pydantic's naming is left out.
    """
    kept: list[str | int] = []
    here = data
    for part in loc:
        if kept and part == kept[-1] and not (isinstance(here, dict) and part in here):
            continue  # a tagged union's tag, then its field of the same name (`all.all`)
        if isinstance(part, int):
            kept.append(part)
            here = here[part] if isinstance(here, list) and 0 <= part < len(here) else None
        elif isinstance(here, dict) and part in here:
            kept.append(part)
            here = here[part]
        elif kept and part == kept[-1] and isinstance(here, dict):
            continue  # a union's tag named like its one key (`instrument: {instrument: ...}`)
        elif part in _SCALAR_BRANCHES and not isinstance(here, (dict, list)):
            continue  # a branch of a union of scalars (`value: str | int | float`)
        elif not any(n in part for n in _NOISE):
            kept.append(part)
            here = None
    return tuple(kept)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


def _walk(
    document: YamlDocument, loc: tuple[str | int, ...]
) -> tuple[tuple[str | int, ...], Any, int]:
    """Follow `loc` through the YAML as written: (its path in the file, the value reached,
    how many parts of `loc` were followed).

    A short form (a bare list of partners, `equal_treatment: partial`) has no key for the
    long form's parts (`agreements`, `answer`): a long-form key under a list is skipped, so
    `...bilateral_agreements.agreements.1.partner` points at the list's second item.
    """
    node: Any = document.data
    path: list[str | int] = []
    followed = 0
    for part in loc:
        if isinstance(node, list) and isinstance(part, str):
            followed += 1  # a long-form key of a short-form list: nothing written for it
            continue
        present = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if not present:
            break
        node = node[part]
        path.append(part)
        followed += 1
    return tuple(path), node, followed


def _fields(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _short_form(model: type[BaseModel]) -> str:
    """How the short form of a long-form model is written, for messages."""
    from coherence.profile.answers import Answer, Count, IloConvention, ItemList, UnTreaty

    if issubclass(model, Answer):
        values = typing.get_args(Answer.model_fields["answer"].annotation)
        extra = ", or a list of partner codes" if "agreements" in model.model_fields else ""
        return f"or, in short, one of {series(values)}{extra}"
    if model in (UnTreaty, IloConvention):
        values = typing.get_args(model.model_fields["status"].annotation)
        return f"or, in short, its status: {series(values)}"
    if model is Count:
        return "or, in short, a number or unknown"
    if model is ItemList:
        return "or, in short, a list or unknown"
    return ""


def _shape_message(name: str, model: type[BaseModel] | None, value: Any) -> str:
    """`'x' has the wrong shape: expected a mapping with: a, b, c, ...`."""
    if model is None:
        return f"'{name}' must be a mapping of fields, not {_kind_of(value)} ({_describe(value)})"
    fields = _fields(model)
    listed = ", ".join(fields[:8]) + (f", ... ({len(fields)} fields)" if len(fields) > 8 else "")
    short = _short_form(model)
    return (
        f"'{name}' has the wrong shape: expected a mapping with: {listed}"
        f"{'; ' + short if short else ''}; got {_kind_of(value)}: {_describe(value)}"
    )


def _homes(name: str) -> list[str]:
    """The sections of a profile that have a field `name` (`the top level` for top fields)."""
    homes = ["the top level"] if name in Profile.model_fields else []
    for section in Profile.model_fields:
        model = model_at((section,))
        if model is not None and name in model.model_fields:
            homes.append(section)
    return homes


def _in(place: str) -> str:
    return "at the top level" if place == "the top level" else f"in {place}"


def _misplaced(name: str, where: str) -> tuple[str, str] | None:
    """A message for a known field in the wrong section of a profile, or None."""
    from coherence.profile.answers import Answer

    homes = _homes(name)
    if homes:
        move = "write it without indentation" if homes == ["the top level"] else "move it there"
        home = " or ".join(_in(h) for h in homes)
        return f"'{name}' does not belong {_in(where)}: {name} belongs {home}; {move}", homes[0]
    if name in Answer.model_fields:
        return (
            f"'{name}' is part of an answer's long form, not a question {_in(where)}: write it "
            f"under the question, next to answer:, e.g. equal_treatment: {{answer: yes, "
            f"{name}: ...}}",
            "",
        )
    every = {f for s in Profile.model_fields for f in _fields(model_at((s,)) or Profile)}
    close = difflib.get_close_matches(name, sorted(every), n=1, cutoff=0.75)
    if close:
        home = " or ".join(_in(h) for h in _homes(close[0]))
        return (
            f"unknown field '{name}' {_in(where)}; did you mean '{close[0]}'? It belongs {home}",
            close[0],
        )
    return None


# Words that open free text meaning "in part".
_PARTIAL_WORDS = {"only", "except", "partly", "partially", "some", "limited", "but", "mostly"}


def _free_text_message(text: str, loc: tuple[str | int, ...]) -> str:
    """`'Only for nationals' is not an answer; write answer: partial and put the text in note:`."""
    first = text.strip().split()[0].lower().strip(",.;:") if text.strip() else ""
    if first in ("yes", "no", "partial", "unknown"):
        meant = first
    elif first in _PARTIAL_WORDS:
        meant = "partial"
    elif first in ("not", "none", "never"):
        meant = "no"
    else:
        meant = ""
    question = next((str(p) for p in reversed(loc[:-1]) if isinstance(p, str)), "the question")
    answer = meant or "yes, partial or no"
    example = meant or "partial"
    quoted = text.strip().replace('"', "'")
    return (
        f"{_describe(text.strip())} is not an answer; write answer: {answer} and put the text "
        f'in note:, e.g. {question}: {{answer: {example}, note: "{quoted}"}}'
    )


def _message(
    error: dict[str, Any],
    loc: tuple[str | int, ...],
    root: type[BaseModel],
    written: Any = None,
) -> tuple[str, str]:
    """A plain-English message and a hint for one pydantic error.

    `written` is the value as the file has it (before any short form was expanded), when
    it can be found.
    """
    kind = error["type"]
    name = str(loc[-1]) if loc else "profile"
    value = error.get("input")
    if kind == "missing":
        return f"required field '{name}' is missing", ""
    if kind == "extra_forbidden":
        model = model_at(loc[:-1], root)
        known = sorted(f.alias or n for n, f in model.model_fields.items()) if model else []
        meant = meant_field(model, name) if model else None
        if meant:
            return f"unknown field {quoted(name)}: {meant[1]}", meant[0]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if close:
            return f"unknown field {quoted(name)}; did you mean '{close[0]}'?", close[0]
        where = ".".join(map(str, loc[:-1])) or "the top level"
        if value is None and not re.fullmatch(r"[A-Za-z0-9_]+", name):
            # `{title: Act, No. 5, date: 2020}`: the comma ended the title, and the rest
            # became a key without a value. The commonest slip when citing laws.
            return (
                f"unknown field '{name}' with no value: inside {{ }} a comma separates the "
                "fields, so a title or name that holds a comma must be in quotes, e.g. "
                f'title: "..., {name}"',
                "",
            )
        if root is Profile:
            misplaced = _misplaced(name, where)
            if misplaced:
                return misplaced
        listing = ", ".join(known)
        if name == "<<":  # a YAML merge key, which the loader keeps as a key
            return "merge keys (<<) are not supported; write the fields out in full here", ""
        return f"unknown field {quoted(name)} (allowed in {where}: {listing})", ""
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        options = re.findall(r"'([^']*)'", expected)
        shown = written if isinstance(written, str) else value
        status = status_word(str(value), options)
        if status:
            return status
        foreign = foreign_word(str(shown), options)
        if foreign:
            return foreign
        # Group names share their `_workers` ending: a loose match would offer
        # domestic_workers for gig_workers, so a group must be a near miss to be suggested.
        group = len(loc) >= 2 and loc[-2] == "excludes"
        cutoff = 0.8 if group else 0.6
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=cutoff)
        # Free text (three words or more) where an answer or a status is expected.
        free = isinstance(shown, str) and (len(shown.split()) > 2 or not close)
        if close and not (free and name in ("answer", "status")):
            return (
                f"{_describe(shown)}{odd_characters(str(shown))} is not allowed here; "
                f"did you mean '{close[0]}'?",
                close[0],
            )
        if name == "answer" and free and " " in shown.strip():
            return _free_text_message(shown, loc), ""
        if name == "status" and free and " " in shown.strip():
            return (
                f"{_describe(shown)} is not a status; write status: one of "
                f"{series(options)}, the date in date: and any other text in note:",
                "",
            )
        if name == "format_version" and isinstance(shown, str) and shown.strip().isdigit():
            return f"'{shown}' is text (in quotes); write format_version: 2 without quotes", ""
        return f"{_describe(shown)} is not allowed here; expected {expected}", ""
    if kind.startswith("date"):
        return f"{_describe(value)} is not a valid date; write it as YYYY-MM-DD", ""
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _shape_message(name, model_at(loc, root), value), ""
    if kind == "list_type":
        item = model_at(loc, root)
        example = ""
        if isinstance(value, str) and value.strip():
            text = value.strip()
            entry = f"{{{_fields(item)[0]}: {text}}}" if item is not None else text
            example = f"; write {name}: [{entry}]"
        return f"'{name}' must be a list, not {_describe(value)}{example}", ""
    if kind == "string_too_short" and isinstance(value, str) and not value.strip():
        return f"'{name}' is {'only spaces' if value else 'empty'}; write it out", ""
    if kind in ("string_type",):
        return f"'{name}' must be text, not {_describe(value)}", ""
    if kind == "string_pattern_mismatch":
        return _pattern_message(name, loc, value)
    if kind == "int_parsing_size":
        # A number past 2**64 written as a float (1e308): pydantic's "unable to parse input
        # string as an integer" speaks of a string the file does not hold.
        return f"'{name}': {_describe(value)} is far too large a number for this field", ""
    if kind.startswith("int") or kind.startswith("greater") or kind.startswith("less"):
        return f"'{name}': {plain_message(error['msg'])} (got {_describe(value)})", ""
    if kind == "value_error":
        text = str(error.get("ctx", {}).get("error", error["msg"]))
        meant = re.search(r"did you mean '([^']+)'\?", text)
        return text, meant.group(1) if meant else ""
    return f"'{name}': {plain_message(error['msg'])}", ""


def diagnostics_for(
    exc: ValidationError,
    document: YamlDocument,
    root: type[BaseModel] = Profile,
    place: Place | None = None,
) -> list[Diagnostic]:
    """Located, de-duplicated diagnostics for every validation error of a `root` model.

    `document.data` is the data as written; `place` locates a path in it (default: the
    document's own lines)."""
    found: dict[tuple[Any, ...], Diagnostic] = {}
    errors = exc.errors(include_url=False)
    for error in errors[:MAX_EXPLAINED]:
        loc = _clean_loc(tuple(error["loc"]), document.data)
        in_file, written, followed = _walk(document, loc)
        # The value as written; for a short form (`x: Only for nationals`), the text itself,
        # one step short of `loc` (`x.answer`).
        short = followed == len(loc) - 1 and not isinstance(written, (dict, list))
        if followed != len(loc) and not short:
            written = None
        message, hint = _message(error, loc, root, written)
        if error["type"] == "extra_forbidden" and loc in document.typed_keys:
            message, hint = typed_key(str(loc[-1]), ".".join(map(str, loc[:-1]))), ""
        # A file's lines locate what is written in it; a custom place knows every path.
        file, line, column = place(loc) if place else _lines(document)(in_file)
        path = ".".join(str(p) for p in loc)
        diag = Diagnostic(file, line, column, error["type"], message, path, hint=hint)
        # A union of short and long forms can report one mistake twice; keep the first. A
        # union of scalars reports one error per kind: say the kinds at once.
        first = found.setdefault((line, column, path), diag)
        if first is not diag and {first.code, diag.code} <= {
            "string_type",
            "int_type",
            "float_type",
        }:
            said = f"'{loc[-1]}' must be text or a number, not {_describe(error.get('input'))}"
            found[(line, column, path)] = replace(first, code="type", message=said)
    # A misspelt key is one mistake: the field it meant is not also "missing".
    meant = {
        ".".join([*d.path.split(".")[:-1], d.hint])
        for d in found.values()
        if d.code == "extra_forbidden" and d.hint
    }
    said = [d for d in found.values() if d.code != "missing" or d.path not in meant]
    more = len(errors) - MAX_EXPLAINED  # 49,000 unknown fields took a minute to explain
    return sorted(said) + [more_problems(document.path, more)] * (more > 0)


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
    other = not_a_profile(document.data)
    if other is not None:
        raise InputError([Diagnostic(document.path, 1, 1, "not-a-profile", other)])
    version = document.data.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:  # one message, not one per field
        newer = (
            f"this profile is in format {version}, newer than this version of coherence reads "
            f"(format {FORMAT_VERSION}): use a newer coherence"
        )
        where = document.line_of(("format_version",))
        diag = Diagnostic(document.path, *where, "newer-format", newer, "format_version")
        raise InputError([diag])
    # `true` is no format 1; a `<<` merge key is reported as such by the model.
    if (version is None and "<<" not in document.data) or (type(version) is int and version == 1):
        line, column = document.line_of(("format_version",) if version == 1 else ())
        said = "says format_version: 1" if version == 1 else "has no format_version"
        raise InputError(
            [
                Diagnostic(
                    document.path,
                    line if version == 1 else 1,
                    column if version == 1 else 1,
                    "old-format",
                    f"this profile {said}: it is a format-1 profile, and this version of "
                    f"coherence reads format {FORMAT_VERSION}. Rewrite it with: "
                    f"coherence upgrade {document.path}",
                    "format_version",
                )
            ]
        )
    try:
        profile = Profile.model_validate(document.data)
    except ValidationError as exc:
        raise InputError(diagnostics_for(exc, document)) from None
    answers = answers_in(profile)  # for the checks below and the review trail
    problems = consistency_diagnostics(profile, _lines(document), answers)
    if problems:  # 45,000 copies of one entry are 44,999 "listed twice"
        raise InputError(first_explained(problems, document.path))
    return LoadedProfile(profile, document, answers)


def _lines(document: YamlDocument) -> Place:
    def place(loc: tuple[str | int, ...]) -> tuple[str, int, int]:
        return (document.path, *document.line_of(_walk(document, loc)[0]))

    return place


def load_profile(path: Path) -> LoadedProfile:
    """Read, parse and validate a profile file.

    Raises `InputError` for invalid content and `OSError` when the file cannot be read.
    """
    return validate_document(load_yaml_file(path))


def load_profile_stream(stream: Any, name: str = STDIN_NAME) -> LoadedProfile:
    """Read, parse and validate a profile from a binary stream (standard input), within the
    size and structure limits of a profile file; diagnostics name it `name` (`<stdin>`)."""
    return validate_document(load_yaml_stream(stream, name))
