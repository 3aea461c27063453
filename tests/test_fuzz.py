"""Fuzzing the loader and the validator (issue 12 §3): whatever bytes or text a profile holds,
reading it ends in a profile or in located diagnostics (`InputError`), never in another
exception and never in a hang.

Brief by default (200 examples per test, a few seconds); longer on demand:

    COHERENCE_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py

The inputs are: YAML-like text built from YAML's own punctuation; raw bytes; the example
profiles mutated as text (lines deleted, duplicated, re-indented, fragments inserted); and
the example profiles mutated as data (a value anywhere replaced by any other), dumped back
to YAML.
"""

from __future__ import annotations

import copy
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coherence.diagnostics import Diagnostic, InputError
from coherence.profile.validate import validate_document
from coherence.yamlsource import decode_text, parse_yaml
from tests.conftest import FIXTURES, PROFILES

EXAMPLES = int(os.environ.get("COHERENCE_FUZZ_EXAMPLES", "200"))
SECONDS_PER_EXAMPLE = 10

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written to the working tree
    derandomize=EXAMPLES <= 200,  # the brief run is the same on every CI run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SEEDS = [
    p.read_text(encoding="utf-8")
    for p in sorted([*PROFILES.glob("*.yaml"), *(FIXTURES / "profiles").glob("*.yaml")])
]


@pytest.fixture(autouse=True)
def no_hang():
    """Each test (each example, via `_read`) fails rather than hangs."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def alarm(signum, frame):
        raise TimeoutError("reading one input took too long: a hang")

    previous = signal.signal(signal.SIGALRM, alarm)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _check_diagnostics(diagnostics: list[Diagnostic], text: str) -> None:
    assert diagnostics, "an InputError must say what is wrong"
    # YAML counts NEL, U+2028, U+2029 and a lone CR as line breaks too.
    breaks = sum(text.count(c) for c in "\n\r\x85\u2028\u2029")
    last_line = breaks + 2
    for d in diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.message and isinstance(d.message, str)
        assert 0 <= d.line <= last_line, d
        assert "position " not in d.message, d  # libyaml's offsets are not for people
        str(d.location())


def _read(text: str) -> None:
    """Parse and validate `text` as a profile: a profile or an InputError, nothing else."""
    if hasattr(signal, "SIGALRM"):
        signal.alarm(SECONDS_PER_EXAMPLE)
    try:
        document = parse_yaml(text, "fuzz.yaml")
        validate_document(document)
    except InputError as exc:
        _check_diagnostics(exc.diagnostics, text)
    finally:
        if hasattr(signal, "SIGALRM"):
            signal.alarm(0)


# YAML's indicators and the shapes they take in profiles, plus awkward characters.
FRAGMENTS = [
    *"\n :-?,[]{}#&*!|>'\"%@`\t",
    "\n  ",
    "\n    ",
    "- ",
    ": ",
    "? ",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "!!str ",
    "!!python/object:os.system ",
    "<<: ",
    "yes",
    "no",
    "~",
    "null",
    ".inf",
    ".nan",
    "0x1F",
    "0o17",
    "1e400",
    "9" * 50,
    "2026-02-30",
    "2026-01-01T00:00:00",
    '"\\e[31m"',
    '"\\u0000"',
    "'it''s'",
    "\ufeff",
    "\x85",
    "\u2028",
    "\x1b",
    "\ufffe",
    "日本",
    "answer",
    "note",
    "country",
    "code",
    "as_of",
    "rights",
    "equal_treatment",
    "format_version",
    "waivers",
    "evidence",
]

yaml_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=80).map(
    "".join
)


@FUZZ
@given(text=yaml_like)
def test_yaml_like_text(text: str) -> None:
    _read(text)


@FUZZ
@given(raw=st.binary(max_size=400))
def test_raw_bytes(raw: bytes) -> None:
    try:
        text = decode_text(raw, "fuzz.yaml")
    except InputError as exc:
        _check_diagnostics(exc.diagnostics, raw.decode("latin-1"))
        return
    _read(text)


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """An example profile with a few edits: what a person (or a bad merge) might do."""
    lines = draw(st.sampled_from(SEEDS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(i, min(len(lines), i + 5)))
        edit = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert", "swap"]))
        if edit == "delete":
            del lines[i:j]
        elif edit == "duplicate":
            lines[j:j] = lines[i:j]
        elif edit == "indent":
            lines[i:j] = ["  " + line for line in lines[i:j]]
        elif edit == "dedent":
            lines[i:j] = [line[2:] if line.startswith("  ") else line for line in lines[i:j]]
        elif edit == "insert":
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(yaml_like) + line[at:]
        else:
            lines[i], lines[j - 1] = lines[j - 1], lines[i]
    return "".join(lines)


@FUZZ
@given(text=mutated_text())
def test_mutated_profiles_as_text(text: str) -> None:
    _read(text)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["yes", "no", "partial", "unknown", "not_applicable", "2026-01-01", "XXX"]),
    st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=12), inner, max_size=4),
    ),
    max_leaves=12,
)


SEED_DATA = [
    yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) for text in SEEDS
]
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _paths(node: Any, here: tuple = ()) -> list[tuple]:
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*here, index))
    return found


@st.composite
def mutated_data(draw: st.DrawFn) -> str:
    """An example profile whose data has a value, anywhere, replaced by any other."""
    data = copy.deepcopy(draw(st.sampled_from(SEED_DATA)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            continue
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(values)
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)


@FUZZ
@given(text=mutated_data())
def test_mutated_profiles_as_data(text: str) -> None:
    _read(text)


def test_the_seeds_are_valid_profiles() -> None:
    """The mutations start from profiles that load, so what they find is the mutation."""
    assert len(SEEDS) >= 4
    for path in sorted(PROFILES.glob("example-*.yaml")):
        validate_document(parse_yaml(path.read_text(encoding="utf-8"), str(path)))


def test_long_runs_are_on_demand() -> None:
    assert EXAMPLES >= 1
    assert Path(__file__).read_text(encoding="utf-8").count("COHERENCE_FUZZ_EXAMPLES") >= 2
