"""Recommendations that fit the finding: cause, caps, texts and who acts (unit level), and
over the bundled catalogue: no recommendation asks a state that has ratified to ratify."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from coherence.assessment.decide import _cond_paths, decide
from coherence.assessment.recommend import (
    GENERIC,
    cap,
    cause_of,
    excluded_of,
    good_paths,
    recommendation_for,
    responsible_for,
)
from coherence.engine.base import Truths
from coherence.engine.reference import derived_fact, evaluate
from coherence.facts import Fact, readable_paths
from coherence.rules.catalog import CONDITIONS, load_catalogue
from coherence.rules.condition import leaves, paths
from coherence.rules.model import Rule
from coherence.ruletools.lint import _candidates, reads_instrument_status
from tests.rulepack import rule as rule_doc

ASKS_TO_RATIFY = re.compile(r"\bratify\b|\bratification of\b", re.IGNORECASE)
C97 = "instruments.ilo_c97"
LAW = "rights.equal_treatment"


def make_rule(**extra) -> Rule:
    met = {
        "all": [
            {"instrument": {"id": "ilo_c97", "at_least": "ratified"}},
            {"equals": {"path": f"{C97}.incorporated_in_law", "value": "yes"}},
            {"equals": {"path": LAW, "value": "yes"}},
        ]
    }
    return Rule.model_validate(rule_doc("TEST-001", met, **extra))


def status(value: str) -> Fact:
    return Fact(f"{C97}.status", "status", "known", value)


def answer(path: str, value: str | None, **extra) -> Fact:
    if value is None:
        return Fact(path, "answer", "unknown")
    return Fact(path, "answer", "known", value, **extra)


def facts(*items: Fact) -> dict[str, Fact]:
    return {f.path: f for f in items}


READ = [f"{C97}.status", f"{C97}.incorporated_in_law", LAW]


def test_cause_not_ratified_before_anything_else():
    got = facts(
        status("not_ratified"), answer(f"{C97}.incorporated_in_law", "no"), answer(LAW, "no")
    )
    assert cause_of(make_rule(), "gap", READ, got, None) == "not_ratified"


@pytest.mark.parametrize("law", ["no", "partial", None])
def test_cause_not_in_law_when_ratified_but_not_fully_transposed(law):
    got = facts(status("ratified"), answer(f"{C97}.incorporated_in_law", law), answer(LAW, "yes"))
    assert cause_of(make_rule(), "partial", READ, got, None) == "not_in_law"


def test_cause_from_the_answers_when_the_treaty_is_ratified_and_in_law():
    base = [status("ratified"), answer(f"{C97}.incorporated_in_law", "yes")]
    excluded = facts(*base, answer(LAW, "yes", excludes=("domestic_workers",)))
    assert cause_of(make_rule(), "partial", READ, excluded, None) == "excluded_groups"
    practice = facts(*base, answer(LAW, "yes", practice="no"))
    assert cause_of(make_rule(), "partial", READ, practice, None) == "not_in_practice"
    # Both: the group left out leads (the generic text asks for it in law and in practice).
    both = facts(*base, answer(LAW, "yes", practice="no", excludes=("domestic_workers",)))
    assert cause_of(make_rule(), "partial", READ, both, None) == "excluded_groups"
    # The law itself short: the rule's own recommendation, whatever practice and groups say
    # (never "the law is in place but not applied").
    for short in (
        answer(LAW, "partial", practice="no"),
        answer(LAW, "partial", excludes=("domestic_workers",)),
    ):
        assert cause_of(make_rule(), "partial", READ, facts(*base, short), None) == "partial"
    plain = facts(*base, answer(LAW, "no"))
    assert cause_of(make_rule(), "gap", READ, plain, None) == "gap"
    assert cause_of(make_rule(), "met", READ, plain, None) is None


def test_practice_cap_and_its_opt_out():
    got = facts(
        status("ratified"),
        answer(f"{C97}.incorporated_in_law", "yes"),
        answer(LAW, "yes", practice="partial"),
    )
    capped = cap(make_rule(), READ, got)
    assert capped is not None and capped.cause == "not_in_practice" and capped.path == LAW
    assert capped.reason.startswith("in law but not in practice")
    assert cap(make_rule(practice_cap=False), READ, got) is None
    same = facts(*got.values(), answer(LAW, "yes", practice="yes"))
    assert cap(make_rule(), READ, same) is None
    unknown = facts(*got.values(), answer(LAW, "yes", practice="unknown"))
    assert cap(make_rule(), READ, unknown) is None


def test_exclusions_cap_and_its_opt_out():
    got = facts(
        status("ratified"),
        answer(f"{C97}.incorporated_in_law", "yes"),
        answer(LAW, "yes", excludes=("domestic_workers", "seasonal_workers")),
    )
    capped = cap(make_rule(), READ, got)
    assert capped is not None and capped.cause == "excluded_groups"
    assert "domestic workers and seasonal workers" in capped.reason
    assert cap(make_rule(exclusions_cap=False), READ, got) is None
    assert excluded_of(READ, got) == ("domestic_workers", "seasonal_workers")


def test_recommendation_by_cause_then_generic_then_default():
    own = make_rule(
        recommendation="Bring the law into line with the Convention, in plain words.",
        recommendations={
            "not_ratified": "Ratify the Convention, then bring the law into line with it.",
            "excluded_groups": "Cover {excluded} as well, in law and in practice.",
        },
    )
    assert recommendation_for(own, "not_ratified", ()).startswith("Ratify")
    assert recommendation_for(own, "not_in_law", ()) == GENERIC["not_in_law"]
    assert recommendation_for(own, "not_in_practice", ()) == GENERIC["not_in_practice"]
    assert recommendation_for(own, "excluded_groups", ("domestic_workers",)) == (
        "Cover domestic workers as well, in law and in practice."
    )
    assert recommendation_for(own, "gap", ()) == own.recommendation
    assert recommendation_for(own, None, ()) == own.recommendation
    bare = make_rule()
    assert "seasonal workers" in recommendation_for(bare, "excluded_groups", ("seasonal_workers",))
    assert not any(ASKS_TO_RATIFY.search(text) for text in GENERIC.values())


def test_responsible_uses_the_country_s_names_else_generic_words():
    both = make_rule(
        responsible=["labour_ministry", "foreign_affairs_ministry"],
        responsible_area="Ministry of Labour and Ministry of Foreign Affairs",
    )
    assert responsible_for(both, {}) == "Ministry of Labour and Ministry of Foreign Affairs"
    assert responsible_for(both, {"labour_ministry": None}) == both.responsible_area
    named = {"labour_ministry": "Ministry of Labour and Employment"}
    assert responsible_for(both, named) == (
        "Ministry of Labour and Employment; Ministry of Foreign Affairs"
    )
    unmapped = make_rule(responsible_area="Office of the Head of Government")
    assert responsible_for(unmapped, named) == "Office of the Head of Government"


def test_immigration_is_the_immigration_authority_s_where_named_else_the_interior_s():
    """The Philippines' Bureau of Immigration is not its interior ministry (DILG): a rule on
    admission names the bureau where the profile names it, and the interior ministry where
    the profile names only that one (it then handles immigration)."""
    rule = make_rule(
        responsible=["immigration_authority", "labour_ministry"],
        responsible_area="Ministry of Interior and Ministry of Labour",
    )
    interior = {"interior_ministry": "DILG", "labour_ministry": "DOLE"}
    assert responsible_for(rule, interior) == "DILG; DOLE"
    both = {**interior, "immigration_authority": "Bureau of Immigration"}
    assert responsible_for(rule, both) == "Bureau of Immigration; DOLE"
    assert responsible_for(rule, {"labour_ministry": "DOLE"}) == "Ministry of Interior; DOLE"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_every_bundled_rule_names_who_acts(catalogue):
    for rule in catalogue.rules:
        assert rule.responsible_area, rule.id
    with_keys = [r for r in catalogue.rules if r.responsible]
    assert len(with_keys) >= 0.9 * len(catalogue.rules)


def _ratified_samples(rule, catalogue, limit=400):
    """Value combinations of what the rule reads, every instrument status `ratified`."""
    order = catalogue.derived_needed([rule])
    base = catalogue.paths_read(rule) + [p for d in order for p in paths(d.when)]
    real = sorted({p for p in base if not p.startswith("derived.")})
    all_leaves = [leaf for n in CONDITIONS if getattr(rule, n) for leaf in leaves(getattr(rule, n))]
    all_leaves += [leaf for d in order for leaf in leaves(d.when)]
    options = []
    for path in real:
        if path.startswith("instruments.") and path.endswith(".status"):
            options.append([Fact(path, "status", "known", "ratified")])
        else:
            options.append(_candidates(path, all_leaves))
    total = 1
    for o in options:
        total *= len(o)
    if total <= limit:
        return list(itertools.product(*options)), order
    rng = random.Random(rule.id)
    return [tuple(rng.choice(o) for o in options) for _ in range(limit)], order


# Rules that read an instrument status only to apply where it is NOT ratified: a ratifying state
# is judged by another rule (COHERENCE-019 gives way to COHERENCE-029 for a Refugee Convention
# party), so with every status ratified they decide nothing and show no advice at all.
ONLY_WHERE_NOT_RATIFIED = {"COHERENCE-019"}


def test_no_bundled_recommendation_asks_a_ratifying_state_to_ratify(catalogue):
    rules = [r for r in catalogue.rules if reads_instrument_status(r, catalogue)]
    assert {"RIGHTS-024", "RIGHTS-025", "RIGHTS-026", "RIGHTS-031", "TRAFFIC-017"} <= {
        r.id for r in rules
    }
    unknown = {p: Fact(p, info.kind, "unknown") for p, info in readable_paths().items()}
    for rule in rules:
        assert {"not_ratified", "not_in_law"} <= set(rule.recommendations), rule.id
        combos, order = _ratified_samples(rule, catalogue)
        shown = set()
        for combo in combos:
            got = {**unknown, **{f.path: f for f in combo}}
            for item in order:
                got[f"derived.{item.id}"] = derived_fact(item.id, evaluate(item.when, got))
            truths = Truths(
                {
                    (rule.id, n): evaluate(getattr(rule, n), got)
                    for n in CONDITIONS
                    if getattr(rule, n)
                },
                {},
            )
            found = decide(rule, truths, got, list(rule.applies_to), catalogue)[0]
            if found not in ("gap", "partial"):
                continue
            read = [
                p
                for n in CONDITIONS
                for p in _cond_paths(rule, n, catalogue)
                if not p.startswith("derived.")
            ]
            capped = cap(rule, read, got) if found == "partial" else None
            cause = cause_of(rule, found, read, got, capped)
            assert cause != "not_ratified", rule.id
            text = recommendation_for(rule, cause, excluded_of(read, got))
            assert not ASKS_TO_RATIFY.search(text), (rule.id, cause, text)
            shown.add(cause)
        if rule.id in ONLY_WHERE_NOT_RATIFIED:
            assert shown == set(), rule.id
        else:
            assert "not_in_law" in shown, rule.id


def test_good_paths_follow_the_polarity_of_the_condition():
    """A `yes` that is the bad state (a ban, a tax) and a treaty read only to excuse its
    absence can never be a cause: only paths whose `yes` moves the rule towards met count."""
    ban = "rights.sex_specific_emigration_bans"
    rule = Rule.model_validate(
        rule_doc(
            "TEST-002",
            {
                "all": [
                    {"equals": {"path": ban, "value": "no"}},
                    {
                        "any": [
                            {"not": {"instrument": {"id": "ilo_c97", "at_least": "ratified"}}},
                            {"equals": {"path": f"{C97}.incorporated_in_law", "value": "yes"}},
                        ]
                    },
                    {"equals": {"path": LAW, "value": "yes"}},
                ]
            },
        )
    )
    good = good_paths(rule, {})
    assert LAW in good and f"{C97}.incorporated_in_law" in good
    assert ban not in good and f"{C97}.status" not in good
    # A ban in law that is not enforced is not "in law but not in practice" for this rule.
    found = facts(
        answer(ban, "yes", practice="no"),
        status("not_ratified"),
        answer(f"{C97}.incorporated_in_law", "no"),
        answer(LAW, "yes"),
    )
    read = [p for p in found if p in good]
    assert cause_of(rule, "gap", read, found, None) == "gap"


def test_derived_facts_carry_polarity():
    from pydantic import TypeAdapter

    from coherence.rules.condition import Condition

    ban = {"equals": {"path": "rights.sex_specific_emigration_bans", "value": "yes"}}
    parsed = {"ban_exists": TypeAdapter(Condition).validate_python(ban)}
    rule = Rule.model_validate(
        rule_doc("TEST-003", {"equals": {"path": "derived.ban_exists", "value": "no"}})
    )
    assert "rights.sex_specific_emigration_bans" not in good_paths(rule, parsed)
    rule = Rule.model_validate(
        rule_doc("TEST-004", {"not": {"equals": {"path": "derived.ban_exists", "value": "no"}}})
    )
    assert "rights.sex_specific_emigration_bans" in good_paths(rule, parsed)


def test_responsible_keeps_actors_that_have_no_key():
    rule = Rule.model_validate(
        rule_doc(
            "TEST-005",
            {"equals": {"path": LAW, "value": "yes"}},
            responsible=["labour_ministry"],
            responsible_area="Ministry of Trade and Ministry of Labour",
        )
    )
    shown = responsible_for(rule, {"labour_ministry": "Ministry of Manpower"})
    assert shown.startswith("Ministry of Manpower")
    assert "Ministry of Trade" in shown
