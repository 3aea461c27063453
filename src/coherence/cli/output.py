"""Writing command output: standard output, an atomically written file, or a special file.

* `-o -`, `-o /dev/stdout` (and `/dev/fd/1`, `/proc/self/fd/1`) print to standard output;
  `/dev/stderr` and its aliases to standard error.
* A regular file is replaced atomically: written to a temporary file next to it, then
  renamed over it. A symlink is followed, so the link stays a link.
* A device node or FIFO (`/dev/null`, a named pipe) is written through, never replaced:
  as root, replacing `/dev/null` with a regular file would break every other process.
* Inputs (profiles, baselines, rule-pack files, templates) are never overwritten.
* Temporary files are named `.coherence-tmp-<pid>-...`; they are removed on SIGTERM and
  SIGHUP, and one left by a killed run (SIGKILL) is removed by a later run writing there.
* A binary report (bytes, or `Chunks` of bytes: XLSX) goes through the same paths. On
  standard output or standard error it is refused when that stream is a terminal (exit 2,
  "give --output FILE.xlsx"), and written as bytes to a pipe or a redirected file.
* A text that starts with a UTF-8 byte-order mark (the CSV reports, so that Excel reads them
  as UTF-8) keeps it in a regular file, and loses it on standard output, standard error and
  special files: there it would show as noise on a terminal, or reach another program's
  first header cell.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import typer

from coherence.terminal import for_terminal

STDOUT_ALIASES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})
STDERR_ALIASES = frozenset({"/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"})
TEMP_PREFIX = ".coherence-tmp-"
STALE_AFTER = 60.0
"""Seconds after which a temporary file of a process that no longer runs is stale (a run
writes its report in milliseconds; the margin covers clocks and slow disks)."""
ABANDONED_AFTER = 24 * 3600.0
"""Seconds after which any temporary file is stale, even if its process id is in use."""


def fail_usage(message: str) -> NoReturn:
    """Print a usage error in one plain sentence and exit 2.

    One line: a line break in a file name is shown as a backslash and `n`, as the problems
    in files show it, not let through to split the message in two."""
    one_line = message.replace("\r", "\\r").replace("\n", "\\n")
    typer.echo(for_terminal(f"coherence: error: {one_line}"), err=True)
    raise typer.Exit(2)


# Temporary files being written, removed if the process is asked to stop.
_PENDING: set[str] = set()
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _remove_pending() -> None:
    for name in list(_PENDING):
        with contextlib.suppress(OSError):
            os.unlink(name)
    _PENDING.clear()


@contextlib.contextmanager
def _removed_on_stop() -> Iterator[None]:
    """While writing: on SIGTERM or SIGHUP, remove the temporary files, then let the signal
    take its ordinary course (the previous handler, or termination by the signal)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def handler(signum, frame):
        _remove_pending()
        before = previous.get(signum)
        signal.signal(signum, before if before is not None else signal.SIG_DFL)
        if callable(before):
            before(signum, frame)
        else:
            os.kill(os.getpid(), signum)

    for signum in _STOP_SIGNALS:
        if signal.getsignal(signum) != signal.SIG_IGN:  # under nohup, SIGHUP stays ignored
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before if before is not None else signal.SIG_DFL)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill would terminate it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_temporaries(directory: Path) -> None:
    """Remove temporary files that killed runs left in `directory`.

    Stale means: older than `STALE_AFTER` and of a process id that no longer runs here, or
    older than `ABANDONED_AFTER`. Only regular files with the prefix are touched.
    """
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        age = now - info.st_mtime
        if not stat.S_ISREG(info.st_mode) or age < STALE_AFTER:
            continue
        pid_text = entry.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        alive = pid_text.isdigit() and _alive(int(pid_text))
        if alive and age < ABANDONED_AFTER:
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def write_atomic(path: Path, text: str | bytes | Chunks) -> None:
    """Write `text` (or bytes) to `path` via a temporary file and rename, so no reader sees
    half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    remove_stale_temporaries(directory)
    with _removed_on_stop():
        fd, tmp = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=f"-{path.name[:80]}", dir=directory
        )
        _PENDING.add(tmp)
        try:
            _write_handle(fd, text)
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
        finally:
            _PENDING.discard(tmp)


class Chunks:
    """A report given as the pieces of its text, written one after the other: a long report
    (e.g. the SARIF log of 10,000 profiles) is never held whole. Iterable once. With
    `binary`, the pieces are bytes (the blocks of an XLSX workbook)."""

    def __init__(self, parts: Iterable[str] | Iterable[bytes], binary: bool = False) -> None:
        self.parts = parts
        self.binary = binary

    def __iter__(self) -> Iterator[Any]:
        return iter(self.parts)


def _write_handle(target: int | str | Path, data: str | bytes | Chunks) -> None:
    """Write text (UTF-8, `\\n` line ends), its `Chunks`, or bytes (or their `Chunks`) to a
    file descriptor or path."""
    if isinstance(data, bytes) or (isinstance(data, Chunks) and data.binary):
        with open(target, "wb") as raw:
            for block in [data] if isinstance(data, bytes) else data:
                raw.write(block)
        return
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        for part in [data] if isinstance(data, str) else data:
            handle.write(part)


BOM = "\ufeff"
"""The byte-order mark a CSV report starts with (kept only in a regular file)."""

BINARY_ON_TERMINAL = "xlsx is binary: give --output FILE.xlsx"
"""Why a binary report is refused on a terminal."""


def _on_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _to_stream(stream, data: str | bytes | Chunks) -> None:
    """Print text, or write bytes to the stream's binary buffer (refused on a terminal).

    A reader that goes away (`coherence check -o - -f sarif -o x.sarif | head`) ends this
    report, not the run: the reports still to write are written, and the exit code is the
    run's (it was 1, which says a finding failed, and the later reports were never written)."""
    try:
        _write_stream(stream, data)
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError):  # later writes and the flush at exit
            devnull = os.open(os.devnull, os.O_WRONLY)  # go nowhere, without another error
            os.dup2(devnull, stream.fileno())
            os.close(devnull)


