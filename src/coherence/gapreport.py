"""The JSON gap report, format 3 (`coherence check --format json`): its models, the source of
`coherence schema --report`, and the split of assessments into them.

One document for one profile or many. Each rule evaluated is described once (`rules`, by
rule id), each passage its rules cite once (`passages`, by passage id), each profile field's
question once (`questions`, by path), and each profile's findings keep only what varies from
profile to profile (`Outcome`), naming their rule by `rule_id`. A reader rebuilds a full
finding by joining: the outcome, its rule's text, the rule's citations with their passages,
and the question of each field its trace names (`docs/json-report.md`).

A passage id is `<source>:<first>-<last>` (its source and lines, as the CSV report names
citations); when the document holds several different passages of the same lines, each of
them gets `#` and the first 8 hex digits of the SHA-256 of its JSON text after that. An id
is unique within its document, not across documents.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import ConfigDict

from coherence.docstrings import DocumentedModel
from coherence.findings import (
    AssessmentBody,
    CitationUse,
    Outcome,
    Passage,
    QuestionOut,
    RuleText,
)

FORMAT_VERSION = 3


class _Out(DocumentedModel):
    model_config = ConfigDict(extra="forbid")


class PassageRef(CitationUse):
    """One citation of a rule: the passage it quotes and what the passage does for it."""

    passage: str
    """The passage's id: a key of the document's `passages`."""


class RuleEntry(RuleText):
    """One rule of the catalogue as every finding of it describes it."""

    citations: list[PassageRef]
    """Its citations, requirement passages first (otherwise in the rule's order)."""


class LeanAssessment(AssessmentBody):
    """One profile's assessment: its findings name their rules by id."""

    findings: list[Outcome]
    """One per rule evaluated, by rule id; the rule's text is in the document's `rules`."""


class GapReport(_Out):
    """The gap report of one or more profiles checked against the rule catalogue."""

    format_version: Literal[3]
    """3: rules and passages once per document, findings refer to them (2: every finding
    held its rule's text and citations, one document per profile)."""
    kind: Literal["gap_report"]
    tool_version: str
    catalogue_version: str
    """The catalogue's version ("" when there is no profile and no catalogue to say)."""
    rules: dict[str, RuleEntry]
    """Every rule that some finding names, by rule id."""
    passages: dict[str, Passage]
    """Every passage those rules cite, by passage id."""
    questions: dict[str, QuestionOut]
    """The question of every profile field a finding read (its trace, location or sides), by
    the field's path: a trace entry's `path` is its key. Derived facts have none."""
    assessments: list[LeanAssessment]
    """One per profile, in the order given."""


RULE_FIELDS: tuple[str, ...] = tuple(RuleText.model_fields)
"""The fields of a format-2 finding that `rules` holds (its citations besides)."""
OUTCOME_FIELDS: tuple[str, ...] = tuple(Outcome.model_fields)
"""The fields of a format-2 finding that stay in the finding."""
PASSAGE_FIELDS: tuple[str, ...] = tuple(Passage.model_fields)
USE_FIELDS: tuple[str, ...] = tuple(CitationUse.model_fields)
BODY_FIELDS: tuple[str, ...] = tuple(AssessmentBody.model_fields)


def split_assessment(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A format-2 assessment's JSON data (`Assessment.model_dump(mode="json")`) as its lean
    assessment and its rules: rule id → the rule's text with its full citations."""
    lean = {k: data[k] for k in BODY_FIELDS}
    lean["findings"] = [{k: f[k] for k in OUTCOME_FIELDS} for f in data["findings"]]
    rules = {
        f["rule_id"]: {**{k: f[k] for k in RULE_FIELDS}, "citations": f["citations"]}
        for f in data["findings"]
    }
    return lean, rules


def _passage_key(citation: Mapping[str, Any]) -> str:
    """The passage of a citation as canonical JSON text: what tells two passages apart."""
    passage = {k: citation[k] for k in PASSAGE_FIELDS}
    return json.dumps(passage, sort_keys=True, ensure_ascii=False)


def _plain_id(citation: Mapping[str, Any]) -> str:
    first, last = citation["lines"]
    return f"{citation['source']}:{first}-{last}"


def passage_ids(citations: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Passage key (`_passage_key`) → its id in a document citing `citations`."""
    keys: dict[str, str] = {}
    for c in citations:
        keys.setdefault(_passage_key(c), _plain_id(c))
    shared: dict[str, int] = {}
    for plain in keys.values():
        shared[plain] = shared.get(plain, 0) + 1
    return {
        key: plain
        if shared[plain] == 1
        else f"{plain}#{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"
        for key, plain in keys.items()
    }


def tables(rules: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The document's `rules` and `passages` from the rules of its findings (rule id → text
    with full citations, as `split_assessment` gives them)."""
    ids = passage_ids(c for rule in rules.values() for c in rule["citations"])
    passages: dict[str, Any] = {}
    entries: dict[str, Any] = {}
    for rule_id, rule in rules.items():
        refs = []
        for c in rule["citations"]:
            key = _passage_key(c)
            passages[ids[key]] = {k: c[k] for k in PASSAGE_FIELDS}
            refs.append({"passage": ids[key], **{k: c[k] for k in USE_FIELDS}})
        entries[rule_id] = {**{k: rule[k] for k in RULE_FIELDS}, "citations": refs}
    return {"rules": entries, "passages": passages}


def merge_rules(into: dict[str, Any], more: Mapping[str, Any]) -> None:
    """Add `more` rules to `into`; a rule already there must read the same (one catalogue)."""
    for rule_id, rule in more.items():
        known = into.setdefault(rule_id, rule)
        if known != rule:
            raise ValueError(f"rule {rule_id} reads differently in two assessments")
