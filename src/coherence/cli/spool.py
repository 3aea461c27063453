"""A list kept on disk: what `check` keeps of each of many profiles, so that its memory stays
flat whatever the number of profiles (`coherence.cli.checkpieces`).

Items are pickled into an anonymous temporary file (removed by the system when closed, and
at once on POSIX), which this process alone writes and reads back; only their offsets stay
in memory. Pickle is safe here because nothing but this process ever wrote the file.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from typing import Any, overload


class SpooledList(Sequence[Any]):
    """An append-only sequence whose items live in a temporary file."""

    def __init__(self) -> None:
        # The file lives as long as the list, so no `with`: closed by `close()` or when the
        # list is collected.
        self._file = tempfile.TemporaryFile(prefix=".coherence-tmp-")  # noqa: SIM115
        self._closed = weakref.finalize(self, self._file.close)
        self._offsets: list[int] = []
        self._end = 0

    def append(self, item: Any) -> None:
        """Add `item` at the end (written to the file now)."""
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(data)
        self._offsets.append(self._end)
        self._end += len(data)

    def __len__(self) -> int:
        return len(self._offsets)

    def _read(self, index: int) -> Any:
        start = self._offsets[index]
        stop = self._offsets[index + 1] if index + 1 < len(self._offsets) else self._end
        self._file.seek(start)
        return pickle.loads(self._file.read(stop - start))

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._read(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._read(index)

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self)):
            yield self._read(i)

    def close(self) -> None:
        """Remove the file (also done when the list is garbage-collected)."""
        self._closed()
