"""What a profile records of a UN treaty's reservations: a text, none at all, or not stated."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator


def _joined(value: Any) -> Any:
    """A list of reservations as one text (`; ` between them), so that the profile holds
    one form and the questionnaire's one cell carries it back unchanged; an empty list stays
    the answer "none"."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value)
    return value


# A list that is not all text is not joined, and `list[str]` then refuses it: what passes
# is a text or the empty list.
Reservations = Annotated[str | list[str], BeforeValidator(_joined)]
"""Reservations or declarations, in brief (a text, or a list of texts); an empty list (`[]`)
when the country made none."""


def recorded(value: str | list[str] | None) -> bool:
    """True when the profile records reservations (a text, not `[]` and not left out)."""
    return isinstance(value, str) and bool(value.strip())


def shown(value: str | list[str] | None) -> str | None:
    """The reservations as a report shows them: the text, `none` for `[]`, None if not stated."""
    if value is None:
        return None
    return value if isinstance(value, str) else "none"
