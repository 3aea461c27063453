"""The on-disk list that keeps `check`'s per-profile pieces out of memory."""

from __future__ import annotations

import pytest

from coherence.cli.spool import SpooledList


def test_items_come_back_in_order_by_index_slice_and_iteration() -> None:
    items = [b"\x00" * 10, {"results": [1, 2, 3]}, "text, é", (4, 5), b""]
    spool = SpooledList()
    for item in items:
        spool.append(item)
    assert len(spool) == len(items)
    assert list(spool) == items
    assert [spool[i] for i in range(len(items))] == items
    assert spool[-1] == b"" and spool[-5] == items[0]
    assert spool[1:3] == items[1:3]
    with pytest.raises(IndexError):
        spool[5]
    # Reading does not disturb appending: the next item goes after the last one.
    spool.append("late")
    assert spool[5] == "late" and spool[0] == items[0]


def test_nothing_but_offsets_stays_in_memory_and_close_removes_the_file() -> None:
    spool = SpooledList()
    for i in range(1000):
        spool.append(b"x" * 1000 + i.to_bytes(2, "big"))
    assert spool._end >= 1000 * 1000 and len(spool._offsets) == 1000
    assert spool[999][-2:] == (999).to_bytes(2, "big")
    spool.close()
    assert spool._file.closed
    with pytest.raises(ValueError):
        spool[0]
