"""The profile `coherence import` would write must be one `validate` accepts: within its size
limit. A workbook stores a text repeated in many cells once, compressed, so a 50 KB workbook
can hold a profile of megabytes; the message names the sheet that holds most of the text."""

from __future__ import annotations

from coherence.diagnostics import Diagnostic
from coherence.questionnaire.read import Imported
from coherence.textinput import MAX_BYTES


def too_large(text: str, result: Imported, workbooks: str) -> Diagnostic | None:
    """Why the profile `text` cannot be written, located at the sheet holding most of its
    text (`workbooks` when no sheet holds any); None when it is within the limit."""
    size = len(text.encode("utf-8"))
    if size <= MAX_BYTES:
        return None
    where = workbooks
    most = ""
    if result.text:
        where, (chars, first, last) = max(result.text.items(), key=lambda item: item[1][0])
        rows = f"row {first}" if first == last else f"rows {first} to {last}"
        most = (
            f"; this sheet holds {chars:,} characters of it, in {rows}: shorten its longest cells"
        )
    return Diagnostic(
        where,
        0,
        0,
        "profile-too-large",
        f"the profile would be {size:,} bytes; a profile may be at most {MAX_BYTES:,} bytes "
        f"(`validate` and `check` refuse larger ones){most}",
    )
