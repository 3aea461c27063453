"""The XLSX gap report in flat memory: the workbook is written profile by profile (each
profile's rows to the end of every sheet at once, openpyxl's write-only mode), from
assessments taken one at a time or from `check`'s pieces on disk, never all held at once;
the same bytes however it is made."""

from __future__ import annotations

import io
import weakref
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coherence.cli.spool import SpooledList
from coherence.findings import Assessment
from coherence.report.formats import FORMATS, FormatError, GapOptions
from coherence.report.formats.xlsx import gap_document, gap_piece, render_xlsx, sheet
from tests.report.conftest import folder_reports


@pytest.fixture(scope="module")
def several(examples: dict[str, Assessment], hostile: Assessment) -> list[Assessment]:
    """Eight profiles (the examples and the hostile one, twice)."""
    return [*examples.values(), hostile] * 2


def test_each_assessment_is_written_before_the_next_is_taken(several, monkeypatch) -> None:
    """An iterator of assessments is consumed as the workbook is written: the first rows
    are written after one assessment was taken, and every profile's rows before the next
    profile is taken (so the writer never needs them all)."""
    events: list[tuple[str, object]] = []
    real_add = sheet.Table.add

    def add(self, rows) -> None:
        rows = list(rows)
        if rows:
            events.append(("rows", self.title))
        real_add(self, rows)

    monkeypatch.setattr(sheet.Table, "add", add)

    def arriving():
        for i, a in enumerate(several):
            events.append(("taken", i))
            yield a

    data = render_xlsx(arriving())
    taken = [i for i, (kind, _) in enumerate(events) if kind == "taken"]
    assert len(taken) == len(several)
    first_rows = next(i for i, (kind, _) in enumerate(events) if kind == "rows")
    assert events[:first_rows] == [("taken", 0)]
    for start, end in zip(taken, [*taken[1:], len(events)], strict=True):
        written = {title for kind, title in events[start + 1 : end] if kind == "rows"}
        assert {"Summary", "Findings", "Profiles"} <= written, events[start]
    monkeypatch.undo()
    assert data == render_xlsx(several)  # the same workbook as from a list


class _CountingSpool(SpooledList):
    """`check`'s on-disk list of pieces, counting the pieces read back and still alive."""

    def __init__(self) -> None:
        super().__init__()
        self.alive = 0
        self.most_alive = 0

    def _gone(self) -> None:
        self.alive -= 1

    def _read(self, index: int):
        piece = super()._read(index)
        self.alive += 1
        self.most_alive = max(self.most_alive, self.alive)
        weakref.finalize(piece, self._gone)
        return piece


def test_check_writes_the_workbook_from_pieces_on_disk_one_at_a_time(several, cli, tmp_path):
    """`check` keeps each profile's rows on disk (`gap_piece`); the workbook is written from
    them holding at most the piece being written and the one before: the same bytes as
    the workbook made in memory, in this process and with two workers."""
    assert next(f for f in FORMATS if f.name == "xlsx").pieces
    spool = _CountingSpool()
    for a in several:
        spool.append(gap_piece(a, GapOptions()))
    streamed = b"".join(gap_document(spool, GapOptions()))
    assert streamed == render_xlsx(several)
    assert 1 <= spool.most_alive <= 2 < len(several)
    _, outs = folder_reports(cli, tmp_path, ".xlsx")
    assert outs[0] == outs[1]
    header, *rows = load_workbook(io.BytesIO(outs[0]))["Profiles"].iter_rows(values_only=True)
    paths = [str(row[header.index("Profile")]) for row in rows]
    assert [Path(p).name for p in paths] == ["example-origin.yaml", "example-transit.yaml"]


def test_check_keeps_no_assessment_for_the_xlsx_report(transit, catalogue) -> None:
    """What `check` keeps of a profile for `--format xlsx` is its rows, not its assessment."""
    from coherence.cli.checkpieces import CheckPieces
    from coherence.report.formats.xlsx.gap import XlsxPiece

    kept = CheckPieces(("xlsx",))(None, transit, catalogue)
    assert kept.assessment is None
    assert isinstance(kept.pieces["xlsx"], XlsxPiece)


def test_a_refused_report_leaves_no_temporary_sheet(several, monkeypatch) -> None:
    """More rows than a sheet holds: refused before any byte is given, and the sheets'
    temporary files (written as the rows came) are removed."""
    from openpyxl.worksheet import _writer

    monkeypatch.setattr(sheet, "MAX_ROWS", 50)
    before = list(_writer.ALL_TEMP_FILES)
    blocks = gap_document([gap_piece(a, GapOptions()) for a in several], GapOptions())
    with pytest.raises(FormatError, match="would need more than 50 rows"):
        next(blocks)
    assert list(_writer.ALL_TEMP_FILES) == before
