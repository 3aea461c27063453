"""Every example in docs/rule-language.md is run, by both engines."""

from __future__ import annotations

import re

import pytest
import yaml

from coherence.engine.select import make_engine
from coherence.facts import profile_facts
from coherence.profile.validate import validate_document
from coherence.rules.catalog import load_catalogue
from coherence.yamlsource import YamlDocument
from tests.conftest import ENGINES, ROOT
from tests.rulepack import profile_doc, rule, write_pack

DOC = ROOT / "docs" / "rule-language.md"
EXAMPLES = [
    yaml.safe_load(block)
    for block in re.findall(r"```yaml example\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
]
TRUTH = {True: True, False: False, "unknown": None}


def test_the_document_has_examples_of_every_operator():
    text = "\n".join(yaml.safe_dump(e["condition"]) for e in EXAMPLES)
    for operator in (
        "equals",
        "in",
        "at_least",
        "at_most",
        "count",
        "instrument",
        "exists",
        "all",
        "any",
        "not",
    ):
        assert f"{operator}:" in text, operator
    assert {str(e["expect"]) for e in EXAMPLES} == {"True", "False", "unknown"}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    pack = [rule(f"DOC-{i:03d}", e["condition"]) for i, e in enumerate(EXAMPLES, 1)]
    return load_catalogue([write_pack(tmp_path_factory.mktemp("doc"), pack)])


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_evaluates_as_documented(catalogue, engine_name, index):
    example = EXAMPLES[index]
    engine, _ = make_engine(catalogue, engine_name)
    loaded = validate_document(YamlDocument("example.yaml", profile_doc(example["profile"])))
    truths = engine.truths(profile_facts(loaded))
    assert truths.conditions[(f"DOC-{index + 1:03d}", "met_when")] is TRUTH[example["expect"]]
