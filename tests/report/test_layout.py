"""The report package's layout (issue 13 §1): views apart from formats, no module too long."""

from __future__ import annotations

import ast
from pathlib import Path

import coherence.report

REPORT = Path(coherence.report.__file__).parent
MAX_LINES = 500


def test_no_report_source_file_is_over_500_lines() -> None:
    sources = sorted(REPORT.rglob("*.py"))
    assert len(sources) > 20  # the whole package was read
    long = {
        str(p.relative_to(REPORT)): n
        for p in sources
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_views_import_no_format() -> None:
    """A view says what a report contains; laying it out is the formats' job."""
    imported = set()
    for path in sorted((REPORT / "views").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module))
    assert ("gap.py", "coherence.report.views.findings") in imported  # the imports were read
    assert {(name, m) for name, m in imported if m.startswith("coherence.report.formats")} == set()
