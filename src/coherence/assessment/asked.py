"""What an assessment carries about the profile's questions: the question each field answers
(`QuestionOut`, one shared object per field), and every question as answered (what
`coherence diff` compares), so that reports need neither the profile nor its facts."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from coherence.facts import Fact, readable_paths
from coherence.findings import ProfileAnswer, QuestionOut, built


@cache
def questions() -> dict[str, QuestionOut]:
    """The question of every readable profile path, built once per process."""
    paths = readable_paths()
    out = {}
    for path, info in paths.items():
        parts = path.split(".")
        instrument = None
        if parts[0] == "instruments" and len(parts) == 3:
            status = paths.get(f"instruments.{parts[1]}.status")
            instrument = (status.description if status else "").rstrip(".") or parts[1]
        allowed = list(info.values)
        if info.kind == "status" and "not_signed" in allowed:
            # A UN treaty's status may be written `acceded`, which rules read as ratified:
            # the question offers what the profile accepts, not what rules compare.
            at = allowed.index("ratified") + 1
            allowed[at:at] = ["acceded", "succeeded"]
        out[path] = QuestionOut(
            text=info.description, kind=info.kind, allowed=allowed, instrument=instrument
        )
    return out


def question_of(path: str) -> QuestionOut | None:
    """The question a profile path answers; None for a derived fact or an unknown path."""
    return questions().get(path)


def profile_answers(facts: Mapping[str, Fact]) -> dict[str, ProfileAnswer]:
    """Every question among `facts` as answered, by path in the facts' order; the paths
    computed from other answers (exclusions, aggregates) are not questions and are left out."""
    paths = readable_paths()
    asked = questions()
    out = {}
    for path, fact in facts.items():
        info = paths.get(path)
        if info is None or not info.question:
            continue
        out[path] = built(
            ProfileAnswer,
            path=path,
            question=asked[path],
            state=fact.state,
            value=fact.value,
            line=fact.line,
            practice=fact.practice,
            excludes=fact.excludes,
            answered_by=fact.answered_by,
        )
    return out
