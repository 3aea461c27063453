"""`--output`: special files written through, inputs never overwritten, temporary files
named, removed on SIGTERM and cleaned after SIGKILL (issue 12 §3.14-16, 22).

These run the real CLI in-process (typer's CliRunner); the SIGTERM test needs a real process.
Nothing here writes to a device or FIFO it did not create in `tmp_path`: as root, a bug
would otherwise replace /dev/null for every process on the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from coherence.cli.output import ABANDONED_AFTER, STALE_AFTER, TEMP_PREFIX, write_atomic
from tests.conftest import FIXTURES, ROOT, invoke

STATUSES = FIXTURES / "profiles" / "statuses.yaml"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


@pytest.fixture(autouse=True)
def never_replace_system_files(monkeypatch):
    """Should a regression try to rename a file over /dev/stdout (or anything in /dev or /proc),
    fail the test instead of breaking the machine."""
    real_replace, real_rename = os.replace, os.rename

    def guard(real):
        def checked(src, dst, *args, **kwargs):
            where = os.path.abspath(dst)
            assert not where.startswith(("/dev/", "/proc/")), f"would replace {where}"
            return real(src, dst, *args, **kwargs)

        return checked

    monkeypatch.setattr(os, "replace", guard(real_replace))
    monkeypatch.setattr(os, "rename", guard(real_rename))


def _schema_text() -> str:
    result = invoke("schema")
    assert result.returncode == 0, result.stderr
    return result.stdout


def _read_fifo_in_background(fifo: Path) -> tuple[threading.Thread, list[str]]:
    got: list[str] = []

    def read() -> None:
        with open(fifo, encoding="utf-8") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, got


# --- §14: special files are written through, never replaced -----------------------------


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_reach_standard_output(target: str) -> None:
    # /dev/stdout is recognised by name: it is never opened, let alone replaced.
    before = os.lstat("/dev/stdout") if os.path.lexists("/dev/stdout") else None
    result = invoke("schema", "-o", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout == _schema_text()
    if before is not None:
        after = os.lstat("/dev/stdout")
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


@needs_fifo
def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    thread, got = _read_fifo_in_background(fifo)
    result = invoke("schema", "-o", fifo)
    thread.join(10)
    assert result.returncode == 0, result.stderr
    assert got == [_schema_text()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


@needs_fifo
def test_a_fifo_is_written_through_by_check(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    thread, got = _read_fifo_in_background(fifo)
    result = invoke("check", "--today", "2026-06-01", STATUSES, "-o", fifo)
    thread.join(10)
    assert result.returncode == 0, result.stderr
    assert got and "Statusland" in got[0]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_character_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    # Our own node with the numbers of /dev/null, made in tmp_path (the real one is never used).
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    result = invoke("schema", "-o", node)
    assert result.returncode == 0, result.stderr
    info = os.lstat(node)
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_symlink_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    # As with /dev/stdout -> /proc/self/fd/1: the link is kept, its target written.
    target = tmp_path / "real.json"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = invoke("schema", "--force", "-o", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == _schema_text()


def test_a_symlink_to_a_fifo_is_written_through(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.json"
    link.symlink_to(fifo)
    thread, got = _read_fifo_in_background(fifo)
    result = invoke("schema", "-o", link)
    thread.join(10)
    assert result.returncode == 0, result.stderr
    assert got == [_schema_text()]
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_loop_and_a_folder_are_refused_by_name(tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    result = invoke("schema", "-o", loop)
    assert result.returncode == 2
    assert f"{loop}: cannot write: a symbolic link loop" in result.stderr
    result = invoke("schema", "-o", tmp_path)
    assert result.returncode == 2 and "is a folder" in result.stderr


# --- §15: inputs are never overwritten --------------------------------------------------


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """A profile, a rule pack, a template folder and a baseline, with known contents."""
    profile = tmp_path / "profile.yaml"
    profile.write_bytes(STATUSES.read_bytes())
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "regional.yaml").write_text("rules: []\n", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "styles.css.j2").write_text("body { color: black; }\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps({"format_version": 1, "tool": "coherence", "profiles": {}}), encoding="utf-8"
    )
    return {
        "profile": profile,
        "pack": pack,
        "rule file": pack / "regional.yaml",
        "templates": templates,
        "template": templates / "styles.css.j2",
        "baseline": baseline,
    }


def _unchanged(inputs: dict[str, Path], before: dict[Path, bytes]) -> None:
    for path, content in before.items():
        assert path.read_bytes() == content, f"{path} was overwritten"


def _snapshot(inputs: dict[str, Path]) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in inputs.values() if p.is_file()}


@pytest.mark.parametrize("victim", ["profile", "rule file", "template", "baseline"])
def test_check_refuses_to_overwrite_any_input(inputs: dict[str, Path], victim: str) -> None:
    before = _snapshot(inputs)
    result = invoke(
        "check",
        inputs["profile"],
        "--rules",
        inputs["pack"],
        "--template-dir",
        inputs["templates"],
        "--baseline",
        inputs["baseline"],
        "-f",
        "html",
        "-o",
        inputs[victim],
    )
    assert result.returncode == 2
    assert f"{inputs[victim]}: refusing to overwrite an input file" in result.stderr
    _unchanged(inputs, before)


def test_check_refuses_a_new_file_inside_the_template_folder(inputs: dict[str, Path]) -> None:
    target = inputs["templates"] / "report.html.j2"
    result = invoke(
        "check",
        inputs["profile"],
        "--template-dir",
        inputs["templates"],
        "-f",
        "html",
        "-o",
        target,
    )
    assert result.returncode == 2 and "refusing to overwrite an input file" in result.stderr
    assert not target.exists()


def test_a_symlink_to_an_input_is_refused(inputs: dict[str, Path], tmp_path: Path) -> None:
    before = _snapshot(inputs)
    link = tmp_path / "innocent.txt"
    link.symlink_to(inputs["rule file"])
    result = invoke("check", inputs["profile"], "--rules", inputs["pack"], "-o", link)
    assert result.returncode == 2 and "refusing to overwrite an input file" in result.stderr
    _unchanged(inputs, before)


@pytest.mark.parametrize(
    "command",
    [
        ["baseline", "{profile}", "--rules", "{pack}", "-o", "{rule file}"],
        ["compare", "{profile}", "--rules", "{pack}", "-o", "{rule file}"],
        ["rules", "doc", "--rules", "{pack}", "-o", "{rule file}"],
    ],
    ids=["baseline", "compare", "rules-doc"],
)
def test_other_commands_refuse_to_overwrite_rule_packs(
    inputs: dict[str, Path], command: list[str]
) -> None:
    before = _snapshot(inputs)
    args = [a.format(**{k: str(v) for k, v in inputs.items()}) for a in command]
    result = invoke(*args)
    assert result.returncode == 2
    assert "refusing to overwrite an input file" in result.stderr
    _unchanged(inputs, before)


def test_bundled_rule_files_are_inputs_too(tmp_path: Path) -> None:
    from coherence.resources import data_dir

    # The rule files the tool itself loads (an installed copy in CI, never the checkout's).
    bundled = sorted((data_dir() / "rules").glob("*.yaml"))[0]
    before = bundled.read_bytes()
    result = invoke("rules", "doc", "-o", bundled)
    assert result.returncode == 2 and "refusing to overwrite an input file" in result.stderr
    assert bundled.read_bytes() == before


# --- §22: `schema -o` refuses an existing file, as `template -o` does ------------------------


@pytest.mark.parametrize("command", [["schema"], ["schema", "--rules"], ["template"]])
def test_existing_files_are_kept_unless_forced(tmp_path: Path, command: list[str]) -> None:
    mine = tmp_path / "my-country.yaml"
    mine.write_text("my answers\n", encoding="utf-8")
    result = invoke(*command, "-o", mine)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert "give --force to replace it" in result.stderr
    assert mine.read_text(encoding="utf-8") == "my answers\n"
    result = invoke(*command, "--force", "-o", mine)
    assert result.returncode == 0, result.stderr
    assert mine.read_text(encoding="utf-8") != "my answers\n"


# --- §16: temporary files -----------------------------------------------------------------


def test_temporary_files_have_a_recognisable_name(tmp_path: Path, monkeypatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(tmp_path / "report.md", "text\n")
    (name,) = seen
    assert name.startswith(f"{TEMP_PREFIX}{os.getpid()}-") and name.endswith("-report.md")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temporary_files_are_removed_by_a_later_run(tmp_path: Path) -> None:
    old = time.time() - STALE_AFTER - 60
    dead = _dead_pid()
    stale = tmp_path / f"{TEMP_PREFIX}{dead}-abcd1234-report.json"
    abandoned = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-abcd1234-report.json"
    fresh = tmp_path / f"{TEMP_PREFIX}{dead}-efgh5678-report.json"  # maybe still being written
    live = tmp_path / f"{TEMP_PREFIX}{os.getppid()}-ijkl9012-report.json"  # a running process
    other = tmp_path / ".report.json.tmp"  # not ours
    for path in (stale, abandoned, fresh, live, other):
        path.write_text("partial", encoding="utf-8")
    for path in (stale, live, other):
        os.utime(path, (old, old))
    very_old = time.time() - ABANDONED_AFTER - 60
    os.utime(abandoned, (very_old, very_old))
    result = invoke("schema", "-o", tmp_path / "schema.json")
    assert result.returncode == 0, result.stderr
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {fresh.name, live.name, other.name, "schema.json"}


def test_a_symlink_named_like_a_temporary_file_is_left_alone(tmp_path: Path) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("keep\n", encoding="utf-8")
    link = tmp_path / f"{TEMP_PREFIX}{_dead_pid()}-abcd1234-x"
    link.symlink_to(victim)
    old = time.time() - ABANDONED_AFTER - 60
    os.utime(link, (old, old), follow_symlinks=False)
    assert invoke("schema", "-o", tmp_path / "s.json").returncode == 0
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "keep\n"


SLOW_WRITER = textwrap.dedent(
    """
    import os, sys, time
    real_replace = os.replace

    def slow_replace(src, dst):
        print("writing", src, flush=True)
        time.sleep(60)
        real_replace(src, dst)

    os.replace = slow_replace
    from coherence.cli.main import run
    sys.argv = ["coherence", "schema", "-o", sys.argv[1]]
    run()
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    with subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as proc:
        try:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line.startswith("writing "), proc.stderr.read()  # type: ignore[union-attr]
            temporary = Path(line.split(" ", 1)[1].strip())
            assert temporary.exists() and temporary.name.startswith(TEMP_PREFIX)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
        finally:
            if proc.returncode is None:
                proc.kill()
            proc.communicate()
    assert proc.returncode == -signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


