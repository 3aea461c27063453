"""Scores and SDG 10.7.2 classes: the arithmetic and the cut-offs from the config file."""

from __future__ import annotations

import yaml

from coherence.assessment.scores import classify, score_findings, sdg_classes
from coherence.findings import Finding
from tests.conftest import ROOT


def finding(status: str, theme: str = "rights") -> Finding:
    return Finding(
        rule_id="RIGHTS-001", title="t", theme=theme, severity="high", sdg_domain="PD_1", status=status,
        reason="r", recommendation="r", rationale="r", citations=[],
    )  # fmt: skip


def test_met_partial_gap_weights_and_exclusions():
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
    assert score.score == round(100 * 2.5 / 4, 1)  # 62.5: n/a and waived excluded
    assert score.coverage == 80.0  # 4 decided of 5 applicable
    assert score.sdg_class == 3 and score.sdg_class_label == "Meets"
    assert score.counts["waived"] == 1


def test_nothing_decided_gives_no_score():
    score = score_findings([finding("insufficient_data"), finding("not_applicable")])
    assert score.score is None and score.sdg_class is None and score.coverage == 0.0


def test_cut_offs_come_from_the_config_file():
    config = yaml.safe_load((ROOT / "config" / "sdg_classes.yaml").read_text(encoding="utf-8"))
    for entry in config["classes"]:
        assert classify(entry["min"]).number == entry["class"]
        if entry["min"] > 0:
            assert classify(entry["min"] - 0.1).number == entry["class"] - 1
    assert [c.label for c in sorted(sdg_classes(), key=lambda c: c.number)] == [
        "Requires further progress", "Partially meets", "Meets", "Fully meets",
    ]  # fmt: skip
