"""What the CI formats say of a finding (SARIF, JUnit XML, GitHub workflow commands, and the
failing findings listed at the end of a CI log).

The three formats report the same findings, so they share how a finding is located in the
profile file, how the profile path is written, and the plain-language message that says what
is missing and what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePath

from coherence.assessment.gate import BaselineChange, FindingKey, change_of
from coherence.findings import Assessment, Finding, TraceEntry
from coherence.report.vocabulary import STATE_WORDS, STATUS_LABELS, value_words

#: Statuses that CI formats report as problems (waived findings are reported as suppressed).
REPORTED: tuple[str, ...] = ("gap", "partial", "insufficient_data")


def display_path(path: str, base: Path | None = None) -> str:
    """The profile path as CI tools want it: relative to `base` (default: the working
    directory) when the file lies under it, with forward slashes; otherwise as given."""
    root = (base if base is not None else Path.cwd()).resolve()
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return PurePath(path).as_posix()


def finding_line(finding: Finding) -> int:
    """The profile line a finding points at, always >= 1.

    The line of the deciding answer (of its parent section when the answer is missing, as
    the engine gives it). A derived fact has no line of its own: then the first answer read
    after it in the trace (the answers it is derived from), else any answer with a line, else
    line 1.
    """
    loc = finding.location
    if loc is not None and loc.line > 0:
        return loc.line
    start = 0
    if loc is not None:
        for index, entry in enumerate(finding.trace):
            if entry.path == loc.path:
                start = index + 1
                break
    for entry in [*finding.trace[start:], *finding.trace[:start]]:
        if entry.line > 0:
            return entry.line
    return 1


def _answer(entry: TraceEntry) -> str:
    if entry.state == "known":
        return value_words(entry.value)
    return STATE_WORDS.get(entry.state, STATE_WORDS["missing"])


def _states(finding: Finding) -> dict[str, str]:
    return {entry.path: entry.state for entry in finding.trace}


def describe(finding: Finding) -> str:
    """What the finding is and which answer decided it, in one or two plain sentences.

    E.g. `Gap: <title>. The profile answers rights.detention_last_resort = no (line 117).`
    """
    status = finding.status
    label = STATUS_LABELS[status]
    head = f"{label}: {finding.title}."
    line = finding_line(finding)
    if status == "waived" and finding.waiver is not None:
        w = finding.waiver
        underlying = STATUS_LABELS[w.underlying_status].lower()
        justification = w.justification.strip().rstrip(".")
        return (
            f"{head} Without the waiver: {underlying}. Justification: {justification} "
            f"(approved by {w.approved_by}, until {w.expires})."
        )
    if status == "insufficient_data":
        if not finding.missing:
            return f"{head} The profile's answers cannot decide it yet (line {line})."
        states = _states(finding)
        listed = ", ".join(
            f"{path} ({'missing' if states.get(path) == 'missing' else 'unknown'})"
            for path in finding.missing
        )
        them = "it" if len(finding.missing) == 1 else "them"
        # A missing answer of a section the profile lacks has no line (0): the annotation's
        # line is then another answer's, or line 1, which the message must not call its own.
        loc = finding.location
        at = "its section is not in the profile" if loc and loc.line == 0 else f"line {line}"
        return (
            f"{head} The profile does not answer {listed} yet ({at}). "
            f"Answer {them} to decide this rule."
        )
    loc = finding.location
    if loc is None:
        return f"{head} {finding.reason}"
    if loc.path.startswith("derived."):
        name = value_words(loc.path.removeprefix("derived."))
        return (
            f"{head} From the profile's answers, '{name}' is {_answer(loc)} "
            f"(see the answers from line {line})."
        )
    return f"{head} The profile answers {loc.path} = {_answer(loc)} (line {line})."


def finding_message(finding: Finding) -> str:
    """`describe` followed by the action to take for a gap or a partly met rule."""
    text = describe(finding)
    if finding.status in ("gap", "partial"):
        text += f" Action: {finding.recommendation}"
    return text


def change_words(change: BaselineChange | None, finding: Finding) -> str:
    """The change a finding made against the baseline (`new gap (high)`, `partial -> gap
    (high)`), or, without a baseline, its status and severity (`gap (high)`)."""
    if change is not None:
        return change.words()
    return f"{finding.status.replace('_', ' ')} ({finding.severity})"


def baseline_mark(change: BaselineChange | None) -> str:
    """How CI messages open for a finding compared with a baseline: `New since the
    baseline: `, `Worse than the baseline (partial -> gap): `, `Known in the baseline
    (unchanged): `, `Known in the baseline (was gap): `; empty without a baseline."""
    if change is None:
        return ""
    if change.worse:
        if change.before is None:
            return "New since the baseline: "
        before = change.before.replace("_", " ")
        return f"Worse than the baseline ({before} -> {change.after.replace('_', ' ')}): "
    if change.before == change.after:
        return "Known in the baseline (unchanged): "
    return f"Known in the baseline (was {(change.before or '').replace('_', ' ')}): "


FAILING_LIMIT = 50
"""Failing findings listed at the end of a CI log."""


def failing_lines(
    hits: list[tuple[Assessment, Finding]],
    changes: Mapping[FindingKey, BaselineChange] | None = None,
    *,
    limit: int = FAILING_LIMIT,
    base: Path | None = None,
) -> list[str]:
    """One line per failing finding, at most `limit`, for the end of a CI log:
    `  TRAFFIC-001 at profiles/x.yaml:23: new gap (high) - <title>`."""
    lines = []
    for assessment, finding in hits[:limit]:
        where = f"{display_path(assessment.profile.path, base)}:{finding_line(finding)}"
        words = change_words(change_of(changes, assessment, finding), finding)
        lines.append(f"  {finding.rule_id} at {where}: {words} - {finding.title}")
    return lines + more_failing(len(hits), limit)


def more_failing(count: int, limit: int = FAILING_LIMIT) -> list[str]:
    """The line that closes `failing_lines` when `count` findings fail, beyond the `limit`."""
    return [f"  ... and {count - limit} more (see the report)"] if count > limit else []
