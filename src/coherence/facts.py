"""Profile → facts: every answer the rules can read, flattened to one fact per path.

A fact carries its state (known, unknown, not_applicable, missing), its value and the
line of the profile it came from, so findings can say "you answered *no* at line 42".
The set of readable paths is derived from the profile models, so the rule linter can
check every path a condition reads.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from coherence.profile.answers import (
    ANSWER_VALUES,
    GROUPS,
    ILO_STATUS_VALUES,
    UN_STATUS_VALUES,
    Answer,
    BilateralAgreements,
    CoordinationBodies,
    Count,
    IloConvention,
    ItemList,
    UnTreaty,
)
from coherence.profile.model import Profile
from coherence.profile.reservations import shown
from coherence.profile.validate import LoadedProfile
from coherence.profile.walk import model_classes
from coherence.wording import group_name

Kind = Literal["answer", "status", "number", "list"]
State = Literal["known", "unknown", "not_applicable", "missing"]

STATUS_VALUES: tuple[str, ...] = UN_STATUS_VALUES
YES_NO: tuple[str, ...] = ("yes", "no")
SECTIONS: tuple[str, ...] = (
    "instruments",
    "rights",
    "data_collection",
    "labour_channels",
    "anti_trafficking",
    "coordination",
    "context",
)


@dataclass(frozen=True)
class PathInfo:
    """What a readable path holds."""

    kind: Kind
    values: tuple[str, ...] = ()
    description: str = ""
    question: bool = True
    """False for a path computed from other answers (an exclusion, an aggregate): it is
    read by rules but is not a question of its own in reports and questionnaires."""
    written_in: str = ""
    """For an answer worked out from a list of the profile (agreements, bodies): the path of
    that list, which is what a profile fills in to decide it."""


@dataclass(frozen=True)
class Fact:
    """One answer of one profile."""

    path: str
    kind: Kind
    state: State
    value: Any = None
    line: int = 0
    evidence: tuple[dict[str, Any], ...] = ()
    note: str | None = None
    practice: str | None = None
    """How the answer is applied in practice (yes/partial/no/unknown), when the profile says."""
    excludes: tuple[str, ...] = ()
    """Groups or sectors the answer leaves out."""
    practice_evidence: tuple[dict[str, Any], ...] = ()
    """The country's evidence on practice."""
    answered_by: str | None = None
    """Who gave the answer, when the profile records it (`coherence import` does)."""
    written: str | None = None
    """A status as the profile writes it, where rules read it otherwise: a UN treaty
    `acceded` to or `succeeded` to, which rules read as `ratified`. Reports say what the
    profile says."""

    @property
    def known(self) -> bool:
        """True when the profile gives a usable value."""
        return self.state == "known"

    def shown(self) -> Any:
        """The value as a report prints it (the state when there is no value)."""
        if self.state == "known":
            return self.value
        return self.state


def _field_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    found = model_classes(model.model_fields[name].annotation)
    return found[0] if found else None


EXCLUSION = "excludes"


def _answer_paths(found: dict[str, PathInfo], path: str, desc: str) -> None:
    """An answer path and the exclusion paths computed from its `excludes` list."""
    found[path] = PathInfo("answer", ANSWER_VALUES, desc)
    for group in GROUPS:
        found[f"{path}.{EXCLUSION}.{group}"] = PathInfo(
            "answer",
            YES_NO,
            f"Does the answer to “{desc.rstrip('?')}” leave out {group_name(group)}?",
            question=False,
        )


