"""Shared pieces of the CI formats (SARIF, JUnit XML, GitHub workflow commands).

The three formats report the same findings, so they share how a finding is located in the
profile file, how the profile path is written, and the plain-language message that says what
is missing and what to do.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any

from coherence.findings import Finding, TraceEntry

#: Statuses that CI formats report as problems (waived findings are reported as suppressed).
REPORTED: tuple[str, ...] = ("gap", "partial", "insufficient_data")

STATUS_LABELS = {
    "gap": "Gap",
    "partial": "Partly met",
    "insufficient_data": "Insufficient data",
    "met": "Met",
    "not_applicable": "Not applicable",
    "waived": "Waived",
}


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


def value_words(value: Any) -> str:
    """A profile value in words: `not_signed` -> `not signed`, a list -> `3 listed`."""
    if isinstance(value, (list, tuple)):
        return f"{len(value)} listed"
    return str(value).replace("_", " ")


def lines_words(lines: tuple[int, int]) -> str:
    """`line 7` or `lines 7-9`: where a quote stands in its source."""
    first, last = lines
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _answer(entry: TraceEntry) -> str:
    if entry.state == "known":
        return value_words(entry.value)
    if entry.state == "not_applicable":
        return "not applicable"
    if entry.state == "unknown":
        return "unknown"
    return "not answered"


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
        return (
            f"{head} The profile does not answer {listed} yet (line {line}). "
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
