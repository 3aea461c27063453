"""The two CLI runners of the test suite agree (tests/conftest.py): most CLI tests run the
command in-process, so the in-process runner must give what the console script gives."""

from __future__ import annotations

import os

from coherence.cli import main as cli_main
from tests.conftest import ROOT, run_cli, run_in_process


def test_in_process_runs_match_the_console_script(tmp_path) -> None:
    # Relative paths (resolved from the checkout by both), a usage error with click's usage
    # line and program name, and an ordinary report.
    for args in (
        ("check", "--today", "2026-06-01", "profiles/example-origin.yaml"),
        ("check", "--no-such-option", "profiles/example-origin.yaml"),
        ("validate", "profiles/no-such-file.yaml"),
    ):
        real, here = run_cli(*args), run_in_process(*args)
        assert (here.returncode, here.stdout, here.stderr) == (
            real.returncode,
            real.stdout,
            real.stderr,
        ), args


def test_in_process_runs_restore_the_working_directory(tmp_path) -> None:
    before = os.getcwd()
    (tmp_path / "p.yaml").write_text(
        (ROOT / "profiles" / "example-origin.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = run_in_process("validate", "p.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert os.getcwd() == before


def test_an_unexpected_error_in_process_is_what_the_console_script_makes_of_it(
    monkeypatch,
) -> None:
    import coherence.profile.schema as schema

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(schema, "profile_schema", boom)
    monkeypatch.delenv(cli_main.DEBUG_ENV, raising=False)
    result = run_in_process("schema")
    assert result.returncode == cli_main.INTERNAL_ERROR
    assert result.stderr == cli_main.internal_error_line(RuntimeError("boom"))
    assert isinstance(result.exception, RuntimeError)
    debug = run_in_process("--debug", "schema")
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "boom" in debug.stderr
