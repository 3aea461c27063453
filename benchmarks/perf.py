"""Benchmark: the issue 12 §4 targets, side by side with another source tree, in CPU time.

    python benchmarks/perf.py [--base /tmp/base/src] [--repeat 5] [--profiles 200]
                              [--only engines scale one]

Every measure runs in a fresh interpreter (a subprocess) per tree, interleaved between the
trees and repeated, so a busy machine weighs on both alike; the median is printed (min in
brackets). CPU time is user + system (`resource.getrusage` inside the child, `os.wait4` for
whole processes), which the load of other processes inflates far less than wall time.

Profiles come from `generate.py` of this folder, or of `--generator DIR` (the base's
`benchmarks/` when the base reads an older profile format, so both trees read them).

Trees: `this` is the `src/` folder next to this script; `base` (with `--base SRC`) is another
checkout's `src/` folder, e.g. made with `git worktree add --detach /tmp/base HEAD`. Each is
put first on PYTHONPATH. Both use the catalogue cache (warm, each its own folder) and write
bytecode into a temporary PYTHONPYCACHEPREFIX, as an installed package has its `.pyc`.

Measures:
* engines: the reference evaluator's and durable-rules' `truths()` per profile (ms), over
  N generated profiles, 3 rounds, and their ratio (catalogue loading and facts not counted);
  also the reference evaluator's plain tree walk (`evaluate`, one round), what it was before
  its conditions were compiled into closures, and durable's ratio to that;
* scale: `coherence check DIR --format sarif -o FILE` on N generated profiles, as a process,
  CPU seconds per 100 profiles (one job);
* one (process): `python -m coherence check profiles/example-origin.yaml --format json -o F`;
* one (in-process): the same command through `coherence.cli.main.app` inside one
  interpreter, from before `import coherence.cli.main` to its return (interpreter start-up
  not counted).

With `--check-output`, the scale and one-profile reports of both trees are compared byte for
byte (every format), and any difference is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROFILE = ROOT / "profiles" / "example-origin.yaml"

ENGINES = r"""
import random, resource, sys
sys.path.insert(0, sys.argv[1])
from generate import random_profile
from coherence.engine.select import make_engine
from coherence.facts import profile_facts
from coherence.profile.validate import validate_document
from coherence.rules.catalog import load_catalogue
from coherence.yamlsource import YamlDocument
catalogue = load_catalogue()
count = int(sys.argv[2])
rng = random.Random(3)
facts = [
    profile_facts(validate_document(YamlDocument(f"p{i}.yaml", random_profile(rng, i))))
    for i in range(count)
]
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
from coherence.engine.reference import derived_fact, evaluate
def walk(f):  # the reference evaluator's tree walk, as before it was compiled to closures
    f = dict(f)
    for d in catalogue.derived:
        f[f"derived.{d.id}"] = derived_fact(d.id, evaluate(d.when, f))
    for rule in catalogue.rules:
        for cond in (rule.applies_when, rule.met_when, rule.partial_when):
            if cond is not None:
                evaluate(cond, f)
start = cpu()
for f in facts:
    walk(f)
out = [(cpu() - start) / len(facts) * 1000]
for name in ("reference", "durable"):
    engine, _ = make_engine(catalogue, name)
    engine.truths(facts[0])  # warm
    start = cpu()
    for _ in range(3):
        for f in facts:
            engine.truths(f)
    out.append((cpu() - start) / (3 * len(facts)) * 1000)
