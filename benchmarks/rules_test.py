"""Benchmark: CPU time of `coherence rules test`, whole-catalogue cases vs scoped cases.

    python benchmarks/rules_test.py [--copies 4] [--engine durable]

Before issue 12 §3.13, every case evaluated the whole catalogue and built a finding for every
rule; now a case evaluates only the rule under test and the derived facts it reads. This
script measures both, side by side, in fresh processes (imports and catalogue loading
included, user + sys CPU from `getrusage`):

* on the bundled catalogue (`coherence rules test`);
* on a generated pack of about 500 rules (`--copies` copies of the bundled rules, renamed
  `GENn-...`, with their cases), tested on top of the bundled catalogue.

"before" runs the same CLI with `run_cases` replaced by the old whole-catalogue loop.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml


def legacy_run_cases(catalogue, engine, rule_ids=None):  # type: ignore[no-untyped-def]
    """The old loop: every case evaluated against the whole catalogue."""
    from coherence.ruletools.cases import run_case

    results = []
    for rule in catalogue.rules:
        if rule_ids is not None and rule.id not in rule_ids:
            continue
        origin = catalogue.origins[rule.id]
        for case in rule.cases:
            results.append(run_case(rule, case, catalogue, engine, origin))
    return results


def child(mode: str, args: list[str]) -> None:
    """Run `coherence rules test ARGS` in this process, the old way or the new."""
    if mode == "before":
        import coherence.ruletools.cases as cases

        cases.run_cases = legacy_run_cases  # type: ignore[assignment]
    from coherence.cli.main import app

    try:
        app(["rules", "test", *args], standalone_mode=True)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def generate_pack(folder: Path, copies: int) -> int:
    """Write `copies` renamed copies of the bundled rules into `folder`; return the count."""
    from coherence.rules.catalog import bundled_rules_dir, rule_files

    count = 0
    for n in range(1, copies + 1):
        for path in rule_files([bundled_rules_dir()]):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            rules = data.get("rules") or []
            for item in rules:
                item["id"] = f"GEN{n}-{item['id']}"
            count += len(rules)
            out = folder / f"gen{n}-{path.name}"
            out.write_text(yaml.safe_dump({"rules": rules}, allow_unicode=True), encoding="utf-8")
    return count


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
    if proc.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{proc.stdout}\n{proc.stderr}")
    last = proc.stdout.strip().splitlines()[-1]
    print(f"    {mode:6s} {last}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4, help="copies of the bundled rules")
    parser.add_argument("--engine", default="auto", help="auto, durable or reference")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    ns, rest = parser.parse_known_args()
    if ns.child:
        child(ns.child, ["--engine", ns.engine, *rest])  # --engine was parsed here
        return
    with tempfile.TemporaryDirectory(prefix="coherence-bench-") as tmp:
        pack = Path(tmp)
        generated = generate_pack(pack, ns.copies)
        for label, args in (
            ("bundled catalogue", ["--engine", ns.engine]),
            (f"generated pack of {generated} rules", ["--engine", ns.engine, str(pack)]),
        ):
            print(f"{label}:")
            old = cpu_of("before", args)
            new = cpu_of("after", args)
            print(f"    CPU (user+sys): before {old:.2f} s, after {new:.2f} s, {old / new:.1f}x")


if __name__ == "__main__":
    main()
