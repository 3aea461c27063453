"""Filling questionnaire workbooks as an official would, for the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook


def fill(workbook: Path, answers: dict[str, dict[str, dict[str, Any]]]) -> dict[str, str]:
    """Write `answers` (sheet -> field -> column header -> value) into the workbook's rows,
    found by their Field, as a person typing would; returns field|header -> cell address."""
    wb = load_workbook(workbook)
    where: dict[str, str] = {}
    for sheet, rows in answers.items():
        ws = wb[sheet]
        headers = {cell.value: cell.column for cell in ws[1]}
        for row in ws.iter_rows(min_row=2):
            field = row[0].value
            if field not in rows:
                continue
            for header, value in rows[field].items():
                cell = ws.cell(row=row[0].row, column=headers[header])
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # typed text, even when it starts with =
                where[f"{field}|{header}"] = f"{workbook.name}!{sheet}!{cell.coordinate}"
    wb.save(workbook)
    return where


def load_answers(path: Path) -> Any:
    """A fixture of answers to type in (see tests/fixtures/questionnaire/), every value
    as text: what a person types into a text cell."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def rows_of(workbook: Path, sheet: str) -> dict[str, dict[str, Any]]:
    """Field -> column header -> value, for every row of a question sheet."""
    wb = load_workbook(workbook)
    ws = wb[sheet]
    headers = [cell.value for cell in ws[1]]
    return {
        row[0]: dict(zip(headers, row, strict=False))
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[0]
    }
