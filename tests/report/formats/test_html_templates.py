"""`--template-dir` templates are someone else's code: they run in Jinja2's sandbox, are read
as inputs (regular files only, within a size limit), and a broken one gives a located error
rather than a traceback (issue 12 §3.17)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from coherence.report.formats import html
from coherence.report.formats.html import describe_template_error, make_environment
from tests.conftest import FIXTURES, invoke

STATUSES = FIXTURES / "profiles" / "statuses.yaml"
TODAY = ("--today", "2026-06-01")

# Classic escapes from an unsandboxed Jinja2 environment: reach `os` through an object's
# class hierarchy or a function's globals, and run a command.
ESCAPES = {
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "globals": "{{ rid.__globals__['os'].system('touch PWNED') }}",
    "cycler": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "format": "{{ '{0.__class__}'.format(1) }}",
}


pytestmark = pytest.mark.usefixtures("no_hang")  # fail, rather than hang


def test_the_environment_is_sandboxed() -> None:
    assert isinstance(make_environment(), SandboxedEnvironment)


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_templates_cannot_reach_python_internals(tmp_path: Path, name: str) -> None:
    (tmp_path / "evil.html.j2").write_text(ESCAPES[name], encoding="utf-8")
    template = make_environment(tmp_path).get_template("evil.html.j2")
    with pytest.raises(SecurityError) as err:
        template.render()
    assert not (Path.cwd() / "PWNED").exists()
    message = describe_template_error(err.value, tmp_path)
    assert message.startswith(f"{tmp_path / 'evil.html.j2'}:1: template error: the sandbox")


def test_a_syntax_error_is_located(tmp_path: Path) -> None:
    (tmp_path / "report.html.j2").write_text("<p>fine</p>\n<p>\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateSyntaxError) as err:
        make_environment(tmp_path).get_template("report.html.j2")
    assert describe_template_error(err.value, tmp_path).startswith(
        f"{tmp_path / 'report.html.j2'}:3: template error: "
    )


def test_an_undefined_name_is_located(tmp_path: Path) -> None:
    (tmp_path / "t.html.j2").write_text("a\nb\n{{ nothing_here.x }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        make_environment(tmp_path).get_template("t.html.j2").render()
    message = describe_template_error(err.value, tmp_path)
    assert message.startswith(f"{tmp_path / 't.html.j2'}:3: template error: ")
    assert "nothing_here" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_like_a_template_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "styles.css.j2")
    with pytest.raises(TemplateError, match="not a regular file: it is a named pipe"):
        make_environment(tmp_path).get_template("styles.css.j2")


def test_a_template_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(html, "TEMPLATE_MAX_BYTES", 10)
    (tmp_path / "styles.css.j2").write_text("body { color: red; }\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="the limit is 10 bytes"):
        make_environment(tmp_path).get_template("styles.css.j2")


def test_packaged_templates_still_extend_and_render(tmp_path: Path) -> None:
    (tmp_path / "report.html.j2").write_text(
        '{% extends "coherence/report.html.j2" %}{% block styles %}x{% endblock %}',
        encoding="utf-8",
    )
    template = make_environment(tmp_path).get_template("report.html.j2")
    assert template.filename == str(tmp_path / "report.html.j2")


# Through the real CLI: exit 2 with one located line, never a traceback.


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("<p>\n{% for %}\n", 2, "template error"),
        ("<p>\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", 3, "the sandbox forbids"),
    ],
    ids=["syntax", "sandbox"],
)
def test_check_reports_a_broken_template_at_its_line(
    tmp_path: Path, content: str, line: int, words: str
) -> None:
    (tmp_path / "report.html.j2").write_text(content, encoding="utf-8")
    result = invoke("check", *TODAY, STATUSES, "-f", "html", "--template-dir", tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"coherence: error: {tmp_path / 'report.html.j2'}:{line}: ")
    assert words in result.stderr and result.stderr.count("\n") == 1


def test_a_template_that_fails_halfway_leaves_no_report(tmp_path: Path) -> None:
    """The HTML report is rendered as it is written (memory flat over many profiles): a
    template that breaks on the second profile is still one located error, exit 2, and no
    half-written report."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report_body.html.j2").write_text(
        "<article>{{ report.header.country_name }}</article>\n"
        "{% if report.anchor == 'r2' %}{{ report.header.no_such_field }}{% endif %}\n",
        encoding="utf-8",
    )
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (profiles / name).write_bytes(STATUSES.read_bytes())
    out = tmp_path / "report.html"
    result = invoke("check", *TODAY, profiles, "-f", "html", "--template-dir", templates, "-o", out)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"coherence: error: {templates / 'report_body.html.j2'}:2: ")
    assert "no_such_field" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists() and list(tmp_path.glob(".coherence-tmp-*")) == []
