"""Profile format 2: what experts could not say in format 1, read into facts."""

from __future__ import annotations

import pytest

from coherence.diagnostics import InputError
from coherence.facts import profile_facts, readable_paths
from coherence.profile.validate import validate_document
from coherence.yamlsource import parse_yaml

HEADER = """\
format_version: 2
country: {code: NPL, name: Nepal}
as_of: 2025-01-01
prepared_by: Ministry
roles: [origin, destination]
"""


def _load(body: str):
    return validate_document(parse_yaml(HEADER + body, "p.yaml"))


def _facts(body: str):
    return profile_facts(_load(body))


def _problems(body: str) -> list[str]:
    with pytest.raises(InputError) as info:
        _load(body)
    return [f"{d.line}: {d.message}" for d in info.value.diagnostics]


def test_accession_reads_as_ratification_and_dates_may_be_a_year_or_a_month():
    facts = _facts(
        "instruments:\n"
        "  trafficking_protocol_2000: {status: acceded, date: 2002}\n"
        "  cedaw: {status: ratified, date: 1991-04}\n"
        "  crc: {status: signed, date: 1990-09-26}\n"
    )
    assert facts["instruments.trafficking_protocol_2000.status"].value == "ratified"
    assert facts["instruments.cedaw.status"].value == "ratified"
    assert facts["instruments.crc.status"].value == "signed"


def test_succession_reads_as_ratification_for_un_treaties_and_is_explained_for_ilo():
    """A real-country review: a small state bound to the Refugee Convention by succession was
    refused, and told "did you mean 'acceded'?", which is legally wrong."""
    facts = _facts("instruments:\n  refugee_convention_1951: {status: succeeded, date: 1978}\n")
    assert facts["instruments.refugee_convention_1951.status"].value == "ratified"
    problems = _problems("instruments:\n  ilo_c97: succeeded\n")
    assert any("write ratified" in p for p in problems), problems


@pytest.mark.parametrize("bad", ["2002-13", "20021", "May 2002", "true"])
def test_a_date_that_is_not_a_year_month_or_day_is_refused(bad):
    problems = _problems(f"instruments:\n  cedaw: {{status: ratified, date: {bad}}}\n")
    assert any("year (2002), a month (2002-05) or a day (2002-05-01)" in p for p in problems)


def test_ilo_conventions_are_ratified_or_not_never_signed():
    problems = _problems("instruments:\n  ilo_c97: signed\n")
    assert problems and problems[0].startswith("7: 'signed'") and "not_ratified" in problems[0]
    facts = _facts("instruments:\n  ilo_c97: denounced\n  ilo_c143: not_ratified\n")
    assert facts["instruments.ilo_c97.status"].value == "denounced"
    assert readable_paths()["instruments.ilo_c97.status"].values == (
        "not_ratified",
        "ratified",
        "denounced",
    )


def test_new_instruments_and_the_refugee_convention_and_protocol_are_separate():
    facts = _facts(
        "instruments:\n  refugee_convention_1951: ratified\n  refugee_protocol_1967: not_signed\n"
        "  icerd: ratified\n  untoc_2000: ratified\n  ilo_c29: ratified\n  ilo_p29: not_ratified\n"
        "  ilo_c96: ratified\n"
    )
    assert facts["instruments.refugee_convention_1951.status"].value == "ratified"
    assert facts["instruments.refugee_protocol_1967.status"].value == "not_signed"
    for key in ("icerd", "untoc_2000", "ilo_c29", "ilo_c96"):
        assert facts[f"instruments.{key}.status"].value == "ratified"
    assert facts["instruments.ilo_p29.status"].value == "not_ratified"


@pytest.mark.parametrize("value", ["0", "2025-01-01T10:00:00", "2025"])
def test_as_of_must_be_a_date(value):
    text = HEADER.replace("as_of: 2025-01-01", f"as_of: {value}")
    with pytest.raises(InputError) as info:
        validate_document(parse_yaml(text, "p.yaml"))
    assert any(d.path == "as_of" for d in info.value.diagnostics)


def test_law_and_practice_and_exclusions_reach_the_facts():
    facts = _facts(
        "rights:\n"
        "  equal_treatment:\n"
        "    answer: yes\n"
        "    practice: partial\n"
        "    excludes: [domestic_workers, irregular_migrants]\n"
        "    practice_evidence: [{title: Labour inspection report 2024}]\n"
        "  social_security: unknown\n"
    )
    fact = facts["rights.equal_treatment"]
    assert (fact.value, fact.practice) == ("yes", "partial")
    assert fact.excludes == ("domestic_workers", "irregular_migrants")
    assert fact.practice_evidence == ({"title": "Labour inspection report 2024"},)
    assert facts["rights.equal_treatment.excludes.domestic_workers"].value == "yes"
    assert facts["rights.equal_treatment.excludes.seasonal_workers"].value == "no"
    assert not facts["rights.social_security.excludes.domestic_workers"].known
    assert readable_paths()["rights.equal_treatment.excludes.women"].question is False


