"""Assessing many profiles: one at a time, or in worker processes (`--jobs`), in input order.

`assess_each` loads, validates and assesses each profile file, and hands back, in the order of
the files, either its problems (located diagnostics) or what a `reduce` function made of its
assessment: the caller keeps that, not the assessment, so a check of 10,000 profiles holds
the pieces of its reports rather than 10,000 assessments. `reduce` runs where the profile
was assessed: in a worker process, it is the compact result that crosses back.

Workers are started with the 'spawn' method (a fresh interpreter: no engine state copied
from this process). Each builds the catalogue, the rule selection and the engine once, in
its initializer; the parent has built them first, so that any problem with them is reported
once, as with one job. Standard input (`-`) is read and assessed in this process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coherence.diagnostics import Diagnostic, InputError

SERIAL_BELOW = 8
"""With fewer profiles than this, `--jobs` defaults to 1: starting workers (each importing
coherence and building its engine) costs more than it saves."""

CHUNK = 4
"""Profiles handed to a worker at a time."""


def available_cores() -> int:
    """The cores this process may run on."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13
    if count is not None:
        n = count()
    elif hasattr(os, "sched_getaffinity"):
        n = len(os.sched_getaffinity(0))
    else:
        n = os.cpu_count()
    return max(1, n or 1)


def jobs_for(requested: int | None, count: int) -> int:
    """The worker processes for `count` profiles: as `--jobs` asks, else the available cores,
    but 1 below `SERIAL_BELOW` profiles; never more than there are profiles or cores (more
    workers than cores only add start-up time and memory: `-j 10000` once started 25
    processes and 1.4 GB for 80 profiles on two cores)."""
    cores = available_cores()
    if requested is None:
        requested = 1 if count < SERIAL_BELOW else cores
    return max(1, min(requested, count, cores))


@dataclass(frozen=True)
class Setup:
    """What a worker needs to build the catalogue, the selection and the engine the parent
    built (plain values: it is pickled to every worker)."""

    rules: tuple[Path, ...]
    select: tuple[str, ...]
    skip: tuple[str, ...]
    engine: str
    today: dt.date
    use_cache: bool = True


@dataclass
class Assessor:
    """Assesses one profile file: the full catalogue (which the waivers are checked
    against), the selected rules and the engine."""

    full: Any
    catalogue: Any
    engine: Any
    today: dt.date

    @classmethod
    def build(cls, setup: Setup) -> Assessor:
        """Built quietly from a `Setup` (in a worker: the parent has reported any problem)."""
        from coherence.assessment.selection import select_rules
        from coherence.engine.select import make_engine
        from coherence.rules.cache import load_catalogue_cached

        full = load_catalogue_cached(list(setup.rules), use_cache=setup.use_cache)
        catalogue = select_rules(full, list(setup.select), list(setup.skip))
        engine, _ = make_engine(catalogue, setup.engine)
        return cls(full, catalogue, engine, setup.today)

    def outcome(self, file: Path, reduce: Reduce) -> tuple[list[Diagnostic], Any]:
        """([], reduce(loaded, assessment, catalogue)), or the file's problems and None.

        The one place where waivers are checked: against the whole catalogue, before the
        rules are narrowed to the selection, so a waiver of a skipped rule is reported as
        unmatched rather than unknown."""
        from coherence.api import assess
        from coherence.assessment.waivers import waiver_problems
        from coherence.cli.inputs import load_profile_arg, shown_path
        from coherence.engine.durable import EngineError

        try:
            loaded = load_profile_arg(file)
            unknown = waiver_problems(loaded, self.full)
            if unknown:
                raise InputError(unknown)
            assessment = assess(
                loaded,
                self.catalogue,
                self.engine,
                today=self.today,
                check_waivers=False,
                keep_answers=getattr(reduce, "keeps_answers", True),
            )
            return [], reduce(loaded, assessment, self.catalogue)
        except InputError as exc:
            return list(exc.diagnostics), None
        except OSError as exc:
            reason = f"cannot read: {exc.strerror or exc}"
            return [Diagnostic(shown_path(file), 0, 0, "unreadable", reason)], None
        except EngineError as exc:
            return [Diagnostic(shown_path(file), 0, 0, "engine", str(exc))], None