def _write_stream(stream, data: str | bytes | Chunks) -> None:
    if isinstance(data, str):
        stream.write(data.removeprefix(BOM))
        stream.flush()
        return
    if isinstance(data, Chunks) and not data.binary:
        for i, part in enumerate(data):
            stream.write(part.removeprefix(BOM) if i == 0 else part)
        stream.flush()
        return
    if _on_terminal(stream):
        fail_usage(BINARY_ON_TERMINAL)
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream (a replaced sys.stdout): no way to write bytes
        fail_usage(BINARY_ON_TERMINAL)
    for block in [data] if isinstance(data, bytes) else data:
        buffer.write(block)
    buffer.flush()


def _same_or_inside(output: Path, protected: Path) -> bool:
    """Is `output` the file `protected`, or inside the folder `protected`? For `-`, is it
    the file standard input was redirected from (`check - -o p.txt < p.txt`)?"""
    if str(protected) == "-":
        try:
            return os.path.samestat(os.stat(output), os.fstat(sys.stdin.fileno()))
        except (OSError, ValueError):  # no such output yet, or no real standard input
            return False
    try:
        if os.path.samefile(output, protected):
            return True
    except OSError:
        pass
    mine, theirs = Path(os.path.realpath(output)), Path(os.path.realpath(protected))
    return mine == theirs or (protected.is_dir() and theirs in mine.parents)


def refuse_inputs(
    outputs: Iterable[Path | None], protected: Iterable[Path], *, reports: bool = True
) -> None:
    """Exit 2 if an output would overwrite an input: a protected file, or anything inside a
    protected folder (a `--template-dir`); and, for `reports` (any output but a profile or a
    template), if it is named `.yaml`/`.yml`, new or not."""
    guarded = list(protected)
    for output in outputs:
        if output is None or str(output) in STDOUT_ALIASES | STDERR_ALIASES:
            continue
        if any(_same_or_inside(output, p) for p in guarded):
            fail_usage(f"{output}: refusing to overwrite an input file")
        if reports:
            refuse_yaml_name(output)


def refuse_yaml_name(output: Path) -> None:
    """Exit 2 for a report named `.yaml`/`.yml`: a report is never YAML, and one written
    beside the profiles (as CI jobs do) would be read as a broken profile by the next
    `check` or `validate` of the folder, which would then check nothing."""
    if output.suffix.lower() not in (".yaml", ".yml"):
        return
    if output.exists():
        fail_usage(
            f"{output}: refusing to write over a YAML file (a profile or rule file, never a "
            "report); choose another name"
        )
    fail_usage(
        f"{output}: a report is not YAML, and a .yaml or .yml file is read as a profile or "
        "a rule file (the next check of this folder would fail on it); name it for its "
        f"format instead, e.g. {output.with_suffix('.txt').name}"
    )


def refuse_repeated_outputs(outputs: Sequence[Path]) -> None:
    """Exit 2 if two reports would go to one place (standard output, or one file): the
    result would be neither report."""
    seen: set[str] = set()
    for output in outputs:
        name = str(output)
        where = (
            "standard output"
            if name in STDOUT_ALIASES
            else "standard error"
            if name in STDERR_ALIASES
            else os.path.realpath(output)
        )
        if where in seen:
            shown = where if where.startswith("standard") else name
            fail_usage(f"two reports would be written to {shown}; give each its own --output")
        seen.add(where)


def rule_inputs(rule_dirs: Sequence[Path]) -> list[Path]:
    """The rule-pack files that `--rules` names, and the bundled ones: inputs too."""
    from coherence.diagnostics import InputError
    from coherence.rules.catalog import bundled_rules_dir, rule_files

    dirs = list(rule_dirs)
    with contextlib.suppress(OSError):  # no bundled data: loading the catalogue says so
        dirs.append(bundled_rules_dir())
    found: list[Path] = []
    for item in dirs:
        with contextlib.suppress(InputError, OSError):  # the catalogue reports these
            found += rule_files([item])
    return found


