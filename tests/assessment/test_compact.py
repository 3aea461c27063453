"""What `coherence compare` keeps of each assessment (issue 13 §5, memory flat): only what
the comparison reads, with the findings shared between profiles, and the same comparison."""

from __future__ import annotations

import datetime as dt

import pytest

from coherence.api import assess
from coherence.assessment.compact import for_comparison
from coherence.findings import Assessment
from coherence.report.formats import render
from coherence.report.views.comparison import build_comparison
from coherence.report.views.comparison_source import ComparisonSource
from coherence.rules.catalog import Catalogue, load_catalogue
from tests.conftest import PROFILES

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def assessed(catalogue: Catalogue) -> list[Assessment]:
    return [assess(p, catalogue, today=TODAY) for p in sorted(PROFILES.glob("*.yaml"))]


def test_the_comparison_is_the_same_in_every_format(assessed: list[Assessment]) -> None:
    compact = [for_comparison(a) for a in assessed]
    full, small = build_comparison(assessed), build_comparison(compact)
    for name in ("json", "markdown", "html", "csv", "xlsx"):
        assert render(name, "comparison", small) == render(name, "comparison", full), name


def test_only_what_the_comparison_reads_is_kept(assessed: list[Assessment]) -> None:
    origin = assessed[1]
    compact = for_comparison(origin)
    # Plain tuples, not models: no answers, review or notices, no counts or questions.
    assert set(compact._fields) == {
        "profile",
        "scores",
        "sdg_domains",
        "findings",
        "scoring",
        "catalogue_version",
        "tool_version",
    }
    assert all(isinstance(s, tuple) for s in (*compact.scores.values(), compact.profile))
    assert all(
        not f.trace and not f.citations and not f.sides and f.location is None and not f.reason
        for f in compact.findings
    )
    assert all(not hasattr(s, "questions") for s in compact.scores.values())
    # ... and what it reads is untouched: statuses, rule data, scores, question counts.
    assert [
        (f.rule_id, f.status, f.title, f.theme, f.severity, f.kind) for f in compact.findings
    ] == [(f.rule_id, f.status, f.title, f.theme, f.severity, f.kind) for f in origin.findings]
    assert {k: tuple(s) for k, s in compact.scores.items()} == {
        k: (
            s.score,
            s.band,
            s.band_label,
            s.classified,
            s.coverage,
            s.question_count,
            s.selection_only,
        )
        for k, s in origin.scores.items()
    }
    assert {k: tuple(d) for k, d in compact.sdg_domains.items()} == {
        k: tuple(getattr(d, n) for n in compact.sdg_domains[k]._fields)
        for k, d in origin.sdg_domains.items()
    }
    assert compact.profile._asdict() == {
        **origin.profile.model_dump(),
        "roles": tuple(origin.profile.roles),
    }
    # The assessment given is left as it was.
    assert any(f.trace for f in origin.findings) and origin.answers


def test_profiles_share_one_object_per_rule_and_status(assessed: list[Assessment]) -> None:
    source = ComparisonSource()
    for a in assessed * 3:  # 12 profiles
        source.add(for_comparison(a))
    distinct = {(f.rule_id, f.status) for a in assessed for f in a.findings}
    assert len(source.findings) == len(distinct) < sum(len(a.findings) for a in assessed)
    assert all(
        len(s.findings) == len(a.findings)
        for s, a in zip(source.summaries, assessed * 3, strict=True)
    )


def test_profiles_share_one_object_per_rule_cell(assessed: list[Assessment]) -> None:
    rows = [r for g in build_comparison(assessed).rule_groups for r in g.rows]
    cells = [c for r in rows for c in r.cells]
    assert len({id(c) for c in cells}) == len(set(cells)) < len(cells) / 10


def test_compare_through_the_cli_uses_the_compact_assessments(cli, tmp_path, monkeypatch):
    import coherence.assessment.compact as compact

    calls = []
    real = compact.for_comparison
    monkeypatch.setattr(compact, "for_comparison", lambda a: calls.append(1) or real(a))
    out = tmp_path / "c.json"
    result = cli("compare", PROFILES, "--jobs", "1", "-o", out)
    assert result.returncode == 0, result.stderr
    assert len(calls) == len(list(PROFILES.glob("*.yaml")))
    assert out.read_bytes() == render("json", "comparison", _full_comparison()).encode()


def _full_comparison():
    catalogue = load_catalogue()
    return build_comparison(
        [assess(p, catalogue, today=dt.date.today()) for p in sorted(PROFILES.glob("*.yaml"))]
    )