@cache
def readable_paths() -> dict[str, PathInfo]:
    """Every profile path a rule condition may read, with its kind and allowed values."""
    found: dict[str, PathInfo] = {}
    for section in SECTIONS:
        section_model = _field_model(Profile, section)
        assert section_model is not None
        for name, field in section_model.model_fields.items():
            path = f"{section}.{name}"
            model = _field_model(section_model, name)
            desc = field.description or ""
            if model in (UnTreaty, IloConvention):
                values = UN_STATUS_VALUES if model is UnTreaty else ILO_STATUS_VALUES
                found[f"{path}.status"] = PathInfo("status", values, desc)
                _answer_paths(
                    found,
                    f"{path}.incorporated_in_law",
                    "Is the instrument reflected in national law?",
                )
            elif model is Count:
                found[path] = PathInfo("number", (), desc)
            elif model is ItemList or (model is None and "list" in str(field.annotation)):
                found[path] = PathInfo("list", (), desc)
            elif model is BilateralAgreements:
                _answer_paths(found, path, desc)
                found[f"{path}.partners"] = PathInfo(
                    "list",
                    (),
                    "Partner countries of the agreements.",
                    question=False,
                    written_in=f"{path}.agreements",
                )
                found[f"{path}.monitored"] = PathInfo(
                    "answer",
                    ANSWER_VALUES,
                    "Are the agreements monitored? (yes: all; partial: some; no: none)",
                    question=False,
                    written_in=f"{path}.agreements",
                )
                found[f"{path}.main_corridors_covered"] = PathInfo(
                    "answer",
                    ANSWER_VALUES,
                    "Do the agreements cover the main countries of destination and origin? "
                    "(yes: all; partial: some; no: none; a country under free movement, "
                    "regional or by treaty, counts as covered)",
                    question=False,
                    written_in=f"{path}.agreements",
                )
                found[f"{path}.main_destinations_covered"] = PathInfo(
                    "answer",
                    ANSWER_VALUES,
                    "Do the agreements cover the main countries of destination of the "
                    "country's workers? (yes: all; partial: some; no: none; a country under "
                    "free movement, regional or by treaty, counts as covered)",
                    question=False,
                    written_in=f"{path}.agreements",
                )
            elif model is CoordinationBodies:
                _answer_paths(found, path, desc)
                found[f"{path}.members"] = PathInfo(
                    "list",
                    (),
                    "Member ministries and agencies of the coordination bodies.",
                    question=False,
                    written_in=f"{path}.bodies",
                )
            elif model and issubclass(model, Answer):
                _answer_paths(found, path, desc)
    found[FREE_MOVEMENT_CORRIDORS] = PathInfo(
        "answer",
        ANSWER_VALUES,
        "Do the main countries of destination and origin lie within the free movement the "
        "country takes part in? (yes: all; partial: some; no: none)",
        question=False,
        written_in="context.free_movement_countries",
    )
    return found


FREE_MOVEMENT_CORRIDORS = "labour_channels.regional_free_movement.main_corridors_within"
"""Worked out from the countries listed under free movement and the main corridors: the GCC's
free movement, for GCC nationals, carries none of the UAE's migration from South Asia."""


def _corridors_within(profile: Profile, path: str, line: int) -> Fact:
    """`FREE_MOVEMENT_CORRIDORS`: how many of the main countries of destination and origin
    are among the countries listed under free movement (missing when either is not given)."""
    context = profile.context
    lists = [context.main_destination_countries, context.main_origin_countries]
    if context.free_movement_countries is None or all(c is None for c in lists):
        return Fact(path, "answer", "missing", None, line)
    corridors = sorted({code for countries in lists for code in countries or []})
    if not corridors:
        return Fact(path, "answer", "not_applicable", None, line)
    free = set(context.free_movement_countries)
    return _share(path, ["yes" if c in free else "no" for c in corridors], line)


def _answer_fact(path: str, answer: Answer | None, line: int) -> Fact:
    if answer is None:
        return Fact(path, "answer", "missing", None, line)
    state: State = "known"
    if answer.answer == "unknown":
        state = "unknown"
    elif answer.answer == "not_applicable":
        state = "not_applicable"
    value = answer.answer if state == "known" else None
    return Fact(
        path,
        "answer",
        state,
        value,
        line,
        _evidence(answer.evidence),
        answer.note,
        practice=answer.practice,
        excludes=tuple(answer.excludes),
        practice_evidence=_evidence(answer.practice_evidence),
        answered_by=answer.answered_by,
    )


def _evidence(items: Any) -> tuple[dict[str, Any], ...]:
    return tuple(e.model_dump(mode="json", exclude_none=True) for e in items)


def _exclusion_fact(path: str, parent: Fact, group: str) -> Fact:
    """Whether an answer excludes `group`: unknown while the answer is not known."""
    if not parent.known:
        return Fact(path, "answer", parent.state, None, parent.line)
    return Fact(path, "answer", "known", "yes" if group in parent.excludes else "no", parent.line)


