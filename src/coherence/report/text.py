"""The terminal summary: scores per theme, gaps by severity, the citation of each gap."""

from __future__ import annotations

import textwrap

from coherence.findings import Assessment, Finding
from coherence.themes import THEME_NAMES

__all__ = ["THEME_NAMES", "render_text"]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
STATUS_WORDS = {
    "met": "met",
    "partial": "partly met",
    "gap": "gap",
    "not_applicable": "not applicable",
    "insufficient_data": "insufficient data",
    "waived": "waived",
}


def _pct(value: float | None) -> str:
    return "   —" if value is None else f"{value:5.1f}"


def _span(lines: tuple[int, int]) -> str:
    first, last = lines
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, 96, initial_indent=indent, subsequent_indent=indent)


def _finding_lines(f: Finding, path: str) -> list[str]:
    where = f.location
    at = f" ({path}:{where.line})" if where and where.line else ""
    lines = [f"  [{f.severity}] {f.rule_id} {f.title}{at}"]
    lines += _wrap(f.reason, "      ")
    lines += _wrap("Action: " + f.recommendation, "      ")
    for cite in f.citations[:2]:
        quote = cite.quote if len(cite.quote) <= 180 else cite.quote[:177] + "..."
        lines += _wrap(
            f'"{quote}" ({cite.title}, {cite.section}, {_span(cite.lines)})',
            "      > ",
        )
    if len(f.citations) > 2:
        lines.append(f"      > ... and {len(f.citations) - 2} more source passage(s)")
    return lines


def render_text(assessment: Assessment) -> str:
    """A readable summary of one assessment."""
    p = assessment.profile
    out = [
        f"{p.country_name} ({p.country}), as of {p.as_of} — roles: {', '.join(p.roles)}; "
        f"review status: {p.review_status.replace('_', ' ')}",
        f"Checked {assessment.rules_evaluated} rules (catalogue {assessment.catalogue_version}, "
        f"engine {assessment.engine}).",
    ]
    if p.illustrative:
        out.append("This is an ILLUSTRATIVE profile: its answers describe no real policy.")
    out += ["", f"  {'Theme':<26} {'Score':>6}  {'Coverage':>8}  Class"]
    for key, score in assessment.scores.items():
        label = score.sdg_class_label or "not enough data"
        out.append(
            f"  {THEME_NAMES.get(key, key):<26} {_pct(score.score):>6}  "
            f"{_pct(score.coverage):>7}%  {label}"
        )
    counts = assessment.scores["overall"].counts
    out += ["", "  " + ", ".join(f"{counts[s]} {STATUS_WORDS[s]}" for s in counts if counts[s])]
    for status, heading in (("gap", "Gaps"), ("partial", "Partly met")):
        chosen = sorted(
            (f for f in assessment.findings if f.status == status),
            key=lambda f: (SEVERITY_ORDER[f.severity], -len(f.citations), f.rule_id),
        )
        if chosen:
            out += ["", f"{heading} ({len(chosen)}), most severe first:"]
            for f in chosen:
                out += _finding_lines(f, p.path)
    unknown = [f for f in assessment.findings if f.status == "insufficient_data"]
    if unknown:
        out += ["", f"Insufficient data ({len(unknown)}): answer these to decide the rules:"]
        for f in unknown:
            out.append(f"  {f.rule_id}: {', '.join(f.missing) or 'see the rule'}")
    for n in assessment.notices:
        out += ["", f"Note: {n.message}" + (f" ({p.path}:{n.line})" if n.line else "")]
    return "\n".join(out) + "\n"
