"""Scores that cannot mislead, through the real CLI (in-process, typer's CliRunner).

Every expected number is computed here by hand from the findings of the JSON report and the
weights of `config/scoring.yaml`, never read back from the scores under test.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest
import yaml
from typer.testing import CliRunner

from coherence.cli.main import app
from tests.conftest import FIXTURES, PROFILES, ROOT
from tests.gapjson import assessment

TODAY = ("--today", "2026-06-01")
THIN = FIXTURES / "profiles" / "thin.yaml"
ORIGIN = PROFILES / "example-origin.yaml"
DESTINATION = PROFILES / "example-destination.yaml"
TRANSIT = PROFILES / "example-transit.yaml"
TRANSIT_2024 = PROFILES / "example-transit-2024.yaml"
EXAMPLES = (ORIGIN, DESTINATION, TRANSIT, TRANSIT_2024)
POLICY = ("rights", "data_collection", "labour_channels", "anti_trafficking", "coordination")
CONFIG = yaml.safe_load((ROOT / "config" / "scoring.yaml").read_text(encoding="utf-8"))
SDG = yaml.safe_load((ROOT / "config" / "sdg_classes.yaml").read_text(encoding="utf-8"))
DECIDED = ("met", "partial", "gap")


def run(*args: object) -> str:
    """`coherence ARGS...` in-process; its standard output (exit 0 required)."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def check_json(path) -> dict:
    return assessment(run("check", "--format", "json", *TODAY, path))


@pytest.fixture(scope="module")
def thin() -> dict:
    return check_json(THIN)


@pytest.fixture(scope="module")
def examples() -> dict[str, dict]:
    return {p.name: check_json(p) for p in EXAMPLES}


# --------------------------------------------------------------------------- by hand


def weighted(findings: list[dict]) -> float | None:
    """sum(severity weight x status value) / sum(severity weight), out of 100."""
    chosen = [f for f in findings if f["status"] in DECIDED]
    if not chosen:
        return None
    sev, val = CONFIG["severity_weights"], CONFIG["status_values"]
    earned = sum(sev[f["severity"]] * val[f["status"]] for f in chosen)
    return round(100 * earned / sum(sev[f["severity"]] for f in chosen), 1)


def unweighted(findings: list[dict]) -> float | None:
    chosen = [f for f in findings if f["status"] in DECIDED]
    if not chosen:
        return None
    val = CONFIG["status_values"]
    return round(100 * sum(val[f["status"]] for f in chosen) / len(chosen), 1)


def coverage(findings: list[dict]) -> float | None:
    decided = sum(f["status"] in DECIDED for f in findings)
    applicable = decided + sum(f["status"] == "insufficient_data" for f in findings)
    return round(100 * decided / applicable, 1) if applicable else None


def questions(findings: list[dict]) -> list[str]:
    return sorted({m for f in findings if f["status"] == "insufficient_data" for m in f["missing"]})


def sdg_class(value: float) -> tuple[int, str]:
    entry = max((c for c in SDG["classes"] if value >= c["min"]), key=lambda c: c["min"])
    return entry["class"], entry["label"]


def not_classified(n: int) -> str:
    return f"not classified: answer these {n} questions"


# --------------------------------------------------------------------------- thin profile


def test_thin_profile_json_is_not_classified_overall_and_per_theme(thin: dict) -> None:
    findings = thin["findings"]
    for key in (*POLICY, "overall", "coherence"):
        themes = POLICY if key == "overall" else (key,)
        mine = [f for f in findings if f["theme"] in themes]
        score = thin["scores"][key]
        assert score["coverage"] == coverage(mine) < CONFIG["min_coverage"], key
        assert score["classified"] is False and score["band"] is None, key
        assert score["band_label"] is None, key
        assert score["questions"] == questions(mine) and score["question_count"] == len(
            questions(mine)
        )
        assert score["question_count"] > 0
    # The case users reported: a high score on thin data is not a band.
    assert thin["scores"]["overall"]["score"] >= 80
    assert all(not d["classified"] for d in thin["sdg_domains"].values())