print(*out)
"""

ONE = r"""
import resource, sys
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
start = cpu()
from coherence.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(cpu() - start)
"""


def run_cpu(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """CPU seconds of one process (os.wait4 on the child) and its standard output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code not in (0, 1):
            raise SystemExit(f"{argv} failed ({code}):\n{err.read().decode()}")
        return usage.ru_utime + usage.ru_stime, out.read().decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, help="another checkout's src/ folder to compare")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--only", nargs="+", default=["engines", "scale", "one"])
    parser.add_argument("--check-output", action="store_true")
    parser.add_argument(
        "--generator",
        type=Path,
        default=HERE,
        help="the benchmarks/ folder whose generate.py writes the profiles (default: this "
        "one); give the base's when the base reads an older profile format",
    )
    args = parser.parse_args()

    generator = args.generator.resolve()

    with tempfile.TemporaryDirectory(prefix="coherence-perf-") as tmp:
        work = Path(tmp)
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("COHERENCE_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        clean["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        trees: dict[str, dict[str, str]] = {}
        if args.base:
            trees["base"] = {
                **clean,
                "PYTHONPATH": str(args.base.resolve()),
                "COHERENCE_CACHE_DIR": str(work / "cache-base"),
            }
        trees["this"] = {
            **clean,
            "PYTHONPATH": str(ROOT / "src"),
            "COHERENCE_CACHE_DIR": str(work / "cache-this"),
        }
        folder = work / "profiles"
        py = sys.executable
        # The generator reads the profile format of the code it imports: the base's generator
        # runs on the base's code, so that both trees read what it writes.
        writer = trees["base" if args.base and generator != HERE else "this"]
        write = "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        write += "from generate import write_profiles; write_profiles(Path(sys.argv[2]), "
        write += "int(sys.argv[3]))"
        argv = [py, "-c", write, str(generator), str(folder), str(args.profiles)]
        subprocess.run(argv, env=writer, check=True)
        for name, env in trees.items():  # which code each tree runs; fill caches and .pyc
            where = subprocess.run(
                [py, "-c", "import coherence; print(coherence.__file__)"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            print(f"{name:>5}: {where}", flush=True)
            run_cpu([py, "-m", "coherence", "check", str(PROFILE), "-f", "json"], env)
        if args.check_output:
            check_output(trees, folder, work)

        results: dict[tuple[str, str], list[float]] = {}
        # The engines measure makes its profiles in memory with each tree's own generator
        # (the ratio it reports is within one tree).
        own = {"base": generator, "this": HERE}

        def add(measure: str, tree: str, value: float) -> None:
            results.setdefault((measure, tree), []).append(value)

        for _ in range(args.repeat):
            for name, env in trees.items():
                if "engines" in args.only:
                    _, out = run_cpu([py, "-c", ENGINES, str(own[name]), str(args.profiles)], env)
                    walk, ref, dur = map(float, out.split())
                    add("tree-walk evaluate ms/profile", name, walk)
                    add("reference ms/profile", name, ref)
                    add("durable ms/profile", name, dur)
                    add("durable/reference", name, dur / ref)
                    add("durable/tree-walk", name, dur / walk)
                if "scale" in args.only:
                    report = work / f"scale-{name}.sarif"
                    argv = [py, "-m", "coherence", "check", str(folder), "-f", "sarif"]
                    cpu, _ = run_cpu([*argv, "-o", str(report), "--jobs", "1"], env)
                    add(f"scale s/100 ({args.profiles} profiles)", name, cpu * 100 / args.profiles)
                if "one" in args.only:
                    report = str(work / f"one-{name}.json")
                    one = ["check", str(PROFILE), "-f", "json", "-o", report]
                    cpu, _ = run_cpu([py, "-m", "coherence", *one], env)
                    add("one-profile check, process s", name, cpu)
                    _, out = run_cpu([py, "-c", ONE, *one], env)
                    add("one-profile check, in-process s", name, float(out))

    print(f"\nmedian of {args.repeat} runs [min]; CPU")
    measures = dict.fromkeys(m for m, _ in results)
    for measure in measures:
        row = [
            f"{tree}: {statistics.median(v):.3f} [{min(v):.3f}]"
            for (m, tree), v in results.items()
            if m == measure
        ]
        print(f"{measure:>36}: " + "; ".join(row))


FORMATS = {"sarif": ".sarif", "text": ".txt", "json": ".json", "junit": ".xml", "csv": ".csv"}
FORMATS |= {"markdown": ".md", "html": ".html", "github": ".txt"}


def check_output(trees: dict[str, dict[str, str]], folder: Path, work: Path) -> None:
    """Run both trees on the same inputs in every format and compare the reports' bytes."""
    if len(trees) < 2:
        return
    py = sys.executable
    inputs = {"scale": [str(folder)], "one": [str(PROFILE)]}
    for what, paths in inputs.items():
        for fmt, suffix in FORMATS.items():
            outs = []
            for name, env in trees.items():
                report = work / f"cmp-{what}-{name}{suffix}"
                argv = [py, "-m", "coherence", "check", *paths, "-f", fmt, "-o", str(report)]
                argv += ["--today", "2026-06-01"]
                subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, check=False)
                outs.append(report.read_bytes() if report.exists() else b"<missing>")
            same = len(set(outs)) == 1 and b"<missing>" not in outs
            verdict = "identical" if same else "DIFFERENT"
            sizes = ", ".join(f"{len(o):,}" for o in outs)
            print(f"output {what:<5} {fmt:<8}: {verdict} ({sizes} bytes)", flush=True)


if __name__ == "__main__":
    main()
