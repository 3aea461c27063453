"""A profile found among rule files is named as such, once per file (an attack round:
`check -r profiles` gave 63 "unknown field" errors, one of them "did you mean 'rules'?")."""

from __future__ import annotations

import yaml

from tests.conftest import PROFILES
from tests.rulepack import profile_doc

EXAMPLES = sorted(PROFILES.glob("*.yaml"))


def test_check_with_a_profile_folder_as_rules_names_each_profile_once(cli):
    result = cli("check", "-r", PROFILES, PROFILES / "example-transit.yaml")
    assert result.returncode == 2
    assert "unknown field" not in result.stderr
    for path in EXAMPLES:
        assert result.stderr.count(f"{path}:1:1: error[not-a-rule-file] ") == 1
        assert f"{path} is a profile, not a rule file" in result.stderr
    assert f"the rule catalogue has {len(EXAMPLES)} problem(s)" in result.stderr


def test_rules_lint_names_a_profile_in_a_rule_folder(cli, tmp_path):
    (tmp_path / "profile.yaml").write_text(yaml.safe_dump(profile_doc({})), encoding="utf-8")
    result = cli("rules", "lint", "--no-bundled", tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("error[") == 1
    assert "profile.yaml is a profile, not a rule file" in result.stdout


def test_a_rule_file_with_a_misspelt_key_still_gets_the_field_hint(cli, tmp_path):
    (tmp_path / "pack.yaml").write_text("roles: []\n", encoding="utf-8")
    result = cli("rules", "lint", "--no-bundled", tmp_path)
    assert result.returncode == 1
    assert "not-a-rule-file" not in result.stdout
    assert "did you mean 'rules'" in result.stdout
