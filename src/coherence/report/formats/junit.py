"""JUnit XML output, for CI systems that show test reports (GitLab, Jenkins, Azure, ...).

One `<testsuite>` per profile, one `<testcase>` per rule (classname = theme, name =
`RULE-ID title`). Statuses map to JUnit outcomes as follows:

* met: the test passes.
* gap: `<failure type="gap">`.
* partial: `<failure type="partial">` as well. A partly met rule is not compliant: the
  recommendation still asks for action, so a CI gate must not show it as green.
* insufficient_data: `<skipped message="insufficient data: ...">`, not `<error>`. In JUnit an
  error means the test itself broke (here: the tool); an unanswered question is not a tool
  error but a test that could not be run, which is what skipped means. The message lists
  the answers to give.
* not_applicable: `<skipped message="not applicable">`.
* waived: `<skipped message="waived: <justification>">`.

With a baseline (`check --baseline`), the outcome does not change (a gap is still a failure:
the gap is still there), but the failure `message` opens with what the baseline says:
`New since the baseline: `, `Worse than the baseline (partial -> gap): ` or `Known in the
baseline (unchanged): `, so the new failures stand out in the test report; `check
--only-failing` leaves out every test case but the failing ones.

`errors` is therefore always 0. The output has no timestamps or timings, so the same
assessments always give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from coherence.assessment.gate import BaselineChange, FindingKey, change_of
from coherence.findings import Assessment, Finding
from coherence.report.formats import GapOptions
from coherence.report.formats.pieces import pack, unpack
from coherence.report.views.ci import (
    baseline_mark,
    describe,
    display_path,
    finding_line,
    finding_message,
)
from coherence.report.vocabulary import STATUS_WORDS, lines_words

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    """Replace characters that XML 1.0 cannot carry at all (ElementTree escapes the rest)."""
    return _NOT_XML.sub("\ufffd", text)


def _details(finding: Finding, path: str) -> str:
    lines = [
        finding_message(finding),
        "",
        f"Location: {path}:{finding_line(finding)}",
        f"Severity: {finding.severity}",
        f"Reason: {finding.reason}",
    ]
    if finding.citations:
        lines += ["", "Sources:"]
        for c in finding.citations:
            lines.append(f'- "{c.quote}" ({c.title}, {c.section}, {lines_words(c.lines)})')
    return "\n".join(lines)


def _testcase(finding: Finding, path: str, change: BaselineChange | None = None) -> ET.Element:
    case = ET.Element(
        "testcase",
        {"classname": finding.theme, "name": _clean(f"{finding.rule_id} {finding.title}")},
    )
    status = finding.status
    if status in ("gap", "partial"):
        failure = ET.SubElement(
            case,
            "failure",
            {"message": _clean(baseline_mark(change) + describe(finding)), "type": status},
        )
        failure.text = _clean(_details(finding, path))
    elif status == "insufficient_data":
        needed = ", ".join(finding.missing) or "the answers this rule reads"
        skipped = ET.SubElement(
            case, "skipped", {"message": _clean(f"{STATUS_WORDS['insufficient_data']}: {needed}")}
        )
        skipped.text = _clean(describe(finding))
    elif status == "not_applicable":
        skipped = ET.SubElement(case, "skipped", {"message": STATUS_WORDS["not_applicable"]})
        skipped.text = _clean(finding.reason)
    elif status == "waived":
        why = finding.waiver.justification if finding.waiver else finding.reason
        skipped = ET.SubElement(case, "skipped", {"message": _clean(f"waived: {why}")})
        skipped.text = _clean(describe(finding))
    return case


def _counts(findings: list[Finding]) -> dict[str, int]:
    by_status = Counter(f.status for f in findings)
    return {
        "tests": len(findings),
        "failures": by_status["gap"] + by_status["partial"],
        "errors": 0,
        "skipped": by_status["insufficient_data"]
        + by_status["not_applicable"]
        + by_status["waived"],
    }


def _set_counts(element: ET.Element, counts: dict[str, int]) -> None:
    for key in ("tests", "failures", "errors", "skipped"):
        element.set(key, str(counts[key]))


JunitSuite = tuple[tuple[str, str], dict[str, int], bytes]
"""One profile's `<testsuite>`: its sort key (path, country), its counts and its XML text as
it stands in the document (indented one level, `coherence.report.formats.pieces.pack`ed)."""

_SUITE_INDENT = "\n  "
"""What stands before each `<testsuite>` of the document (`ET.indent` with two spaces)."""


def junit_suite(
    assessment: Assessment,
    *,
    base: Path | None = None,
    changes: Mapping[FindingKey, BaselineChange] | None = None,
) -> JunitSuite:
    """One assessment's test suite (see `render_junit`), written apart from the document so
    that a check of many profiles keeps this text, not the assessments or their elements."""
    path = display_path(assessment.profile.path, base)
    findings = sorted(assessment.findings, key=lambda f: f.rule_id)
    counts = _counts(findings)
    suite = ET.Element("testsuite", {"name": _clean(path)})
    _set_counts(suite, counts)
    props = ET.SubElement(suite, "properties")
    p = assessment.profile
    for name, value in (
        ("country", p.country),
        ("country_name", p.country_name),
        ("as_of", p.as_of.isoformat()),
        ("catalogue_version", assessment.catalogue_version),
        ("tool_version", assessment.tool_version),
    ):
        ET.SubElement(props, "property", {"name": name, "value": _clean(value)})
    for finding in findings:
        suite.append(_testcase(finding, path, change_of(changes, assessment, finding)))
    ET.indent(suite, space="  ", level=1)  # as `ET.indent` of the whole document indents it
    return (path, p.country), counts, pack(ET.tostring(suite, encoding="unicode"))


def junit_chunks(suites: Sequence[JunitSuite]) -> Iterator[str]:
    """The JUnit XML of the suites, sorted by path then country (see `render_junit`), one
    suite's text at a time: the document `ET.indent` and `ET.tostring` would write of them
    all, without holding them all (`suites` may be on disk, `coherence.cli.spool`)."""
    keys: list[tuple[tuple[str, str], int]] = []
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for i, (key, counts, _) in enumerate(suites):
        keys.append((key, i))
        for name in total:
            total[name] += counts[name]
    root = ET.Element("testsuites", {"name": "coherence"})
    _set_counts(root, total)
    if not keys:
        yield XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
        return
    root.text = _SUITE_INDENT
    head = ET.tostring(root, encoding="unicode").removesuffix("</testsuites>")
    keys.sort(key=lambda item: item[0])  # stable: profiles of one key stay in input order
    for n, (_, i) in enumerate(keys):
        yield (XML_DECLARATION + head if n == 0 else _SUITE_INDENT) + unpack(suites[i][2])
    yield "\n</testsuites>\n"


def render_junit(
    assessments: Iterable[Assessment],
    *,
    base: Path | None = None,
    changes: Mapping[FindingKey, BaselineChange] | None = None,
) -> str:
    """JUnit XML (with an XML declaration) of the assessments: one suite per profile.

    Suite names are the profile paths, relative to `base` (default: the working directory)
    when the file lies under it; suites are sorted by that name, test cases by rule id.
    `changes` (from `coherence.assessment.gate.compare_baseline`) marks failure messages.
    """
    return "".join(junit_chunks([junit_suite(a, base=base, changes=changes) for a in assessments]))


# ---------------------------------------------------------------- the registry's entry points


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> str:
    """The JUnit XML of every assessment."""
    return render_junit(options.kept(assessments), changes=options.changes)


def gap_piece(assessment: Assessment, options: GapOptions) -> JunitSuite:
    """One profile's test suite."""
    (kept,) = options.kept([assessment])
    return junit_suite(kept, changes=options.changes)


def gap_document(pieces: Sequence[JunitSuite], options: GapOptions) -> Iterator[str]:
    """The test suites as one document, written suite by suite."""
    return junit_chunks(pieces)
