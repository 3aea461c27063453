"""SARIF output: valid against the official OASIS schema, located, stable, complete."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from jsonschema.validators import validator_for

from coherence import __version__
from coherence.api import assess
from coherence.assessment.gate import build_baseline, compare_baseline, profile_key
from coherence.findings import Assessment, Finding, WaiverOut
from coherence.report.formats.markdown.base import md_escape
from coherence.report.formats.sarif import artifact_uri, camel_case, render_sarif
from tests.report.ci_support import (
    ROOT,
    TODAY,
    answered_key_on_line,
    assess_examples,
    catalogue,
    profile_lines,
)

SCHEMA_PATH = ROOT / "tests" / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"
STATUSES = ROOT / "tests" / "fixtures" / "profiles" / "statuses.yaml"
RESULT_STATUSES = ("gap", "partial", "insufficient_data", "waived")
SEVERITY_LEVEL = {"high": "error", "medium": "warning", "low": "note"}


@pytest.fixture(scope="module")
def assessments() -> list[Assessment]:
    return assess_examples()


@pytest.fixture(scope="module")
def sarif_text(assessments: list[Assessment]) -> str:
    return render_sarif(assessments, catalogue(), base=ROOT)


@pytest.fixture(scope="module")
def log(sarif_text: str) -> dict[str, Any]:
    return json.loads(sarif_text)


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # The official schema declares draft-04: validate with that draft, not a later one.
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    cls = validator_for(schema)
    assert cls is Draft4Validator
    cls.check_schema(schema)
    return cls(schema)


def _errors(validator: Draft4Validator, log: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)
    ]


def _results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return log["runs"][0]["results"]


def _by_key(log: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]): r
        for r in _results(log)
    }


def _uri(assessment: Assessment) -> str:
    return Path(assessment.profile.path).relative_to(ROOT).as_posix()


def test_valid_against_the_official_schema(validator: Draft4Validator, log: dict) -> None:
    assert _errors(validator, log) == []


def test_header_and_tool(log: dict) -> None:
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "coherence"
    assert driver["version"] == __version__
    assert driver["semanticVersion"] == __version__
    assert driver["properties"]["catalogue_version"] == catalogue().version
    assert "informationUri" not in driver


def test_every_catalogue_rule_is_a_descriptor(log: dict) -> None:
    descriptors = log["runs"][0]["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == sorted(r.id for r in catalogue().rules)
    corpus = catalogue().corpus
    for rule, d in zip(catalogue().rules, descriptors, strict=True):
        assert d["name"] == camel_case(rule.title)
        assert d["name"].isalnum() and d["name"][0].isupper()
        assert d["shortDescription"]["text"] == rule.title
        assert d["fullDescription"]["text"] == rule.rationale
        assert d["defaultConfiguration"]["level"] == SEVERITY_LEVEL[rule.severity]
        assert d["properties"]["theme"] == rule.theme
        assert d["properties"]["severity"] == rule.severity
        assert d["properties"]["sdg_domain"] == rule.sdg_domain
        assert rule.theme in d["properties"]["tags"]
        assert set(rule.tags) <= set(d["properties"]["tags"])
        for form, shown in (("text", str), ("markdown", md_escape)):
            help_text = d["help"][form]
            assert shown(rule.recommendation) in help_text
            for cite in rule.citations:
                source = corpus.sources[cite.source]
                assert shown(cite.quote) in help_text
                assert shown(source.title) in help_text
                assert shown(source.section_at(cite.lines[0]).heading) in help_text
                assert f"{cite.lines[0]}" in help_text


def test_rule_index_points_at_the_rule(log: dict) -> None:
    descriptors = log["runs"][0]["tool"]["driver"]["rules"]
    for result in _results(log):
        assert descriptors[result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_are_exactly_the_findings_to_report(assessments: list[Assessment], log: dict):
    expected = {
        (_uri(a), f.rule_id) for a in assessments for f in a.findings if f.status in RESULT_STATUSES
    }
    assert set(_by_key(log)) == expected
    assert len(_results(log)) == len(expected)
    statuses = {r["properties"]["status"] for r in _results(log)}
    assert statuses == set(RESULT_STATUSES)  # the examples exercise every reported status


def test_levels_and_kinds_per_status(assessments: list[Assessment], log: dict) -> None:
    results = _by_key(log)
    seen = set()
    for a in assessments:
        for f in a.findings:
            r = results.get((_uri(a), f.rule_id))
            if f.status not in RESULT_STATUSES:
                assert r is None
                continue
            assert r is not None
            assert r["properties"] == {
                "status": f.status,
                "theme": f.theme,
                "severity": f.severity,
                "country": a.profile.country,
                **({"missing": f.missing} if f.missing else {}),
                **({"underlying_status": f.waiver.underlying_status} if f.waiver else {}),
            }
            if f.status == "gap":
                assert (r["kind"], r["level"]) == ("fail", SEVERITY_LEVEL[f.severity])
                seen.add(("gap", f.severity))
            elif f.status == "partial":
                assert (r["kind"], r["level"]) == ("fail", "note")
            elif f.status == "insufficient_data":
                # SARIF 2.1.0 §3.27.10: a kind other than "fail" requires level "none".
                assert (r["kind"], r["level"]) == ("review", "none")
            if f.status != "waived":
                assert "suppressions" not in r
    assert {("gap", "high"), ("gap", "medium")} <= seen


def test_messages_say_what_is_missing(assessments: list[Assessment], log: dict) -> None:
    results = _by_key(log)
    for a in assessments:
        for f in a.findings:
            if f.status not in RESULT_STATUSES:
                continue
            text = results[(_uri(a), f.rule_id)]["message"]["text"]
            line = results[(_uri(a), f.rule_id)]["locations"][0]["physicalLocation"]["region"]
            assert f.title in text
            if f.status == "gap":
                assert text.startswith(f"Gap: {f.title}.")
                assert f"Action: {f.recommendation}" in text
                assert f"line {line['startLine']}" in text
                if f.location and not f.location.path.startswith("derived."):
                    assert f"The profile answers {f.location.path} = " in text
            elif f.status == "partial":
                assert text.startswith(f"Partly met: {f.title}.")
                assert f"Action: {f.recommendation}" in text
            elif f.status == "insufficient_data":
                assert text.startswith(f"Insufficient data: {f.title}.")
                assert all(path in text for path in f.missing)
            else:
                assert text.startswith(f"Waived: {f.title}.")


def test_locations_point_at_the_answer_in_the_profile(
    assessments: list[Assessment], log: dict
) -> None:
    results = _by_key(log)
    checked = 0
    for a in assessments:
        lines = profile_lines(a)
        for f in a.findings:
            if f.status not in RESULT_STATUSES:
                continue
            location = results[(_uri(a), f.rule_id)]["locations"][0]["physicalLocation"]
            assert location["artifactLocation"]["uri"] == _uri(a)
            assert "\\" not in location["artifactLocation"]["uri"]
            line = location["region"]["startLine"]
            assert 1 <= line <= len(lines)
            if f.location is not None and f.location.line > 0:
                assert line == f.location.line
            assert answered_key_on_line(f, line, lines), (f.rule_id, line, lines[line - 1])
            checked += 1
    assert checked > 100


def test_derived_fact_locations_fall_back_to_an_answer(tmp_path: Path) -> None:
    """A derived fact has no line: the result points at an answer it is derived from."""
    from coherence.rules.catalog import load_catalogue
    from tests.rulepack import rule, write_pack

    # A rule that reads only a derived fact built on `exists`: nothing but the derived fact
    # can be named as the deciding answer, so the location has no line of its own.
    pack = write_pack(
        tmp_path / "pack",
        [rule("DERIV-001", {"equals": {"path": "derived.stock_known", "value": "yes"}})],
        derived=[
            {
                "id": "stock_known",
                "description": "The stock of migrants is known.",
                "when": {"exists": {"path": "context.migrant_stock"}},
            }
        ],
    )
    pack_catalogue = load_catalogue([pack], include_bundled=False)
    found = assess(STATUSES, pack_catalogue, today=TODAY)
    (finding,) = found.findings
    assert finding.status == "gap" and finding.location and finding.location.line == 0
    results = _by_key(json.loads(render_sarif([found], pack_catalogue, base=ROOT)))
    region = results[(_uri(found), "DERIV-001")]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] in {e.line for e in finding.trace if e.line > 0}


def test_fingerprints_are_stable_and_distinct(sarif_text: str, log: dict) -> None:
    again = render_sarif(assess_examples(), catalogue(), base=ROOT)
    assert again == sarif_text
    prints = [r["partialFingerprints"]["coherence/v1"] for r in _results(log)]
    assert len(set(prints)) == len(prints)
    assert all(len(p) == 32 and int(p, 16) >= 0 for p in prints)


def test_fingerprints_do_not_depend_on_the_line(assessments: list[Assessment]) -> None:
    first = assessments[0]
    moved = []
    for f in first.findings:
        if f.location is not None:
            f = f.model_copy(update={"location": f.location.model_copy(update={"line": 999})})
        moved.append(f)
    shifted = first.model_copy(update={"findings": moved})
    before = _results(json.loads(render_sarif([first], catalogue(), base=ROOT)))
    after = _results(json.loads(render_sarif([shifted], catalogue(), base=ROOT)))
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]


def test_results_are_sorted_and_output_deterministic(
    assessments: list[Assessment], sarif_text: str, log: dict
) -> None:
    keys = [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"])
        for r in _results(log)
    ]
    assert keys == sorted(keys)
    assert render_sarif(list(reversed(assessments)), catalogue(), base=ROOT) == sarif_text
    assert sarif_text == json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _waived(gap: Finding) -> Finding:
    """The gap, waived by the Cabinet until the end of 2027."""
    waiver = WaiverOut(
        justification="Reform bill before parliament.",
        approved_by="Cabinet",
        expires="2027-12-31",
        underlying_status="gap",
    )
    return gap.model_copy(update={"status": "waived", "waiver": waiver})


def test_waived_findings_are_suppressed_results(
    assessments: list[Assessment], log: dict, validator: Draft4Validator
) -> None:
    waived = [(a, f) for a in assessments for f in a.findings if f.status == "waived"]
    assert waived
    results = _by_key(log)
    for a, f in waived:
        r = results[(_uri(a), f.rule_id)]
        assert r["suppressions"][0]["kind"] == "external"
        assert r["suppressions"][0]["justification"] == f.waiver.justification
        assert r["properties"]["underlying_status"] == f.waiver.underlying_status

    # A waived gap keeps the gap's kind and level, and is suppressed.
    # The first example with a high-severity gap (the destination example has none since the
    # second citation pass retired RIGHTS-012 and RIGHTS-018).
    a, gap = next(
        (a, f)
        for a in assessments
        for f in a.findings
        if f.status == "gap" and f.severity == "high"
    )
    waived_gap = _waived(gap)
    one = a.model_copy(update={"findings": [waived_gap]})
    sarif = json.loads(render_sarif([one], catalogue(), base=ROOT))
    assert _errors(validator, sarif) == []
    (r,) = _results(sarif)
    assert (r["kind"], r["level"]) == ("fail", "error")
    assert r["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Reform bill before parliament.",
            "properties": {"approved_by": "Cabinet", "expires": "2027-12-31"},
        }
    ]


def test_rules_missing_from_the_catalogue_still_get_descriptors(
    assessments: list[Assessment], validator: Draft4Validator
) -> None:
    small = dataclasses.replace(catalogue(), rules=catalogue().rules[:3])
    sarif = json.loads(render_sarif(assessments, small, base=ROOT))
    assert _errors(validator, sarif) == []
    descriptors = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == sorted(r.id for r in catalogue().rules)
    for r in _results(sarif):
        assert descriptors[r["ruleIndex"]]["id"] == r["ruleId"]


def test_no_assessments_is_a_valid_empty_log(validator: Draft4Validator) -> None:
    sarif = json.loads(render_sarif([], catalogue()))
    assert _errors(validator, sarif) == []
    assert _results(sarif) == []


def test_artifact_uris(tmp_path: Path) -> None:
    assert artifact_uri(str(ROOT / "profiles" / "x.yaml"), ROOT) == "profiles/x.yaml"
    assert artifact_uri("profiles/x.yaml", Path.cwd()) == "profiles/x.yaml"
    # A colon in the first segment would read as a URI scheme: it is percent-encoded.
    assert artifact_uri("a:b,c d.yaml", Path.cwd()) == "a%3Ab%2Cc%20d.yaml"
    outside = tmp_path / "elsewhere.yaml"
    assert artifact_uri(str(outside), ROOT / "profiles") == outside.resolve().as_uri()


def test_camel_case() -> None:
    assert (
        camel_case("Declared labour shortages are matched") == "DeclaredLabourShortagesAreMatched"
    )
    assert camel_case("ILO C97 is ratified (or C143)") == "ILOC97IsRatifiedOrC143"
    assert camel_case("") == "Rule"


def test_contradictions_carry_related_locations_at_their_answers(
    assessments: list[Assessment], log: dict
) -> None:
    """Every answer on both sides of a contradiction is a related location at its line."""
    results = _by_key(log)
    checked = 0
    for a in assessments:
        lines = profile_lines(a)
        for f in a.findings:
            result = results.get((_uri(a), f.rule_id))
            if result is None:
                continue
            if f.kind != "contradiction":
                assert "relatedLocations" not in result
                continue
            related = result["relatedLocations"]
            answers = [(s.label, e) for s in f.sides for e in s.answers if e.line > 0]
            assert [r["id"] for r in related] == list(range(1, len(answers) + 1))
            for r, (label, entry) in zip(related, answers, strict=True):
                line = r["physicalLocation"]["region"]["startLine"]
                assert line == entry.line and 1 <= line <= len(lines)
                assert r["physicalLocation"]["artifactLocation"]["uri"] == _uri(a)
                assert r["message"]["text"].startswith(f"{label}: {entry.path} = ")
            checked += 1
    assert checked >= 3


def test_rule_pack_text_in_help_markdown_is_escaped() -> None:
    # Issue 12 §3.19: a viewer renders help.markdown; a rule pack must not get raw HTML,
    # scripts, event handlers or remote images into it.
    from markdown_it import MarkdownIt

    from coherence.assessment.rulebook import RuleQuote, RuleSummary
    from coherence.report.formats.sarif import _help

    evil = (
        '<script>alert(1)</script> <img src=x onerror="alert(1)"> ![t](https://evil.example/p.png)'
    )
    info = RuleSummary(
        id="EVIL-001",
        title=evil,
        theme="rights",
        severity="high",
        rationale=evil,
        recommendation=evil,
        sdg_domain="1",
        tags=(),
        references=(evil,),
        quotes=(RuleQuote(title=evil, section=evil, lines=(1, 2), quote=evil),),
    )
    markdown = _help(info)["markdown"]
    html = MarkdownIt("commonmark").render(markdown)
    for raw in ("<script", "<img", 'onerror="', 'evil.example/p.png"'):
        assert raw not in html, raw
    assert "&lt;script&gt;" in html
    assert "![t](https://evil.example/p.png)" in html  # shown as text, not fetched
    # The plain-text help keeps the text as written.
    assert evil in _help(info)["text"]


def test_results_are_written_as_sorted_json_with_every_optional_part(
    assessments: list[Assessment],
) -> None:
    """Results are made with their keys in order and written in one go, unsorted
    (`_dump_results`): with a baseline (changed, new and unchanged), a waiver, missing
    answers and contradictions' related locations, the log is still the sorted JSON."""
    a = assessments[0]
    gap = next(f for f in a.findings if f.status == "gap")
    waived = _waived(gap)
    one = a.model_copy(update={"findings": [waived, *(f for f in a.findings if f is not gap)]})
    baseline = build_baseline([one])
    findings = baseline["profiles"][profile_key(one)]["findings"]
    gaps = iter(rule for rule, status in findings.items() if status == "gap")
    findings[next(gaps)] = "partial"  # updated
    del findings[next(gaps)]  # new
    changes = compare_baseline([one, *assessments[1:]], baseline)
    text = render_sarif([one, *assessments[1:]], catalogue(), base=ROOT, changes=changes)
    log = json.loads(text)
    results = _results(log)
    assert {"new", "updated", "unchanged"} <= {r["baselineState"] for r in results}
    assert any("baseline_status" in r["properties"] for r in results)
    assert any("suppressions" in r for r in results)
    assert any("missing" in r["properties"] for r in results)
    assert any("relatedLocations" in r for r in results)
    assert text == json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
