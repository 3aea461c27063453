"""Plain-English wording shared by messages, the template and reports."""

from __future__ import annotations

from collections.abc import Iterable


def series(items: Iterable[str], last: str = "or") -> str:
    """`a`, `a or b`, `a, b or c` (`and` with `last="and"`); empty for no items."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]
