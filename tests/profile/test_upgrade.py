"""`coherence upgrade`: format-1 profiles become valid format-2 profiles, comments kept."""

from __future__ import annotations

import re

import pytest

from coherence.facts import profile_facts, readable_paths
from coherence.profile.upgrade import upgrade_text
from coherence.profile.validate import load_profile
from tests.conftest import FIXTURES, PROFILES, invoke
from tests.gapjson import assessment

FORMAT1 = sorted((FIXTURES / "format1").glob("*.yaml"))


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.mark.parametrize("old", FORMAT1, ids=lambda p: p.name)
def test_upgrade_gives_a_valid_profile_with_the_same_findings(old, tmp_path):
    before = old.read_text(encoding="utf-8")
    out = tmp_path / old.name
    result = invoke("upgrade", old, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "upgraded: format_version: 2" in result.stderr
    assert old.read_text(encoding="utf-8") == before  # the input is never touched
    text = out.read_text(encoding="utf-8")
    assert re.search(r"^format_version: 2$", text, re.M)
    # Every comment of the original survives, in the same order.
    assert _comments(text) == _comments(before)
    assert invoke("validate", out).returncode == 0
    # The upgraded profile says what the bundled format-2 profile says, answer for answer
    # (the bundled ones add format-2-only detail: practice, exclusions, corridors).
    upgraded = profile_facts(load_profile(out))
    bundled = profile_facts(load_profile(PROFILES / old.name))
    compared = [p for p, i in readable_paths().items() if i.question and ".main_" not in p]
    assert [(p, upgraded[p].state, upgraded[p].value) for p in compared] == [
        (p, bundled[p].state, bundled[p].value) for p in compared
    ]
    assert assessment(invoke("check", out, "--format", "json").stdout)["findings"]


def test_upgrade_maps_each_format_1_construct():
    old = """\
format_version: 1  # the old format
country: {code: NPL, name: Nepal}
as_of: 2025-01-01
prepared_by: Ministry
roles: [origin]
instruments:
  ilo_c97: signed
  ilo_c143: {status: not_signed, note: kept}
  refugee_convention: ratified
labour_channels:
  bilateral_agreements:
    answer: yes
    partners: [Qatar, MY, Republic of Korea, Atlantis]
    monitored: {answer: partial, note: Two of three committees meet.}
coordination:
  coordination_body:
    answer: yes
    name: Migration Council
    members: [Interior, Labour]
    meets: quarterly
"""
    result = upgrade_text(old)
    text = result.text
    assert "format_version: 2  # the old format" in text
    assert "ilo_c97: not_ratified" in text
    assert "status: not_ratified" in text and "note: kept" in text
    assert "refugee_convention_1951: ratified" in text
    assert "partner: QAT" in text and "partner: MYS" in text
    # Never a fuzzy guess: the Republic of Korea is KOR, not the DPRK.
    assert "partner: KOR" in text and "PRK" not in text
    assert "partner: Atlantis" in text  # unresolvable: kept for a human to fix
    assert any("Atlantis" in w for w in result.warnings)
    assert any("ilo_c97" in w and "never signed" in w for w in result.warnings)
    assert "Monitoring: Two of three committees meet." in text
    assert "coordination_bodies:" in text and "- name: Migration Council" in text
    assert "partners:" not in text and "coordination_body:" not in text


def test_upgrade_that_needs_a_hand_fix_exits_1_and_names_the_line(tmp_path):
    old = tmp_path / "old.yaml"
    old.write_text(
        "format_version: 1\ncountry: {code: NPL, name: Nepal}\nas_of: 2025-01-01\n"
        "prepared_by: M\nroles: [origin]\nlabour_channels:\n  bilateral_agreements:\n"
        "    answer: yes\n    partners: [Atlantis]\n",
        encoding="utf-8",
    )
    out = tmp_path / "new.yaml"
    result = invoke("upgrade", old, "-o", out)
    assert result.returncode == 1
    assert re.search(rf"{re.escape(str(out))}:\d+:\d+: .*Atlantis", result.stderr)


def test_upgrade_refuses_to_overwrite_without_force(tmp_path):
    old = FORMAT1[0]
    out = tmp_path / "x.yaml"
    out.write_text("keep me", encoding="utf-8")
    assert invoke("upgrade", old, "-o", out).returncode == 2
    assert out.read_text(encoding="utf-8") == "keep me"
    assert invoke("upgrade", old, "-o", out, "--force").returncode == 0
    assert invoke("upgrade", old, "-o", old).returncode == 2  # never the input itself


def test_format_1_profile_is_refused_with_the_upgrade_command(tmp_path):
    for command in ("check", "validate"):
        result = invoke(command, FORMAT1[0])
        assert result.returncode in (1, 2)
        assert f"coherence upgrade {FORMAT1[0]}" in result.stderr + result.stdout
        assert "format-1" in result.stderr + result.stdout


def test_already_format_2_is_left_as_is():
    text = (PROFILES / "example-origin.yaml").read_text(encoding="utf-8")
    result = upgrade_text(text)
    assert not result.changed and result.text == text


# --- Found by an attack round: answers dropped, partners split, newer formats downgraded ---

ORIGIN = FIXTURES / "format1" / "example-origin.yaml"


def _variant(tmp_path, old: str, new: str, name: str = "old.yaml"):
    """The Nepal format-1 fixture with one line changed, as a real file."""
    text = ORIGIN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "first", "second"),
    [
        (
            "  refugee_convention: not_signed\n",
            "  refugee_convention_1951: ratified\n  refugee_convention: not_signed\n",
            "refugee_convention (line 45)",
            "refugee_convention_1951 (line 44)",
        ),
        (
            "  coordination_body:\n",
            "  coordination_bodies: yes\n  coordination_body:\n",
            "coordination_body (line 299)",
            "coordination_bodies (line 298)",
        ),
        (
            "    monitored:\n      answer: partial\n",
            "    agreements: [{partner: QAT}]\n    monitored:\n      answer: partial\n",
            "partners (line 187)",
            "agreements (line 188)",
        ),
    ],
    ids=["refugee", "coordination", "agreements"],
)
def test_upgrade_refuses_a_format_1_field_that_contradicts_its_format_2_twin(
    cli, tmp_path, old, new, first, second
):
    profile = _variant(tmp_path, old, new)
    out = tmp_path / "new.yaml"
    result = cli("upgrade", profile, "-o", out)
    assert result.returncode == 1, result.stderr
    assert not out.exists()  # nothing written: the official chooses
    assert f"{profile}:" in result.stderr and "upgrade-conflict" in result.stderr
    assert first in result.stderr and second in result.stderr
    assert "give different answers" in result.stderr
    assert "not upgraded, nothing written" in result.stderr


