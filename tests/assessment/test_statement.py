"""The reason of a finding says what the tool worked out from the agreements, not that the
profile "answers" a question it never asks (coherence.assessment.statement)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coherence.api import assess
from coherence.assessment.statement import statement
from coherence.facts import profile_facts
from coherence.profile.validate import load_profile
from coherence.rules.catalog import load_catalogue

PROFILE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "profiles" / "agreements-corridors.yaml"
)


@pytest.fixture(scope="module")
def reasons() -> dict[str, str]:
    assessment = assess(PROFILE, load_catalogue(), engine="reference")
    return {f.rule_id: f.reason for f in assessment.findings}


def test_the_corridors_left_uncovered_are_named(reasons):
    reason = reasons["LABOUR-004"]
    assert reason.startswith("Partly met: the agreements listed")
    assert "cover 2 of the 5 main countries of destination and origin" in reason
    assert reason.endswith("not covered: ITA, MLI, SEN.")
    assert "the profile answers" not in reason


def test_protecting_workers_abroad_counts_only_where_they_go(reasons):
    # COHERENCE-006 reads the destinations alone: the immigrants' countries are not where
    # the country's own workers need protection.
    reason = reasons["COHERENCE-006"]
    assert "cover 2 of the 3 main countries its workers go to" in reason
    assert reason.endswith("not covered: ITA.")
    assert "SEN" not in reason


def test_an_instrument_is_named_where_the_question_says_the_instrument(reasons):
    assert reasons["RIGHTS-025"] == (
        "Not met: the profile records the ILO Migration for Employment Convention (Revised), "
        "1949 (No. 97) as not ratified (instruments.ilo_c97.status); the profile records the "
        "ILO Migrant Workers (Supplementary Provisions) Convention, 1975 (No. 143) as not "
        "ratified (instruments.ilo_c143.status)."
    )
    assert (
        "“Is the Convention relating to the Status of Refugees (1951) reflected in national "
        "law?”" in reasons["RIGHTS-031"]
    )


@pytest.mark.parametrize(
    ("partners", "free", "share"),
    [
        (["QAT"], ["IND"], "all"),  # said "none" (it counted those left out)
        (["JPN"], [], "none"),  # said "all"
        (["QAT"], [], "1"),
    ],
)
def test_all_and_none_say_how_many_are_covered(tmp_path, partners, free, share):
    agreements = "\n".join(f"      - {{partner: {p}}}" for p in partners)
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "format_version: 2\ncountry: {code: NPL, name: Nepal}\nas_of: 2025-06-30\n"
        "prepared_by: t\nroles: [origin]\n"
        f"context:\n  main_destination_countries: [IND, QAT]\n  free_movement_countries: {free}\n"
        '  promotes_labour_emigration: "yes"\n'
        'labour_channels:\n  labour_attaches: "yes"\n  welfare_fund: "yes"\n'
        f"  bilateral_agreements:\n    answer: partial\n    agreements:\n{agreements}\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue()
    facts = profile_facts(load_profile(profile), read=catalogue.answers_read)
    path = "labour_channels.bilateral_agreements.main_destinations_covered"
    said = statement(path, facts[path], catalogue, facts)
    assert f"cover {share} of the 2 main countries its workers go to" in said, said
