"""The lean findings path: findings built without a second validation, and a check's
assessments without the answers and details only `coherence diff` reads."""

from __future__ import annotations

import datetime as dt

import pytest

from coherence.api import assess
from coherence.findings import Finding, ProfileAnswer, built
from coherence.rules.catalog import load_catalogue
from tests.conftest import PROFILES

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.mark.parametrize("name", ["example-origin.yaml", "example-destination.yaml"])
def test_built_findings_are_what_validation_makes(catalogue, name: str) -> None:
    assessment = assess(PROFILES / name, catalogue, engine="reference", today=TODAY)
    for finding in assessment.findings:
        values = {k: finding.__dict__[k] for k in reversed(finding.__dict__)}  # any order
        validated = Finding(**values)
        assert list(finding.__dict__) == list(validated.__dict__)  # field order: dumps follow it
        assert finding == validated
        assert finding.model_fields_set == validated.model_fields_set
        assert finding.model_dump_json() == validated.model_dump_json()
    for answer in assessment.answers.values():
        assert answer == ProfileAnswer.model_construct(**answer.__dict__)


def test_built_fills_defaults_and_refuses_unknown_fields() -> None:
    answer = built(ProfileAnswer, path="a.b", question=None, state="missing")
    assert answer == ProfileAnswer.model_construct(path="a.b", question=None, state="missing")
    assert answer.model_fields_set == {"path", "question", "state"}
    with pytest.raises(TypeError):
        built(ProfileAnswer, path="a.b", question=None, state="missing", colour="red")


def test_a_check_leaves_out_only_the_answers_and_details(catalogue) -> None:
    path = PROFILES / "example-origin.yaml"
    full = assess(path, catalogue, engine="reference", today=TODAY)
    lean = assess(path, catalogue, engine="reference", today=TODAY, keep_answers=False)
    assert full.answers and full.details
    assert lean.answers is None and lean.details is None
    assert lean.model_dump_json() == full.model_dump_json()  # both are left out of reports
    assert lean == full.model_copy(update={"answers": None, "details": None})
