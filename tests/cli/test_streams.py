"""The standard streams as a careless shell or a busy CI runner leaves them: a full disk, a
closed descriptor, an encoding without the report's characters. None is a bug in coherence:
one plain line and exit 2, or a report with `?` for what cannot be written, never exit 3.
Real processes: the console script's own entry point is what handles them."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROFILES, ROOT, _command, _without_fallback_notice

TRANSIT = PROFILES / "example-transit.yaml"
FULL = Path("/dev/full")


def _run(args, *, close: tuple[int, ...] = (), stdout=None, encoding: str = "utf-8"):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "120"}

    def closing() -> None:  # in the child, before coherence starts
        for fd in close:
            os.close(fd)

    proc = subprocess.run(
        [*_command(), *map(str, args)],
        stdin=subprocess.DEVNULL if 0 not in close else None,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
        preexec_fn=closing if close else None,
    )
    # Where durable-rules cannot be installed (Python 3.13), its one notice is not the point.
    proc.stderr = _without_fallback_notice(proc.stderr.decode()).encode()
    return proc


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "args",
    [["check", TRANSIT], ["validate", "-f", "json", TRANSIT], ["template"], ["rules", "list"]],
    ids=["check", "validate", "template", "rules list"],
)
def test_a_full_disk_on_standard_output_is_a_plain_error(args) -> None:
    with FULL.open("wb") as full:
        proc = _run(args, stdout=full)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err == "coherence: error: cannot write the output: No space left on device\n"


def test_a_closed_standard_input_is_named() -> None:
    for command in (["validate", "-"], ["check", "-"]):
        proc = _run(command, close=(0,))
        said = proc.stdout.decode() + proc.stderr.decode()  # validate lists problems on stdout
        assert proc.returncode == 2, said
        assert "standard input is closed" in said and "internal error" not in said


def test_a_closed_standard_output_is_named() -> None:
    proc = _run(["check", TRANSIT], close=(1,))
    assert proc.returncode == 2
    assert proc.stderr.decode() == "coherence: error: standard output is closed\n"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp437"])
def test_an_encoding_without_the_reports_characters_gets_question_marks(encoding) -> None:
    proc = _run(["check", TRANSIT], encoding=encoding)
    assert proc.returncode == 0, proc.stderr.decode(encoding, "replace")
    text = proc.stdout.decode(encoding)
    assert re.search(r"Checked \d+ rules", text)
    assert "?" in text  # the dash of the header line, which ASCII cannot write


@pytest.mark.parametrize("fail_on", [[], ["--fail-on", "gap"]], ids=["no gate", "gate"])
def test_a_reader_that_goes_away_ends_that_report_not_the_run(tmp_path, fail_on) -> None:
    """`check -f json -o - -f sarif -o x.sarif | head -1`: the pipe closed after a line
    stopped the run, so x.sarif was never written, and the exit code was 1 whatever the
    findings (attack round 4, second pass). The reports after it are written now, and the
    exit code is the run's: 0 without --fail-on, 1 with a gap at its threshold."""
    sarif = tmp_path / "x.sarif"
    args = ["check", "-f", "json", "-o", "-", "-f", "sarif", "-o", sarif, *fail_on]
    proc = subprocess.Popen(
        [*_command(), *map(str, args), PROFILES / "example-origin.yaml"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == b"{"  # what `head -1` reads, then it goes away
    proc.stdout.close()  # the JSON report is far larger than a pipe's buffer
    with proc.stderr:
        errors = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == (1 if fail_on else 0), errors
    assert "Traceback" not in errors and "internal error" not in errors
    assert sarif.read_text(encoding="utf-8").startswith("{")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")
def test_a_profile_awaited_from_the_terminal_says_so(no_hang) -> None:
    """`coherence validate -` typed at a terminal waited for input without a word, as if it
    hung (attack round 4, second pass): it now says what it waits for and how to end it."""
    import pty

    main, side = pty.openpty()
    try:
        proc = subprocess.Popen(
            [*_command(), "validate", "-"],
            stdin=side,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
        os.close(side)
        assert proc.stderr is not None
        hint = proc.stderr.readline().decode()  # without the hint: no line, until no_hang
        assert "reading a profile from standard input (the terminal)" in hint
        assert "end it with Ctrl-D" in hint
        os.write(main, b"\x04")  # Ctrl-D: the end of what was typed (nothing)
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(main)
    assert proc.returncode == 1
    assert b"<stdin>: error[empty]" in out, err
