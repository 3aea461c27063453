"""The comparison written piece by piece (issue 13 §5, memory flat): every format's pieces,
joined, are its whole report, byte for byte, and the text formats come in many pieces."""

from __future__ import annotations

import pytest

from coherence.api import assess
from coherence.findings import Assessment
from coherence.report.formats import get_format, names_for, render, render_chunks
from coherence.report.formats.json import compare_json_chunks
from coherence.report.views.comparison import Comparison, build_comparison
from coherence.rules.catalog import Catalogue
from tests.conftest import PROFILES
from tests.report.conftest import HOSTILE, TODAY


@pytest.fixture(scope="module")
def comparison(catalogue: Catalogue, examples: dict[str, Assessment]) -> Comparison:
    """The examples, the earlier transit profile (a time series) and the hostile fixture."""
    more = [assess(p, catalogue, today=TODAY) for p in (PROFILES / "example-transit-2024.yaml",)]
    return build_comparison([*examples.values(), *more, assess(HOSTILE, catalogue, today=TODAY)])


@pytest.mark.parametrize("name", names_for("comparison"))
def test_the_pieces_joined_are_the_whole_report(comparison: Comparison, name: str) -> None:
    pieces = list(render_chunks(name, "comparison", comparison))
    whole = render(name, "comparison", comparison)
    joiner = b"" if get_format(name).binary else ""
    assert joiner.join(pieces) == whole
    if not get_format(name).binary:  # a workbook is handed on in blocks of a mebibyte
        assert len(pieces) > 2, "the comparison is no longer written piece by piece"


def test_a_long_list_left_empty_is_written_as_json_writes_it(comparison: Comparison) -> None:
    import dataclasses
    import json

    no_rules = dataclasses.replace(comparison, rule_groups=())
    text = "".join(compare_json_chunks(no_rules))
    assert '\n  "rules": [],\n' in text
    assert text == render("json", "comparison", no_rules)
    assert json.loads(text)["rules"] == []
