"""Does a cited quote stand in its source, within the lines the citation gives?

One check for every quote the tool vouches for: rule citations as the catalogue is loaded
(`coherence.rules.catalog`) and read again from its cache (`coherence.rules.cache`), and the
ledger's passages (`coherence.corpus.ledger`).
"""

from __future__ import annotations

from coherence.corpus.manifest import Corpus, SourceText

MAX_EXTRA_LINES = 5
"""How many lines a citation's range may hold besides its quote's (the paragraph around a
quote may take a line or two; the bundled catalogue uses at most 2)."""


def quote_problem(
    corpus: Corpus, source: str, lines: tuple[int, int], quote: str
) -> tuple[str, str, str] | None:
    """Why a quote does not verify, as (code, field, message), or None when it stands in
    `source` within `lines` (whitespace-normalised)."""
    if source not in corpus.sources:
        known = ", ".join(sorted(corpus.sources))
        return "unknown-source", "source", f"unknown source '{source}' (known: {known})"
    first, last = lines
    text = corpus.text(source)
    count = len(text.lines)
    if last > count:
        return (
            "lines-beyond-source",
            "lines",
            f"lines {first}-{last} go past the end of {source}, which has {count:,} lines",
        )
    # The usual case, fast: a range of a few lines that holds the quote cannot be much wider.
    if last - first <= MAX_EXTRA_LINES and text.occurs_within(quote, first, last):
        return None
    matches = corpus.locate(source, quote)
    if not matches:
        return "quote-not-found", "quote", f"quote not found in {source}: {quote[:70]!r}"
    inside = [m for m in matches if first <= m.first_line and m.last_line <= last]
    if not inside:
        spots = ", ".join(f"{m.first_line}-{m.last_line}" for m in matches)
        return (
            "quote-outside-lines",
            "lines",
            f"quote stands at lines {spots} of {source}, not within {first}-{last}",
        )
    # A range much wider than the quote would let any phrase "verify" against a whole
    # chapter, and would point the reader at the wrong section.
    extra = min((m.first_line - first) + (last - m.last_line) for m in inside)
    if extra > MAX_EXTRA_LINES:
        best = min(inside, key=lambda m: (m.first_line - first) + (last - m.last_line))
        return (
            "lines-too-wide",
            "lines",
            f"lines {first}-{last} of {source} are wider than the quote, which stands at "
            f"lines {best.first_line}-{best.last_line}: give the quote's own lines",
        )
    return None


def quote_holds(corpus: Corpus, source: str, lines: tuple[int, int], quote: str) -> bool:
    """`quote_problem(...) is None`, searching only the citation's own lines rather than a
    whole indexed source: for a cached catalogue, whose quotes are checked on every read."""
    first, last = lines
    if source not in corpus.sources or not 1 <= first <= last:
        return False
    text = corpus.raw_lines(source)
    if last > len(text):
        return False
    window = SourceText(corpus.sources[source], "\n".join(text[first - 1 : last]))
    size = last - first + 1  # a match's lines below are counted from `first`
    found = window.find(quote)
    return any(m.first_line - 1 + size - m.last_line <= MAX_EXTRA_LINES for m in found)
