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


BASELINE_MAX_BYTES = 64 * 1024 * 1024
"""Largest baseline read (about 200,000 profiles of 30 findings)."""


def _baseline_shape_ok(data: Any) -> bool:
    """The shape `build_baseline` writes: profiles by path, each a country and findings."""
    if not isinstance(data, dict) or data.get("format_version") != BASELINE_VERSION:
        return False
    profiles = data.get("profiles")
    if not isinstance(profiles, dict):
        return False
    for key, entry in profiles.items():
        if not isinstance(key, str) or not isinstance(entry, dict):
            return False
        if not isinstance(entry.get("country", ""), str):
            return False
        findings = entry.get("findings")
        if not isinstance(findings, dict):
            return False
        if not all(isinstance(v, str) for v in findings.values()):
            return False
    return True


def load_baseline(path: Path) -> dict[str, Any]:
    """Read a baseline file; raises `ValueError` with a plain message if it is not one.

    Only a regular file is read (not a FIFO or `/dev/zero`), within `BASELINE_MAX_BYTES`
    counted as read; JSON of any other shape, or nested too deep to parse, is refused.
    """
    from coherence.diagnostics import InputError
    from coherence.yamlsource import read_limited

    not_one = f"{path}: not a coherence baseline (make one with `coherence baseline`)"
    try:
        data = json.loads(read_limited(path, BASELINE_MAX_BYTES).decode("utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except InputError as exc:
        raise ValueError(f"{path}: {exc.diagnostics[0].message}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: cannot read the baseline: it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path}:{exc.lineno}:{exc.colno}: the baseline is not valid JSON: {exc.msg}"
        ) from None
    except (ValueError, RecursionError):  # numbers too long, nesting too deep
        raise ValueError(not_one) from None
    if not _baseline_shape_ok(data):
        raise ValueError(not_one)
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