Reduce = Callable[[Any, Any, Any], Any]
"""(loaded profile, assessment, catalogue) -> what the caller keeps of them; with jobs, a
picklable module-level function or object. One whose `keeps_answers` is false is given an
assessment without the profile's answers and details (`Assessment.answers`, `.details`)."""


def keep_assessment(loaded, assessment, catalogue):
    """A `Reduce` that keeps the assessment (`compare`, `diff`): it carries all a report
    needs, the profile's answers included (`Assessment.answers`), so the loaded profile is
    let go."""
    return assessment


def keep_for_comparison(loaded, assessment, catalogue):
    """A `Reduce` that keeps what a comparison reads of the assessment (`compare`; see
    `coherence.assessment.compact`)."""
    from coherence.assessment.compact import for_comparison

    return for_comparison(assessment)


_WORKER: dict[str, Any] = {}


def _start_worker(setup: Setup, reduce: Reduce) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run, not each worker with
    # a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["assessor"] = Assessor.build(setup)
    _WORKER["reduce"] = reduce
    batch_gc(2).__enter__()  # for the worker's life: it only ever assesses profiles


GC_THRESHOLD = 20_000
"""Allocations between two young-generation collections during a batch (Python's default
is 700): a profile allocates tens of thousands of objects, nearly all freed by reference
counting, so frequent collections mostly rescan live objects in vain."""


@contextlib.contextmanager
def batch_gc(count: int) -> Iterator[None]:
    """Garbage-collector settings for assessing `count` profiles in a row.

    The objects alive at the start (modules, the catalogue, the engine) are moved out of
    the collector's sight (`gc.freeze`), so no collection rescans them, and young
    collections are rarer (`GC_THRESHOLD`). Both are undone on leaving. A single profile
    is left alone. Cycles are still collected, only less often; memory stays flat because
    each profile's objects are freed by reference counting as soon as it is reported."""
    if count < 2:
        yield
        return
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT (Ctrl-C) held back while worker processes start, and delivered after.

    Ctrl-C reaches the whole process group: a worker still importing coherence when it
    arrives printed a KeyboardInterrupt traceback of its own before `_start_worker` could
    ignore it. A spawned process inherits the blocked signal, so a worker never sees it;
    this process receives it, once unblocked, and stops the run as usual."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = block(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, previous)


def _work(file: Path) -> tuple[list[Diagnostic], Any]:
    return _WORKER["assessor"].outcome(file, _WORKER["reduce"])


def assess_each(
    files: Sequence[Path],
    local: Assessor,
    setup: Setup,
    reduce: Reduce,
    jobs: int = 1,
) -> Iterator[tuple[Path, list[Diagnostic], Any]]:
    """(file, problems, reduced) for each file, in the order of `files`: in this process
    with `local` when `jobs` is 1, else in `jobs` worker processes built from `setup`."""
    from coherence.cli.inputs import STDIN_ARG

    if jobs <= 1:
        with batch_gc(len(files)):
            for file in files:
                yield (file, *local.outcome(file, reduce))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    here = {i: local.outcome(f, reduce) for i, f in enumerate(files) if str(f) == STDIN_ARG}
    pooled = [f for f in files if str(f) != STDIN_ARG]
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(setup, reduce),
    )
    try:
        with _sigint_held():  # the workers start during the first submit, inside `map`
            results = pool.map(_work, pooled, chunksize=CHUNK)
        for i, file in enumerate(files):
            yield (file, *(here[i] if i in here else next(results)))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def baseline_piece(loaded, assessment, catalogue):
    """A `Reduce` that keeps the profile's baseline entry (`coherence baseline`)."""
    from coherence.assessment.gate import baseline_entry

    return baseline_entry(assessment)
