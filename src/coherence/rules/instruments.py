"""The registry of primary instruments a rule may reference (`config/instruments.yaml`)."""

from __future__ import annotations

from functools import cache

from coherence.resources import data_dir
from coherence.rules.model import Reference
from coherence.yamlsource import load_yaml_file


@cache
def instrument_titles() -> dict[str, str]:
    """Instrument id → title, from `config/instruments.yaml`."""
    doc = load_yaml_file(data_dir() / "config" / "instruments.yaml")
    return {str(item["id"]): str(item["title"]) for item in doc.data["instruments"]}


def reference_text(ref: Reference | str) -> str:
    """A reference as a report prints it: the instrument's title, then the provision."""
    if isinstance(ref, str):
        return ref
    title = instrument_titles().get(ref.instrument, ref.instrument)
    parts = [title]
    if ref.provision:
        parts.append(ref.provision)
    text = ", ".join(parts)
    return f"{text} ({ref.note})" if ref.note else text
