"""The countries pycountry's `countries.search_fuzzy` finds for a text, from an index built
once.

`search_fuzzy` normalises every name of every country and of its ~5,000 subdivisions again on
each call: 14 ms a call, so a workbook or a profile with 5,000 partners that are not country
codes took over a minute before a message was shown. Suggestions need only the set of
countries found, not pycountry's ranking of them, and that set is computed here from names
normalised once, by the same four matches.
"""

from __future__ import annotations

from contextlib import suppress
from functools import cache

import pycountry

_COUNTRY_FIELDS = ("name", "official_name", "comment")
"""The fields of a country matched in part, in pycountry's order (the first that matches
counts)."""


def _plain(text: str) -> str:
    return pycountry.remove_accents(text.lower())


@cache
def _index() -> tuple[
    tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
    tuple[tuple[str, frozenset[str], str], ...],
]:
    """Per country: its alpha-3 code and, per field, (initials, name) normalised; per
    subdivision: its name, every value of every field (split at `;`) and its country's code."""
    countries = tuple(
        (
            str(country.alpha_3),
            tuple(
                (_plain("".join(c for c in value if c.isupper())), _plain(value))
                for value in (country._fields.get(key) for key in _COUNTRY_FIELDS)
                if value is not None
            ),
        )
        for country in pycountry.countries
    )
    subdivisions = []
    for sub in pycountry.subdivisions:
        values = frozenset(
            word
            for value in sub._fields.values()
            if isinstance(value, str)
            for word in _plain(value).split(";")
        )
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is not None:
            subdivisions.append((_plain(sub._fields["name"]), values, str(country.alpha_3)))
    return countries, tuple(subdivisions)


def fuzzy_countries(text: str) -> set[str]:
    """The alpha-3 codes of the countries `pycountry.countries.search_fuzzy(text)` returns
    (empty where it raises `LookupError`)."""
    query = _plain(text.strip())
    found: set[str] = set()
    with suppress(LookupError):  # an exact name or code of any kind, by pycountry's indexes
        found.add(str(pycountry.countries.lookup(query).alpha_3))
    countries, subdivisions = _index()
    for code, fields in countries:
        for initials, name in fields:
            if query == initials or query in name:
                found.add(code)
                break
    for name, values, code in subdivisions:
        if query in name or query in values:
            found.add(code)
    return found
