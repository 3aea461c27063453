"""The example reports committed in examples/reports/ are exactly what the tool generates."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "reports"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "examples_reports_generate", EXAMPLES / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path, list[Path]]:
    module = _generator()
    out = tmp_path_factory.mktemp("reports")
    return module, out, module.write(out)


def test_the_expected_files_are_generated(generated) -> None:
    _, _, written = generated
    names = sorted(p.name for p in written)
    assert names == sorted(
        [
            "compare.html",
            "compare.md",
            "diff-example-transit.md",
            "diff-example-transit.html",
            *(
                f"example-{kind}.{ext}"
                for kind in ("origin", "destination", "transit")
                for ext in ("md", "html")
            ),
        ]
    )


def test_committed_reports_are_in_sync(generated) -> None:
    module, _, written = generated
    stale = []
    for fresh in written:
        committed = EXAMPLES / fresh.name
        if not committed.is_file() or committed.read_bytes() != fresh.read_bytes():
            stale.append(fresh.name)
    assert not stale, (
        f"examples/reports/ is out of date ({', '.join(stale)}): regenerate it from the "
        f"repository root with `{module.REGENERATE}` and commit the result"
    )


def test_paths_in_the_reports_are_relative(generated) -> None:
    _, _, written = generated
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert str(ROOT) not in text, path.name
        assert "profiles/example-" in text, path.name


def test_generation_does_not_depend_on_the_current_folder(generated, tmp_path, monkeypatch) -> None:
    module, first, _ = generated
    monkeypatch.chdir(tmp_path)
    again = module.build()
    assert Path.cwd() == tmp_path
    for name, text in again.items():
        assert (first / name).read_text(encoding="utf-8") == text, name