_KINDS = (
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


PRECIOUS_WORDS = {
    "questionnaire": "a coherence questionnaire workbook (a ministry's answers may be in it)",
    "baseline": "a coherence baseline (make a new one with `coherence baseline`)",
}


def precious_kind(path: Path) -> str | None:
    """Whether an existing file is one no report may replace: a questionnaire workbook
    (`questionnaire`, known by the marker in its properties or its Profile sheet) or a
    baseline (`baseline`); read from a few kilobytes, never the whole file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if head.startswith(b"PK"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" not in names:
                    return None
                parts = [n for n in ("docProps/core.xml", "xl/workbook.xml") if n in names]
                text = b"".join(archive.open(n).read(1 << 16) for n in parts)
        except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
            return None
        from coherence.questionnaire.layout import MARKER

        if MARKER.encode() in text or b'name="Profile"' in text:
            return "questionnaire"
        return None
    compact = b"".join(head.split())
    if compact.startswith(b"{") and b'"tool":"coherence"' in compact and b'"profiles"' in compact:
        return "baseline"
    return None


def _destination(
    output: Path, *, refuse_existing: bool = False, replaces: str | None = None
) -> os.stat_result | None:
    """What is at `output` now (None: nothing, a new file), once every reason not to write
    there has exited 2: a folder, a special file, a missing folder, an existing file without
    `--force` (`refuse_existing`), a read-only file, a precious file (a questionnaire, a
    baseline) unless the command `replaces` that kind. A device or a pipe (`/dev/stdout`) may
    be written to."""
    try:
        info = os.stat(output)
    except FileNotFoundError:
        folder = Path(os.path.realpath(output)).parent
        if not folder.is_dir():  # said before any report is written, not after the first
            given = Path(os.path.realpath(output.parent)) == folder  # not through a link
            fail_usage(
                f"{output}: cannot write: there is no folder {output.parent if given else folder}"
            )
        return None  # a new file, or a dangling symlink whose target will be created
    except OSError as exc:
        from coherence.textinput import explain_os_error

        fail_usage(f"{output}: cannot write: {explain_os_error(output, exc).strerror or exc}")
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        return info
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "a special file")
        if kind == "a folder":
            fail_usage(f"{output}: is a folder; give a file name")
        fail_usage(f"{output}: is {kind}; refusing to write a report onto it")
    if refuse_existing:
        fail_usage(f"{output}: already exists; choose another name, or give --force to replace it")
    if not info.st_mode & 0o222:
        # A file no one may write was made so to keep it: a report written atomically (a new
        # file renamed over it) would replace it all the same, even for its owner.
        fail_usage(
            f"{output}: is read-only; refusing to replace it; choose another name, or make it "
            "writable first"
        )
    kind = precious_kind(output)
    if kind is not None and kind != replaces:
        fail_usage(
            f"{output}: is {PRECIOUS_WORDS[kind]}; refusing to write over it; choose another name"
        )
    return info


def refuse_unwritable(outputs: Iterable[Path]) -> None:
    """Exit 2, before any work, if one of several reports could not be written where asked:
    else the reports before it would be written, and the run fail after them."""
    for output in outputs:
        if str(output) not in STDOUT_ALIASES | STDERR_ALIASES:
            _destination(output)


def emit(
    text: str | bytes | Chunks,
    output: Path | None,
    *,
    refuse_existing: bool = False,
    protected: tuple[Path, ...] = (),
    terminal: bool = False,
    writes_yaml: bool = False,
    replaces: str | None = None,
) -> None:
    """Print `text`, or write it to `output` (atomically if it is a regular file).

    `protected` paths (the inputs) are never overwritten, nor an existing YAML file unless
    the command `writes_yaml` (a profile or a template): a report is never YAML, so `-o` onto
    one is a slip that would wipe a profile or a rule file. `terminal` text (for people to
    read) has its control characters made visible, wherever it goes. Bytes (a binary report)
    are refused on a terminal; a leading byte-order mark is kept only in a regular file.
    """
    if terminal and isinstance(text, Chunks) and not text.binary:  # one code point each
        text = Chunks(for_terminal(part) for part in text)
    if terminal and isinstance(text, str):
        text = for_terminal(text)
    if output is None or str(output) in STDOUT_ALIASES:
        _to_stream(sys.stdout, text)
        return
    if str(output) in STDERR_ALIASES:
        _to_stream(sys.stderr, text)
        return
    refuse_inputs([output], protected, reports=not writes_yaml)
    info = _destination(output, refuse_existing=refuse_existing, replaces=replaces)
    try:
        if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            if isinstance(text, Chunks) and not text.binary:
                text = Chunks(
                    part.removeprefix(BOM) if i == 0 else part for i, part in enumerate(text)
                )
            _write_handle(output, text.removeprefix(BOM) if isinstance(text, str) else text)
            return
        write_atomic(Path(os.path.realpath(output)), text)
    except OSError as exc:
        fail_usage(f"{output}: cannot write: {exc.strerror or exc}")
