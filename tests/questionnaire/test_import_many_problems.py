"""`coherence import` of a workbook full of junk rows: the problems in the order a reader meets
the cells, the first 200 explained, one line counting the rest, and the total said right.

A workbook with 5,000 unknown Fields on each sheet printed 35,000 lines, in the order of the
cells' names (A100, A1000, A1001, ..., A101), and took minutes to advise on each one."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from coherence.diagnostics import MAX_EXPLAINED
from tests.conftest import PROFILES


def _junk_book(cli, tmp_path: Path, rows: int) -> Path:
    """The origin example's questionnaire with `rows` unknown Fields below the Rights sheet's
    questions, and as many agreements with partners that are no country."""
    book = tmp_path / "q.xlsx"
    made = cli("questionnaire", "--from", PROFILES / "example-origin.yaml", "-o", book)
    assert made.returncode == 0, made.stderr
    wb = load_workbook(book)
    rights, agreements = wb["Rights"], wb["Agreements"]
    first = rights.max_row + 1
    for n in range(rows):
        rights.cell(first + n, 1, f"rights.health_cares_{n}")  # close to rights.health_care
        rights.cell(first + n, 3, "yes")
    for n in range(rows):
        agreements.append([f"Nowhereland {n}", "yes"])
    wb.save(book)
    return book


def test_thousands_of_junk_rows_are_explained_200_in_reading_order(cli, tmp_path):
    book = _junk_book(cli, tmp_path, 400)
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out)
    assert result.returncode == 1 and not out.exists()
    lines = result.stderr.splitlines()
    listed = [line for line in lines if "error[" in line and "error[more]" not in line]
    assert len(listed) == MAX_EXPLAINED, len(listed)
    # In the order of the rows, not of the cells' names (A100 came before A99).
    rows = [int(m[1]) for line in listed if (m := re.match(r"q\.xlsx!Rights!A(\d+):", line))]
    assert len(rows) == MAX_EXPLAINED and rows == sorted(rows), rows[:12]
    # Each one shown has its advice, sought only for those shown.
    assert all("did you mean 'rights.health_care'?" in line for line in listed), listed[0]
    (more,) = [line for line in lines if "error[more]" in line]
    total = int(lines[-1].split()[0].replace(",", ""))
    assert lines[-1].endswith("problems in the workbooks; nothing was written")
    # 400 unknown Fields and 400 partners that are no country, counted, not listed.
    assert total >= 800, lines[-1]
    assert more.startswith(f"{book.name}: error[more] and {total - MAX_EXPLAINED:,} more problems")
    assert more.endswith("fix the ones above, then import again")
    assert "validate again" not in result.stderr  # the validation's own cut is folded in


def test_a_few_problems_are_all_listed_without_a_count_line(cli, tmp_path):
    book = _junk_book(cli, tmp_path, 3)
    result = cli("import", book, "-o", tmp_path / "p.yaml")
    assert result.returncode == 1
    listed = [line for line in result.stderr.splitlines() if "error[" in line]
    assert "error[more]" not in result.stderr
    assert len(listed) >= 6  # three Fields, three partners
    assert result.stderr.splitlines()[-1] == (
        f"{len(listed)} problems in the workbooks; nothing was written"
    )
