"""Dependency bounds: a fresh install must not pick up a major version the tests never saw.

Issue 12 §1: PyYAML 6.0.4's libyaml changed how deep nesting is refused, and a fresh clone
went red. Every runtime and test dependency has an upper bound below its next major version
(0.x packages: below the next minor or 1.0), and the installed versions lie within the bounds.
"""

from __future__ import annotations

import importlib.metadata

import pytest

from tests.pyproject_data import PYPROJECT

requirements = pytest.importorskip("packaging.requirements")

PROJECT = PYPROJECT["project"]
ALL = [
    *PROJECT["dependencies"],
    *(req for group in PROJECT["optional-dependencies"].values() for req in group),
]


@pytest.mark.parametrize("text", ALL)
def test_every_dependency_has_an_upper_bound(text: str) -> None:
    req = requirements.Requirement(text)
    operators = {spec.operator for spec in req.specifier}
    assert operators & {"<", "<=", "==", "~="}, f"{req.name} has no upper bound: {text}"
    assert operators & {">=", "==", "~="}, f"{req.name} has no lower bound: {text}"


@pytest.mark.parametrize("text", ALL)
def test_installed_versions_are_within_the_bounds(text: str) -> None:
    req = requirements.Requirement(text)
    if req.marker is not None and not req.marker.evaluate():
        pytest.skip(f"{req.name} is not for this platform")
    try:
        installed = importlib.metadata.version(req.name)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{req.name} is not installed")
    assert req.specifier.contains(installed, prereleases=True), (
        f"{req.name} {installed} is outside {req.specifier}"
    )
