"""`--template-dir` templates that never finish (attack round 2 §9, §17): one that extends or
includes itself, or a macro that calls itself, was "a bug in coherence" (exit 3, a
RecursionError); two nested range loops ran for hours. Each is now one located line and
exit 2, and the report is not written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, invoke

TEMPLATES = FIXTURES / "templates"
PROFILE = FIXTURES / "profiles" / "statuses.yaml"


pytestmark = pytest.mark.usefixtures("no_hang")  # a template that is not stopped fails


def _refused(tmp_path: Path, case: str, line: int) -> str:
    out = tmp_path / "report.html"
    folder = TEMPLATES / case
    result = invoke("check", PROFILE, "-f", "html", "--template-dir", folder, "-o", out)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        f"coherence: error: {folder / 'report.html.j2'}:{line}: template error: "
    ), result.stderr
    assert result.stderr.count("\n") == 1 and "bug" not in result.stderr
    assert not out.exists()
    return result.stderr


@pytest.mark.parametrize(
    ("case", "line", "said"),
    [
        (
            "extends-itself",
            2,
            "the template extends itself (directly or through another template); to build on "
            'the packaged report.html.j2, write {% extends "coherence/report.html.j2" %}',
        ),
        ("includes-itself", 2, "the template includes itself"),
        ("macro-calls-itself", 1, "the template calls itself without end"),
    ],
)
def test_a_template_that_calls_itself_is_named(tmp_path: Path, case: str, line: int, said: str):
    assert said in _refused(tmp_path, case, line)


def test_a_template_that_would_loop_for_hours_is_stopped(tmp_path: Path) -> None:
    said = _refused(tmp_path, "endless-loop", 2)
    assert "the template ran for more than 2,000,000 steps" in said


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("divides-by-zero", "division by zero"),
        ("adds-text-to-a-number", "unsupported operand type(s) for +: 'int' and 'str'"),
        ("range-too-large", "Range too big"),
    ],
)
def test_a_template_that_fails_as_it_runs_is_named_at_its_line(tmp_path, case, said) -> None:
    """`{{ 1 / 0 }}` in a template from --template-dir was "internal error (ZeroDivisionError)
    ... a bug in coherence" (attack round 4)."""
    assert said in _refused(tmp_path, case, 2)


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("text-times-huge", "'*' (1 times 10,000,000,000) would build a text or list of more"),
        ("pads-to-huge", "the filter center would build a text or list of more than 10,000,000"),
        ("doubles-a-text", "'~' would build a text or list of more than 10,000,000"),
        # Attack round 5: a `%` field's width, and Jinja's placeholder text generator.
        ("formats-to-huge", "'%' (a width or precision past the limit) would build a text"),
        ("lipsum-huge", "lipsum(1,000,000 paragraphs of up to 100 words) would build a text"),
    ],
)
def test_a_template_that_would_fill_memory_is_stopped(tmp_path, case, said) -> None:
    """`{{ "a" * 10 ** 10 }}` took 20 GB of memory before it was killed (attack round 4)."""
    assert said in _refused(tmp_path, case, 2)


def test_the_padding_methods_of_a_text_are_bounded_too() -> None:
    from jinja2.sandbox import SecurityError

    from coherence.report.formats.sandbox import GuardedEnvironment

    env = GuardedEnvironment()
    with pytest.raises(SecurityError, match="the method ljust would build"):
        env.from_string('{{ "a".ljust(10 ** 10) }}').render()
    assert env.from_string('{{ "a".ljust(3) }}|{{ "ab" * 2 }}').render() == "a  |abab"
    doubled = (
        '{% set ns = namespace(x="a") %}{% for i in range(30) %}{% set ns.x = X %}{% endfor %}'
    )
    for grows, by in (("ns.x + ns.x", "'+'"), ("[ns.x, ns.x]|join", "the filter join")):
        with pytest.raises(SecurityError, match=re.escape(f"{by} would build")):
            env.from_string(doubled.replace("X", grows)).render()


def test_a_percent_format_and_lipsum_of_ordinary_size_still_work() -> None:
    from jinja2.sandbox import SecurityError

    from coherence.report.formats.sandbox import GuardedEnvironment

    env = GuardedEnvironment()
    assert (
        env.from_string('{{ "%d of %5s|%%" % (3, "x") }}|{{ 7 % 3 }}').render() == "3 of     x|%|1"
    )
    assert env.from_string("{{ lipsum(2, html=False) }}").render().count("\n\n") == 1
    for template in ('{{ "%*d" % (10 ** 9, 1) }}', '{{ "%.999999999f" % 1.5 }}'):
        with pytest.raises(SecurityError, match="'%'"):
            env.from_string(template).render()
    with pytest.raises(SecurityError, match="lipsum"):
        env.from_string("{{ lipsum(1, max=10 ** 8) }}").render()


def test_the_format_and_wordwrap_filters_are_bounded_before_they_run() -> None:
    """`{{ "%999999999d"|format(1) }}` built a gigabyte before its size was refused (8 s);
    `{{ ("x" * 9000000)|wordwrap(1) }}` ran past a minute (attack round 5)."""
    from jinja2.sandbox import SecurityError

    from coherence.report.formats.sandbox import GuardedEnvironment

    env = GuardedEnvironment()
    for template, by in (
        ('{{ "%999999999d"|format(1) }}', "the filter format"),
        ('{{ "%*d"|format(10 ** 9, 1) }}', "the filter format"),
        ('{{ ("x" * 9000000)|wordwrap(1) }}', "the filter wordwrap"),
        ('{{ ("x" * 9000000)|wordwrap(width=1) }}', "the filter wordwrap"),
    ):
        with pytest.raises(SecurityError, match=re.escape(f"{by} would build")):
            env.from_string(template).render()
    assert env.from_string('{{ "%s-%d"|format("a", 2) }}').render() == "a-2"
    assert env.from_string('{{ "ab cd ef"|wordwrap(5) }}').render() == "ab cd\nef"