def _share(path: str, flags: list[str | None], line: int) -> Fact:
    """yes when all flags are yes, no when none is yes or partial, partial between; unknown
    when a flag is unknown and the known ones do not already settle it."""
    if not flags:
        return Fact(path, "answer", "unknown", None, line)
    known = [f for f in flags if f in ("yes", "partial", "no")]
    if len(known) < len(flags):
        if any(f in ("yes", "partial") for f in known):
            return Fact(path, "answer", "known", "partial", line)
        return Fact(path, "answer", "unknown", None, line)
    if all(f == "yes" for f in known):
        value = "yes"
    elif all(f == "no" for f in known):
        value = "no"
    else:
        value = "partial"
    return Fact(path, "answer", "known", value, line)


def _lookup(profile: Profile, path: str) -> Any:
    node: Any = profile
    for part in path.split("."):
        if node is None:
            return None
        node = getattr(node, part, None)
    return node


def _list_fact(profile: Profile, path: str, line: int) -> Fact:
    node = _lookup(profile, path)
    if isinstance(node, ItemList) or node is None:  # a list answer of its own
        if node is None:
            return Fact(path, "list", "missing", None, line)
        if node.items is None:
            return Fact(path, "list", "unknown", None, line, note=node.note)
        return Fact(path, "list", "known", tuple(node.items), line, note=node.note)
    if isinstance(node, list):  # a plain list of codes, e.g. main destination countries
        return Fact(path, "list", "known", tuple(node), line)
    return Fact(path, "list", "missing", None, line)


def _status_note(inst: UnTreaty | IloConvention) -> str | None:
    """The note on an instrument's status, with the reservations (a UN treaty) or exclusions
    (an ILO convention) the profile records: reports show them next to the status, so that a
    reservation that limits the treaty (a geographical limitation of the Refugee Convention)
    is not lost between the profile and the report."""
    kept = shown(inst.reservations) if isinstance(inst, UnTreaty) else inst.exclusions
    label = "Reservations" if isinstance(inst, UnTreaty) else "Exclusions"
    parts = [inst.note, f"{label}: {kept}" if kept else None]
    return " ".join(p for p in parts if p) or None


def _gathered_list(parent: Answer | None, items: list[str], path: str, line: int) -> Fact:
    # A list gathered from inside an answer (partners of agreements, members of bodies): an
    # empty list is only known to be empty when the answer itself is `no`.
    if parent is None:
        return Fact(path, "list", "missing", None, line)
    if items or parent.answer == "no":
        return Fact(path, "list", "known", tuple(sorted(set(items))), line)
    return Fact(path, "list", "unknown", None, line)


def _computed_fact(profile: Profile, path: str, line: int) -> Fact | None:
    """Facts computed from the long forms of agreements and coordination bodies, and from
    the lists of countries."""
    if path == FREE_MOVEMENT_CORRIDORS:
        return _corridors_within(profile, path, line)
    parent_path, leaf = path.rsplit(".", 1)
    parent = _lookup(profile, parent_path)
    if not isinstance(parent, (BilateralAgreements, CoordinationBodies)) and parent is not None:
        return None
    if parent_path == "coordination.coordination_bodies" and leaf == "members":
        bodies = parent.bodies if parent else []
        return _gathered_list(parent, [m for b in bodies for m in b.members], path, line)
    if parent_path != "labour_channels.bilateral_agreements":
        return None
    agreements = parent.agreements if parent else []
    if leaf == "partners":
        return _gathered_list(parent, [a.partner for a in agreements], path, line)
    if parent is None:
        return Fact(path, "answer", "missing", None, line)
    if parent.answer == "no":
        return Fact(path, "answer", "not_applicable", None, line)
    if leaf == "monitored":
        return _share(path, [a.monitored.answer if a.monitored else None for a in agreements], line)
    if leaf in ("main_corridors_covered", "main_destinations_covered"):
        context = profile.context
        # The corridors: where the country's workers go, and (for the agreements as a whole,
        # not for the protection of its own workers abroad) where its migrants come from.
        lists = [context.main_destination_countries]
        if leaf == "main_corridors_covered":
            lists.append(context.main_origin_countries)
        if all(countries is None for countries in lists):
            return Fact(path, "answer", "missing", None, line)
        corridors = {code for countries in lists for code in countries or []}
        if not corridors:
            return Fact(path, "answer", "not_applicable", None, line)
        # A corridor under free movement (regional or by treaty) needs no labour agreement.
        covered = {a.partner for a in agreements} | set(context.free_movement_countries or [])
        if not agreements and not corridors <= covered:
            return Fact(path, "answer", "unknown", None, line)
        return _share(path, ["yes" if c in covered else "no" for c in sorted(corridors)], line)
    return None


