"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF consumers.

One run; every catalogue rule is a `reportingDescriptor` carrying its rationale, action and
verified source quotes. Each gap, partly met rule or rule lacking data is a `result` located
at the deciding answer in the profile file. Waived findings are results too, with an external
`suppressions` entry carrying the justification: that is how SARIF shows findings that
someone decided to set aside. Met and not applicable rules are not results.

Levels and kinds:

* gap: kind `fail`, level by severity (high `error`, medium `warning`, low `note`);
* partial: kind `fail`, level `note`;
* insufficient_data: kind `review` ("requires review by a human user to decide if it
  represents a problem"), level `none`: SARIF 2.1.0 §3.27.10 says that when `kind` is not
  `fail`, `level` SHALL be `none`.

A contradiction (a cross-theme `coherence` finding) also carries `relatedLocations`: every
answer on both of its sides ("The profile says" and "What should go with it"), each at its
profile line with a message naming the answer.

With a baseline (`check --baseline`), every result carries SARIF's `baselineState`: `new`
(the baseline did not record it as a problem), `unchanged` (same status) or `updated`
(another status: worse or better), and `properties.baseline_status`, the status recorded.
`absent` (a problem of the baseline that is fixed now) is not written: it would take a
result of kind `pass`, and GitHub code scanning, which does not document `kind`, could show
it as an alert.

`partialFingerprints["coherence/v1"]` hashes the country, rule id and profile path, so code
scanning follows a finding across commits even when its line moves.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from coherence import __version__
from coherence.assessment.gate import BaselineChange, FindingKey, change_of
from coherence.assessment.rulebook import RuleBook, RuleQuote, RuleSummary, rule_book
from coherence.citations import asks_words, requirements_first
from coherence.citations import sections as citation_sections
from coherence.findings import Assessment, Finding
from coherence.report.formats import GapOptions
from coherence.report.views.ci import REPORTED, display_path, finding_line, finding_message
from coherence.report.vocabulary import lines_words, value_words
from coherence.sortedjson import dumps_each_sorted, dumps_sorted

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


SARIF_VERSION = "2.1.0"


FINGERPRINT_KEY = "coherence/v1"


SEVERITY_LEVELS = {"high": "error", "medium": "warning", "low": "note"}


#: (kind, level) for a status other than gap (whose level follows the severity).
STATUS_KIND_LEVEL = {
    "partial": ("fail", "note"),
    "insufficient_data": ("review", "none"),
    "met": ("pass", "none"),
    "not_applicable": ("notApplicable", "none"),
}


_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


Catalogue = Any
"""A rule catalogue (`coherence.rules.catalog.Catalogue`): this module reads it only through
`coherence.assessment.rulebook.rule_book`, never its rules."""


def _from_finding(finding: Finding) -> RuleSummary:
    """A descriptor for a finding whose rule is not in the catalogue passed in."""
    return RuleSummary(
        id=finding.rule_id,
        title=finding.title,
        theme=finding.theme,
        severity=finding.severity,
        rationale=finding.rationale,
        recommendation=finding.recommendation,
        sdg_domain=finding.sdg_domain,
        tags=(),
        references=tuple(finding.references),
        quotes=tuple(
            RuleQuote(c.title, c.section, c.lines, c.quote, c.role, c.addressee)
            for c in requirements_first(finding.citations)
        ),
    )


def camel_case(text: str) -> str:
    """`Declared labour shortages are matched` -> `DeclaredLabourShortagesAreMatched`."""
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words) or "Rule"


def _where(q: RuleQuote) -> str:
    return ", ".join(part for part in (q.section, lines_words(q.lines)) if part)


