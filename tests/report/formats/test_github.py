"""GitHub workflow commands: one annotation per finding to act on, properly escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coherence.findings import Assessment
from coherence.report.formats.github import render_github
from tests.report.ci_support import ROOT, answered_key_on_line, assess_examples, profile_lines

COMMAND = re.compile(
    r"^::(?P<level>error|warning|notice) "
    r"file=(?P<file>[^,:]+),line=(?P<line>[1-9]\d*),title=(?P<title>[^,:]+)::(?P<message>.+)$"
)
REPORTED = ("gap", "partial", "insufficient_data")


@pytest.fixture(scope="module")
def assessments() -> list[Assessment]:
    return assess_examples()


@pytest.fixture(scope="module")
def output(assessments: list[Assessment]) -> str:
    return render_github(assessments, base=ROOT)


def _parsed(output: str) -> list[re.Match[str]]:
    lines = output.splitlines()
    matches = [COMMAND.match(line) for line in lines]
    assert all(matches), [line for line, m in zip(lines, matches, strict=True) if not m][:3]
    return matches  # type: ignore[return-value]


def test_one_command_per_finding_to_report(assessments: list[Assessment], output: str) -> None:
    assert output.endswith("\n")
    expected = [
        (Path(a.profile.path).relative_to(ROOT).as_posix(), f.rule_id)
        for a in assessments
        for f in sorted(a.findings, key=lambda f: f.rule_id)
        if f.status in REPORTED
    ]
    got = [(m["file"], m["title"].split(" ", 1)[0]) for m in _parsed(output)]
    assert got == expected


def test_levels_lines_and_messages(assessments: list[Assessment], output: str) -> None:
    commands = {(m["file"], m["title"].split(" ", 1)[0]): m for m in _parsed(output)}
    levels = set()
    for a in assessments:
        name = Path(a.profile.path).relative_to(ROOT).as_posix()
        lines = profile_lines(a)
        for f in a.findings:
            m = commands.get((name, f.rule_id))
            if f.status not in REPORTED:
                assert m is None
                continue
            expected = {
                "gap": "error" if f.severity == "high" else "warning",
                "partial": "warning",
                "insufficient_data": "notice",
            }[f.status]
            assert m["level"] == expected
            levels.add((f.status, m["level"]))
            line = int(m["line"])
            assert answered_key_on_line(f, line, lines)
            assert m["title"] == f"{f.rule_id} {f.title}".replace(",", "%2C").replace(":", "%3A")
            if f.status == "gap":
                assert m["message"].startswith(f"Gap: {f.title}.")
                assert f"line {line})" in m["message"]
    assert levels >= {
        ("gap", "error"),
        ("gap", "warning"),
        ("partial", "warning"),
        ("insufficient_data", "notice"),
    }


def test_escaping(assessments: list[Assessment]) -> None:
    # The first example with a high-severity gap (the destination example has none since the
    # second citation pass retired RIGHTS-012 and RIGHTS-018).
    a, gap = next(
        (a, f)
        for a in assessments
        for f in a.findings
        if f.status == "gap" and f.severity == "high"
    )
    odd = gap.model_copy(
        update={
            "title": "Fees: cut, then review",
            "recommendation": "Cut fees by 50%\r\nthen review.",
        }
    )
    weird = a.model_copy(
        update={
            "findings": [odd],
            "profile": a.profile.model_copy(update={"path": "odd:dir,x/profile.yaml"}),
        }
    )
    out = render_github([weird], base=Path.cwd())
    assert out.count("\n") == 1  # one command, its own newlines escaped
    (line,) = out.splitlines()
    assert line.startswith("::error file=odd%3Adir%2Cx/profile.yaml,line=")
    assert f",title={gap.rule_id} Fees%3A cut%2C then review::" in line
    message = line.split("::", 2)[2]
    assert "Cut fees by 50%25%0D%0Athen review." in message
    assert "\r" not in message
    assert "%" not in message.replace("%25", "").replace("%0D", "").replace("%0A", "")


def test_deterministic_and_empty(assessments: list[Assessment], output: str) -> None:
    assert render_github(assess_examples(), base=ROOT) == output
    assert render_github([]) == ""
    quiet = assessments[0].model_copy(
        update={"findings": [f for f in assessments[0].findings if f.status == "met"]}
    )
    assert render_github([quiet]) == ""
