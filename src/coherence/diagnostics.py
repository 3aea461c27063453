"""Diagnostics: one problem found in one input file, located to line and column.

Every layer (YAML loading, schema validation, rule loading) reports problems as
`Diagnostic` objects so that every renderer (text, JSON, GitHub annotations) can
print them the same way.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem in an input file. Lines and columns are 1-based; 0 means "whole file"."""

    file: str
    line: int
    column: int
    code: str
    message: str
    path: str = ""
    severity: str = "error"
    hint: str = field(default="", compare=False)

    def location(self) -> str:
        """`file:line:column`, the form editors and CI logs turn into links."""
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping with stable keys."""
        return asdict(self)


MAX_EXPLAINED = 200
"""Problems explained one by one; past them, one line counts the rest."""


def more_problems(file: str, more: int, again: str = "validate") -> Diagnostic:
    """The line that counts the `more` problems not explained, at `file`."""
    said = f"and {more:,} more problems, not listed: fix the ones above, then {again} again"
    return Diagnostic(file, 0, 0, "more", said)


_UNLISTED = re.compile(r"^and ([0-9,]+) more problems, not listed")


def problem_count(found: list[Diagnostic]) -> int:
    """How many problems `found` stands for: one each, and for a line that counts the
    problems not listed (`more_problems`), those it counts."""
    total = 0
    for d in found:
        match = _UNLISTED.match(d.message) if d.code == "more" else None
        total += int(match[1].replace(",", "")) if match else 1
    return total


def first_explained(
    found: list[Diagnostic], file: str, again: str = "validate"
) -> list[Diagnostic]:
    """The first `MAX_EXPLAINED` of `found` (in order), then one line at `file` that counts
    the rest: 45,000 lines help no one fix the first."""
    listed = [d for d in found if d.code != "more"]  # a part already cut counts, in total
    more = problem_count(found) - min(len(listed), MAX_EXPLAINED)
    if more <= 0:
        return found
    return [*listed[:MAX_EXPLAINED], more_problems(file, more, again)]


class InputError(Exception):
    """Raised when an input cannot be used at all; carries the diagnostics that say why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(f"{d.location()}: {d.message}" for d in diagnostics))
        self.diagnostics = diagnostics