def _help(info: RuleSummary) -> dict[str, str]:
    """Plain text and Markdown help. Rule-pack text in the Markdown is escaped as in the
    Markdown report (`md_escape`): a viewer renders it, so raw HTML, images and links in a
    rule pack must come out as the literal text they are."""
    from coherence.report.formats.markdown.base import md_escape as md

    text = [info.rationale, "", f"Action: {info.recommendation}"]
    markdown = [md(info.rationale), "", f"**Action:** {md(info.recommendation)}"]
    # Requirement passages first, as "What the sources ask", each with whom it asks; the
    # rest as "Background".
    for heading, quotes in citation_sections(info.quotes):
        text += ["", f"{heading}:"]
        markdown += ["", f"**{heading}**"]
        for q in quotes:
            asks = f"{asks_words(q)}: " if q.role == "requirement" and asks_words(q) else ""
            text.append(f'- {asks[:1].upper()}{asks[1:]}"{q.quote}" ({q.title}, {_where(q)})')
            if asks:
                markdown += ["", f"*{asks[:1].upper()}{asks[1:-2]}:*"]
            markdown += ["", f"> {md(q.quote)}", ">", f"> — *{md(q.title)}*, {md(_where(q))}"]
    if info.references:
        text += ["", "Primary instruments: " + "; ".join(info.references)]
        markdown += ["", "**Primary instruments:** " + "; ".join(md(r) for r in info.references)]
    return {"text": "\n".join(text), "markdown": "\n".join(markdown)}


def _descriptor(info: RuleSummary) -> dict[str, Any]:
    return {
        "id": info.id,
        "name": camel_case(info.title or info.id),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.rationale},
        "help": _help(info),
        "defaultConfiguration": {"level": SEVERITY_LEVELS[info.severity]},
        "properties": {
            "theme": info.theme,
            "severity": info.severity,
            "sdg_domain": info.sdg_domain,
            "tags": sorted({info.theme, *info.tags}),
        },
    }


def kind_and_level(status: str, severity: str) -> tuple[str, str]:
    """SARIF (kind, level) for a status; a waived finding uses its underlying status."""
    if status == "gap":
        return "fail", SEVERITY_LEVELS[severity]
    return STATUS_KIND_LEVEL[status]


def fingerprint(country: str, rule_id: str, uri: str) -> str:
    """Stable identity of a finding across commits: country, rule and profile file."""
    return hashlib.sha256(f"{country}\0{rule_id}\0{uri}".encode()).hexdigest()[:32]


def artifact_uri(path: str, base: Path | None = None) -> str:
    """The profile as a SARIF artifact URI: relative with forward slashes when it lies under
    `base` (default: the working directory), else an absolute `file:` URI."""
    shown = display_path(path, base)
    if Path(shown).is_absolute():
        return Path(shown).as_uri()
    return quote(shown, safe="/")


def related_locations(finding: Finding, uri: str) -> list[dict[str, Any]]:
    """For a contradiction, every answer on both of its sides as a SARIF `relatedLocations`
    entry (SARIF 2.1.0 §3.27.22): its line in the profile and a message naming the side and
    the answer, e.g. `What should go with it: rights.detention_last_resort = no`. Answers
    without a line (none in a loaded profile) are left out; a check has no related locations."""
    related: list[dict[str, Any]] = []
    for side in finding.sides:
        for entry in side.answers:
            if entry.line < 1:
                continue
            answer = value_words(entry.value) if entry.state == "known" else entry.state
            related.append(  # keys in sorted order (see `_result`)
                {
                    "id": len(related) + 1,
                    "message": {"text": f"{side.label}: {entry.path} = {answer.replace('_', ' ')}"},
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {"startLine": entry.line},
                    },
                }
            )
    return related


