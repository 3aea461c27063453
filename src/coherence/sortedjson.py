"""Indented JSON text with sorted keys, byte for byte what `json.dumps(value, indent=2,
sort_keys=True, ensure_ascii=False)` writes, in a third of its time.

Python's C encoder does not indent, so `json.dumps(indent=2)` runs the pure-Python encoder:
the largest single cost of a JSON or SARIF report (about 40 % of a check of many profiles).
pydantic-core, already installed with pydantic, has an indenting serializer in Rust. It keeps
the keys in their order, so the value is copied with its keys sorted first. Both escape the
same characters (quote, backslash and the C0 controls, as `\\n` or lowercase `\\u00XX`) and
write a finite float in its shortest round-trip digits; they differ only where a float needs
an exponent (`1e-07` against `1e-7`), so such a value, and anything pydantic-core refuses
(a lone surrogate, a non-string key, an integer beyond 64 bits), goes to `json.dumps`.
"""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic_core import PydanticSerializationError, to_json


class _Unsafe(Exception):
    """A value whose text the fast path might write differently."""


def _sorted(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise _Unsafe
        return {k: _sorted(value[k]) for k in sorted(value)}
    if kind is list or kind is tuple:
        return [_sorted(v) for v in value]
    if kind is int and -(2**63) <= value < 2**64:
        return value
    if kind is float and math.isfinite(value) and "e" not in repr(value):
        return value
    raise _Unsafe  # anything else: json.dumps decides (and raises TypeError as before)


def dumps_sorted(value: Any) -> str:
    """`json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`, faster."""
    try:
        return to_json(_sorted(value), indent=2).decode("utf-8")
    except (_Unsafe, PydanticSerializationError, ValueError, UnicodeDecodeError):
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def dumps_each_sorted(values: list[dict[str, Any]], indent: str) -> list[str]:
    """`dumps_sorted(v).replace("\\n", "\\n" + indent)` of each dict, in one call of
    pydantic-core for all of them and without the sorted copy: for dicts made with their keys
    (and those of every dict inside) in sorted order already, holding only text, booleans,
    None, whole numbers of a few digits, lists and such dicts (never a float: see above).
    Copying each of a profile's ~60 SARIF results sorted, a call each, was a third of its
    SARIF piece (issue 12 §4).

    The list's text is cut into its items: a newline is always structure in JSON text (one
    inside a string is written `\\n`), so an item starts where a line holds only `{` at
    their depth. Anything pydantic-core refuses (a lone surrogate) goes through
    `dumps_sorted`."""
    if not values:
        return []
    inner = "\n" + indent
    try:
        text = to_json(values, indent=2).decode("utf-8")
    except (PydanticSerializationError, ValueError, UnicodeDecodeError):
        return [dumps_sorted(v).replace("\n", inner) for v in values]
    # `[\n  {\n    "a": 1\n  },\n  {...}\n]`: each line one level in; moved to `indent`.
    items = text[len("[\n  ") : -len("\n]")].replace("\n  ", inner).split("," + inner + "{")
    return items[:1] + ["{" + item for item in items[1:]]
