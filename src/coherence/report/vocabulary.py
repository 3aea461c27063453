"""The words every report uses, written once: status and severity labels, theme order
and names, numbers, plurals, line ranges, answer values and score bands."""

from __future__ import annotations

from typing import Any

from coherence.assessment.scores import (
    SCORE_THEMES,
)
from coherence.findings import DomainScore, Selection, ThemeScore
from coherence.themes import THEME_NAMES

THEME_ORDER: tuple[str, ...] = SCORE_THEMES
"""Themes in report order."""


STATUS_LABELS: dict[str, str] = {
    "gap": "Gap",
    "partial": "Partly met",
    "insufficient_data": "Insufficient data",
    "waived": "Waived",
    "met": "Met",
    "not_applicable": "Not applicable",
}
"""Plain-language status names, in the order a report lists findings."""


STATUS_ORDER: dict[str, int] = {s: i for i, s in enumerate(STATUS_LABELS)}
"""The position of each status in report order."""


SEVERITY_LABELS: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}
"""Severity names, most severe first."""


def plural(n: int, one: str, many: str | None = None) -> str:
    """`n` and the right form of the noun: "1 gap", "3 gaps"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def number_text(value: float | None) -> str:
    """A score as shown: one decimal, or an em dash for none."""
    return "—" if value is None else f"{value:.1f}"


def theme_name(key: str) -> str:
    """The display name of a theme key: its name, or the key in words (a rule pack's)."""
    return THEME_NAMES.get(key, key.replace("_", " ").capitalize())


def theme_rank(key: str) -> tuple[int, str]:
    """The sort key of a theme: report order, a rule pack's own themes last by key."""
    return (THEME_ORDER.index(key) if key in THEME_ORDER else len(THEME_ORDER), key)


_ENUM_WORDS = {"not_applicable", "not_signed"}

STATE_WORDS: dict[str, str] = {
    "unknown": "unknown",
    "missing": "not answered",
    "not_applicable": "not applicable",
}
"""An answer that is not a value, in words."""


def value_text(value: Any) -> str:
    """An answer's value in words: yes/no, numbers with thousands separators, lists and
    mappings spelled out, `not_signed` as "not signed"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.10g}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value) or "none listed"
    if value is None:
        return ""
    text = str(value)
    return text.replace("_", " ") if text in _ENUM_WORDS else text


def number_or_blank(value: float | None) -> str:
    """A number in a data cell (CSV, JSON text): one decimal, or empty for none."""
    return "" if value is None else f"{value:.1f}"


def coverage_text(value: float | None) -> str:
    """A coverage as shown: "82.4%", or an em dash when no rule applies."""
    return "—" if value is None else f"{value:.1f}%"


CONSISTENCY_NAME = "Consistency across themes"
"""How reports name the score of the cross-theme coherence rules."""


STATUS_WORDS: dict[str, str] = {
    s: STATUS_LABELS[s].lower()
    for s in ("met", "partial", "gap", "not_applicable", "insufficient_data", "waived")
}
"""The status labels in running text, in the order the terminal summary counts them."""


def score_name(key: str) -> str:
    """The name of a score entry: a theme's name, "Overall", or "Consistency across themes"."""
    if key == "coherence":
        return CONSISTENCY_NAME
    return theme_name(key)


def not_classified_text(question_count: int, coverage: float | None) -> str:
    """What every format says instead of a band or class below the minimum coverage."""
    if coverage is None:
        return "not classified: no rule applies"
    if question_count == 1:
        return "not classified: answer this 1 question"
    if question_count:
        return f"not classified: answer these {question_count} questions"
    return "not classified: too few rules could be decided"


SELECTION_NOT_CLASSIFIED = "not classified: only a selection of the rules was checked"
"""Instead of a band or class when `--select`/`--skip` left rules out: a score over a part of
the catalogue says nothing of the whole."""


def band_text(score: ThemeScore) -> str:
    """e.g. "3 — Largely aligned", or the not-classified text."""
    if score.classified:
        return f"{score.band} — {score.band_label}"
    if score.selection_only and score.coverage is not None:
        return SELECTION_NOT_CLASSIFIED
    if score.selection_only:
        return "not classified: no selected rule applies"
    return not_classified_text(score.question_count, score.coverage)


def domain_class_text(domain: DomainScore) -> str:
    """e.g. "2 — Partially meets", the not-classified text, or that no rule covers it."""
    if not domain.rules:
        if domain.selection_only:
            return "no rule of this domain was selected (--select/--skip)"
        return "no rule of the catalogue covers this domain"
    if domain.classified:
        return f"{domain.sdg_class} — {domain.sdg_class_label}"
    if domain.selection_only and domain.coverage is not None:
        return SELECTION_NOT_CLASSIFIED
    return not_classified_text(domain.question_count, domain.coverage)


def selection_text(selection: Selection) -> str:
    """The sentence every report opens its summary with when `--select`/`--skip` left rules
    out, naming the patterns as given."""
    given = [
        *(f"--select {p}" for p in selection.select),
        *(f"--skip {p}" for p in selection.skip),
    ]
    were = "was" if selection.rules == 1 else "were"
    return (
        f"Only {selection.rules} of the {selection.catalogue_rules} rules of the catalogue "
        f"{were} checked ({' '.join(given)}): the scores cover those rules alone, so none is "
        "classified, and a theme or domain without a score may simply have been left out."
    )


def signed(value: float | None) -> str:
    """A score change as shown: "+12.5", "-3.0", "0.0", or an em dash for none."""
    if value is None:
        return "—"
    if round(value, 1) == 0:
        return "0.0"
    return f"{value:+.1f}"


def value_words(value: Any) -> str:
    """A profile value in words: `not_signed` -> `not signed`, a list -> `3 listed`."""
    if isinstance(value, (list, tuple)):
        return f"{len(value)} listed"
    return str(value).replace("_", " ")


def lines_words(lines: tuple[int, int]) -> str:
    """`line 7` or `lines 7-9`: where a quote stands in its source."""
    first, last = lines
    return f"line {first}" if first == last else f"lines {first}-{last}"


CONTRADICTION_LABEL = "Contradiction"
"""How reports name a gap of a cross-theme coherence rule (counted apart from gaps)."""


PARTIAL_CONTRADICTION_LABEL = "Partial contradiction"
"""How the contradictions section names a cross-theme coherence rule that is partly met."""