def test_an_unknown_group_is_refused_with_a_suggestion():
    problems = _problems("rights:\n  equal_treatment: {answer: yes, excludes: [domestic_worker]}\n")
    assert any("domestic_workers" in p for p in problems)


def test_several_coordination_bodies_pool_their_members():
    facts = _facts(
        "coordination:\n"
        "  coordination_bodies:\n"
        "    answer: yes\n"
        "    bodies:\n"
        "      - {name: Migration Council, members: [Interior, Labour], meets: quarterly}\n"
        "      - {name: Trafficking Committee, members: [Justice, Labour]}\n"
    )
    assert facts["coordination.coordination_bodies"].value == "yes"
    assert facts["coordination.coordination_bodies.members"].value == (
        "Interior",
        "Justice",
        "Labour",
    )


AGREEMENTS = """\
context:
  main_destination_countries: [QAT, MYS, SAU]
labour_channels:
  bilateral_agreements:
    answer: yes
    agreements:
      - {partner: QAT, type: agreement, year: 2005, monitored: yes}
      - {partner: MYS, type: memorandum, monitored: no}
"""


def test_agreements_give_partners_monitoring_and_corridor_coverage():
    facts = _facts(AGREEMENTS)
    assert facts["labour_channels.bilateral_agreements.partners"].value == ("MYS", "QAT")
    assert facts["labour_channels.bilateral_agreements.monitored"].value == "partial"
    # Two of the three main destinations are covered.
    assert facts["labour_channels.bilateral_agreements.main_corridors_covered"].value == "partial"
    all_covered = AGREEMENTS.replace("[QAT, MYS, SAU]", "[QAT, MYS]")
    assert (
        _facts(all_covered)["labour_channels.bilateral_agreements.main_corridors_covered"].value
        == "yes"
    )
    no_corridors = AGREEMENTS.replace(
        "context:\n  main_destination_countries: [QAT, MYS, SAU]\n", ""
    )
    fact = _facts(no_corridors)["labour_channels.bilateral_agreements.main_corridors_covered"]
    assert not fact.known  # unknown is not no: the corridors were not given


def test_a_bare_list_of_partners_is_read_as_the_long_form():
    facts = _facts("labour_channels:\n  bilateral_agreements: [QAT, MYS]\n")
    assert facts["labour_channels.bilateral_agreements"].value == "yes"
    assert facts["labour_channels.bilateral_agreements.partners"].value == ("MYS", "QAT")


@pytest.mark.parametrize(
    ("written", "meant"), [("Qatar", "QAT"), ("QA", "QAT"), ("Malaysia", "MYS")]
)
def test_a_country_name_or_alpha_2_code_suggests_the_alpha_3_code(written, meant):
    problems = _problems(f"labour_channels:\n  bilateral_agreements: [{written}]\n")
    assert any(f"did you mean '{meant}'" in p for p in problems)


def test_institutions_are_named_by_function():
    loaded = _load(
        "institutions:\n  labour_ministry: Ministry of Labour, Employment and Social Security\n"
    )
    assert loaded.profile.institutions.labour_ministry.startswith("Ministry of Labour")
    problems = _problems("institutions:\n  labor_ministry: X\n")
    assert any("did you mean 'labour_ministry'" in p for p in problems)


def test_exclusion_facts_are_built_only_where_a_catalogue_reads_them():
    loaded = _load("rights:\n  equal_treatment: {answer: yes, excludes: [domestic_workers]}\n")
    read = {"rights.equal_treatment.excludes.domestic_workers"}
    facts = profile_facts(loaded, read=read)
    assert facts["rights.equal_treatment.excludes.domestic_workers"].value == "yes"
    assert "rights.equal_treatment.excludes.women" not in facts
    assert "rights.equal_treatment" in facts  # every question is still there
    assert facts.keys() < profile_facts(loaded).keys()


def test_the_catalogue_names_every_path_its_conditions_read():
    from coherence.rules.catalog import load_catalogue

    catalogue = load_catalogue()
    read = catalogue.answers_read
    assert "rights.equal_treatment.excludes.temporary_workers" in read  # COHERENCE-033
    assert not any(p.startswith("derived.") for p in read)
    for rule in catalogue.rules:
        for path in catalogue.paths_read(rule):
            assert all(
                p in read for p in catalogue.paths_behind(path) if not p.startswith("derived.")
            ), (rule.id, path)
