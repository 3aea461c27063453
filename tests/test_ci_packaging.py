"""The CI integration files: action.yml, .pre-commit-hooks.yaml and examples/ci/.

Their structure is checked with yaml.safe_load and against the JSON Schemas that
check-jsonschema ships (offline); the composite action's scripts are run for real with bash,
as GitHub runs them, against the installed `coherence`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, PROFILES, ROOT

BIN = Path(sys.executable).parent
CI = ROOT / "examples" / "ci"


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


ACTION = _load(ROOT / "action.yml")
HOOKS = _load(ROOT / ".pre-commit-hooks.yaml")
WORKFLOW = _load(CI / "github-workflow.yml")
GITLAB = _load(CI / "gitlab-ci.yml")

EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
INPUT_REF = re.compile(r"\binputs\.([A-Za-z_][A-Za-z0-9_-]*)")
CLEAN = "format_version: 2\ncountry: {code: PHL, name: Philippines}\nas_of: 2025-01-01\nprepared_by: Test unit\nroles: [origin]\n"


def _strings(node):
    """Every string in a parsed YAML document, keys included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, str):
        yield node


def _steps(action=ACTION):
    return action["runs"]["steps"]


# --- action.yml ------------------------------------------------------------------------------


def test_action_metadata():
    assert ACTION["name"] and ACTION["description"]
    assert ACTION["runs"]["using"] == "composite"
    defaults = {name: spec.get("default") for name, spec in ACTION["inputs"].items()}
    assert defaults == {
        "paths": "profiles",
        "format": "sarif",
        "output": "",
        "fail-on": "gap:high",
        "baseline": "",
        "python-version": "3.12",
        "rules": "",
    }
    assert all(spec.get("description") for spec in ACTION["inputs"].values())
    assert "report" in ACTION["outputs"]


def test_action_steps_set_up_python_then_install_then_validate_then_check():
    steps = _steps()
    assert steps[0]["uses"].startswith("actions/setup-python@v5")
    assert "inputs.python-version" in steps[0]["with"]["python-version"]
    runs = [step["run"] for step in steps if "run" in step]
    assert "pip install" in runs[0] and "$GITHUB_ACTION_PATH" in runs[0]
    assert "coherence validate --format github" in runs[1]
    assert "coherence check" in runs[2]


def test_every_run_step_names_its_shell():
    for step in _steps():
        if "run" in step:
            assert step.get("shell") == "bash", step


def test_every_referenced_input_exists_and_every_input_is_used():
    referenced = {
        name
        for text in _strings(ACTION)
        for expression in EXPRESSION.findall(text)
        for name in INPUT_REF.findall(expression)
    }
    assert referenced == set(ACTION["inputs"])


def test_inputs_reach_scripts_through_env_only():
    # `${{ }}` inside `run:` is pasted into the script before bash parses it: an injection.
    for step in _steps():
        if "run" in step:
            assert "${{" not in step["run"], step["name"]


def test_action_output_comes_from_a_step_that_sets_it():
    match = re.fullmatch(
        r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}", ACTION["outputs"]["report"]["value"]
    )
    assert match, ACTION["outputs"]["report"]
    step_id, name = match.groups()
    (step,) = [s for s in _steps() if s.get("id") == step_id]
    assert f'echo "{name}=' in step["run"] and "$GITHUB_OUTPUT" in step["run"]


# --- the action's scripts, run for real --------------------------------------------------------


def _expand(value: str, inputs: dict[str, str]) -> str:
    """Evaluate the `${{ inputs.X }}` expressions of a step's env, as GitHub would."""

    def one(match: re.Match[str]) -> str:
        (name,) = re.fullmatch(r"\s*inputs\.([\w-]+)\s*", match.group(1)).groups()
        return inputs[name]

    return EXPRESSION.sub(one, value)


