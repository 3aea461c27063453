"""Regenerate the example reports in this folder from the bundled example profiles.

    python examples/reports/generate.py            # rewrite the files next to this script
    python examples/reports/generate.py OUT_DIR    # write them somewhere else

The output is deterministic: the date that decides which waivers have expired is fixed
(`TODAY`), profile paths are relative to the repository root (the script works from there
whatever the current folder), and the reference engine is used so that the reports read the
same on every Python version (durable-rules gives the same findings where it is available).
`tests/report/test_examples_in_sync.py` checks that the committed files are up to date.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coherence.api import assess
from coherence.findings import Assessment
from coherence.report.formats.html import render_compare_html, render_html
from coherence.report.formats.html import render_diff as render_diff_html
from coherence.report.formats.markdown.comparison import render_compare_markdown
from coherence.report.formats.markdown.diff import render_diff_markdown
from coherence.report.formats.markdown.gap import render_markdown
from coherence.report.views.comparison import build_comparison
from coherence.report.views.diff import diff_assessments
from coherence.rules.catalog import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 6, 1)
ENGINE = "reference"

REPORTS: tuple[str, ...] = (
    "profiles/example-origin.yaml",
    "profiles/example-destination.yaml",
    "profiles/example-transit.yaml",
)
"""Each gets a Markdown and an HTML gap report, named after the profile."""

COMPARED: tuple[str, ...] = (
    "profiles/example-origin.yaml",
    "profiles/example-destination.yaml",
    "profiles/example-transit-2024.yaml",
    "profiles/example-transit.yaml",
)
"""The profiles of `compare.md` and `compare.html` (Mexico twice: a time series)."""

DIFF: tuple[str, str] = ("profiles/example-transit-2024.yaml", "profiles/example-transit.yaml")
"""Old and new profile of `diff-example-transit.md`."""

REGENERATE = "python examples/reports/generate.py"
"""The command that rewrites the committed files."""


@contextmanager
def _in_root() -> Iterator[None]:
    """Work from the repository root, so that profile paths in the reports are relative."""
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def build() -> dict[str, str]:
    """Every example report: file name → content."""
    catalogue = load_catalogue()
    with _in_root():
        paths = sorted({*REPORTS, *COMPARED, *DIFF})
        assessed: dict[str, Assessment] = {
            p: assess(Path(p), catalogue, ENGINE, today=TODAY) for p in paths
        }
    files: dict[str, str] = {}
    for path in REPORTS:
        stem = Path(path).stem
        files[f"{stem}.md"] = render_markdown([assessed[path]])
        files[f"{stem}.html"] = render_html([assessed[path]])
    comparison = build_comparison([assessed[p] for p in COMPARED])
    files["compare.md"] = render_compare_markdown(comparison)
    files["compare.html"] = render_compare_html(comparison)
    old, new = DIFF
    diff = diff_assessments(assessed[old], assessed[new])
    files["diff-example-transit.md"] = render_diff_markdown(diff)
    files["diff-example-transit.html"] = render_diff_html(diff)
    return files


def write(out_dir: Path = HERE) -> list[Path]:
    """Write every example report into `out_dir`; the paths written, in name order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(build().items()):
        target = out_dir / name
        with target.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    """Command-line entry point: an optional output folder."""
    if len(argv) > 1:
        print(f"usage: {REGENERATE} [OUTPUT_DIR]", file=sys.stderr)
        return 2
    out_dir = Path(argv[0]) if argv else HERE
    for path in write(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
