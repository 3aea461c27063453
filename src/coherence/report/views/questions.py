"""The data gaps of a gap report: the questions a profile leaves open, grouped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coherence.findings import Finding, QuestionOut
from coherence.themes import THEME_NAMES
from coherence.wording import bare_title, series

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


def question_text(path: str, question: QuestionOut | None) -> tuple[str, str]:
    """The question for a profile path (the one its trace entries carry) and the answers it
    accepts; an instrument's status and answers name the instrument."""
    if question is None:
        return path, ""
    text = question.text or path
    if question.instrument is not None:
        if path.rsplit(".", 1)[-1] == "status":
            text = f"What is the status of the {question.instrument}?"
        elif "the instrument" in text:  # "Is the ILO ... (No. 97) reflected in national law?"
            text = text.replace("the instrument", f"the {bare_title(question.instrument)}")
        else:
            text = f"{question.instrument}: {text[0].lower()}{text[1:]}"
    kinds = {"number": "a number", "list": "a list"}
    return text, kinds.get(question.kind) or _answers_text(question.allowed)


_TO_WRITE: dict[str, tuple[str, str]] = {
    # The lists from which the tool works out answers no field holds (which of the main
    # countries the agreements cover, how many are monitored, who sits on the bodies): the
    # data to collect is the list itself.
    "labour_channels.bilateral_agreements.agreements": (
        "List each agreement under agreements: with its partner country and whether its "
        "implementation is monitored (- {partner: QAT, monitored: yes}), and the main "
        "countries of destination and origin in context (main_destination_countries, "
        "main_origin_countries): the report works out which of them the agreements cover.",
        "a list",
    ),
    "coordination.coordination_bodies.bodies": (
        "List each coordination body under bodies: with its member ministries and agencies "
        "(- name: ..., members: [...]); for a body listed already, add its members.",
        "a list",
    ),
}


def asked(finding: Finding, path: str) -> QuestionOut | None:
    """The question of a path the finding read (None for a derived fact or a path it did
    not read)."""
    return next((t.question for t in finding.trace if t.path == path), None)


def _reading_order(question: Question) -> tuple[int, bool, str]:
    """Questions in the profile's order; of one instrument not written in the profile (its
    status and its law found at one line), the status first: whether national law reflects a
    convention is asked once it is known whether the country is bound by it."""
    return (question.line or 10**9, not question.path.endswith(".status"), question.path)


def question_groups(findings: Sequence[Finding]) -> tuple[QuestionGroup, ...]:
    """The data gaps: the questions that would decide undecided rules, grouped by section."""
    rules: dict[str, set[str]] = {}
    lines: dict[str, int] = {}
    questions: dict[str, QuestionOut | None] = {}
    for f in findings:
        if f.status != "insufficient_data":
            continue
        for path in f.missing:
            rules.setdefault(path, set()).add(f.rule_id)
            questions[path] = questions.get(path) or asked(f, path)
            # A list to fill in is found at the line of the answer it belongs to.
            owner = path.rsplit(".", 1)[0] if path in _TO_WRITE else path
            line = next((t.line for t in f.trace if t.path == owner and t.line), 0)
            if line and (path not in lines or line < lines[path]):
                lines[path] = line
            lines.setdefault(path, 0)
    groups: dict[str, list[Question]] = {}
    for path in rules:
        text, answers = _TO_WRITE.get(path) or question_text(path, questions[path])
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
            questions=tuple(sorted(groups[key], key=_reading_order)),
        )
        for key in sorted(groups, key=rank)
    )