def _result(
    finding: Finding,
    assessment: Assessment,
    uri: str,
    index: int,
    changes: Mapping[FindingKey, BaselineChange] | None = None,
) -> dict[str, Any] | None:
    status = finding.status
    change = change_of(changes, assessment, finding)
    if status == "waived":
        if finding.waiver is None:
            return None
        underlying = finding.waiver.underlying_status
        kind, level = kind_and_level(underlying, finding.severity)
    elif status in REPORTED:
        underlying = status
        kind, level = kind_and_level(status, finding.severity)
    else:
        return None
    # Every key is put in sorted order, as the log is written (`_dump_results`), optional
    # ones included: no sorted copy is made.
    waiver = finding.waiver if status == "waived" else None
    properties: dict[str, Any] = {}
    result: dict[str, Any] = {}
    if change is not None:
        result["baselineState"] = change.state
        if change.before is not None:
            properties["baseline_status"] = change.before
    properties["country"] = assessment.profile.country
    if finding.missing:
        properties["missing"] = list(finding.missing)
    properties["severity"] = finding.severity
    properties["status"] = status
    properties["theme"] = finding.theme
    if waiver is not None:
        properties["underlying_status"] = underlying
    result["kind"] = kind
    result["level"] = level
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": {"startLine": finding_line(finding)},
            }
        }
    ]
    result["message"] = {"text": finding_message(finding)}
    result["partialFingerprints"] = {
        FINGERPRINT_KEY: fingerprint(assessment.profile.country, finding.rule_id, uri)
    }
    result["properties"] = properties
    related = related_locations(finding, uri)
    if related:
        result["relatedLocations"] = related
    result["ruleId"] = finding.rule_id
    result["ruleIndex"] = index
    if waiver is not None:
        result["suppressions"] = [
            {
                "justification": waiver.justification,
                "kind": "external",
                "properties": {
                    "approved_by": waiver.approved_by,
                    "expires": waiver.expires.isoformat(),
                },
                "status": "accepted",
            }
        ]
    return result


RESULT_INDENT = " " * 8
"""How deep `render_sarif`'s JSON indents one result (runs[0].results[i], two spaces a level)."""


@dataclass
class SarifPiece:
    """One assessment's share of a SARIF log: its results, already written as the log's JSON
    with the sort key of each, sorted, pickled and compressed (`results()` unpacks them), and
    the rules its findings name that the catalogue lacks. Made apart from the log
    (`sarif_piece`, in a worker process too) so that a check of many profiles keeps these,
    not the assessments."""

    uri: str
    count: int
    packed: bytes
    extra: dict[str, RuleSummary]

    def results(self) -> list[tuple[tuple[str, str, str], str]]:
        """The (sort key, JSON text) of each result, sorted by key."""
        return pickle.loads(zlib.decompress(self.packed))


def catalogue_index(catalogue: Catalogue) -> dict[str, int]:
    """Each catalogue rule's `ruleIndex` when no finding names a rule outside it."""
    return _index(rule_book(catalogue))


def _index(book: RuleBook) -> dict[str, int]:
    return {rule_id: i for i, rule_id in enumerate(sorted(book.rules))}


def _dump_result(result: dict[str, Any]) -> str:
    text = dumps_sorted(result)
    return text.replace("\n", "\n" + RESULT_INDENT)


def _dump_results(results: list[dict[str, Any]]) -> list[str]:
    """`_dump_result` of each result of `_result`, made in one go: `_result` writes every
    dict's keys in sorted order, so no sorted copy is needed."""
    return dumps_each_sorted(results, RESULT_INDENT)


def sarif_piece(
    assessment: Assessment,
    catalogue: Catalogue,
    *,
    base: Path | None = None,
    changes: Mapping[FindingKey, BaselineChange] | None = None,
    index: Mapping[str, int] | None = None,
) -> SarifPiece:
    """The results of one assessment (see `render_sarif`); `index` is
    `catalogue_index(catalogue)`, passed to save computing it for every profile."""
    index = catalogue_index(catalogue) if index is None else index
    extra = {
        f.rule_id: _from_finding(f) for f in reversed(assessment.findings) if f.rule_id not in index
    }
    uri = artifact_uri(assessment.profile.path, base)
    made = []
    for finding in assessment.findings:
        result = _result(finding, assessment, uri, index.get(finding.rule_id, -1), changes)
        if result is not None:
            made.append(((uri, finding.rule_id, assessment.profile.country), result))
    made.sort(key=lambda item: item[0])
    texts = _dump_results([result for _, result in made])
    results = [(key, text) for (key, _), text in zip(made, texts, strict=True)]
    packed = zlib.compress(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL), 1)
    return SarifPiece(uri, len(results), packed, extra)


