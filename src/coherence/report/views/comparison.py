"""Several assessments side by side: countries of a region, and one country over time.

`build_comparison(assessments)` builds a `Comparison` view model; the formats
(`coherence.report.formats`) lay it out as Markdown, one self-contained HTML file (a heat
map), CSV, JSON or XLSX. It is built from what a `ComparisonSource` keeps of each profile
(`comparison_source`): its per-profile rows are made as a format reads them
(`comparison_rows`), so a comparison of 10,000 profiles is not held whole. Every format
carries:

* the profiles compared, each labelled by country code and date, e.g. "MEX 2025-11-30";
* a profile × theme matrix: for every theme, overall (the five policy themes) and consistency
  across themes, the score with its coverage (share of applicable rules that could be
  decided) and band, or "not classified" with the number of questions to answer;
* a profile × domain matrix: the indicative view on the SDG 10.7.2 scale;
* the change over time of each country with several profiles (a time series, ordered by
  `as_of`): score change from its first to its last profile, per theme and overall, and the
  number of rules that improved or regressed (as defined in `coherence.assessment.regression`);
* the findings of each profile by status;
* a rule × profile matrix: the status of every rule for every profile, marking the cells that
  changed since the previous profile of the same country.

A comparison does not rank countries (as IOM's Migration Governance Indicators, it is "not
meant to rank"). By default (`sort="input"`) profiles are ordered by country in the order each
country first appears among the assessments, then by date. `sort="score"` (`coherence compare
--sort score`) orders countries by the overall score of their latest profile, highest first,
those whose latest overall result is not classified last (in input order); a country's
profiles stay together, by date. Two profiles of the same country with the same date are
refused (`CompareError`): a time series needs distinct dates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from coherence.assessment.regression import direction
from coherence.findings import Assessment
from coherence.report.views.comparison_parts import (
    Entry,
    RuleGroup,
    ThemeRow,
    Trend,
    TrendCell,
)
from coherence.report.views.comparison_rows import Entries, Layout, ThemeRows
from coherence.report.views.comparison_rules import rule_groups
from coherence.report.views.comparison_source import ComparisonSource, Summary
from coherence.report.views.gap import ILLUSTRATIVE_TEXT
from coherence.report.views.scores import (
    DOMAIN_NOTE,
    OVERALL_NOTE,
    ClassBand,
    DomainRow,
    band_scale,
    score_cell,
    score_change,
    score_column_name,
    score_keys,
    sdg_scale,
)
from coherence.report.vocabulary import (
    STATUS_LABELS,
    plural,
    signed,
)

COMPARE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("profiles", "Profiles compared"),
    ("summary", "Summary"),
    ("scores", "Scores by theme"),
    ("domains", "SDG 10.7.2 domains (indicative)"),
    ("trends", "Change over time"),
    ("counts", "Findings by status"),
    ("rules", "Rules by profile"),
    ("method", "About this comparison"),
)
"""The sections of a comparison, in order: (anchor, title)."""


COMPARE_TITLES: dict[str, str] = dict(COMPARE_SECTIONS)


SORTS: tuple[str, ...] = ("input", "score")
"""The orders of a comparison: `input` (the default) or `score` (an explicit choice)."""


METHOD_TEXT: tuple[str, ...] = (
    "Each profile is checked on its own, exactly as in its gap report: met counts 1, "
    "partly met 0.5 and gap 0, each rule weighted by its severity; not applicable and waived "
    "rules are left out; rules with insufficient data are left out of the score and lower "
    "the coverage, the share of applicable rules that could be decided. Below the minimum "
    "coverage a score is not classified: it gets no band, and the cell gives the number of "
    "questions to answer instead.",
    OVERALL_NOTE,
    "The comparison does not rank countries: by default the profiles keep the order in which "
    "their countries were given, each country's profiles by date. Ordering by score is an "
    "explicit choice (--sort score), and even then a profile that is not classified is "
    "never ranked.",
    "Profiles of the same country with different dates form a time series, ordered by date. "
    "Its change is the score of the last profile minus that of the first. A rule improved "
    "when its status moved up the order gap < partly met < insufficient data < met, and "
    "regressed when it moved down; a change to or from not applicable or waived is neither.",
    "Compare countries with care: the same score can hide different gaps, and a country's "
    "roles (origin, transit, destination) decide which rules apply to it.",
    DOMAIN_NOTE,
)


class CompareError(ValueError):
    """The assessments cannot be compared (e.g. two profiles of one country and one date)."""


@dataclass(frozen=True)
class Comparison:
    """Everything every format of a comparison shows, in order."""

    title: str
    entries: Sequence[Entry]
    """The profiles, in order (made as they are read: see `comparison_rows`)."""
    themes: tuple[tuple[str, str], ...]
    """The score columns: (key, name) of every theme, overall, then consistency across themes."""
    theme_rows: Sequence[ThemeRow]
    trends: tuple[Trend, ...]
    rule_groups: tuple[RuleGroup, ...]
    sentences: tuple[str, ...]
    classes: tuple[ClassBand, ...]
    """coherence's bands, highest first (the legend of the theme matrix)."""
    sdg_classes: tuple[ClassBand, ...]
    """The SDG 10.7.2 classes, highest first (the legend of the domain matrix)."""
    domains: tuple[tuple[str, str], ...]
    """(code, name) of the SDG 10.7.2 domains, the columns of the domain matrix."""
    statuses: tuple[tuple[str, str], ...]
    """(status, label) of every status (the legend of the rule matrix)."""
    count_columns: tuple[tuple[str, str], ...]
    """(key, label) of the columns of the findings-by-status matrix (contradictions apart)."""
    order: str
    """How the profiles are ordered: "input" (the default) or "score"."""
    min_coverage: float
    """The coverage (percentage) a score needs to be classified."""
    illustrative_text: str
    """The banner text when any profile is illustrative, else empty."""
    tool_version: str

    @property
    def countries(self) -> tuple[str, ...]:
        """The country codes, in order, once each."""
        return tuple(dict.fromkeys(e.country_code for e in self.entries))

    @property
    def rule_count(self) -> int:
        """Number of rules in the rule matrix."""
        return sum(len(g.rows) for g in self.rule_groups)


