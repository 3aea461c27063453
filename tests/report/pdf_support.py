"""Counting the pages of a PDF without a PDF library.

A page is a `/Type /Page` object (the page tree's nodes are `/Type /Pages`). Chromium writes
its page objects in the clear; WeasyPrint packs them into compressed object streams, so the
Flate streams are inflated and searched too. Each object is in one place only, so no page is
counted twice.
"""

from __future__ import annotations

import re
import zlib

PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
STREAM_START = re.compile(rb"(?<!end)stream\r?\n")


def page_count(pdf: bytes) -> int:
    """The number of page objects in `pdf`."""
    assert pdf.startswith(b"%PDF-"), pdf[:16]
    texts = [pdf]
    view = memoryview(pdf)
    for match in STREAM_START.finditer(pdf):
        try:  # a decompressor stops at the end of its stream, whatever follows
            texts.append(zlib.decompressobj().decompress(view[match.end() :]))
        except zlib.error:
            continue  # not a Flate stream (an image, a font in another filter)
    return sum(len(PAGE_OBJECT.findall(text)) for text in texts)
