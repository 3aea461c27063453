"""Recommendations that fit the finding, through the real CLI (in-process): the cause read
from the trace, law and practice, exclusions, and the country's own institutions."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from coherence.cli.main import app
from tests.conftest import ENGINES, FIXTURES
from tests.gapjson import assessment

PROFILES = FIXTURES / "profiles"
RATIFIED = PROFILES / "ratified-long-ago.yaml"
NOT_RATIFIED = PROFILES / "not-ratified.yaml"
PRACTICE = PROFILES / "law-and-practice.yaml"
PACK = FIXTURES / "rules" / "practice"
ASKS_TO_RATIFY = re.compile(r"\bratify\b|\bratification of\b", re.IGNORECASE)
RATIFIED_RULES = ("RIGHTS-024", "RIGHTS-025", "TRAFFIC-017")
"""Rules on the 1990 Convention, ILO C97 and C143, and the Palermo Trafficking Protocol."""


def run(*args: object) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def check(profile, *args: object, fmt: str = "json") -> str:
    return run("check", "--format", fmt, "--today", "2026-06-01", *args, profile)


def findings(profile, *args: object) -> dict[str, dict]:
    report = assessment(check(profile, *args))
    return {f["rule_id"]: f for f in report["findings"]}


def section(markdown: str, rule_id: str) -> str:
    """The markdown report's section on one finding, up to the next heading."""
    start = markdown.index(f"#### {rule_id}:")
    end = markdown.find("\n#", start + 1)
    return markdown[start : end if end != -1 else None]


