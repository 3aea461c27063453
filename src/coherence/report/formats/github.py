"""GitHub Actions workflow commands: one annotation per finding that needs attention.

* gap of high severity: `::error`;
* gap of medium or low severity, and partly met rules: `::warning`;
* insufficient data: `::notice` (a question to answer, not a failure).

Met, not applicable and waived rules give no annotation.

With a baseline (`check --baseline`), only findings new or worse than the baseline keep
their `::error` / `::warning` level, their message opening with `New since the baseline:`
or `Worse than the baseline (partial -> gap):`; findings already known in the baseline
(unchanged or better) become `::notice`, opening with `Known in the baseline ...`, so the
pull request shows what it broke. (`check --only-failing` leaves them out altogether.)

Escaping (`%`, CR and LF in the message; also `:` and `,` in the file and title
properties) is that of `coherence.report.diagnostics.github_command`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from coherence.assessment.gate import BaselineChange, FindingKey, change_of
from coherence.findings import Assessment, Finding
from coherence.report.diagnostics import github_command
from coherence.report.formats import GapOptions
from coherence.report.formats.pieces import joined, pack
from coherence.report.views.ci import (
    REPORTED,
    baseline_mark,
    display_path,
    finding_line,
    finding_message,
)


def github_level(finding: Finding, change: BaselineChange | None = None) -> str:
    """`error`, `warning` or `notice` for a gap, partly met or undecided finding; `notice`
    for one no worse than the baseline."""
    if change is not None and not change.worse:
        return "notice"
    if finding.status == "gap":
        return "error" if finding.severity == "high" else "warning"
    if finding.status == "partial":
        return "warning"
    return "notice"


def render_github(
    assessments: list[Assessment],
    *,
    base: Path | None = None,
    changes: Mapping[FindingKey, BaselineChange] | None = None,
) -> str:
    """One workflow command per gap, partly met or insufficient-data finding.

    `file=` is the profile path relative to `base` (default: the working directory) when the
    file lies under it. Annotations follow the order of the assessments, then rule ids.
    `changes` (from `coherence.assessment.gate.compare_baseline`) marks and levels each
    finding against the baseline.
    """
    lines = []
    for assessment in assessments:
        path = display_path(assessment.profile.path, base)
        for finding in sorted(assessment.findings, key=lambda f: f.rule_id):
            if finding.status not in REPORTED:
                continue
            change = change_of(changes, assessment, finding)
            lines.append(
                github_command(
                    github_level(finding, change),
                    baseline_mark(change) + finding_message(finding),
                    file=path,
                    line=finding_line(finding),
                    title=f"{finding.rule_id} {finding.title}",
                )
            )
    return "\n".join(lines) + ("\n" if lines else "")


# ---------------------------------------------------------------- the registry's entry points


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> str:
    """The workflow commands of every assessment."""
    return render_github(options.kept(assessments), changes=options.changes)


def gap_piece(assessment: Assessment, options: GapOptions) -> bytes:
    """One profile's workflow commands, compressed."""
    return pack(render_gap([assessment], options))


def gap_document(pieces: Sequence[bytes], options: GapOptions) -> Iterator[str]:
    """The workflow commands of every profile."""
    return joined(pieces)
