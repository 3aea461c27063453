"""Benchmark: `coherence check` (or `compare`) over many generated profiles, CPU time and
peak memory.

    python benchmarks/scale.py [--sizes 200 1000] [--jobs 1 2] [--formats sarif text]
                               [--before /path/to/other/bin/coherence] [--command compare]

For each size, writes that many random profiles (`generate.py`, seeded) into a temporary
folder, then runs `coherence check FOLDER --format F -o FILE --jobs N` (with `--command
compare`, `coherence compare ...`) as a subprocess and measures:

* CPU: user + system time of the command and every process it waited for (its workers),
  from `resource.getrusage(RUSAGE_CHILDREN)` deltas in a wrapper process;
* max RSS: the largest resident set of any one of those processes (`ru_maxrss`);
* sum RSS: the largest sum of the resident sets of the command and its workers at one time,
  sampled from /proc every 20 ms (Linux only; what the machine must hold with `--jobs`);
* wall-clock seconds.

`--before` runs another installation too (e.g. a worktree of an earlier commit in its own
venv), side by side, with the same `--jobs` when its `--help` names the option (else
without).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SUFFIX = {
    "sarif": ".sarif",
    "text": ".txt",
    "json": ".json",
    "junit": ".xml",
    "csv": ".csv",
    "markdown": ".md",
    "html": ".html",
    "xlsx": ".xlsx",
    "pdf": ".pdf",
}


def measure_child(command: list[str]) -> None:
    """Run `command` (in this wrapper process) and print its CPU and max RSS as JSON."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = {"rc": proc.returncode, "cpu": cpu, "maxrss_kib": after.ru_maxrss}
    result["stderr"] = proc.stderr.decode("utf-8", "replace")[-2000:]
    print(json.dumps(result))


def _tree_rss_kib(root: int) -> int:
    """The summed resident set of `root` and its descendants, from /proc (KiB)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def measure(command: list[str]) -> dict:
    """CPU, max RSS, sampled summed RSS and wall time of `command`, run through a wrapper."""
    start = time.perf_counter()
    wrapper = subprocess.Popen(
        [sys.executable, __file__, "--run", "--", *command], stdout=subprocess.PIPE, text=True
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            with contextlib.suppress(OSError, ValueError, IndexError):
                peak[0] = max(peak[0], _tree_rss_kib(wrapper.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = wrapper.communicate()
    done.set()
    sampler.join()
    result = json.loads(out)
    result["wall"] = time.perf_counter() - start
    result["sum_rss_kib"] = peak[0]
    if result["rc"] not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({result['rc']}): {result['stderr']}")
    return result


def knows_jobs(script: str, command: str) -> bool:
    """Whether that installation's `command` takes `--jobs`."""
    shown = subprocess.run([script, command, "--help"], capture_output=True, text=True)
    return "--jobs" in shown.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--formats", nargs="+", default=["sarif", "text"])
    parser.add_argument("--before", help="another installation's coherence script")
    parser.add_argument("--command", choices=["check", "compare"], default="check")
    args = parser.parse_args()

    from generate import write_profiles

    after = str(Path(sys.executable).parent / "coherence")
    folder = Path(tempfile.mkdtemp(prefix="coherence-scale-bench-"))
    header = f"{'profiles':>8} {'format':<6} {'version':<7} {'jobs':>4} {'CPU s':>8} "
    header += f"{'wall s':>7} {'max RSS MiB':>11} {'sum RSS MiB':>11}"
    rows = [header]
    print(header, flush=True)
    try:
        for size in args.sizes:
            profiles = folder / f"profiles-{size}"
            write_profiles(profiles, size, distinct_dates=args.command == "compare")
            for fmt in args.formats:
                runs = [("after", after, jobs) for jobs in args.jobs]
                if args.before:
                    before_jobs = knows_jobs(args.before, args.command)
                    runs[:0] = [
                        ("before", args.before, jobs if before_jobs else None)
                        for jobs in (args.jobs if before_jobs else [None])
                    ]
                for label, script, jobs in runs:
                    out = folder / f"report{SUFFIX.get(fmt, '.out')}"
                    command = [script, args.command, str(profiles), "-f", fmt, "-o", str(out)]
                    if jobs is not None:
                        command += ["--jobs", str(jobs)]
                    r = measure(command)
                    row = f"{size:>8} {fmt:<6} {label:<7} {jobs or '-':>4} {r['cpu']:>8.1f} "
                    row += f"{r['wall']:>7.1f} {r['maxrss_kib'] / 1024:>11.0f} "
                    row += f"{r['sum_rss_kib'] / 1024:>11.0f}"
                    rows.append(row)
                    print(row, flush=True)
            shutil.rmtree(profiles)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        measure_child(sys.argv[3:])
    else:
        main()
