"""The end of a gap report: the sources cited and the method."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from coherence.findings import Scoring
from coherence.report.views.findings import CitationView, ThemeSection
from coherence.report.views.scores import DOMAIN_VIEW_NOTE, ClassBand, band_scale, sdg_scale
from coherence.report.vocabulary import SEVERITY_LABELS, STATUS_LABELS


@dataclass(frozen=True)
class SourceEntry:
    """One entry of the bibliography."""

    id: str
    author: str
    year: str
    title: str
    kind: str
    cited: int
    """Number of quotations from this source in the report."""


@dataclass(frozen=True)
class Method:
    """How the scores are computed."""

    paragraphs: tuple[str, ...]
    weights: tuple[tuple[str, str], ...]
    """(status label, how it counts)."""
    severity_weights: tuple[tuple[str, str], ...]
    """(severity label, weight)."""
    bands: tuple[ClassBand, ...]
    """coherence's bands for theme, overall and consistency scores, highest first."""
    classes: tuple[ClassBand, ...]
    """The SDG 10.7.2 classes of the indicative domain view, highest first."""


def source_entries(themes: Sequence[ThemeSection]) -> tuple[SourceEntry, ...]:
    """The bibliography: every source the report's findings cite, with how often (each
    citation carries its source's title, author, year and kind)."""
    cited: Counter[str] = Counter()
    first: dict[str, CitationView] = {}
    for theme in themes:
        for f in theme.findings:
            for c in f.citations:
                cited[c.source] += 1
                first.setdefault(c.source, c)
    entries = []
    for source_id, count in cited.items():
        c = first[source_id]
        if c.year is None:  # a citation that does not say (a report read back, older)
            entries.append(SourceEntry(source_id, "", "n.d.", c.title, "", count))
            continue
        year = str(c.year) + (f" ({c.year_note})" if c.year_note else "")
        entries.append(SourceEntry(source_id, c.author, year, c.title, c.kind, count))
    return tuple(sorted(entries, key=lambda e: (e.author.casefold(), e.year, e.title, e.id)))


def method_view(config: Scoring) -> Method:
    """The method section: weights, minimum coverage and bands of the scoring (the one the
    assessment carries)."""
    weights = (
        *((STATUS_LABELS[s], f"counts {w:g}") for s, w in config.status_values.items()),
        (STATUS_LABELS["not_applicable"], "left out"),
        (STATUS_LABELS["waived"], "left out"),
        (STATUS_LABELS["insufficient_data"], "left out of the score; lowers coverage"),
    )
    severity = tuple(
        (SEVERITY_LABELS[k], f"weight {w:g}") for k, w in config.severity_weights.items()
    )
    minimum = f"{config.min_coverage:g}%"
    paragraphs = (
        "Each rule of the catalogue checks one recommendation of the international sources "
        "against the answers of the profile, and gives one status: met, partly met, gap, "
        "not applicable (the rule does not concern the country's roles), insufficient data "
        "(an answer the rule needs is unknown or missing) or waived (set aside by an "
        "approved waiver that has not expired).",
        "The score of a theme is the average over its decided rules, with met counting 1, "
        "partly met 0.5 and gap 0, each rule weighted by its severity, expressed out of 100. "
        "Rules that are not applicable or waived are left out. Rules with insufficient data "
        "are left out of the score too, and reported as coverage: the share of applicable "
        "rules that could be decided. A score is always shown with its coverage.",
        "The overall score pools the rules of the five policy themes. The cross-theme "
        "coherence rules re-read answers those themes already score, so they are scored apart "
        "as consistency across themes (the share of cross-theme checks without "
        "contradiction) and never enter the overall score: no answer counts twice. Their gaps "
        "are contradictions, counted apart from the gaps.",
        f"A score with a coverage of at least {minimum} is placed in one of coherence's four "
        "bands below. Below that coverage it is not classified: too few rules were decided "
        "for the score to describe the policy, and the report lists the questions to answer "
        "instead of a band.",
        DOMAIN_VIEW_NOTE + f" A domain below {minimum} coverage is not classified either.",
        "Every quotation in this report is verbatim and was verified against the text of its "
        "source when the catalogue was loaded; its lines are the lines of that text. The "
        "catalogue version identifies the exact rules and sources used.",
    )
    return Method(paragraphs, weights, severity, band_scale(config), sdg_scale(config))
