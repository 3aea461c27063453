"""Between a profile's answers and the workbook's rows, both ways.

`to_row` spreads one answer (as `Profile.model_dump(mode="json")` gives it) over the cells
of its question's row, and returns what does not fit on the row (further documents, the
agreements, the bodies) for the list sheets. `from_row` reads the cells back into the
mapping a profile file would hold, noting which cell each part came from so that
validation errors can name the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coherence.profile.country import ambiguous_alpha3, exact_alpha3
from coherence.questionnaire.questions import Question

Cell = Any
"""A cell's value as written or read: text, a number, or None for an empty cell."""
Where = dict[tuple[str | int, ...], str]
"""Profile path -> the cell (`book.xlsx!Sheet!C5`) it was read from."""

_EVIDENCE_KEYS = ("title", "article", "url", "date")
NONE_LISTED = "none"
"""A list cell's word for an empty list: a destination has no main countries of destination,
which is an answer; an empty cell is a list not given (unknown)."""


@dataclass
class Extras:
    """What one answer puts on the list sheets."""

    evidence: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """(field path, law or practice, document)."""
    agreements: list[dict[str, Any]] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)


def split_list(text: Cell, *, names: bool = False, words: bool = False) -> list[str]:
    """Items of a list cell: one per line or separated by `;` (names, which may hold commas),
    by commas, `;` and new lines (`words`: groups such as `domestic workers`), or also by
    spaces (codes)."""
    if text is None:
        return []
    pattern = r"[\n;]+" if names else r"[\n,;]+" if words else r"[\s,;]+"
    return [item.strip() for item in re.split(pattern, str(text)) if item.strip()]


def country_code(text: str) -> str:
    """A country written as its exact name, alpha-2 or alpha-3 code, as its alpha-3 code;
    anything else unchanged, for validation to explain (a name several countries go by,
    such as Congo, too)."""
    if ambiguous_alpha3(text):
        return text
    return exact_alpha3(text) or text


def _listed(value: Any) -> Any:
    """A cell's text for `value`: `none` for an empty list."""
    return NONE_LISTED if value == [] else value


def _none_listed(text: Cell) -> bool:
    """True for a list cell that says the list is empty (`none`, any case)."""
    return isinstance(text, str) and text.strip().lower() == NONE_LISTED


def _word(value: Cell) -> Cell:
    """An answer or status as the vocabulary spells it (`Yes ` -> `yes`); text of several
    words is kept as typed, for the message that explains it is not an answer."""
    if isinstance(value, str) and len(value.split()) == 1:
        return value.strip().lower()
    return value


def group_word(text: str) -> str:
    """`Domestic workers` -> `domestic_workers`, the vocabulary's spelling."""
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def _evidence_cells(
    documents: list[dict[str, Any]], path: str, kind: str, extras: Extras
) -> dict[str, Cell]:
    """The first document on the row; the others to the evidence sheet."""
    cells: dict[str, Cell] = {}
    if documents:
        cells = {f"evidence_{k}": documents[0].get(k) for k in _EVIDENCE_KEYS}
    extras.evidence.extend((path, kind, d) for d in documents[1:])
    return cells


def _answer_cells(value: dict[str, Any], path: str, extras: Extras) -> dict[str, Cell]:
    cells: dict[str, Cell] = {
        "answer": value.get("answer"),
        "practice": value.get("practice"),
        "excludes": ", ".join(value.get("excludes", [])) or None,
        "note": value.get("note"),
        "answered_by": value.get("answered_by"),
    }
    cells.update(_evidence_cells(value.get("evidence", []), path, "law", extras))
    extras.evidence.extend((path, "practice", d) for d in value.get("practice_evidence", []))
    return cells


