"""Scores, bands, the coverage threshold and the indicative SDG 10.7.2 domain view.

The expected numbers are computed by hand here, from weights read out of the config files,
so a change of formula (or a config value no longer read) fails the tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coherence.assessment.scores import (
    ScoringConfigError,
    band_of,
    bands,
    classify,
    score_assessment,
    score_domains,
    score_findings,
    scoring_config,
    sdg_classes,
    sdg_domain_names,
)
from coherence.findings import Finding
from tests.conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "config" / "scoring.yaml").read_text(encoding="utf-8"))
SEVERITY = CONFIG["severity_weights"]
VALUE = CONFIG["status_values"]
SDG_LABELS = ["Requires further progress", "Partially meets", "Meets", "Fully meets"]


def finding(
    status: str,
    theme: str = "rights",
    severity: str = "high",
    domain: str = "PD_1",
    missing: tuple[str, ...] = (),
    rule_id: str = "RIGHTS-001",
) -> Finding:
    return Finding(
        rule_id=rule_id, title="t", theme=theme, severity=severity, sdg_domain=domain,
        status=status, reason="r", missing=list(missing), recommendation="r", rationale="r",
        citations=[],
    )  # fmt: skip


def test_config_holds_the_decided_weights_and_threshold():
    assert SEVERITY == {"high": 3, "medium": 2, "low": 1}
    assert VALUE == {"met": 1, "partial": 0.5, "gap": 0}
    assert CONFIG["min_coverage"] == 60
    config = scoring_config()
    assert config.severity_weights == SEVERITY and config.status_values == VALUE
    assert config.min_coverage == CONFIG["min_coverage"]


def test_severity_weighs_the_score():
    findings = [
        finding("met", severity="high"),
        finding("gap", severity="low"),
        finding("partial", severity="medium"),
        finding("gap", severity="medium"),
    ]
    expected = (
        SEVERITY["high"] * VALUE["met"]
        + SEVERITY["low"] * VALUE["gap"]
        + SEVERITY["medium"] * VALUE["partial"]
        + SEVERITY["medium"] * VALUE["gap"]
    ) / (SEVERITY["high"] + SEVERITY["low"] + 2 * SEVERITY["medium"])
    score = score_findings(findings)
    assert score.score == round(100 * expected, 1) == 50.0
    unweighted = round(100 * (1 + 0.5) / 4, 1)  # 37.5: what the score was before severity
    assert score.score != unweighted
    # The same statuses with the severities swapped give another score.
    swapped = [
        finding("met", severity="low"),
        finding("gap", severity="high"),
        finding("partial", severity="medium"),
        finding("gap", severity="medium"),
    ]
    assert score_findings(swapped).score == round(100 * (1 + 1) / (1 + 3 + 2 + 2), 1) == 25.0


def test_left_out_statuses_and_coverage():
    score = score_findings(
        [
            finding(s)
            for s in (
                "met",
                "met",
                "partial",
                "gap",
                "not_applicable",
                "waived",
                "insufficient_data",
            )
        ]
    )
    assert score.score == round(100 * 2.5 / 4, 1)  # one severity: the plain mean
    assert score.coverage == 80.0  # 4 decided of 5 applicable
    assert score.classified and score.band == 3 and score.band_label == "Largely aligned"
    assert score.counts["waived"] == 1 and score.counts["not_applicable"] == 1


def test_below_min_coverage_there_is_no_band_but_questions():
    findings = [
        finding("met", severity="high"),
        finding("insufficient_data", missing=("rights.b", "rights.a")),
        finding("insufficient_data", missing=("rights.a", "context.c")),
    ]
    score = score_findings(findings)
    assert score.score == 100.0 and score.coverage == 33.3  # 1 decided of 3
    assert not score.classified and score.band is None and score.band_label is None
    # The questions: the missing answers, de-duplicated and sorted.
    assert score.questions == ["context.c", "rights.a", "rights.b"]
    assert score.question_count == 3
    # At exactly the threshold (3 of 5 = 60%) the score is classified.
    at = [finding("met")] * 3 + [finding("insufficient_data", missing=("rights.a",))] * 2
    assert score_findings(at).coverage == 60.0 and score_findings(at).classified
    below = [finding("met")] * 3 + [finding("insufficient_data", missing=("rights.a",))] * 3
    assert score_findings(below).coverage == 50.0 and not score_findings(below).classified


def test_nothing_decided_gives_no_score_and_no_band():
    score = score_findings([finding("insufficient_data"), finding("not_applicable")])
    assert score.score is None and score.band is None and not score.classified
    assert score.coverage == 0.0
    nothing = score_findings([finding("not_applicable")])
    assert nothing.coverage is None and not nothing.classified and nothing.questions == []


def test_bands_come_from_the_config_and_are_not_the_sdg_labels():
    for entry in CONFIG["bands"]:
        assert band_of(entry["min"]).number == entry["band"]
        if entry["min"] > 0:
            assert band_of(entry["min"] - 0.1).number == entry["band"] - 1
    labels = [b.label for b in sorted(bands(), key=lambda b: b.number)]
    assert labels == [e["label"] for e in sorted(CONFIG["bands"], key=lambda e: e["band"])]
    assert not set(labels) & set(SDG_LABELS)


def test_sdg_cut_offs_come_from_the_config_file():
    config = yaml.safe_load((ROOT / "config" / "sdg_classes.yaml").read_text(encoding="utf-8"))
    for entry in config["classes"]:
        assert classify(entry["min"]).number == entry["class"]
        if entry["min"] > 0:
            assert classify(entry["min"] - 0.1).number == entry["class"] - 1
    assert [c.label for c in sorted(sdg_classes(), key=lambda c: c.number)] == SDG_LABELS
    assert list(sdg_domain_names()) == ["PD_1", "PD_2", "PD_3", "PD_4", "PD_5", "PD_6"]


def test_overall_pools_the_five_policy_themes_never_coherence():
    policy = [
        finding("met", theme="rights"),
        finding("gap", theme="data_collection", severity="low"),
        finding("partial", theme="coordination", severity="medium"),
    ]
    contradictions = [finding("gap", theme="coherence"), finding("gap", theme="coherence")]
    scores = score_assessment([*policy, *contradictions])
    expected = (3 * 1 + 1 * 0 + 2 * 0.5) / (3 + 1 + 2)
    assert scores["overall"].score == round(100 * expected, 1)
    assert scores["overall"].counts["gap"] == 1  # the two contradictions are not there
    assert scores["overall"] == score_assessment(policy)["overall"]
    # Consistency across themes keeps its own entry: 0 checks without contradiction.
    assert scores["coherence"].score == 0.0 and scores["coherence"].counts["gap"] == 2


def test_domain_view_is_the_unweighted_mean_by_domain():
    findings = [
        finding("met", domain="PD_1", severity="low"),
        finding("gap", domain="PD_1", severity="high"),
        finding("partial", domain="PD_1", severity="high"),
        finding("met", domain="PD_2"),
        finding("insufficient_data", domain="PD_2", missing=("coordination.x",)),
        finding("insufficient_data", domain="PD_2", missing=("coordination.y",)),
        finding("gap", domain="PD_6", theme="coherence"),  # left out of the domain view
    ]
    domains = score_domains(findings)
    assert list(domains) == ["PD_1", "PD_2", "PD_3", "PD_4", "PD_5", "PD_6"]
    pd1 = domains["PD_1"]
    assert pd1.value == round(100 * (1 + 0 + 0.5) / 3, 1) == 50.0  # severity does not weigh
    assert pd1.classified and pd1.sdg_class == 2 and pd1.sdg_class_label == "Partially meets"
    pd2 = domains["PD_2"]  # 1 decided of 3: below the minimum coverage
    assert pd2.value == 100.0 and pd2.coverage == 33.3
    assert not pd2.classified and pd2.sdg_class is None
    assert pd2.questions == ["coordination.x", "coordination.y"] and pd2.question_count == 2
    for code in ("PD_3", "PD_4", "PD_5", "PD_6"):  # no rule (PD_6 only had a coherence one)
        assert domains[code].rules == 0 and domains[code].value is None
        assert not domains[code].classified
    assert domains["PD_5"].name == "Mobility dimensions of crises"


def test_scoring_config_is_data(tmp_path: Path):
    custom = tmp_path / "scoring.yaml"
    text = (ROOT / "config" / "scoring.yaml").read_text(encoding="utf-8")
    custom.write_text(text.replace("min_coverage: 60", "min_coverage: 25"), encoding="utf-8")
    assert scoring_config(custom).min_coverage == 25
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("  low: 1\n", ""), encoding="utf-8")
    with pytest.raises(ScoringConfigError, match="severity_weights"):
        scoring_config(broken)
