"""Waivers checked against the catalogue: a waiver for a rule it does not have."""

from __future__ import annotations

import difflib

from coherence.diagnostics import Diagnostic
from coherence.profile.validate import LoadedProfile
from coherence.rules.catalog import Catalogue


def waiver_problems(loaded: LoadedProfile, catalogue: Catalogue) -> list[Diagnostic]:
    """A waiver naming a rule the catalogue does not have is a validation error."""
    problems = []
    retired = {r.id for r in catalogue.retired}
    for i, waiver in enumerate(loaded.profile.waivers):
        if waiver.rule not in catalogue.by_id and waiver.rule not in retired:
            line, col = loaded.document.line_of(("waivers", i, "rule"))
            close = difflib.get_close_matches(waiver.rule, list(catalogue.by_id), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.append(
                Diagnostic(
                    loaded.path,
                    line,
                    col,
                    "unknown-rule",
                    f"waiver for unknown rule {waiver.rule}{hint}",
                    f"waivers.{i}.rule",
                )
            )
    return problems