def run_action(workspace: Path, **overrides: str) -> tuple[list[subprocess.CompletedProcess], str]:
    """Run the action's scripts in WORKSPACE (setup-python and the pip install left out: the
    tests use the installed coherence). Stops at the first failing step, like GitHub."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update({name.replace("_", "-"): value for name, value in overrides.items()})
    outputs = workspace.parent / "github_output"
    outputs.write_text("", encoding="utf-8")
    base = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_WORKSPACE": str(workspace),
        "PYTHONIOENCODING": "utf-8",
    }
    results = []
    for step in _steps():
        if "run" not in step or "pip install" in step["run"]:
            continue
        env = {**base, **{k: _expand(str(v), inputs) for k, v in step.get("env", {}).items()}}
        script = workspace.parent / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        results.append(proc)
        if proc.returncode != 0:
            break
    return results, outputs.read_text(encoding="utf-8")


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "workspace"
    (root / "profiles").mkdir(parents=True)
    return root


def _codes(results):
    return [proc.returncode for proc in results]


def test_action_passes_on_a_profile_without_high_gaps(workspace):
    (workspace / "profiles" / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    results, outputs = run_action(workspace)
    assert _codes(results) == [0, 0], [p.stderr for p in results]
    assert "report=coherence.sarif" in outputs.splitlines()
    sarif = json.loads((workspace / "coherence.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"


def test_action_fails_on_high_gaps_with_annotations_and_still_writes_the_report(workspace):
    shutil.copy(PROFILES / "example-origin.yaml", workspace / "profiles" / "origin.yaml")
    results, outputs = run_action(workspace)
    assert _codes(results) == [0, 1]
    check = results[-1]
    assert "::" in check.stdout and "file=profiles/origin.yaml" in check.stdout
    assert "COORD-001" in check.stdout
    assert "at the --fail-on threshold" in check.stderr
    assert (workspace / "coherence.sarif").is_file()
    assert "report=coherence.sarif" in outputs.splitlines()


def test_action_stops_on_an_invalid_profile_with_located_annotations(workspace):
    shutil.copy(FIXTURES / "bad" / "bad-answer.yaml", workspace / "profiles" / "bad.yaml")
    results, _ = run_action(workspace)
    assert _codes(results) == [1]
    assert "::error file=profiles/bad.yaml,line=8,col=3" in results[0].stdout


def test_action_fail_on_lists_and_empty(workspace):
    shutil.copy(PROFILES / "example-origin.yaml", workspace / "profiles" / "origin.yaml")
    results, _ = run_action(workspace, fail_on="")
    assert _codes(results) == [0, 0]
    (workspace / "profiles" / "origin.yaml").unlink()
    (workspace / "profiles" / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    results, _ = run_action(workspace, fail_on="gap:high")
    assert _codes(results) == [0, 0]
    # Two thresholds separated by whitespace: the second one catches the clean profile's
    # high-severity unknowns.
    results, _ = run_action(workspace, fail_on="gap:high\n insufficient_data:high")
    assert _codes(results) == [0, 1]


def test_action_baseline_rules_and_format(workspace, cli):
    shutil.copy(PROFILES / "example-origin.yaml", workspace / "profiles" / "origin.yaml")
    made = cli("baseline", "profiles/origin.yaml", "--output", "baseline.json", cwd=workspace)
    assert made.returncode == 0, made.stderr
    shutil.copytree(ROOT / "examples" / "rule-pack", workspace / "extra rules")
    results, outputs = run_action(
        workspace,
        baseline="baseline.json",
        rules="extra\\ rules",
        format="json",
        output="out/report.json",
    )
    # A folder name with a space cannot be given (inputs split on whitespace): no quoting trick
    # reaches the shell, so the run fails on a missing folder instead.
    assert _codes(results) == [0, 2]
    (workspace / "extra rules").rename(workspace / "extra-rules")
    (workspace / "out").mkdir()
    results, outputs = run_action(
        workspace,
        baseline="baseline.json",
        rules="extra-rules",
        format="json",
        output="out/report.json",
    )
    assert _codes(results) == [0, 0], results[-1].stderr
    report = json.loads((workspace / "out" / "report.json").read_text(encoding="utf-8"))
    findings = [f for a in report["assessments"] for f in a["findings"]]
    assert any(f["rule_id"].startswith("REGIONAL-") for f in findings)
    assert any(r.startswith("REGIONAL-") for r in report["rules"])
    assert "report=out/report.json" in outputs.splitlines()


@pytest.mark.parametrize(
    ("format", "written"),
    [("junit", "coherence.xml"), ("markdown", "coherence.md"), ("HTML", "coherence.html")],
)
def test_action_output_name_follows_the_format(workspace, format, written):
    # Without an output, the file is named after the format, so coherence reads the two as
    # agreeing (a junit report in "coherence.sarif" would be refused as a contradiction).
    (workspace / "profiles" / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    results, outputs = run_action(workspace, format=format)
    assert _codes(results) == [0, 0], [p.stderr for p in results]
    assert f"report={written}" in outputs.splitlines()
    assert (workspace / written).is_file()
    assert [p.name for p in workspace.iterdir() if p.is_file()] == [written]


def test_action_inputs_cannot_inject_commands(workspace):
    (workspace / "profiles" / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    results, _ = run_action(
        workspace, paths="profiles $(touch pwned1) `touch pwned2` ; touch pwned3"
    )
    assert _codes(results) == [2]  # no such files as "$(touch" or ";"
    results, _ = run_action(workspace, fail_on='gap:high"; touch pwned4; "')
    assert _codes(results) == [0, 2]  # not a threshold
    results, outputs = run_action(workspace, output="x.sarif\nreport=/etc/passwd")
    assert _codes(results) == [0, 2]
    assert "/etc/passwd" not in outputs
    assert not list(workspace.glob("pwned*"))
    assert not list(workspace.parent.glob("pwned*"))


# --- the example workflows -----------------------------------------------------------------------


def test_github_workflow():
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    triggers = WORKFLOW.get("on", WORKFLOW.get(True))
    assert {"push", "pull_request"} <= set(triggers)
    (job,) = WORKFLOW["jobs"].values()
    permissions = {**WORKFLOW.get("permissions", {}), **job.get("permissions", {})}
    assert permissions["security-events"] == "write"
    assert permissions["contents"] == "read"
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    (action,) = [s for s in steps if s.get("uses") == "./"]
    (upload,) = [
        s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@v3")
    ]
    assert "always()" in upload["if"]
    assert action["with"]["format"] == "sarif"
    report = action["with"]["output"]
    assert upload["with"]["sarif_file"] == report
    assert report in upload["if"]  # the guard names the file the action writes
    assert set(action["with"]) <= set(ACTION["inputs"])
    assert "<org>/coherence@v1" in (CI / "github-workflow.yml").read_text(encoding="utf-8")


def test_gitlab_job():
    jobs = {name: job for name, job in GITLAB.items() if isinstance(job, dict) and "script" in job}
    (job,) = jobs.values()
    script = " ".join(job["script"])
    assert "pip install" in script
    assert (
        "coherence check --format junit --output coherence-junit.xml --fail-on gap:high profiles/"
        in script
    )
    assert job["artifacts"]["reports"]["junit"] == "coherence-junit.xml"
    assert job["artifacts"]["when"] == "always"


def test_ci_readme_baseline_commands():
    text = (CI / "README.md").read_text(encoding="utf-8")
    assert "coherence baseline profiles/*.yaml --output coherence-baseline.json" in text
    assert "--baseline coherence-baseline.json" in text


def test_pre_commit_hooks_have_required_keys():
    assert {hook["id"] for hook in HOOKS} == {"coherence-validate", "coherence-check"}
    for hook in HOOKS:
        assert (
            hook["name"] and hook["entry"].startswith("coherence ") and hook["language"] == "python"
        )
        assert re.search(hook["files"], "profiles/nepal.yaml")
        assert re.search(hook["files"], "profiles/nepal.yml")
        assert not re.search(hook["files"], ".github/workflows/ci.yml")


# --- JSON Schemas vendored in check-jsonschema (no network) -------------------------------------

SCHEMAS = [
    ("vendor.github-actions", ROOT / "action.yml"),
    ("vendor.github-workflows", CI / "github-workflow.yml"),
    ("vendor.gitlab-ci", CI / "gitlab-ci.yml"),
]


@pytest.mark.parametrize(("schema", "path"), SCHEMAS, ids=[s for s, _ in SCHEMAS])
def test_files_match_their_published_schema(schema, path):
    tool = BIN / "check-jsonschema"
    command = [str(tool)] if tool.exists() else [sys.executable, "-m", "check_jsonschema"]
    proc = subprocess.run(
        [*command, "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- .ci/run: both ends of the dependency range -------------------------------------------------

CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def _ci_install_target() -> str:
    """What the README's test command installs, e.g. `.[test]`: every run installs the same."""
    match = re.search(r'^python -m pip install "(\.\[[\w,]+\])" && python -m pytest$', CI_RUN, re.M)
    assert match, "the README's test command is not in .ci/run"
    return match.group(1)


