"""The command line's own handling of hostile paths and unexpected errors (issue 12 §3):
special files and odd paths as inputs (1, 2, 7), control characters kept off the terminal
(18), and the last-resort handler of the entry point (22)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from coherence.cli import main as cli_main
from tests.conftest import FIXTURES, ROOT, invoke, line_of

STATUSES = FIXTURES / "profiles" / "statuses.yaml"
PACK = ROOT / "examples" / "rule-pack" / "regional.yaml"
TODAY = ("--today", "2026-06-01")
CONTROL = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e")


def _clean(text: str) -> None:
    for char in CONTROL:
        assert char not in text, f"raw {char!r} reached the terminal"


pytestmark = pytest.mark.usefixtures("no_hang")  # fail, rather than hang


# --- §1: special files as profiles ----------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("command", ["validate", "check"])
def test_a_fifo_profile_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "profile.yaml"
    os.mkfifo(fifo)
    result = invoke(command, fifo)
    assert result.returncode == 2
    out = result.stdout + result.stderr
    assert f"{fifo}: error[unreadable] cannot read: not a regular file: it is a named pipe" in out


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_as_a_profile_is_refused() -> None:
    result = invoke("validate", "/dev/zero")
    assert result.returncode == 2
    assert "not a regular file: it is a character device" in result.stdout


# --- §2: empty folders, symlink loops and dangling symlinks are named ----------------------


def test_an_empty_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    shutil.copy(STATUSES, tmp_path / "ok.yaml")
    result = invoke("validate", tmp_path / "ok.yaml", tmp_path / "empty")
    assert result.returncode == 2
    assert f"{tmp_path / 'empty'}: no profile files (*.yaml, *.yml) in this folder" in result.stderr


def test_hidden_folders_and_files_are_not_searched(tmp_path: Path) -> None:
    """A country's repository: `.git`, `.venv` and `.github` hold YAML that is no profile."""
    shutil.copy(STATUSES, tmp_path / "ok.yaml")
    for hidden in (".git/config.yaml", ".venv/lib/x.yml", ".github/workflows/ci.yaml"):
        (tmp_path / hidden).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / hidden).write_text("name: not a profile\n", encoding="utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    shutil.copy(STATUSES, tmp_path / "sub" / "also.yml")
    result = invoke("validate", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 files checked: 2 valid" in result.stdout + result.stderr
    # Named on the command line, a hidden file is read like any other.
    assert invoke("validate", tmp_path / ".git" / "config.yaml").returncode != 0


def test_a_symlink_loop_is_named_as_one(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = invoke("validate", loop)
    assert result.returncode == 2
    assert f"{loop}: a symbolic link loop" in result.stderr
    assert "no such file" not in result.stderr


def test_a_dangling_symlink_is_named_as_one(tmp_path: Path) -> None:
    link = tmp_path / "profile.yaml"
    link.symlink_to(tmp_path / "moved.yaml")
    result = invoke("check", link)
    assert result.returncode == 2
    assert f"{link}: a dangling symbolic link (its target {tmp_path / 'moved.yaml'}" in (
        result.stderr
    )


# --- §7: odd entries in a --rules folder -------------------------------------------------------


@pytest.fixture
def odd_pack(tmp_path: Path) -> Path:
    """A rule pack with a good file, a folder named like a rule file (holding nothing), a
    dangling symlink and a symlink loop, both named like rule files."""
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copy(PACK, pack / "regional.yaml")
    (pack / "folder.yaml").mkdir()
    (pack / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    (pack / "loop.yml").symlink_to(pack / "loop.yml")
    return pack


def test_check_names_each_odd_entry_of_a_rule_folder(odd_pack: Path) -> None:
    result = invoke("check", *TODAY, STATUSES, "--rules", odd_pack)
    assert result.returncode == 2
    assert f"{odd_pack / 'dangling.yaml'}: error[unreadable] cannot read: a dangling" in (
        result.stderr
    )
    assert f"{odd_pack / 'loop.yml'}: error[unreadable] cannot read: a symbolic link loop" in (
        result.stderr
    )
    assert "folder.yaml" not in result.stderr  # a folder is searched, not read
    assert "the rule catalogue has 2 problem(s)" in result.stderr


def test_rules_lint_names_each_odd_entry(odd_pack: Path) -> None:
    result = invoke("rules", "lint", "--no-bundled", odd_pack)
    assert result.returncode == 1
    assert f"{odd_pack / 'dangling.yaml'}: error[unreadable]" in result.stdout
    assert f"{odd_pack / 'loop.yml'}: error[unreadable]" in result.stdout


def test_a_folder_named_like_a_rule_file_is_searched(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "nested.yaml").mkdir(parents=True)
    shutil.copy(PACK, pack / "nested.yaml" / "regional.yaml")
    result = invoke("rules", "list", "--rules", pack)
    assert result.returncode == 0, result.stderr
    assert "REG-" in result.stdout or "regional" in result.stdout.lower()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_in_a_rule_folder_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    os.mkfifo(pack / "pipe.yaml")
    result = invoke("rules", "lint", "--no-bundled", pack)
    assert result.returncode == 1
    assert "not a regular file: it is a named pipe" in result.stdout


# --- §18: control characters never reach the terminal -------------------------------------


def _hostile_profile(tmp_path: Path) -> Path:
    """statuses.yaml with escape sequences in the country name (OSC title, CSI clear screen,
    8-bit CSI, BEL, a right-to-left override), written as YAML escapes."""
    text = STATUSES.read_text(encoding="utf-8")
    hostile = r'"Statusland\e]0;pwned\a\e[2J\x9b31m\u202Eevil"'
    assert "name: Statusland" in text
    path = tmp_path / "hostile.yaml"
    path.write_text(text.replace("name: Statusland", f"name: {hostile}"), encoding="utf-8")
    return path


def test_check_refuses_escape_sequences_and_shows_none(tmp_path: Path) -> None:
    """Escape sequences written in quoted YAML are refused at their line (an attack round
    found them reaching Markdown, CSV and HTML raw); no output carries them raw."""
    hostile = _hostile_profile(tmp_path)
    for fmt in ("text", "github", "markdown", "csv", "html"):
        result = invoke("check", *TODAY, hostile, "-f", fmt)
        assert result.returncode == 2, (fmt, result.stdout)
        _clean(result.stdout + result.stderr)
        assert f"hostile.yaml:{line_of(hostile, 'Statusland')}:" in result.stderr
        assert "U+001B" in result.stderr


def test_diagnostics_show_control_characters(tmp_path: Path) -> None:
    profile = tmp_path / "bad.yaml"
    text = STATUSES.read_text(encoding="utf-8")
    profile.write_text(text.replace("rights:\n", 'rights:\n  "x\\e]0;pwned\\a": yes\n'), "utf-8")
    for fmt in ("text", "github"):
        result = invoke("validate", "-f", fmt, profile)
        assert result.returncode == 1
        _clean(result.stdout + result.stderr)
        assert "U+001B" in result.stdout


def test_file_names_with_control_characters_are_shown(tmp_path: Path) -> None:
    name = tmp_path / "a\x1b[2Jb.yaml"
    result = invoke("validate", name)
    assert result.returncode == 2
    _clean(result.stderr)
    assert r"a\x1b[2Jb.yaml: no such file or folder" in result.stderr


@pytest.mark.parametrize("command", ["compare", "check"])
def test_a_usage_error_naming_a_file_with_a_line_break_is_one_line(tmp_path, command) -> None:
    """`compare` of two profiles of one date, one named `new<line break>line.yaml`, and
    `check -o` onto that input printed the name's line break raw: the error in two lines
    (attack round 5); problems in files show it as a backslash and n."""
    old, new = tmp_path / "old.yaml", tmp_path / "new\nline.yaml"
    shutil.copy(ROOT / "profiles" / "example-origin.yaml", old)
    shutil.copy(old, new)
    args = [old, new, "-f", "csv"] if command == "compare" else [new, "-o", new]
    result = invoke(command, *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("coherence: error: ")
    assert str(tmp_path / "new\\nline.yaml") in result.stderr


def test_diff_refuses_escape_sequences_and_shows_none(tmp_path: Path) -> None:
    old = _hostile_profile(tmp_path)
    new = tmp_path / "new.yaml"
    new.write_text(
        old.read_text(encoding="utf-8").replace("as_of: 2026-01-01", "as_of: 2026-02-01"), "utf-8"
    )
    result = invoke("diff", *TODAY, old, new)
    assert result.returncode == 2, result.stdout
    _clean(result.stdout + result.stderr)


def test_rule_files_refuse_escape_sequences_and_show_none(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    text = PACK.read_text(encoding="utf-8")
    (pack / "regional.yaml").write_text(
        re.sub(
            r"(?m)^    title: (A country.*)$",
            lambda m: f'    title: "\\e]0;pwned\\a {m[1]}"',
            text,
            count=1,
        ),
        encoding="utf-8",
    )
    for args in (["rules", "list", "--rules", pack], ["rules", "lint", pack]):
        result = invoke(*args)
        assert result.returncode in (1, 2), (args, result.stdout)
        _clean(result.stdout + result.stderr)
        assert "U+001B" in result.stdout + result.stderr


# --- §22: the last-resort handler -------------------------------------------------------


@pytest.fixture
def broken_schema(monkeypatch):
    """`coherence schema` with a bug: the schema builder raises."""
    import coherence.profile.schema as schema

    def boom(*args, **kwargs):
        raise RuntimeError("boom\nsecond line \x1b]0;pwned\x07")

    monkeypatch.setattr(schema, "profile_schema", boom)
    monkeypatch.delenv(cli_main.DEBUG_ENV, raising=False)


def _run(monkeypatch, *argv: str) -> int:
    monkeypatch.setattr(sys, "argv", ["coherence", *argv])
    with pytest.raises(SystemExit) as exit_:
        cli_main.run()
    return exit_.value.code  # type: ignore[return-value]


def test_an_unexpected_error_is_one_plain_line(monkeypatch, capsys, broken_schema) -> None:
    assert _run(monkeypatch, "schema") == cli_main.INTERNAL_ERROR
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(r"coherence: internal error (RuntimeError: boom second line \x1b]0;")
    assert "please report it" in err and "--debug" in err and "COHERENCE_DEBUG=1" in err
    _clean(err)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_keeps_the_traceback(monkeypatch, broken_schema, how: str) -> None:
    argv = ["--debug", "schema"] if how == "flag" else ["schema"]
    if how == "env":
        monkeypatch.setenv(cli_main.DEBUG_ENV, "1")
    monkeypatch.setattr(sys, "argv", ["coherence", *argv])
    with pytest.raises(RuntimeError, match="boom"):
        cli_main.run()


def test_debug_zero_is_off(monkeypatch, capsys, broken_schema) -> None:
    monkeypatch.setenv(cli_main.DEBUG_ENV, "0")
    assert _run(monkeypatch, "schema") == cli_main.INTERNAL_ERROR
    assert "Traceback" not in capsys.readouterr().err


def test_usage_errors_keep_their_exit_code(monkeypatch, capsys) -> None:
    assert _run(monkeypatch, "validate", "/nonexistent/x.yaml") == 2
    assert "no such file or folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ("rules", "lint", "/nonexistent/rules"),
        ("rules", "lint", "--no-bundled", "--format", "json", "/nonexistent/rules"),
        ("rules", "test", "--no-bundled", "/nonexistent/rules"),
        ("check", "-r", "/nonexistent/rules", "profiles/example-transit.yaml"),
    ],
)
def test_a_missing_rule_folder_is_a_usage_error_for_every_command(monkeypatch, capsys, argv):
    """An attack round found `rules lint` exiting 1 (a problem in the rules) for a folder that
    does not exist, where every other command exits 2 for a missing input."""
    monkeypatch.chdir(ROOT)
    assert _run(monkeypatch, *argv) == 2
    out, err = capsys.readouterr()
    assert "/nonexistent/rules: error[no-such-path] no such rule file or folder" in err
    assert out == ""


def test_the_debug_flag_is_accepted_when_nothing_goes_wrong() -> None:
    result = invoke("--debug", "schema")
    assert result.returncode == 0 and json.loads(result.stdout)
