"""From truth values to findings: status, reason, trace, waivers.

Shared by both engines, so the differential test compares what the engines compute (the
truth values) and this single place turns them into statuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coherence import __version__
from coherence.assessment.aside import as_said, not_applicable_open, set_aside
from coherence.assessment.asked import profile_answers, question_of
from coherence.assessment.contradiction import kind_of, sides_of
from coherence.assessment.details import profile_details
from coherence.assessment.recommend import (
    cap,
    cause_of,
    excluded_of,
    good_paths,
    not_ratified_of,
    recommendation_for,
    responsible_for,
)
from coherence.assessment.review import dated_documents, dates_in_doubt, review_state
from coherence.assessment.scores import score_assessment, score_domains, scoring_used
from coherence.assessment.statement import EXCLUDES, also_unratified, statement
from coherence.citations import requirements_first
from coherence.engine.base import Truths
from coherence.engine.reference import derived_fact, open_paths
from coherence.facts import Fact, readable_paths
from coherence.findings import (
    Assessment,
    CitationOut,
    Finding,
    Notice,
    ProfileInfo,
    TraceEntry,
    WaiverOut,
    built,
)
from coherence.profile.answers import UnTreaty
from coherence.profile.reservations import recorded
from coherence.profile.validate import LoadedProfile
from coherence.rules.catalog import Catalogue
from coherence.rules.condition import paths
from coherence.rules.instruments import reference_text
from coherence.rules.model import Rule


def _compute_cond_paths(rule: Rule, name: str, catalogue: Catalogue) -> list[str]:
    cond = getattr(rule, name)
    if cond is None:
        return []
    found: list[str] = []
    for path in paths(cond):
        found.extend(catalogue.paths_behind(path))
    return list(dict.fromkeys(found))


def _cond_paths(rule: Rule, name: str, catalogue: Catalogue) -> list[str]:
    """Paths a condition reads (derived facts followed by the answers behind them).

    They depend only on the catalogue, so they are computed once per catalogue and rule.
    """
    memo: dict[tuple[str, str], list[str]] = catalogue.__dict__.setdefault("_cond_paths_memo", {})
    key = (rule.id, name)
    if key not in memo:
        memo[key] = _compute_cond_paths(rule, name, catalogue)
    return memo[key]


def _good_paths(rule: Rule, catalogue: Catalogue) -> frozenset[str]:
    """`recommend.good_paths`, once per catalogue and rule."""
    memo: dict[str, frozenset[str]] = catalogue.__dict__.setdefault("_good_paths_memo", {})
    if rule.id not in memo:
        memo[rule.id] = good_paths(rule, {d.id: d.when for d in catalogue.derived})
    return memo[rule.id]


@dataclass(frozen=True)
class _RuleParts:
    """What a rule's findings take from the catalogue alone, the same for every profile."""

    trace_paths: list[str]
    good: frozenset[str]
    met_read: list[str]
    read: list[str]
    exclusions: list[str]
    """The `<answer>.excludes.<group>` paths the rule reads (`yes` there is a shortfall)."""
    applies_to: frozenset[str]
    kind: str
    rationale: str
    references: list[str]
    citations: list[CitationOut]


def _rule_parts(rule: Rule, catalogue: Catalogue) -> _RuleParts:
    """`_RuleParts` of a rule, once per catalogue and rule. The lists are shared by every
    profile's findings, so nothing may change them (the models copy them when validated)."""
    memo: dict[str, _RuleParts] = catalogue.__dict__.setdefault("_rule_parts_memo", {})
    found = memo.get(rule.id)
    if found is None:
        trace_paths = list(
            dict.fromkeys(
                p
                for n in ("applies_when", "met_when", "partial_when")
                for p in _cond_paths(rule, n, catalogue)
            )
        )
        good = _good_paths(rule, catalogue)
        found = memo[rule.id] = _RuleParts(
            trace_paths=trace_paths,
            good=good,
            met_read=[p for p in _cond_paths(rule, "met_when", catalogue) if p in good],
            read=[p for p in trace_paths if p in good],
            exclusions=[p for p in trace_paths if EXCLUDES in p],
            applies_to=frozenset(rule.applies_to),
            kind=kind_of(rule),
            rationale=" ".join(rule.rationale.split()),
            references=[reference_text(r) for r in rule.references],
            citations=located_citations(rule, catalogue),
        )
    return found


