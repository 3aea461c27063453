"""The pre-commit hooks in .pre-commit-hooks.yaml, run by the real pre-commit in a scratch repo.

Most tests embed the published hook definitions as `repo: local` hooks with `language: system`,
so pre-commit runs the `coherence` installed next to this interpreter: offline and fast, and
exactly the hooks' entry, files, types and arguments. One test uses them as users do, from a
git copy of this checkout given as `repo:` and `rev:` (`language: python`: pre-commit
pip-installs the project into its own environment, once). That one needs the package index,
and skips when pip cannot reach it. (`pre-commit try-repo` would rebuild the environment on every call.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, PROFILES, ROOT

BIN = Path(sys.executable).parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
HOOK_IDS = ("coherence-validate", "coherence-check")

# A valid profile with no gap at all: every answer is unknown (insufficient data).
CLEAN = """\
format_version: 2
country: {code: PHL, name: Philippines}
as_of: 2025-01-01
prepared_by: Test unit
roles: [origin]
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.pop("SKIP", None)  # pre-commit's own variable for skipping hooks
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PRE_COMMIT_HOME=str(home),
        PYTHONIOENCODING="utf-8",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
    )
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 120):
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def _git(repo: Path, env: dict[str, str], *args: str) -> None:
    proc = _run(["git", *args], repo, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _init_repo(repo: Path, env: dict[str, str]) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    _git(repo, env, "init", "--quiet", "--initial-branch=main")
    _git(repo, env, "config", "user.name", "coherence tests")
    _git(repo, env, "config", "user.email", "tests@example.invalid")
    _git(repo, env, "config", "commit.gpgsign", "false")


def _pre_commit(repo: Path, env: dict[str, str], *args: str, timeout: float = 120):
    proc = _run([str(BIN / "pre-commit"), *args], repo, env, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture
def scratch(tmp_path):
    """A git repository with profiles/{good,bad,clean}.yaml, a non-profile YAML file and a
    .pre-commit-config.yaml running the published hooks as local, system hooks."""
    env = _env(tmp_path / "pre-commit-home")
    repo = tmp_path / "repo"
    _init_repo(repo, env)
    (repo / "profiles").mkdir()
    shutil.copy(PROFILES / "example-origin.yaml", repo / "profiles" / "good.yaml")
    shutil.copy(FIXTURES / "bad" / "bad-answer.yaml", repo / "profiles" / "bad.yaml")
    (repo / "profiles" / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    # YAML outside profiles/ that is not a profile: the hooks' `files` must leave it alone.
    (repo / "config").mkdir()
    (repo / "config" / "settings.yaml").write_text("answer: maybe\n", encoding="utf-8")
    local = [{**hook, "language": "system"} for hook in HOOKS]
    config = {"repos": [{"repo": "local", "hooks": local}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(repo, env, "add", "--all")
    return repo, env


def test_hook_file_defines_both_hooks():
    assert [hook["id"] for hook in HOOKS] == list(HOOK_IDS)
    entries = {hook["id"]: hook["entry"] for hook in HOOKS}
    assert entries["coherence-validate"] == "coherence validate"
    assert entries["coherence-check"] == "coherence check --fail-on gap:high"
    for hook in HOOKS:
        assert hook["language"] == "python"
        assert hook.get("pass_filenames", True) is True


def test_hook_file_passes_pre_commits_own_manifest_check():
    proc = subprocess.run(
        [str(BIN / "pre-commit"), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_validate_hook_fails_on_the_bad_profile_with_its_location(scratch):
    repo, env = scratch
    code, out = _pre_commit(repo, env, "run", "coherence-validate", "--all-files", "--color=never")
    assert code == 1, out
    assert "coherence validate" in out and "Failed" in out
    assert "profiles/bad.yaml:8:3: error[literal_error]" in out
    assert "profiles/bad.yaml:10:3: error[literal_error]" in out
    assert "did you mean 'ratified'?" in out
    # Only the profiles were passed: the YAML file under config/ was not validated.
    assert "settings.yaml" not in out


def test_validate_hook_passes_when_only_valid_profiles_remain(scratch):
    repo, env = scratch
    _git(repo, env, "rm", "--quiet", "--force", "profiles/bad.yaml")
    code, out = _pre_commit(repo, env, "run", "coherence-validate", "--all-files", "--color=never")
    assert code == 0, out
    assert "Passed" in out


def test_check_hook_fails_on_high_gaps(scratch):
    repo, env = scratch
    code, out = _pre_commit(
        repo, env, "run", "coherence-check", "--files", "profiles/good.yaml", "--color=never"
    )
    assert code == 1, out
    assert "coherence check" in out and "Failed" in out
    # Two of the bundled origin profile's high-severity gaps, and the reason for the failure.
    assert "COORD-001" in out and "RIGHTS-017" in out
    assert "at the --fail-on threshold" in out


def test_check_hook_passes_without_high_gaps(scratch):
    repo, env = scratch
    code, out = _pre_commit(
        repo, env, "run", "coherence-check", "--files", "profiles/clean.yaml", "--color=never"
    )
    assert code == 0, out
    assert "Passed" in out


def test_hooks_guard_git_commit(scratch):
    repo, env = scratch
    code, out = _pre_commit(repo, env, "install")
    assert code == 0, out
    _git(repo, env, "rm", "--quiet", "--cached", "profiles/good.yaml")
    refused = _run(["git", "commit", "-m", "bad profile"], repo, env)
    assert refused.returncode != 0
    assert "profiles/bad.yaml:8:3:" in refused.stdout + refused.stderr
    _git(repo, env, "rm", "--quiet", "--cached", "profiles/bad.yaml")
    accepted = _run(["git", "commit", "-m", "clean profile only"], repo, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


# What pip prints when it cannot reach the package index (as opposed to a packaging error).
NETWORK_ERRORS = (
    "NameResolutionError",
    "Temporary failure in name resolution",
    "Failed to establish a new connection",
    "Network is unreachable",
    "ConnectTimeoutError",
    "ReadTimeoutError",
)


def test_published_hooks_install_from_a_git_repo_and_run(tmp_path):
    """The hooks as users get them: `repo: URL` + `rev`, and pre-commit pip-installs this
    project (`language: python`) into its own environment, once, from a git copy of it."""
    # Without the package index the install fails quickly, and the test skips (see below).
    env = {**_env(tmp_path / "pre-commit-home"), "PIP_RETRIES": "1"}
    # A git copy of this checkout (its working tree, uncommitted changes included), without
    # what .gitignore keeps out: a stale build/ would otherwise leak into the install.
    ignored = [
        line.strip().rstrip("/")
        for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    project = tmp_path / "coherence"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".git", *ignored))
    _init_repo(project, env)
    _git(project, env, "add", "--all")
    _git(project, env, "commit", "--quiet", "-m", "snapshot")
    rev = _run(["git", "rev-parse", "HEAD"], project, env).stdout.strip()

    repo = tmp_path / "repo"
    _init_repo(repo, env)
    (repo / "profiles").mkdir()
    shutil.copy(PROFILES / "example-origin.yaml", repo / "profiles" / "good.yaml")
    shutil.copy(FIXTURES / "bad" / "bad-answer.yaml", repo / "profiles" / "bad.yaml")
    (repo / "profiles" / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    hooks = [{"id": hook_id} for hook_id in HOOK_IDS]
    config = {"repos": [{"repo": str(project), "rev": rev, "hooks": hooks}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(repo, env, "add", "--all")

    def run(hook: str, *files: str) -> tuple[int, str]:
        args = ["run", hook, "--color=never", "--files", *files]
        return _pre_commit(repo, env, *args, timeout=300)

    # The first run builds the environment (pip install of the project and its dependencies).
    code, out = run("coherence-validate", "profiles/bad.yaml", "profiles/good.yaml")
    if code == 3 and "Installing environment" in out and any(e in out for e in NETWORK_ERRORS):
        pytest.skip("the package index is unreachable: pre-commit cannot build the hook env")
    assert code == 1, out
    assert "profiles/bad.yaml:8:3: error[literal_error]" in out
    code, out = run("coherence-validate", "profiles/good.yaml", "profiles/clean.yaml")
    assert code == 0, out
    code, out = run("coherence-check", "profiles/good.yaml")
    assert code == 1, out
    assert "COORD-001" in out
    code, out = run("coherence-check", "profiles/clean.yaml")
    assert code == 0, out