def text_block(text: str, rule_id: str) -> str:
    """The text report's lines on one finding."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if f"] {rule_id} " in line)
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith("      ")),
        len(lines),
    )
    return "\n".join(lines[start:end])


@pytest.fixture(scope="module")
def ratified() -> dict[str, dict]:
    return findings(RATIFIED)


@pytest.mark.parametrize("rule_id", RATIFIED_RULES)
def test_ratified_long_ago_is_not_asked_to_ratify(ratified, rule_id):
    finding = ratified[rule_id]
    assert finding["status"] == "partial"
    assert finding["cause"] == "not_in_law"
    assert not ASKS_TO_RATIFY.search(finding["recommendation"]), finding["recommendation"]


def test_no_finding_of_a_ratifying_country_asks_it_to_ratify(ratified):
    # Every instrument this profile names is ratified: no recommendation may ask to ratify.
    for finding in ratified.values():
        if finding["status"] in ("gap", "partial"):
            assert not ASKS_TO_RATIFY.search(finding["recommendation"]), finding["rule_id"]


def test_markdown_and_text_reports_do_not_say_ratify_either():
    markdown = check(RATIFIED, fmt="markdown")
    text = check(RATIFIED, fmt="text")
    for rule_id in RATIFIED_RULES:
        part = section(markdown, rule_id)
        assert "Ratify" not in part
        (recommendation,) = [line for line in part.splitlines() if "**Recommendation:**" in line]
        assert not ASKS_TO_RATIFY.search(recommendation)
        rows = [line for line in markdown.splitlines() if line.startswith("|") and rule_id in line]
        assert rows and not any("Ratify" in row for row in rows)
        block = text_block(text, rule_id)
        assert "Ratify" not in block
        assert "Action:" in block


def test_a_treaty_not_ratified_is_asked_to_be_ratified():
    found = findings(NOT_RATIFIED)
    for rule_id, words in (("RIGHTS-024", "1990 Convention"), ("RIGHTS-026", "Discrimination")):
        finding = found[rule_id]
        assert finding["status"] == "gap"
        assert finding["cause"] == "not_ratified"
        assert finding["recommendation"].startswith("Ratify")
        assert words in finding["recommendation"]
    # C143 ratified and in law, C97 not ratified: partial, and the text asks to ratify.
    assert found["RIGHTS-025"]["status"] == "partial"
    assert found["RIGHTS-025"]["cause"] == "not_ratified"
    assert ASKS_TO_RATIFY.search(found["RIGHTS-025"]["recommendation"])
    # ... and names only the Convention not ratified, never the one the country is party to.
    assert "(No. 97)" in found["RIGHTS-025"]["recommendation"]
    assert "143" not in found["RIGHTS-025"]["recommendation"]


def test_in_law_but_not_in_practice_is_at_most_partial():
    finding = findings(PRACTICE)["RIGHTS-017"]
    assert finding["status"] == "partial"
    assert "in law but not in practice" in finding["reason"]
    assert finding["cause"] == "not_in_practice"
    assert finding["recommendation"].startswith(
        "The law or policy is in place but not applied in practice"
    )
    assert finding["location"]["path"] == "rights.non_refoulement"


def test_practice_as_good_as_the_law_stays_met(tmp_path):
    profile = tmp_path / "practice-yes.yaml"
    text = PRACTICE.read_text(encoding="utf-8")
    profile.write_text(text.replace('practice: "no"', 'practice: "yes"'), encoding="utf-8")
    finding = findings(profile)["RIGHTS-017"]
    assert finding["status"] == "met"
    assert finding["cause"] is None


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rule_without_the_practice_cap_reads_the_law_only(engine):
    found = findings(PRACTICE, "--rules", PACK, "--engine", engine)
    assert found["PRACTICE-001"]["status"] == "met"
    assert found["RIGHTS-017"]["status"] == "partial"


def test_an_exclusion_makes_equal_treatment_partial():
    finding = findings(PRACTICE)["RIGHTS-001"]
    assert finding["status"] == "partial"
    assert finding["cause"] == "excluded_groups"
    assert "excludes domestic workers" in finding["reason"]
    assert "domestic workers" in finding["recommendation"]


def test_groups_left_out_are_named_in_words(tmp_path):
    """ "low skilled workers" and "self employed" were the vocabulary with its underscores
    taken out (attack round 2 §25)."""
    other = tmp_path / "groups.yaml"
    text = PRACTICE.read_text(encoding="utf-8")
    groups = "[low_skilled_workers, self_employed]"
    other.write_text(text.replace("[domestic_workers]", groups), encoding="utf-8")
    finding = findings(other)["RIGHTS-001"]
    for said in (finding["reason"], finding["recommendation"]):
        assert "low-skilled workers and self-employed workers" in said, said


@pytest.mark.parametrize(
    ("group", "named"),
    [
        # Germany restricts family reunification for holders of subsidiary protection only:
        # the group was refused as not in the vocabulary (real-country review).
        ("subsidiary_protection", "holders of subsidiary protection"),
        # Türkiye's 3 million Syrians hold temporary protection, not refugee status (desk
        # study): `excludes: [temporary_protection]` was refused.
        ("temporary_protection", "people under temporary protection"),
    ],
)
def test_protection_groups_can_be_left_out_and_are_named(tmp_path, group, named):
    other = tmp_path / "group.yaml"
    text = PRACTICE.read_text(encoding="utf-8")
    other.write_text(text.replace("[domestic_workers]", f"[{group}]"), encoding="utf-8")
    finding = findings(other)["RIGHTS-001"]
    assert finding["status"] == "partial" and finding["cause"] == "excluded_groups"
    for said in (finding["reason"], finding["recommendation"]):
        assert named in said, said


@pytest.mark.parametrize("engine", ENGINES)
def test_rules_can_test_a_named_exclusion_on_both_engines(engine, tmp_path):
    found = findings(PRACTICE, "--rules", PACK, "--engine", engine)
    finding = found["PRACTICE-002"]
    assert finding["status"] == "partial"
    assert finding["cause"] == "excluded_groups"
    assert finding["recommendation"] == (
        "Bring domestic workers under the equal-treatment provisions of labour law."
    )
    trace = {t["path"]: t["value"] for t in finding["trace"]}
    assert trace["rights.equal_treatment.excludes.domestic_workers"] == "yes"
    # Another group left out: this rule tests domestic workers only (exclusions_cap: false).
    other = tmp_path / "seasonal.yaml"
    text = PRACTICE.read_text(encoding="utf-8")
    other.write_text(text.replace("[domestic_workers]", "[seasonal_workers]"), encoding="utf-8")
    again = findings(other, "--rules", PACK, "--engine", engine)
    assert again["PRACTICE-002"]["status"] == "met"
    assert again["RIGHTS-001"]["status"] == "partial"
    assert "seasonal workers" in again["RIGHTS-001"]["recommendation"]


def test_responsible_is_the_country_s_own_body_when_named(tmp_path):
    named = findings(PRACTICE)["RIGHTS-001"]
    assert named["responsible_area"] == "Ministry of Labour and Employment"
    markdown = check(PRACTICE, fmt="markdown")
    (row,) = [
        line for line in markdown.splitlines() if line.startswith("|") and "RIGHTS-001" in line
    ]
    assert "| Ministry of Labour and Employment |" in row
    assert "*Responsible: Ministry of Labour and Employment.*" in section(markdown, "RIGHTS-001")
    generic = tmp_path / "no-institutions.yaml"
    text = PRACTICE.read_text(encoding="utf-8")
    generic.write_text(
        text.replace("institutions:\n  labour_ministry: Ministry of Labour and Employment\n", ""),
        encoding="utf-8",
    )
    finding = findings(generic)["RIGHTS-001"]
    assert finding["responsible_area"] == "Ministry of Labour"
    markdown = check(generic, fmt="markdown")
    assert "Ministry of Labour and Employment" not in markdown
    assert "*Responsible: Ministry of Labour.*" in section(markdown, "RIGHTS-001")


def test_reason_and_action_name_the_same_shortfall():
    """A real-country review found the action contradicting the reason: "the law is in place
    but not applied" where the law itself was partial, and the excluded group dropped."""
    found = findings(PRACTICE)
    justice = found["RIGHTS-011"]  # yes in law, partial in practice, irregular migrants left out
    assert justice["status"] == "partial" and justice["cause"] == "excluded_groups"
    assert "excludes irregular migrants, and practice is partial" in justice["reason"]
    assert "irregular migrants" in justice["recommendation"]
    assert "not applied in practice" not in justice["recommendation"]
    # The law itself only partial, practice no: the rule's own action, not "apply the law".
    security = found["RIGHTS-003"]
    assert security["status"] == "partial" and security["cause"] == "partial"
    assert "not applied in practice" not in security["recommendation"]


