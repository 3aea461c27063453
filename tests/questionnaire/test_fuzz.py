"""Fuzzing `coherence import`: whatever an official types into whichever cell, reading the
workbook ends in a profile or in cell-located problems, never in another exception.

Brief by default (20 examples, each writing and reading a workbook); longer on demand:

    COHERENCE_FUZZ_EXAMPLES=2000 python -m pytest tests/questionnaire/test_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from coherence.diagnostics import Diagnostic
from coherence.profile.model import Profile
from coherence.profile.validate import load_profile
from coherence.questionnaire.read import read_workbooks
from coherence.questionnaire.workbook import build_workbook
from tests.conftest import PROFILES

EXAMPLES = max(1, int(os.environ.get("COHERENCE_FUZZ_EXAMPLES", "200")) // 10)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=EXAMPLES <= 20,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SHEETS = ("Profile", "Rights", "Labour channels", "Instruments", "Context", "Agreements")
BOOK = build_workbook(load_profile(PROFILES / "example-origin.yaml").profile)
CELL = re.compile(r"^[^!]+![^!]+![A-Z]+[0-9]+$")

values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["yes", "Yes", "partial", "unknown", "n/a", "31/12/2024", "2002-13", "=1+1"]),
    st.sampled_from(["QAT, Narnia", "domestic workers; children", "ratified", "acceded"]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
)
edits = st.lists(
    st.tuples(
        st.sampled_from(SHEETS),
        st.integers(min_value=1, max_value=40),
        st.integers(min_value=1, max_value=16),
        values,
    ),
    min_size=1,
    max_size=12,
)


@FUZZ
@given(edits=edits)
def test_any_typing_gives_a_profile_or_located_problems(tmp_path_factory, edits):
    book = Path(tmp_path_factory.mktemp("fuzz")) / "q.xlsx"
    book.write_bytes(BOOK)
    wb = load_workbook(book)
    for sheet, row, column, value in edits:
        cell = wb[sheet].cell(row=row, column=column)
        try:
            cell.value = value
        except Exception:  # openpyxl refuses some values (control characters): not typeable
            continue
    wb.save(book)
    result = read_workbooks([book])
    if result.profile is not None:
        assert isinstance(result.profile, Profile)
        assert not result.problems
        return
    assert result.problems, "no profile and no reason"
    for problem in result.problems:
        assert isinstance(problem, Diagnostic) and problem.message
        assert CELL.match(problem.file) or problem.file == str(book), problem
