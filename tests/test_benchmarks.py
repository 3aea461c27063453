"""The benchmarks' generated profiles stay valid as the format tightens (a consistency check
added for an attack round refused every generated profile, and the benchmarks stopped)."""

from __future__ import annotations

import sys
from pathlib import Path

from coherence.profile.validate import load_profile

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import generate


def test_generated_profiles_validate(tmp_path: Path) -> None:
    paths = generate.write_profiles(tmp_path / "a", 60) + generate.write_profiles(
        tmp_path / "b", 20, distinct_dates=True
    )
    for path in paths:
        load_profile(path)  # raises InputError, with every problem, on an invalid one
