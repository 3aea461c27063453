"""The JSON report: the findings contract, sorted and byte-stable."""

from __future__ import annotations

import json
from typing import Any

from coherence.findings import Assessment


def assessment_dict(assessment: Assessment) -> dict[str, Any]:
    """The assessment as plain JSON data."""
    return assessment.model_dump(mode="json")


def render_json(assessments: list[Assessment]) -> str:
    """One assessment as an object, several as `{"assessments": [...]}`; keys sorted."""
    if len(assessments) == 1:
        body: Any = assessment_dict(assessments[0])
    else:
        body = {"assessments": [assessment_dict(a) for a in assessments]}
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
