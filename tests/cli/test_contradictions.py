"""Contradictions are findings of their own, through the real CLI: one answer counts once,
each side names every answer with its line, in JSON, SARIF, Markdown, HTML and text."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from tests.conftest import FIXTURES, PROFILES, run_in_process
from tests.gapjson import assessment

THREE_NOES = FIXTURES / "profiles" / "three-noes.yaml"
CHANNELS = (
    "labour_channels.temporary_admission",
    "labour_channels.seasonal_admission",
    "labour_channels.permanent_admission",
)


def _run(cli, fmt: str, profile=THREE_NOES) -> str:
    result = cli("check", "--format", fmt, "--today", "2026-06-01", profile)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _line_of(key: str) -> int:
    """The profile line of `key:` in the three-noes profile."""
    lines = THREE_NOES.read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if text.strip().startswith(f"{key}:"))


@pytest.fixture(scope="module")
def report() -> dict:
    return assessment(_run(run_in_process, "json"))


def test_three_negative_answers_count_once(report):
    findings = report["findings"]
    gaps = [f["rule_id"] for f in findings if f["status"] == "gap" and f["kind"] == "check"]
    contradictions = [
        f["rule_id"] for f in findings if f["status"] == "gap" and f["kind"] == "contradiction"
    ]
    # LABOUR-002 reports the three answers as one gap; COHERENCE-001 reads the same answers
    # against the declared shortages and is a contradiction, not a second gap.
    assert gaps == ["LABOUR-002"]
    assert contradictions == ["COHERENCE-001"]
    for path in CHANNELS:
        gaps_reading = [
            f["rule_id"]
            for f in findings
            if f["kind"] == "check"
            and f["status"] == "gap"
            and path in {t["path"] for t in f["trace"]}
        ]
        assert gaps_reading == ["LABOUR-002"], path
    assert report["scores"]["overall"]["counts"]["gap"] == 1
    assert all(f["kind"] == ("contradiction" if f["theme"] == "coherence" else "check")
               for f in findings)  # fmt: skip


def test_a_contradiction_names_both_sides_with_their_lines(report):
    finding = next(f for f in report["findings"] if f["rule_id"] == "COHERENCE-001")
    says, but = finding["sides"]
    assert (says["label"], says["condition"]) == ("The profile says", "applies_when")
    assert (but["label"], but["condition"]) == ("What should go with it", "met_when")
    assert [(a["path"], a["value"], a["line"]) for a in says["answers"]] == [
        ("context.labour_shortages_declared", "yes", _line_of("labour_shortages_declared"))
    ]
    # Side B reads the three channels and nothing else: the labour-market needs assessment,
    # which no source asks for, no longer decides the contradiction (citation audit).
    assert [(a["path"], a["value"], a["line"]) for a in but["answers"]] == [
        (path, "no", _line_of(path.split(".")[1])) for path in CHANNELS
    ]
    check = next(f for f in report["findings"] if f["rule_id"] == "LABOUR-002")
    assert check["sides"] == []


def test_sarif_related_locations_are_the_answers_lines(cli):
    log = json.loads(_run(cli, "sarif"))
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    related = results["COHERENCE-001"]["relatedLocations"]
    assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [
        _line_of("labour_shortages_declared"),
        *(_line_of(path.split(".")[1]) for path in CHANNELS),
    ]
    assert [r["id"] for r in related] == [1, 2, 3, 4]
    assert related[0]["message"]["text"] == (
        "The profile says: context.labour_shortages_declared = yes"
    )
    assert (
        related[1]["message"]["text"]
        == "What should go with it: labour_channels.temporary_admission = no"
    )
    uri = results["COHERENCE-001"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert {r["physicalLocation"]["artifactLocation"]["uri"] for r in related} == {uri}
    assert "relatedLocations" not in results["LABOUR-002"]


def test_sarif_with_contradictions_is_valid_sarif(cli):
    from jsonschema import Draft4Validator

    schema = json.loads(
        (FIXTURES / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    )
    log = json.loads(_run(cli, "sarif", PROFILES / "example-destination.yaml"))
    assert any("relatedLocations" in r for r in log["runs"][0]["results"])
    assert list(Draft4Validator(schema).iter_errors(log)) == []


def test_markdown_has_the_contradictions_section(cli):
    md = _run(cli, "markdown")
    section = md.split("## Contradictions between policies\n", 1)[1].split("\n## ", 1)[0]
    assert "### COHERENCE-001: Declared labour shortages" in section
    assert "**Contradiction** · Severity: Medium" in section
    assert "- **The profile says:**" in section and "- **What should go with it:**" in section
    line = _line_of("labour_shortages_declared")
    assert f"(`context.labour_shortages_declared`, line {line}): **yes**" in section
    for path in CHANNELS:
        assert f"(`{path}`, line {_line_of(path.split('.')[1])}): **no**" in section
    assert "LABOUR-002" not in section  # a check is not a contradiction
    assert md.index("## Action plan") < md.index("## Contradictions") < md.index("## Findings")


class _Section(HTMLParser):
    """The text of the element with id `contradictions`."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == "contradictions":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def test_html_has_the_contradictions_section(cli):
    html = _run(cli, "html")
    parser = _Section()
    parser.feed(html)
    text = " ".join(" ".join(parser.text).split())
    assert text.startswith("Contradictions between policies")
    assert "COHERENCE-001 Declared labour shortages" in text
    assert "The profile says" in text and "What should go with it" in text
    assert f"context.labour_shortages_declared , line {_line_of('labour_shortages_declared')}" in (
        text
    )
    for path in CHANNELS:
        assert f"{path} , line {_line_of(path.split('.')[1])}: no" in text
    assert 'href="#finding-coherence-001"' in html


