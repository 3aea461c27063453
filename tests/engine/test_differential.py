"""Differential test: durable-rules and the reference evaluator agree on random profiles.

Hypothesis generates random valid profiles — every answer possibly missing, unknown,
not applicable or known — and both engines must give identical findings, unknowns included.
The catalogue is the bundled one plus a pack that nests every operator.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coherence.api import assess
from coherence.engine.durable import available
from coherence.engine.select import make_engine
from coherence.facts import profile_facts, readable_paths
from coherence.profile.validate import validate_document
from coherence.rules.catalog import load_catalogue
from coherence.yamlsource import YamlDocument
from tests.conftest import FIXTURES
from tests.rulepack import profile_doc

pytestmark = pytest.mark.skipif(
    not available(), reason="durable-rules does not import on this Python"
)

ANSWER = st.sampled_from(["yes", "partial", "no", "unknown", "not_applicable"])
PRACTICE = st.sampled_from(["yes", "partial", "no", "unknown"])
GROUP_LISTS = st.lists(st.sampled_from(["domestic_workers", "irregular_migrants"]), unique=True)
UN_STATUS = st.sampled_from(["not_signed", "signed", "ratified", "acceded", "unknown"])
ILO_STATUS = st.sampled_from(["not_ratified", "ratified", "denounced", "unknown"])
NAMES = st.lists(
    st.sampled_from(["Interior", "Labour", "Health", "Justice", "Foreign Affairs"]),
    max_size=5,
    unique=True,
)
CODES = st.lists(st.sampled_from(["PHL", "QAT", "MYS", "NPL"]), max_size=4, unique=True)


@st.composite
def answers(draw):
    """An answer in short form, or in long form with practice and exclusions (format 2)."""
    value = draw(ANSWER)
    if draw(st.booleans()):
        return value
    long: dict = {"answer": value}
    if draw(st.booleans()):
        long["practice"] = draw(PRACTICE)
    if value in ("yes", "partial") and draw(st.booleans()):
        long["excludes"] = draw(GROUP_LISTS)  # no one to leave out of a no or an unknown
    return long


def _listing(draw, items: list) -> str:
    """The answer above a list of agreements or bodies: a profile that lists some says yes
    or partial (a no above them is refused)."""
    return draw(st.sampled_from(["yes", "partial"]) if items else ANSWER)


@st.composite
def profiles(draw):
    data: dict = {}
    for path, info in readable_paths().items():
        parts = path.split(".")
        if not info.question or (len(parts) == 3 and not path.endswith(".status")):
            continue  # computed paths and sub-fields are drawn with their parent below
        if not draw(st.booleans()) and draw(st.booleans()):
            continue  # leave about a quarter of the answers out entirely
        section = data.setdefault(parts[0], {})
        if info.kind == "status":
            status = UN_STATUS if "not_signed" in info.values else ILO_STATUS
            section[parts[1]] = {"status": draw(status), "incorporated_in_law": draw(answers())}
        elif info.kind == "number":
            section[parts[1]] = draw(st.one_of(st.just("unknown"), st.integers(0, 3_000_000)))
        elif path.endswith("_countries"):  # the lists of country codes
            section[parts[1]] = draw(CODES)
        elif info.kind == "list":
            section[parts[1]] = draw(st.one_of(st.just("unknown"), NAMES))
        elif path == "labour_channels.bilateral_agreements":
            agreements = [{"partner": code, "monitored": draw(ANSWER)} for code in draw(CODES)]
            section[parts[1]] = {"answer": _listing(draw, agreements), "agreements": agreements}
        elif path == "coordination.coordination_bodies":
            bodies = [{"name": "Committee", "members": draw(NAMES)}] if draw(st.booleans()) else []
            section[parts[1]] = {"answer": _listing(draw, bodies), "bodies": bodies}
        else:
            section[parts[1]] = draw(answers())
    roles = draw(
        st.lists(
            st.sampled_from(["origin", "transit", "destination"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    return profile_doc(data, roles)


@pytest.fixture(scope="module")
def engines():
    catalogue = load_catalogue([FIXTURES / "rules" / "logic"])
    return catalogue, make_engine(catalogue, "durable")[0], make_engine(catalogue, "reference")[0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=profiles())
def test_engines_give_identical_findings(engines, data):
    """The engines' whole output, every rule's truths, is identical. A finding is built from
    the profile, its facts and these truths alone (`api.assess`), so identical truths are
    identical findings; building both assessments cost a third of this test's time.
    `test_the_truths_are_all_that_differ` shows that link, `test_fallback` whole reports."""
    catalogue, durable, reference = engines
    loaded = validate_document(YamlDocument("random.yaml", data))
    truths = durable.truths(profile_facts(loaded, read=catalogue.answers_read))
    assert truths == reference.truths(profile_facts(loaded, read=catalogue.answers_read))
    assert truths, "no rule evaluated: the comparison proves nothing"


def test_the_truths_are_all_that_differ(engines, monkeypatch):
    """`assess` passes the engine's truths to the findings and nothing else of the engine but
    its name: with one engine's truths handed to the other, the assessments are the same."""
    catalogue, durable, reference = engines
    loaded = validate_document(YamlDocument("random.yaml", profile_doc({}, ["origin"])))
    today = dt.date(2026, 1, 1)
    a = assess(loaded, catalogue, durable, today=today).model_dump(exclude={"engine"})
    monkeypatch.setattr(reference, "truths", durable.truths)
    b = assess(loaded, catalogue, reference, today=today).model_dump(exclude={"engine"})
    assert a == b


def test_the_generator_reaches_every_status(engines):
    """Guard against a vacuous differential test: random profiles produce every status."""
    catalogue, _, reference = engines
    seen: set[str] = set()

    @settings(max_examples=150, deadline=None)
    @given(data=profiles())
    def collect(data):
        loaded = validate_document(YamlDocument("random.yaml", data))
        seen.update(f.status for f in assess(loaded, catalogue, reference).findings)

    collect()
    assert {"met", "partial", "gap", "not_applicable", "insufficient_data"} <= seen
