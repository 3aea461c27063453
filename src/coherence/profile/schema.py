"""JSON Schema export, generated from the pydantic models (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from coherence.profile.model import Profile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def model_schema(model: type[BaseModel], schema_id: str, title: str) -> dict[str, Any]:
    """The validation-mode JSON Schema of `model` with `$schema`, `$id` and title set."""
    schema = model.model_json_schema(mode="validation")
    schema = {"$schema": SCHEMA_DIALECT, "$id": schema_id, **schema}
    schema["title"] = title
    return schema


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a country profile."""
    return model_schema(
        Profile,
        "https://coherence.invalid/schema/profile.schema.json",
        "coherence country profile",
    )


def dumps(schema: dict[str, Any]) -> str:
    """Stable, diff-friendly JSON text (sorted keys, two-space indent, final newline)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def rules_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file (`rules/*.yaml`)."""
    from coherence.rules.model import RuleFile

    return model_schema(
        RuleFile, "https://coherence.invalid/schema/rules.schema.json", "coherence rule file"
    )


def report_schema() -> dict[str, Any]:
    """The JSON Schema of `coherence check --format json` (report format 3)."""
    from coherence.gapreport import GapReport

    schema = GapReport.model_json_schema(mode="serialization")
    schema = {
        "$schema": SCHEMA_DIALECT,
        "$id": "https://coherence.invalid/schema/report.schema.json",
        **schema,
    }
    schema["title"] = "coherence gap report"
    return schema
