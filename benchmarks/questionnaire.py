"""Benchmark: the questionnaire round trip on the bundled example profiles.

    python benchmarks/questionnaire.py [--repeat 3]

For each bundled profile, the CPU time (user + sys of this process, the median of the runs)
of writing its pre-filled workbook (`build_workbook`) and of importing it back
(`read_workbooks`: open, merge, validate), plus the workbook's size. In-process, so the
figures leave out the interpreter's start-up, which `benchmarks/startup.py` measures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from coherence.profile.validate import load_profile
from coherence.questionnaire.read import read_workbooks
from coherence.questionnaire.workbook import build_workbook

ROOT = Path(__file__).resolve().parents[1]


def cpu() -> float:
    """User + system CPU seconds of this process so far."""
    times = os.times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'profile':<28} {'write ms':>9} {'import ms':>10} {'size KiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted((ROOT / "profiles").glob("*.yaml")):
            profile = load_profile(path).profile
            book = Path(tmp) / f"{path.stem}.xlsx"
            writes, reads = [], []
            for _ in range(args.repeat):
                start = cpu()
                data = build_workbook(profile)
                writes.append(cpu() - start)
                book.write_bytes(data)
                start = cpu()
                result = read_workbooks([book])
                reads.append(cpu() - start)
                assert result.profile == profile, f"{path.name} did not round-trip"
            print(
                f"{path.name:<28} {statistics.median(writes) * 1000:>9.0f} "
                f"{statistics.median(reads) * 1000:>10.0f} {len(data) / 1024:>9.1f}"
            )


if __name__ == "__main__":
    main()
