"""Country codes: a suggestion only where it is the one clear match, and codes that are not a
country's (a currency, the EU, travel-document codes) said to be so."""

from __future__ import annotations

from pathlib import Path

import pytest

from coherence.diagnostics import InputError
from coherence.profile.country import suggest_alpha3
from coherence.profile.validate import load_profile
from tests.conftest import FIXTURES

STATUSES = FIXTURES / "profiles" / "statuses.yaml"


def _country_problem(tmp_path: Path, code: str) -> str:
    text = STATUSES.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("country:"))
    path = tmp_path / "profile.yaml"
    path.write_text(text.replace(line, f"country: {{code: {code}, name: Somewhere}}"), "utf-8")
    with pytest.raises(InputError) as err:
        load_profile(path)
    (diag,) = err.value.diagnostics
    assert diag.path == "country.code"
    return diag.message


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("EUR", "it is the code of the euro, a currency"),
        ("EUU", "the European Union's code"),
        ("EUU", "name the member states it covers"),
        ("EU", "list the states whose workers move freely with yours in context.free_movement"),
        ("XXA", "stateless person"),
        ("UNK", "residents of Kosovo (ICAO); for Kosovo write XKX"),
        ("ANT", "'ANT' was the code of Netherlands Antilles, withdrawn in 2010"),
    ],
)
def test_codes_that_are_not_a_country_are_said_to_be_so_with_no_near_country(
    tmp_path: Path, code: str, said: str
) -> None:
    """EUR was met with "did you mean 'FRA'?", UNK with 'PAK', ANT with 'ATG'."""
    message = _country_problem(tmp_path, code)
    assert said in message
    assert "did you mean" not in message


@pytest.mark.parametrize("code", ["NED", "ENG", "RKS", "MAL", "UN", "EU"])
def test_a_code_letters_away_from_several_or_unrelated_countries_gets_no_suggestion(
    tmp_path: Path, code: str
) -> None:
    """NED was 'TCD' (Chad), ENG 'CHN', UN 'GBR': a match of letters, not of meaning."""
    assert suggest_alpha3(code) is None
    assert "did you mean" not in _country_problem(tmp_path, code)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("GER", "DEU"),  # the one country whose name starts so
        ("ROM", "ROU"),
        ("MXE", "MEX"),  # two letters swapped
        ("NP", "NPL"),  # an alpha-2 code
        ("Nepal", "NPL"),
        ("Philipines", "PHL"),  # a misspelt name, one close match
        ("Holland", "NLD"),
    ],
)
def test_a_clear_single_match_is_still_suggested(tmp_path: Path, typed: str, meant: str) -> None:
    assert suggest_alpha3(typed) == meant
    assert f"did you mean '{meant}'?" in _country_problem(tmp_path, typed)
