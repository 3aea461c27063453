"""Benchmark: durable-rules engine vs reference evaluator vs bare loading, with memory.

    python benchmarks/engine.py [--counts 200 1000 5000]

For each N it generates N random valid profiles (in memory), then, in one run and side by
side, times: loading + validating them, the reference evaluator, and the durable-rules engine
(compiled once). It reports profiles per second, the durable/reference ratio, and the
process's resident memory after each stage, so a leak would show as growth between N=1000
and N=5000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import random_profile

from coherence.api import assess
from coherence.engine.select import make_engine
from coherence.facts import profile_facts
from coherence.profile.validate import validate_document
from coherence.rules.catalog import load_catalogue
from coherence.yamlsource import YamlDocument, parse_yaml


def rss_mib() -> float:
    """Current resident set size of this process, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", type=int, nargs="+", default=[200, 1000, 5000])
    args = parser.parse_args()
    import yaml

    start = time.perf_counter()
    catalogue = load_catalogue()
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    durable, _ = make_engine(catalogue, "durable")
    compile_s = time.perf_counter() - start
    reference, _ = make_engine(catalogue, "reference")
    print(
        f"catalogue: {len(catalogue.rules)} rules, {len(catalogue.derived)} derived facts; "
        f"load+verify {load_s:.2f} s; durable compile {compile_s:.2f} s "
        f"into {len(durable.shards)} rulesets"
    )  # type: ignore[attr-defined]
    print(
        f"{'N':>6} {'load+validate/s':>16} {'reference/s':>12} {'durable/s':>10} "
        f"{'durable/ref':>11} {'engine s (durable)':>19} {'RSS MiB':>8}"
    )
    today = dt.date(2026, 1, 1)
    for count in args.counts:
        rng = random.Random(count)
        texts = [yaml.safe_dump(random_profile(rng, i), sort_keys=False) for i in range(count)]
        start = time.perf_counter()
        loaded = [validate_document(parse_yaml(t, f"p{i}.yaml")) for i, t in enumerate(texts)]
        t_load = time.perf_counter() - start
        facts = [profile_facts(p) for p in loaded]
        start = time.perf_counter()
        ref = [reference.truths(f) for f in facts]
        t_ref = time.perf_counter() - start
        start = time.perf_counter()
        dur = [durable.truths(f) for f in facts]
        t_dur = time.perf_counter() - start
        assert ref == dur, "engines disagree"
        # Full findings for a sample, to show the end-to-end path works at this scale.
        assess(loaded[0], catalogue, durable, today=today)
        print(
            f"{count:>6} {count / t_load:>16.0f} {count / t_ref:>12.0f} {count / t_dur:>10.0f} "
            f"{t_dur / t_ref:>11.2f} {t_dur:>19.2f} {rss_mib():>8.1f}"
        )
        del texts, loaded, facts, ref, dur
    # Leak check: the same 1,000 profiles evaluated again and again by each engine. Resident
    # memory after 1,000 and after 5,000 evaluations must be flat (sessions are deleted).
    rng = random.Random(1)
    sample = [
        profile_facts(validate_document(YamlDocument(f"p{i}.yaml", random_profile(rng, i))))
        for i in range(1000)
    ]
    for name, engine in (("durable", durable), ("reference", reference)):
        marks = []
        for round_ in range(5):
            for f in sample:
                engine.truths(f)
            if round_ in (0, 4):
                marks.append(rss_mib())
        print(
            f"{name}: RSS after 1,000 evaluations {marks[0]:.1f} MiB, "
            f"after 5,000 {marks[1]:.1f} MiB "
            f"(growth {marks[1] - marks[0]:+.1f} MiB)"
        )


if __name__ == "__main__":
    main()
