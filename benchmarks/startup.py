"""Benchmark: the cost of one-profile runs, side by side with another checkout (issue 12 §4).

    python benchmarks/startup.py [--base /tmp/base/src] [--repeat 9]

Each measure runs in a fresh interpreter (a subprocess), several times, interleaved between
the variants so that a busy machine weighs on all alike; the median is reported. CPU time
is user + system of the child (`os.wait4`), which the load of other processes inflates
less than wall time.

Variants: `this` is the tree this script belongs to; `base` (with `--base SRC`) is another
checkout's `src/` folder put first on PYTHONPATH, e.g. HEAD's, made with
`git worktree add /tmp/base HEAD`. For `this`, `check` is measured twice: `cold` (no
catalogue cache: COHERENCE_NO_CACHE=1) and `warm` (the cache filled by an earlier run, in
a temporary COHERENCE_CACHE_DIR); `base` runs warm, with a cache of its own.

Bytecode: the children write and read compiled modules in a temporary PYTHONPYCACHEPREFIX
(PYTHONDONTWRITEBYTECODE is dropped), filled by the first runs, as an installed package
has its `.pyc` files; otherwise every run would also compile coherence's sources.

Measures:
* check: `python -m coherence check profiles/example-origin.yaml --format json`;
* help, validate: `coherence --help`, `coherence validate profiles/example-origin.yaml`;
* import: `python -X importtime -c "import coherence.cli.main"`, the cumulative
  microseconds of that import;
* reference: the reference evaluator's `truths()` per profile, in ms, over 200 generated
  profiles (catalogue loading and fact building not counted);
* catalogue: `load_catalogue()` without the cache (parse, validate, verify every quote;
  the imports not counted), in ms of CPU;
* python, floor: the bare interpreter (`python -c pass`), and what any run of a tool built
  on the design card's libraries pays first (one pydantic model built and used; typer,
  PyYAML and durable-rules imported): the floor under a one-profile `check`;
* again: a one-profile `check` run again inside one interpreter through
  `coherence.cli.main.app` (the first call not counted), in ms of CPU: what each call
  redoes once everything is imported (catalogue cache read, engine, assessment, report).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROFILE = ROOT / "profiles" / "example-origin.yaml"

REFERENCE = r"""
import random, sys, time
sys.path.insert(0, sys.argv[1])
from generate import random_profile
from coherence.engine.reference import ReferenceEngine
from coherence.facts import profile_facts
from coherence.profile.validate import validate_document
from coherence.rules.catalog import load_catalogue
from coherence.yamlsource import YamlDocument
catalogue = load_catalogue()
rng = random.Random(3)
facts = [
    profile_facts(validate_document(YamlDocument(f"p{i}.yaml", random_profile(rng, i))))
    for i in range(200)
]
engine = ReferenceEngine(catalogue)
start = time.process_time()
for _ in range(3):
    for f in facts:
        engine.truths(f)
print((time.process_time() - start) / (3 * len(facts)) * 1000)
"""


FLOOR = r"""
from pydantic import BaseModel


class Probe(BaseModel):
    x: int


Probe(x=1)
import typer, yaml  # noqa: E401
try:
    import durable.lang  # noqa: F401
except ImportError:
    pass
"""
"""What any one-profile run of a tool built on the design card's libraries pays before doing
anything: the interpreter, pydantic with one model built and used, typer, PyYAML and
durable-rules imported. The 0.15 s target of issue 12 sits below it on this machine."""


AGAIN = r"""
import io, sys, time
from contextlib import redirect_stdout
from coherence.cli.main import app


def run():
    with redirect_stdout(io.StringIO()):
        try:
            app(["check", sys.argv[1], "--format", "json"])
        except SystemExit:
            pass


run()  # the first call imports and fills the caches
start = time.process_time()
for _ in range(5):
    run()
