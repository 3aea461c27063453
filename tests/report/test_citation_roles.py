"""Reports show requirement passages first, as "What the sources ask" with whom they ask,
and the other passages as "Background" (issue 10, §1), through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coherence.citations import requirements_first, sections
from tests.conftest import FIXTURES, PROFILES, invoke
from tests.gapjson import assessment

PACK = FIXTURES / "rules" / "roles"  # ROLES-001: context, requirement (destination), rationale
PROFILE = PROFILES / "example-destination.yaml"  # women_migrants_protection: partial -> a gap


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("reports")
    formats = ("markdown", "json", "html", "sarif")
    args: list[str | Path] = ["check", "--rules", PACK, "--select", "ROLES-001"]
    for fmt in formats:
        args += ["-f", fmt, "-o", out / f"report.{fmt}"]
    result = invoke(*args, PROFILE)
    assert result.returncode in (0, 1), result.stderr
    return {fmt: (out / f"report.{fmt}").read_text(encoding="utf-8") for fmt in formats}


def test_json_citations_carry_role_and_addressee_requirements_first(reports):
    findings = assessment(reports["json"])["findings"]
    (finding,) = [f for f in findings if f["rule_id"] == "ROLES-001"]
    got = [(c["role"], c["addressee"], c["lines"][0]) for c in finding["citations"]]
    assert got == [
        ("requirement", "destination", 106),
        ("context", "states", 193),  # the rest keep their written order
        ("rationale", "states", 104),
    ]


def test_markdown_report_asks_first_then_background(reports):
    text = reports["markdown"]
    section = text[text.index("#### ROLES-001") :]
    asks, background = section.index("**What the sources ask**"), section.index("**Background**")
    assert asks < section.index("*Asks countries of destination:*") < background
    assert asks < section.index("female migrant workers in all sectors") < background
    assert background < section.index("the bilateral approach allows governments")
    assert "What the sources say" not in section


def test_html_report_asks_first_then_background(reports):
    text = reports["html"]
    asks = text.index("<h5>What the sources ask</h5>")
    background = text.index("<h5>Background</h5>")
    assert asks < text.index('<p class="asks">Asks countries of destination:</p>') < background
    assert background < text.index('<figure class="quote background">')


def test_sarif_rule_help_asks_first_then_background(reports):
    (rule,) = [
        r
        for r in json.loads(reports["sarif"])["runs"][0]["tool"]["driver"]["rules"]
        if r["id"] == "ROLES-001"
    ]
    for help_text in (rule["help"]["text"], rule["help"]["markdown"]):
        asks = help_text.index("What the sources ask")
        background = help_text.index("Background")
        assert asks < help_text.index("Asks countries of destination") < background
        assert background < help_text.index("the bilateral approach")


class _C:
    def __init__(self, name: str, role: str | None, addressee: str | None = "states"):
        self.name, self.role, self.addressee = name, role, addressee


def test_requirements_first_is_stable_and_unlabelled_packs_keep_their_heading():
    cites = [
        _C("a", "context"),
        _C("b", "requirement"),
        _C("c", "rationale"),
        _C("d", "requirement"),
    ]
    assert [c.name for c in requirements_first(cites)] == ["b", "d", "a", "c"]
    assert [(h, [c.name for c in cs]) for h, cs in sections(cites)] == [
        ("What the sources ask", ["b", "d"]),
        ("Background", ["a", "c"]),
    ]
    old = [_C("x", None, None), _C("y", None, None)]
    assert [(h, [c.name for c in cs]) for h, cs in sections(old)] == [
        ("What the sources say", ["x", "y"])
    ]


def test_terminal_summary_labels_the_passages():
    result = invoke("check", "--rules", PACK, "--select", "ROLES-001", PROFILE)
    text = " ".join(result.stdout.split())
    asks = text.index('> Asks countries of destination: "note in this regard')
    assert asks < text.index('> Background: "the bilateral approach')
