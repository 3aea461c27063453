"""Reading a baseline (`check --baseline`): anything that is not one is refused plainly, exit 2,
whatever its shape, depth or size, and a special file is never read (issue 12 §3.1, 21)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from coherence.assessment import gate
from coherence.assessment.gate import load_baseline
from tests.conftest import FIXTURES, invoke

STATUSES = FIXTURES / "profiles" / "statuses.yaml"
NOT_ONE = "not a coherence baseline"


pytestmark = pytest.mark.usefixtures("no_hang")  # fail, rather than hang


def _write(tmp_path: Path, data: object | str) -> Path:
    path = tmp_path / "baseline.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _envelope(profiles: object) -> dict[str, object]:
    return {"format_version": gate.BASELINE_VERSION, "tool": "coherence", "profiles": profiles}


WRONG_SHAPES = {
    "profiles-a-list": _envelope([]),
    "profiles-null": _envelope(None),
    "entry-a-number": _envelope({"p.yaml": 1}),
    "entry-a-list": _envelope({"p.yaml": []}),
    "findings-missing": _envelope({"p.yaml": {"country": "ATA"}}),
    "findings-a-list": _envelope({"p.yaml": {"country": "ATA", "findings": []}}),
    "status-a-number": _envelope({"p.yaml": {"country": "ATA", "findings": {"R-1": 3}}}),
    "status-a-mapping": _envelope({"p.yaml": {"country": "ATA", "findings": {"R-1": {}}}}),
    "country-a-list": _envelope({"p.yaml": {"country": [], "findings": {}}}),
    "top-a-list": [1, 2],
    "wrong-version": {"format_version": 99, "profiles": {}},
}


@pytest.mark.parametrize("name", sorted(WRONG_SHAPES))
def test_wrong_inner_shape_is_not_a_baseline(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, WRONG_SHAPES[name])
    with pytest.raises(ValueError, match=NOT_ONE):
        load_baseline(path)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000, "1" * 5000],
    ids=["deep-lists", "deep-objects", "huge-number"],
)
def test_deep_nesting_and_huge_numbers_are_not_a_baseline(tmp_path: Path, text: str) -> None:
    with pytest.raises(ValueError, match=NOT_ONE):
        load_baseline(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            _envelope(
                {"p.yaml": {"country": "ATA", "findings": {"R-001": "met", "R-002": "bogus"}}}
            ),
            r'baseline.json:\d+: .*rule R-002 has the status "bogus"; expected one of met, ',
        ),
        (
            {"format_version": 2, "tool": "coherence", "profiles": {}},
            r"baseline.json:\d+: .*format_version 2 .*reads baseline format 1",
        ),
    ],
    ids=["bad-status", "format-2"],
)
def test_a_baseline_refused_says_which_key_and_what_was_expected(
    tmp_path: Path, data: object, said: str
) -> None:
    """One bad status, or a format_version of 2, was "not a coherence baseline" and no more."""
    path = _write(tmp_path, gate.dumps_baseline(data))  # one key a line, as `baseline` writes
    with pytest.raises(ValueError, match=said) as err:
        load_baseline(path)
    line = int(str(err.value).split(":")[1])
    key = "R-002" if "R-002" in str(err.value) else "format_version"
    assert f'"{key}"' in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_a_real_baseline_still_loads(tmp_path: Path) -> None:
    data = _envelope({"p.yaml": {"country": "ATA", "as_of": "2026-01-01", "findings": {}}})
    assert load_baseline(_write(tmp_path, data)) == data


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_baseline_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "baseline.json"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file: it is a named pipe"):
        load_baseline(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_baseline_is_refused_before_reading() -> None:
    with pytest.raises(ValueError, match="not a regular file: it is a character device"):
        load_baseline(Path("/dev/zero"))


def test_the_size_limit_counts_bytes_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(gate, "BASELINE_MAX_BYTES", 100)
    path = _write(tmp_path, _envelope({f"p{i}.yaml": {"findings": {}} for i in range(20)}))
    with pytest.raises(ValueError, match="the limit is 100 bytes"):
        load_baseline(path)


@pytest.mark.parametrize("name", ["entry-a-number", "status-a-mapping"])
def test_check_with_a_malformed_baseline_exits_2_plainly(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, WRONG_SHAPES[name])
    result = invoke("check", STATUSES, "--baseline", path, "--fail-on", "gap")
    assert result.returncode == 2
    assert re.search(rf"{re.escape(str(path))}:\d+: {NOT_ONE}: ", result.stderr)
    assert "Traceback" not in result.stderr


def test_check_with_a_deep_baseline_exits_2_plainly(tmp_path: Path) -> None:
    path = _write(tmp_path, "[" * 100_000)
    result = invoke("check", STATUSES, "--baseline", path)
    assert result.returncode == 2
    assert NOT_ONE in result.stderr


def test_compare_baseline_states_and_words() -> None:
    # The comparison the CI renderers take as data (issue 13): SARIF's baselineState, and
    # whether the gate counts the finding (new or worse).
    import datetime as dt

    from coherence.api import assess
    from coherence.rules.catalog import load_catalogue

    assessment = assess(STATUSES, load_catalogue(), today=dt.date(2026, 6, 1))
    key = gate.profile_key(assessment)
    recorded = {f.rule_id: f.status for f in assessment.findings}
    recorded.pop("DATA-005")  # gap now, not in the baseline: new
    recorded["TRAFFIC-001"] = "partial"  # gap now: updated, worse
    recorded["RIGHTS-032"] = "gap"  # partial now: updated, better
    recorded["COHERENCE-001"] = "met"  # gap now, met before: not a result then, so new
    baseline = _envelope({key: {"country": "ATA", "findings": recorded}})
    changes = gate.compare_baseline([assessment], baseline)
    by_rule = {rule_id: change for (_, _, rule_id), change in changes.items()}
    assert by_rule["DATA-005"] == gate.BaselineChange("new", None, "gap", "medium", True)
    assert by_rule["DATA-005"].words() == "new gap (medium)"
    assert by_rule["TRAFFIC-001"].state == "updated" and by_rule["TRAFFIC-001"].worse
    assert by_rule["TRAFFIC-001"].words() == "partial -> gap (high)"
    assert by_rule["RIGHTS-032"].state == "updated" and not by_rule["RIGHTS-032"].worse
    assert by_rule["COHERENCE-001"].state == "new" and by_rule["COHERENCE-001"].worse
    assert by_rule["DATA-002"].state == "unchanged" and not by_rule["DATA-002"].worse
    # `failing` counts exactly the new or worse findings at the threshold.
    hits = gate.failing([assessment], [gate.parse_threshold("gap")], baseline)
    assert {f.rule_id for _, f in hits} == {"DATA-005", "TRAFFIC-001", "COHERENCE-001"}
    # A baseline of another country matches nothing: everything is new.
    other = _envelope({key: {"country": "FRA", "findings": recorded}})
    assert {c.state for c in gate.compare_baseline([assessment], other).values()} == {"new"}


@pytest.mark.parametrize(
    ("name", "said"),
    [("upper-status", "has the status \"GAP\" (did you mean 'gap'?)"), ("bogus-status", '"bogus"')],
)
def test_a_status_a_baseline_cannot_hold_is_named_with_the_allowed_ones(name, said) -> None:
    """A hand-edited "GAP" or "bogus" was accepted, and every known gap then failed the run
    as "new or worse" ("bogus -> gap"); attack round 2 §12."""
    path = FIXTURES / "baselines" / f"{name}.json"
    result = invoke("check", STATUSES, "--baseline", path, "--fail-on", "gap")
    assert result.returncode == 2, result.stdout
    key = "tests/fixtures/profiles/statuses.yaml"
    assert f"{path}:" in result.stderr and f"'{key}': rule RIGHTS-001" in result.stderr
    assert said in result.stderr
    assert "expected one of met, not_applicable, waived, insufficient_data, partial, gap" in (
        result.stderr
    )


def test_a_baseline_saved_with_a_byte_order_mark_is_read(tmp_path) -> None:
    """Notepad saves UTF-8 with a byte-order mark; the baseline was refused with Python's
    "Unexpected UTF-8 BOM (decode using utf-8-sig)" (attack round 4)."""
    data = _envelope({"p.yaml": {"country": "ATA", "findings": {"RIGHTS-001": "gap"}}})
    path = tmp_path / "baseline.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode("utf-8"))
    assert load_baseline(path)["profiles"] == data["profiles"]


def test_a_profile_written_twice_in_a_baseline_is_refused_at_the_second(tmp_path) -> None:
    """Two entries of one profile (baselines merged by hand): JSON kept the last one and the
    first one's findings were lost without a word (attack round 4)."""
    entry = json.dumps({"country": "ATA", "findings": {"RIGHTS-001": "gap"}})
    text = (
        '{"format_version": 1, "tool": "coherence", "profiles": {\n'
        f'  "p.yaml": {entry},\n  "p.yaml": {entry}\n}}}}\n'
    )
    path = _write(tmp_path, text)
    with pytest.raises(ValueError) as caught:
        load_baseline(path)
    said = str(caught.value)
    assert said.startswith(f"{path}:3: {NOT_ONE}: 'p.yaml' is written twice"), said
