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
