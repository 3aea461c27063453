"""Ctrl-C (SIGINT) in the middle of a run (attack round 5): one plain line, exit 130, no
report and no temporary file left behind, and no traceback from a worker process."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import signal
import sys
from pathlib import Path

import pytest

from coherence.cli import main as cli_main
from coherence.cli import output, parallel
from tests.conftest import PROFILES

ORIGIN = PROFILES / "example-origin.yaml"


def _run(monkeypatch, *argv: str | Path) -> int:
    monkeypatch.setattr(sys, "argv", ["coherence", *map(str, argv)])
    with pytest.raises(SystemExit) as exit_:
        cli_main.run()
    return exit_.value.code  # type: ignore[return-value]


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def _said_interrupted(err: str) -> None:
    """The run's last word is one plain line; before it only the run's own notices (where
    durable-rules cannot be loaded, the fallback to the reference evaluator is said first)."""
    assert err.splitlines()[-1] == "coherence: interrupted", err
    assert err.count("interrupted") == 1 and "Traceback" not in err, err


def test_ctrl_c_while_assessing_says_so_and_writes_nothing(monkeypatch, capsys, tmp_path):
    """Typer turned the interrupt into a silent exit 130: the run stopped with no word."""
    monkeypatch.setattr(parallel.Assessor, "outcome", _interrupt)
    report = tmp_path / "r.json"
    assert _run(monkeypatch, "check", ORIGIN, "-o", report) == 130
    out, err = capsys.readouterr()
    _said_interrupted(err)
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_writing_leaves_no_partial_report(monkeypatch, capsys, tmp_path):
    def half_then_interrupt(target, data):
        with open(target, "w", closefd=not isinstance(target, int)) as handle:
            handle.write("{half a report")
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "_write_handle", half_then_interrupt)
    report = tmp_path / "r.json"
    assert _run(monkeypatch, "check", ORIGIN, "-o", report) == 130
    _said_interrupted(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []  # neither the report nor its temporary file


def _blocked(queue) -> None:
    queue.put(signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_workers_start_with_ctrl_c_held_back(monkeypatch):
    """A worker still importing coherence when Ctrl-C reached the process group printed a
    KeyboardInterrupt traceback of its own; workers now start with SIGINT blocked, and this
    process gets it as soon as they have started."""
    seen: list[bool] = []

    class Pool:
        def __init__(self, **kwargs):
            pass

        def map(self, work, files, chunksize):
            seen.append(signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))
            return iter([([], None)] * len(files))

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    files = [Path("a.yaml"), Path("b.yaml")]
    assert len(list(parallel.assess_each(files, None, None, None, jobs=2))) == 2  # type: ignore[arg-type]
    assert seen == [True]
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])

    context = multiprocessing.get_context("spawn")  # as the pool starts its workers
    queue = context.Queue()
    with parallel._sigint_held():
        child = context.Process(target=_blocked, args=(queue,))
        child.start()
    assert queue.get(timeout=60) is True
    child.join(timeout=60)
