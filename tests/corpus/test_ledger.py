"""The ledger of what the sources ask (`seeds/ledger/`): loading, verification, matching
against rule citations, the lint problems it reports, and the coverage document."""

from __future__ import annotations

from pathlib import Path

import pytest

from coherence.corpus import load_corpus
from coherence.corpus.coverage import render_coverage
from coherence.corpus.ledger import (
    MIN_SHARED,
    Passage,
    coverage,
    ledger_problems,
    load_ledger,
    matches,
    quotes_match,
    verify_ledger,
)
from coherence.rules.catalog import load_catalogue
from coherence.rules.model import Citation
from tests.conftest import ROOT, invoke

FIXTURES = ROOT / "tests" / "fixtures" / "ledger"
PACK = FIXTURES / "pack"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue([PACK], include_bundled=False)


def _line(path: Path, text: str) -> int:
    """The 1-based line of the first line of `path` containing `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if text in line) + 1


def _passage_line(path: Path, asks: str) -> int:
    """The line of the `- source:` that opens the passage whose `asks` is `asks`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == f"asks: {asks}")
    return next(i for i in range(at, -1, -1) if lines[i].startswith("  - source:")) + 1


# --- loading and verification ------------------------------------------------------------


def test_a_good_ledger_loads_in_theme_order_and_verifies():
    ledger = load_ledger(FIXTURES / "good")
    assert ledger.problems == ()
    assert [e.theme for e in ledger.entries] == [
        "rights",
        "coordination",
        "coordination",
        "coordination",
    ]
    assert verify_ledger(ledger, load_corpus()) == []
    first = ledger.entries[1]
    assert first.file.endswith("coordination.yaml") and first.line() == 2


def test_unknown_keys_are_refused_at_their_line():
    ledger = load_ledger(FIXTURES / "strict")
    assert ledger.entries == ()
    (problem,) = ledger.problems
    assert problem.file.endswith("strict/rights.yaml")
    assert problem.line == _line(FIXTURES / "strict" / "rights.yaml", "rules:")
    assert "rules" in problem.message


def test_a_ledger_file_is_named_after_a_theme(tmp_path):
    (tmp_path / "misc.yaml").write_text("passages: []\n", encoding="utf-8")
    (problem,) = load_ledger(tmp_path).problems
    assert problem.code == "ledger-theme"


def test_a_missing_ledger_folder_is_an_empty_ledger(tmp_path):
    ledger = load_ledger(tmp_path / "nothing")
    assert ledger.entries == () and ledger.problems == ()


# --- matching ----------------------------------------------------------------------------

LONG = (
    "A comprehensive approach would include consideration of the implications and impact of "
    "certain policies vis à vis others, requiring coordination and partnerships among all "
    "relevant government agencies within a national government."
)


def _passage(quote: str, lines: tuple[int, int] = (136, 136), source: str = "iom-2003-mpi1"):
    return Passage(source=source, lines=lines, quote=quote, addressee="states", asks="coordinate")


def _cite(quote: str, lines: tuple[int, int] = (136, 136), source: str = "iom-2003-mpi1"):
    return Citation(source=source, lines=lines, quote=quote, role="requirement", addressee="states")


def test_a_quote_inside_the_passage_matches_whatever_its_whitespace():
    short = "requiring coordination and\n   partnerships among all relevant government agencies"
    assert matches(_cite(short), _passage(LONG))
    assert matches(_cite(LONG, (135, 137)), _passage(short))  # and the other way round


def test_quotes_cut_at_different_points_match_when_they_share_enough():
    head = LONG[:150]  # "A comprehensive approach ... requiring coordination and"
    tail = LONG[60:]  # "... policies vis à vis others, requiring ... government."
    assert len(set(range(0, 150)) & set(range(60, len(LONG)))) >= MIN_SHARED
    assert quotes_match(head, tail)
    assert matches(_cite(head), _passage(tail))


def test_neighbouring_sentences_do_not_match():
    first = "Often migration related issues are managed with little or even no coordination among concerned government agencies within the same government."
    assert not matches(_cite(first), _passage(LONG))
    assert not quotes_match(LONG[:70], LONG[-70:])


def test_another_source_or_other_lines_do_not_match():
    assert not matches(_cite(LONG, source="unpd-2004-cm3"), _passage(LONG))
    assert not matches(_cite(LONG, (140, 141)), _passage(LONG))
    assert matches(_cite(LONG, (130, 136)), _passage(LONG, (136, 140)))  # touching ranges overlap


def test_coverage_names_the_rules_citing_each_passage(catalogue):
    ledger = load_ledger(FIXTURES / "good")
    found = coverage(ledger, catalogue)
    cited = {e.passage.asks: found.cited_by[i] for i, e in enumerate(ledger.entries)}
    assert cited == {
        "protect women migrant workers in every sector, domestic workers included": ("LEDGER-003",),
        "coordinate every government agency concerned with migration": ("LEDGER-001",),
        "consult other governments to harmonise migration policies": ("LEDGER-002",),
        "cooperate on mobility programmes, labour mobility included": (),
    }
    # Only requirement citations are checked against the ledger; LEDGER-002's rationale
    # (line 193) is not in it and need not be.
    assert sorted(found.requirements) == [("LEDGER-001", 0), ("LEDGER-002", 0), ("LEDGER-003", 0)]
    assert all(found.requirements.values())


# --- lint problems -----------------------------------------------------------------------


