"""Safe, strict YAML loading with line marks.

Profiles and rule files are written by people, so the loader is strict where PyYAML is lax:

* YAML 1.2 core scalars: `yes`, `no`, `on`, `off` stay strings (PyYAML's YAML 1.1 turns
  them into booleans), `0123` is the integer 123, dates stay strings for the models to parse.
* Duplicate keys at any depth are errors (PyYAML silently keeps the last one).
* Only plain data: any tag other than the standard ones (e.g. `!!python/object`) is refused.
* Limits on size, nesting depth and alias expansion, so a hostile file cannot hang the tool.
  The limits are ours, not the parser's: when libyaml refuses a document (it has its own
  nesting limit, which changes between versions), the pure-Python parser reads it again,
  so a document too deep for us is always `too-deep`, at the line where it gets too deep.
* One document per file; UTF-8 only; binary files are recognised and refused.
* Only regular files are read, and never more bytes than the size limit (`textinput`).

It composes Python objects straight from the parser's event stream (iteratively, so deep
nesting cannot exhaust the C stack) and records the line and column of every value by its
path, so validation errors can point at `file:line:column`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coherence.diagnostics import Diagnostic, InputError
from coherence.textinput import (
    MAX_BYTES,
    STDIN_NAME,
    decode_text,
    read_stream_limited,
    read_text,
    shown_name,
)
from coherence.yamlhints import syntax_hint, thousands_hint

# libyaml's C parser is several times faster; fall back to the pure-Python one. Only the
# parser's events are used: no constructor of these loaders ever runs.
_EventLoader: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

MAX_DEPTH = 32
MAX_NODES = 100_000
MAX_ALIAS_CHARS = MAX_BYTES
"""Aliases may add at most this many characters of text (and nodes) to a document in total,
so a file within the size limit expands to at most about twice that limit."""
MAX_INT_DIGITS = 4300
"""Longest integer accepted, in decimal digits: Python's default limit for converting an
integer to or from text, so every number read can also be printed."""
_INT_LIMIT = 10**MAX_INT_DIGITS

PathKey = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULL_WORDS = frozenset({"null", "Null", "NULL"})
_WORD_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
"""First characters of a plain scalar that can only be text, null or a boolean."""
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")

# libyaml's wording is terse; these say what to do about the commonest mistakes.
_HINTS = (
    ("cannot start any token", "YAML indentation must use spaces, not tabs"),
    ("tab character", "YAML indentation must use spaces, not tabs"),
    ("found unexpected end of stream", "a quote or bracket is probably not closed"),
    ("could not find expected ':'", "a key is missing its colon, or a quote is not closed"),
    (
        "mapping values are not allowed here",
        "check the indentation, or quote a value containing ': '",
    ),
)


@dataclass
class YamlDocument:
    """A loaded YAML document: its data plus the (line, column) of every value by path."""

    path: str
    data: Any
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    typed_keys: frozenset[PathKey] = frozenset()
    """Paths whose last key YAML read as another value than text (`true:`, `null:`, `12:`,
    `2020-01-01:`): the data has it as text (`'true'`), as it was written."""

    def line_of(self, loc: PathKey) -> tuple[int, int]:
        """Line and column of the value at `loc`, or of its nearest present ancestor."""
        for end in range(len(loc), -1, -1):
            mark = self.marks.get(tuple(loc[:end]))
            if mark is not None:
                return mark
        return (1, 1)


def _diag(path: str, line: int, column: int, code: str, message: str, hint: str = "") -> InputError:
    return InputError([Diagnostic(path, line, column, code, message, hint=hint)])


_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _at(event: Any, path: str, code: str, message: str) -> InputError:
    """`_diag` at the start of a YAML event (1-based, as editors count)."""
    return _diag(path, event.start_mark.line + 1, event.start_mark.column + 1, code, message)


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of the character at `index`."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
"""Characters YAML reads as line breaks but editors do not (NEL, U+2028, U+2029, pasted from
documents): every line number after one would be off by one."""

_BREAK_NAMES = {
    "\x85": "a next-line character",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}


def check_characters(text: str, path: str) -> None:
    """Refuse characters YAML does not allow (control characters, U+FFFE), and those it
    reads as line breaks where editors see none (U+2028 ...), located as editors count."""
    brk = _LINE_BREAKS.search(text)
    if brk is not None:
        line, column = _position(text, brk.start())
        char = brk.group()
        raise _diag(
            path,
            line,
            column,
            "yaml-character",
            f"character U+{ord(char):04X} ({_BREAK_NAMES[char]}) stands inside the text here; "
            "YAML reads it as a new line, which most editors do not show: delete it or "
            "replace it with a space (it often comes in when text is pasted from a document)",
        )
    bad = _NOT_PRINTABLE.search(text)
    if bad is None:
        return
    line, column = _position(text, bad.start())
    char = bad.group()
    name = "a control character" if ord(char) < 0xA0 else "a non-character"
    raise _diag(
        path,
        line,
        column,
        "yaml-character",
        f"character U+{ord(char):04X} ({name}) is not allowed in a YAML file; delete it "
        "(it is often pasted in by accident and invisible in most editors)",
    )


UNSAFE_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202d\u202e\ud800-\udfff]")
"""What a text may not hold even when the file is clean: control characters and halves of
UTF-16 pairs written as escapes in quotes (`"\\e[2J"`, `"\\ud800"`), and the two overrides
that make text read backwards. Tabs, new lines and right-to-left text stay allowed."""


def _unsafe_text(event: yaml.ScalarEvent, path: str) -> InputError:
    code = ord(UNSAFE_IN_TEXT.search(event.value).group())  # type: ignore[union-attr]
    name = "a bidirectional override, invisible in most editors"
    if code < 0x202D:
        name = "a control character, written as an escape in quotes"
    elif code >= 0xD800:  # no report can even write it down
        name = "half of a UTF-16 pair, written as an escape in quotes: no character at all"
    return _at(
        event,
        path,
        "yaml-character",
        f"this text holds character U+{code:04X} ({name}); it would reach reports and "
        "terminals as a hidden command, reversed text or garbage: delete it",
    )


def _scalar(event: yaml.ScalarEvent, path: str) -> Any:
    value = event.value
    tag = event.tag
    plain = not event.style and event.implicit[0]  # the C parser gives '' for plain
    if tag not in (None, "!", _STD + "str") and not (plain and tag is None):
        raise _at(
            event,
            path,
            "yaml-tag",
            f"YAML tag {tag!r} is not allowed: profiles and rules hold plain data only",
        )
    if UNSAFE_IN_TEXT.search(value):
        raise _unsafe_text(event, path)
    if not plain:
        return value
    if value[:1] in _WORD_START:  # most values: no number, inf or nan starts so
        return None if value in _NULL_WORDS else _BOOL.get(value, value)
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT10.match(value) or _INT8.match(value) or _INT16.match(value):
        return _integer(value, event, path)
    if _FLOAT.match(value):
        if why := thousands_hint(value):  # "2.000": two thousand, or 2?
            raise _at(event, path, "ambiguous-number", why)
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def _integer(value: str, event: yaml.ScalarEvent, path: str) -> int:
    """A YAML integer, refused (located) when it has more than `MAX_INT_DIGITS` digits."""
    base = {"0o": 8, "0x": 16}.get(value[:2], 10)
    # Decimal text is measured before conversion (Python refuses to convert it past its
    # limit); octal and hex convert at any length, and are then measured.
    digits = value.lstrip("+-").lstrip("0") if base == 10 else ""
    if len(digits) > MAX_INT_DIGITS:
        number = _INT_LIMIT
    elif base == 10:
        number = -int(digits or "0") if value.startswith("-") else int(digits or "0")
    else:
        number = int(value[2:], base)
    if abs(number) >= _INT_LIMIT:
        raise _at(
            event,
            path,
            "number-too-long",
            f"this number has more than {MAX_INT_DIGITS:,} digits; "
            "no answer or rule needs one so long",
        )
    return number


def _check_tag(event: Any, path: str, expected: str) -> None:
    if event.tag not in (None, "!", _STD + expected):
        raise _at(
            event,
            path,
            "yaml-tag",
            f"YAML tag {event.tag!r} is not allowed: profiles and rules hold plain data only",
        )


def _events(text: str, loader_class: type) -> Any:
    """`yaml.parse(text, Loader=loader_class)`, one call per event instead of two (both
    parsers return None once the stream has ended)."""
    loader = loader_class(text)
    try:
        get_event = loader.get_event
        while (event := get_event()) is not None:
            yield event
    finally:
        loader.dispose()


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse one YAML document from `text` into plain data plus line marks.

    Raises `InputError` with a located diagnostic for every kind of bad input.
    """
    check_characters(text, path)
    try:
        try:
            root, marks, typed = _compose(_events(text, _EventLoader), path)
        except yaml.YAMLError as first:
            if _EventLoader is yaml.BaseLoader:
                raise
            # libyaml refused the text. It may have stopped at a limit of its own (its nesting
            # limit, for one, is reached while scanning ahead, before our depth check sees an
            # event). Read the text again with the pure-Python parser, which has no such
            # limits: our own checks decide; a real syntax error is reported as libyaml put it.
            try:
                root, marks, typed = _compose(_events(text, yaml.BaseLoader), path)
            except yaml.YAMLError:
                raise first from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, text) from None
    except yaml.YAMLError as exc:  # reader errors; `check_characters` leaves none expected
        index = getattr(exc, "position", None)
        line, column = _position(text, index) if isinstance(index, int) else (0, 0)
        problem = re.sub(r"\s+in \"[^\"]*\", position \d+$", "", str(exc)).strip()
        raise _diag(path, line, column, "yaml-syntax", f"YAML error: {problem}") from None
    return YamlDocument(path=path, data=root, marks=marks, typed_keys=typed)


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, text: str = "") -> InputError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    hint = (syntax_hint(problem, text, mark.line, mark.column) if mark else "") or next(
        (h for needle, h in _HINTS if needle in problem), ""
    )
    message = f"YAML syntax error: {problem}"
    if exc.context:
        where = exc.context_mark
        started = f" started at line {where.line + 1}" if where and where is not mark else ""
        message += f" ({exc.context}{started})"
    return _diag(
        path,
        (mark.line + 1) if mark else 0,
        (mark.column + 1) if mark else 0,
        "yaml-syntax",
        message + (f"; {hint}" if hint else ""),
        hint,
    )


