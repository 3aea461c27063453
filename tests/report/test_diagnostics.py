"""Diagnostics rendered for people (text) and for CI logs (GitHub annotations): control
characters from file names, keys and values are shown, never obeyed (issue 12 §3.18)."""

from __future__ import annotations

from coherence.diagnostics import Diagnostic
from coherence.report.diagnostics import render_github, render_text

HOSTILE = Diagnostic(
    "dir/\x1b[2Jp.yaml",
    3,
    5,
    "extra_forbidden",
    "unknown field 'x\x1b]0;pwned\x07\x9b31m'",
    "rights.x\x1b]0;pwned\x07",
)


def _clean(text: str) -> None:
    for char in ("\x1b", "\x07", "\x9b"):
        assert char not in text


def test_text_shows_control_characters() -> None:
    text = render_text([HOSTILE])
    _clean(text)
    assert text == (
        r"dir/\x1b[2Jp.yaml:3:5: error[extra_forbidden] rights.x\x1b]0;pwned\x07: "
        r"unknown field 'x\x1b]0;pwned\x07\x9b31m'" + "\n"
    )


def test_github_annotations_show_control_characters() -> None:
    text = render_github([HOSTILE])
    _clean(text)
    assert text.startswith(r"::error file=dir/\x1b[2Jp.yaml,line=3,col=5")
    assert text.count("\n") == 1


def test_one_problem_is_one_line_whatever_the_file_name_holds() -> None:
    """A newline in a file name once split a `file:line:col` line in two."""
    from coherence.diagnostics import Diagnostic
    from coherence.report.diagnostics import render_text

    text = render_text(
        [Diagnostic("bad\nname\t.yaml", 3, 1, "x", "first"), Diagnostic("ok.yaml", 4, 2, "y", "b")]
    )
    assert text.splitlines() == [
        "bad\\nname\\t.yaml:3:1: error[x] first",
        "ok.yaml:4:2: error[y] b",
    ]
