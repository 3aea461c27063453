"""Lazy imports: `coherence --help`, `--version` and `validate` do not import what they do
not use (the rule models, the engines, the report renderers, importlib.metadata)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PROFILES, ROOT

PROBE = """
import json, sys
sys.argv = ["coherence", *json.loads(sys.argv[1])]
from coherence.cli.main import run
try:
    run()
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _modules(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    line = proc.stderr.rsplit("MODULES ", 1)[1]
    return set(json.loads(line))


def _heavy(found: set[str]) -> list[str]:
    return sorted(
        m
        for m in found
        if m.startswith(("coherence.engine", "coherence.assessment", "coherence.rules", "jinja2"))
        or (m.startswith("coherence.report") and m not in ("coherence.report", *LIGHT_REPORT))
        or m in ("durable", "durable.engine")
    )


DIAGNOSTICS = "coherence.report.diagnostics"
REGISTRY = "coherence.report.formats"
LIGHT_REPORT = (DIAGNOSTICS, REGISTRY)
"""Report modules the CLI may import at start: the diagnostics, and the registry of formats
(which gives the `--format` choices and imports no format: tests/report/formats)."""


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("check", "--help")])
def test_help_and_version_import_no_models_engines_or_reports(args):
    found = _modules(*args)
    assert _heavy(found) == []
    assert "yaml" not in found
    if len(args) == 1:  # a command's help goes through typer._adapters, which imports pydantic
        assert "pydantic" not in found
    if args == ("--help",):
        assert "importlib.metadata" not in found


def test_validate_imports_no_engine_or_report_renderer():
    found = _modules("validate", str(PROFILES / "example-origin.yaml"))
    assert "coherence.profile.validate" in found  # it did run
    assert _heavy(found) == []


def _imported(path) -> set[str]:
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_no_command_module_imports_the_main_module():
    # cli/main.py registers the other commands; they take what they share from cli/shared.py
    # and cli/inputs.py, so there is no import cycle among the command modules.
    cli = ROOT / "src" / "coherence" / "cli"
    for path in sorted(cli.glob("*.py")):
        if path.name == "main.py":
            continue
        assert "coherence.cli.main" not in _imported(path), path.name
