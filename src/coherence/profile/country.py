"""ISO 3166-1 country codes: the check, and a suggestion when a name or alpha-2 code is given."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator, WithJsonSchema

from coherence.profile.country_search import fuzzy_countries
from coherence.profile.spelling import any_case

PLACEHOLDER_COUNTRY = "XXX"
"""ISO 3166-1 reserves XAA-XZZ for user assignment; `XXX` ("unspecified", as in ICAO
travel documents) is the blank template's placeholder. `validate` and `check` refuse it."""

PLACEHOLDER_NAME = "Country name"
"""The blank template's country name, refused as its code is."""


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


EU_ADVICE = (
    "for an agreement the EU made, name the member states it covers (or describe it in a "
    "note), and list the states whose workers move freely with yours in "
    "context.free_movement_countries"
)
"""What to write instead of an EU code: often given for EU-level agreements and free movement."""

NOT_COUNTRIES: dict[str, tuple[str, str, str]] = {
    # Codes in common use that are not a country's: met with "did you mean" a country one or
    # two letters away (EUR -> FRA, UNK -> PAK), they were misleading. Each has what it is,
    # the code to write instead where there is one, and otherwise any advice on what to write.
    "EUR": ("the code of the euro, a currency", "", ""),
    "EU": ("the European Union, which is not a country", "", EU_ADVICE),
    "EUU": ("the European Union's code in World Bank and UN statistics", "", EU_ADVICE),
    "EUE": ("the European Union's code on its travel documents (ICAO)", "", EU_ADVICE),
    "UNO": ("the code of travel documents of United Nations officials (ICAO)", "", ""),
    "UNA": ("the code of travel documents of UN specialised agencies (ICAO)", "", ""),
    "UNK": ("the code of travel documents UNMIK issued to residents of Kosovo (ICAO)", "XKX", ""),
    "XXA": ("the code of a stateless person in travel documents (ICAO)", "", ""),
    "XXB": ("the code of a refugee under the 1951 Convention in travel documents (ICAO)", "", ""),
    "XXC": ("the code of another refugee in travel documents (ICAO)", "", ""),
    "WLD": ("the World Bank's code for the whole world", "", ""),
}
"""Codes that are not a country's: (what they are, the country code to write instead, advice
where there is no such code)."""


def _names() -> dict[str, str]:
    """Every country's names (ISO's, common and official), lower case, to its code."""
    names = {name.lower(): code for code, name in USER_ASSIGNED.items()}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                names[name.lower()] = str(country.alpha_3)
    return names


_NAMES = cache(_names)


def _only(codes: set[str]) -> str | None:
    """The one code in `codes`, or None when there are none or several: a suggestion is
    made only when it is the one clear match."""
    return next(iter(codes)) if len(codes) == 1 else None


def _near_code(text: str) -> str | None:
    """The country a short code-like text clearly means: the one whose name starts with it
    (GER -> DEU, ROM -> ROU), or the one code it is with two letters swapped (MXE -> MEX).
    A code one letter away is no suggestion: YUG is not UGA, nor EUR FRA."""
    low = text.lower()
    starts = {code for name, code in _NAMES().items() if name.startswith(low)}
    if len(text) != 3:
        return _only(starts)
    up = text.upper()
    swapped = {up[1] + up[0] + up[2], up[0] + up[2] + up[1]} & set(iso3166_alpha3())
    return _only(starts | swapped)


