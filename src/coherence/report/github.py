"""GitHub Actions workflow commands: one annotation per finding that needs attention.

* gap of high severity: `::error`;
* gap of medium or low severity, and partly met rules: `::warning`;
* insufficient data: `::notice` (a question to answer, not a failure).

Met, not applicable and waived rules give no annotation. Escaping (`%`, CR and LF in the
message; also `:` and `,` in the file and title properties) is that of
`coherence.report.diagnostics.github_command`.
"""

from __future__ import annotations

from pathlib import Path

from coherence.findings import Assessment, Finding
from coherence.report.ci import REPORTED, display_path, finding_line, finding_message
from coherence.report.diagnostics import github_command


def github_level(finding: Finding) -> str:
    """`error`, `warning` or `notice` for a gap, partly met or undecided finding."""
    if finding.status == "gap":
        return "error" if finding.severity == "high" else "warning"
    if finding.status == "partial":
        return "warning"
    return "notice"


def render_github(assessments: list[Assessment], *, base: Path | None = None) -> str:
    """One workflow command per gap, partly met or insufficient-data finding.

    `file=` is the profile path relative to `base` (default: the working directory) when the
    file lies under it. Annotations follow the order of the assessments, then rule ids.
    """
    lines = []
    for assessment in assessments:
        path = display_path(assessment.profile.path, base)
        for finding in sorted(assessment.findings, key=lambda f: f.rule_id):
            if finding.status not in REPORTED:
                continue
            lines.append(
                github_command(
                    github_level(finding),
                    finding_message(finding),
                    file=path,
                    line=finding_line(finding),
                    title=f"{finding.rule_id} {finding.title}",
                )
            )
    return "\n".join(lines) + ("\n" if lines else "")
