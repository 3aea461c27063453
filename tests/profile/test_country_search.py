"""The countries a fuzzy search finds: the same set as pycountry's `search_fuzzy`, from an
index built once (pycountry's took 14 ms a call, a minute for 5,000 partners)."""

from __future__ import annotations

import random

import pycountry
import pytest

from coherence.profile.country import suggest_alpha3
from coherence.profile.country_search import fuzzy_countries


def _pycountry(text: str) -> set[str]:
    try:
        return {str(c.alpha_3) for c in pycountry.countries.search_fuzzy(text)}
    except LookupError:
        return set()


def _queries() -> list[str]:
    rng = random.Random(7)
    names = [str(c.name) for c in pycountry.countries]
    subdivisions = [str(s.name) for s in pycountry.subdivisions]
    pieces = []
    for name in rng.sample(names, 40) + rng.sample(subdivisions, 40):
        start = rng.randrange(len(name))
        pieces.append(name[start : start + rng.randint(2, 9)])
    typed = ["Frankreich", "Untied States", "Viet Nam", "Cote d'Ivoire", "Côte d’Ivoire",
             "South Korea", "state", "province", "saint", "island", "new", "GERMANY", "Congo",
             "Bayern", "Île-de-France", "Wales", "England", "Texas", "Nowhereland 17", "x100"]  # fmt: skip
    return rng.sample(names, 40) + rng.sample(subdivisions, 40) + pieces + typed


@pytest.mark.parametrize("text", _queries())
def test_the_same_countries_as_pycountry(text: str) -> None:
    assert fuzzy_countries(text) == _pycountry(text)


def test_suggestions_still_name_the_one_country_meant() -> None:
    assert suggest_alpha3("Untied States") == "USA"
    assert suggest_alpha3("Viet Nam") == "VNM"
    assert suggest_alpha3("Korea") is None  # two countries: no suggestion
    assert suggest_alpha3("Nowhereland 17") is None