def _entry(fact: Fact) -> TraceEntry:
    return TraceEntry(
        path=fact.path,
        question=question_of(fact.path),
        state=fact.state,
        value=fact.written or (list(fact.value) if isinstance(fact.value, tuple) else fact.value),
        line=fact.line,
        evidence=[dict(e) for e in fact.evidence],
        note=fact.note,
        practice=fact.practice,
        excludes=list(fact.excludes),
        practice_evidence=[dict(e) for e in fact.practice_evidence],
    )


GOOD_VALUES = frozenset({"yes", "ratified"})
SHORT_VALUES = frozenset({"no", "partial", "not_signed", "signed", "not_ratified", "denounced"})


def _deciding(rule: Rule, facts: dict[str, Fact], catalogue: Catalogue, met: bool) -> str | None:
    """The answer that best explains the status: for a met rule, the first answer that is in
    place; otherwise the first that falls short (among answers whose `yes` is the good state),
    so a reason never explains a met rule by a `no` that an alternative made irrelevant."""
    good = _good_paths(rule, catalogue)
    wanted = GOOD_VALUES if met else SHORT_VALUES
    for name in ("met_when", "partial_when"):
        for path in _cond_paths(rule, name, catalogue):
            fact = facts[path]
            if path in good and fact.known and fact.value in wanted:
                return path
    if not met:  # every answer is in place: the shortfall is a group an answer leaves out
        for name in ("met_when", "partial_when"):
            for path in _cond_paths(rule, name, catalogue):
                if EXCLUDES in path and facts[path].known and facts[path].value == "yes":
                    return path
    return None


def decide(
    rule: Rule, truths: Truths, facts: dict[str, Fact], roles: list[str], catalogue: Catalogue
) -> tuple[str, str, list[str], str | None]:
    """(status, reason, missing paths, path of the deciding answer) for one rule."""
    if not _rule_parts(rule, catalogue).applies_to.intersection(roles):
        wanted = ", ".join(rule.applies_to)
        return (
            "not_applicable",
            f"Applies to countries of {wanted}; this profile is {', '.join(roles)}.",
            [],
            None,
        )

    def undecided(name: str) -> tuple[str, str, list[str], str | None]:
        # Only the answers that would decide it: not those of a part other answers settled.
        unknown = open_paths(getattr(rule, name), facts, derived)
        if unknown and all(facts[p].state == "not_applicable" for p in unknown):
            return (
                "not_applicable",
                f"Not applicable: {said_not_applicable(unknown)}.",
                [],
                unknown[0],
            )
        # An answer the profile gives as not applicable is answered: it is not asked again.
        unknown = [p for p in unknown if facts[p].state != "not_applicable"]
        # An answer worked out from a list is decided by filling in the list: the list is
        # what is missing (no field holds the answer itself). Whether an answer leaves out a
        # group (`<answer>.excludes.<group>`) is said with the answer itself, in its
        # `excludes`: the answer is the one question to ask, however many groups a rule reads.
        info = readable_paths()
        filled = [
            p.split(EXCLUDES)[0]
            if EXCLUDES in p
            else info[p].written_in
            if p in info and info[p].written_in
            else p
            for p in unknown
        ]
        filled = list(dict.fromkeys(filled))
        listing = ", ".join(filled) if unknown else "the answers it reads"
        return (
            "insufficient_data",
            f"Cannot be decided until these are answered: {listing}.",
            filled,
            unknown[0] if unknown else None,
        )

    derived = {d.id: d.when for d in catalogue.derived}
    aside: list[str] = []

    def settled(name: str) -> bool | None:
        # Undecided only for answers given as not applicable: decide on the other parts.
        cond = getattr(rule, name)
        paths_na = not_applicable_open(cond, facts, derived)
        truth = set_aside(cond, facts, derived) if paths_na else None
        if truth is True or truth is False:
            aside.extend(p for p in paths_na if p not in aside)
            return truth
        return None

    def said_not_applicable(paths_na: list[str]) -> str:
        return "; ".join(statement(p, as_said(facts[p]), catalogue, facts) for p in paths_na)

    def set_apart() -> str:
        if not aside:
            return ""
        return f" Set aside, as not applicable: {said_not_applicable(aside)}."

    def first_known(name: str) -> str | None:
        return next((p for p in _cond_paths(rule, name, catalogue) if facts[p].known), None)

    if rule.applies_when is not None:
        applies = truths.conditions[(rule.id, "applies_when")]
        if applies is None:
            return undecided("applies_when")
        if applies is False:
            where = first_known("applies_when")
            said = f": {statement(where, facts[where], catalogue, facts)}" if where else ""
            return "not_applicable", f"Not applicable{said}.", [], where
    met = truths.conditions[(rule.id, "met_when")]
    if met is None:
        met = settled("met_when")
        if met is None:
            return undecided("met_when")
    where = _deciding(rule, facts, catalogue, bool(met)) or first_known("met_when")
    said = f": {statement(where, facts[where], catalogue, facts)}" if where else ""
    if met:
        good = _good_paths(rule, catalogue)
        read = [p for p in _cond_paths(rule, "met_when", catalogue) if p in good]
        capped = cap(rule, read, facts)
        if capped is not None:
            return "partial", f"Partly met: {capped.reason}.{set_apart()}", [], capped.path
        return "met", f"Met{said}.{set_apart()}", [], where
    if rule.partial_when is not None:
        partial = truths.conditions[(rule.id, "partial_when")]
        if partial is None:
            partial = settled("partial_when")
            if partial is None:
                return undecided("partial_when")
        if partial:
            said += _unratified(rule, facts, catalogue, where, ("met_when",))
            return "partial", f"Partly met{said}.{set_apart()}", [], where
    said += _unratified(rule, facts, catalogue, where, ("met_when", "partial_when"))
    return "gap", f"Not met{said}.{set_apart()}", [], where


