"""The data flows one way (profile → facts → engine → findings → assessment → reports), and
the packages show it: a lower layer never imports a higher one, not even inside a function.
Rule linting and rule tests run the pipeline, so they live above the assessment
(`coherence.ruletools`), not in the rule format package.

Reports read the assessment alone: each trace entry carries its question, each citation its
source's metadata, the assessment its scoring and bands and (for `diff`) the profile's
answers, and rule descriptors (SARIF) come through `coherence.assessment.rulebook`. So
`coherence.report` imports nothing below the assessment layer: not the profile, its facts,
the rules, the corpus or the engine. It may import the findings contract
(`coherence.findings`), the assessment layer just below it (`coherence.assessment.*`), and
the shared modules of words and helpers (`coherence.themes`, `coherence.wording`,
`coherence.citations`, `coherence.terminal`, `coherence.diagnostics`, ...)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "coherence"

# package -> the packages it must never import
FORBIDDEN = {
    "rules": ("assessment", "engine", "report", "ruletools", "cli", "questionnaire"),
    "engine": ("assessment", "report", "ruletools", "cli", "questionnaire"),
    "assessment": ("report", "ruletools", "cli", "questionnaire"),
    "report": (
        *("ruletools", "cli", "questionnaire"),  # above
        *("profile", "facts", "rules", "corpus", "engine"),  # below the assessment
    ),
    "ruletools": ("report", "cli", "questionnaire"),
}

# The one known exception: the cache of the verified catalogue also keeps the engine's
# compiled shards under the same key (rules/cache.py, imported lazily there).
ALLOWED = {("rules/cache.py", "coherence.engine.compile")}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_no_higher_layer(package: str) -> None:
    bad = []
    for path in sorted((SRC / package).rglob("*.py")):
        where = str(path.relative_to(SRC))
        for module in _imports(path):
            higher = {h for h in FORBIDDEN[package] if f"{module}.".startswith(f"coherence.{h}.")}
            if higher and (where, module) not in ALLOWED:
                bad.append(f"{where} imports {module}")
    assert not bad, bad


def test_rule_linting_and_rule_tests_live_above_the_assessment() -> None:
    assert not (SRC / "rules" / "lint.py").exists() and not (SRC / "rules" / "cases.py").exists()
    assert "coherence.assessment.decide" in _imports(SRC / "ruletools" / "cases.py")


def test_no_source_file_is_over_500_lines() -> None:
    # One concern per module: a file past 500 lines holds more than one (issue 13).
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long, long
