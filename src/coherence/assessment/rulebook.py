"""What a report may know of the rule catalogue beyond the findings: every rule as a rule
descriptor shows it (SARIF's `tool.driver.rules`), even one that no finding of the run names
(`--only-failing` leaves findings out). A finding carries its rule's citations and
references, but its recommendation is the one chosen for its cause, not the rule's own, and
it carries no tags: so the report layer reads these summaries, made here, rather than the
catalogue's rules."""

from __future__ import annotations

from dataclasses import dataclass

from coherence.assessment.decide import located_citations
from coherence.rules.catalog import Catalogue
from coherence.rules.instruments import reference_text
from coherence.rules.model import Rule


@dataclass(frozen=True)
class RuleQuote:
    """One verified quotation of a rule, located in its source."""

    title: str
    section: str
    lines: tuple[int, int]
    quote: str
    role: str | None = None
    addressee: str | None = None


@dataclass(frozen=True)
class RuleSummary:
    """One rule as a rule descriptor shows it."""

    id: str
    title: str
    theme: str
    severity: str
    rationale: str
    recommendation: str
    sdg_domain: str
    tags: tuple[str, ...]
    references: tuple[str, ...]
    quotes: tuple[RuleQuote, ...]
    """Requirement passages first, the others after, each group in the rule's order."""


@dataclass(frozen=True)
class RuleBook:
    """The catalogue's version and a summary of each of its rules, in catalogue order."""

    version: str
    rules: dict[str, RuleSummary]


def _summary(rule: Rule, catalogue: Catalogue) -> RuleSummary:
    quotes = [
        RuleQuote(c.title, c.section, c.lines, c.quote, c.role, c.addressee)
        for c in located_citations(rule, catalogue)
    ]
    return RuleSummary(
        id=rule.id,
        title=rule.title,
        theme=rule.theme,
        severity=rule.severity,
        rationale=rule.rationale,
        recommendation=rule.recommendation,
        sdg_domain=rule.sdg_domain,
        tags=tuple(rule.tags),
        references=tuple(reference_text(r) for r in rule.references),
        quotes=tuple(quotes),
    )


def rule_book(catalogue: Catalogue) -> RuleBook:
    """The `RuleBook` of a catalogue, made once per catalogue."""
    memo: dict[str, RuleBook] = catalogue.__dict__.setdefault("_rule_book_memo", {})
    if "book" not in memo:
        rules = {rule.id: _summary(rule, catalogue) for rule in catalogue.rules}
        memo["book"] = RuleBook(catalogue.version, rules)
    return memo["book"]