def test_a_good_ledger_and_pack_have_no_problems(catalogue):
    assert ledger_problems(catalogue, load_ledger(FIXTURES / "good")) == []


def test_each_ledger_problem_is_reported_at_its_line(catalogue):
    bad = FIXTURES / "bad" / "coordination.yaml"
    problems = ledger_problems(catalogue, load_ledger(FIXTURES / "bad"))
    got = {(p.code, p.file, p.line) for p in problems}
    ledger_file = str(bad)
    expected = {
        ("ledger-cited", ledger_file, _line(bad, "uncited: too_general")),
        ("ledger-quote-not-found", ledger_file, _line(bad, "every government agency there is")),
        ("ledger-quote-outside-lines", ledger_file, _line(bad, "lines: [10, 12]")),
        ("ledger-unknown-source", ledger_file, _line(bad, "no-such-source")),
        ("ledger-uncited", ledger_file, _passage_line(bad, "neither cited nor a reason")),
        ("ledger-duplicate", ledger_file, _passage_line(bad, "listed twice")),
    }
    pack = PACK / "pack.yaml"
    for rule_id in ("LEDGER-002", "LEDGER-003"):  # requirements the bad ledger lacks
        start = _line(pack, f"id: {rule_id}")
        lines = pack.read_text(encoding="utf-8").splitlines()
        cite = next(i for i in range(start, len(lines)) if "- source:" in lines[i]) + 1
        expected.add(("ledger-missing", str(pack), cite))
    assert got == expected
    cited = next(p for p in problems if p.code == "ledger-cited")
    assert "LEDGER-001" in cited.message and "too_general" in cited.message
    missing = next(p for p in problems if p.code == "ledger-missing")
    assert missing.path == "LEDGER-002" and "requirement" in missing.message


def test_ledger_missing_can_be_limited_to_some_rules(catalogue):
    problems = ledger_problems(catalogue, load_ledger(FIXTURES / "bad"), {"LEDGER-003"})
    assert {p.path for p in problems if p.code == "ledger-missing"} == {"LEDGER-003"}


def test_rules_lint_of_a_rule_pack_does_not_read_the_ledger():
    for args in (["--no-bundled"], []):
        result = invoke("rules", "lint", *args, "--format", "json", PACK)
        assert result.returncode == 1  # the pack has no cases: lint has something to say
        assert "ledger-" not in result.stdout


# --- the coverage document ---------------------------------------------------------------


def test_coverage_document_lists_every_passage_with_its_rules_or_reason(catalogue):
    text = render_coverage(load_ledger(FIXTURES / "good"), catalogue)
    assert "| [Rights](#rights) | 1 | 1 | 100 % |" in text
    assert "| [Interagency coordination](#interagency-coordination) | 3 | 2 | 67 % |" in text
    assert "| **All themes** | 4 | 3 | 75 % |" in text
    assert text.index("## Rights") < text.index("## Interagency coordination")
    assert "3 passages; 2 checked by a rule (67 %)." in text
    assert "**Checked by** LEDGER-001." in text
    assert "**Not checked:** the profile format has no field to check it." in text
    assert "*Asks states:* consult other governments to harmonise migration policies" in text
    assert "“governments are urged to conduct bilateral or multilateral consultations" in text


def test_coverage_command_writes_the_document(tmp_path):
    out = tmp_path / "coverage.md"
    result = invoke("rules", "coverage", "-o", out)
    if result.returncode != 0:
        pytest.skip("the bundled catalogue does not load yet (being re-audited)")
    assert out.read_text(encoding="utf-8").startswith("# What the sources ask")


# --- the bundled ledger (passes once the catalogue re-audit is finished) ------------------


def test_the_bundled_ledger_verifies_and_holds_every_requirement_citation():
    catalogue = load_catalogue()
    ledger = load_ledger()
    assert ledger.entries, "seeds/ledger/ is empty"
    problems = ledger_problems(catalogue, ledger)
    assert problems == [], "\n".join(f"{p.location()}: [{p.code}] {p.message}" for p in problems)
    requirements = [
        (rule.id, n) for rule in catalogue.rules for n, c in enumerate(rule.citations)
        if c.role == "requirement"
    ]  # fmt: skip
    found = coverage(ledger, catalogue)
    assert requirements and all(found.requirements[k] for k in requirements)


def test_docs_coverage_is_in_sync():
    result = invoke("rules", "coverage")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8"), (
        "docs/coverage.md is stale: run `coherence rules coverage -o docs/coverage.md`"
    )


def test_rules_lint_of_the_bundled_catalogue_reports_ledger_problems(monkeypatch):
    import coherence.corpus.ledger as ledger_module

    monkeypatch.setattr(ledger_module, "default_ledger_dir", lambda: FIXTURES / "bad")
    result = invoke("rules", "lint", "--format", "json")
    assert result.returncode == 1
    bad = str(FIXTURES / "bad" / "coordination.yaml")
    assert bad in result.stdout
    for code in ("ledger-unknown-source", "ledger-quote-not-found", "ledger-missing"):
        assert f'"{code}"' in result.stdout


def test_a_passage_may_be_listed_under_two_themes(tmp_path, catalogue):
    good = FIXTURES / "good"
    for name in ("rights.yaml", "coordination.yaml"):
        (tmp_path / name).write_text((good / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "coherence.yaml").write_text(
        (good / "rights.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    ledger = load_ledger(tmp_path)
    assert [e.theme for e in ledger.entries][-1] == "coherence"
    assert ledger_problems(catalogue, ledger) == []