# --- binary reports (XLSX) and the CSV byte-order mark ------------------------------------


def test_write_atomic_writes_bytes_unchanged(tmp_path: Path) -> None:
    data = b"PK\x03\x04\x00\xff\r\n\n"  # no newline translation, no encoding
    target = tmp_path / "report.xlsx"
    write_atomic(target, data)
    assert target.read_bytes() == data
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_a_binary_report_replaces_a_file_atomically_and_spares_inputs(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    result = invoke("check", "--today", "2026-06-01", STATUSES, "-f", "xlsx", "-o", target)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
    profile = tmp_path / "profile.yaml"
    profile.write_bytes(STATUSES.read_bytes())
    refused = invoke("check", "--today", "2026-06-01", profile, "-f", "xlsx", "-o", profile)
    assert refused.returncode == 2 and "refusing to overwrite an input file" in refused.stderr
    assert profile.read_bytes() == STATUSES.read_bytes()


@needs_fifo
def test_a_binary_report_is_written_through_a_fifo(tmp_path: Path) -> None:
    file = tmp_path / "report.xlsx"
    assert (
        invoke("check", "--today", "2026-06-01", STATUSES, "-f", "xlsx", "-o", file).returncode == 0
    )
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    result = invoke("check", "--today", "2026-06-01", STATUSES, "-f", "xlsx", "-o", fifo)
    thread.join(10)
    assert result.returncode == 0, result.stderr
    assert got == [file.read_bytes()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_the_csv_byte_order_mark_goes_to_files_only(tmp_path: Path) -> None:
    # In a file, for Excel; on standard output (a terminal, a pipe) it would be noise.
    file = tmp_path / "report.csv"
    assert (
        invoke("check", "--today", "2026-06-01", STATUSES, "-f", "csv", "-o", file).returncode == 0
    )
    printed = invoke("check", "--today", "2026-06-01", STATUSES, "-f", "csv")
    assert printed.returncode == 0 and printed.stdout.startswith("country,")
    assert file.read_bytes() == b"\xef\xbb\xbf" + printed.stdout.encode("utf-8")
    dash = invoke("check", "--today", "2026-06-01", STATUSES, "-f", "csv", "-o", "-")
    assert dash.stdout == printed.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["check", "profiles/example-transit.yaml"],
        ["baseline", "profiles/example-transit.yaml"],
        ["compare", "profiles/example-transit.yaml", "profiles/example-origin.yaml"],
        ["diff", "profiles/example-transit-2024.yaml", "profiles/example-transit.yaml"],
        ["rules", "doc"],
    ],
    ids=["check", "baseline", "compare", "diff", "rules doc"],
)
def test_a_report_never_replaces_an_existing_yaml_file(cli, tmp_path, command) -> None:
    """`-o` onto another profile once wiped it: reports are never YAML."""
    other = tmp_path / "other-profile.yaml"
    shutil.copy(ROOT / "profiles" / "example-origin.yaml", other)
    before = other.read_bytes()
    result = cli(*command, "-o", other)
    assert result.returncode == 2, result.stderr
    assert "refusing to write over a YAML file" in result.stderr
    assert other.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["check", "profiles/example-transit.yaml"],
        ["check", "-f", "json", "profiles/example-transit.yaml"],
        ["baseline", "profiles/example-transit.yaml"],
        ["compare", "profiles/example-transit.yaml", "profiles/example-origin.yaml"],
        ["diff", "profiles/example-transit-2024.yaml", "profiles/example-transit.yaml"],
        ["rules", "doc"],
    ],
    ids=["check", "check json", "baseline", "compare", "diff", "rules doc"],
)
@pytest.mark.parametrize("name", ["report.yaml", "report.YML"])
def test_a_report_is_never_written_to_a_new_yaml_file(cli, tmp_path, command, name) -> None:
    """Attack round 2 §16: `check -o report.yaml` beside the profiles once wrote a text report
    that the next check of the folder read as a broken profile, and checked nothing."""
    target = tmp_path / name
    result = cli(*command, "-o", target)
    assert result.returncode == 2, result.stderr
    assert "a report is not YAML" in result.stderr
    assert "e.g. report.txt" in result.stderr
    assert not target.exists()