def test_thin_profile_text(thin: dict) -> None:
    out = run("check", *TODAY, THIN)
    names = {
        "rights": "Rights",
        "data_collection": "Data collection",
        "labour_channels": "Labour channels",
        "anti_trafficking": "Anti-trafficking",
        "coordination": "Interagency coordination",
        "overall": "Overall",
    }
    for key, name in names.items():
        score = thin["scores"][key]
        line = next(x for x in out.splitlines() if x.startswith(f"  {name} "))
        assert line.endswith(not_classified(score["question_count"])), line
        assert f"{score['coverage']:.1f}%" in line  # coverage beside the score
        assert line.split()[len(name.split())] == "—", line  # no number on thin data
    assert "Aligned" not in out and "Meets" not in out.split("SDG 10.7.2 domains")[0]


def test_thin_profile_markdown(thin: dict) -> None:
    out = run("check", "--format", "markdown", *TODAY, THIN)
    overall = thin["scores"]["overall"]
    assert (
        # No number for a score that is not classified (a "100.0" on thin data misleads).
        f"| **Overall** | — | {overall['coverage']:.1f}% | "
        f"{not_classified(overall['question_count'])} |" in out
    )
    rights = thin["scores"]["rights"]
    assert (
        f"| Rights | — | {rights['coverage']:.1f}% | "
        f"{not_classified(rights['question_count'])} |" in out
    )
    assert "overall result is not classified" in out
    assert "No theme can be classified for lack of data" in out
    # Each theme section lists its questions.
    section = out.split("\n### Rights\n", 1)[1].split("\n### ", 1)[0]
    assert (
        "(at least 60% needed to classify): " + not_classified(rights["question_count"]) in section
    )
    assert all(f"`{q}`" in section for q in rights["questions"])


def test_thin_profile_html(thin: dict, tmp_path) -> None:
    target = tmp_path / "thin.html"
    run("check", "--format", "html", "--output", target, *TODAY, THIN)
    html = target.read_text(encoding="utf-8")
    chart = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    # No filled bar: a score on too little data is not drawn as a result.
    fills = re.findall(r'<rect [^>]*fill="([^"]+)"', chart)
    assert fills and set(fills) == {"none"}
    overall = thin["scores"]["overall"]
    assert (
        f"no score · coverage {overall['coverage']:.1f}% · "
        f"{not_classified(overall['question_count'])}" in chart
    )
    assert (
        '<tr class="overall"><th scope="row">Overall</th>'
        f'<td class="num">—</td><td class="num">{overall["coverage"]:.1f}%</td>'
        f"<td>{not_classified(overall['question_count'])}</td></tr>" in html
    )
    for key in POLICY:
        assert f"<td>{not_classified(thin['scores'][key]['question_count'])}</td>" in html


# --------------------------------------------------------------------------- formulas


def test_severity_weighting_matches_a_hand_computation(examples: dict[str, dict]) -> None:
    differs = 0
    for name, report in examples.items():
        for key in (*POLICY, "coherence"):
            mine = [f for f in report["findings"] if f["theme"] == key]
            assert report["scores"][key]["score"] == weighted(mine), (name, key)
            assert report["scores"][key]["coverage"] == coverage(mine), (name, key)
            differs += weighted(mine) != unweighted(mine)
        overall = [f for f in report["findings"] if f["theme"] in POLICY]
        assert report["scores"]["overall"]["score"] == weighted(overall), name
    assert differs  # the severity does change scores


def test_bands_and_coverage_threshold(examples: dict[str, dict]) -> None:
    bands = sorted(CONFIG["bands"], key=lambda b: b["min"])
    for report in examples.values():
        for key, score in report["scores"].items():
            enough = score["coverage"] is not None and score["coverage"] >= CONFIG["min_coverage"]
            assert score["classified"] == (enough and score["score"] is not None), key
            if score["classified"]:
                entry = [b for b in bands if score["score"] >= b["min"]][-1]
                assert (score["band"], score["band_label"]) == (entry["band"], entry["label"])
            assert "sdg_class" not in score  # theme scores no longer borrow the SDG names


def test_coherence_is_left_out_of_overall(examples: dict[str, dict]) -> None:
    changed = 0
    for report in examples.values():
        scores = report["scores"]
        for status, n in scores["overall"]["counts"].items():
            assert n == sum(scores[t]["counts"][status] for t in POLICY), status
        everything = weighted(report["findings"])
        changed += everything != scores["overall"]["score"]
    assert changed  # pooling coherence too would have counted answers twice