def test_text_summary_names_both_sides(cli):
    text = _run(cli, "text")
    block = text.split("Contradictions between themes (1)", 1)[1]
    assert "The profile says: context.labour_shortages_declared = yes" in block
    assert f"three-noes.yaml:{_line_of('labour_shortages_declared')})" in block
    assert "What should go with it: labour_channels.temporary_admission = no" in block


def test_a_profile_without_contradictions_says_so(cli):
    md = _run(cli, "markdown", FIXTURES / "profiles" / "waivers.yaml")
    section = md.split("## Contradictions between policies\n", 1)[1].split("\n## ", 1)[0]
    assert "No answers of this profile contradict each other." in section


REMOVES = """\
format_version: 2
country: {{code: ATA, name: Removals land}}
as_of: 2026-01-01
prepared_by: coherence tests
roles: [destination]
illustrative: true
instruments:
  refugee_convention_1951: {convention}
  refugee_protocol_1967: not_signed
context:
  removals_of_irregular_migrants: "yes"
rights:
  non_refoulement: "yes"
  asylum_procedure: "no"
"""


@pytest.mark.parametrize(
    ("convention", "judged_by"),
    [("ratified", "COHERENCE-029"), ("not_signed", "COHERENCE-019")],
)
def test_one_missing_asylum_procedure_is_one_contradiction(cli, tmp_path, convention, judged_by):
    """COHERENCE-019 (removals) and COHERENCE-029 (a party to the Refugee Convention) read the
    same two answers; a party that removes migrants used to get two contradictions for one
    missing asylum procedure. Now the treaty decides which rule judges it: one contradiction,
    whether or not the country is a party. No theme check reads the answer since RIGHTS-018
    (asylum procedure) was retired: no source passage asks states for a procedure."""
    profile = tmp_path / "removes.yaml"
    profile.write_text(REMOVES.format(convention=convention), encoding="utf-8")
    report = assessment(_run(cli, "json", profile))

    def reading(kind: str) -> list[str]:
        return [
            f["rule_id"]
            for f in report["findings"]
            if f["kind"] == kind
            and f["status"] in ("gap", "partial")
            and "rights.asylum_procedure" in {t["path"] for t in f["trace"]}
        ]

    assert reading("check") == []
    assert reading("contradiction") == [judged_by]
    other = {"COHERENCE-029", "COHERENCE-019"} - {judged_by}
    (finding,) = [f for f in report["findings"] if f["rule_id"] in other]
    assert finding["status"] == "not_applicable"
