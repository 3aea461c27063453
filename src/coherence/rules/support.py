"""Lint checks that a rule's sources support it: every citation says what it does (`role`)
and to whom it speaks (`addressee`); a rule opens with a passage that asks states (or the
countries it applies to) for what it checks; references name known instruments.

The "asks states" test (docs/writing-rules.md): a reader of the passage in context would say
"yes, this asks governments to do that". A passage in which an agency describes its own
work, one addressed only to the UN system, a research agenda, or an author arguing that the
measure fails is not a requirement; such passages are not cited at all.
"""

from __future__ import annotations

from collections.abc import Callable

from coherence.rules.instruments import instrument_titles
from coherence.rules.model import Rule

Report = Callable[[str, str, tuple[str | int, ...]], None]
"""report(code, message, location inside the rule)."""


def asks_the_rule_s_states(rule: Rule, addressee: str | None) -> bool:
    """Whether a passage with this addressee speaks to states the rule applies to."""
    return addressee == "states" or addressee in rule.applies_to


def support_problems(rule: Rule, report: Report) -> None:
    """Report every citation and reference problem of one rule."""
    for number, cite in enumerate(rule.citations):
        missing = [name for name in ("role", "addressee") if getattr(cite, name) is None]
        if missing:
            report(
                "citation-role",
                f"{rule.id} citation {number + 1} does not say its {' and '.join(missing)} "
                "(role: requirement, rationale or context; addressee: states, origin, transit, "
                "destination, international_community or un_system)",
                ("citations", number),
            )
    requirements = [
        n
        for n, c in enumerate(rule.citations)
        if c.role == "requirement" and asks_the_rule_s_states(rule, c.addressee)
    ]
    if not requirements:
        report(
            "no-requirement",
            f"{rule.id} has no citation that asks states (or the countries of "
            f"{', '.join(rule.applies_to)}) for what it checks; every rule must stand on one",
            ("citations",),
        )
    elif requirements[0] != 0:
        report(
            "requirement-first",
            f"{rule.id}: put a requirement addressed to states first (citation "
            f"{requirements[0] + 1} is one); background comes after",
            ("citations", 0),
        )
    known = instrument_titles()
    for number, ref in enumerate(rule.references):
        if isinstance(ref, str):
            report(
                "reference-unstructured",
                f"{rule.id} reference {number + 1} is free text; write "
                "{instrument: ID, provision: ...} with an id from config/instruments.yaml",
                ("references", number),
            )
        elif ref.instrument not in known:
            import difflib

            close = difflib.get_close_matches(ref.instrument, list(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            report(
                "reference-unknown",
                f"{rule.id} reference {number + 1}: unknown instrument '{ref.instrument}'{hint}",
                ("references", number, "instrument"),
            )
