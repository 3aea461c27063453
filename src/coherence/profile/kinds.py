"""A file read as a profile that is no profile at all: a rule file, a baseline, a JSON report,
a SARIF log, a JSON Schema, a CI workflow. Without a word about what it is, such a file would
be called "a format-1 profile" (it has no `format_version: 2`) and `coherence upgrade` would
offer to rewrite it.

A mapping is taken for a profile when it holds any of the fields a profile has at its top level
(format 1 had the same ones), or, when it is none of the files above, says `format_version: 2`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REPORT_KINDS = {
    "gap_report": "a JSON gap report written by `coherence check`",
    "diff": "a JSON report written by `coherence diff`",
    "comparison": "a JSON report written by `coherence compare`",
}


def _what(data: Mapping[Any, Any]) -> str:
    """What the mapping is, in words, as far as its keys tell."""
    kind = data.get("kind")
    if isinstance(kind, str) and kind in REPORT_KINDS:
        return REPORT_KINDS[kind]
    if "profiles" in data and data.get("tool") == "coherence":
        return "a baseline written by `coherence baseline` (give it with `--baseline FILE`)"
    if isinstance(data.get("rules"), list) or {"id", "condition"} <= set(data):
        return "a rule file (give its folder with `--rules DIR`; `coherence rules lint` checks it)"
    if "runs" in data and "version" in data:
        return "a SARIF report written by `coherence check --format sarif`"
    if "$schema" in data:
        return "a JSON Schema"
    return ""


def not_a_profile(data: Mapping[Any, Any]) -> str | None:
    """Why the mapping is not a profile at all (to say instead of "a format-1 profile"), or
    None when it is one, however wrong (its own messages then say what to fix)."""
    from coherence.profile.model import FORMAT_VERSION, Profile

    fields = set(Profile.model_fields) - {"format_version"}
    if any(isinstance(key, str) and key in fields for key in data):
        return None
    what = _what(data)
    if what:  # a diff's JSON says format_version: 2 too
        return f"this file is not a coherence profile: it is {what}"
    version = data.get("format_version")
    if (type(version) is int and version == FORMAT_VERSION) or "<<" in data:
        return None  # it says it is one: the fields it lacks are named one by one
    return (
        "this file is not a coherence profile: it has none of a profile's fields (country, "
        "as_of, prepared_by, roles, ...); `coherence template` writes a blank profile to start "
        "from"
    )
