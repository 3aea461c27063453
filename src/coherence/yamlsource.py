"""Safe, strict YAML loading with line marks.

Profiles and rule files are written by people, so the loader is strict where PyYAML is lax:

* YAML 1.2 core scalars: `yes`, `no`, `on`, `off` stay strings (PyYAML's YAML 1.1 turns
  them into booleans), `0123` is the integer 123, dates stay strings for the models to parse.
* Duplicate keys at any depth are errors (PyYAML silently keeps the last one).
* Only plain data: any tag other than the standard ones (e.g. `!!python/object`) is refused.
* Limits on size, nesting depth and alias expansion, so a hostile file cannot hang the tool.
* One document per file; UTF-8 only; binary files are recognised and refused.

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

# libyaml's C parser is several times faster; fall back to the pure-Python one. Only the
# parser's events are used: no constructor of these loaders ever runs.
_EventLoader: type = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 100_000

PathKey = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
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

    def line_of(self, loc: PathKey) -> tuple[int, int]:
        """Line and column of the value at `loc`, or of its nearest present ancestor."""
        for end in range(len(loc), -1, -1):
            mark = self.marks.get(tuple(loc[:end]))
            if mark is not None:
                return mark
        return (1, 1)


def _diag(path: str, line: int, column: int, code: str, message: str, hint: str = "") -> InputError:
    return InputError([Diagnostic(path, line, column, code, message, hint=hint)])


def decode_text(raw: bytes, path: str) -> str:
    """Decode file bytes as UTF-8, refusing binary, UTF-16/32 and invalid sequences clearly."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _diag(path, 1, 1, "encoding", "the file is UTF-16 encoded; save it as UTF-8")
    if b"\x00" in raw[:8192] or b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise _diag(path, line, 1, "binary", "this is a binary file, not a YAML text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _diag(
            path,
            line,
            col,
            "encoding",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file within the size limit. I/O failures raise `OSError` for the caller."""
    size = path.stat().st_size
    shown = str(path)
    if size > max_bytes:
        raise _diag(
            shown,
            0,
            0,
            "too-large",
            f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes",
        )
    with path.open("rb") as handle:
        raw = handle.read(max_bytes + 1)
    return decode_text(raw, shown)


def _scalar(event: yaml.ScalarEvent, path: str) -> Any:
    value = event.value
    tag = event.tag
    plain = not event.style and event.implicit[0]  # the C parser gives '' for plain
    if tag not in (None, "!", _STD + "str") and not (plain and tag is None):
        raise _diag(
            path,
            event.start_mark.line + 1,
            event.start_mark.column + 1,
            "yaml-tag",
            f"YAML tag {tag!r} is not allowed: profiles and rules hold plain data only",
        )
    if not plain:
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT10.match(value):
        return int(value)
    if _INT8.match(value):
        return int(value[2:], 8)
    if _INT16.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def _check_tag(event: Any, path: str, expected: str) -> None:
    if event.tag not in (None, "!", _STD + expected):
        raise _diag(
            path,
            event.start_mark.line + 1,
            event.start_mark.column + 1,
            "yaml-tag",
            f"YAML tag {event.tag!r} is not allowed: profiles and rules hold plain data only",
        )


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse one YAML document from `text` into plain data plus line marks.

    Raises `InputError` with a located diagnostic for every kind of bad input.
    """
    marks: dict[PathKey, tuple[int, int]] = {}
    anchors: dict[str, tuple[Any, int]] = {}
    # Each stack frame: [container, path, pending_key, key_mark, anchor, seen_keys]
    stack: list[list[Any]] = []
    root: Any = None
    have_root = False
    documents = 0
    nodes = 0

    def place(value: Any, mark: yaml.Mark, size: int = 1, new: int = 1) -> None:
        # `size` is how many values `value` expands to; `new` how many are new to the count.
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

    try:
        for event in yaml.parse(text, Loader=_EventLoader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _diag(
                        path,
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                        "multiple-documents",
                        "the file holds more than one YAML document ('---'); "
                        "put one profile in each file",
                    )
            elif isinstance(event, yaml.ScalarEvent):
                value = _scalar(event, path)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                place(value, event.start_mark)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                is_map = isinstance(event, yaml.MappingStartEvent)
                _check_tag(event, path, "map" if is_map else "seq")
                if len(stack) >= MAX_DEPTH:
                    raise _diag(
                        path,
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                        "too-deep",
                        f"nesting is deeper than {MAX_DEPTH} levels",
                    )
                container: Any = {} if is_map else []
                cpath = child_path()
                stack.append(
                    [container, cpath, _NO_KEY, None, event.anchor, {}, event.start_mark, 0]
                )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                container, anchor, start = frame[0], frame[4], frame[6]
                size = frame[7] + 1
                if anchor:
                    anchors[anchor] = (container, size)
                # Its children were counted as they arrived; the container adds one node.
                place(container, start, size, 1)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise _diag(
                        path,
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                        "yaml-alias",
                        f"alias *{event.anchor} refers to an unknown anchor",
                    )
                value, size = anchors[event.anchor]
                place(value, event.start_mark, size, size)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        hint = next((h for needle, h in _HINTS if needle in problem), "")
        message = f"YAML syntax error: {problem}"
        if exc.context:
            where = exc.context_mark
            started = f" started at line {where.line + 1}" if where and where is not mark else ""
            message += f" ({exc.context}{started})"
        raise _diag(
            path,
            (mark.line + 1) if mark else 0,
            (mark.column + 1) if mark else 0,
            "yaml-syntax",
            message + (f"; {hint}" if hint else ""),
            hint,
        ) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise _diag(path, 0, 0, "yaml-syntax", f"YAML error: {exc}") from None
    if not have_root or root is None:
        raise _diag(path, 0, 0, "empty", "the file is empty: it holds no YAML document")
    return YamlDocument(path=path, data=root, marks=marks)


class _NoKey:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<no key>"


_NO_KEY = _NoKey()


def load_yaml_file(path: Path, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Read and parse a YAML file. Raises `InputError` for bad content, `OSError` for I/O."""
    return parse_yaml(read_text(path, max_bytes), str(path))
