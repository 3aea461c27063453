"""The assessment carries what reports need (issue 13 §1): each trace entry its question,
each citation its source's metadata, the assessment its scoring and bands and the profile's
answers; the reports read them there, not from the profile, the corpus or the config."""

from __future__ import annotations

import json

import pytest

from coherence.assessment.scores import scoring_config, sdg_classes
from coherence.corpus import load_corpus
from coherence.facts import profile_facts, readable_paths
from coherence.findings import Assessment, ScaleClass
from coherence.profile.validate import load_profile
from coherence.report.views.comparison import CompareError, build_comparison
from coherence.report.views.gap import build_report
from tests.conftest import PROFILES


def _entries(a: Assessment):
    return [
        t for f in a.findings for t in (*f.trace, *(s for side in f.sides for s in side.answers))
    ]


def test_trace_entries_carry_their_question(destination: Assessment) -> None:
    paths = readable_paths()
    entries = _entries(destination)
    equal = [t for t in entries if t.path == "rights.equal_treatment"]
    assert equal and all(
        t.question is not None
        and t.question.text
        == paths["rights.equal_treatment"].description
        == "Do migrant workers have equal treatment with nationals in pay and conditions of "
        "work, in law?"
        and t.question.kind == "answer"
        and t.question.allowed == list(paths["rights.equal_treatment"].values)
        for t in equal
    )
    for t in entries:
        if t.path.startswith("derived."):
            assert t.question is None
        else:
            info = paths[t.path]
            assert t.question is not None, t.path
            # A UN treaty's status offers `acceded` and `succeeded` too (written by users,
            # read as ratified).
            offered = tuple(v for v in t.question.allowed if v not in ("acceded", "succeeded"))
            assert (t.question.text, t.question.kind, offered) == (
                info.description,
                info.kind,
                info.values,
            )
            un_status = info.kind == "status" and "not_signed" in info.values
            assert ("acceded" in t.question.allowed) == un_status, t.path
            assert ("succeeded" in t.question.allowed) == un_status, t.path
    # One question object per field, shared by every entry (memory), not one per finding.
    assert len({id(t.question) for t in equal}) == 1


def test_an_instruments_answers_name_the_instrument(destination: Assessment) -> None:
    paths = readable_paths()
    for t in _entries(destination):
        parts = t.path.split(".")
        if parts[0] == "instruments" and len(parts) == 3 and t.question:
            name = paths[f"instruments.{parts[1]}.status"].description.rstrip(".")
            assert t.question.instrument == name
        elif t.question:
            assert t.question.instrument is None


def test_citations_carry_their_sources_metadata(origin: Assessment) -> None:
    corpus = load_corpus()
    cites = [c for f in origin.findings for c in f.citations]
    assert cites
    for c in cites:
        src = corpus.sources[c.source]
        assert (c.title, c.file, c.author, c.year, c.year_note, c.kind) == (
            src.title,
            src.file,
            src.author,
            src.year,
            src.year_note,
            src.kind,
        )


def test_the_assessment_carries_the_configured_scoring(origin: Assessment) -> None:
    config = scoring_config()
    s = origin.scoring
    assert s.min_coverage == config.min_coverage
    assert s.severity_weights == config.severity_weights
    assert s.status_values == config.status_values
    assert [(b.number, b.label, b.minimum) for b in s.bands] == [
        (b.number, b.label, b.minimum) for b in config.bands
    ]
    assert [(c.number, c.label, c.minimum) for c in s.sdg_classes] == [
        (c.number, c.label, c.minimum) for c in sdg_classes()
    ]
    assert json.loads(origin.model_dump_json())["scoring"]["min_coverage"] == config.min_coverage


def _rescored(a: Assessment) -> Assessment:
    scoring = a.scoring.model_copy(
        update={
            "min_coverage": 25.0,
            "bands": [ScaleClass(number=2, label="Up", minimum=50), *a.scoring.bands[-1:]],
        }
    )
    return a.model_copy(update={"scoring": scoring})


def test_reports_read_the_bands_and_the_method_from_the_assessment(origin: Assessment) -> None:
    report = build_report(_rescored(origin))
    assert [(b.number, b.label, b.range_text) for b in report.method.bands] == [
        (2, "Up", "50 to 100"),
        (1, origin.scoring.bands[-1].label, "0 to under 50"),
    ]
    assert "at least 25%" in " ".join(report.method.paragraphs)
    assert all(r.min_coverage == 25.0 for r in report.summary.score_rows)
    comparison = build_comparison([_rescored(origin)])
    assert comparison.min_coverage == 25.0 and comparison.classes[0].label == "Up"


def test_a_comparison_refuses_assessments_scored_differently(
    origin: Assessment, transit: Assessment
) -> None:
    with pytest.raises(CompareError, match="scored with different"):
        build_comparison([origin, _rescored(transit)])


def test_reports_read_the_bibliography_from_the_citations(origin: Assessment) -> None:
    findings = [
        f.model_copy(
            update={
                "citations": [c.model_copy(update={"author": "A. Nother"}) for c in f.citations]
            }
        )
        for f in origin.findings
    ]
    report = build_report(origin.model_copy(update={"findings": findings}))
    assert report.sources and {s.author for s in report.sources} == {"A. Nother"}


def test_the_assessment_keeps_the_answers_out_of_the_report(transit: Assessment) -> None:
    facts = profile_facts(load_profile(PROFILES / "example-transit.yaml"), read=())
    questions = {p for p, info in readable_paths().items() if info.question}
    assert transit.answers is not None and set(transit.answers) == questions
    for path, answer in transit.answers.items():
        fact = facts[path]
        assert (answer.state, answer.value, answer.line, answer.practice, answer.excludes) == (
            fact.state,
            fact.value,
            fact.line,
            fact.practice,
            fact.excludes,
        )
        assert answer.question.text == readable_paths()[path].description
    dumped = json.loads(transit.model_dump_json())
    assert "answers" not in dumped
    assert "answers" not in Assessment.model_json_schema()["properties"]
