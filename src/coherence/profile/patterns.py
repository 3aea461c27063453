"""Values that do not fit their field's pattern, or any value, in plain words for messages.

A message never shows a regular expression: it says what the field holds (a rule id, a
derived fact's id, a link) and, where one is clear, what was meant.
"""

from __future__ import annotations

import re
from typing import Any

from coherence.profile.answers import url_problem


def describe(value: Any) -> str:
    """A value as YAML spells it (`true`, not `True`; `null`, not `None`), cut at 60."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = "null" if value is None else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def pattern_message(name: str, loc: tuple[str | int, ...], value: Any) -> tuple[str, str]:
    """Patterns in plain words: a message never shows a regular expression."""
    if name == "rule" and loc and loc[0] == "waivers":
        from coherence.profile.model import Waiver

        pattern = next(
            str(m.pattern) for m in Waiver.model_fields["rule"].metadata if hasattr(m, "pattern")
        )
        # The likely id: capitals, dashes, the number on three digits (rights_4 -> RIGHTS-004).
        fixed = re.sub(r"[\s_]+", "-", str(value).strip().upper())
        fixed = re.sub(r"-(\d{1,2})$", lambda m: "-" + m.group(1).zfill(3), fixed)
        if re.fullmatch(pattern, fixed) and fixed != value:
            return (
                f"{describe(value)} is not a rule id; did you mean '{fixed}'? (a rule id looks "
                "like RIGHTS-004: capital letters, a dash and three digits)",
                fixed,
            )
        return (
            f"{describe(value)} is not a rule id: a rule id looks like RIGHTS-004 (capital "
            "letters, a dash and three digits); `coherence rules list` shows them all",
            "",
        )
    if name == "url":
        return f"{describe(value)} {url_problem(value)}", ""
    if name == "id" and loc and loc[0] == "derived":
        return (
            f"{describe(value)} is not a derived fact's id: lower-case letters, digits and _, "
            "starting with a letter, like regular_channel_open",
            "",
        )
    if name == "id":
        return (
            f"{describe(value)} is not a rule id: capital letters or digits, a dash and "
            "three digits, like PACK-001",
            "",
        )
    return f"{describe(value)} is not in the form '{name}' expects", ""
