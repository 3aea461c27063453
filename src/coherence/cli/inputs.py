"""Profile paths on the command line: files, folders and `-` for standard input."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from coherence.cli.output import fail_usage

STDIN_ARG = "-"
"""The profile path that means standard input (`coherence check -`)."""


def load_profile_arg(path: Path):
    """The profile at `path`, or from standard input for `-` (named `<stdin>` in messages,
    with the size limits of a file). Raises `InputError` or `OSError` as `load_profile`."""
    from coherence.profile.validate import load_profile, load_profile_stream

    if str(path) == STDIN_ARG:
        if _on_terminal(sys.stdin):  # else a mistyped `-` waits without a word, as if hung
            sys.stderr.write(
                "coherence: reading a profile from standard input (the terminal): type or "
                "paste it, then end it with Ctrl-D (Ctrl-Z and Enter on Windows)\n"
            )
            sys.stderr.flush()
        return load_profile_stream(getattr(sys.stdin, "buffer", sys.stdin))
    return load_profile(path)


def _on_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, OSError, ValueError):  # closed or replaced
        return False


def refuse_stdin(paths: list[Path | None], what: str) -> None:
    """Exit 2 if `-` is given where a command reads files only: it meant standard input,
    which only validate, check, compare and baseline read (else "-: no such file")."""
    if any(p is not None and str(p) == STDIN_ARG for p in paths):
        fail_usage(
            f"- (standard input) is not read here: {what} reads a file, give its name (only "
            "the profiles of validate, check, compare and baseline may come from standard input)"
        )


def shown_path(path: Path) -> str:
    """How messages name a profile path: `<stdin>` for `-`."""
    from coherence.textinput import STDIN_NAME

    return STDIN_NAME if str(path) == STDIN_ARG else str(path)


def _yaml_files(folder: Path) -> Iterator[Path]:
    """The `*.yaml`/`*.yml` files under `folder`, hidden folders and files left out (a
    `.git` or `.venv` holds YAML that is no profile, and can be large to walk)."""
    import os

    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            p = Path(root, name)
            if not name.startswith(".") and p.suffix in (".yaml", ".yml") and p.is_file():
                yield p


def collect_profile_paths(paths: list[Path]) -> list[Path]:
    """Files named on the command line, plus `*.yaml`/`*.yml` found under folders (not in
    hidden ones, such as `.git` or `.venv`, nor hidden files); `-` (standard input, at most
    once) is kept as it is.

    A file reached twice (`x.yaml ./x.yaml`, a folder and a file in it, a link to a file
    given) is kept once, where first given: one profile is one assessment, else `check`
    would count it twice and `compare` would call it two profiles of one date."""
    import errno
    import os

    from coherence.textinput import explain_os_error

    found: list[Path] = []
    for path in paths:
        if str(path) == STDIN_ARG:  # one profile from standard input
            if any(str(p) == STDIN_ARG for p in found):
                fail_usage("- (standard input) is given twice; it holds one profile")
            found.append(path)
            continue
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ENOENT and not path.is_symlink():
                fail_usage(f"{path}: no such file or folder")
            fail_usage(f"{path}: {explain_os_error(path, exc).strerror or exc}")
        if path.is_dir():
            inside = sorted(_yaml_files(path))
            if not inside:
                fail_usage(f"{path}: no profile files (*.yaml, *.yml) in this folder")
            found.extend(inside)
        else:  # a file, or a FIFO or device that reading will refuse by name
            found.append(path)
    return _once(found)


def _once(paths: list[Path]) -> list[Path]:
    """`paths` without the repeats of a file, by its resolved path, first mention kept."""
    import os

    seen: set[str] = set()
    kept = []
    for path in paths:
        key = str(path) if str(path) == STDIN_ARG else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return kept
