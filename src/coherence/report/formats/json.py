"""JSON: the gap report (the findings contract), the comparison and the diff, sorted and
byte-stable."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from coherence.findings import Assessment
from coherence.report.formats import GapOptions
from coherence.report.views.comparison import Comparison
from coherence.report.views.diff import Diff
from coherence.sortedjson import dumps_sorted


def assessment_dict(assessment: Assessment) -> dict[str, Any]:
    """The assessment as plain JSON data."""
    return assessment.model_dump(mode="json")


def json_piece(assessment: Assessment) -> bytes:
    """One assessment as `render_json` writes it alone (without the final newline), UTF-8
    and compressed: what a check of many profiles keeps of each until the report is written."""
    text = dumps_sorted(assessment_dict(assessment))
    return zlib.compress(text.encode("utf-8"), 1)


def _unpacked(piece: bytes) -> str:
    return zlib.decompress(piece).decode("utf-8")


def json_chunks(pieces: Sequence[bytes]) -> Iterator[str]:
    """The JSON report of the `json_piece`s, piece by piece of text: one as it is, several
    as `{"assessments": [...]}` (each indented two levels, as `json.dumps` nests them)."""
    if len(pieces) == 1:
        yield _unpacked(pieces[0]) + "\n"
        return
    if not pieces:
        yield json.dumps({"assessments": []}, indent=2) + "\n"
        return
    yield '{\n  "assessments": [\n    '
    for i, piece in enumerate(pieces):
        yield ("" if i == 0 else ",\n    ") + _unpacked(piece).replace("\n", "\n    ")
    yield "\n  ]\n}\n"


def render_json(assessments: Sequence[Assessment]) -> str:
    """One assessment as an object, several as `{"assessments": [...]}`; keys sorted."""
    return "".join(json_chunks([json_piece(a) for a in assessments]))


def comparison_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON data."""
    keys = [k for k, _ in c.themes]
    return {
        "format_version": 2,
        "kind": "comparison",
        "tool_version": c.tool_version,
        "order": c.order,
        "min_coverage": c.min_coverage,
        "profiles": [e.to_json() for e in c.entries],
        "themes": keys,
        "scores": [
            {
                "profile": r.entry.label,
                "themes": {k: cell.to_json() for k, cell in zip(keys, r.cells, strict=True)},
                "counts": {s: n for s, _, n in r.counts},
                "sdg_domains": {
                    d.code: {
                        "value": d.value,
                        "coverage": d.coverage,
                        "rules": d.rules,
                        "classified": d.classified,
                        "sdg_class": d.sdg_class,
                    }
                    for d in r.domains
                },
            }
            for r in c.theme_rows
        ],
        "trends": [
            {
                "country": t.country_code,
                "country_name": t.country_name,
                "profiles": [e.label for e in t.entries],
                "changes": {
                    x.key: {
                        "first": x.first.score,
                        "last": x.last.score,
                        "change": x.change,
                        "first_coverage": x.first.coverage,
                        "last_coverage": x.last.coverage,
                    }
                    for x in t.cells
                },
                "rules_improved": t.improved,
                "rules_regressed": t.regressed,
            }
            for t in c.trends
        ],
        "rules": [
            {
                "rule_id": r.rule_id,
                "title": r.title,
                "theme": r.theme,
                "severity": r.severity,
                "statuses": {e.label: x.status for e, x in zip(c.entries, r.cells, strict=True)},
                "changes": {
                    e.label: x.change for e, x in zip(c.entries, r.cells, strict=True) if x.change
                },
            }
            for g in c.rule_groups
            for r in g.rows
        ],
    }


def render_compare_json(c: Comparison) -> str:
    """The comparison as JSON, keys sorted, byte-stable."""
    return dumps_sorted(comparison_dict(c)) + "\n"


def diff_dict(d: Diff) -> dict[str, Any]:
    """The diff as plain JSON data."""
    return {
        "format_version": 2,
        "kind": "diff",
        "old": d.old.to_json(),
        "new": d.new.to_json(),
        "counts": d.counts,
        "has_regression": d.has_regression,
        "scores": [s.to_json() for s in d.scores],
        "findings": [f.to_json() for f in d.findings],
        "answers": None if d.answers is None else [a.to_json() for a in d.answers],
        "notes": list(d.notes),
    }


def render_diff_json(d: Diff) -> str:
    """The diff as JSON, keys sorted, byte-stable."""
    return dumps_sorted(diff_dict(d)) + "\n"


# ---------------------------------------------------------------- the registry's entry points


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> str:
    """Every assessment as JSON."""
    return render_json(assessments)


def gap_piece(assessment: Assessment, options: GapOptions) -> bytes:
    """One assessment's JSON object, compressed."""
    return json_piece(assessment)


def gap_document(pieces: Sequence[bytes], options: GapOptions) -> Iterator[str]:
    """The JSON document: one object, or a list of them."""
    return json_chunks(pieces)


render_comparison = render_compare_json
render_diff = render_diff_json
