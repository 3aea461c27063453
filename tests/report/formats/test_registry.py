"""The registry of report formats (`coherence.report.formats.FORMATS`): the CLI's choices and
suffixes come from it, every format module lays out the views it claims, and a new format
needs one module and one registry line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coherence.cli.compare import CompareFormat, DiffFormat
from coherence.cli.formats import CheckFormat, formats_of_output
from coherence.report.formats import (
    FORMATS,
    VIEWS,
    GapOptions,
    formats_of_name,
    get_format,
    names_for,
    render,
)
from tests.conftest import PROFILES, ROOT, invoke

ENTRY_POINTS = ("gap_piece", "gap_document")


def test_cli_format_choices_are_the_registry() -> None:
    assert [f.value for f in CheckFormat] == list(names_for("gap"))
    assert [f.value for f in CompareFormat] == list(names_for("comparison"))
    assert [f.value for f in DiffFormat] == list(names_for("diff"))
    assert set(names_for("gap")) == {f.name for f in FORMATS}  # every format has the gap report


@pytest.mark.parametrize(("command", "view"), [("check", "gap"), ("compare", "comparison")])
def test_help_lists_the_registry_formats(command: str, view: str) -> None:
    result = invoke(command, "--help")
    assert "[" + "|".join(names_for(view)) + "]" in result.stdout


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_format_module_lays_out_exactly_its_views(fmt) -> None:
    module = fmt.module
    for view in VIEWS:
        assert hasattr(module, f"render_{view}") == (view in fmt.views), (fmt.name, view)
    for name in ENTRY_POINTS:
        assert hasattr(module, name) == fmt.pieces, (fmt.name, name)
    assert hasattr(module, "preflight") == fmt.preflight


def test_the_registry_imports_no_format() -> None:
    probe = (
        "import json, sys; import coherence.report.formats as r; r.names_for('gap'); "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(r.__name__ + '.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert json.loads(out.stdout) == []


@pytest.mark.parametrize(
    ("name", "implied"),
    [
        ("report.html", ("html",)),
        ("REPORT.HTM", ("html",)),
        ("r.md", ("markdown",)),
        ("r.json", ("json", "sarif")),  # a SARIF log is JSON too; json is inferred
        ("r.sarif.json", ("sarif",)),  # the longest suffix decides
        ("r.sarif", ("sarif",)),
        ("r.xml", ("junit",)),
        ("r.xlsx", ("xlsx",)),
        ("r.pdf", ("pdf",)),
        ("r.txt", ()),
        ("r", ()),
    ],
)
def test_suffixes_imply_formats(name: str, implied: tuple[str, ...]) -> None:
    assert tuple(f.name for f in formats_of_name(name)) == implied
    assert tuple(f.value for f in formats_of_output(Path(name))) == implied


def test_every_registered_suffix_implies_its_format() -> None:
    for fmt in FORMATS:
        for suffix in fmt.suffixes:
            assert fmt in formats_of_name("report" + suffix), (fmt.name, suffix)


def test_names_are_case_insensitive_and_unknown_ones_refused() -> None:
    assert get_format("HTML").name == "html"
    with pytest.raises(KeyError):
        get_format("docx")
    with pytest.raises(KeyError):
        get_format("pdf").renderer("comparison")


def test_render_goes_through_the_format_module(origin) -> None:
    from coherence.report.formats.markdown import render_markdown

    assert render("markdown", "gap", [origin], GapOptions()) == render_markdown([origin])


# A new format: one module (here put in place in a subprocess, as if it were the file
# src/coherence/report/formats/plain.py) and one line in FORMATS. Nothing else changes: the
# CLI offers it, infers it from its suffix and renders through it.
NEW_FORMAT = """
import sys, types
import coherence.report.formats as registry

module = types.ModuleType("coherence.report.formats.plain")
module.render_gap = lambda assessments, options: "".join(
    f"{a.profile.country}: {len(a.findings)} findings\\n" for a in assessments
)
sys.modules[module.__name__] = module
registry.FORMATS = (*registry.FORMATS, registry.Format("plain", ("gap",), (".plain",)))

from coherence.cli.main import run
sys.argv = ["coherence", *sys.argv[1:]]
run()
"""


def _with_new_format(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NEW_FORMAT, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def test_a_new_format_is_one_module_and_one_registry_line(tmp_path: Path) -> None:
    profile = str(PROFILES / "example-origin.yaml")
    help_text = _with_new_format("check", "--help").stdout
    assert "|github|plain]" in help_text
    by_name = _with_new_format("check", profile, "--format", "PLAIN")
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout.endswith(" findings\n") and by_name.stdout.count("\n") == 1
    target = tmp_path / "report.plain"
    by_suffix = _with_new_format("check", profile, "-o", str(target))
    assert by_suffix.returncode == 0, by_suffix.stderr
    assert target.read_text(encoding="utf-8") == by_name.stdout
