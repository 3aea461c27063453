"""What a workbook did not carry: the parts of a profile that differ once read back."""

from __future__ import annotations

from typing import Any

from coherence.profile.model import Profile


def _leaves(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _leaves(sub, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list) and value and isinstance(value[0], (dict, list)):
        for index, sub in enumerate(value):
            _leaves(sub, f"{path}.{index + 1}", out)
    else:
        out[path] = value


def lost_paths(before: Profile, after: Profile) -> list[str]:
    """Dotted paths (list positions from 1) whose value `after` does not keep from `before`."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    _leaves(before.model_dump(mode="json", exclude_none=True, exclude_defaults=True), "", old)
    _leaves(after.model_dump(mode="json", exclude_none=True, exclude_defaults=True), "", new)
    return sorted(path for path in old.keys() | new.keys() if old.get(path) != new.get(path))


def too_long_paths(profile: Profile, limit: int) -> set[str]:
    """Dotted paths (as `lost_paths` gives them) of text longer than `limit` characters."""
    found: dict[str, Any] = {}
    _leaves(profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True), "", found)
    return {path for path, value in found.items() if isinstance(value, str) and len(value) > limit}
