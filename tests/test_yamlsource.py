"""The strict YAML loader: YAML 1.2 scalars, marks, and refusal of hostile input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from coherence import yamlsource
from coherence.diagnostics import InputError
from coherence.textinput import read_limited
from coherence.yamlsource import (
    MAX_ALIAS_CHARS,
    MAX_DEPTH,
    MAX_NODES,
    decode_text,
    load_yaml_file,
    parse_yaml,
)


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


@pytest.mark.parametrize(
    "text",
    [
        *("null", "Null", "NULL", "nULL", "~", "true", "True", "TRUE", "tRUE", "false", "False"),
        *("FALSE", "yes", "No", "_x", "x1", "inf", "nan", "Infinity", "e5", "E5", "x.5", "_1"),
        *("1", "-1", "+1", "0123", "0o17", "0x1F", "1.5", "-.5", "1e3", ".inf", "-.inf"),
        *("+.Inf", ".nan", ".NaN", "1_000", "0b1", "é", "Ökonomie", "ß1"),
    ],
)
def test_plain_scalars_resolve_as_the_yaml12_core_schema_says(text):
    """Text starting with a letter is read on a fast path (only null or a boolean can be
    text of that kind); it must give what the full set of patterns gives."""
    value = parse_yaml(f"v: {text}\n", "x").data["v"]
    expected: object = text
    if yamlsource._NULL.match(text):
        expected = None
    elif text in yamlsource._BOOL:
        expected = yamlsource._BOOL[text]
    elif yamlsource._INT10.match(text):
        expected = int(text)
    elif yamlsource._INT8.match(text) or yamlsource._INT16.match(text):
        expected = int(text[2:], 8 if text[1] == "o" else 16)
    elif yamlsource._FLOAT.match(text) or yamlsource._INF.match(text):
        expected = float(text.replace(".inf", "inf").replace(".Inf", "inf"))
    elif yamlsource._NAN.match(text):
        assert value != value  # NaN
        return
    assert value == expected and type(value) is type(expected)


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


class _ShallowLoader(yaml.BaseLoader):
    """A parser with a nesting limit of its own far below ours (as libyaml has one, at a
    depth that changes between versions)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def get_event(self):
        event = super().get_event()
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._depth += 1
            if self._depth > 5:
                raise yaml.scanner.ScannerError(
                    "while increasing flow level",
                    event.start_mark,
                    "exceeded maximum nesting depth",
                    event.start_mark,
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._depth -= 1
        return event


PARSERS = [yaml.BaseLoader, _ShallowLoader]
if hasattr(yaml, "CBaseLoader"):
    PARSERS.append(yaml.CBaseLoader)


@pytest.mark.parametrize("loader", PARSERS, ids=lambda c: c.__name__)
def test_very_deep_flow_nesting_does_not_crash(monkeypatch, loader):
    # Our limit decides, at the bracket that goes one level too deep, whatever the parser's
    # own limit is (libyaml 0.2.6 refuses the nesting at level 1,000 while scanning ahead).
    monkeypatch.setattr(yamlsource, "_EventLoader", loader)
    text = "a: " + "[" * 200_000 + "]" * 200_000 + "\n"
    with pytest.raises(InputError) as err:
        parse_yaml(text, "x")
    (diag,) = err.value.diagnostics
    assert (diag.code, diag.line, diag.column) == ("too-deep", 1, 4 + MAX_DEPTH - 1)
    assert f"deeper than {MAX_DEPTH} levels" in diag.message


@pytest.mark.parametrize("loader", PARSERS, ids=lambda c: c.__name__)
def test_deep_block_nesting_is_located(monkeypatch, loader):
    monkeypatch.setattr(yamlsource, "_EventLoader", loader)
    text = "top:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(2000)) + " " * 2001 + "v\n"
    with pytest.raises(InputError) as err:
        parse_yaml(text, "x")
    (diag,) = err.value.diagnostics
    assert (diag.code, diag.line) == ("too-deep", MAX_DEPTH + 1)


@pytest.mark.parametrize("loader", PARSERS, ids=lambda c: c.__name__)
def test_nesting_within_our_limit_loads_whatever_the_parser_limit(monkeypatch, loader):
    monkeypatch.setattr(yamlsource, "_EventLoader", loader)
    depth = MAX_DEPTH - 1  # the top-level mapping is one level
    doc = parse_yaml("a: " + "[" * depth + "1" + "]" * depth + "\n", "x")
    value = doc.data["a"]
    for _ in range(depth - 1):
        (value,) = value
    assert value == [1]


@pytest.mark.parametrize("loader", PARSERS, ids=lambda c: c.__name__)
def test_syntax_errors_are_still_reported_as_the_parser_words_them(monkeypatch, loader):
    monkeypatch.setattr(yamlsource, "_EventLoader", loader)
    with pytest.raises(InputError) as err:
        parse_yaml("a: [1, 2\n", "x")
    (diag,) = err.value.diagnostics
    assert diag.code == "yaml-syntax" and diag.line == 2


def test_mapping_as_key_is_refused():
    with pytest.raises(InputError) as err:
        parse_yaml("? {a: 1}\n: b\n", "x")
    assert err.value.diagnostics[0].code == "yaml-key"


def test_unknown_alias_is_reported():
    with pytest.raises(InputError) as err:
        parse_yaml("a: *nothing\n", "x")
    assert err.value.diagnostics[0].code in ("yaml-alias", "yaml-syntax")


# --- reading files: only regular files, never more than the limit (issue 12 §3.1, 3.2, 21) ---


def _refused(path, **kwargs) -> OSError:
    with pytest.raises(OSError) as err:
        read_limited(path, **kwargs)
    return err.value


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_blocking(tmp_path, no_hang):
    fifo = tmp_path / "profile.yaml"
    os.mkfifo(fifo)
    exc = _refused(fifo)
    assert exc.strerror == "not a regular file: it is a named pipe (FIFO)"
    assert exc.filename == str(fifo)
    with pytest.raises(OSError, match="named pipe"):
        load_yaml_file(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_before_reading(no_hang):
    assert _refused(Path("/dev/zero")).strerror == "not a regular file: it is a character device"


def test_a_symlink_to_a_special_file_is_refused(tmp_path, no_hang):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "pipe")
    assert "named pipe" in _refused(tmp_path / "link.yaml").strerror


def test_folder_dangling_symlink_and_symlink_loop_are_named(tmp_path):
    assert _refused(tmp_path).strerror == "is a folder, not a file"
    dangling = tmp_path / "gone.yaml"
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    exc = _refused(dangling)
    assert exc.filename == str(dangling)
    assert exc.strerror.startswith("a dangling symbolic link") and "nowhere.yaml" in exc.strerror
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    exc = _refused(loop)
    assert exc.filename == str(loop) and "symbolic link loop" in exc.strerror


def test_size_limit_counts_the_bytes_read_not_the_reported_size(tmp_path):
    # Files under /proc say they are 0 bytes long; the limit must hold all the same.
    maps = Path("/proc/self/maps")
    if not maps.is_file():
        pytest.skip("no /proc")
    assert maps.stat().st_size == 0
    with pytest.raises(InputError) as err:
        read_limited(maps, max_bytes=16)
    assert err.value.diagnostics[0].code == "too-large"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" * 10)
    with pytest.raises(InputError) as err:
        read_limited(big, max_bytes=49)
    assert "50 bytes" in err.value.diagnostics[0].message
    assert read_limited(big, max_bytes=50) == b"a: 1\n" * 10


# --- reader errors are located; encodings named right (§3.3) ---


@pytest.mark.parametrize(
    ("text", "line", "column", "code_point"),
    [
        ("a: b\x1bc\n", 1, 5, "U+001B"),
        ("a:\n  b: c\x07\n", 2, 7, "U+0007"),
        ("a: 1\nb: x\ufffe\n", 2, 5, "U+FFFE"),
        ("a: 1\nb: \x9b31m\n", 2, 4, "U+009B"),
        # Line breaks to YAML, not to editors: located as editors count lines.
        ("a: 1\nnote: first\u2028second\nc: 2\n", 2, 12, "U+2028"),
        ("a: 1\nb: 'x\u2029y'\n", 2, 6, "U+2029"),
        ("a: x\x85y\n", 1, 5, "U+0085"),
    ],
)
def test_control_characters_are_located_without_libyaml_positions(text, line, column, code_point):
    with pytest.raises(InputError) as err:
        parse_yaml(text, "x")
    (diag,) = err.value.diagnostics
    assert (diag.code, diag.line, diag.column) == ("yaml-character", line, column)
    assert code_point in diag.message and "position" not in diag.message


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_utf16_and_utf32_are_named_right(encoding, name):
    with pytest.raises(InputError) as err:
        decode_text("a: b\n".encode(encoding), "x")
    (diag,) = err.value.diagnostics
    assert diag.code == "encoding" and f"is {name} encoded" in diag.message


def test_binary_is_still_binary():
    with pytest.raises(InputError) as err:
        decode_text(b"\x7fELF\x02\x01\x01\x00\x00", "x")
    assert err.value.diagnostics[0].code == "binary"


# --- integers past Python's conversion limit (§3.4) ---


@pytest.mark.parametrize(
    "literal",
    ["0x" + "f" * 4000, "9" * 4301, "-" + "1" * 5000, "0o" + "7" * 5000, "0" * 4000 + "9" * 4301],
)
def test_integers_too_long_to_print_are_refused_located(literal):
    with pytest.raises(InputError) as err:
        parse_yaml(f"a: 1\nb: {literal}\n", "x")
    (diag,) = err.value.diagnostics
    assert (diag.code, diag.line, diag.column) == ("number-too-long", 2, 4)


def test_long_integers_within_the_limit_load_and_print():
    doc = parse_yaml(
        "a: " + "9" * 4300 + "\nb: 0x" + "f" * 3000 + "\nc: " + "0" * 5000 + "7\n", "x"
    )
    assert len(str(doc.data["a"])) == 4300 and doc.data["b"] == 16**3000 - 1
    assert doc.data["c"] == 7
    assert str(doc.data["b"])  # within the limit: printable


# --- alias expansion is bounded in total (§3.5) ---


def test_many_small_aliases_of_a_long_text_are_bounded():
    text = "s: &s '" + "x" * 100_000 + "'\nl: [" + ", ".join(["*s"] * 50) + "]\n"
    with pytest.raises(InputError) as err:
        parse_yaml(text, "x")
    (diag,) = err.value.diagnostics
    assert diag.code == "too-many-aliases" and diag.line == 2
    assert f"{MAX_ALIAS_CHARS:,}" in diag.message


def test_aliases_expanding_to_many_nodes_are_bounded_in_text_too():
    items = ", ".join(f"k{i}: v{i}" for i in range(200))
    text = f"m: &m {{{items}}}\nl: [" + ", ".join(["*m"] * 400) + "]\n"
    with pytest.raises(InputError) as err:
        parse_yaml(text, "x")
    assert err.value.diagnostics[0].code in ("too-many-aliases", "too-many-nodes")


def test_modest_aliases_still_load():
    text = "s: &s some text\nl: [" + ", ".join(["*s"] * 1000) + "]\n"
    assert parse_yaml(text, "x").data["l"] == ["some text"] * 1000


@pytest.mark.parametrize(
    "text,column,code",
    [
        ('name: "France\\e[31m"\n', 7, "U+001B"),
        ('note: "a\\x9b31m"\n', 7, "U+009B"),
        ('title: "bell\\a"\n', 8, "U+0007"),
        ('note: "back\\rXX"\n', 7, "U+000D"),
        ("name: Fr\u202eance\n", 7, "U+202E"),
        ("key: ['ok', \"a\\0b\"]\n", 13, "U+0000"),
    ],
)
def test_control_characters_written_as_escapes_are_refused_where_they_stand(text, column, code):
    """An attack round: `"\\e]0;...\\a\\e[2J"` in a name passed validation (the file itself is
    clean) and reached Markdown, CSV and HTML reports raw, running in a terminal."""
    with pytest.raises(InputError) as err:
        parse_yaml(text, "p.yaml")
    (diag,) = err.value.diagnostics
    assert (diag.line, diag.column, diag.code) == (1, column, "yaml-character")
    assert code in diag.message


def test_tabs_new_lines_and_right_to_left_text_stay_allowed():
    text = 'a: "one\\ttwo\\nthree"\nb: "\u2067\u0645\u0635\u0631\u2069 (Egypt)"\nc: |\n  x\n  y\n'
    data = parse_yaml(text, "p.yaml").data
    assert data["a"] == "one\ttwo\nthree" and data["c"] == "x\ny\n"
    assert "\u0645\u0635\u0631" in data["b"]


def test_a_profile_with_an_escape_sequence_gets_no_report(cli, tmp_path):
    profile = tmp_path / "p.yaml"
    source = Path(__file__).parent / "fixtures" / "profiles" / "statuses.yaml"
    text = source.read_text(encoding="utf-8")
    profile.write_text(
        text.replace("prepared_by: coherence tests", 'prepared_by: "me\\e]0;x\\a\\e[2J"'),
        encoding="utf-8",
    )
    assert 'prepared_by: "me' in profile.read_text(encoding="utf-8")
    result = cli("check", "-f", "markdown", profile)
    assert result.returncode == 2
    assert "U+001B" in result.stderr and "\x1b" not in result.stdout + result.stderr
