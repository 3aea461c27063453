"""Benchmark: a CI run over a folder of 200 profiles.

    python benchmarks/ci.py [--count 200]

Times, side by side in one run: `coherence validate` on the folder, `coherence check` on the
folder writing SARIF, and check-jsonschema validating the same files against the exported
profile schema (the reference any CI user could pick instead; it checks the schema only, not
duplicate keys, line-located messages or the rules).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_profiles

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str]) -> float:
    """Seconds one command takes; it must succeed (exit 0)."""
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    folder = Path(tempfile.mkdtemp(prefix="coherence-ci-bench-"))
    try:
        files = write_profiles(folder / "profiles", args.count)
        out = folder / "report.sarif"
        rows = [
            (
                "coherence validate",
                timed([str(bindir / "coherence"), "validate", "-q", str(folder / "profiles")]),
            ),
            (
                "coherence check (SARIF)",
                timed(
                    [
                        str(bindir / "coherence"),
                        "check",
                        str(folder / "profiles"),
                        "-f",
                        "sarif",
                        "-o",
                        str(out),
                    ]
                ),
            ),
            (
                "check-jsonschema (schema only)",
                timed(
                    [
                        str(bindir / "check-jsonschema"),
                        "--schemafile",
                        str(ROOT / "schema" / "profile.schema.json"),
                    ]
                    + [str(f) for f in files]
                ),
            ),
        ]
        print(f"{len(files)} profiles")
        for name, seconds in rows:
            print(f"{name:<32} {seconds:6.2f} s  ({len(files) / seconds:6.0f} profiles/s)")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
