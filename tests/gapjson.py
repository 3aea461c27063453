"""Read the JSON gap report (format 3) as a reader would: join each finding with its rule
and the rule's passages, giving back every profile's format-2 assessment (each finding with
its rule's text and full citations). Plain dict work, independent of the code that splits
the assessments, so that a test comparing the two proves nothing was lost."""

from __future__ import annotations

import json
from typing import Any


def full_findings(doc: dict[str, Any], assessment: dict[str, Any]) -> list[dict[str, Any]]:
    """The assessment's findings, each joined with its rule and the rule's passages."""
    out = []
    for finding in assessment["findings"]:
        rule = dict(doc["rules"][finding["rule_id"]])
        rule["citations"] = [
            {**doc["passages"][c["passage"]], "role": c["role"], "addressee": c["addressee"]}
            for c in rule["citations"]
        ]
        out.append({**finding, **rule})
    return out


def assessments(doc: dict[str, Any] | str) -> list[dict[str, Any]]:
    """Every profile's assessment as format 2 had it (`Assessment.model_dump(mode="json")`)."""
    if isinstance(doc, str):
        doc = json.loads(doc)
    assert doc["format_version"] == 3 and doc["kind"] == "gap_report"
    return [
        {
            **a,
            "findings": full_findings(doc, a),
            "format_version": 2,
            "tool_version": doc["tool_version"],
            "catalogue_version": doc["catalogue_version"],
        }
        for a in doc["assessments"]
    ]


def assessment(doc: dict[str, Any] | str) -> dict[str, Any]:
    """The one profile's assessment of a one-profile report, as format 2 had it."""
    (only,) = assessments(doc)
    return only
