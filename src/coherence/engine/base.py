"""What every engine returns: the truth value of each rule condition and derived fact."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from coherence.facts import Fact


@dataclass
class Truths:
    """Truth values for one profile: `None` means unknown (three-valued logic)."""

    conditions: dict[tuple[str, str], bool | None] = field(default_factory=dict)
    """(rule id, `applies_when` | `met_when` | `partial_when`) → truth."""
    derived: dict[str, bool | None] = field(default_factory=dict)
    """Derived-fact id → truth."""


class Engine(Protocol):
    """An evaluator of a compiled catalogue."""

    name: str

    def truths(self, facts: dict[str, Fact]) -> Truths:
        """Evaluate every rule condition against one profile's facts."""
        ...

    def close(self) -> None:
        """Release engine resources."""
        ...
