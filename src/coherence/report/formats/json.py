"""JSON: the gap report (format 3, `coherence.gapreport`), the comparison and the diff, sorted
and byte-stable."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from types import GeneratorType
from typing import TYPE_CHECKING, Any, NamedTuple

from coherence import __version__
from coherence.findings import Assessment
from coherence.gapreport import (
    BODY_FIELDS,
    FORMAT_VERSION,
    OUTCOME_FIELDS,
    merge_rules,
    split_assessment,
    tables,
)
from coherence.report.formats import GapOptions
from coherence.report.formats.pieces import pack, unpack
from coherence.sortedjson import dumps_sorted

if TYPE_CHECKING:  # the gap report, the usual run, needs neither view
    from coherence.report.views.comparison import Comparison
    from coherence.report.views.diff import Diff


class JsonPiece(NamedTuple):
    """What the JSON report keeps of one assessment until it is written."""

    text: bytes
    """Its lean assessment (`coherence.gapreport.LeanAssessment`) as JSON text, compressed."""
    rules: bytes
    """Its findings' rules (`coherence.gapreport.split_assessment`) as JSON text, compressed:
    the same bytes for every profile checked against one catalogue."""
    versions: tuple[str, str]
    """Its tool and catalogue versions."""
    asked: frozenset[str] = frozenset()
    """The paths of the profile fields its findings read that have a question."""


def _dumps(data: Any) -> str:
    return dumps_sorted(data)


_LEAN = {
    **{k: True for k in BODY_FIELDS},
    "findings": {"__all__": set(OUTCOME_FIELDS)},
}
"""What `model_dump` writes of an assessment when its rules are known already."""

_RULES: dict[tuple[str, tuple[str, ...]], bytes] = {}
"""The packed rules of the last catalogue seen, by (catalogue version, rule ids): a batch
dumps its rules once, not once per profile. The version is a hash of every rule file and
source, so equal keys mean equal rule texts."""


def _asked(assessment: Assessment) -> frozenset[str]:
    entries = (
        e
        for f in assessment.findings
        for e in (
            *((f.location,) if f.location else ()),
            *f.trace,
            *(a for side in f.sides for a in side.answers),
        )
    )
    return frozenset(e.path for e in entries if e.question is not None)


def json_piece(assessment: Assessment) -> JsonPiece:
    """One assessment's part of the JSON report."""
    key = (assessment.catalogue_version, tuple(f.rule_id for f in assessment.findings))
    rules = _RULES.get(key)
    if rules is None:
        lean, rule_data = split_assessment(assessment.model_dump(mode="json"))
        rules = pack(_dumps(rule_data))
        _RULES.clear()
        _RULES[key] = rules
    else:
        lean = assessment.model_dump(mode="json", include=_LEAN)
    versions = (assessment.tool_version, assessment.catalogue_version)
    return JsonPiece(pack(_dumps(lean)), rules, versions, _asked(assessment))


def json_chunks(pieces: Sequence[JsonPiece], catalogue: Any = None) -> Iterator[str]:
    """The JSON report (format 3, `coherence.gapreport.GapReport`) of the pieces, piece by
    piece of text, as `json.dumps` with sorted keys writes it: the assessments first (each
    indented two levels), then the rules, passages and questions of their findings and the
    versions."""
    from coherence.assessment.asked import questions

    rules: dict[str, Any] = {}
    versions: set[tuple[str, str]] = set()
    asked: set[str] = set()
    last = b""
    yield '{\n  "assessments": ['
    for i, piece in enumerate(pieces):
        yield ("\n    " if i == 0 else ",\n    ") + unpack(piece.text).replace("\n", "\n    ")
        if piece.rules != last:  # one catalogue: every piece has the same bytes
            merge_rules(rules, json.loads(unpack(piece.rules)))
            last = piece.rules
        versions.add(piece.versions)
        asked |= piece.asked
    yield "\n  ]" if pieces else "]"
    if len(versions) > 1:
        raise ValueError(f"one report of several tool or catalogue versions: {sorted(versions)}")
    default = (__version__, getattr(catalogue, "version", ""))
    tool_version, catalogue_version = versions.pop() if versions else default
    known = questions()
    tail = {
        "format_version": FORMAT_VERSION,
        "kind": "gap_report",
        "tool_version": tool_version,
        "catalogue_version": catalogue_version,
        **tables(rules),
        "questions": {p: known[p].model_dump(mode="json") for p in sorted(asked)},
    }
    yield "," + _dumps(tail)[1:] + "\n"


