"""What every Markdown layout shares: escaping, code spans, pipe tables, headings."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence

from coherence.report.formats.pieces import CACHED_TEXT

# ASCII punctuation that starts inline syntax in CommonMark, GFM or pandoc Markdown
# (emphasis, code, links, footnotes, tables, strike-out, maths, superscript, citations,
# attributes, heading closers). Backslash-escaping ASCII punctuation is always valid.
# An underscore inside a word never delimits emphasis, so `snake_case` stays readable.
_INLINE = re.compile(r"([\\`*{}\[\]#|~$^@!]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


# At the start of a text: list markers, setext underlines, definition lists.
_LEADING = re.compile(r"^(?:(\d{1,9})([.)])(?=\s|$)|([-+:])(?=\s|$)|(=))")


def md_escape(text: object) -> str:
    """`text` as literal Markdown inline content, on one line.

    Whitespace runs (newlines included) become one space; `&`, `<` and `>` become entity
    references; Markdown punctuation is backslash-escaped, and so is a leading list marker.
    """
    return _escape(str(text))


def md_escape_shared(text: object) -> str:
    """`md_escape` for the texts many reports share (the catalogue's titles, questions,
    recommendations and quotes, and reasons that repeat across profiles): cached, since
    escaping them again for every profile was the largest cost of a many-profile Markdown
    report. The cache is bounded in entries and in the length of what it keeps
    (`CACHED_TEXT`), so memory stays flat; a text only one profile holds (a name, a path)
    should use `md_escape`, which keeps nothing."""
    s = str(text)
    return _escaped(s) if len(s) <= CACHED_TEXT else _escape(s)


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    return _escape(text)


def _escape(text: str) -> str:
    s = " ".join(text.split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _INLINE.sub(r"\\\1", s)
    return _LEADING.sub(_escape_leading, s, count=1)


def _escape_leading(m: re.Match[str]) -> str:
    if m[1]:
        return f"{m[1]}\\{m[2]}"
    return "\\" + (m[3] or m[4])


def code_span(text: str) -> str:
    """An inline code span (for paths and ids, which never hold backticks)."""
    return "`" + text.replace("`", "'") + "`"


def pipe_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A pipe table; the cells must already be escaped."""
    return list(pipe_lines(header, rows))


def pipe_lines(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """`pipe_table`'s lines one at a time, each row made as it is read: a table of
    thousands of profiles is never held whole."""
    yield "| " + " | ".join(header) + " |"
    yield "|" + "|".join("---" for _ in header) + "|"
    for row in rows:
        yield "| " + " | ".join(row) + " |"
    yield ""


def heading_lines(level: int, text: str) -> list[str]:
    """A heading of `level` and the blank line after it."""
    return ["#" * level + " " + text, ""]
