"""The comparison of many profiles in flat memory (issue 13 §5): what `ComparisonSource` keeps
of each profile, the rows read back from records on disk, the rule matrix a byte a cell."""

from __future__ import annotations

import datetime as dt
import gc
import pickle
import tracemalloc
from collections.abc import Callable

import pytest

from coherence.assessment.compact import Compared, for_comparison
from coherence.assessment.regression import direction
from coherence.cli.spool import SpooledList
from coherence.findings import Assessment
from coherence.report.formats import names_for, render, render_chunks
from coherence.report.views.comparison import CompareError, build_comparison
from coherence.report.views.comparison_parts import Entry, ThemeRow
from coherence.report.views.comparison_source import ComparisonSource, Record
from tests.conftest import PROFILES

STATUSES = ("met", "gap", "partial", "insufficient_data", "not_applicable")


def _series(base: list[Assessment], count: int) -> list[Compared]:
    """`count` profiles made from the examples, as a worker sends them (each its own copy):
    countries of several dates, some findings' statuses turned so that rules change."""
    out = []
    for i in range(count):
        compact = for_comparison(base[i % len(base)])
        profile = compact.profile._replace(
            country=f"C{i % 7:02d}",
            country_name=f"Country {i % 7}",
            as_of=dt.date(2020, 1, 1) + dt.timedelta(days=i),
            path=f"profiles/p{i}.yaml",
            illustrative=i % 3 == 0,
        )
        findings = tuple(
            f.model_copy(update={"status": STATUSES[(i + n) % len(STATUSES)]}) if n % 9 == 0 else f
            for n, f in enumerate(compact.findings[:-1] if i % 5 == 0 else compact.findings)
        )
        out.append(pickle.loads(pickle.dumps(compact._replace(profile=profile, findings=findings))))
    return out


@pytest.fixture(scope="module")
def series(examples: dict[str, Assessment]) -> list[Compared]:
    return _series(list(examples.values()), 40)


def _spooled(profiles: list[Compared]) -> ComparisonSource:
    source = ComparisonSource(SpooledList())
    for p in profiles:
        source.add(p)
    return source


@pytest.mark.parametrize("sort", ["input", "score"])
def test_the_spooled_comparison_is_the_one_in_memory_in_every_format(
    series: list[Compared], examples: dict[str, Assessment], sort: str
) -> None:
    for profiles in (series, list(examples.values())):
        kept = build_comparison(profiles, sort=sort)
        spooled = build_comparison(_spooled(profiles), sort=sort)
        for name in names_for("comparison"):
            whole = render(name, "comparison", kept)
            assert render(name, "comparison", spooled) == whole, (name, sort)
            joined = (b"" if isinstance(whole, bytes) else "").join(
                render_chunks(name, "comparison", spooled)
            )
            assert joined == whole, (name, sort)


def test_the_rows_are_read_back_from_the_records(series: list[Compared]) -> None:
    c = build_comparison(_spooled(series), sort="score")
    assert len(c.entries) == len(c.theme_rows) == len(series)
    entries = list(c.entries)
    assert c.entries[-1] == entries[-1] and c.entries[1:3] == entries[1:3]
    assert [r.entry for r in c.theme_rows] == entries
    assert (
        c.theme_rows[-2:] == list(c.theme_rows)[-2:] and c.theme_rows[-1].keys == c.theme_rows.keys
    )
    with pytest.raises(IndexError):
        c.entries[len(series)]
    # Each country's profiles together, by date; a time series knows its place.
    for t in c.trends:
        dates = [e.as_of for e in t.entries]
        assert dates == sorted(dates) and len(dates) == t.first.series_length
        assert [e.series_index for e in t.entries] == list(range(len(dates)))


def test_each_rule_cell_is_the_profile_status_and_its_change(series: list[Compared]) -> None:
    c = build_comparison(_spooled(series))
    by_label = {
        f"{p.profile.country} {p.profile.as_of.isoformat()}": {
            f.rule_id: f.status for f in p.findings
        }
        for p in series
    }
    labels = [e.label for e in c.entries]
    previous = {}
    prior: list[str | None] = []
    for e in c.entries:
        prior.append(previous.get(e.country_code))
        previous[e.country_code] = e.label
    rows = [r for g in c.rule_groups for r in g.rows]
    assert {r.rule_id for r in rows} == {r for s in by_label.values() for r in s}
    changed = 0
    for r in rows:
        assert len(r.cells) == len(labels)
        for label, before, cell in zip(labels, prior, r.cells, strict=True):
            assert cell.status == by_label[label].get(r.rule_id)
            want = (
                None if before is None else direction(by_label[before].get(r.rule_id), cell.status)
            )
            assert cell.change == want
            changed += cell.change is not None
    assert changed, "the series has no change: the test proves nothing"
    # A byte a cell, into a few dozen shared cells.
    cells = [x for r in rows for x in r.cells]
    assert len({id(x) for x in cells}) == len(set(cells)) < 70


def test_two_profiles_of_one_country_and_date_name_both_files(series: list[Compared]) -> None:
    twin = series[3]._replace(profile=series[3].profile._replace(path="profiles/twin.yaml"))
    with pytest.raises(CompareError, match=r"profiles/p3\.yaml and profiles/twin\.yaml"):
        build_comparison(_spooled([*series, twin]))


def _held(profiles: list[bytes], source: ComparisonSource) -> int:
    """Bytes held once the comparison is built and written (a format's pass), the profiles
    arriving pickled as from a worker process."""
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        for p in profiles:
            source.add(pickle.loads(p))
        comparison = build_comparison(source)
        for _ in render_chunks("markdown", "comparison", comparison):
            pass
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    # Nothing of a profile's rows is left alive: entries and rows are made as they are read.
    assert not [o for o in gc.get_objects() if isinstance(o, (Entry, ThemeRow))]
    return held


def _per_profile(profiles: list[bytes], make: Callable[[], ComparisonSource]) -> float:
    """The bytes each profile adds (the slope from a third of them to all: the distinct
    findings, kept once whatever the number of profiles, cancel out)."""
    third = len(profiles) // 3
    few = _held(profiles[:third], make())  # first: what is made once (imports) falls here
    return (_held(profiles, make()) - few) / (len(profiles) - third)


def test_per_profile_state_is_kept_on_disk_not_in_memory(
    examples: dict[str, Assessment],
) -> None:
    profiles = [pickle.dumps(p) for p in _series(list(examples.values()), 300)]
    on_disk = _per_profile(profiles, lambda: ComparisonSource(SpooledList()))
    # The same records kept in a list: what the spool saves (a profile's scores, domains
    # and facts are several KiB), so that the bound below measures something.
    in_memory = _per_profile(profiles, ComparisonSource)
    assert on_disk < 1024, f"{on_disk:.0f} bytes a profile stay in memory"
    assert in_memory > 3 * on_disk, (in_memory, on_disk)


def test_compare_through_the_cli_spools_each_profile(cli, tmp_path, monkeypatch) -> None:
    appended = []
    real = SpooledList.append
    monkeypatch.setattr(
        SpooledList, "append", lambda self, item: appended.append(type(item)) or real(self, item)
    )
    result = cli("compare", PROFILES, "--jobs", "1", "-o", tmp_path / "c.md")
    assert result.returncode == 0, result.stderr
    assert appended == [Record] * len(list(PROFILES.glob("*.yaml")))
