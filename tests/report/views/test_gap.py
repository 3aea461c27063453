"""The renderer-neutral view model of a gap report."""

from __future__ import annotations

from coherence.assessment.scores import bands, sdg_classes
from coherence.corpus import load_corpus
from coherence.facts import readable_paths
from coherence.findings import Assessment
from coherence.report.views.gap import SECTIONS, build_report, build_reports
from coherence.report.vocabulary import STATUS_LABELS, THEME_ORDER
from coherence.themes import POLICY_THEMES

SEVERITY = {"high": 0, "medium": 1, "low": 2}


def test_sections_are_the_seven_of_the_brief_the_contradictions_and_the_review() -> None:
    assert [key for key, _ in SECTIONS] == [
        "summary",
        "action-plan",
        "contradictions",
        "findings",
        "data-gaps",
        "waivers",
        "review",
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
    assert [t.key for t in s.themes] == list(POLICY_THEMES)
    assert s.overall.score == origin.scores["overall"].score
    assert s.overall.band_label == origin.scores["overall"].band_label
    assert s.overall.classified and s.overall.band_text.startswith(f"{s.overall.band} — ")
    assert s.consistency is not None and s.consistency.name == "Consistency across themes"
    assert s.consistency.score == origin.scores["coherence"].score
    assert [r.key for r in s.score_rows] == [*POLICY_THEMES, "overall", "coherence"]
    assert [c.status for c in s.counts] == ["gap", "contradiction", *list(STATUS_LABELS)[1:]]
    assert sum(c.count for c in s.counts) == len(origin.findings)
    # The indicative SDG 10.7.2 view: every domain, with the note on how it differs.
    assert [d.code for d in s.domains] == ["PD_1", "PD_2", "PD_3", "PD_4", "PD_5", "PD_6"]
    # PD_5 (crises) is served by the refugee-protection rules since issue 10.
    assert s.domains[4].rules == sum(
        1 for f in origin.findings if f.sdg_domain == "PD_5" and f.theme != "coherence"
    )
    assert s.domains[4].rules > 0 and "no rule" not in s.domains[4].class_text
    assert "module III" in s.domain_note and "not the official" in s.domain_note


def test_contradictions_are_counted_apart_from_gaps(examples: dict[str, Assessment]) -> None:
    for assessment in examples.values():
        counts = {c.status: c.count for c in build_report(assessment).summary.counts}
        contradictions = sum(
            1 for f in assessment.findings if f.theme == "coherence" and f.status == "gap"
        )
        gaps = sum(1 for f in assessment.findings if f.status == "gap")
        assert counts["contradiction"] == contradictions
        assert counts["gap"] == gaps - contradictions


def test_summary_sentences(examples: dict[str, Assessment]) -> None:
    for assessment in examples.values():
        report = build_report(assessment)
        sentences = report.summary.sentences
        assert 3 <= len(sentences) <= 5
        text = " ".join(sentences)
        overall = report.summary.overall
        # The headline gives the coverage beside the score, and the band.
        assert (
            f"scores {overall.score_text} out of 100 overall with a coverage of "
            f"{overall.coverage_text}" in text
        )
        assert f"band {overall.band} (“{overall.band_label}”)" in text
        assert "SDG 10.7.2 class" not in text
        assert "strongest theme" in text and "weakest" in text
        assert "could not be decided" in text or "no data gaps" in text
        assert "between themes" in text and "consistency across themes" in text
        assert all(s.endswith(".") for s in sentences)


def test_summary_names_exactly_the_first_rows_of_the_action_plan(origin: Assessment) -> None:
    report = build_report(origin)
    sentence = next(s for s in report.summary.sentences if "most pressing" in s)
    first = report.actions[:3]
    positions = [sentence.index(f"({a.rule_id};") for a in first]
    assert positions == sorted(positions)  # in plan order
    others = {a.rule_id for a in report.actions[3:]}
    assert not any(f"({r};" in sentence for r in others)


def test_action_plan_order(examples: dict[str, Assessment]) -> None:
    status = {"gap": 0, "partial": 1}
    for assessment in examples.values():
        actions = build_report(assessment).actions
        expected = sorted(
            (f for f in assessment.findings if f.status in ("gap", "partial")),
            key=lambda f: (SEVERITY[f.severity], status[f.status], f.rule_id),
        )
        assert [a.rule_id for a in actions] == [f.rule_id for f in expected]
        assert [a.rank for a in actions] == list(range(1, len(actions) + 1))
        assert all(a.recommendation and a.responsible_area for a in actions)
        # Within a severity, every gap comes before every partly met rule.
        for sev in SEVERITY:
            mine = [a.status for a in actions if a.severity == sev]
            assert mine == sorted(mine, key=status.__getitem__)
        # A gap of a cross-theme rule is named a contradiction.
        for a in actions:
            if a.theme == "coherence" and a.status == "gap":
                assert a.status_label == "Contradiction"


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
        if q.path.endswith((".agreements", ".bodies")):
            # A list the tool works out answers from: the list to fill in is asked for.
            assert q.question.startswith("List each") and q.answers == "a list"
        elif not q.path.startswith("instruments."):
            assert q.question == paths[q.path].description
    assert [g.key for g in report.data_gaps] == sorted(
        {g.key for g in report.data_gaps},
        key=["instruments", *THEME_ORDER[:5], "context"].index,
    )


def test_a_question_lists_every_rule_it_decides(destination: Assessment) -> None:
    questions = {q.path: q for g in build_report(destination).data_gaps for q in g.questions}
    # The UAE profile leaves out the 1967 Protocol: both refugee contradictions wait for it
    # (COHERENCE-019 applies only to a state party to neither instrument), and so does the
    # check of the Convention or Protocol in national law.
    assert questions["instruments.refugee_protocol_1967.status"].rules == (
        "COHERENCE-019",
        "COHERENCE-029",
        "RIGHTS-031",
    )


def test_waivers_and_notices(transit: Assessment, destination: Assessment) -> None:
    waived = build_report(destination).waivers
    assert [w.rule_id for w in waived] == ["LABOUR-011"]
    assert waived[0].expires == "2027-06-30" and waived[0].underlying_label == "Partly met"
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


def test_method_uses_the_configured_bands_and_classes(origin: Assessment) -> None:
    method = build_report(origin).method
    assert [(c.number, c.label, c.minimum) for c in method.bands] == [
        (b.number, b.label, b.minimum) for b in bands()
    ]
    assert [(c.number, c.minimum) for c in method.classes] == [
        (c.number, c.minimum) for c in sdg_classes()
    ]
    assert any("0.5" in text for _, text in method.weights)
    assert method.severity_weights == (
        ("High", "weight 3"),
        ("Medium", "weight 2"),
        ("Low", "weight 1"),
    )
    text = " ".join(method.paragraphs)
    assert "at least 60%" in text and "never enter the overall score" in text


def test_several_reports_get_distinct_anchors(examples: dict[str, Assessment]) -> None:
    reports = build_reports(list(examples.values()))
    assert [r.anchor for r in reports] == ["r1", "r2", "r3"]
    anchors = [f.anchor for r in reports for t in r.themes for f in t.findings]
    assert len(anchors) == len(set(anchors))
    assert build_reports([next(iter(examples.values()))])[0].anchor == ""


def test_deterministic(transit: Assessment) -> None:
    assert build_report(transit) == build_report(transit)
