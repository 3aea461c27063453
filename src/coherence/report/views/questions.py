"""The data gaps of a gap report: the questions a profile leaves open, grouped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coherence.facts import readable_paths
from coherence.findings import Finding
from coherence.themes import THEME_NAMES
from coherence.wording import series

# Profile sections in the order a data-gaps list groups its questions.
QUESTION_GROUPS: dict[str, str] = {
    "instruments": "International instruments",
    "rights": THEME_NAMES["rights"],
    "data_collection": THEME_NAMES["data_collection"],
    "labour_channels": THEME_NAMES["labour_channels"],
    "anti_trafficking": THEME_NAMES["anti_trafficking"],
    "coordination": THEME_NAMES["coordination"],
    "context": "Context",
}


@dataclass(frozen=True)
class Question:
    """One piece of data to collect."""

    path: str
    question: str
    answers: str
    """The answers the field accepts, e.g. "yes, partial, no or not applicable"."""
    line: int
    rules: tuple[str, ...]


@dataclass(frozen=True)
class QuestionGroup:
    """The questions of one profile section."""

    key: str
    name: str
    questions: tuple[Question, ...]


def _answers_text(values: Iterable[str]) -> str:
    return series(v.replace("_", " ") for v in values if v != "unknown")


def question_text(path: str) -> tuple[str, str]:
    """The question for a profile path and the answers it accepts."""
    paths = readable_paths()
    info = paths.get(path)
    if info is None:
        return path, ""
    text = info.description or path
    parts = path.split(".")
    if parts[0] == "instruments" and len(parts) == 3:
        instrument = paths.get(f"instruments.{parts[1]}.status")
        name = (instrument.description if instrument else "").rstrip(".") or parts[1]
        if parts[2] == "status":
            text = f"What is the status of the {name}?"
        else:
            text = f"{name}: {text[0].lower()}{text[1:]}"
    kinds = {"number": "a number", "list": "a list"}
    return text, kinds.get(info.kind) or _answers_text(info.values)


def question_groups(findings: Sequence[Finding]) -> tuple[QuestionGroup, ...]:
    """The data gaps: the questions that would decide undecided rules, grouped by section."""
    rules: dict[str, set[str]] = {}
    lines: dict[str, int] = {}
    for f in findings:
        if f.status != "insufficient_data":
            continue
        for path in f.missing:
            rules.setdefault(path, set()).add(f.rule_id)
            line = next((t.line for t in f.trace if t.path == path and t.line), 0)
            if line and (path not in lines or line < lines[path]):
                lines[path] = line
            lines.setdefault(path, 0)
    groups: dict[str, list[Question]] = {}
    for path in rules:
        text, answers = question_text(path)
        section = path.split(".", 1)[0]
        groups.setdefault(section, []).append(
            Question(path, text, answers, lines[path], tuple(sorted(rules[path])))
        )
    order = list(QUESTION_GROUPS)

    def rank(key: str) -> tuple[int, str]:
        return (order.index(key) if key in order else len(order), key)

    return tuple(
        QuestionGroup(
            key=key,
            name=QUESTION_GROUPS.get(key, key.replace("_", " ").capitalize()),
            questions=tuple(sorted(groups[key], key=lambda q: (q.line or 10**9, q.path))),
        )
        for key in sorted(groups, key=rank)
    )