def suggest_alpha3(text: str) -> str | None:
    """The alpha-3 code meant by a country name, an alpha-2 code or a misspelt code.

    A suggestion is made only when it is the one clear match (never between two countries,
    never for a code that is not a country's: `NOT_COUNTRIES`), and is only a suggestion for
    a message, never applied silently.
    """
    text = text.strip()
    if not text:
        return None
    found = exact_alpha3(text)
    if found is not None:
        return found
    if text.upper() in NOT_COUNTRIES:
        return NOT_COUNTRIES[text.upper()][1] or None
    if len(text) <= 3:
        return _near_code(text)
    fuzzy = fuzzy_countries(text)
    if fuzzy:
        return _only(fuzzy)
    close = difflib.get_close_matches(text.lower(), list(_NAMES()), n=2, cutoff=0.8)
    return _only({_NAMES()[name] for name in close})


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
    other = NOT_COUNTRIES.get(code.upper())
    if other is not None:
        what, instead, advice = other
        raise ValueError(
            f"{code.upper()!r} is not a country's code: it is {what}; "
            + (
                f"for {USER_ASSIGNED.get(instead) or instead} write {instead}"
                if instead
                else advice or "give a country's ISO 3166-1 alpha-3 code (e.g. PHL, DEU, MEX)"
            )
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
    # The validator trims and upper-cases a code (`fra`, `" FRA"`): the schema says the same.
    WithJsonSchema(any_case(*iso3166_alpha3())),
]
"""An ISO 3166-1 alpha-3 code; a name or alpha-2 code is refused with the code to use."""


CountryList = list[CountryCode]
"""ISO 3166-1 alpha-3 codes, each country once (`coherence.profile.consistency` refuses a
repeat, naming both lines)."""


# The articles that may open a country's name in the languages below ("the Gambia",
# "le Maroc", "el Perú"): left out on both sides of a comparison.
_ARTICLES = frozenset({"the", "le", "la", "les", "l", "el", "los", "las", "o", "os", "die", "der"})

NAME_LANGUAGES = ("fr", "es", "pt", "ar", "ru", "zh_CN", "de")
"""Besides English, the languages in which a country's name is recognised (pycountry's
translations of ISO 3166-1): the UN's official languages, and Portuguese and German, in which
many ministries write their country's name."""


def _plain(text: str) -> str:
    """A name as names are compared: accents, case, punctuation and articles ignored; letters
    of every script kept (an Arabic or Chinese name is compared, not reduced to nothing)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(w for w in re.findall(r"[^\W_]+", bare) if w not in _ARTICLES)


def _translations() -> list:
    import gettext

    return [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in NAME_LANGUAGES
    ]


@cache
def _plain_names() -> dict[str, frozenset[str]]:
    """Every code's names as compared: ISO's name, common and official names, in English and
    in `NAME_LANGUAGES`, the part before a comma ("Bolivia" of "Bolivia, Plurinational State
    of"), and the aliases."""
    found: dict[str, set[str]] = {code: {_plain(name)} for code, name in USER_ASSIGNED.items()}
    languages = _translations()
    for country in pycountry.countries:
        names = found.setdefault(str(country.alpha_3), set())
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            for said in [name] + [t.gettext(name) for t in languages] if name else []:
                names |= {_plain(said), _plain(said.split(",")[0])}
    for alias, code in ALIASES.items():
        found.setdefault(code, set()).add(_plain(alias))
    return {code: frozenset(names - {""}) for code, names in found.items()}


def name_matches(code: str, name: str) -> bool:
    """Whether `name` can be the name of the country `code` (leniently: any of its ISO,
    common or official names or their everyday forms, in any case, with or without accents,
    or a name the code suggestion reads as this country)."""
    if _plain(name) in _plain_names().get(code, frozenset()):
        return True
    return suggest_alpha3(name) == code


def iso_name(code: str) -> str:
    """The name ISO 3166-1 gives the code (its common name where it has one)."""
    if code in USER_ASSIGNED:
        return USER_ASSIGNED[code]
    country = pycountry.countries.get(alpha_3=code)
    return getattr(country, "common_name", None) or country.name if country else code


def name_mismatch(code: str, name: str) -> str | None:
    """The warning for a country's name that is none of the names of its code (None when it
    is one): said by `validate` at the name's line and by `import` at the name's cell."""
    if name_matches(code, name):
        return None
    return (
        f"{name!r} is not a name of {code} ({iso_name(code)}): check the code and the name "
        "(the name is only printed; the code decides which country the profile describes)"
    )