def _unratified(
    rule: Rule,
    facts: dict[str, Fact],
    catalogue: Catalogue,
    where: str | None,
    names: tuple[str, ...],
) -> str:
    """`also_unratified` of the answers the rule's conditions `names` read."""
    good = _good_paths(rule, catalogue)
    read = [p for n in names for p in _cond_paths(rule, n, catalogue) if p in good]
    return also_unratified(read, where, facts, catalogue)


def located_citations(rule: Rule, catalogue: Catalogue) -> list[CitationOut]:
    """A rule's citations, located in their sources, requirement passages first (otherwise in
    the rule's order); computed once per catalogue and rule."""
    memo: dict[str, list[CitationOut]] = catalogue.__dict__.setdefault("_citations_memo", {})
    if rule.id in memo:
        return memo[rule.id]
    out = []
    for cite in requirements_first(rule.citations):
        source = catalogue.corpus.sources[cite.source]
        section = source.section_at(cite.lines[0])
        out.append(
            CitationOut(
                source=cite.source,
                title=source.title,
                file=source.file,
                lines=cite.lines,
                section=section.heading if section else "",
                quote=" ".join(cite.quote.split()),
                role=cite.role,
                addressee=cite.addressee,
                author=source.author,
                year=source.year,
                year_note=source.year_note,
                kind=source.kind,
            )
        )
    memo[rule.id] = out
    return out