def test_a_partial_decided_by_an_excluded_group_names_that_answer(tmp_path):
    """A rule partly met because one answer leaves a group out names that answer and the
    group, not another answer that is fully in place (a real-country review: "Partly met:
    the profile answers yes to 'Can migrant workers join trade unions?'")."""
    from tests.rulepack import rule, write_pack

    both = {
        "all": [
            {"equals": {"path": "rights.freedom_of_association", "value": "yes"}},
            {"equals": {"path": "rights.access_to_justice", "value": "yes"}},
            {
                "equals": {
                    "path": "rights.access_to_justice.excludes.irregular_migrants",
                    "value": "no",
                }
            },
        ]
    }
    partly = {"in": {"path": "rights.access_to_justice", "values": ["yes", "partial"]}}
    pack = write_pack(
        tmp_path / "pack",
        [
            rule(
                "CAUSE-001",
                both,
                theme="rights",
                partial_when=partly,
                recommendations={"excluded_groups": "Extend it to {excluded}, in law."},
            )
        ],
    )
    found = findings(PRACTICE, "--rules", pack)["CAUSE-001"]
    assert found["status"] == "partial" and found["cause"] == "excluded_groups"
    assert "rights.access_to_justice" in found["reason"]
    assert "excludes irregular migrants" in found["reason"]
    assert "rights.freedom_of_association" not in found["reason"]
    assert found["recommendation"] == "Extend it to irregular migrants, in law."


def test_a_coherence_rule_does_not_count_a_practice_shortfall_again():
    """A real-country review: every partly met coherence rule of two real profiles restated a
    "yes in law, partial in practice" answer a theme rule already reported (before, six of
    this profile's coherence rules said "in law but not in practice"). Cross-theme rules have
    no practice cap unless they ask for one; theme rules keep theirs."""
    from coherence.rules.catalog import load_catalogue

    rules = {r.id: r for r in load_catalogue().rules}
    assert all(not r.caps_practice for r in rules.values() if r.theme == "coherence")
    assert all(r.caps_practice for r in rules.values() if r.theme != "coherence")
    found = findings(PROFILES / "reviewer-mexico.yaml")
    in_practice = {
        f["theme"] for f in found.values() if "in law but not in practice" in f["reason"]
    }
    assert in_practice and "coherence" not in in_practice  # the theme rules report it once