def test_domain_view_matches_a_hand_computation(examples: dict[str, dict]) -> None:
    for report in examples.values():
        policy = [f for f in report["findings"] if f["theme"] != "coherence"]
        assert list(report["sdg_domains"]) == [f"PD_{i}" for i in range(1, 7)]
        for code, d in report["sdg_domains"].items():
            mine = [f for f in policy if f["sdg_domain"] == code]
            assert d["rules"] == len(mine) and d["name"] == SDG["domains"][code]
            assert d["value"] == unweighted(mine), code
            assert d["coverage"] == coverage(mine), code
            if d["value"] is not None and d["coverage"] >= CONFIG["min_coverage"]:
                assert d["classified"] and (d["sdg_class"], d["sdg_class_label"]) == sdg_class(
                    d["value"]
                )
            else:
                assert not d["classified"] and d["sdg_class"] is None
        assert report["sdg_domains"]["PD_5"]["rules"] > 0  # refugee protection (issue 10)


def test_domain_view_in_every_report_format() -> None:
    sentence = "It is not the official SDG indicator 10.7.2"
    assert "SDG 10.7.2 domains (indicative, on the SDG 10.7.2 scale)" in run(
        "check", *TODAY, ORIGIN
    )
    crisis_rules = [
        r["id"]
        for r in json.loads(run("rules", "list", "--format", "json"))["rules"]
        if r["sdg_domain"] == "PD_5" and r["theme"] != "coherence"
    ]
    assert crisis_rules
    skip = [arg for rule in crisis_rules for arg in ("--skip", rule)]
    for fmt in ("markdown", "html"):
        out = run("check", "--format", fmt, *TODAY, ORIGIN)
        assert "SDG 10.7.2 domains (indicative, on the SDG 10.7.2 scale)" in out, fmt
        assert sentence in out and "module III" in out, fmt
        assert "PD_5 Mobility dimensions of crises" in out, fmt
        assert "no rule of the catalogue covers this domain" not in out, fmt
        # A domain whose rules the selection left out says so (not that no rule of the
        # catalogue covers it: attack round 2 §3), instead of a score.
        out = run("check", "--format", fmt, *TODAY, *skip, ORIGIN)
        assert "no rule of this domain was selected" in out, fmt
        assert "no rule of the catalogue covers this domain" not in out, fmt


# --------------------------------------------------------------------------- action plan


