"""Reading input files and streams safely, before any parsing: regular files only (a FIFO,
`/dev/zero` or a folder is refused before it is opened), never more bytes than a limit
(counting the bytes read, whatever `stat` says), and text in UTF-8 only (UTF-16 and UTF-32
are recognised and named, binary files refused).

Used by the YAML loader (`coherence.yamlsource`), the questionnaire reader, baselines and
templates.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coherence.diagnostics import Diagnostic, InputError

MAX_BYTES = 2 * 1024 * 1024
"""Largest input read by default (a profile is a few kilobytes)."""


def _diag(path: str, line: int, column: int, code: str, message: str, hint: str = "") -> InputError:
    return InputError([Diagnostic(path, line, column, code, message, hint=hint)])


def _utf16_or_32(raw: bytes) -> str | None:
    """`UTF-16` or `UTF-32` if the bytes look like text in one of them, else None."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    if len(raw) >= 4 and raw[0] and not any(raw[1:4]):
        return "UTF-32"  # little-endian, no byte-order mark: "a\0\0\0"
    if len(raw) >= 4 and not any(raw[0:3]) and raw[3]:
        return "UTF-32"  # big-endian: "\0\0\0a"
    if len(raw) >= 2 and bool(raw[0]) != bool(raw[1]) and raw[2:4].count(0) == 1:
        return "UTF-16"  # "a\0b\0" or "\0a\0b"
    return None


def _binary(raw: bytes, path: str) -> InputError:
    """Binary bytes refused: at the first NUL byte, or at the start for a file whose kind is
    known (a workbook, a PDF), named with what to do."""
    from coherence.filekinds import kind_of

    kind = kind_of(raw)
    if kind is None:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return _diag(path, line, 1, "binary", "this is a binary file, not a YAML text file")
    said = f"this is {kind}, not a YAML text file"
    if kind == "an XLSX workbook":
        said += (
            "; a filled-in questionnaire becomes a profile with "
            "`coherence import WORKBOOK.xlsx -o PROFILE.yaml`"
        )
    return _diag(path, 1, 1, "binary", said)


def decode_text(raw: bytes, path: str) -> str:
    """Decode file bytes as UTF-8, refusing binary, UTF-16/32 and invalid sequences clearly."""
    wide = _utf16_or_32(raw)
    if wide:
        raise _diag(path, 1, 1, "encoding", f"the file is {wide} encoded; save it as UTF-8")
    if b"\x00" in raw or raw.startswith((b"PK\x03\x04", b"%PDF-")):
        raise _binary(raw, path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _diag(
            path,
            line,
            col,
            "encoding",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_a_file(path: Path, mode: int) -> OSError:
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "a special file")
    return OSError(errno.EINVAL, f"not a regular file: it is {kind}", str(path))


def explain_os_error(path: Path, exc: OSError) -> OSError:
    """`exc` with a plain reason for the cases that `strerror` words badly (symlink loops,
    dangling symlinks), naming `path`."""
    if exc.errno == errno.ELOOP:
        return OSError(errno.ELOOP, "a symbolic link loop (it leads back to itself)", str(path))
    if exc.errno == errno.ENOENT and os.path.islink(path):
        target = os.readlink(path)
        reason = f"a dangling symbolic link (its target {target} does not exist)"
        return FileNotFoundError(errno.ENOENT, reason, str(path))
    return exc


def read_limited(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file `path`, refusing more than `max_bytes`.

    Anything but a regular file (a folder, a FIFO, `/dev/zero`, a socket) is refused from its
    `stat`, before it is opened for reading; it is then opened without blocking and checked
    again, so a file swapped for a FIFO in between cannot hang the tool either. The limit
    counts the bytes actually read, not the size `stat` reports. Raises `OSError` (with a
    plain `strerror`) when the file cannot be read, `InputError` (`too-large`) past the limit.
    """
    shown = str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise explain_os_error(path, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_a_file(path, info.st_mode)
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, name, 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise explain_os_error(path, exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_a_file(path, info.st_mode)
        if info.st_size > max_bytes:
            raise _too_large(shown, f"the file is {info.st_size:,} bytes", max_bytes)
        data = _read_capped(lambda size: os.read(fd, size), max_bytes)
        if data is None:
            raise _too_large(shown, f"the file holds more than {max_bytes:,} bytes", max_bytes)
        return data
    finally:
        os.close(fd)


def _read_capped(read: Callable[[int], bytes], max_bytes: int) -> bytes | None:
    """Everything `read` gives, counting the bytes actually read; None past `max_bytes`
    (one byte more is asked for, so a source exactly at the limit is accepted)."""
    chunks: list[bytes] = []
    total = 0
    while total <= max_bytes:
        chunk = read(min(1 << 16, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return None if total > max_bytes else b"".join(chunks)


def _too_large(path: str, what: str, max_bytes: int) -> InputError:
    return _diag(path, 0, 0, "too-large", f"{what}; the limit is {max_bytes:,} bytes")


def shown_name(path: Path | str) -> str:
    """`path` as text any report or terminal can hold: the bytes of a file name that are not
    UTF-8 (a name made on another system) shown as U+FFFD, as terminals show them. The file
    system gives them as lone surrogates, which no UTF-8 output can write."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "replace")
    return text


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file within the size limit (see `read_limited`).

    I/O failures, and paths that are not regular files, raise `OSError` for the caller;
    content that is too large or not UTF-8 text raises `InputError`.
    """
    return decode_text(read_limited(path, max_bytes), shown_name(path))


# What YAML allows in a stream (YAML 1.1 "printable", as PyYAML's reader): tab, line breaks,
# printable ASCII, NEL and the rest of Unicode but for surrogates, U+FFFE and U+FFFF.
STDIN_NAME = "<stdin>"
"""How messages name a document read from standard input (a profile path given as `-`)."""


def read_stream_limited(stream: Any, max_bytes: int = MAX_BYTES, name: str = STDIN_NAME) -> bytes:
    """The bytes of a binary stream (standard input) up to its end, refusing more than
    `max_bytes` as `read_limited` does (`InputError`, `too-large`, naming `name`); the
    limit counts the bytes read, and no more than one byte past it is ever read."""
    data = _read_capped(stream.read, max_bytes)
    if data is None:
        raise _too_large(name, f"the input holds more than {max_bytes:,} bytes", max_bytes)
    return data
