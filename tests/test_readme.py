"""The README's two set-up commands are real: CI runs the test one, the other runs the tool."""

from __future__ import annotations

import re
import shlex

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```sh\n(.*?)\n```", README, re.S)


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = next(b for b in BLOCKS if "pytest" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_main_job_command_checks_a_bundled_profile(cli_subprocess):
    # A real process: the README's command, run through the installed console script.
    main = next(b for b in BLOCKS if "coherence check" in b)
    install, run = (part.strip() for part in main.split("&&"))
    assert install == "python -m pip install ."
    words = shlex.split(run)
    assert words[:2] == ["coherence", "check"] and (ROOT / words[2]).is_file()
    result = cli_subprocess(*words[1:])
    assert result.returncode == 0, result.stderr
    assert "Gaps" in result.stdout and "Overall" in result.stdout


def test_readme_documents_every_command_and_exit_code(cli):
    help_text = cli("--help").stdout
    for command in ("check", "validate", "rules", "schema", "template"):
        assert command in help_text
        assert f"coherence {command}" in README
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in README
