"""The JSON Schema is generated from the models, committed, and agrees with them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from coherence.profile.answers import ANSWER_VALUES, GROUPS
from coherence.profile.model import Institutions
from coherence.profile.schema import dumps, profile_schema
from coherence.profile.template import render_template
from coherence.yamlsource import load_yaml_file
from tests.conftest import PROFILES, ROOT, TEMPLATE

SCHEMA_FILE = ROOT / "schema" / "profile.schema.json"


def _installed_schema() -> Path:
    """The schema file the tool itself ships (the repository's, in an editable install)."""
    from coherence.resources import data_dir

    return (data_dir() / "schema" / "profile.schema.json").resolve()


def test_committed_schema_is_in_sync_with_models(cli):
    result = cli("schema")
    assert result.returncode == 0
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "schema/profile.schema.json is stale: run `coherence schema -o schema/profile.schema.json --force`"
    )
    assert result.stdout == dumps(profile_schema())


def test_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert "equal_treatment" in json.dumps(schema)


def test_template_is_in_sync_with_models():
    committed = TEMPLATE.read_text(encoding="utf-8")
    # The committed template points at the repository's schema (checked below); a template
    # written by an installed tool points at the installed copy, wherever that is.
    assert committed == render_template(), (
        "templates/profile.yaml is stale: regenerate it with "
        "`coherence template -o templates/profile.yaml --force`"
    )
    assert not list(PROFILES.glob("template*")), "the template must not sit among the profiles"


def _modeline_path(text: str) -> str:
    first = text.splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), first
    return first.removeprefix(prefix)


@pytest.mark.parametrize("where", ["x.yaml", "a/b/x.yaml", "../up/x.yaml"])
def test_template_modeline_resolves_from_the_written_file(cli, tmp_path, where):
    cwd = tmp_path / "work"
    target = cwd / where
    target.parent.mkdir(parents=True, exist_ok=True)
    result = cli("template", "-o", where, cwd=cwd)
    assert result.returncode == 0, result.stderr
    reference = _modeline_path(target.read_text(encoding="utf-8"))
    assert not os.path.isabs(reference), reference
    # yaml-language-server resolves a relative $schema from the file's own folder.
    resolved = (target.parent / reference).resolve()
    assert resolved.is_file() and resolved == _installed_schema()
    assert resolved.read_bytes() == SCHEMA_FILE.read_bytes()


def test_template_on_stdout_names_the_schema_by_absolute_path(cli, tmp_path):
    result = cli("template", cwd=tmp_path)
    assert result.returncode == 0
    reference = Path(_modeline_path(result.stdout))
    assert reference.is_absolute() and reference.resolve() == _installed_schema()


def test_committed_template_modeline_resolves():
    reference = _modeline_path(TEMPLATE.read_text(encoding="utf-8"))
    assert (TEMPLATE.parent / reference).resolve() == SCHEMA_FILE.resolve()


# Facts computed from the entries of a long-form list, and the entry field the list shows.
_COMPUTED = {
    "partners": "partner:",
    "monitored": "monitored:",
    "members": "members:",
    "main_corridors_covered": "main_destination_countries:",
    "main_destinations_covered": "main_destination_countries:",
    "main_corridors_within": "free_movement_countries:",
}


def test_template_shows_every_field_that_rules_read():
    from coherence.rules.catalog import load_catalogue

    catalogue = load_catalogue()
    data = load_yaml_file(TEMPLATE).data
    text = TEMPLATE.read_text(encoding="utf-8")
    read = {p for rule in catalogue.rules for p in catalogue.paths_read(rule)}
    for path in sorted(p for p in read if not p.startswith("derived.")):
        node = data
        for part in path.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
                continue
            if part == "excludes":  # <answer>.excludes.<group>: the long form's exclusions
                group = path.rsplit(".", 1)[1]
                assert "excludes:" in text and group in text, f"{path}: not in the template"
                break
            assert part in _COMPUTED and _COMPUTED[part] in text, f"{path}: not in the template"
            break


