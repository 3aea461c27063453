"""Pieces of a streamed gap report: one profile's part, kept compressed until written."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

CACHED_TEXT = 2_000
"""The longest text whose rendering a format caches (wrapped lines, escaped Markdown): the
catalogue's texts and the reasons repeated across profiles are shorter; a longer one, which
only a profile can hold, is rendered each time, so a cache never holds much."""


def pack(text: str) -> bytes:
    """One profile's text, compressed (fast: the pieces are short-lived)."""
    return zlib.compress(text.encode("utf-8"), 1)


def unpack(piece: bytes) -> str:
    """A piece's text."""
    return zlib.decompress(piece).decode("utf-8")


def joined(pieces: Sequence[bytes], separator: str = "", head: str = "") -> Iterator[str]:
    """The pieces' texts one at a time, `head` first and `separator` between them."""
    if head:
        yield head
    for i, piece in enumerate(pieces):
        yield (separator if i else "") + unpack(piece)