def test_the_commands_that_write_yaml_still_replace_it_when_asked(cli, tmp_path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("old\n", encoding="utf-8")
    assert cli("template", "-o", target, "--force").returncode == 0
    assert target.read_text(encoding="utf-8") != "old\n"


@pytest.mark.parametrize("second", ["-", "/dev/stdout", "SAME"])
def test_two_reports_never_go_to_one_place(cli, tmp_path, second) -> None:
    """`-f json -f sarif -o - -o -` once wrote two documents into one stream, exit 0."""
    first = "-" if second != "SAME" else str(tmp_path / "r.json")
    other = second if second != "SAME" else str(tmp_path / "." / "r.json")
    result = cli(
        "check",
        "profiles/example-origin.yaml",
        "-f",
        "json",
        "-f",
        "sarif",
        "-o",
        first,
        "-o",
        other,
    )
    assert result.returncode == 2 and "two reports would be written to" in result.stderr
    assert result.stdout == ""


def test_an_empty_today_is_refused_like_any_other_empty_value(cli) -> None:
    result = cli("check", "profiles/example-origin.yaml", "--today", "")
    assert result.returncode == 2 and "--today is given an empty value" in result.stderr


def test_an_option_that_changes_none_of_the_formats_is_warned_of(cli, tmp_path) -> None:
    """`--only-failing -f json` listed every finding without a word (found by an attack
    round); an option that does change the format asked for is not warned of."""
    profile = "profiles/example-origin.yaml"
    json_run = cli("check", profile, "--fail-on", "gap", "--only-failing", "-f", "json")
    assert json_run.returncode == 1
    assert (
        "warning: --only-failing changes only the text, sarif, junit or github report; "
        "it does not change the json report asked for" in json_run.stderr
    )
    sarif_run = cli("check", profile, "--fail-on", "gap", "--only-failing", "-f", "sarif")
    assert "warning" not in sarif_run.stderr
    csv_run = cli("check", profile, "--appendix", "-f", "csv", "-o", tmp_path / "r.csv")
    assert "warning: --appendix changes only the html or pdf report" in csv_run.stderr


@pytest.mark.parametrize("second", ["no-such-folder/report.json", "a-folder", "answers.xlsx"])
def test_a_second_report_that_cannot_be_written_stops_the_run_before_the_first(
    cli, tmp_path, second
) -> None:
    """`-o report.html -o no-such-folder/report.json` wrote report.html, then failed on the
    second (exit 2): a failed run left half of its reports (attack round 4)."""
    (tmp_path / "a-folder").mkdir()
    questionnaire = cli("questionnaire", "-o", tmp_path / "answers.xlsx")
    assert questionnaire.returncode == 0, questionnaire.stderr
    before = sorted(p.name for p in tmp_path.iterdir())
    first = tmp_path / "report.html"
    result = cli("check", "-o", first, "-o", tmp_path / second, STATUSES)
    assert result.returncode == 2, result.stderr
    assert f"{tmp_path / second}: " in result.stderr
    assert not first.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_report_into_a_folder_that_does_not_exist_names_the_folder(cli, tmp_path) -> None:
    result = cli("check", "-o", tmp_path / "nope" / "report.html", STATUSES)
    assert result.returncode == 2
    assert f"cannot write: there is no folder {tmp_path / 'nope'}" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["check", str(STATUSES), "-o", "{first}", "-o"],  # the first report is not written
        ["template", "--force", "-o"],
        ["schema", "--force", "-o"],
    ],
)
def test_a_read_only_file_is_never_replaced(cli, tmp_path, command) -> None:
    """`-o kept.json` onto a file made read-only replaced it all the same (a new file renamed
    over it, which the folder's permissions allow), forced or not (attack round 5)."""
    kept = tmp_path / "kept.json"
    kept.write_text("kept\n", encoding="utf-8")
    kept.chmod(0o444)
    first = tmp_path / "report.html"
    result = cli(*(a.format(first=first) for a in command), kept)
    assert result.returncode == 2, result.stderr
    assert f"{kept}: is read-only; refusing to replace it" in result.stderr
    assert kept.read_text(encoding="utf-8") == "kept\n"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o444
    assert not first.exists()
