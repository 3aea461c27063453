"""The strict YAML loader: YAML 1.2 scalars, marks, and refusal of hostile input."""

from __future__ import annotations

import pytest

from coherence.diagnostics import InputError
from coherence.yamlsource import MAX_NODES, parse_yaml


def test_yaml11_booleans_stay_strings_and_12_core_types_resolve():
    doc = parse_yaml("a: yes\nb: no\nc: on\nd: true\ne: 0123\nf: 2024-01-02\ng: 1.5\nh: ~\n", "x")
    assert doc.data == {
        "a": "yes",
        "b": "no",
        "c": "on",
        "d": True,
        "e": 123,
        "f": "2024-01-02",
        "g": 1.5,
        "h": None,
    }


def test_quoted_scalars_are_never_resolved():
    doc = parse_yaml("a: 'true'\nb: \"12\"\n", "x")
    assert doc.data == {"a": "true", "b": "12"}


def test_marks_point_at_keys_and_items():
    doc = parse_yaml("top:\n  inner: 1\n  items:\n    - a\n    - b\n", "x")
    assert doc.marks[("top", "inner")] == (2, 3)
    assert doc.marks[("top", "items", 1)] == (5, 7)
    assert doc.line_of(("top", "missing", "deeper")) == (1, 1)


def test_duplicate_keys_in_nested_sequence_items_are_found():
    with pytest.raises(InputError) as err:
        parse_yaml("list:\n  - a: 1\n    a: 2\n", "x")
    (diag,) = err.value.diagnostics
    assert (diag.code, diag.line) == ("duplicate-key", 3)


def test_small_aliases_are_allowed_and_expand():
    doc = parse_yaml("base: &b {x: 1}\ncopy: *b\n", "x")
    assert doc.data["copy"] == {"x": 1}


def test_alias_bomb_is_stopped_at_node_limit():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(InputError) as err:
        parse_yaml("\n".join(lines) + "\n", "x")
    assert err.value.diagnostics[0].code == "too-many-nodes"
    assert f"{MAX_NODES:,}" in err.value.diagnostics[0].message


def test_very_deep_flow_nesting_does_not_crash():
    text = "a: " + "[" * 200_000 + "]" * 200_000 + "\n"
    with pytest.raises(InputError) as err:
        parse_yaml(text, "x")
    assert err.value.diagnostics[0].code == "too-deep"


def test_mapping_as_key_is_refused():
    with pytest.raises(InputError) as err:
        parse_yaml("? {a: 1}\n: b\n", "x")
    assert err.value.diagnostics[0].code == "yaml-key"


def test_unknown_alias_is_reported():
    with pytest.raises(InputError) as err:
        parse_yaml("a: *nothing\n", "x")
    assert err.value.diagnostics[0].code in ("yaml-alias", "yaml-syntax")
