"""Benchmark: CPU time of `coherence rules lint` on packs of many distinct checks of one answer.

    python benchmarks/rules_lint.py [--sizes 250 500 1000] [--no-before]

An attack round found lint quadratic: every pair of checks had its truth tables evaluated
again (500 rules took 17 s of CPU, 1,000 took 68 s). Now each condition's truth table is
computed once and the checks are indexed by it (`coherence.ruletools.counting.SameChecks`).
This script measures both in fresh processes (imports and loading included, user + sys
CPU from `getrusage`) on generated packs like the attack round's: `at_least` on
`context.migrant_stock`, a different threshold per rule, and published data, with their
cases. "before" runs the same CLI with the index replaced by the
old comparison of every pair.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def legacy_index() -> None:
    """Make `SameChecks` compare every pair of checks with `same_check`, as lint used to."""
    from coherence.ruletools.counting import SameChecks, same_check

    def matching(self, rule):  # type: ignore[no-untyped-def]
        return [
            o
            for group in self.groups.values()
            for o in group
            if o.id != rule.id and same_check(rule.met_when, o.met_when, self.catalogue)
        ]

    def pairs(self):  # type: ignore[no-untyped-def]
        checks = sorted(
            (r for g in self.groups.values() for r in g), key=lambda r: self.position[r.id]
        )
        return [
            (a, b)
            for a, b in itertools.combinations(checks, 2)
            if same_check(a.met_when, b.met_when, self.catalogue)
        ]

    SameChecks.matching = matching  # type: ignore[method-assign]
    SameChecks.pairs = pairs  # type: ignore[method-assign]


def child(mode: str, args: list[str]) -> None:
    """Run `coherence rules lint ARGS` in this process, the old way or the new."""
    if mode == "before":
        legacy_index()
    from coherence.cli.main import app

    try:
        app(["rules", "lint", *args], standalone_mode=True)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def generate_pack(folder: Path, size: int) -> None:
    """Write `size` distinct checks of `context.migrant_stock` (published data), 500 to a file."""
    from tests.rulepack import CITATION, rule

    cite = {**CITATION, "role": "requirement", "addressee": "states"}
    published = {"data_collection": {"data_publication": "yes"}}
    rules = []
    for n in range(size):
        met_when = {
            "all": [
                {"at_least": {"path": "context.migrant_stock", "value": n + 1}},
                {"equals": {"path": "data_collection.data_publication", "value": "yes"}},
            ]
        }
        cases = [
            {"name": "many", "expect": "met", "profile": {"context": {"migrant_stock": n + 1}}},
            {"name": "few", "expect": "gap", "profile": {"context": {"migrant_stock": n}}},
        ]
        for case in cases:
            case["profile"].update(published)
        prefix = "ABCDEFGHIJ"[n // 1000]
        rules.append(
            rule(
                f"BEN{prefix}-{n % 1000:03d}",
                met_when,
                theme="data_collection",
                citations=[cite],
                cases=cases,
            )
        )
    for start in range(0, size, 500):
        doc = {"rules": rules[start : start + 500]}
        (folder / f"pack{start // 500}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


def cpu_of(mode: str, args: list[str]) -> float:
    """User + sys CPU seconds of one fresh process running the CLI."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
    print(f"    {mode:6s} exit {proc.returncode}: {last}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000])
    parser.add_argument("--no-before", action="store_true", help="skip the old algorithm")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    ns, rest = parser.parse_known_args()
    if ns.child:
        child(ns.child, rest)
        return
    for size in ns.sizes:
        with tempfile.TemporaryDirectory(prefix="coherence-bench-") as tmp:
            pack = Path(tmp)
            generate_pack(pack, size)
            print(f"pack of {size} rules:")
            args = ["--no-bundled", str(pack)]
            new = cpu_of("after", args)
            if ns.no_before:
                print(f"    CPU (user+sys): after {new:.2f} s")
                continue
            old = cpu_of("before", args)
            print(f"    CPU (user+sys): before {old:.2f} s, after {new:.2f} s, {old / new:.1f}x")


if __name__ == "__main__":
    main()