def render_json(assessments: Sequence[Assessment], catalogue: Any = None) -> str:
    """The JSON report of the assessments (format 3): one document for one profile or many."""
    return "".join(json_chunks([json_piece(a) for a in assessments], catalogue))


def comparison_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON data."""
    return {
        k: list(v) if isinstance(v, GeneratorType) else v for k, v in _comparison_parts(c).items()
    }


def _comparison_parts(c: Comparison) -> dict[str, Any]:
    """`comparison_dict`, its lists of one item per profile or per rule as generators (made
    one item at a time, as they are written)."""
    keys = [k for k, _ in c.themes]
    return {
        "format_version": 2,
        "kind": "comparison",
        "tool_version": c.tool_version,
        "order": c.order,
        "min_coverage": c.min_coverage,
        "profiles": (e.to_json() for e in c.entries),
        "themes": keys,
        "scores": (
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
        ),
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
        "rules": _rules(c),
    }


def _rules(c: Comparison) -> Iterator[dict[str, Any]]:
    """The rules of `_comparison_parts`, one at a time."""
    # The labels read once, not twice a rule: a comparison's entries are made from their
    # records as they are read (`coherence.report.views.comparison_rows`).
    labels = [e.label for e in c.entries]
    for g in c.rule_groups:
        for r in g.rows:
            yield {
                "rule_id": r.rule_id,
                "title": r.title,
                "theme": r.theme,
                "severity": r.severity,
                "statuses": {e: x.status for e, x in zip(labels, r.cells, strict=True)},
                "changes": {e: x.change for e, x in zip(labels, r.cells, strict=True) if x.change},
            }


def render_compare_json(c: Comparison) -> str:
    """The comparison as JSON, keys sorted, byte-stable."""
    return dumps_sorted(comparison_dict(c)) + "\n"


def compare_json_chunks(c: Comparison) -> Iterator[str]:
    """`render_compare_json`, item by item of its long lists (profiles, scores, rules): the
    comparison of thousands of profiles is never held whole, as data or as text.

    Each item is written as `dumps_sorted` writes it, indented to its depth (JSON text holds
    no raw newline but those of the indentation), so the text is the same."""
    parts = _comparison_parts(c)
    yield "{"
    for i, key in enumerate(sorted(parts)):
        value = parts[key]
        lead = ("\n" if i == 0 else ",\n") + "  " + json.dumps(key, ensure_ascii=False) + ": "
        if not isinstance(value, GeneratorType):
            yield lead + dumps_sorted(value).replace("\n", "\n  ")
            continue
        empty = True
        for item in value:
            yield (lead + "[\n    " if empty else ",\n    ") + dumps_sorted(item).replace(
                "\n", "\n    "
            )
            empty = False
        yield lead + "[]" if empty else "\n  ]"
    yield "\n}\n"


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
        "other_changes": None if d.others is None else [o.to_json() for o in d.others],
        "notes": list(d.notes),
    }


def render_diff_json(d: Diff) -> str:
    """The diff as JSON, keys sorted, byte-stable."""
    return dumps_sorted(diff_dict(d)) + "\n"


# ---------------------------------------------------------------- the registry's entry points


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> str:
    """Every assessment as JSON."""
    return render_json(assessments, options.catalogue)


def gap_piece(assessment: Assessment, options: GapOptions) -> JsonPiece:
    """One assessment's part of the JSON report."""
    return json_piece(assessment)


def gap_document(pieces: Sequence[JsonPiece], options: GapOptions) -> Iterator[str]:
    """The JSON document of every profile's piece."""
    return json_chunks(pieces, options.catalogue)


render_comparison = render_compare_json
comparison_chunks = compare_json_chunks
render_diff = render_diff_json