print((time.process_time() - start) / 5 * 1000)
"""
"""A one-profile `check` again in the same interpreter (a library user, a test run, a
service): what is redone per call once everything is imported."""


CATALOGUE = r"""
import time
from coherence.corpus import load_corpus
from coherence.rules.catalog import load_catalogue
start = time.process_time()
load_catalogue(corpus=load_corpus())
print((time.process_time() - start) * 1000)
"""


def run_cpu(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    """CPU seconds of one run, measured with os.wait4 on the child."""
    with tempfile.TemporaryFile() as err_file:
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err_file)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err_file.seek(0)
        err = err_file.read().decode()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv} failed ({proc.returncode}):\n{err}")
    return usage.ru_utime + usage.ru_stime, err


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, help="another checkout's src/ folder to compare")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coherence-bench-cache-") as cache:
        measure_all(args, cache)


def measure_all(args: argparse.Namespace, cache: str) -> None:
    """Run every measure for every variant and print the medians."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("COHERENCE_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    clean["PYTHONPYCACHEPREFIX"] = os.path.join(cache, "pycache")
    variants: dict[str, dict[str, str]] = {}
    if args.base:
        variants["base"] = {
            **clean,
            "PYTHONPATH": str(args.base.resolve()),
            "COHERENCE_CACHE_DIR": os.path.join(cache, "base"),
        }
    this = {**clean, "PYTHONPATH": str(ROOT / "src")}
    variants["this cold"] = {**this, "COHERENCE_NO_CACHE": "1"}
    variants["this warm"] = {**this, "COHERENCE_CACHE_DIR": os.path.join(cache, "this")}

    py = sys.executable
    for name, env in variants.items():  # which code each variant runs; fill the cache
        where = subprocess.run(
            [py, "-c", "import coherence; print(coherence.__file__)"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        print(f"{name:>10}: {where}")
        run_cpu([py, "-m", "coherence", "check", str(PROFILE), "--format", "json"], env)

    measures = {
        "check": [py, "-m", "coherence", "check", str(PROFILE), "--format", "json"],
        "help": [py, "-m", "coherence", "--help"],
        "validate": [py, "-m", "coherence", "validate", str(PROFILE)],
        "import": [py, "-X", "importtime", "-c", "import coherence.cli.main"],
        "python": [py, "-c", "pass"],
        "floor": [py, "-c", FLOOR],
        "reference": [py, "-c", REFERENCE, str(HERE)],
        "catalogue": [py, "-c", CATALOGUE],
        "again": [py, "-c", AGAIN, str(PROFILE)],
    }
    results: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.repeat):
        for measure, argv in measures.items():
            for name, env in variants.items():
                if name == "this warm" and measure not in ("check", "again"):
                    continue  # the cache matters to check only
                if name == "this cold" and measure == "again":
                    continue  # without the cache there is nothing to take again
                if measure in ("python", "floor") and name != "this cold":
                    continue  # no coherence code runs: once is enough
                if measure in ("reference", "catalogue", "again"):
                    out = subprocess.run(
                        argv, env=env, cwd=ROOT, capture_output=True, text=True, check=True
                    ).stdout
                    value = float(out.strip())
                elif measure == "import":
                    _, err = run_cpu(argv, env)
                    last = re.findall(r"\|\s*(\d+) \| coherence\.cli\.main$", err, re.M)[-1]
                    value = int(last) / 1e6
                else:
                    value, _ = run_cpu(argv, env)
                results.setdefault((measure, name), []).append(value)

    units = {
        "reference": "ms/profile",
        "import": "s (importtime)",
        "catalogue": "ms CPU",
        "again": "ms CPU",
    }
    print(f"\nmedian of {args.repeat} runs (min in brackets); CPU seconds unless stated")
    for measure in measures:
        row = [
            f"{name}: {statistics.median(v):.3f} [{min(v):.3f}]"
            for (m, name), v in results.items()
            if m == measure
        ]
        print(f"{measure:>10} ({units.get(measure, 's CPU')}): " + "; ".join(row))


if __name__ == "__main__":
    main()