def to_row(question: Question, value: Any) -> tuple[dict[str, Cell], Extras]:
    """The cells of `question`'s row for `value` (JSON-mode data), and its extras."""
    extras = Extras()
    if value is None:
        return {}, extras
    path = question.path
    kind = question.kind
    if kind == "name":
        return {"name": value}, extras
    if kind == "countries":
        return {"answer": ", ".join(value) or NONE_LISTED}, extras
    if kind in ("un_treaty", "ilo_convention"):
        law = value.get("incorporated_in_law") or {}
        cells = {
            "status": value.get("status"),
            "date": value.get("date"),
            "incorporated": law.get("answer"),
            "incorporated_practice": law.get("practice"),
            "incorporated_note": law.get("note"),
            # No reservations (`[]`) is an answer, said "none" like an empty list.
            "reservations": _listed(value.get("reservations", value.get("exclusions"))),
            "note": value.get("note"),
            "answered_by": value.get("answered_by"),
        }
        cells.update(_evidence_cells(value.get("evidence", []), path, "law", extras))
        for kind, key in (("law", "evidence"), ("practice", "practice_evidence")):
            extras.evidence.extend(
                (f"{path}.incorporated_in_law", kind, d) for d in law.get(key, [])
            )
        return cells, extras
    if kind == "count":
        cells = {
            "answer": value.get("value"),
            "year": value.get("year"),
            "note": value.get("note"),
            "answered_by": value.get("answered_by"),
        }
        cells.update(_evidence_cells(value.get("evidence", []), path, "law", extras))
        return cells, extras
    if kind == "names":
        items = value.get("items")
        cells = {
            "answer": "unknown" if items is None else "\n".join(items) or NONE_LISTED,
            "note": value.get("note"),
            "answered_by": value.get("answered_by"),
        }
        cells.update(_evidence_cells(value.get("evidence", []), path, "law", extras))
        return cells, extras
    cells = _answer_cells(value, path, extras)
    if kind == "agreements":
        # Every agreement is a row of the Agreements sheet, its one place: the Partners cell,
        # a quick list for a blank questionnaire, is left empty (see `read._agreements`).
        agreements = value.get("agreements", [])
        for number, agreement in enumerate(agreements, 1):
            extras.agreements.append(agreement)
            place = f"{path}.agreements.{number}"
            extras.evidence.extend((place, "law", d) for d in agreement.get("evidence", [])[1:])
            monitored = agreement.get("monitored") or {}
            extras.evidence.extend(
                (f"{place}.monitored", "law", d) for d in monitored.get("evidence", [])
            )
    if kind == "bodies":
        for number, body in enumerate(value.get("bodies", []), 1):
            extras.bodies.append(body)
            place = f"{path}.bodies.{number}"
            extras.evidence.extend((place, "law", d) for d in body.get("evidence", [])[1:])
    return cells, extras


def agreement_cells(agreement: dict[str, Any]) -> dict[str, Cell]:
    """One row of the agreements sheet."""
    monitored = agreement.get("monitored") or {}
    cells = {
        "partner": agreement.get("partner"),
        "type": agreement.get("type"),
        "year": agreement.get("year"),
        "covers": agreement.get("covers"),
        "monitored": monitored.get("answer"),
        "monitored_note": monitored.get("note"),
    }
    first = agreement.get("evidence", [])[:1]
    cells.update({f"evidence_{k}": first[0].get(k) for k in _EVIDENCE_KEYS} if first else {})
    return cells


def body_cells(body: dict[str, Any]) -> dict[str, Cell]:
    """One row of the coordination bodies sheet."""
    cells = {
        "name": body.get("name"),
        "mandate": body.get("mandate"),
        "members": "\n".join(body.get("members", [])) or None,
        "meets": body.get("meets"),
    }
    first = body.get("evidence", [])[:1]
    cells.update({f"evidence_{k}": first[0].get(k) for k in _EVIDENCE_KEYS} if first else {})
    return cells


# ---- reading -------------------------------------------------------------------------

Read = dict[str, tuple[Cell, str]]
"""Column key -> (non-empty value, cell reference) for one row."""


def _put(target: dict[str, Any], key: str, row: Read, column: str, where: Where, at: tuple) -> None:
    if column in row:
        target[key] = row[column][0]
        where[(*at, key)] = row[column][1]


def evidence_from(row: Read, prefix: str, where: Where, at: tuple) -> dict[str, Any] | None:
    """A document from a row's evidence cells (`prefix` `evidence_` or empty), or None."""
    document: dict[str, Any] = {}
    for key in _EVIDENCE_KEYS:
        _put(document, key, row, prefix + key, where, at)
    if not document:
        return None
    if "title" not in document:
        # Attribute the missing title to the row's first evidence cell.
        where.setdefault((*at, "title"), next(iter(where[(*at, k)] for k in document)))
    return document


def _read_common(value: dict[str, Any], row: Read, where: Where, at: tuple) -> None:
    """The cells every answer row has: its note, who answered, and its first document."""
    _put(value, "note", row, "note", where, at)
    _put(value, "answered_by", row, "answered_by", where, at)
    document = evidence_from(row, "evidence_", where, (*at, "evidence", 0))
    if document is not None:
        value["evidence"] = [document]


def _answer_from(row: Read, where: Where, at: tuple) -> dict[str, Any]:
    value: dict[str, Any] = {}
    if "answer" in row:
        text = row["answer"][0]
        value["answer"] = _word(text)
        where[(*at, "answer")] = row["answer"][1]
        where[at] = row["answer"][1]
    _put(value, "practice", row, "practice", where, at)
    if "practice" in value:
        value["practice"] = _word(value["practice"])
    if "excludes" in row:
        value["excludes"] = [group_word(g) for g in split_list(row["excludes"][0], words=True)]
        where[(*at, "excludes")] = row["excludes"][1]
    _read_common(value, row, where, at)
    return value


