"""Writing command output: stdout or an atomically written file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import typer


def fail_usage(message: str) -> NoReturn:
    """Print a usage error in one plain sentence and exit 2."""
    typer.echo(f"coherence: error: {message}", err=True)
    raise typer.Exit(2)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file and rename, so no reader sees half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        # mkstemp creates the file private (0600); give it the mode a new file would get,
        # or keep the mode of the file it replaces.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(
    text: str,
    output: Path | None,
    *,
    refuse_existing: bool = False,
    protected: tuple[Path, ...] = (),
) -> None:
    """Print `text`, or write it atomically to `output`.

    `protected` paths (the inputs) are never overwritten.
    """
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    resolved = output.resolve()
    if any(resolved == p.resolve() for p in protected):
        fail_usage(f"{output}: refusing to overwrite an input file")
    if refuse_existing and output.exists():
        fail_usage(f"{output}: already exists; choose another name or delete it first")
    if output.is_dir():
        fail_usage(f"{output}: is a folder; give a file name")
    try:
        write_atomic(output, text)
    except OSError as exc:
        fail_usage(f"{output}: cannot write: {exc.strerror or exc}")
