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
