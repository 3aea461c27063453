"""Build real rule packs (YAML files on disk) for tests, with a verified citation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CITATION = {
    "source": "iom-2003-mpi1",
    "lines": [136, 136],
    "quote": "requiring coordination and partnerships among all relevant government agencies",
}


def rule(rule_id: str, met_when: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A complete rule with defaults for everything but its id and conditions."""
    body: dict[str, Any] = {
        "id": rule_id,
        "title": f"Test rule {rule_id}",
        "theme": "coordination",
        "severity": "medium",
        "applies_to": ["origin", "transit", "destination"],
        "met_when": met_when,
        "rationale": "A rule written by the test suite to exercise the engine.",
        "recommendation": "Do what the test expects of the government concerned.",
        "citations": [CITATION],
        "sdg_domain": "PD_2",
    }
    body.update(extra)
    return body


def write_pack(
    folder: Path, rules: list[dict[str, Any]], derived: list[dict[str, Any]] | None = None
) -> Path:
    """Write a rule file into `folder` and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    doc: dict[str, Any] = {"rules": rules}
    if derived:
        doc["derived"] = derived
    (folder / "pack.yaml").write_text(
        yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return folder


def profile_doc(fragment: dict[str, Any], roles: list[str] | None = None) -> dict[str, Any]:
    """A minimal valid profile with `fragment`'s sections merged in."""
    data: dict[str, Any] = {
        "format_version": 2,
        "country": {"code": "ATA", "name": "Test country"},
        "as_of": "2026-01-01",
        "prepared_by": "tests",
        "roles": roles or ["origin", "transit", "destination"],
    }
    data.update(fragment)
    return data