def _country_rank(source: ComparisonSource, sort: str) -> dict[str, tuple[float, ...]]:
    """The rank of each country: input order, or the overall score of its latest profile."""
    first_seen: dict[str, int] = {}
    latest: dict[str, Summary] = {}
    for i, s in enumerate(source.summaries):
        first_seen.setdefault(s.country, i)
        if s.country not in latest or s.as_of > latest[s.country].as_of:
            latest[s.country] = s
    if sort == "input":
        return {c: (i,) for c, i in first_seen.items()}
    rank: dict[str, tuple[float, ...]] = {}
    for country, s in latest.items():
        if s.overall is not None:  # classified, with a score
            rank[country] = (0, -s.overall, first_seen[country])
        else:  # never ranked: after every classified country, in input order
            rank[country] = (1, 0, first_seen[country])
    return rank


def _ordered(source: ComparisonSource, sort: str = "input") -> list[int]:
    """The input positions of the profiles in the comparison's order: by country (each
    country's profiles together, as its rank is its own), then by date."""
    if sort not in SORTS:
        raise CompareError(f"unknown order {sort!r}: choose one of {', '.join(SORTS)}")
    rank = _country_rank(source, sort)
    summaries = source.summaries
    ordered = sorted(
        range(len(summaries)), key=lambda i: (rank[summaries[i].country], summaries[i].as_of)
    )
    for before, i in pairwise(ordered):  # one country's same dates are neighbours
        a, b = summaries[before], summaries[i]
        if (a.country, a.as_of) == (b.country, b.as_of):
            raise CompareError(
                f"{source.records[before].profile.path} and {source.records[i].profile.path} "
                f"are both profiles of {b.country} as of {b.as_of.isoformat()}: a time series "
                "needs a different as_of date for each profile"
            )
    return ordered


def _trends(
    source: ComparisonSource, layout: Layout, themes: Sequence[tuple[str, str]]
) -> tuple[Trend, ...]:
    spans: dict[str, range] = {}  # a country's profiles are neighbours in order
    for i, j in enumerate(layout.order):
        country = source.summaries[j].country
        spans[country] = range(spans[country].start if country in spans else i, i + 1)
    out = []
    for country, span in spans.items():
        if len(span) < 2:
            continue
        entries = Entries(layout, span)
        first, last = layout.record(span[0]), layout.record(span[-1])
        cells = []
        for key, name in themes:
            a, b = score_cell(first.scores.get(key)), score_cell(last.scores.get(key))
            cells.append(TrendCell(key, name, a, b, score_change(a, b)))
        before, after = (_statuses(source, layout.order[i]) for i in (span[0], span[-1]))
        ways = Counter(direction(before.get(r), after.get(r)) for r in before.keys() | after.keys())
        out.append(
            Trend(
                country_code=country,
                country_name=entries[-1].country_name,
                entries=entries,
                cells=tuple(cells),
                improved=ways["improved"],
                regressed=ways["regressed"],
            )
        )
    return tuple(out)


def _statuses(source: ComparisonSource, j: int) -> dict[str, str]:
    """Rule id → status of the profile at input position `j`."""
    found = (source.findings[fid] for fid in source.summaries[j].findings)
    return {f.rule_id: f.status for f in found}


