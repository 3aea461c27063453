"""Fixtures of the report tests: real example profiles assessed against the real catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coherence.api import assess
from coherence.findings import Assessment
from coherence.rules.catalog import Catalogue, load_catalogue
from tests.conftest import FIXTURES, PROFILES

TODAY = dt.date(2026, 1, 1)
EXAMPLES = ("example-origin.yaml", "example-transit.yaml", "example-destination.yaml")
HOSTILE = FIXTURES / "profiles" / "hostile.yaml"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """The bundled rule catalogue."""
    return load_catalogue()


@pytest.fixture(scope="module")
def examples(catalogue: Catalogue) -> dict[str, Assessment]:
    """The bundled example profiles, assessed on a fixed date."""
    return {name: assess(PROFILES / name, catalogue, today=TODAY) for name in EXAMPLES}


@pytest.fixture(scope="module")
def origin(examples: dict[str, Assessment]) -> Assessment:
    """The country-of-origin example (no waiver, no notice)."""
    return examples["example-origin.yaml"]


@pytest.fixture(scope="module")
def transit(examples: dict[str, Assessment]) -> Assessment:
    """The transit example (an expired waiver, hence a notice)."""
    return examples["example-transit.yaml"]


@pytest.fixture(scope="module")
def destination(examples: dict[str, Assessment]) -> Assessment:
    """The destination example (a waived rule)."""
    return examples["example-destination.yaml"]


@pytest.fixture(scope="module")
def hostile(catalogue: Catalogue) -> Assessment:
    """A profile whose free text carries script, markup, pipes and formulas."""
    return assess(HOSTILE, catalogue, today=TODAY)


def folder_reports(cli, tmp_path, suffix: str) -> tuple[Path, list[bytes]]:
    """The origin and transit examples in one folder, and `check`'s report of the folder
    (named by `suffix`) in this process and in two workers: (the folder, the two reports)."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    for name in ("example-origin.yaml", "example-transit.yaml"):
        (folder / name).write_bytes((PROFILES / name).read_bytes())
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}{suffix}"
        assert cli("check", folder, "--jobs", jobs, "-o", out).returncode in (0, 1)
        outs.append(out.read_bytes())
    return folder, outs
