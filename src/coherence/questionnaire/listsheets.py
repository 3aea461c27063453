"""The list sheets of a questionnaire read back: the Agreements and Bodies rows, one entry
each, merged into the profile's data (with the places messages point at)."""

from __future__ import annotations

from typing import Any

from coherence.diagnostics import Diagnostic
from coherence.questionnaire.language import Language
from coherence.questionnaire.layout import SHEET_TITLES
from coherence.questionnaire.rows import Where, agreement_from, body_from
from coherence.questionnaire.values import cell_problem


def sheet_title(key: str, langs: dict[str, Language], book: str | None = None) -> str:
    """A sheet's title as the ministry sees it: in the language of `book`, else of the first
    workbook read (English when none was read)."""
    lang = langs.get(book or "") or next(iter(langs.values()), None)
    return lang.title(key) if lang is not None else SHEET_TITLES[key]


def agreements(
    rows: list,
    data: dict[str, Any],
    where: Where,
    problems: list[Diagnostic],
    langs: dict[str, Language],
) -> None:
    """The agreements: the rows of the Agreements sheet, one agreement each, when there are
    any (else the Partners cell's quick list stands). A Partners cell that names other
    partners than the rows is an error naming both places: which one was meant cannot be
    told (a row deleted, or a partner added in one place only)."""
    if not rows:
        return
    at = ("labour_channels", "bilateral_agreements")
    answer = data.setdefault("labour_channels", {}).setdefault("bilateral_agreements", {})
    quick = answer.pop("agreements", None)
    cell = where.get((*at, "agreements"))
    for key in [k for k in where if k[: len(at) + 1] == (*at, "agreements")]:
        del where[key]  # the quick list's places; the rows' own are noted below
    listed: list[dict[str, Any]] = []
    for row in rows:
        cells = {k: v for k, v in row.items() if v[0] is not None}
        spot = len(listed)
        listed.append(agreement_from(cells, where, (*at, "agreements", spot)))
        where.setdefault((*at, "agreements", spot), next(iter(cells.values()))[1])
    answer["agreements"] = listed
    if quick and cell is not None:
        named = [a.get("partner") for a in quick]
        _partners_agree(named, listed, cell, where, problems, langs)


def _partners_agree(
    named: list[Any],
    listed: list[dict[str, Any]],
    cell: Any,
    where: Where,
    problems: list,
    langs: dict[str, Language],
) -> None:
    """An error at the Partners cell when it and the Agreements rows name other partners."""
    rows = [a.get("partner") for a in listed]
    at = ("labour_channels", "bilateral_agreements", "agreements")
    here = [str(p) for p in dict.fromkeys(named) if p not in rows]
    there = {str(p): str(where.get((*at, i, "partner"))) for i, p in enumerate(rows)}
    there = {p: ref for p, ref in there.items() if p not in named and p != "None"}
    said = []
    if here:
        one = len(here) == 1
        said.append(f"{', '.join(here)} {'is' if one else 'are'} here but without a row there")
    if there:
        one = len(there) == 1
        said.append(
            f"{', '.join(there)} {'has a row' if one else 'have rows'} there "
            f"({', '.join(there.values())}) but {'is' if one else 'are'} not here"
        )
    if said:
        sheet = sheet_title("agreements", langs, getattr(cell, "book", None))
        problems.append(
            cell_problem(
                cell,
                "partners",
                f"this cell and the {sheet} sheet name different partners: {'; '.join(said)}. "
                f"The {sheet} sheet lists every agreement, one row each: empty this cell, or "
                "make it name the same partners",
                "labour_channels.bilateral_agreements.agreements",
            )
        )


def bodies(rows: list, data: dict[str, Any], where: Where) -> None:
    """The coordination bodies: the rows of the Bodies sheet, one body each."""
    if not rows:
        return
    at = ("coordination", "coordination_bodies")
    answer = data.setdefault("coordination", {}).setdefault("coordination_bodies", {})
    bodies = answer.setdefault("bodies", [])
    for row in rows:
        cells = {k: v for k, v in row.items() if v[0] is not None}
        where[(*at, "bodies", len(bodies))] = next(iter(cells.values()))[1]
        bodies.append(body_from(cells, where, (*at, "bodies", len(bodies))))
