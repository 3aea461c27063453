"""Failing on purpose: `--fail-on` thresholds and `--baseline` for CI.

`--fail-on STATUS[:SEVERITY]` (repeatable) names what should fail the run: a status that is a
threshold like the severity, from the worst (`gap`) through `partial` (partly met or a gap) to
`insufficient_data` (undecided, partly met or a gap), optionally limited to a minimum severity
(`gap:high` = gaps of high severity; `partial:medium` = gaps and partly met rules of medium or
high severity). A bare severity (`high`) means gaps of at least that severity. With a
baseline, a finding fails only if it is new or worse than the status recorded for the same
profile and rule.

`compare_baseline` says, for every finding, how it stands against the baseline (SARIF's
`baselineState`: `new`, `updated` or `unchanged`, and whether it is new or worse); the
CI renderers take that comparison as data.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

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
        """Does the finding reach this threshold? A status is reached by itself and by every
        worse status (`--fail-on partial` fails on a gap too), as a severity is."""
        return BADNESS.get(finding.status, 0) >= BADNESS[self.status] and (
            SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[self.min_severity]
        )


def parse_threshold(text: str) -> Threshold:
    """Parse `gap`, `gap:high`, `insufficient_data`, `high` ..."""
    value = text.strip().lower().replace("-", "_")
    status, colon, severity = value.partition(":")
    if colon and not severity:  # `gap:$SEVERITY` with the variable unset
        raise ThresholdError(
            f"--fail-on {text!r}: the severity after ':' is empty; write high, medium or low "
            f"after it, or leave out the ':'"
        )
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


def _baseline_problem(data: Any) -> tuple[str, tuple[str, ...]] | None:
    """What keeps `data` from being the baseline `build_baseline` writes, in plain words, with
    the keys that lead to it (to find its line); None when it is one."""
    if not isinstance(data, dict):
        return "it is not a JSON object", ()
    version = data.get("format_version")
    if type(version) is not int or version != BASELINE_VERSION:
        said = "no format_version" if version is None else f"format_version {json.dumps(version)}"
        newer = " (made by a newer coherence?)" if type(version) is int and version > 1 else ""
        return f"it has {said}{newer}; this coherence reads baseline format {BASELINE_VERSION}", (
            "format_version",
        )
    profiles = data.get("profiles")
    if not isinstance(profiles, dict):
        return "'profiles' is missing or is not an object of profiles by path", ("profiles",)
    for key, entry in profiles.items():
        where = ("profiles", key)
        if not isinstance(entry, dict):
            return f"the entry for {key!r} is not an object", where
        if not isinstance(entry.get("country", ""), str):
            return f"the country of {key!r} is not a country code", (*where, "country")
        findings = entry.get("findings")
        if not isinstance(findings, dict):
            return f"the entry for {key!r} has no 'findings' object", where
        for rule_id, status in findings.items():
            if status not in BASELINE_STATUSES:
                meant = str(status).strip().lower().replace("-", "_")
                hint = f" (did you mean {meant!r}?)" if meant in BASELINE_STATUSES else ""
                return (
                    f"{key!r}: rule {rule_id} has the status {json.dumps(status)}{hint}; "
                    f"expected one of {', '.join(BASELINE_STATUSES)}",
                    (*where, "findings", rule_id),
                )
    return None


BASELINE_STATUSES = tuple(BADNESS)
"""The statuses a baseline records: every status a finding can have."""


def _line_of(text: str, keys: tuple[str, ...]) -> int | None:
    """The line of the last of `keys`, found one after another as JSON object keys (a
    baseline is written one key a line); None when they cannot be found so."""
    at = 0
    for key in keys:
        found = re.compile(re.escape(json.dumps(key)) + r"\s*:").search(text, at)
        if found is None:
            return None
        at = found.start()
    return text.count("\n", 0, at) + 1 if keys else None


class _TwiceError(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key written twice (two entries of one profile merged by
    hand: JSON keeps the last one, and the first one's findings are lost without a word)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _TwiceError(key)
        found[key] = value
    return found


def _line_of_second(text: str, key: str) -> int | None:
    """The line of the second `"key":` in `text` (None if not found so)."""
    seen = re.compile(re.escape(json.dumps(key)) + r"\s*:").finditer(text)
    second = next(seen, None) and next(seen, None)
    return text.count("\n", 0, second.start()) + 1 if second else None


def load_baseline(path: Path) -> dict[str, Any]:
    """Read a baseline file; raises `ValueError` with a plain message if it is not one.

    Only a regular file is read (not a FIFO or `/dev/zero`), within `BASELINE_MAX_BYTES`
    counted as read; JSON of any other shape, or nested too deep to parse, is refused.
    """
    from coherence.diagnostics import InputError
    from coherence.textinput import read_limited

    not_one = f"{path}: not a coherence baseline (make one with `coherence baseline`)"
    try:
        # A byte-order mark is what Notepad and some editors put before UTF-8 text.
        text = read_limited(path, BASELINE_MAX_BYTES).decode("utf-8").removeprefix("\ufeff")
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _TwiceError as exc:
        line = _line_of_second(text, exc.key)
        raise ValueError(
            f"{path}{f':{line}' if line else ''}: not a coherence baseline: {exc.key!r} is "
            "written twice in one object, and JSON would silently keep only the last one "
            "(make one with `coherence baseline`)"
        ) from None
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
    problem = _baseline_problem(data)
    if problem is not None:
        words, keys = problem
        line = _line_of(text, keys)
        raise ValueError(
            f"{path}{f':{line}' if line else ''}: not a coherence baseline: {words} (make one "
            "with `coherence baseline`)"
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


def baseline_other_country(baseline: dict[str, Any], assessment: Assessment) -> str | None:
    """A warning when the baseline has an entry at this profile's path, but of another country,
    and so none for the profile: its findings then all count as new. None otherwise."""
    if baseline_entry_for(baseline, assessment) is not None:
        return None
    key = _normal(profile_key(assessment))
    others = sorted(
        {
            str(e.get("country"))
            for path, e in baseline["profiles"].items()
            if _normal(path) == key and e.get("country") != assessment.profile.country
        }
    )
    if not others:
        return None
    return (
        f"{assessment.profile.path}: the baseline's entry for this file is of {', '.join(others)}, "
        f"but the profile is of {assessment.profile.country}: none of its findings are compared "
        "with the baseline (all count as new)"
    )


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
