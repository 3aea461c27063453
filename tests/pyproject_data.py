"""pyproject.toml as data, for the tests that check it: tomllib, or tomli on Python 3.10
(a dependency of pytest there, so the lowest-versions CI run checks it too)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip(
        "tomli", reason="tomllib is Python 3.11+ (tomli: a pytest dependency)"
    )

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
"""The parsed pyproject.toml."""
