"""Diagnostics: one problem found in one input file, located to line and column.

Every layer (YAML loading, schema validation, rule loading) reports problems as
`Diagnostic` objects so that every renderer (text, JSON, GitHub annotations) can
print them the same way.
"""

from __future__ import annotations

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


class InputError(Exception):
    """Raised when an input cannot be used at all; carries the diagnostics that say why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(f"{d.location()}: {d.message}" for d in diagnostics))
        self.diagnostics = diagnostics
