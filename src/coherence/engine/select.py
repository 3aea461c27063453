"""Choosing an engine: durable-rules where it imports, else the reference evaluator.

durable-rules is not installed on Windows nor on Python 3.13+ (see the dependency's marker
in pyproject.toml), and may fail to import elsewhere; `auto` then falls back with one notice.
"""

from __future__ import annotations

from typing import Literal

from coherence.engine.base import Engine
from coherence.engine.durable import IMPORT_ERROR, DurableEngine, EngineError, available
from coherence.engine.reference import ReferenceEngine
from coherence.rules.catalog import Catalogue

EngineName = Literal["auto", "durable", "reference"]

FALLBACK_NOTICE = (
    "coherence: durable-rules cannot be loaded on this Python or platform, "
    "so the built-in reference evaluator is used instead (same results)."
)

# Keyed by id(); the catalogue is kept alive alongside so the id cannot be reused.
_CACHE: dict[tuple[int, str], tuple[Catalogue, Engine]] = {}


def make_engine(catalogue: Catalogue, name: EngineName = "auto") -> tuple[Engine, str | None]:
    """An engine for the catalogue (compiled once per process), and a notice if it fell back.

    `auto` uses durable-rules when it can be imported and the reference evaluator otherwise;
    `durable` raises `EngineError` when durable-rules is unavailable.
    """
    notice = None
    chosen = name
    if name == "auto":
        chosen = "durable" if available() else "reference"
        if chosen == "reference":
            notice = FALLBACK_NOTICE
    if chosen == "durable" and not available():
        raise EngineError(f"durable-rules cannot be imported on this Python ({IMPORT_ERROR})")
    key = (id(catalogue), chosen)
    cached = _CACHE.get(key)
    if cached is None:
        engine: Engine = (
            DurableEngine(catalogue) if chosen == "durable" else ReferenceEngine(catalogue)
        )
        cached = _CACHE[key] = (catalogue, engine)
    return cached[1], notice