def _line(doc: Any, loc: tuple) -> int:
    """The line of the value at `loc`, or of its nearest ancestor in the profile; 0 (not in
    the profile) when its section is missing altogether: questions for a profile without a
    `rights:` section pointed at line 1, where nothing about rights is written."""
    return doc.line_of(loc)[0] if tuple(loc[:1]) in doc.marks else 0


PlanEntry = tuple[str, PathInfo, tuple[str, ...], tuple[str, str, tuple[str, ...]] | None]
_PLAN: list[Any] = [None, None]  # [the `read` it was made for, its plan]


def _path_plan(read: Collection[str] | None) -> list[PlanEntry]:
    """The readable paths `profile_facts` builds, in order, each with its location key and,
    for an exclusion path, (answer path, group, answer's location key); the exclusion paths
    not in `read` left out. Made once for the last `read` asked for (a catalogue's
    `answers_read`, the same object for every profile)."""
    if _PLAN[1] is not None and _PLAN[0] is read:
        return _PLAN[1]
    plan: list[PlanEntry] = []
    for path, info in readable_paths().items():
        if f".{EXCLUSION}." in path:
            if read is not None and path not in read:
                continue
            answer_path, group = path.split(f".{EXCLUSION}.")
            answer_loc = tuple(answer_path.split("."))
            plan.append((path, info, (), (answer_path, group, answer_loc)))
        else:
            plan.append((path, info, tuple(path.split(".")), None))
    _PLAN[:] = [read, plan]
    return plan


def profile_facts(
    loaded: LoadedProfile, only: set[str] | None = None, read: Collection[str] | None = None
) -> dict[str, Fact]:
    """The facts of a profile, keyed by path (all readable paths, or only those asked for).

    `read` is what a catalogue reads (`Catalogue.answers_read`): an exclusion path
    (`<answer>.excludes.<group>`, one per answer and group, some 1,500 in all) is built only
    when it is read, which keeps this off the per-profile cost. None builds them all.
    """
    facts: dict[str, Fact] = {}
    doc = loaded.document
    profile = loaded.profile
    for path, info, loc, exclusion in _path_plan(read):
        if only is not None and path not in only:
            continue
        if exclusion is not None:
            answer_path, group, answer_loc = exclusion
            parent = facts.get(answer_path) or _answer_fact(
                answer_path, _lookup(profile, answer_path), _line(doc, answer_loc)
            )
            facts[path] = _exclusion_fact(path, parent, group)
            continue
        line = _line(doc, loc)
        if info.kind == "status":
            inst: UnTreaty | IloConvention | None = _lookup(profile, path.rsplit(".", 1)[0])
            line = _line(doc, loc[:-1])
            if inst is None:
                facts[path] = Fact(path, "status", "missing", None, line)
            elif inst.rule_status is None:
                facts[path] = Fact(path, "status", "unknown", None, line, note=_status_note(inst))
            else:
                facts[path] = Fact(
                    path,
                    "status",
                    "known",
                    inst.rule_status,
                    line,
                    _evidence(inst.evidence),
                    _status_note(inst),
                    answered_by=inst.answered_by,
                    written=inst.status if inst.status != inst.rule_status else None,
                )
            continue
        computed = None if info.question else _computed_fact(profile, path, line)
        if computed is not None:
            facts[path] = computed
        elif info.kind == "number":
            count: Count | None = _lookup(profile, path)
            if count is None:
                facts[path] = Fact(path, "number", "missing", None, line)
            elif count.value == "unknown":
                facts[path] = Fact(path, "number", "unknown", None, line, note=count.note)
            else:
                facts[path] = Fact(
                    path,
                    "number",
                    "known",
                    count.value,
                    line,
                    _evidence(count.evidence),
                    count.note,
                )
        elif info.kind == "list":
            facts[path] = _list_fact(profile, path, line)
        else:
            facts[path] = _answer_fact(path, _lookup(profile, path), line)
    return facts
