"""The fast sorted JSON writer must write exactly what `json.dumps` writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coherence.sortedjson import dumps_each_sorted, dumps_sorted
from tests.conftest import PROFILES


def _reference(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()  # includes controls, U+2028, surrogates and astral characters
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert dumps_sorted(value) == _reference(value)


def test_values_the_fast_path_refuses_still_match() -> None:
    cases = [1e-7, 1e300, 2**64, -(2**63) - 1, "\ud800", {"k": (1, 2)}, {2: "x"}, float("nan")]
    for value in cases:
        assert dumps_sorted(value) == _reference(value)


def test_not_json_raises_as_json_dumps_does() -> None:
    with pytest.raises(TypeError):
        dumps_sorted({"when": object()})


def test_a_real_report_is_identical(tmp_path, cli) -> None:
    out = tmp_path / "r.sarif"
    result = cli("check", PROFILES / "example-destination.yaml", "-f", "sarif", "-o", out)
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert dumps_sorted(data) == _reference(data)


def _sorted_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(v) for v in value]
    return value


_plain = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**9), 10**9) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dictionaries(st.text(), _plain, max_size=5), max_size=5),
    st.sampled_from(["", "  ", " " * 8]),
)
def test_each_sorted_dict_as_dumps_sorted_writes_it(
    values: list[dict[str, Any]], indent: str
) -> None:
    """`dumps_each_sorted` cuts one text into its items: each as `dumps_sorted` writes it,
    indented, whatever the text holds (newlines, braces and commas in keys and values)."""
    values = [_sorted_keys(v) for v in values]
    expected = [_reference(v).replace("\n", "\n" + indent) for v in values]
    assert dumps_each_sorted(values, indent) == expected
    assert dumps_each_sorted([*values, {"lone": "\ud800"}], indent)[:-1] == expected
