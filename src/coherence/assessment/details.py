"""What a profile says besides its answers: notes, evidence, names and dates.

No rule reads them, so they never change a finding; but reviewers compare them between two
rounds (a new article of the Labour Act, a renamed ministry, a ratification date), and
`coherence diff` lists them as "other changes". Each is flattened to one text per path.
"""

from __future__ import annotations

from typing import Any

from coherence.profile.model import Profile

_TEXT_KEYS = frozenset({"note", "date", "reservations", "exclusions", "covers", "mandate", "meets"})
"""Leaf fields compared as they are written (an instrument's date, a note, a mandate)."""

_EVIDENCE_KEYS = ("evidence", "practice_evidence")


def _evidence(item: dict[str, Any]) -> str:
    """One document in a line: "Labour Act, Art. 4, https://..., 2017-11-01"."""
    parts = (item.get(k) for k in ("title", "article", "url", "date"))
    return ", ".join(str(p) for p in parts if p)


def _walk(value: Any, path: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            # Most values are answers and numbers, kept by no branch: their path is not made.
            container = isinstance(item, (dict, list))
            if key in _EVIDENCE_KEYS and isinstance(item, list):
                where = f"{path}.{key}" if path else str(key)
                for i, document in enumerate(item):
                    out[f"{where}.{i}"] = _evidence(document)
            elif key in _TEXT_KEYS and item is not None and not container:
                out[f"{path}.{key}" if path else str(key)] = str(item)
            elif container:
                _walk(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{path}.{i}", out)


def profile_details(profile: Profile) -> dict[str, str]:
    """Path -> text of every note, document of evidence, institution name, instrument date
    (reservations, exclusions, an agreement's coverage, a body's mandate and meetings) and
    who prepared the profile. Waivers and reviews are left out: reports show them whole."""
    data = profile.model_dump(mode="json", exclude={"waivers", "reviews"})
    out: dict[str, str] = {"prepared_by": profile.prepared_by}
    for key, name in (data.get("institutions") or {}).items():
        if name:
            out[f"institutions.{key}"] = str(name)
    for section in ("instruments", "rights", "data_collection", "labour_channels"):
        _walk(data.get(section), section, out)
    for section in ("anti_trafficking", "coordination", "context"):
        _walk(data.get(section), section, out)
    return out