def from_row(question: Question, row: Read, where: Where) -> Any:
    """The profile value of `question` from its row's non-empty cells (None: not answered)."""
    at: tuple[str | int, ...] = (question.section, question.name)
    kind = question.kind
    if kind == "name":
        if "name" not in row:
            return None
        where[at] = row["name"][1]
        return row["name"][0]
    if kind == "countries":
        if "answer" not in row:
            return None
        where[at] = row["answer"][1]
        if _none_listed(row["answer"][0]):
            return []
        return [country_code(c) for c in split_list(row["answer"][0])]
    used = {k for k in row if k not in ("ministry",)}
    if not used:
        return None
    if kind in ("un_treaty", "ilo_convention"):
        value: dict[str, Any] = {}
        _put(value, "status", row, "status", where, at)
        if "status" in value:
            value["status"] = _word(value["status"])
        if "status" in value:
            where[at] = where[(*at, "status")]
        _put(value, "date", row, "date", where, at)
        reservation_key = "reservations" if kind == "un_treaty" else "exclusions"
        _put(value, reservation_key, row, "reservations", where, at)
        if kind == "un_treaty" and _none_listed(value.get("reservations")):
            value["reservations"] = []
        _read_common(value, row, where, at)
        law: dict[str, Any] = {}
        law_at = (*at, "incorporated_in_law")
        for key, column in (("answer", "incorporated"), ("practice", "incorporated_practice")):
            _put(law, key, row, column, where, law_at)
            if key in law:
                law[key] = _word(law[key])
        _put(law, "note", row, "incorporated_note", where, law_at)
        if law:
            value["incorporated_in_law"] = law
            where[law_at] = where[(*law_at, next(iter(law)))]
        return value
    if kind == "count":
        value = {}
        if "answer" in row:
            number = row["answer"][0]
            value["value"] = number.strip().lower() if isinstance(number, str) else number
            where[(*at, "value")] = where[at] = row["answer"][1]
        _put(value, "year", row, "year", where, at)
        _read_common(value, row, where, at)
        return value
    if kind == "names":
        value = {}
        if "answer" in row:
            text = row["answer"][0]
            unknown = isinstance(text, str) and text.strip().lower() == "unknown"
            value["items"] = (
                None if unknown else [] if _none_listed(text) else split_list(text, names=True)
            )
            where[(*at, "items")] = where[at] = row["answer"][1]
        _read_common(value, row, where, at)
        return value
    value = _answer_from(row, where, at)
    if kind == "agreements" and "partners" in row:
        value["agreements"] = [{"partner": country_code(p)} for p in split_list(row["partners"][0])]
        for index in range(len(value["agreements"])):
            where[(*at, "agreements", index, "partner")] = row["partners"][1]
        where[(*at, "agreements")] = row["partners"][1]
    return value


def agreement_from(row: Read, where: Where, at: tuple) -> dict[str, Any]:
    """An agreement from a row of the agreements sheet (`at`: its profile path)."""
    value: dict[str, Any] = {}
    _put(value, "partner", row, "partner", where, at)
    if isinstance(value.get("partner"), str):
        value["partner"] = country_code(value["partner"])
    _put(value, "type", row, "type", where, at)
    if "type" in value:
        value["type"] = _word(value["type"])
    for key in ("year", "covers"):
        _put(value, key, row, key, where, at)
    monitored: dict[str, Any] = {}
    _put(monitored, "answer", row, "monitored", where, (*at, "monitored"))
    if "answer" in monitored:
        monitored["answer"] = _word(monitored["answer"])
    _put(monitored, "note", row, "monitored_note", where, (*at, "monitored"))
    if monitored:
        value["monitored"] = monitored
    document = evidence_from(row, "evidence_", where, (*at, "evidence", 0))
    if document is not None:
        value["evidence"] = [document]
    return value


def body_from(row: Read, where: Where, at: tuple) -> dict[str, Any]:
    """A coordination body from a row of the bodies sheet."""
    value: dict[str, Any] = {}
    for key in ("name", "mandate", "meets"):
        _put(value, key, row, key, where, at)
    if "members" in row:
        value["members"] = split_list(row["members"][0], names=True)
        where[(*at, "members")] = row["members"][1]
    document = evidence_from(row, "evidence_", where, (*at, "evidence", 0))
    if document is not None:
        value["evidence"] = [document]
    return value
