"""JUnit XML output: parsed by junitparser, counts and outcomes match the findings."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml, Skipped
from junitparser import TestSuite as Suite  # pytest collects a TestSuite (junitparser<3.1.2)

from coherence.findings import Assessment, Finding
from coherence.report.formats.junit import XML_DECLARATION, junit_chunks, junit_suite, render_junit
from coherence.report.formats.pieces import unpack
from tests.report.ci_support import ROOT, assess_examples


@pytest.fixture(scope="module")
def assessments() -> list[Assessment]:
    return assess_examples()


@pytest.fixture(scope="module")
def junit_text(assessments: list[Assessment]) -> str:
    return render_junit(assessments, base=ROOT)


@pytest.fixture(scope="module")
def xml(junit_text: str) -> JUnitXml:
    return JUnitXml.fromstring(junit_text)


def _suites(xml: JUnitXml) -> dict[str, Suite]:
    return {suite.name: suite for suite in xml}


def _name(a: Assessment) -> str:
    return Path(a.profile.path).relative_to(ROOT).as_posix()


def _expected_counts(findings: list[Finding]) -> dict[str, int]:
    by = Counter(f.status for f in findings)
    return {
        "tests": len(findings),
        "failures": by["gap"] + by["partial"],
        "errors": 0,
        "skipped": by["insufficient_data"] + by["not_applicable"] + by["waived"],
    }


def test_declaration_and_root(junit_text: str, xml: JUnitXml) -> None:
    assert junit_text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert junit_text.endswith("</testsuites>\n")
    assert xml.name == "coherence"


def test_one_suite_per_profile_with_correct_counts(
    assessments: list[Assessment], xml: JUnitXml
) -> None:
    suites = _suites(xml)
    assert sorted(suites) == sorted(_name(a) for a in assessments)
    total = Counter()
    for a in assessments:
        suite = suites[_name(a)]
        expected = _expected_counts(a.findings)
        got = {k: getattr(suite, k) for k in expected}
        assert got == expected
        # The attributes agree with the test cases themselves.
        cases = list(suite)
        assert len(cases) == expected["tests"]
        assert (
            sum(1 for c in cases if any(isinstance(r, Failure) for r in c.result))
            == (expected["failures"])
        )
        assert sum(1 for c in cases if c.is_skipped) == expected["skipped"]
        total.update(expected)
        props = {p.name: p.value for p in suite.properties()}
        assert props["country"] == a.profile.country
        assert props["catalogue_version"] == a.catalogue_version
    assert {k: getattr(xml, k) for k in total} == dict(total)


def test_each_status_maps_to_its_outcome(assessments: list[Assessment], xml: JUnitXml) -> None:
    suites = _suites(xml)
    seen = set()
    for a in assessments:
        cases = {c.name: c for c in suites[_name(a)]}
        for f in a.findings:
            case = cases[f"{f.rule_id} {f.title}"]
            assert case.classname == f.theme
            seen.add(f.status)
            if f.status == "met":
                assert case.is_passed and case.result == []
                continue
            (outcome,) = case.result
            if f.status in ("gap", "partial"):
                assert isinstance(outcome, Failure)
                assert outcome.type == f.status
                assert f.title in outcome.message
                assert f.recommendation in outcome.text
                assert f"{_name(a)}:" in outcome.text
            elif f.status == "insufficient_data":
                assert isinstance(outcome, Skipped)
                assert outcome.message.startswith("insufficient data: ")
                assert all(path in outcome.message for path in f.missing)
            elif f.status == "not_applicable":
                assert isinstance(outcome, Skipped)
                assert outcome.message == "not applicable"
            else:
                assert isinstance(outcome, Skipped)
                assert outcome.message == f"waived: {f.waiver.justification}"
            assert case.result and not case.is_passed
    assert seen == {"met", "gap", "partial", "insufficient_data", "not_applicable", "waived"}


def test_cases_sorted_by_rule_id(xml: JUnitXml) -> None:
    for suite in xml:
        ids = [c.name.split(" ", 1)[0] for c in suite]
        assert ids == sorted(ids)


def test_fromfile_and_determinism(
    assessments: list[Assessment], junit_text: str, tmp_path: Path
) -> None:
    again = render_junit(assess_examples(), base=ROOT)
    assert again == junit_text
    assert render_junit(list(reversed(assessments)), base=ROOT) == junit_text
    out = tmp_path / "coherence.xml"
    out.write_text(junit_text, encoding="utf-8")
    parsed = JUnitXml.fromfile(str(out))
    assert [s.name for s in parsed] == [s.name for s in JUnitXml.fromstring(junit_text)]


def test_markup_and_control_characters_are_escaped(assessments: list[Assessment]) -> None:
    a = assessments[0]
    gap = next(f for f in a.findings if f.status == "gap")
    odd = gap.model_copy(
        update={
            "title": 'Fees < 5% & "no" \x01 <b>',
            "recommendation": "Act ]]> now & then\nagain.",
        }
    )
    weird = a.model_copy(
        update={
            "findings": [odd],
            "profile": a.profile.model_copy(update={"path": "dir/a&b<c>.yaml"}),
        }
    )
    text = render_junit([weird])
    xml = JUnitXml.fromstring(text)
    (suite,) = list(xml)
    assert suite.name == "dir/a&b<c>.yaml"
    (case,) = list(suite)
    assert case.name == f'{gap.rule_id} Fees < 5% & "no" \ufffd <b>'
    (failure,) = case.result
    assert "Act ]]> now & then\nagain." in failure.text


def test_no_assessments() -> None:
    xml = JUnitXml.fromstring(render_junit([]))
    assert list(xml) == []
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (0, 0, 0, 0)


def _whole(suites) -> str:
    """The document as `ET` writes it whole: every suite an element of one tree, indented
    and serialised at once (what `render_junit` wrote before it wrote suite by suite)."""
    root = ET.Element("testsuites", {"name": "coherence"})
    total = Counter()
    for _, counts, packed in sorted(suites, key=lambda item: item[0]):
        root.append(ET.fromstring(unpack(packed)))
        total.update(counts)
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(total[key]))
    ET.indent(root, space="  ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def test_written_suite_by_suite_as_written_whole(assessments: list[Assessment]) -> None:
    # `check` hands the document on suite by suite (its pieces kept on disk): the text is
    # the one ET writes of the whole tree, and no piece holds more than one suite.
    for order in (assessments, list(reversed(assessments))):
        suites = [junit_suite(a, base=ROOT) for a in order]
        chunks = list(junit_chunks(suites))
        assert "".join(chunks) == _whole(suites) == render_junit(order, base=ROOT)
        assert len(chunks) == len(suites) + 1
        assert all(chunk.count("<testsuite ") <= 1 for chunk in chunks)
        longest = max(len(unpack(packed)) for _, _, packed in suites)
        assert max(len(chunk) for chunk in chunks) < longest + 200


def test_suites_of_one_path_keep_their_order(assessments: list[Assessment]) -> None:
    a = assessments[0]
    twins = [a, a.model_copy(update={"profile": a.profile.model_copy(update={"country": "AAA"})})]
    text = render_junit(twins, base=ROOT)
    assert text == _whole([junit_suite(t, base=ROOT) for t in twins])
    countries = [next(iter(s.properties())).value for s in JUnitXml.fromstring(text)]
    assert countries == ["AAA", a.profile.country]  # sorted by path, then country


def test_no_assessments_as_written_whole() -> None:
    assert render_junit([]) == _whole([]) == "".join(junit_chunks([]))
