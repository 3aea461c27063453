"""Several assessments side by side: countries of a region, and one country over time.

`build_comparison(assessments)` builds a `Comparison` view model; the formats
(`coherence.report.formats`) lay it out as Markdown, one self-contained HTML file (a heat
map), CSV, JSON or XLSX. Every format carries:

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

from coherence.assessment.regression import direction
from coherence.findings import Assessment, Finding
from coherence.report.views.comparison_parts import (
    Entry,
    RuleCell,
    RuleGroup,
    RuleRow,
    ThemeRow,
    Trend,
    TrendCell,
)
from coherence.report.views.findings import anchor_id
from coherence.report.views.gap import ILLUSTRATIVE_TEXT, status_counts
from coherence.report.views.scores import (
    DOMAIN_NOTE,
    OVERALL_NOTE,
    ClassBand,
    DomainRow,
    band_scale,
    domain_rows,
    score_cell,
    score_change,
    score_column_name,
    score_keys,
    sdg_scale,
)
from coherence.report.vocabulary import (
    CONTRADICTION_LABEL,
    SEVERITY_LABELS,
    STATUS_LABELS,
    plural,
    signed,
    theme_name,
    theme_rank,
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
    entries: tuple[Entry, ...]
    themes: tuple[tuple[str, str], ...]
    """The score columns: (key, name) of every theme, overall, then consistency across themes."""
    theme_rows: tuple[ThemeRow, ...]
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


def _country_rank(assessments: Sequence[Assessment], sort: str) -> dict[str, tuple[float, ...]]:
    """The rank of each country: input order, or the overall score of its latest profile."""
    first_seen: dict[str, int] = {}
    latest: dict[str, Assessment] = {}
    for i, a in enumerate(assessments):
        first_seen.setdefault(a.profile.country, i)
        if (
            a.profile.country not in latest
            or a.profile.as_of > latest[a.profile.country].profile.as_of
        ):
            latest[a.profile.country] = a
    if sort == "input":
        return {c: (i,) for c, i in first_seen.items()}
    rank: dict[str, tuple[float, ...]] = {}
    for country, a in latest.items():
        overall = a.scores.get("overall")
        if overall is not None and overall.classified and overall.score is not None:
            rank[country] = (0, -overall.score, first_seen[country])
        else:  # never ranked: after every classified country, in input order
            rank[country] = (1, 0, first_seen[country])
    return rank


def _ordered(assessments: Sequence[Assessment], sort: str = "input") -> list[Assessment]:
    if sort not in SORTS:
        raise CompareError(f"unknown order {sort!r}: choose one of {', '.join(SORTS)}")
    rank = _country_rank(assessments, sort)
    ordered = sorted(assessments, key=lambda a: (rank[a.profile.country], a.profile.as_of))
    seen: dict[tuple[str, str], str] = {}
    for a in ordered:
        key = (a.profile.country, a.profile.as_of.isoformat())
        if key in seen:
            raise CompareError(
                f"{seen[key]} and {a.profile.path} are both profiles of {key[0]} as of "
                f"{key[1]}: a time series needs a different as_of date for each profile"
            )
        seen[key] = a.profile.path
    return ordered


def _entries(ordered: Sequence[Assessment]) -> tuple[Entry, ...]:
    sizes = Counter(a.profile.country for a in ordered)
    index: Counter[str] = Counter()
    out = []
    for a in ordered:
        p = a.profile
        label = f"{p.country} {p.as_of.isoformat()}"
        out.append(
            Entry(
                key=anchor_id(label),
                label=label,
                country_code=p.country,
                country_name=p.country_name,
                as_of=p.as_of.isoformat(),
                roles=tuple(p.roles),
                review_status=p.review_status.replace("_", " "),
                profile_path=p.path,
                illustrative=p.illustrative,
                catalogue_version=a.catalogue_version,
                series_index=index[p.country],
                series_length=sizes[p.country],
            )
        )
        index[p.country] += 1
    return tuple(out)


def _rule_groups(ordered: Sequence[Assessment], entries: Sequence[Entry]) -> tuple[RuleGroup, ...]:
    by_entry: list[dict[str, Finding]] = [{f.rule_id: f for f in a.findings} for a in ordered]
    rules: dict[str, Finding] = {}
    for found in by_entry:
        for rule_id, f in found.items():
            rules.setdefault(rule_id, f)
    previous: dict[str, int] = {}  # country -> index of its latest entry so far
    prior: list[int | None] = []
    for i, e in enumerate(entries):
        prior.append(previous.get(e.country_code))
        previous[e.country_code] = i
    groups: dict[str, list[RuleRow]] = {}
    shared: dict[tuple[str | None, str, str | None], RuleCell] = {}
    for rule_id in sorted(rules, key=lambda r: (theme_rank(rules[r].theme), r)):
        f = rules[rule_id]
        cells = []
        for i, found in enumerate(by_entry):
            mine = found.get(rule_id)
            status = mine.status if mine else None
            before = prior[i]
            change = None
            if before is not None:
                old = by_entry[before].get(rule_id)
                change = direction(old.status if old else None, status)
            label = STATUS_LABELS[status] if status else "not evaluated"
            if status == "gap" and f.theme == "coherence":
                label = CONTRADICTION_LABEL  # a gap of a cross-theme rule
            # A cell is one of a few dozen (status, label, change): with thousands of
            # profiles, one shared object each rather than one per rule and profile.
            cells.append(
                shared.setdefault((status, label, change), RuleCell(status, label, change))
            )
        groups.setdefault(f.theme, []).append(
            RuleRow(
                rule_id=rule_id,
                title=f.title,
                theme=f.theme,
                severity=f.severity,
                severity_label=SEVERITY_LABELS[f.severity],
                cells=tuple(cells),
            )
        )
    return tuple(
        RuleGroup(key, theme_name(key), tuple(rows))
        for key, rows in sorted(groups.items(), key=lambda kv: theme_rank(kv[0]))
    )


def _trends(
    ordered: Sequence[Assessment],
    entries: Sequence[Entry],
    themes: Sequence[tuple[str, str]],
) -> tuple[Trend, ...]:
    out = []
    for country in dict.fromkeys(e.country_code for e in entries):
        idx = [i for i, e in enumerate(entries) if e.country_code == country]
        if len(idx) < 2:
            continue
        first, last = ordered[idx[0]], ordered[idx[-1]]
        cells = []
        for key, name in themes:
            a, b = score_cell(first.scores.get(key)), score_cell(last.scores.get(key))
            cells.append(TrendCell(key, name, a, b, score_change(a, b)))
        before = {f.rule_id: f.status for f in first.findings}
        after = {f.rule_id: f.status for f in last.findings}
        ways = Counter(direction(before.get(r), after.get(r)) for r in before.keys() | after.keys())
        out.append(
            Trend(
                country_code=country,
                country_name=entries[idx[-1]].country_name,
                entries=tuple(entries[i] for i in idx),
                cells=tuple(cells),
                improved=ways["improved"],
                regressed=ways["regressed"],
            )
        )
    return tuple(out)


def _sentences(
    entries: Sequence[Entry], rows: Sequence[ThemeRow], trends: Sequence[Trend], sort: str
) -> tuple[str, ...]:
    countries = list(dict.fromkeys(e.country_code for e in entries))
    out = [
        f"This comparison covers {plural(len(entries), 'profile')} of "
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
    versions = sorted({e.catalogue_version for e in entries})
    if len(versions) > 1:
        out.append(
            "The profiles were checked against different rule catalogues ("
            + ", ".join(versions)
            + "): differences may come from the rules as well as from the policies."
        )
    return tuple(out)


def build_comparison(assessments: Sequence[Assessment], sort: str = "input") -> Comparison:
    """The comparison of the assessments (at least one).

    `sort` is "input" (the default: countries in the order given, not ranked) or "score"
    (countries by the overall score of their latest profile; not classified ones last).
    Raises `CompareError` when two assessments are of the same country and date, when there
    is none, when they were scored differently (`Assessment.scoring`), or for an unknown
    `sort`.
    """
    if not assessments:
        raise CompareError("nothing to compare: no assessment")
    ordered = _ordered(assessments, sort)
    scoring = ordered[0].scoring
    if any(a.scoring != scoring for a in ordered):
        raise CompareError("the assessments were scored with different weights or bands")
    entries = _entries(ordered)
    present = set().union(*(a.scores.keys() for a in ordered))
    present.add("overall")
    keys = tuple(score_keys(present))
    themes = tuple((k, score_column_name(k)) for k in keys)
    rows = tuple(
        ThemeRow(
            entry=e,
            keys=keys,
            cells=tuple(score_cell(a.scores.get(k)) for k in keys),
            counts=tuple((c.status, c.label, c.count) for c in status_counts(a.findings)),
            domains=domain_rows(a),
        )
        for e, a in zip(entries, ordered, strict=True)
    )
    trends = _trends(ordered, entries, themes)
    illustrative = [e.label for e in entries if e.illustrative]
    banner = ""
    if len(illustrative) == 1:
        banner = f"{illustrative[0]}: {ILLUSTRATIVE_TEXT}"
    elif illustrative:
        banner = (
            f"These profiles are illustrative: {', '.join(illustrative)}. Their answers were "
            "invented to demonstrate the tool and do not describe any real country's policy."
        )
    countries = list(dict.fromkeys(e.country_code for e in entries))
    return Comparison(
        title=(
            f"Policy coherence comparison: {plural(len(countries), 'country', 'countries')}, "
            f"{plural(len(entries), 'profile')}"
        ),
        entries=entries,
        themes=themes,
        theme_rows=rows,
        trends=trends,
        rule_groups=_rule_groups(ordered, entries),
        sentences=_sentences(entries, rows, trends, sort),
        classes=band_scale(scoring),
        sdg_classes=sdg_scale(scoring),
        domains=tuple((d.code, d.name) for d in rows[0].domains),
        statuses=tuple(STATUS_LABELS.items()),
        count_columns=tuple((s, label) for s, label, _ in rows[0].counts),
        order=sort,
        min_coverage=scoring.min_coverage,
        illustrative_text=banner,
        tool_version=", ".join(sorted({a.tool_version for a in ordered})),
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
