"""Failing on purpose: `--fail-on` thresholds and `--baseline` for CI.

`--fail-on STATUS[:SEVERITY]` (repeatable) names what should fail the run: a status (`gap`,
`partial`, `insufficient_data`) optionally limited to a minimum severity (`gap:high` = gaps of
high severity; `gap:medium` = gaps of medium or high severity). A bare severity (`high`) means
gaps of at least that severity. With a baseline, a finding fails only if it is new or worse
than the status recorded for the same profile and rule.

`compare_baseline` says, for every finding, how it stands against the baseline (SARIF's
`baselineState`: `new`, `updated` or `unchanged`, and whether it is new or worse); the
CI renderers take that comparison as data.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from coherence.findings import STATUSES, Assessment, Finding
from coherence.wording import series

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
# Statuses that are a problem to report (a SARIF result): a finding whose baseline status is
# none of these was not a result in the baseline, so it is `new` there.
PROBLEM_STATUSES = ("gap", "partial", "insufficient_data", "waived")


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


def baseline_entry(assessment: Assessment) -> tuple[str, dict[str, Any]]:
    """One profile's entry in a baseline: its `profile_key`, country, date and statuses."""
    a = assessment
    return profile_key(a), {
        "country": a.profile.country,
        "as_of": a.profile.as_of.isoformat(),
        "findings": {f.rule_id: f.status for f in sorted(a.findings, key=lambda f: f.rule_id)},
    }


