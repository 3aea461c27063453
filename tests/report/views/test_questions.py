"""The data to collect names what a profile can write (coherence.report.views.questions)."""

from __future__ import annotations

from pathlib import Path

from coherence.api import assess
from coherence.report.views.questions import question_groups
from coherence.rules.catalog import load_catalogue

PROFILE = Path(__file__).resolve().parents[2] / "fixtures" / "profiles" / "agreements-unlisted.yaml"


def test_answers_worked_out_from_the_agreements_are_asked_as_the_list_to_fill_in():
    assessment = assess(PROFILE, load_catalogue(), engine="reference")
    questions = {q.path: q for g in question_groups(assessment.findings) for q in g.questions}
    # No field holds these: a question asking to answer them could not be followed.
    assert not [p for p in questions if p.endswith(("_covered", ".partners", ".monitored"))]
    missing = {p for f in assessment.findings for p in f.missing}
    assert "labour_channels.bilateral_agreements.agreements" in missing
    assert not [p for p in missing if p.endswith(("_covered", ".partners", ".monitored"))]
    listed = questions["labour_channels.bilateral_agreements.agreements"]
    assert listed.question.startswith("List each agreement under agreements:")
    assert listed.answers == "a list"
    assert listed.line == 9  # the line of bilateral_agreements, where the list goes
    assert {"LABOUR-004", "COHERENCE-006"} <= set(listed.rules)  # one entry for both
    reasons = {f.rule_id: f.reason for f in assessment.findings}
    assert reasons["LABOUR-004"] == (
        "Cannot be decided until these are answered: "
        "labour_channels.bilateral_agreements.agreements."
    )