def sarif_chunks(pieces: Sequence[SarifPiece], catalogue: Catalogue) -> Iterator[str]:
    """The SARIF log of the pieces (given in the order of their assessments), piece by piece
    of text: one profile's results are unpacked at a time (see `render_sarif`)."""
    book = rule_book(catalogue)
    infos = dict(book.rules)
    for piece in pieces:
        for rule_id, info in piece.extra.items():
            infos.setdefault(rule_id, info)
    order = sorted(infos)
    index = {rule_id: i for i, rule_id in enumerate(order)}
    reindex = index != _index(book)  # a rule outside the catalogue shifts them

    driver: dict[str, Any] = {
        "name": "coherence",
        "version": __version__,
        "rules": [_descriptor(infos[rule_id]) for rule_id in order],
        "properties": {"catalogue_version": book.version},
    }
    if _SEMVER.match(__version__):
        driver["semanticVersion"] = __version__
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{"tool": {"driver": driver}, "results": []}],
    }
    text = dumps_sorted(log) + "\n"
    if not any(piece.count for piece in pieces):
        yield text
        return
    empty = '\n      "results": []'  # runs[0]'s first key: the only line indented so
    at = text.index(empty)
    yield text[:at] + '\n      "results": [\n' + RESULT_INDENT
    # Sorted by (uri, rule id, country): by profile URI, then within the profiles of one URI
    # (usually one, whose results are sorted already).
    by_uri = sorted(range(len(pieces)), key=lambda i: pieces[i].uri)
    separator = ""
    start = 0
    while start < len(by_uri):
        end = start + 1
        while end < len(by_uri) and pieces[by_uri[end]].uri == pieces[by_uri[start]].uri:
            end += 1
        results = [r for i in by_uri[start:end] for r in pieces[i].results()]
        if end - start > 1:
            results.sort(key=lambda item: item[0])
        for _, result in results:
            if reindex:
                data = json.loads(result)
                data["ruleIndex"] = index[data["ruleId"]]
                result = _dump_result(data)
            yield separator + result
            separator = ",\n" + RESULT_INDENT
        start = end
    yield "\n      ]" + text[at + len(empty) :]


def render_sarif(
    assessments: Iterable[Assessment],
    catalogue: Catalogue,
    *,
    base: Path | None = None,
    changes: Mapping[FindingKey, BaselineChange] | None = None,
) -> str:
    """A SARIF 2.1.0 log (JSON text, keys sorted, newline-terminated) of the assessments.

    Every catalogue rule is a rule descriptor (plus any rule a finding names that the
    catalogue lacks, e.g. from a rule pack). Profile paths become URIs relative to `base`
    (default: the working directory); results are sorted by profile URI, then rule id.
    `changes` (from `coherence.assessment.gate.compare_baseline`) adds `baselineState`.
    """
    index = catalogue_index(catalogue)
    pieces = [
        sarif_piece(a, catalogue, base=base, changes=changes, index=index) for a in assessments
    ]
    return "".join(sarif_chunks(pieces, catalogue))


# ---------------------------------------------------------------- the registry's entry points


_INDEX: dict[int, Any] = {}


def _sarif_index(catalogue: Catalogue) -> Mapping[str, int]:
    """`catalogue_index`, computed once per catalogue (in each process)."""
    key = id(catalogue)
    if key not in _INDEX:
        _INDEX.clear()
        _INDEX[key] = (catalogue, catalogue_index(catalogue))
    return _INDEX[key][1]


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> str:
    """The SARIF log of every assessment."""
    return render_sarif(options.kept(assessments), options.catalogue, changes=options.changes)


def gap_piece(assessment: Assessment, options: GapOptions) -> SarifPiece:
    """One profile's results."""
    (kept,) = options.kept([assessment])
    index = _sarif_index(options.catalogue)
    return sarif_piece(kept, options.catalogue, changes=options.changes, index=index)


def gap_document(pieces: Sequence[SarifPiece], options: GapOptions) -> Iterator[str]:
    """The SARIF log."""
    return sarif_chunks(pieces, options.catalogue)
