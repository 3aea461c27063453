"""The JSON gap report, format 3: each rule and each passage once per document, findings that
refer to them, nothing lost against the in-memory assessments (issue 13 §5)."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import jsonschema
import pytest

from coherence.api import assess
from coherence.findings import Assessment, Passage
from coherence.gapreport import GapReport, passage_ids
from coherence.profile.schema import report_schema
from coherence.report.formats import GapOptions, render
from coherence.report.formats.json import render_json
from coherence.rules.catalog import Catalogue
from tests.conftest import FIXTURES, PROFILES
from tests.gapjson import assessments
from tests.report.conftest import TODAY

THREE_NOES = FIXTURES / "profiles" / "three-noes.yaml"  # contradictions: findings with sides
WAIVERS = FIXTURES / "profiles" / "waivers.yaml"  # waived findings and notices


@pytest.fixture(scope="module")
def several(examples: dict[str, Assessment], catalogue: Catalogue) -> list[Assessment]:
    """The example profiles and two fixtures: waivers, notices, contradictions, unknowns."""
    extra = [assess(p, catalogue, "reference", today=TODAY) for p in (THREE_NOES, WAIVERS)]
    return [*examples.values(), *extra]


@pytest.fixture(scope="module")
def document(several: list[Assessment], catalogue: Catalogue) -> str:
    return render_json(several, catalogue)


def _dumps(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("count", [0, 1, 2, 5])
def test_the_report_validates_against_the_generated_schema(several, catalogue, count) -> None:
    text = render_json(several[:count], catalogue)
    data = json.loads(text)
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    GapReport.model_validate(data)
    assert data["format_version"] == 3 and data["kind"] == "gap_report"
    assert len(data["assessments"]) == count
    assert data["catalogue_version"] == catalogue.version
    # Streamed piece by piece, yet exactly what json.dumps writes of the whole (sorted keys).
    assert text == _dumps(data)


def test_a_reader_rebuilds_every_format_2_assessment(several, document) -> None:
    assert assessments(document) == [a.model_dump(mode="json") for a in several]


def test_each_rule_and_each_passage_appears_once_in_a_multi_profile_report(document) -> None:
    data = json.loads(document)
    assert len(data["assessments"]) == 5
    rationales = Counter(rule["rationale"] for rule in data["rules"].values())
    for rule in data["rules"].values():
        # A finding no longer repeats its rule's words: they stand once in the document.
        said = json.dumps(rule["rationale"], ensure_ascii=False)
        assert document.count(said) == rationales[rule["rationale"]]
    # A few quotes are cited with two different line spans: two passages, one quote.
    quotes = Counter(p["quote"] for p in data["passages"].values())
    for passage in data["passages"].values():
        quote = f'"quote": {json.dumps(passage["quote"], ensure_ascii=False)}'
        assert document.count(quote) == quotes[passage["quote"]]
    for a in data["assessments"]:
        assert all(set(f) >= {"rule_id", "status"} for f in a["findings"])
        assert not any({"title", "rationale", "citations"} & set(f) for f in a["findings"])


def test_every_reference_resolves_and_nothing_is_unreferenced(document) -> None:
    data = json.loads(document)
    named = {f["rule_id"] for a in data["assessments"] for f in a["findings"]}
    assert named == set(data["rules"])
    cited = {c["passage"] for rule in data["rules"].values() for c in rule["citations"]}
    assert cited == set(data["passages"])


def test_two_different_passages_never_share_an_id(several, document) -> None:
    data = json.loads(document)
    as_text = Counter(json.dumps(p, sort_keys=True) for p in data["passages"].values())
    assert max(as_text.values()) == 1  # one id per passage, one passage per id
    distinct = {
        json.dumps({k: v for k, v in c.items() if k not in ("role", "addressee")}, sort_keys=True)
        for a in several
        for f in a.findings
        for c in (c.model_dump(mode="json") for c in f.citations)
    }
    assert len(distinct) == len(data["passages"])
    # Passages of the same lines with different quotes exist in the catalogue: they get
    # distinct ids, while a passage alone on its lines keeps the CSV's locator.
    spans = Counter((p["source"], tuple(p["lines"])) for p in data["passages"].values())
    assert max(spans.values()) > 1
    for pid, p in data["passages"].items():
        plain = f"{p['source']}:{p['lines'][0]}-{p['lines'][1]}"
        alone = spans[(p["source"], tuple(p["lines"]))] == 1
        assert pid == plain if alone else pid.startswith(f"{plain}#")


def test_passage_ids_depend_on_the_passages_not_on_their_order() -> None:
    def cite(quote: str, lines: tuple[int, int] = (3, 4)) -> dict[str, object]:
        made = Passage(source="s", title="T", file="f", lines=lines, section="", quote=quote)
        return made.model_dump(mode="json")

    a, b, c = cite("one"), cite("two"), cite("three", (5, 5))
    forward, backward = passage_ids([a, b, c]), passage_ids([c, b, a, a])
    assert forward == backward and len(set(forward.values())) == 3
    assert sorted(forward.values())[-1] == "s:5-5"
    assert all(i.startswith("s:3-4#") for i in sorted(forward.values())[:2])
    assert list(passage_ids([a]).values()) == ["s:3-4"]


def test_select_narrows_rules_and_passages(cli) -> None:
    result = cli("check", "-f", "json", "--today", "2026-06-01", "--select", "DATA-*", WAIVERS)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["rules"] and all(r.startswith("DATA-") for r in data["rules"])
    cited = {c["passage"] for rule in data["rules"].values() for c in rule["citations"]}
    assert cited == set(data["passages"])


def test_a_folder_through_the_spool_gives_the_in_memory_report_byte_for_byte(
    cli, cli_subprocess, tmp_path, catalogue
) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    for source in (PROFILES / "example-origin.yaml", PROFILES / "example-transit.yaml", WAIVERS):
        shutil.copy(source, folder / source.name)
    args = ("check", "-f", "json", "--engine", "reference", "--today", "2026-06-01", folder)
    spooled = cli(*args, "--jobs", "1")
    assert spooled.returncode == 0, spooled.stderr
    # Another process (another hash seed) with two workers: the same bytes.
    assert cli_subprocess(*args, "--jobs", "2").stdout == spooled.stdout
    paths = [a["profile"]["path"] for a in json.loads(spooled.stdout)["assessments"]]
    assert len(paths) == 3
    import datetime as dt

    day = dt.date(2026, 6, 1)
    in_memory = [assess(p, catalogue, "reference", today=day) for p in paths]
    assert render("json", "gap", in_memory, GapOptions(catalogue)) == spooled.stdout


def _entries(a: Assessment):
    for f in a.findings:
        yield from (f.location,) if f.location else ()
        yield from f.trace
        for side in f.sides:
            yield from side.answers


def test_each_fields_question_is_written_once_and_is_the_one_in_memory(several, document):
    data = json.loads(document)
    asked = {e.path: e.question for a in several for e in _entries(a) if e.question}
    assert asked and data["questions"] == {
        path: q.model_dump(mode="json") for path, q in sorted(asked.items())
    }
    assert not any(p.startswith("derived.") for p in data["questions"])
    # Trace entries hold no copy of it.
    assert '"question"' not in json.dumps(data["assessments"])
    assert document.count('"text": ') == len(data["questions"])


def test_the_rules_of_a_batch_are_dumped_once_and_are_the_same(
    several, catalogue, monkeypatch
) -> None:
    import coherence.report.formats.json as json_format

    json_format._RULES.clear()
    cold = [json_format.json_piece(a) for a in several]
    splits = []
    real = json_format.split_assessment
    monkeypatch.setattr(
        json_format, "split_assessment", lambda data: splits.append(1) or real(data)
    )
    warm = [json_format.json_piece(a) for a in several]
    assert splits == []  # every warm piece took its rules from the cache
    assert cold == warm
    assert len({p.rules for p in cold}) == 1 and len(json_format._RULES) == 1
