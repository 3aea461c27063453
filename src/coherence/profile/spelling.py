"""How the JSON Schema says what the validator accepts beyond the exact words.

The validator reads some values leniently, as an official would mean them: an answer in any
case and with stray spaces (`Yes`, `"no "`, a block scalar's `partial` and its line break), a
country code in lower case (`fra`), a number a spreadsheet kept as text (`"1000"`). The schema
generated from the models must accept the same (else editors flag valid profiles), and no
more (else they pass invalid ones): these helpers give the models' JSON Schema those spellings,
while the words themselves stay listed for editors to complete.
"""

from __future__ import annotations

import re
from typing import Any

SPACE = r"\s*"
"""What the validator trims around a word (Python's `str.strip()`; `\\s` is the same set)."""


def any_case_pattern(words: tuple[str, ...] | list[str]) -> str:
    """A pattern of `words` in any case, with spaces around them."""
    spelt = "|".join(
        "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)
        for word in words
    )
    return f"^{SPACE}(?:{spelt}){SPACE}$"


def any_case(*words: str) -> dict[str, Any]:
    """The JSON Schema of one of `words`, as the validator reads it: trimmed, in any case."""
    return {
        "anyOf": [
            {"enum": list(words), "type": "string"},
            {"type": "string", "pattern": any_case_pattern(words)},
        ]
    }


YEAR_TEXT = rf"^{SPACE}(?:19[0-9]{{2}}|20[0-9]{{2}}|2100){SPACE}$"
"""A year from 1900 to 2100 written as text (`"2020"`), which the validator reads as 2020."""

COUNT_TEXT = rf"^{SPACE}(?:[0-9]{{1,12}}|1000000000000){SPACE}$"
"""A whole number from 0 to a trillion written as text (`"1000"`)."""

DAY_IN_YEARS = (
    rf"^{SPACE}(?:18[0-9]{{2}}|19[0-9]{{2}}|20[0-9]{{2}}|2100)-[0-9]{{2}}-[0-9]{{2}}{SPACE}$"
)
"""A day (YYYY-MM-DD) of the years 1800 to 2100, the years of a profile's records."""

PARTIAL_DATE_IN_YEARS = (
    rf"^{SPACE}(?:18[0-9]{{2}}|19[0-9]{{2}}|20[0-9]{{2}}|2100)(?:-[0-9]{{2}}(?:-[0-9]{{2}})?)?"
    rf"{SPACE}$"
)
"""A year, a month or a day of the years 1800 to 2100 (a document's or ratification's date)."""

AS_OF_DAY = rf"^{SPACE}(?:19[0-9]{{2}}|20[0-9]{{2}}|2100)-[0-9]{{2}}-[0-9]{{2}}{SPACE}$"
"""The profile's own date: a day of the years 1900 to 2100."""

FILLED = r"\S"
"""A text that is more than spaces (the validator trims it, then needs one character)."""

FILLED_10 = r"\S[\s\S]{8,}\S"
"""A text of at least 10 characters once trimmed (a waiver's justification)."""