def build_assessment(
    loaded: LoadedProfile,
    catalogue: Catalogue,
    facts: dict[str, Fact],
    truths: Truths,
    engine_name: str,
    today: dt.date,
    keep_answers: bool = True,
) -> Assessment:
    """Findings, scores and notices for one profile from its engine truth values.

    With `keep_answers` false, the profile's answers and details (`Assessment.answers` and
    `.details`, which only `coherence diff` reads) are left out (None): a check, which never
    reports them, saves the time to make them."""
    profile = loaded.profile
    answers = profile_answers(facts) if keep_answers else None
    facts = dict(facts)
    for name, value in truths.derived.items():
        facts[f"derived.{name}"] = derived_fact(name, value)
    notices: list[Notice] = []
    waivers = {}
    for i, waiver in enumerate(profile.waivers):
        line = loaded.document.line_of(("waivers", i))[0]
        if waiver.expires < today:
            notices.append(
                Notice(
                    code="waiver-expired",
                    message=(
                        f"The waiver for {waiver.rule} expired on {waiver.expires}; it is ignored."
                    ),
                    line=line,
                )
            )
        else:
            waivers[waiver.rule] = waiver
    institutions = profile.institutions.model_dump()
    reserved = [
        name
        for name, inst in profile.instruments
        if isinstance(inst, UnTreaty) and recorded(inst.reservations)
    ]
    roles = list(profile.roles)
    # One trace entry per answer and profile, shared by the findings that read it (they are
    # only ever read, like the rest of a finding).
    entries: dict[str, TraceEntry] = {}

    def entry(path: str) -> TraceEntry:
        found = entries.get(path)
        if found is None:
            found = entries[path] = _entry(facts[path])
        return found

    findings = []
    for rule in catalogue.rules:
        parts = _rule_parts(rule, catalogue)
        status, reason, missing, where = decide(rule, truths, facts, roles, catalogue)
        trace = [entry(p) for p in parts.trace_paths]
        # A cap explains a partial only where the rule's met condition held (the cap made it
        # partial); a partial from `partial_when` is explained by its own answers.
        met = truths.conditions.get((rule.id, "met_when"))
        capped = cap(rule, parts.met_read, facts) if status == "partial" and met else None
        read = parts.read
        cause = cause_of(rule, status, read, facts, capped, parts.exclusions)
        waiver_out = None
        # A waiver sets aside a gap or a partial the country has decided to live with; it
        # never hides a met rule (nothing to set aside) nor an undecided one (the question
        # would vanish from the data to collect): those keep their status, with a notice.
        if rule.id in waivers and status in ("gap", "partial"):
            w = waivers[rule.id]
            waiver_out = WaiverOut(
                justification=w.justification,
                approved_by=w.approved_by,
                expires=w.expires,
                underlying_status=status,
            )
            reason = f"Waived until {w.expires}: {w.justification}"
            status = "waived"
        # Built, not validated: every value comes from the catalogue or the validated profile.
        findings.append(
            built(
                Finding,
                rule_id=rule.id,
                title=rule.title,
                theme=rule.theme,
                severity=rule.severity,
                sdg_domain=rule.sdg_domain,
                status=status,
                reason=reason,
                missing=missing,
                location=entry(where) if where else (trace[0] if trace else None),
                trace=trace,
                kind=parts.kind,
                sides=sides_of(rule, catalogue, trace),
                recommendation=recommendation_for(
                    rule,
                    cause,
                    excluded_of([*read, *parts.exclusions], facts),
                    not_ratified_of(read, facts) if cause == "not_ratified" else (),
                    any(f"instruments.{i}.status" in read for i in reserved),
                ),
                cause=cause if status != "waived" else None,
                responsible_area=responsible_for(rule, institutions),
                rationale=parts.rationale,
                citations=list(parts.citations),  # shared by every profile: copied as
                references=list(parts.references),  # validation copies a list
                waiver=waiver_out,
            )
        )
    findings.sort(key=lambda f: f.rule_id)
    # Stale waivers must not accumulate: say when one no longer matches a finding.
    for i, waiver in enumerate(profile.waivers):
        if waiver.rule not in waivers:
            continue
        line = loaded.document.line_of(("waivers", i))[0]
        finding = next((f for f in findings if f.rule_id == waiver.rule), None)
        gone = next((r for r in catalogue.retired if r.id == waiver.rule), None)
        if finding is None and gone is not None:
            notices.append(
                Notice(
                    code="waiver-retired",
                    message=f"The waiver for {waiver.rule} names a rule retired from the "
                    f"catalogue ({gone.title}): {gone.reason.rstrip('.')}. Remove the waiver.",
                    line=line,
                )
            )
        elif finding is None:
            notices.append(
                Notice(
                    code="waiver-unmatched",
                    message=f"The waiver for {waiver.rule} matches no finding in this run.",
                    line=line,
                )
            )
        elif finding.status in ("met", "not_applicable"):
            why = finding.status.replace("_", " ")
            notices.append(
                Notice(
                    code="waiver-unused",
                    message=f"The waiver for {waiver.rule} is not needed: the rule is {why} "
                    "without it, and stays so. Remove the waiver.",
                    line=line,
                )
            )
        elif finding.status == "insufficient_data":
            notices.append(
                Notice(
                    code="waiver-undecided",
                    message=f"The waiver for {waiver.rule} cannot apply until the question "
                    "is answered: the rule is undecided (insufficient data), and stays in the "
                    "data to collect. Answer the question; if it is then a gap, the waiver "
                    "applies.",
                    line=line,
                )
            )
    documents = dated_documents(loaded)  # one walk for the review and the late notices
    notices += dates_in_doubt(loaded, documents, today)
    notices.sort(key=lambda n: (n.line, n.code))
    return Assessment(
        tool_version=__version__,
        profile=ProfileInfo(
            path=loaded.path,
            country=profile.country.code,
            country_name=profile.country.name,
            as_of=profile.as_of,
            roles=list(profile.roles),
            review_status=profile.review_status,
            illustrative=profile.illustrative,
        ),
        engine=engine_name,
        catalogue_version=catalogue.version,
        rules_evaluated=len(catalogue.rules),
        selection=catalogue.selection,
        findings=findings,
        scores=score_assessment(findings, catalogue.selection is not None),
        sdg_domains=score_domains(findings, catalogue.selection is not None),
        notices=notices,
        review=review_state(loaded, documents=documents),
        scoring=scoring_used(),
        answers=answers,
        details=profile_details(profile) if keep_answers else None,
    )