def _ci_run_on(version: str) -> tuple[str, list[str]]:
    """The venv .ci/run makes with Python VERSION, and the commands it runs when VERSION is
    found (comments and blank lines dropped). Asserts the run prints a skip line otherwise."""
    probe = re.search(rf'^(\w+)="\$\(find_python {re.escape(version)}\)"$', CI_RUN, re.M)
    assert probe, f".ci/run does not look for Python {version}"
    variable = probe.group(1)
    block = re.search(
        rf'^if \[ -n "\${variable}" \]; then\n(.*?)^else\n(.*?)^fi$', CI_RUN, re.M | re.S
    )
    assert block, f'no `if [ -n "${variable}" ]; then ... else ... fi` in .ci/run'
    found, missing = block.groups()
    assert re.fullmatch(
        rf'\s*echo "Python {re.escape(version)} not found[^"]*skipped[^"]*"\s*', missing
    )
    commands = [line.strip() for line in found.splitlines()]
    commands = [line for line in commands if line and not line.startswith("#")]
    venv = re.search(rf'^"\${variable}" -m venv "\$(\w+)"$', "\n".join(commands), re.M)
    assert venv, f"no venv made with ${variable}"
    return venv.group(1), commands


def _index(commands: list[str], predicate) -> int:
    hits = [i for i, command in enumerate(commands) if predicate(command)]
    assert hits, commands
    return hits[0]