def _sentences(
    source: ComparisonSource,
    countries: Sequence[str],
    rows: Sequence[ThemeRow],
    trends: Sequence[Trend],
    sort: str,
) -> tuple[str, ...]:
    out = [
        f"This comparison covers {plural(len(source), 'profile')} of "
        f"{plural(len(countries), 'country', 'countries')}"
        + (
            f"; {plural(len(trends), 'country has', 'countries have')} profiles of several "
            "dates, compared over time."
            if trends
            else "."
        )
    ]
    if sort == "score":
        out.append(
            "Countries are ordered by the overall score of their latest profile, as asked "
            "(--sort score); a country whose latest overall result is not classified comes "
            "last, unranked."
        )
    else:
        out.append(
            "Profiles are shown in the order their countries were given, each country's by "
            "date: the comparison does not rank countries."
        )
    latest = {r.entry.country_code: r for r in rows}  # rows are by date: the last one wins
    thin = [r for r in latest.values() if not r.overall.classified]
    if thin:
        listed = "; ".join(f"{r.entry.label} (coverage {r.overall.coverage_text})" for r in thin)
        out.append(
            f"{plural(len(thin), 'latest profile has', 'latest profiles have')} too little data "
            f"for an overall band: {listed}."
        )
    for t in trends:
        o = t.overall
        if o.change is None:
            change = "cannot be compared (one profile has no score)"
        else:
            change = (
                f"went from {o.first.score_text} (coverage {o.first.coverage_text}) to "
                f"{o.last.score_text} (coverage {o.last.coverage_text}), "
                f"{signed(o.change)} points"
            )
        out.append(
            f"{t.country_name}'s overall score {change} between {t.first.as_of} and "
            f"{t.last.as_of}; {plural(t.improved, 'rule')} improved and {t.regressed} "
            "regressed."
        )
    versions = sorted(source.catalogue_versions)
    if len(versions) > 1:
        out.append(
            "The profiles were checked against different rule catalogues ("
            + ", ".join(versions)
            + "): differences may come from the rules as well as from the policies."
        )
    return tuple(out)


def build_comparison(
    assessments: Sequence[Assessment] | ComparisonSource, sort: str = "input"
) -> Comparison:
    """The comparison of the assessments (at least one), or of the profiles a
    `ComparisonSource` was given (`coherence compare`: its rows are then read back from its
    records as the formats write them).

    `sort` is "input" (the default: countries in the order given, not ranked) or "score"
    (countries by the overall score of their latest profile; not classified ones last).
    Raises `CompareError` when two assessments are of the same country and date, when there
    is none, when they were scored differently (`Assessment.scoring`), or for an unknown
    `sort`.
    """
    source = assessments
    if not isinstance(source, ComparisonSource):
        source = ComparisonSource()
        for a in assessments:
            source.add(a)
    if not len(source):
        raise CompareError("nothing to compare: no assessment")
    ordered = _ordered(source, sort)
    if source.mixed_scoring:
        raise CompareError("the assessments were scored with different weights or bands")
    scoring = source.scoring
    in_order = [source.summaries[j] for j in ordered]
    layout = Layout(source.records, ordered, [s.country for s in in_order])
    present = {*source.score_keys, "overall"}
    keys = tuple(score_keys(present))
    themes = tuple((k, score_column_name(k)) for k in keys)
    rows = ThemeRows(layout, keys=keys)
    trends = _trends(source, layout, themes)
    # The labels of the entries, made from the summaries: no record is read for them.
    illustrative = [f"{s.country} {s.as_of.isoformat()}" for s in in_order if s.illustrative]
    banner = ""
    if len(illustrative) == 1:
        banner = f"{illustrative[0]}: {ILLUSTRATIVE_TEXT}"
    elif illustrative:
        banner = (
            f"These profiles are illustrative: {', '.join(illustrative)}. Their answers were "
            "invented to demonstrate the tool and do not describe any real country's policy."
        )
    countries = list(dict.fromkeys(s.country for s in in_order))
    first = rows[0]
    return Comparison(
        title=(
            f"Policy coherence comparison: {plural(len(countries), 'country', 'countries')}, "
            f"{plural(len(source), 'profile')}"
        ),
        entries=Entries(layout),
        themes=themes,
        theme_rows=rows,
        trends=trends,
        rule_groups=rule_groups(source, ordered, [s.country for s in in_order]),
        sentences=_sentences(source, countries, rows, trends, sort),
        classes=band_scale(scoring),
        sdg_classes=sdg_scale(scoring),
        domains=tuple((d.code, d.name) for d in first.domains),
        statuses=tuple(STATUS_LABELS.items()),
        count_columns=tuple((s, label) for s, label, _ in first.counts),
        order=sort,
        min_coverage=scoring.min_coverage,
        illustrative_text=banner,
        tool_version=", ".join(sorted(source.tool_versions)),
    )


def class_legend_text(c: Comparison) -> str:
    """The legend of the theme matrix in one line."""
    bands = "; ".join(f"band {b.number}, {b.label}: {b.range_text}" for b in c.classes)
    return (
        f"Bands: {bands}. Each cell gives the score (0–100), its coverage and its band; "
        f"below {c.min_coverage:g}% coverage a score is not classified and the cell gives the "
        "number of questions to answer. A dash means no score."
    )


def domain_legend_text(c: Comparison) -> str:
    """The legend of the domain matrix in one line."""
    classes = "; ".join(f"class {b.number}, {b.label}: {b.range_text}" for b in c.sdg_classes)
    return f"SDG 10.7.2 classes: {classes}. {DOMAIN_NOTE}"


def domain_cell_text(d: DomainRow) -> str:
    """A domain in a few words: "55.4 (82.4%, class 2)", or why it has no class."""
    if not d.rules:
        return "no rule"
    if d.classified:
        return f"{d.value_text} ({d.coverage_text}, class {d.sdg_class})"
    return f"{d.value_text} ({d.coverage_text}, {d.class_text})"
