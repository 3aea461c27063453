"""What changed between two profiles of one country: findings, scores and answers.

`diff_assessments(old, new)` builds a `Diff`; the formats
(`coherence.report.formats`) lay it out as plain text, Markdown or JSON.

How a finding's status change counts is defined in `coherence.assessment.regression`: it
*regressed* when it moved down the order gap < partial < met, *improved* when it moved up;
a change that made a rule decidable (insufficient data → met, partial or gap) or undecidable
(the reverse) is listed on its own, so a reader sees which data were collected or lost, and is
never a regression; anything to or from *not applicable* or *waived* (or a rule present on one
side only) is an *other* change.

An answer *changed* when its state (known, unknown, not applicable, missing) or its value
differs; notes and evidence are not compared. Lines are those of the new profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coherence.assessment.regression import (
    Decidability,
    Direction,
    decidability,
    direction,
    status_changes,
)
from coherence.findings import Assessment, Finding, ProfileAnswer
from coherence.report.views.priority import SEVERITY_ORDER
from coherence.report.views.scores import (
    ScoreCell,
    score_cell,
    score_change,
    score_column_name,
    score_keys,
)
from coherence.report.vocabulary import (
    STATE_WORDS,
    STATUS_LABELS,
    THEME_ORDER,
    plural,
    signed,
    value_text,
)

CATEGORY_TITLES: dict[str, str] = {
    "regressed": "Regressed",
    "improved": "Improved",
    "newly_decidable": "Newly decidable",
    "newly_undecidable": "Newly undecidable",
    "other": "Other status changes",
}
"""The finding sections of a diff, in order."""


class DiffError(ValueError):
    """The two assessments cannot be compared (e.g. they are of different countries)."""


@dataclass(frozen=True)
class Side:
    """One of the two profiles."""

    path: str
    country_code: str
    country_name: str
    as_of: str
    catalogue_version: str
    illustrative: bool

    def to_json(self) -> dict[str, Any]:
        """The side as plain JSON data."""
        return {
            "path": self.path,
            "country": self.country_code,
            "country_name": self.country_name,
            "as_of": self.as_of,
            "catalogue_version": self.catalogue_version,
            "illustrative": self.illustrative,
        }


@dataclass(frozen=True)
class FindingChange:
    """A rule whose status differs between the two profiles."""

    rule_id: str
    title: str
    theme: str
    severity: str
    old_status: str | None
    """None when the rule was not evaluated for the old profile."""
    new_status: str | None
    """None when the rule was not evaluated for the new profile."""
    direction: Direction
    decidability: Decidability | None
    line: int
    """The line of the new profile that decided the new status (0 when none)."""
    reason: str
    """Why the rule has its new status (the old one's when the rule is gone)."""

    @property
    def old_label(self) -> str:
        """The old status in words."""
        return STATUS_LABELS[self.old_status] if self.old_status else "not evaluated"

    @property
    def new_label(self) -> str:
        """The new status in words."""
        return STATUS_LABELS[self.new_status] if self.new_status else "not evaluated"

    @property
    def note(self) -> str:
        """ "newly decidable", "newly undecidable" or ""."""
        return self.decidability.replace("_", " ") if self.decidability else ""

    def to_json(self) -> dict[str, Any]:
        """The change as plain JSON data."""
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "theme": self.theme,
            "severity": self.severity,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "change": self.direction,
            "decidability": self.decidability,
            "line": self.line,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ScoreChange:
    """The score of one theme (or overall) in both profiles."""

    key: str
    name: str
    old: ScoreCell
    new: ScoreCell
    change: float | None

    @property
    def changed(self) -> bool:
        """Whether score, band or coverage differ."""
        return (self.old.score, self.old.band, self.old.coverage) != (
            self.new.score,
            self.new.band,
            self.new.coverage,
        )

    @property
    def band_text(self) -> str:
        """e.g. "2 → 3", "3 (unchanged)", "not classified → 2"."""

        def word(cell: ScoreCell) -> str:
            return str(cell.band) if cell.classified else "not classified"

        a, b = word(self.old), word(self.new)
        return f"{a} (unchanged)" if a == b else f"{a} → {b}"

    def to_json(self) -> dict[str, Any]:
        """The score change as plain JSON data."""
        return {
            "theme": self.key,
            "old": self.old.to_json(),
            "new": self.new.to_json(),
            "change": self.change,
        }


@dataclass(frozen=True)
class AnswerChange:
    """A profile answer whose state or value differs."""

    path: str
    label: str
    """The question the field asks (its description), or the path."""
    old_state: str
    old_value: Any
    new_state: str
    new_value: Any
    line: int
    """Line of the answer in the new profile (of its parent section when missing there)."""
    old_line: int
    answered_by: str | None = None
    """Who gave the new answer (or who gave the old one, for an answer removed), if recorded."""

    @property
    def old_text(self) -> str:
        """The old answer in words."""
        return _shown(self.old_state, self.old_value)

    @property
    def new_text(self) -> str:
        """The new answer in words."""
        return _shown(self.new_state, self.new_value)

    def to_json(self) -> dict[str, Any]:
        """The change as plain JSON data."""
        return {
            "path": self.path,
            "old": {"state": self.old_state, "value": _json_value(self.old_value)},
            "new": {"state": self.new_state, "value": _json_value(self.new_value)},
            "line": self.line,
            "old_line": self.old_line,
            "answered_by": self.answered_by,
        }


@dataclass(frozen=True)
class OtherChange:
    """A note, a document of evidence, a name or a date that differs (no rule reads it)."""

    path: str
    old: str
    """The old text; empty when it was added."""
    new: str
    """The new text; empty when it was removed."""

    @property
    def old_text(self) -> str:
        """The old text, or a dash when there was none."""
        return self.old or "—"

    @property
    def new_text(self) -> str:
        """The new text, or a dash when there is none."""
        return self.new or "—"

    def to_json(self) -> dict[str, Any]:
        """The change as plain JSON data."""
        return {"path": self.path, "old": self.old or None, "new": self.new or None}


@dataclass(frozen=True)
class Diff:
    """Everything that changed from the old profile to the new one."""

    old: Side
    new: Side
    findings: tuple[FindingChange, ...]
    """Every rule whose status changed, most severe first."""
    scores: tuple[ScoreChange, ...]
    """Every theme, then overall (changed or not)."""
    answers: tuple[AnswerChange, ...] | None
    """The answers that changed, in the new profile's line order; None if not compared."""
    notes: tuple[str, ...]
    """Caveats, e.g. the two profiles were checked against different catalogues."""
    others: tuple[OtherChange, ...] | None = None
    """Notes, evidence, names and dates that changed, by path; None if not compared."""

    def category(self, name: str) -> tuple[FindingChange, ...]:
        """The changes of one section of `CATEGORY_TITLES`."""
        if name in ("newly_decidable", "newly_undecidable"):
            return tuple(f for f in self.findings if f.decidability == name)
        return tuple(f for f in self.findings if f.direction == name)

    @property
    def regressed(self) -> tuple[FindingChange, ...]:
        """The findings that regressed."""
        return self.category("regressed")

    @property
    def has_regression(self) -> bool:
        """Whether any finding regressed (what `--fail-on-regression` tests)."""
        return bool(self.regressed)

    @property
    def counts(self) -> dict[str, int]:
        """Number of changes in each section, in section order."""
        return {name: len(self.category(name)) for name in CATEGORY_TITLES}

    @property
    def title(self) -> str:
        """The heading of the diff."""
        return (
            f"Policy coherence changes: {self.new.country_name} ({self.new.country_code}), "
            f"{self.old.as_of} → {self.new.as_of}"
        )


def _side(a: Assessment) -> Side:
    p = a.profile
    return Side(
        path=p.path,
        country_code=p.country,
        country_name=p.country_name,
        as_of=p.as_of.isoformat(),
        catalogue_version=a.catalogue_version,
        illustrative=p.illustrative,
    )


def _theme_rank(key: str) -> int:
    return THEME_ORDER.index(key) if key in THEME_ORDER else len(THEME_ORDER)


def _finding_changes(old: Assessment, new: Assessment) -> tuple[FindingChange, ...]:
    before: dict[str, Finding] = {f.rule_id: f for f in old.findings}
    after: dict[str, Finding] = {f.rule_id: f for f in new.findings}
    out = []
    # The statuses that changed, as the regression gate sees them (coherence.assessment).
    for rule_id, (a_status, b_status) in status_changes(old, new).items():
        a, b = before.get(rule_id), after.get(rule_id)
        way = direction(a_status, b_status)
        assert way is not None  # the status changed
        some = b or a
        assert some is not None
        out.append(
            FindingChange(
                rule_id=rule_id,
                title=some.title,
                theme=some.theme,
                severity=some.severity,
                old_status=a_status,
                new_status=b_status,
                direction=way,
                decidability=decidability(a_status, b_status),
                line=b.location.line if b and b.location else 0,
                reason=some.reason,
            )
        )
    return tuple(
        sorted(out, key=lambda c: (SEVERITY_ORDER[c.severity], _theme_rank(c.theme), c.rule_id))
    )


def _score_changes(old: Assessment, new: Assessment) -> tuple[ScoreChange, ...]:
    present = old.scores.keys() | new.scores.keys()
    out = []
    for key in score_keys(set(present)):
        a, b = score_cell(old.scores.get(key)), score_cell(new.scores.get(key))
        out.append(ScoreChange(key, score_column_name(key), a, b, score_change(a, b)))
    return tuple(out)


def _answer_state(fact: ProfileAnswer | None) -> tuple[str, Any]:
    """State and value of an answer as a diff compares them: practice and exclusions are
    part of the answer, so "yes" → "yes, but not in practice" is a change."""
    if fact is None:
        return "missing", None
    value = fact.value
    if fact.state == "known" and (fact.practice or fact.excludes):
        extra = [f"practice {fact.practice}"] if fact.practice else []
        extra += [f"excludes {', '.join(fact.excludes)}"] if fact.excludes else []
        value = f"{value} ({'; '.join(extra)})"
    return fact.state, value


def _answer_changes(
    old: Mapping[str, ProfileAnswer], new: Mapping[str, ProfileAnswer]
) -> tuple[AnswerChange, ...]:
    # The questions only: the paths computed from other answers (exclusions, aggregates)
    # are left out of `Assessment.answers`.
    out = []
    for path in sorted(old.keys() | new.keys()):
        a, b = old.get(path), new.get(path)
        some = b or a
        assert some is not None  # the path is on one side at least
        a_state, a_value = _answer_state(a)
        b_state, b_value = _answer_state(b)
        if (a_state, a_value) == (b_state, b_value):
            continue
        out.append(
            AnswerChange(
                path=path,
                label=some.question.text or path,
                old_state=a_state,
                old_value=a_value,
                new_state=b_state,
                new_value=b_value,
                line=b.line if b else 0,
                old_line=a.line if a else 0,
                answered_by=(b.answered_by if b else None) or (a.answered_by if a else None),
            )
        )
    return tuple(sorted(out, key=lambda c: (c.line or 10**9, c.path)))


def diff_assessments(old: Assessment, new: Assessment) -> Diff:
    """What changed from `old` to `new`, two assessments of the same country.

    The answers are compared from what each assessment keeps of its profile
    (`Assessment.answers`); when either lacks them (an assessment read back from a JSON
    report), they are not compared (`Diff.answers` is None).
    Raises `DiffError` when the two profiles are of different countries.
    """
    if old.profile.country != new.profile.country:
        raise DiffError(
            f"{old.profile.path} is a profile of {old.profile.country} and {new.profile.path} "
            f"of {new.profile.country}: diff compares two profiles of the same country "
            "(use `coherence compare` to put countries side by side)"
        )
    notes = []
    if old.profile.as_of > new.profile.as_of:
        notes.append(
            f"The new profile is dated {new.profile.as_of.isoformat()}, before the old one "
            f"({old.profile.as_of.isoformat()}): the changes below may run backwards in time."
        )
    if set(old.profile.roles) != set(new.profile.roles):
        notes.append(
            f"The country's roles changed from {', '.join(old.profile.roles)} to "
            f"{', '.join(new.profile.roles)}: rules that apply to countries of one role "
            "change status for that reason alone (to or from not applicable)."
        )
    if old.catalogue_version != new.catalogue_version:
        notes.append(
            f"The profiles were checked against different rule catalogues "
            f"({old.catalogue_version} and {new.catalogue_version}): some changes may come "
            "from the rules rather than from the policy."
        )
    answers = others = None
    if old.answers is not None and new.answers is not None:
        answers = _answer_changes(old.answers, new.answers)
    if old.details is not None and new.details is not None:
        paths = sorted({*old.details, *new.details})
        before, after = old.details, new.details
        others = tuple(
            OtherChange(p, before.get(p, ""), after.get(p, ""))
            for p in paths
            if before.get(p, "") != after.get(p, "")
        )
    return Diff(
        old=_side(old),
        new=_side(new),
        findings=_finding_changes(old, new),
        scores=_score_changes(old, new),
        answers=answers,
        notes=tuple(notes),
        others=others,
    )


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _shown(state: str, value: Any) -> str:
    if state == "known":
        return value_text(value)
    return STATE_WORDS.get(state, state)


def summary_sentences(d: Diff) -> tuple[str, ...]:
    """The diff in a few plain sentences."""
    c = d.counts
    out = []
    overall = next((s for s in d.scores if s.key == "overall"), None)
    if overall is not None:
        if overall.change is None:
            out.append("The overall score cannot be compared: one side has no score.")
        else:
            out.append(
                f"The overall score went from {overall.old.score_text} to "
                f"{overall.new.score_text} ({signed(overall.change)} points; band "
                f"{overall.band_text}); coverage from {overall.old.coverage_text} to "
                f"{overall.new.coverage_text}."
            )
    if d.findings:
        out.append(
            f"{plural(len(d.findings), 'rule')} changed status: {c['regressed']} regressed, "
            f"{c['improved']} improved and {c['other']} changed otherwise; "
            f"{c['newly_decidable']} became decidable and {c['newly_undecidable']} undecidable."
        )
    else:
        out.append("No rule changed status.")
    if d.answers is not None:
        out.append(f"{plural(len(d.answers), 'answer')} of the profile changed.")
    if d.others:
        out.append(f"{plural(len(d.others), 'other change')} (notes, evidence, names, dates).")
    return (*out, *d.notes)


METHOD_TEXT: tuple[str, ...] = (
    "A rule regressed when its status moved down the order gap < partly met < met, and "
    "improved when it moved up.",
    "Not applicable and waived stand outside that order, as the score leaves them out: a "
    "change to or from either (or a rule evaluated on one side only) is listed under other "
    "status changes and is never a regression.",
    "A rule became decidable when its status moved from insufficient data to met, partly met "
    "or gap, and undecidable on the way back. Answering a question is never a regression: a "
    "gap found once the country answers was there all along, only unseen.",
    "An answer changed when its state (answered, unknown, not applicable, not answered) or "
    "its value differs. Lines are those of the new profile. Notes, evidence, names and dates, "
    "which no rule reads, are listed apart as other changes.",
)
