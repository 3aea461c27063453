"""The JSON report: the findings contract, sorted and byte-stable."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from coherence.findings import Assessment


def assessment_dict(assessment: Assessment) -> dict[str, Any]:
    """The assessment as plain JSON data."""
    return assessment.model_dump(mode="json")


def json_piece(assessment: Assessment) -> bytes:
    """One assessment as `render_json` writes it alone (without the final newline), UTF-8
    and compressed: what a check of many profiles keeps of each until the report is written."""
    text = json.dumps(assessment_dict(assessment), indent=2, sort_keys=True, ensure_ascii=False)
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