def test_ci_probes_python_like_the_313_run_and_parses():
    assert "find_python() {" in CI_RUN
    assert '"$HOME"/.pyenv/versions/"$1"*/bin/python"$1"' in CI_RUN
    bash = shutil.which("bash")
    if bash:
        proc = subprocess.run(
            [bash, "-n", str(ROOT / ".ci" / "run")], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stderr


def test_ci_runs_the_suite_with_the_lowest_versions_on_the_lowest_python():
    lowest = re.search(r'^requires-python = ">=(3\.\d+)"$', PYPROJECT, re.M).group(1)
    assert f'"Programming Language :: Python :: {lowest}",' in PYPROJECT
    venv, commands = _ci_run_on(lowest)
    install = _index(
        commands,
        lambda c: (
            " pip install " in c
            and "--resolution lowest-direct" in c
            and f'--python "${venv}/bin/python"' in c
            and c.endswith(f' "{_ci_install_target()}"')
        ),
    )
    assert commands[install].startswith('"$uv_env/bin/uv" pip install ')
    assert 'python3 -m venv "$uv_env"' in commands[:install]
    assert any(re.search(r'pip install --quiet "uv[<>=,.\d]*"$', c) for c in commands[:install])
    activate = _index(commands, lambda c: c == f'source "${venv}/bin/activate"')
    pytest_run = _index(commands, lambda c: c.startswith("python -m pytest"))
    assert install < activate < pytest_run
    # The lowest ruff is held to the tree too.
    assert "ruff check --no-cache src tests benchmarks" in commands[activate:]
    assert "ruff format --no-cache --check src tests benchmarks" in commands[activate:]


def test_ci_runs_the_suite_with_the_newest_versions_on_python_312():
    venv, commands = _ci_run_on("3.12")
    activate = _index(commands, lambda c: c == f'source "${venv}/bin/activate"')
    # A plain install, as a user's: no resolution strategy, constraint or pin picks older.
    install = _index(commands, lambda c: " pip install " in c and "--upgrade pip" not in c)
    assert commands[install] == f'python -m pip install --quiet "{_ci_install_target()}"'
    pytest_run = _index(commands, lambda c: c.startswith("python -m pytest"))
    assert activate < install < pytest_run
    assert "COHERENCE_REQUIRE_BROWSER=0" not in CI_RUN and "COHERENCE_REQUIRE_PDF=0" not in CI_RUN
