"""The renderer-neutral view model of a gap report."""

from __future__ import annotations

from coherence.assessment.scores import sdg_classes
from coherence.corpus import load_corpus
from coherence.facts import readable_paths
from coherence.findings import Assessment
from coherence.report.content import (
    SECTIONS,
    STATUS_LABELS,
    THEME_ORDER,
    build_report,
    build_reports,
)

SEVERITY = {"high": 0, "medium": 1, "low": 2}


def test_sections_are_the_seven_of_the_brief() -> None:
    assert [key for key, _ in SECTIONS] == [
        "summary",
        "action-plan",
        "findings",
        "data-gaps",
        "waivers",
        "sources",
        "method",
    ]


def test_header(transit: Assessment) -> None:
    h = build_report(transit).header
    assert (h.country_name, h.country_code, h.as_of) == ("Mexico", "MEX", "2025-11-30")
    assert h.roles == ("transit", "origin")
    assert h.review_status == "draft"
    assert h.catalogue_version == transit.catalogue_version
    assert h.engine == transit.engine
    assert h.illustrative and "illustrative" in h.illustrative_text


def test_summary_scores_and_counts(origin: Assessment) -> None:
    s = build_report(origin).summary
    assert [t.key for t in s.themes] == list(THEME_ORDER)
    assert s.overall.score == origin.scores["overall"].score
    assert s.overall.sdg_label == origin.scores["overall"].sdg_class_label
    assert [c.status for c in s.counts] == list(STATUS_LABELS)
    assert sum(c.count for c in s.counts) == len(origin.findings)


def test_summary_sentences(examples: dict[str, Assessment]) -> None:
    for assessment in examples.values():
        sentences = build_report(assessment).summary.sentences
        assert 3 <= len(sentences) <= 5
        text = " ".join(sentences)
        assert "strongest theme" in text and "weakest" in text
        assert "could not be decided" in text or "no data gaps" in text
        assert all(s.endswith(".") for s in sentences)


def test_summary_names_the_most_pressing_gaps(origin: Assessment) -> None:
    report = build_report(origin)
    first_gap = next(a for a in report.actions if a.status == "gap")
    assert first_gap.rule_id in " ".join(report.summary.sentences)


def test_action_plan_order(examples: dict[str, Assessment]) -> None:
    for assessment in examples.values():
        actions = build_report(assessment).actions
        expected = sorted(
            (f for f in assessment.findings if f.status in ("gap", "partial")),
            key=lambda f: (SEVERITY[f.severity], -len(f.citations), f.rule_id),
        )
        assert [a.rule_id for a in actions] == [f.rule_id for f in expected]
        assert [a.rank for a in actions] == list(range(1, len(actions) + 1))
        assert all(a.recommendation and a.responsible_area for a in actions)


def test_findings_by_theme_hold_every_finding(transit: Assessment) -> None:
    themes = build_report(transit).themes
    assert [t.key for t in themes] == list(THEME_ORDER)
    shown = [f.rule_id for t in themes for f in (*t.findings, *t.not_applicable)]
    assert sorted(shown) == sorted(f.rule_id for f in transit.findings)
    assert all(f.status == "not_applicable" for t in themes for f in t.not_applicable)


def test_profile_entries_carry_evidence_and_notes(transit: Assessment) -> None:
    report = build_report(transit)
    entries = [e for t in report.themes for f in t.findings for e in f.profile]
    with_evidence = [e for e in entries if e.evidence]
    assert with_evidence and any(e.note for e in entries)
    ev = with_evidence[0].evidence[0]
    assert ev.title and ev.link and ev.link.startswith("https://")


def test_data_gaps_are_questions_from_field_descriptions(destination: Assessment) -> None:
    report = build_report(destination)
    paths = readable_paths()
    missing = {
        p for f in destination.findings if f.status == "insufficient_data" for p in f.missing
    }
    questions = [q for g in report.data_gaps for q in g.questions]
    assert sorted(q.path for q in questions) == sorted(missing)  # de-duplicated, complete
    for q in questions:
        if not q.path.startswith("instruments."):
            assert q.question == paths[q.path].description
    assert [g.key for g in report.data_gaps] == sorted(
        {g.key for g in report.data_gaps},
        key=["instruments", *THEME_ORDER[:5], "context"].index,
    )


def test_a_question_lists_every_rule_it_decides(transit: Assessment) -> None:
    questions = {q.path: q for g in build_report(transit).data_gaps for q in g.questions}
    assert questions["coordination.privacy_safeguards"].rules == ("COHERENCE-014", "COORD-011")


def test_waivers_and_notices(transit: Assessment, destination: Assessment) -> None:
    waived = build_report(destination).waivers
    assert [w.rule_id for w in waived] == ["LABOUR-002"]
    assert waived[0].expires == "2027-06-30" and waived[0].underlying_label == "Met"
    notices = build_report(transit).notices
    assert [n.code for n in notices] == ["waiver-expired"]


def test_sources_are_the_cited_ones(origin: Assessment) -> None:
    report = build_report(origin)
    corpus = load_corpus()
    cited = {c.source for t in report.themes for f in t.findings for c in f.citations}
    assert {s.id for s in report.sources} == cited
    for s in report.sources:
        assert s.title == corpus.sources[s.id].title
        assert s.cited > 0


def test_method_uses_the_configured_classes(origin: Assessment) -> None:
    method = build_report(origin).method
    assert [(c.number, c.minimum) for c in method.classes] == [
        (c.number, c.minimum) for c in sdg_classes()
    ]
    assert any("0.5" in text for _, text in method.weights)


def test_several_reports_get_distinct_anchors(examples: dict[str, Assessment]) -> None:
    reports = build_reports(list(examples.values()))
    assert [r.anchor for r in reports] == ["r1", "r2", "r3"]
    anchors = [f.anchor for r in reports for t in r.themes for f in t.findings]
    assert len(anchors) == len(set(anchors))
    assert build_reports([next(iter(examples.values()))])[0].anchor == ""


def test_deterministic(transit: Assessment) -> None:
    assert build_report(transit) == build_report(transit)
