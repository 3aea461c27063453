"""Unknown fields that are another field's everyday name say what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from coherence.diagnostics import InputError
from coherence.profile.validate import load_profile

FILE = Path(__file__).resolve().parents[1] / "fixtures" / "bad" / "field-synonyms.yaml"


def _line(text: str) -> int:
    lines = FILE.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def messages() -> dict[str, tuple[int, str]]:
    with pytest.raises(InputError) as raised:
        load_profile(FILE)
    return {
        d.path: (d.line, d.message) for d in raised.value.diagnostics if d.code == "extra_forbidden"
    }


@pytest.mark.parametrize(
    ("path", "marker", "advice"),
    [
        ("instruments.ilo_c181.year", "ilo_c181", "date of ratification is written date: 1993"),
        ("rights.equal_treatment.comment", "equal_treatment", "free text is written note:"),
        ("rights.equal_treatment.laws", "equal_treatment", "laws and documents go in evidence"),
        (
            "labour_channels.bilateral_agreements.agreements.0.title",
            "partner: ESP",
            "an agreement's title goes in its evidence",
        ),
        (
            "labour_channels.bilateral_agreements.agreements.0.date",
            "partner: ESP",
            "the year it was signed is written year: 2001",
        ),
        ("coordination.coordination_bodies.bodies.0.title", "Commission", "name: ..."),
        ("coordination.coordination_bodies.bodies.0.frequency", "Commission", "meets:"),
    ],
)
def test_the_field_meant_is_named_at_its_line(messages, path, marker, advice):
    line, message = messages[path]
    assert line == _line(marker)
    assert advice in message
    assert "allowed in" not in message  # the advice replaces the list of every field


def test_a_word_meant_for_a_field_the_model_lacks_is_no_advice():
    from coherence.profile.answers import Evidence
    from coherence.profile.synonyms import meant_field

    # `status` means `answer` on an answer, but a document has no answer to point to.
    assert meant_field(Evidence, "status") is None
    assert meant_field(Evidence, "Year") == meant_field(Evidence, "year") is not None


@pytest.mark.parametrize(
    ("written", "allowed", "meant"),
    [
        ("oui", ["yes", "partial", "no", "unknown", "not_applicable"], "yes"),
        ("Sin  objeto", ["yes", "partial", "no", "unknown", "not_applicable"], "not_applicable"),
        ("ratifié", ["not_signed", "signed", "ratified", "acceded", "unknown"], "ratified"),
        ("Não", ["yes", "partial", "no", "unknown"], "no"),
    ],
)
def test_a_word_in_french_spanish_or_portuguese_names_the_english_one(written, allowed, meant):
    from coherence.profile.synonyms import foreign_word

    found = foreign_word(written, allowed)
    assert found is not None and found[1] == meant
    assert f"write {meant}" in found[0]


def test_a_foreign_word_for_a_value_the_field_does_not_take_is_no_advice():
    from coherence.profile.synonyms import foreign_word

    # signé is "signed", which an ILO convention's status never is.
    assert foreign_word("signé", ["not_ratified", "ratified", "denounced", "unknown"]) is None
