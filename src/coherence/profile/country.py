"""ISO 3166-1 country codes: the check, and a suggestion when a name or alpha-2 code is given."""

from __future__ import annotations

from functools import cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator, Field

PLACEHOLDER_COUNTRY = "XXX"
"""ISO 3166-1 reserves XAA-XZZ for user assignment; `XXX` ("unspecified", as in ICAO
travel documents) is the blank template's placeholder. `validate` and `check` refuse it."""


USER_ASSIGNED: dict[str, str] = {
    # ISO 3166-1 leaves the X.. codes to its users. Kosovo has no ISO code; the EU, the IMF
    # and the World Bank use XKX for it (UN documents: "Kosovo (UNSCR 1244)").
    "XKX": "Kosovo",
}
"""Codes outside ISO 3166-1 that a profile may use, with their names."""


@cache
def iso3166_alpha3() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-3 country code, and the user-assigned ones (`USER_ASSIGNED`),
    sorted."""
    return tuple(sorted({*(c.alpha_3 for c in pycountry.countries), *USER_ASSIGNED}))


ALIASES: dict[str, str] = {
    # Names in everyday and UN usage that ISO's own names do not match exactly; a fuzzy
    # search gets some of them dangerously wrong ("Republic of Korea" is not PRK).
    "republic of korea": "KOR",
    "south korea": "KOR",
    "north korea": "PRK",
    "democratic people's republic of korea": "PRK",
    "turkey": "TUR",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "republic of the congo": "COG",
    "ivory coast": "CIV",
    "cote d'ivoire": "CIV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "burma": "MMR",
    "east timor": "TLS",
    "macedonia": "MKD",
    "uk": "GBR",
    "usa": "USA",
    "united states": "USA",
    "russia": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "vietnam": "VNM",
    "laos": "LAO",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
}


AMBIGUOUS: dict[str, tuple[str, ...]] = {
    # Names that several countries go by: never read as one of them.
    "congo": ("COG", "COD"),
    "the congo": ("COG", "COD"),
    "korea": ("KOR", "PRK"),
    "sudan": ("SDN", "SSD"),
    "guinea": ("GIN", "GNB", "GNQ", "PNG"),
    "virgin islands": ("VGB", "VIR"),
}


def ambiguous_alpha3(text: str) -> tuple[str, ...]:
    """The codes of the countries a name may mean when it may mean several, else ()."""
    return AMBIGUOUS.get(" ".join(text.split()).lower(), ())


def _either(codes: tuple[str, ...]) -> str:
    """`'COG' (Congo) or 'COD' (Congo, The Democratic Republic of the)`."""
    named = [f"{c!r} ({pycountry.countries.get(alpha_3=c).name})" for c in codes]
    return ", ".join(named[:-1]) + " or " + named[-1]


def exact_alpha3(text: str) -> str | None:
    """The alpha-3 code of an exact country name, alpha-2 or alpha-3 code (no guessing)."""
    text = text.strip()
    if not text:
        return None
    alias = ALIASES.get(text.lower())
    if alias:
        return alias
    for code, name in USER_ASSIGNED.items():
        if text.upper() == code or text.lower() == name.lower():
            return code
    try:
        return str(pycountry.countries.lookup(text).alpha_3)
    except LookupError:
        return None


def suggest_alpha3(text: str) -> str | None:
    """The alpha-3 code meant by a country name, an alpha-2 code or a misspelt code.

    A fuzzy match is only a suggestion for a message, never applied silently.
    """
    text = text.strip()
    if not text:
        return None
    found = exact_alpha3(text)
    if found is not None:
        return found
    try:
        matches = pycountry.countries.search_fuzzy(text)
    except LookupError:
        return None
    return str(matches[0].alpha_3) if matches else None


def _check_alpha3(code: str) -> str:
    code = code.strip()
    if code.upper() == PLACEHOLDER_COUNTRY:
        raise ValueError(
            "the country code is still the template's placeholder XXX; "
            "replace it with your country's ISO 3166-1 alpha-3 code, e.g. PHL"
        )
    if code.upper() in iso3166_alpha3():
        return code.upper()
    gone = pycountry.historic_countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    if gone is not None:  # YUG, SUN, CSK, ANT: a near code (UGA for YUG) would mislead
        until = getattr(gone, "withdrawal_date", "")
        raise ValueError(
            f"{code.upper()!r} was the code of {gone.name}"
            + (f", withdrawn in {until[:4]}" if until else "")
            + "; give the code of the country the profile describes today"
        )
    either = ambiguous_alpha3(code)
    if either:
        raise ValueError(
            f"{code!r} is the name of more than one country; did you mean {_either(either)}?"
        )
    hint = suggest_alpha3(code)
    if hint and hint != code.upper():
        raise ValueError(
            f"{code!r} is not an ISO 3166-1 alpha-3 country code; did you mean {hint!r}?"
        )
    raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 country code (e.g. PHL, DEU, MEX)")


CountryCode = Annotated[
    str,
    AfterValidator(_check_alpha3),
    Field(json_schema_extra={"enum": list(iso3166_alpha3())}),
]
"""An ISO 3166-1 alpha-3 code; a name or alpha-2 code is refused with the code to use."""


CountryList = list[CountryCode]
"""ISO 3166-1 alpha-3 codes, each country once (`coherence.profile.consistency` refuses a
repeat, naming both lines)."""