def test_template_shows_long_forms_and_allowed_values():
    data = load_yaml_file(TEMPLATE).data
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, instrument in data["instruments"].items():
        assert set(instrument) == {"status", "date", "incorporated_in_law"}, name
    assert data["labour_channels"]["bilateral_agreements"] == {
        "answer": "unknown",
        "agreements": [],
    }
    assert data["coordination"]["coordination_bodies"] == {"answer": "unknown", "bodies": []}
    for field in ("partner:", "type:", "monitored:", "name:", "mandate:", "members:", "meets:"):
        assert f"#     - {field}" in text or f"#       {field}" in text, field
    assert "main_destination_countries" in data["context"]
    assert "main_origin_countries" in data["context"]
    assert set(data["institutions"]) == set(Institutions.model_fields)
    assert data["format_version"] == 2
    for value in (
        *ANSWER_VALUES,
        *GROUPS,
        "not_signed, signed, ratified, acceded, succeeded or unknown",
        "not_ratified, ratified, denounced or unknown",
        "origin, transit or destination",
        "draft, inter_ministerial_review or validated",
        "agreement, memorandum or other",
    ):
        assert value in text, value
    for words in ("practice:", "excludes:", "practice_evidence:", "Accession", "a year (2002)"):
        assert words in text, words


def test_filled_template_validates_with_the_tool_and_the_schema(cli, tmp_path):
    filled = tmp_path / "phl.yaml"
    filled.write_text(
        TEMPLATE.read_text(encoding="utf-8")
        .replace("code: XXX", "code: PHL")
        .replace("name: Country name", "name: Philippines"),
        encoding="utf-8",
    )
    assert cli("validate", filled).returncode == 0
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(load_yaml_file(filled).data)
    # The untouched template is refused, by `validate` as by `check`, for its placeholder.
    untouched = cli("validate", TEMPLATE)
    assert untouched.returncode == 1 and "placeholder XXX" in untouched.stdout


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
        "format_version": 2,
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
    assert not validator.is_valid({**base, "format_version": 1})
    assert not validator.is_valid({**base, "country": {"code": "PHX", "name": "x"}})


# Checks the JSON Schema cannot express, each with its reason: the test below allows the
# validator to refuse a fixture that the schema accepts only for one of these codes.
SCHEMA_CANNOT_SAY = {
    "listed-twice": "a repeat after trimming and case-folding (a name, a country, an agreement)",
    "answer-contradicts-list": "an answer of no above a list: one field read against another",
    "excludes-without-answer": "groups left out of an answer of no: one field against another",
    "waiver-twice": "two list items naming one rule: uniqueness by one field of an object",
}

PROFILE_FIXTURES = sorted(
    p
    for folder in ("profiles", "bad", "format1")
    for p in (ROOT / "tests" / "fixtures" / folder).glob("*.yaml")
)


@pytest.mark.parametrize("path", PROFILE_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_validator_and_the_schema_agree_on_every_profile_fixture(path):
    """Attack round 2 §22: the schema refused `code: fra`, `Yes` or `"1000"`, which the tool
    accepts, and accepted `as_of: 2025-1-1`, a blank name or a year 0001, which it refuses.
    Editors check profiles with the schema: both must give the same verdict."""
    from coherence.diagnostics import InputError
    from coherence.profile.validate import load_profile

    try:
        data = load_yaml_file(path).data
    except InputError:  # not a YAML document at all: nothing for a schema to check
        with pytest.raises(InputError):
            load_profile(path)
        return
    validator = jsonschema.Draft202012Validator(
        json.loads(SCHEMA_FILE.read_text(encoding="utf-8")),
        format_checker=jsonschema.FormatChecker(),
    )
    schema_errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(data)))]
    try:
        load_profile(path)
        codes: set[str] = set()
    except InputError as exc:
        codes = {d.code for d in exc.diagnostics}
    if not codes:
        assert not schema_errors, f"the tool accepts {path.name}; the schema says {schema_errors}"
    elif not schema_errors:
        unexplained = codes - set(SCHEMA_CANNOT_SAY)
        assert not unexplained, f"the tool refuses {path.name} ({unexplained}); the schema not"


def test_the_lenient_spellings_fixture_exercises_each_leniency():
    """The fixture above must keep the spellings the schema has to accept."""
    text = (ROOT / "tests" / "fixtures" / "profiles" / "lenient-spellings.yaml").read_text()
    for spelling in ("code: fra", "Yes", '"no "', "|\n", "illustrative: yes", '"1000"', "qat"):
        assert spelling in text, spelling
