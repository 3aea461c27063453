"""Failing on purpose: `--fail-on` thresholds and `--baseline` for CI.

`--fail-on STATUS[:SEVERITY]` (repeatable) names what should fail the run: a status (`gap`,
`partial`, `insufficient_data`) optionally limited to a minimum severity (`gap:high` = gaps of
high severity; `gap:medium` = gaps of medium or high severity). A bare severity (`high`) means
gaps of at least that severity. With a baseline, a finding fails only if it is new or worse
than the status recorded for the same profile and rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coherence.findings import Assessment, Finding

FAILING_STATUSES = ("gap", "partial", "insufficient_data")
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
# How bad a status is, for "new or worse than the baseline".
BADNESS = {
    "met": 0,
    "not_applicable": 0,
    "waived": 0,
    "insufficient_data": 1,
    "partial": 2,
    "gap": 3,
}
BASELINE_VERSION = 1


class ThresholdError(ValueError):
    """A `--fail-on` value that cannot be understood."""


@dataclass(frozen=True)
class Threshold:
    """One `--fail-on` term."""

    status: str
    min_severity: str = "low"

    def matches(self, finding: Finding) -> bool:
        """Does the finding reach this threshold?"""
        return finding.status == self.status and (
            SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[self.min_severity]
        )


def parse_threshold(text: str) -> Threshold:
    """Parse `gap`, `gap:high`, `insufficient_data`, `high` ..."""
    value = text.strip().lower().replace("-", "_")
    status, _, severity = value.partition(":")
    if status in SEVERITY_RANK and not severity:
        return Threshold("gap", status)
    if status not in FAILING_STATUSES:
        raise ThresholdError(
            f"--fail-on {text!r}: expected STATUS[:SEVERITY] with STATUS one of "
            f"{', '.join(FAILING_STATUSES)} and SEVERITY one of high, medium, low"
        )
    if severity and severity not in SEVERITY_RANK:
        raise ThresholdError(f"--fail-on {text!r}: unknown severity {severity!r}")
    return Threshold(status, severity or "low")


def profile_key(assessment: Assessment) -> str:
    """How a baseline names a profile: its path as given, with forward slashes."""
    return assessment.profile.path.replace("\\", "/")


def build_baseline(assessments: list[Assessment]) -> dict[str, Any]:
    """Today's statuses, keyed by profile path, with the country and each rule id."""
    profiles = {}
    for a in sorted(assessments, key=profile_key):
        profiles[profile_key(a)] = {
            "country": a.profile.country,
            "as_of": a.profile.as_of.isoformat(),
            "findings": {f.rule_id: f.status for f in sorted(a.findings, key=lambda f: f.rule_id)},
        }
    return {"format_version": BASELINE_VERSION, "tool": "coherence", "profiles": profiles}


def dumps_baseline(baseline: dict[str, Any]) -> str:
    """Stable, readable JSON (sorted keys, one finding per line)."""
    return json.dumps(baseline, indent=2, sort_keys=True) + "\n"


def load_baseline(path: Path) -> dict[str, Any]:
    """Read a baseline file; raises `ValueError` with a plain message if it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path}:{exc.lineno}:{exc.colno}: the baseline is not valid JSON: {exc.msg}"
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("format_version") != BASELINE_VERSION
        or "profiles" not in data
    ):
        raise ValueError(f"{path}: not a coherence baseline (make one with `coherence baseline`)")
    return data


def baseline_status(
    baseline: dict[str, Any] | None, assessment: Assessment, rule_id: str
) -> str | None:
    """The status recorded for this profile (matched by path, and by country) and rule."""
    if baseline is None:
        return None
    entry = baseline["profiles"].get(profile_key(assessment))
    if entry is None or entry.get("country") != assessment.profile.country:
        return None
    return entry["findings"].get(rule_id)


def failing(
    assessments: list[Assessment],
    thresholds: list[Threshold],
    baseline: dict[str, Any] | None = None,
) -> list[tuple[Assessment, Finding]]:
    """Findings at or above a threshold, minus those no worse than the baseline."""
    found = []
    for a in assessments:
        for f in a.findings:
            if not any(t.matches(f) for t in thresholds):
                continue
            before = baseline_status(baseline, a, f.rule_id)
            if before is not None and BADNESS[f.status] <= BADNESS.get(before, 0):
                continue
            found.append((a, f))
    return found
