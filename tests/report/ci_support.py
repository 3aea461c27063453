"""Helpers shared by the tests of the CI formats (SARIF, JUnit XML, GitHub annotations)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from coherence.api import assess
from coherence.findings import Assessment, Finding
from coherence.rules.catalog import Catalogue, load_catalogue

ROOT = Path(__file__).resolve().parents[2]
PROFILES = sorted((ROOT / "profiles").glob("example-*.yaml"))
TODAY = dt.date(2026, 1, 1)


@cache
def catalogue() -> Catalogue:
    """The bundled catalogue, loaded once per test process."""
    return load_catalogue()


def assess_examples() -> list[Assessment]:
    """Fresh assessments of every bundled example profile (absolute paths)."""
    return [assess(path, catalogue(), today=TODAY) for path in PROFILES]


def profile_lines(assessment: Assessment) -> list[str]:
    """The profile file's lines, 1-based via `lines[n - 1]`."""
    return Path(assessment.profile.path).read_text(encoding="utf-8").splitlines()


def answered_key_on_line(finding: Finding, line: int, lines: list[str]) -> bool:
    """Whether profile line `line` holds the answer the finding points at.

    The trace entry at that line must exist; its line holds the key of the path's last
    segment, or, for a missing answer, the key of one of its parent sections. An instrument's
    `status` is located at the instrument's key, which holds it in the short form
    (`cedaw: ratified`) and opens the block of the long form.
    """
    text = lines[line - 1]
    for entry in finding.trace:
        if entry.line != line or entry.path.startswith("derived."):
            continue
        segments = entry.path.split(".")
        if entry.state == "missing":
            keys = segments[:-1]
        elif entry.path.startswith("instruments.") and segments[-1] == "status":
            keys = segments[-2:]
        else:
            keys = segments[-1:]
        if any(f"{key}:" in text for key in keys):
            return True
    return False
