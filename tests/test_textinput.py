"""`coherence.textinput.shown_name`: a file whose name is not UTF-8 (made on another system, or
unpacked from an archive with another encoding) is read and reported like any other; its name
reached every report as lone surrogates, and writing them ended in "internal error
(UnicodeEncodeError)" (attack round 4)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from coherence.textinput import shown_name
from tests.conftest import PROFILES, ROOT

ORIGIN = PROFILES / "example-origin.yaml"


def _odd(folder: Path, name: bytes, source: Path) -> Path:
    """A copy of `source` under a file name that is not UTF-8 (skipped where the file system
    refuses one, as macOS does)."""
    target = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
    try:
        shutil.copy(source, target)
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses file names that are not UTF-8")
    return target


def test_shown_name_writes_the_bytes_that_are_not_utf8_as_replacement_characters():
    assert shown_name(os.fsdecode(b"caf\xe9.yaml")) == "caf\ufffd.yaml"
    assert shown_name("café.yaml") == "café.yaml"
    assert shown_name(Path("a/b.yaml")) == "a/b.yaml"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "html", "csv", "github", "markdown"])
def test_a_profile_whose_name_is_not_utf8_is_checked(cli, tmp_path, fmt):
    _odd(tmp_path, b"caf\xe9.yaml", ORIGIN)
    out = tmp_path / "report.out"
    result = cli("check", "-f", fmt, "-o", out, tmp_path)
    assert result.returncode == 0, result.stderr
    written = out.read_text(encoding="utf-8")
    assert "caf\ufffd.yaml" in written or "caf%EF%BF%BD.yaml" in written  # a SARIF URI


def test_a_baseline_of_such_a_profile_is_written_and_read(cli, tmp_path):
    _odd(tmp_path, b"caf\xe9.yaml", ORIGIN)
    baseline = tmp_path / "baseline.json"
    assert cli("baseline", tmp_path, "-o", baseline).returncode == 0
    assert any("caf\ufffd.yaml" in key for key in json.loads(baseline.read_text())["profiles"])
    result = cli("check", "--baseline", baseline, "--fail-on", "gap", tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_rule_file_whose_name_is_not_utf8_is_loaded(cli, tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    _odd(pack, b"r\xe9gional.yaml", ROOT / "examples" / "rule-pack" / "regional.yaml")
    result = cli("check", "--rules", pack, "-f", "json", "-o", tmp_path / "r.json", ORIGIN)
    assert result.returncode == 0, result.stderr
    shown = cli("rules", "show", "REGIONAL-001", "--rules", pack)
    assert shown.returncode == 0 and "r\ufffdgional.yaml:" in shown.stdout


def test_a_workbook_whose_name_is_not_utf8_is_imported(cli, tmp_path):
    book = tmp_path / "q.xlsx"
    assert cli("questionnaire", "--from", ORIGIN, "-o", book).returncode == 0
    odd = _odd(tmp_path, b"r\xe9ponses.xlsx", book)
    out = tmp_path / "p.yaml"
    result = cli("import", odd, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "from r\ufffdponses.xlsx" in out.read_text(encoding="utf-8")