def _compose(
    events: Any, path: str
) -> tuple[Any, dict[PathKey, tuple[int, int]], frozenset[PathKey]]:
    """Plain data, marks and `YamlDocument.typed_keys` from a parser's events. Our checks
    raise `InputError`; the parser's own errors propagate as `yaml.YAMLError`."""
    marks: dict[PathKey, tuple[int, int]] = {}
    typed: set[PathKey] = set()
    # anchor -> (value, nodes it expands to, characters of text it expands to)
    anchors: dict[str, tuple[Any, int, int]] = {}
    # Each stack frame: [container, path, pending_key, key_mark, anchor, seen_keys,
    #                    start_mark, nodes below, characters below]
    stack: list[list[Any]] = []
    root: Any = None
    have_root = False
    documents = 0
    nodes = 0
    aliased = 0  # characters of text and nodes added by aliases so far

    def place(value: Any, mark: Any, size: int = 1, new: int = 1, chars: int = 0) -> None:
        # `size` is how many values `value` expands to; `new` how many are new to the count;
        # `chars` how many characters of text it holds.
        nonlocal root, have_root, nodes
        nodes += new
        if nodes > MAX_NODES:
            raise _diag(
                path,
                mark.line + 1,
                mark.column + 1,
                "too-many-nodes",
                f"the document expands to more than {MAX_NODES:,} values "
                "(an alias/anchor bomb or a far too large file)",
            )
        if not stack:
            root, have_root = value, True
            marks[()] = (mark.line + 1, mark.column + 1)
            return
        frame = stack[-1]
        frame[7] += size
        frame[8] += chars
        container, cpath = frame[0], frame[1]
        if isinstance(container, list):
            loc = (*cpath, len(container))
            container.append(value)
            marks[loc] = (mark.line + 1, mark.column + 1)
            return
        if frame[2] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _diag(
                    path,
                    mark.line + 1,
                    mark.column + 1,
                    "yaml-key",
                    "a mapping key must be a plain value, not a list or mapping",
                )
            key = (
                "null"
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
            if key in container:
                first = frame[5][key]
                raise _diag(
                    path,
                    mark.line + 1,
                    mark.column + 1,
                    "duplicate-key",
                    f"duplicate key {key!r} (first defined at line {first[0]}); "
                    "YAML would silently keep only the last one",
                )
            frame[2] = key
            frame[3] = (mark.line + 1, mark.column + 1)
            if not isinstance(value, str):
                typed.add((*cpath, key))
            return
        key = frame[2]
        container[key] = value
        frame[5][key] = frame[3]
        marks[(*cpath, key)] = frame[3]
        frame[2] = _NO_KEY

    def child_path() -> PathKey:
        if not stack:
            return ()
        frame = stack[-1]
        container, cpath = frame[0], frame[1]
        if isinstance(container, list):
            return (*cpath, len(container))
        return (*cpath, frame[2])

    for event in events:
        if type(event) is yaml.ScalarEvent:  # most events: tested first
            value = _scalar(event, path)
            chars = len(event.value) + 1
            if event.anchor:
                anchors[event.anchor] = (value, 1, chars)
            place(value, event.start_mark, chars=chars)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _at(
                    event,
                    path,
                    "multiple-documents",
                    "the file holds more than one YAML document ('---'); "
                    "give each profile (or set of rules) a file of its own",
                )
        elif isinstance(event, yaml.ScalarEvent):
            value = _scalar(event, path)
            chars = len(event.value) + 1
            if event.anchor:
                anchors[event.anchor] = (value, 1, chars)
            place(value, event.start_mark, chars=chars)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            is_map = isinstance(event, yaml.MappingStartEvent)
            _check_tag(event, path, "map" if is_map else "seq")
            if len(stack) >= MAX_DEPTH:
                raise _at(
                    event,
                    path,
                    "too-deep",
                    f"nesting is deeper than {MAX_DEPTH} levels",
                )
            container: Any = {} if is_map else []
            cpath = child_path()
            stack.append(
                [container, cpath, _NO_KEY, None, event.anchor, {}, event.start_mark, 0, 0]
            )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = stack.pop()
            container, anchor, start = frame[0], frame[4], frame[6]
            size, chars = frame[7] + 1, frame[8] + 1
            if anchor:
                anchors[anchor] = (container, size, chars)
            # Its children were counted as they arrived; the container adds one node.
            place(container, start, size, 1, chars)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise _at(
                    event,
                    path,
                    "yaml-alias",
                    f"alias *{event.anchor} refers to an unknown anchor",
                )
            value, size, chars = anchors[event.anchor]
            # Each alias is a full copy for whatever reads the data (validation, reports):
            # bound what all of them add together, not only the nodes.
            aliased += chars
            if aliased > MAX_ALIAS_CHARS:
                raise _at(
                    event,
                    path,
                    "too-many-aliases",
                    f"aliases (*name) expand the document by more than {MAX_ALIAS_CHARS:,} "
                    "characters in all; write the values out, or use fewer aliases",
                )
            place(value, event.start_mark, size, size, chars)
    if not have_root or root is None:
        raise _diag(path, 0, 0, "empty", "the file is empty: it holds no YAML document")
    return root, marks, frozenset(typed)


class _NoKey:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<no key>"


_NO_KEY = _NoKey()


def load_yaml_file(path: Path, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Read and parse a YAML file. Raises `InputError` for bad content, `OSError` for I/O."""
    return parse_yaml(read_text(path, max_bytes), shown_name(path))


def load_yaml_stream(
    stream: Any, name: str = STDIN_NAME, max_bytes: int = MAX_BYTES
) -> YamlDocument:
    """Read and parse YAML from a binary stream, with the limits of a file; messages name
    it `name`. Raises `InputError` for bad content, `OSError` for I/O."""
    return parse_yaml(decode_text(read_stream_limited(stream, max_bytes, name), name), name)
