"""Shared test fixtures: the repository layout and runners for the CLI.

Two runners share one contract, `Result(returncode, stdout, stderr)`:

* `cli` / `run_in_process`: the CLI in-process through typer's `CliRunner` (fast). It behaves
  like the console script: default working directory the checkout (`cwd=` to change it, restored
  afterwards), `COLUMNS=120`, and an unexpected exception becomes exit 3 with the one-line
  internal-error message, as `coherence.cli.main.run` does.
* `cli_subprocess` / `run_cli`: the real console script in a subprocess, for the few tests that
  need a real process (the console script itself, signals, hangs guarded by a timeout, a fresh
  interpreter, real standard streams).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PROFILES = ROOT / "profiles"
TEMPLATE = ROOT / "templates" / "profile.yaml"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _catalogue_cache_in_tmp(tmp_path_factory):
    """Every test, and every CLI it starts, caches the verified catalogue in a temporary
    folder (COHERENCE_CACHE_DIR), never in the user's cache folder."""
    old = os.environ.get("COHERENCE_CACHE_DIR")
    os.environ["COHERENCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("catalogue-cache"))
    yield
    if old is None:
        os.environ.pop("COHERENCE_CACHE_DIR", None)
    else:
        os.environ["COHERENCE_CACHE_DIR"] = old


def _durable_importable() -> bool:
    try:
        import durable.lang  # noqa: F401
    except Exception:  # ImportError, or a broken native module
        return False
    return True


HAS_DURABLE = _durable_importable()
"""durable-rules is not installed on Python 3.13+ or Windows (its marker in pyproject.toml):
there the tool runs on the reference evaluator, and the tests that pin durable are skipped."""
needs_durable = pytest.mark.skipif(
    not HAS_DURABLE,
    reason="durable-rules is not installable on this Python or platform; "
    "the reference evaluator is tested instead",
)
ENGINES = [pytest.param("durable", marks=needs_durable), "reference"]
"""Engine names to parametrize over: both where durable-rules is installed."""


def _without_fallback_notice(stderr: str) -> str:
    # Where durable-rules is missing every run prints the fallback notice first (tested in
    # tests/engine/test_fallback.py); the other tests assert on what follows it.
    if HAS_DURABLE:
        return stderr
    from coherence.engine.select import FALLBACK_NOTICE

    return "".join(line for line in stderr.splitlines(keepends=True) if FALLBACK_NOTICE not in line)


@dataclass
class Result:
    """What a CLI run produced."""

    returncode: int
    stdout: str
    stderr: str
    exception: BaseException | None = field(default=None, compare=False, repr=False)
    """In-process runs only: the unexpected exception behind an exit code 3 (for debugging)."""


def _command() -> list[str]:
    # Prefer the installed console script next to this interpreter: that is what users run.
    script = Path(sys.executable).with_name("coherence")
    if script.exists():
        return [str(script)]
    found = shutil.which("coherence")
    return [found] if found else [sys.executable, "-m", "coherence"]


def run_cli(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    timeout: float = 120,
    input: str | None = None,
) -> Result:
    """Run `coherence ARGS...` as a subprocess and capture its output (`input`: its
    standard input, else none)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"}
    proc = subprocess.run(
        [*_command(), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        env=env,
        timeout=timeout,
        check=False,
        input=input,
    )
    return Result(proc.returncode, proc.stdout, _without_fallback_notice(proc.stderr))


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@functools.cache
def _click_command() -> click.Command:
    """The click command typer builds from the app, built once per test process: typer's
    `CliRunner.invoke` builds it again on every call (about 10 ms, a run of `rules list`),
    and hands the same command to click's runner, which is what is used here."""
    import typer.main

    from coherence.cli.main import app

    return typer.main.get_command(app)


def run_in_process(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    timeout: float | None = None,
    input: str | bytes | None = None,
) -> Result:
    """Run `coherence ARGS...` in-process with typer's CliRunner, as the console script would.

    Same contract as `run_cli`: the working directory is `cwd` (default: the checkout) for the
    run only; the environment is this process's plus `COLUMNS=120`; an unexpected exception is
    what `coherence.cli.main.run` makes of it: exit 3 and one plain line on stderr, or with
    `--debug` / COHERENCE_DEBUG the traceback and exit 1, as Python itself would end.
    `timeout` is accepted for the same signature; a test that needs a hang guard uses
    `cli_subprocess`. `input` is the run's standard input (default: empty).
    """
    from coherence.cli import main as cli_main

    argv = [str(a) for a in args]
    with _working_directory(cwd or ROOT):
        result = CliRunner().invoke(_click_command(), argv, input=input, env={"COLUMNS": "120"})
    exc = result.exception
    stderr = _without_fallback_notice(result.stderr)
    if exc is None or isinstance(exc, SystemExit):
        return Result(result.exit_code, result.stdout, stderr)
    if cli_main._debugging(argv):
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return Result(1, result.stdout, stderr + text, exc)
    return Result(
        cli_main.INTERNAL_ERROR,
        result.stdout,
        stderr + cli_main.internal_error_line(exc),
        exc,
    )


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of `path` that contains `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def invoke(*args: str | os.PathLike[str]) -> Result:
    """Run `coherence ARGS...` in-process with typer's CliRunner (fast; same app as the script).

    Unlike `run_in_process`, an unexpected exception is raised into the test, and the working
    directory is left as it is.
    """
    result = CliRunner().invoke(_click_command(), [str(a) for a in args], env={"COLUMNS": "120"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, _without_fallback_notice(result.stderr))


@pytest.fixture(scope="session", autouse=True)
def private_catalogue_cache(tmp_path_factory) -> Iterator[Path]:
    """The suite's own catalogue cache folder (COHERENCE_CACHE_DIR), shared by in-process and
    subprocess runs: nothing read from, or left in, the user's cache folder."""
    folder = tmp_path_factory.mktemp("catalogue-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COHERENCE_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def cli():
    """The CLI, run in-process (see `run_in_process`)."""
    return run_in_process


@pytest.fixture
def cli_subprocess():
    """The CLI as a real subprocess, for the tests that need one (see `run_cli`)."""
    return run_cli


@pytest.fixture
def no_hang():
    """Fail, rather than hang, if the code under test has not returned within 60 seconds."""
    import signal

    def alarm(signum, frame):
        raise TimeoutError("still running after 60 seconds")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The packaging tests share one wheel build per worker (a session fixture): keep them on
    one worker when the suite runs in parallel (`--dist loadgroup`)."""
    for item in items:
        if item.get_closest_marker("packaging"):
            item.add_marker(pytest.mark.xdist_group("packaging"))
