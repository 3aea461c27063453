"""The JSON Schema is generated from the models, committed, and agrees with them."""

from __future__ import annotations

import json

import jsonschema
import pytest

from coherence.profile.schema import dumps, profile_schema
from coherence.profile.template import render_template
from coherence.yamlsource import load_yaml_file
from tests.conftest import PROFILES, ROOT

SCHEMA_FILE = ROOT / "schema" / "profile.schema.json"


def test_committed_schema_is_in_sync_with_models(cli):
    result = cli("schema")
    assert result.returncode == 0
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "schema/profile.schema.json is stale: run `coherence schema -o schema/profile.schema.json`"
    )
    assert result.stdout == dumps(profile_schema())


def test_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert "equal_treatment" in json.dumps(schema)


def test_template_is_in_sync_with_models():
    assert (PROFILES / "template.yaml").read_text(encoding="utf-8") == render_template(), (
        "profiles/template.yaml is stale: regenerate it with `coherence template`"
    )


@pytest.mark.parametrize("profile", sorted(PROFILES.glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_profile_validates_against_exported_schema(profile):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = load_yaml_file(profile).data
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        json.loads(json.dumps(data, default=str))
    )
    first_line = profile.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/profile.schema.json"


def test_schema_rejects_what_the_models_reject():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    base = {
        "country": {"code": "PHL", "name": "Philippines"},
        "as_of": "2025-01-01",
        "prepared_by": "x",
        "roles": ["origin"],
    }
    assert validator.is_valid(base)
    assert validator.is_valid({**base, "rights": {"equal_treatment": "yes"}})
    assert validator.is_valid({**base, "rights": {"equal_treatment": {"answer": "partial"}}})
    assert not validator.is_valid({**base, "rights": {"equal_treatment": "maybe"}})
    assert not validator.is_valid({**base, "rightz": {}})
    assert not validator.is_valid({**base, "country": {"code": "PHX", "name": "x"}})
