"""Shared test fixtures: the repository layout and a runner for the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PROFILES = ROOT / "profiles"
TEMPLATE = ROOT / "templates" / "profile.yaml"
SHARED = ROOT.parent / "shared"


@dataclass
class Result:
    """What a CLI run produced."""

    returncode: int
    stdout: str
    stderr: str


def _command() -> list[str]:
    # Prefer the installed console script next to this interpreter: that is what users run.
    script = Path(sys.executable).with_name("coherence")
    if script.exists():
        return [str(script)]
    found = shutil.which("coherence")
    return [found] if found else [sys.executable, "-m", "coherence"]


def run_cli(*args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = 120) -> Result:
    """Run `coherence ARGS...` as a subprocess and capture its output."""
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
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of `path` that contains `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def invoke(*args: str | os.PathLike[str]) -> Result:
    """Run `coherence ARGS...` in-process with typer's CliRunner (fast; same app as the script)."""
    from typer.testing import CliRunner

    from coherence.cli.main import app

    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "120"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli():
    """The CLI runner, as a fixture."""
    return run_cli
