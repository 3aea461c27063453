"""How reports present a citation (of a rule or of a finding): requirement passages first,
as "What the sources ask", each with whom it asks; rationale and context passages after, as
"Background". Pure functions of a citation's `role` and `addressee`, shared by the rule
format (rule documents, `coherence rules show`) and the reports, so it sits below both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")

ASKS_HEADING = "What the sources ask"
BACKGROUND_HEADING = "Background"

ASKS_WORDS: dict[str, str] = {
    "states": "asks states",
    "origin": "asks countries of origin",
    "transit": "asks countries of transit",
    "destination": "asks countries of destination",
    "international_community": "asks the international community",
    "un_system": "asks the UN system",
}
"""How a report says to whom a requirement passage speaks."""


def is_requirement(cite: Any) -> bool:
    """Whether a citation (rule or report) is a requirement passage."""
    return getattr(cite, "role", None) == "requirement"


def asks_words(cite: Any) -> str:
    """ "asks states", "asks countries of destination", ...; empty when the addressee is
    not given."""
    return ASKS_WORDS.get(getattr(cite, "addressee", None) or "", "")


def requirements_first(citations: Sequence[T]) -> list[T]:
    """Requirement citations first, the others after, each group in its written order."""
    return [c for c in citations if is_requirement(c)] + [
        c for c in citations if not is_requirement(c)
    ]


def split(citations: Sequence[T]) -> tuple[list[T], list[T]]:
    """(requirement passages, background passages), each in written order."""
    return (
        [c for c in citations if is_requirement(c)],
        [c for c in citations if not is_requirement(c)],
    )


UNLABELLED_HEADING = "What the sources say"


def sections(citations: Sequence[T]) -> list[tuple[str, list[T]]]:
    """The citations under their headings, empty sections left out: "What the sources ask"
    (requirements), then "Background" (rationale and context). A rule pack that gives no
    roles keeps all its passages under "What the sources say"."""
    asks, background = split(citations)
    if not asks:
        return [(UNLABELLED_HEADING, list(citations))] if citations else []
    return [(h, c) for h, c in ((ASKS_HEADING, asks), (BACKGROUND_HEADING, background)) if c]
