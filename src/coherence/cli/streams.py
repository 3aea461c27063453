"""The standard streams as the console script finds them: closed ones, encodings that cannot
write a report's characters, and a disk that fills up while writing.

None of these is a bug in coherence, so none may end as an "internal error": a closed
stream fails the first time it is used, with a plain message and exit 2; an encoding such
as ASCII or cp437 gets a replacement character for what it cannot write (the report's
dashes and quotes) instead of failing; an error of the operating system (a full disk, a
broken device) is one plain line, exit 2.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import sys

NAMES = {"stdin": "standard input", "stdout": "standard output", "stderr": "standard error"}


class ClosedStream(io.TextIOBase):
    """Stands for a standard stream the process was started without (`<&-`, `>&-`): using
    it raises `OSError(EBADF)` naming the stream."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _closed(self) -> OSError:
        return OSError(errno.EBADF, f"{NAMES[self.name]} is closed")

    def read(self, size: int | None = -1) -> str:
        raise self._closed()

    def readline(self, size: int | None = -1) -> str:
        raise self._closed()

    def write(self, text: str) -> int:
        raise self._closed()

    def flush(self) -> None:
        pass  # nothing written, nothing to flush (Python flushes at exit)

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise self._closed()

    @property
    def buffer(self):
        """No binary buffer: writing bytes fails like writing text."""
        raise self._closed()

    @property
    def encoding(self) -> str:
        return "utf-8"


def _is_utf(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "").name.startswith("utf")
    except LookupError:
        return False


def prepare_streams() -> None:
    """Replace closed standard streams by `ClosedStream`s, and let an output stream whose
    encoding is not a Unicode one write `?` for what it cannot encode."""
    for name in NAMES:
        if getattr(sys, name) is None:
            setattr(sys, name, ClosedStream(name))
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not _is_utf(stream.encoding):
            stream.reconfigure(errors="replace")


def os_error_line(exc: OSError) -> str:
    """One plain line for an error of the operating system met outside any file the command
    opens itself (those are reported where they are opened)."""
    what = exc.strerror or str(exc) or type(exc).__name__
    where = f"{exc.filename}: " if exc.filename else ""
    if not where and exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
        where = "cannot write the output: "
    return f"coherence: error: {where}{what}\n"


def report_os_error(exc: OSError) -> None:
    """Write `os_error_line(exc)` to standard error, if it can still be written."""
    with contextlib.suppress(OSError):
        sys.stderr.write(os_error_line(exc))