def test_upgrade_merges_twins_that_agree_and_keeps_every_comment(cli, tmp_path):
    profile = _variant(
        tmp_path,
        "  refugee_convention: not_signed\n",
        "  # the format-2 answer\n  refugee_convention_1951: {status: not_signed}  # kept\n"
        "  # the format-1 answer\n  refugee_convention: not_signed  # same\n  # after it\n",
    )
    out = tmp_path / "new.yaml"
    result = cli("upgrade", profile, "-o", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "refugee_convention_1951: {status: not_signed}  # kept" in text
    assert "refugee_convention:" not in text
    # Every comment survives, in order; those of the dropped line move before the next key.
    said = re.compile(r"(?:^|\s)(#.*)$", re.M)
    assert said.findall(text) == said.findall(profile.read_text(encoding="utf-8"))
    assert "  # the format-1 answer\n  # same\n  # after it\n  cedaw:" in text
    assert "refugee_convention is left out: instruments.refugee_convention_1951 already says" in (
        result.stderr
    )


def _upgrade_partners(cli, tmp_path, partners: str):
    """Upgrade the Nepal fixture with `partners:` written as given: (OLD, NEW, result)."""
    line = "Qatar, United Arab Emirates, Malaysia, Jordan, Japan, Republic of Korea, Mauritius"
    profile = _variant(tmp_path, f"    partners: [{line}]\n", f"    partners: {partners}\n")
    out = tmp_path / "new.yaml"
    return profile, out, cli("upgrade", profile, "-o", out)


@pytest.mark.parametrize(
    ("partners", "code"),
    [("Canada", "CAN"), ("'Republic of Korea'", "KOR"), ("MY", "MYS")],
)
def test_upgrade_reads_a_single_partner_written_as_text(cli, tmp_path, partners, code):
    _, out, result = _upgrade_partners(cli, tmp_path, partners)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert re.findall(r"partner: (\S+)", text) == [code]
    assert "(1)" in result.stderr and "did you mean" not in result.stderr


def test_upgrade_single_unknown_partner_is_one_located_message(cli, tmp_path):
    _, out, result = _upgrade_partners(cli, tmp_path, "Atlantis")
    assert result.returncode == 1
    assert len(re.findall(rf"{re.escape(str(out))}:\d+:\d+: .*'Atlantis'", result.stderr)) == 1
    assert "'A'" not in result.stderr and "GBR" not in result.stderr


@pytest.mark.parametrize(
    ("partners", "said"),
    [
        (
            "[[Canada], {a: 1}, null, 3]",
            [
                "partner 1 is a list",
                "partner 2 is a mapping",
                "partner 3 is empty",
                "partner 4 is a number (3)",
            ],
        ),
        ("{Canada: yes}", ["partners is a mapping of fields"]),
    ],
    ids=["items", "mapping"],
)
def test_upgrade_refuses_partners_that_are_not_countries_at_their_line(
    cli, tmp_path, partners, said
):
    profile, out, result = _upgrade_partners(cli, tmp_path, partners)
    assert result.returncode == 1 and not out.exists()
    for words in said:
        assert re.search(rf"{re.escape(str(profile))}:187:\d+: .*{re.escape(words)}", result.stderr)
    assert "None" not in result.stderr and "did you mean" not in result.stderr
    assert "['" not in result.stderr and "{'" not in result.stderr  # no Python reprs


@pytest.mark.parametrize(
    ("version", "words"),
    [
        ("3", "this profile is in format 3, newer than this version of coherence reads"),
        ("true", "true (a yes/no value) is not a format number"),
        ("1.5", "a number (1.5) is not a format number"),
    ],
)
def test_upgrade_refuses_a_newer_or_unknown_format(cli, tmp_path, version, words):
    profile = _variant(tmp_path, "format_version: 1\n", f"format_version: {version}\n")
    out = tmp_path / "new.yaml"
    result = cli("upgrade", profile, "-o", out)
    assert result.returncode == 2, result.stderr
    assert not out.exists() and "upgraded:" not in result.stderr
    assert re.search(rf"{re.escape(str(profile))}:9:1: .*{re.escape(words)}", result.stderr)


def test_validate_calls_a_newer_format_newer_and_true_no_format_1(cli, tmp_path):
    newer = _variant(tmp_path, "format_version: 1\n", "format_version: 3\n", "newer.yaml")
    result = cli("validate", newer)
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if ": error[" in line]
    assert len(problems) == 1 and "newer than this version of coherence reads" in problems[0]
    flag = _variant(tmp_path, "format_version: 1\n", "format_version: true\n", "true.yaml")
    assert "format-1" not in cli("validate", flag).stdout


def test_upgrade_of_a_format_2_profile_copies_it_unchanged(cli, tmp_path):
    out = tmp_path / "same.yaml"
    result = cli("upgrade", PROFILES / "example-origin.yaml", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "already format 2; nothing to change" in result.stderr
    assert out.read_text(encoding="utf-8") == (PROFILES / "example-origin.yaml").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("name", ["rule-file.yaml", "baseline-as-profile.yaml", "workflow.yaml"])
def test_upgrade_refuses_a_file_that_is_no_profile_and_writes_nothing(cli, tmp_path, name):
    """`validate` called a rule file "a format-1 profile: rewrite it with coherence upgrade",
    and upgrade then wrote it out with format_version: 2 added, exit 1 (attack round 4)."""
    out = tmp_path / "new.yaml"
    result = cli("upgrade", FIXTURES / "bad" / name, "-o", out)
    assert result.returncode == 2, result.stderr
    assert "error[not-a-profile] this file is not a coherence profile" in result.stderr
    assert "upgraded" not in result.stderr
    assert not out.exists()
