"""Benchmark: validating 1,000 profiles, in-process and through the CLI.

python benchmarks/validate.py [--count 1000]
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

from coherence.profile.validate import load_profile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="coherence-bench-"))
    try:
        files = write_profiles(folder, args.count)
        size = sum(f.stat().st_size for f in files) / len(files)
        start = time.perf_counter()
        for file in files:
            load_profile(file)
        in_process = time.perf_counter() - start
        exe = shutil.which("coherence") or str(Path(sys.executable).with_name("coherence"))
        start = time.perf_counter()
        proc = subprocess.run([exe, "validate", "-q", str(folder)], capture_output=True, text=True)
        cli = time.perf_counter() - start
        assert proc.returncode == 0, proc.stdout[:2000] + proc.stderr[:2000]
        print(f"profiles: {len(files)} (mean {size / 1024:.1f} KiB)")
        print(
            f"in-process load+validate: {in_process:.2f} s "
            f"({len(files) / in_process:.0f} profiles/s)"
        )
        print(
            f"`coherence validate` CLI, whole folder: {cli:.2f} s "
            f"({len(files) / cli:.0f} profiles/s)"
        )
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