def baseline_of(entries: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The baseline of `baseline_entry`s, given in the order of their profiles (of one
    path given twice, the later entry is kept)."""
    profiles = dict(sorted(entries, key=lambda entry: entry[0]))
    return {"format_version": BASELINE_VERSION, "tool": "coherence", "profiles": profiles}


def build_baseline(assessments: Iterable[Assessment]) -> dict[str, Any]:
    """Today's statuses, keyed by profile path, with the country and each rule id."""
    return baseline_of(baseline_entry(a) for a in assessments)


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
    from coherence.textinput import read_limited

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
    for key, entry in data["profiles"].items():
        for rule, status in entry["findings"].items():
            if status not in STATUSES:
                meant = status.strip().lower().replace("-", "_")
                hint = f" (did you mean {meant!r}?)" if meant in STATUSES else ""
                raise ValueError(
                    f"{path}: profile {key}, rule {rule}: {status!r} is not a status{hint}; a "
                    f"baseline records {series(STATUSES)} (remake it with `coherence "
                    "baseline` rather than edit it by hand)"
                )
    return data


def baseline_status(
    baseline: dict[str, Any] | None, assessment: Assessment, rule_id: str
) -> str | None:
    """The status recorded for this profile (matched by path, and by country) and rule."""
    if baseline is None:
        return None
    entry = baseline_entry_for(baseline, assessment)
    return None if entry is None else entry["findings"].get(rule_id)


def _normal(key: str) -> str:
    return posixpath.normpath(key.replace("\\", "/"))


def baseline_entry_for(baseline: dict[str, Any], assessment: Assessment) -> dict[str, Any] | None:
    """The baseline's entry for this profile: the one recorded under its path (`./a.yaml`
    and `a.yaml` are one path); else, as when CI runs from another folder or with absolute
    paths, the only entry of its country and date, or the only entry of its country. None
    when there is no such entry, or several that could be it."""
    profiles: dict[str, Any] = baseline["profiles"]
    country = assessment.profile.country
    entry = profiles.get(profile_key(assessment))
    if entry is not None:
        return entry if entry.get("country") == country else None
    index = baseline.get(_INDEX)
    if index is None:  # built once per baseline (a plain dict, read and never written back)
        index = baseline[_INDEX] = {"paths": {}, "dated": {}, "countries": {}}
        for key, e in profiles.items():
            index["paths"].setdefault(_normal(key), []).append(e)
            index["dated"].setdefault((e.get("country"), e.get("as_of")), []).append(e)
            index["countries"].setdefault(e.get("country"), []).append(e)
    for table, key in (
        ("paths", _normal(profile_key(assessment))),
        ("dated", (country, assessment.profile.as_of.isoformat())),
        ("countries", country),
    ):
        found = [e for e in index[table].get(key, []) if e.get("country") == country]
        if len(found) == 1:
            return found[0]
        if found:
            return None  # ambiguous: better "new" than another profile's statuses
    return None


_INDEX: Any = ("index",)
"""Where a loaded baseline keeps its lookup tables: a key no JSON file can hold."""


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
            if baseline is not None and not baseline_change(baseline, a, f).worse:
                continue
            found.append((a, f))
    return found


BaselineState = Literal["new", "updated", "unchanged"]
FindingKey = tuple[str, str, str]
"""(profile path as a baseline names it, country, rule id): one finding of one run."""


@dataclass(frozen=True)
class BaselineChange:
    """How one finding stands against the baseline.

    `state` is SARIF's `baselineState`: `new` when the baseline did not record it as a
    problem (no entry, or met, not applicable), `unchanged` when the baseline recorded the
    same status, `updated` when it recorded another problem status. `worse` is what the gate
    counts: not in the baseline at all, or a worse status than recorded (`BADNESS`).
    """

    state: BaselineState
    before: str | None
    """The status the baseline recorded, or None when it has no entry for the finding."""
    after: str
    severity: str
    worse: bool

    def words(self) -> str:
        """`new gap (high)`, `partial -> gap (high)`, `gap (high), unchanged`, ..."""
        after = f"{self.after.replace('_', ' ')} ({self.severity})"
        if self.before is None:
            return f"new {after}"
        if self.before == self.after:
            return f"{after}, unchanged"
        return f"{self.before.replace('_', ' ')} -> {after}"


def finding_key(assessment: Assessment, finding: Finding) -> FindingKey:
    """The key of a finding in a `compare_baseline` mapping."""
    return (profile_key(assessment), assessment.profile.country, finding.rule_id)


def baseline_change(
    baseline: dict[str, Any], assessment: Assessment, finding: Finding
) -> BaselineChange:
    """How `finding` (of `assessment`) stands against `baseline`."""
    before = baseline_status(baseline, assessment, finding.rule_id)
    after = finding.status
    if before is None or before not in PROBLEM_STATUSES:
        state: BaselineState = "new"
    elif before == after:
        state = "unchanged"
    else:
        state = "updated"
    worse = before is None or BADNESS.get(after, 0) > BADNESS.get(before, 0)
    return BaselineChange(state, before, after, finding.severity, worse)


def compare_baseline(
    assessments: list[Assessment], baseline: dict[str, Any]
) -> dict[FindingKey, BaselineChange]:
    """Every finding of every assessment against the baseline, by `finding_key`."""
    return {
        finding_key(a, f): baseline_change(baseline, a, f) for a in assessments for f in a.findings
    }


def change_of(
    changes: Mapping[FindingKey, BaselineChange] | None, assessment: Assessment, finding: Finding
) -> BaselineChange | None:
    """The finding's change in `changes`, or None without a baseline."""
    if changes is None:
        return None
    return changes.get(finding_key(assessment, finding))


def keep_findings(assessments: list[Assessment], keys: Collection[FindingKey]) -> list[Assessment]:
    """Copies of the assessments holding only the findings whose `finding_key` is in `keys`
    (`check --only-failing`); scores and everything else unchanged."""
    return [
        a.model_copy(update={"findings": [f for f in a.findings if finding_key(a, f) in keys]})
        for a in assessments
    ]


def listed_rules(assessment: Assessment, keys: Collection[FindingKey] | None) -> set[str] | None:
    """The rule ids of `assessment`'s findings whose key is in `keys`; None for no limit."""
    if keys is None:
        return None
    return {f.rule_id for f in assessment.findings if finding_key(assessment, f) in keys}
