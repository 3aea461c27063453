"""The manifest `seeds/sources.yaml` and the corpus it describes.

The corpus answers two questions for the rule catalogue: does a quote occur in source X
(whitespace-normalised), and on which lines does it stand?
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from coherence.diagnostics import Diagnostic, InputError
from coherence.yamlsource import load_yaml_file

_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space.

    The same as `_WS.sub(" ", text).strip()` (`str.split` and `\\s` both split on what
    `str.isspace` calls whitespace), about three times faster."""
    return " ".join(text.split())


class Section(BaseModel):
    """A part of a source (a chapter, a paper in proceedings) and the lines it spans."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    heading: str
    lines: tuple[int, int]


class Source(BaseModel):
    """One source document of the corpus, as listed in `seeds/sources.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str
    author: str
    year: int
    year_note: str | None = None
    kind: str
    lines: int
    sections: tuple[Section, ...]

    def section_at(self, line: int) -> Section | None:
        """The section holding `line`, if any."""
        for section in self.sections:
            if section.lines[0] <= line <= section.lines[1]:
                return section
        return None

    def locator(self, first: int, last: int) -> str:
        """A human locator such as "ILO: ... , lines 2874-2880"."""
        section = self.section_at(first)
        span = f"line {first}" if first == last else f"lines {first}-{last}"
        return f"{section.heading}, {span}" if section else span


class Manifest(BaseModel):
    """The whole manifest file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class QuoteMatch:
    """Where a verified quote stands in its source."""

    source: str
    first_line: int
    last_line: int


class SourceText:
    """The text of one source, indexed for whitespace-normalised quote search."""

    def __init__(self, source: Source, text: str):
        self.source = source
        self.lines = text.splitlines()
        # Build the normalised text and, for each of its characters, the line it came from.
        parts: list[str] = []
        starts: list[int] = []  # offset in the normalised text where each line begins
        offset = 0
        for line in self.lines:
            piece = normalise(line)
            starts.append(offset)
            if piece:
                if parts:
                    parts.append(" ")
                    offset += 1
                    starts[-1] = offset
                parts.append(piece)
                offset += len(piece)
        self.text = "".join(parts)
        self._starts = starts

    def _line_of(self, offset: int) -> int:
        return bisect_right(self._starts, offset)

    def occurs_within(self, quote: str, first: int, last: int) -> bool:
        """Does the normalised quote occur with its first line at or after `first` and its
        last line at or before `last`? The same answer as `find` filtered by lines, but
        only the slice of the normalised text those lines span is searched: a match lies
        within the lines exactly when it starts at or after `first`'s start offset and
        ends before `last + 1`'s (the line map is non-decreasing)."""
        needle = normalise(quote)
        if not needle or first > last:
            return False
        starts, size = self._starts, len(self.text)
        low = starts[first - 1] if 0 < first <= len(starts) else (0 if first <= 0 else size)
        high = starts[last] if 0 <= last < len(starts) else (size if last >= 0 else 0)
        return self.text.find(needle, low, high) != -1

    def find(self, quote: str) -> list[QuoteMatch]:
        """Every place the normalised quote occurs, with 1-based first and last lines."""
        needle = normalise(quote)
        found: list[QuoteMatch] = []
        if not needle:
            return found
        start = self.text.find(needle)
        while start != -1:
            end = start + len(needle) - 1
            found.append(QuoteMatch(self.source.id, self._line_of(start), self._line_of(end)))
            start = self.text.find(needle, start + 1)
        return found

    def excerpt(self, first: int, last: int) -> str:
        """The raw lines `first`..`last` (1-based, inclusive)."""
        return "\n".join(self.lines[first - 1 : last])


class Corpus:
    """The loaded corpus: manifest plus the text of every source."""

    def __init__(self, root: Path, manifest: Manifest):
        self.root = root
        self.manifest = manifest
        self.sources = {s.id: s for s in manifest.sources}
        self._raw: dict[str, list[str]] = {}

    def _read(self, source: Source) -> str:
        return (self.root / source.file).read_bytes().decode("utf-8")

    @cached_property
    def _texts(self) -> dict[str, SourceText]:
        return {s.id: SourceText(s, self._read(s)) for s in self.manifest.sources}

    def raw_lines(self, source_id: str) -> list[str]:
        """The lines of a source as written, without building its search index (the index's
        own lines once it is built). Raises `KeyError` for an unknown id."""
        if "_texts" in self.__dict__:
            return self._texts[source_id].lines
        if source_id not in self._raw:
            self._raw[source_id] = self._read(self.sources[source_id]).splitlines()
        return self._raw[source_id]

    def text(self, source_id: str) -> SourceText:
        """The indexed text of a source. Raises `KeyError` for an unknown id."""
        return self._texts[source_id]

    def contains(self, source_id: str, quote: str) -> bool:
        """Does the quote occur in the source, whitespace-normalised?"""
        return bool(self.text(source_id).find(quote))

    def locate(self, source_id: str, quote: str) -> list[QuoteMatch]:
        """On which lines does the quote stand? Empty if it is not in the source."""
        return self.text(source_id).find(quote)

    def hash_mismatches(self) -> list[str]:
        """Ids of sources whose file no longer matches the manifest's SHA-256."""
        bad = []
        for source in self.manifest.sources:
            digest = hashlib.sha256((self.root / source.file).read_bytes()).hexdigest()
            if digest != source.sha256:
                bad.append(source.id)
        return bad

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of the manifest's file hashes: identifies the corpus version."""
        joined = "\n".join(f"{s.id}:{s.sha256}" for s in self.manifest.sources)
        return hashlib.sha256(joined.encode()).hexdigest()[:12]


def default_seeds_dir() -> Path:
    """The bundled `seeds/` folder (shipped inside the package as data)."""
    from coherence.resources import data_dir

    return data_dir() / "seeds"


def load_corpus(root: Path | None = None) -> Corpus:
    """Load `sources.yaml` from `root` (default: the bundled seeds)."""
    root = root or default_seeds_dir()
    path = root / "sources.yaml"
    doc = load_yaml_file(path)
    try:
        manifest = Manifest.model_validate(doc.data)
    except Exception as exc:  # a broken bundled manifest is a packaging bug; say where
        raise InputError([Diagnostic(str(path), 1, 1, "manifest", str(exc))]) from None
    return Corpus(root, manifest)