def test_action_plan_order_and_most_pressing(examples: dict[str, dict]) -> None:
    report = examples["example-transit.yaml"]
    sev = {"high": 0, "medium": 1, "low": 2}
    expected = [
        f["rule_id"]
        for f in sorted(
            (f for f in report["findings"] if f["status"] in ("gap", "partial")),
            key=lambda f: (sev[f["severity"]], f["status"] != "gap", f["rule_id"]),
        )
    ]
    out = run("check", "--format", "markdown", *TODAY, TRANSIT)
    plan = out.split("\n## Action plan\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in plan.splitlines() if re.match(r"^\| \d+ \|", line)]
    shown = [line.split(" | ")[3].split(" ")[0] for line in rows]
    assert shown == expected
    summary = out.split("\n## Executive summary\n", 1)[1].split("\n## ", 1)[0]
    pressing = next(s for s in summary.split(". ") if "most pressing" in s)
    assert re.findall(r"\(([A-Z]+-\d{3});", pressing) == expected[:3]


def test_contradictions_are_named_and_counted_apart_from_gaps() -> None:
    statuses = FIXTURES / "profiles" / "statuses.yaml"
    report = check_json(statuses)
    found = {f["rule_id"]: f for f in report["findings"]}
    assert found["COHERENCE-001"]["status"] == "gap"  # shortages declared, no channel
    gaps = [f for f in report["findings"] if f["status"] == "gap" and f["theme"] != "coherence"]
    assert len(gaps) == 3  # DATA-005, LABOUR-002 (medium), TRAFFIC-001 (high)
    md = run("check", "--format", "markdown", *TODAY, statuses)
    assert "found 3 gaps (1 of high severity), 1 contradiction between themes" in md
    assert "| Gap | 3 |\n| Contradiction | 1 |" in md
    assert re.search(r"\| \d+ \| Medium \| Contradiction \| COHERENCE-001 ", md)
    text = run("check", *TODAY, statuses)
    assert "  3 gaps, 1 contradiction, " in text
    assert "Contradictions between themes (1), most severe first:" in text
    # The contradiction is in consistency across themes, not in overall.
    assert report["scores"]["overall"]["counts"]["gap"] == 3
    assert report["scores"]["coherence"]["counts"]["gap"] == 1


# --------------------------------------------------------------------------- compare


def _labels(out: str) -> list[str]:
    return [p["label"] for p in json.loads(out)["profiles"]]


def test_compare_keeps_the_input_order_by_default(examples: dict[str, dict]) -> None:
    given = run(
        "compare", "--format", "json", *TODAY, THIN, TRANSIT, ORIGIN, DESTINATION, TRANSIT_2024
    )
    assert json.loads(given)["order"] == "input"
    # Countries as first given; Mexico's two profiles together, by date.
    assert _labels(given) == [
        "ATA 2026-01-01",
        "MEX 2024-06-30",
        "MEX 2025-11-30",
        "NPL 2025-09-30",
        "ARE 2026-01-15",
    ]
    other = run("compare", "--format", "json", *TODAY, DESTINATION, ORIGIN)
    assert _labels(other) == ["ARE 2026-01-15", "NPL 2025-09-30"]
    markdown = run("compare", *TODAY, DESTINATION, ORIGIN)
    assert "does not rank countries" in markdown and "scores highest" not in markdown


def test_compare_sort_score_is_explicit_and_never_ranks_thin_data(
    examples: dict[str, dict],
) -> None:
    out = run(
        "compare",
        "--format",
        "json",
        "--sort",
        "score",
        *TODAY,
        THIN,
        TRANSIT,
        ORIGIN,
        DESTINATION,
        TRANSIT_2024,
    )
    assert json.loads(out)["order"] == "score"
    latest = {
        "MEX": examples["example-transit.yaml"],
        "NPL": examples["example-origin.yaml"],
        "ARE": examples["example-destination.yaml"],
    }
    ranked = sorted(latest, key=lambda c: -latest[c]["scores"]["overall"]["score"])
    by_country = list(dict.fromkeys(label.split()[0] for label in _labels(out)))
    # The thin profile scores highest but is not classified: it comes last, unranked.
    assert by_country == [*ranked, "ATA"]
    labels = _labels(out)
    assert labels.index("MEX 2024-06-30") + 1 == labels.index("MEX 2025-11-30")


def test_compare_outputs_say_not_classified_and_show_coverage(thin: dict, tmp_path) -> None:
    overall = thin["scores"]["overall"]
    text = not_classified(overall["question_count"])
    md = run("compare", *TODAY, THIN, ORIGIN)
    assert f"**— ({overall['coverage']:.1f}%, {text})**" in md
    assert "too little data for an overall band: ATA 2026-01-01" in md
    rows = list(csv.reader(io.StringIO(run("compare", "--format", "csv", *TODAY, THIN, ORIGIN))))
    band = next(r for r in rows if r[:2] == ["band", "overall"])
    origin_band = check_json(ORIGIN)["scores"]["overall"]["band"]
    assert band[5:] == [text, str(origin_band)]
    cov = next(r for r in rows if r[:2] == ["coverage", "overall"])
    assert cov[5] == f"{overall['coverage']:.1f}"
    data = json.loads(run("compare", "--format", "json", *TODAY, THIN, ORIGIN))
    cell = data["scores"][0]["themes"]["overall"]
    assert cell["classified"] is False and cell["band"] is None
    assert cell["question_count"] == overall["question_count"]
    target = tmp_path / "compare.html"
    run("compare", "--format", "html", "--output", target, *TODAY, THIN, ORIGIN)
    html = target.read_text(encoding="utf-8")
    assert (
        '<td class="heat class-none overall"><span class="heat-value">—</span> '
        f'<span class="heat-note">coverage {overall["coverage"]:.1f}% · {text}</span></td>' in html
    )


def test_compare_counts_contradictions_apart(examples: dict[str, dict]) -> None:
    data = json.loads(run("compare", "--format", "json", *TODAY, *EXAMPLES))
    for row in data["scores"]:
        report = next(
            r
            for r in examples.values()
            if f"{r['profile']['country']} {r['profile']['as_of']}" == row["profile"]
        )
        statuses = Counter(f["status"] for f in report["findings"])
        contradictions = sum(
            1 for f in report["findings"] if f["theme"] == "coherence" and f["status"] == "gap"
        )
        assert row["counts"]["contradiction"] == contradictions
        assert row["counts"]["gap"] == statuses["gap"] - contradictions
