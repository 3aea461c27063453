"""The report formats: one module per format, and this registry of them.

A format module lays out every view it supports (`coherence.report.views`), each through a
function named after the view:

* `render_gap(assessments, options)`: the gap report of `coherence check`;
* `render_comparison(comparison)`: `coherence compare`;
* `render_diff(diff)`: `coherence diff`.

A format that streams the gap report of many profiles (`pieces=True` below) also has
`gap_piece(assessment, options)`, what is kept of one profile, and `gap_document(pieces,
options)`, the report put together from them (text, or an iterator of text written piece by
piece, or of bytes for a `binary` format). A format without them gets every assessment
at once.

A format may also lay out the comparison piece by piece, `comparison_chunks(comparison)`
(an iterator of text, or of bytes for a `binary` format), whose pieces joined are
`render_comparison(comparison)`: `coherence compare` writes them one after the other, so
the comparison of thousands of profiles is never held whole as text.

`FORMATS` is the one list of formats: the CLI's `--format` choices of each command and the
format an `--output` suffix implies come from it. Adding a format is one module here and
one line in `FORMATS`.

This module imports no format: a format's module is imported when it renders.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

View = Literal["gap", "comparison", "diff"]
VIEWS: tuple[View, ...] = ("gap", "comparison", "diff")
"""The views: the gap report, the comparison and the diff."""


class FormatError(ValueError):
    """A report that cannot be made as asked (a broken template, a missing optional extra);
    its message says why, for the user."""


@dataclass(frozen=True)
class GapOptions:
    """What the gap report's formats may use besides the assessments; each takes what it
    needs and ignores the rest."""

    catalogue: Any = None
    """The rule catalogue (SARIF describes every rule of it)."""
    changes: Mapping[Any, Any] | None = None
    """Findings against the baseline (`coherence.assessment.gate.compare_baseline`)."""
    only: frozenset[Any] | set[Any] | None = None
    """Finding keys to list alone (`--only-failing`), in the CI formats."""
    template_dir: Path | None = None
    """Templates that replace the packaged ones (HTML, PDF)."""
    appendix: bool = False
    """Every rule in full in an appendix (HTML, PDF)."""

    def kept(self, assessments: Sequence[Any]) -> list[Any]:
        """The assessments with only the findings `only` names (all of them without `only`):
        what the CI formats list under `--only-failing`."""
        if self.only is None:
            return list(assessments)
        from coherence.assessment.gate import keep_findings  # not at import: the CLI's start

        return keep_findings(assessments, self.only)


@dataclass(frozen=True)
class Format:
    """One report format: its name, the views it lays out and the file names that imply it."""

    name: str
    views: tuple[View, ...]
    suffixes: tuple[str, ...] = ()
    """`--output` suffixes that imply the format (`.json` may imply several)."""
    terminal: bool = False
    """Plain text meant for a terminal (made safe for one when written there)."""
    pieces: bool = False
    """Streams the gap report profile by profile (`gap_piece`, `gap_document`)."""
    binary: bool = False
    """Its reports are bytes, not text (its `gap_document` yields bytes)."""
    preflight: bool = False
    """Has `preflight()`, run before any work, raising `FormatError` when it cannot render
    (an optional extra missing)."""
    most_profiles: int | None = None
    """The most profiles one report of this format holds (None: any number); `check` refuses
    more before any work, with the module's `too_many(count)` as the reason."""

    @property
    def module(self) -> ModuleType:
        """The format's module (imported now)."""
        return importlib.import_module(f"{__name__}.{self.name}")

    def renderer(self, view: View) -> Callable[..., str | bytes]:
        """The function that lays out `view` in this format."""
        if view not in self.views:
            raise KeyError(f"the {self.name} format has no {view} view")
        return getattr(self.module, f"render_{view}")


FORMATS: tuple[Format, ...] = (
    Format("text", ("gap", "diff"), terminal=True, pieces=True),
    Format("markdown", ("gap", "comparison", "diff"), (".md", ".markdown"), pieces=True),
    Format("html", ("gap", "comparison", "diff"), (".html", ".htm"), pieces=True),
    Format("csv", ("gap", "comparison"), (".csv",), pieces=True),
    Format("json", ("gap", "comparison", "diff"), (".json",), pieces=True),
    Format("xlsx", ("gap", "comparison"), (".xlsx",), pieces=True, binary=True),
    Format("pdf", ("gap",), (".pdf",), pieces=True, preflight=True, binary=True, most_profiles=20),
    Format("sarif", ("gap",), (".sarif", ".sarif.json", ".json"), pieces=True),
    Format("junit", ("gap",), (".xml",), pieces=True),
    Format("github", ("gap",), terminal=True, pieces=True),
)
"""Every format, in the order the CLI lists them (a SARIF log is JSON too, so `.json`
implies json first and accepts sarif)."""


def get_format(name: str) -> Format:
    """The format called `name` (case-insensitive); KeyError for an unknown one."""
    for f in FORMATS:
        if f.name == name.lower():
            return f
    raise KeyError(name)


def formats_for(view: View) -> tuple[Format, ...]:
    """The formats that lay out `view`, in registry order."""
    return tuple(f for f in FORMATS if view in f.views)


def names_for(view: View) -> tuple[str, ...]:
    """The names of the formats that lay out `view`: a command's `--format` choices."""
    return tuple(f.name for f in formats_for(view))


def formats_of_name(file_name: str, view: View = "gap") -> tuple[Format, ...]:
    """The formats of `view` a file name's suffix implies, best first (empty: none, e.g.
    `.txt`); the longest registered suffix the name ends with decides (`.sarif.json`)."""
    name = file_name.lower()
    known = [s for f in formats_for(view) for s in f.suffixes if name.endswith(s)]
    if not known:
        return ()
    suffix = max(known, key=len)
    return tuple(f for f in formats_for(view) if suffix in f.suffixes)


def render(name: str, view: View, subject: Any, options: GapOptions | None = None) -> str | bytes:
    """`subject` (assessments, a comparison or a diff) laid out in the format `name`."""
    fmt = get_format(name)
    if view == "gap":
        return fmt.renderer(view)(subject, options or GapOptions())
    return fmt.renderer(view)(subject)


def render_chunks(name: str, view: View, subject: Any) -> Iterator[str | bytes]:
    """`render(name, view, subject)` (not the gap report) piece by piece: the pieces of the
    format's `<view>_chunks` when it has one, else the whole report as one piece."""
    fmt = get_format(name)
    chunks = getattr(fmt.module, f"{view}_chunks", None)
    if chunks is None:
        yield fmt.renderer(view)(subject)
        return
    yield from chunks(subject)
