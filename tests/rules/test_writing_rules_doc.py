"""docs/writing-rules.md: the examples of the "asks states" test are verbatim seed passages,
and the worked example pack follows the test (role, addressee, structured references)."""

from __future__ import annotations

import pytest

from coherence.corpus import load_corpus
from coherence.corpus.manifest import normalise
from coherence.corpus.quotes import quote_problem
from coherence.rules.catalog import load_catalogue
from tests.conftest import ROOT

DOC = ROOT / "docs" / "writing-rules.md"

EXAMPLES = [  # (source, lines, quote) of each example the guide gives
    (
        "aleshkovski-2015-imm",
        (38, 38),
        "governments are urged to conduct bilateral or multilateral consultations",
    ),
    (
        "aleshkovski-2015-imm",
        (106, 106),
        "note in this regard the need to take appropriate measures for protection of female migrant workers in all sectors, including female migrants working as house maids",
    ),
    (
        "unpd-2004-cm3",
        (3152, 3153),
        "Two main approaches currently characterize ILO technical cooperation activity. One is conducting advisory missions, seminars and/or short-term expert projects at the request of member Governments",
    ),
    (
        "unpd-2004-cm3",
        (6174, 6177),
        "Calls upon all relevant bodies, agencies, funds and programmes of the United Nations system and other relevant intergovernmental, regional and subregional organizations, within their continuing mandated activities, to continue to address the issue of international migration and development",
    ),
    (
        "unpd-2003-cm2",
        (177, 177),
        "Participants underscored the importance of carrying out more research on undocumented migration and trafficking in persons",
    ),
    (
        "unpd-2004-cm3",
        (6984, 6985),
        "A number of countries, notably in Europe and the UAE, have prohibited agencies from charging fees to workers but this proves almost impossible to enforce",
    ),
    (
        "unpd-2004-cm3",
        (377, 378),
        "The high-level dialogue could review current knowledge about the impact of remittances",
    ),
    ("unpd-2004-cm3", (6724, 6725), "Fostering contacts with the overseas diaspora"),
    (
        "unpd-2004-cm3",
        (2875, 2877),
        "state interventions are often necessary (e.g. to monitor recruitment",
    ),
    (
        "unpd-2004-cm3",
        (2955, 2955),
        "The ILO core conventions apply to all migrant workers regardless of status",
    ),
    (
        "unpd-2004-cm3",
        (2961, 2962),
        "such principles must first of all be applied, and access to justice ensured",
    ),
    (
        "unpd-2004-cm3",
        (2336, 2337),
        "All initiatives taken to address the challenges of migration should above all consider the priority of the human rights of migrants",
    ),
]


@pytest.mark.parametrize(("source", "lines", "quote"), EXAMPLES)
def test_each_example_is_in_the_guide_and_verbatim_in_its_seed(source, lines, quote):
    assert normalise(quote) in normalise(DOC.read_text(encoding="utf-8"))
    assert quote_problem(load_corpus(), source, lines, quote) is None


def test_the_example_pack_gives_roles_and_structured_references():
    catalogue = load_catalogue([ROOT / "examples" / "rule-pack"], include_bundled=False)
    for rule in catalogue.rules:
        assert rule.citations[0].role == "requirement"
        assert all(c.role and c.addressee for c in rule.citations)
        assert rule.references and all(not isinstance(r, str) for r in rule.references)
