"""Packaging (issue 12 §2): the installed wheel finds its data, and the dependency markers.

* The wheel is built once per session from a copy of the project (so setuptools' `build/`
  and `*.egg-info` never land in the checkout), installed with `pip install --target`, and
  every command that reads bundled data is run from it with `PYTHONPATH` set to the target
  and the working directory outside the repository: nothing can come from the source tree.
* durable-rules compiles C on install (it publishes no wheels). Its marker leaves it out on
  Windows and on Python 3.13+, where the tool runs on the reference evaluator; the marker is
  evaluated here against simulated environments, from `pyproject.toml` and from the built
  wheel's own metadata, which is what pip reads.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

from tests.conftest import ROOT
from tests.pyproject_data import PYPROJECT

DEPENDENCIES = [Requirement(text) for text in PYPROJECT["project"]["dependencies"]]

# The top-level data folders shipped as `coherence/_data/<folder>` (see setup.py).
DATA_FOLDERS = ("seeds", "rules", "profiles", "templates", "schema", "config")
DATA_SUFFIXES = {".yaml", ".txt", ".json"}
# What a build needs to see, and what it must not: VCS, caches, earlier builds, the tests.
IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "tests",
    "benchmarks",
    "docs",
    "examples",
)


# --- durable-rules' platform marker ---------------------------------------------------------


def _environment(system: str, python: str) -> dict[str, str]:
    """A marker environment as pip computes it on SYSTEM (Windows, Linux, Darwin)."""
    platform = {"Windows": "win32", "Linux": "linux", "Darwin": "darwin"}[system]
    env = dict(default_environment())
    env.update(
        python_version=python,
        python_full_version=f"{python}.0",
        implementation_version=f"{python}.0",
        sys_platform=platform,
        platform_system=system,
        os_name="nt" if system == "Windows" else "posix",
        platform_machine="AMD64" if system == "Windows" else "x86_64",
    )
    return env


def _wanted(requirements: list[Requirement], env: dict[str, str]) -> set[str]:
    """The names pip installs in ENV: the requirements whose marker holds there."""
    return {
        req.name.lower()
        for req in requirements
        if req.marker is None or req.marker.evaluate({**env, "extra": ""})
    }


ENVIRONMENTS = [
    # (system, Python, durable-rules installed?)
    ("Windows", "3.10", False),
    ("Windows", "3.11", False),
    ("Windows", "3.13", False),
    ("Linux", "3.10", True),
    ("Linux", "3.11", True),
    ("Darwin", "3.11", True),
    ("Darwin", "3.12", True),
    ("Linux", "3.13", False),
    ("Darwin", "3.13", False),
]


@pytest.mark.parametrize(("system", "python", "durable"), ENVIRONMENTS)
def test_durable_rules_marker(system: str, python: str, durable: bool) -> None:
    env = _environment(system, python)
    wanted = _wanted(DEPENDENCIES, env)
    assert ("durable-rules" in wanted) is durable
    # Only durable-rules is platform-dependent: the rest is installed everywhere.
    assert wanted - {"durable-rules"} == {req.name.lower() for req in DEPENDENCIES} - {
        "durable-rules"
    }


def test_only_durable_rules_carries_a_marker() -> None:
    assert [req.name for req in DEPENDENCIES if req.marker is not None] == ["durable-rules"]


def test_the_fallback_notice_covers_platforms_too() -> None:
    from coherence.engine.select import FALLBACK_NOTICE

    assert "durable-rules cannot be loaded on this Python or platform" in FALLBACK_NOTICE


# --- the installed wheel --------------------------------------------------------------------


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the project copy the wheel was built from, the `--target` folder it is installed in)."""
    base = tmp_path_factory.mktemp("packaging")
    source, wheels, target = base / "source", base / "wheels", base / "target"
    shutil.copytree(ROOT, source, ignore=IGNORE, symlinks=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]

    def run(*args: str | os.PathLike[str]) -> str:
        step = [*pip, *map(str, args)]
        proc = subprocess.run(
            step, capture_output=True, text=True, cwd=base, timeout=600, check=False
        )
        assert proc.returncode == 0, f"{step}\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout + proc.stderr

    # -v: pip shows the build backend's own output, where setuptools puts its warnings.
    (base / "build-output.txt").write_text(run("wheel", "-v", source, "--no-deps", "-w", wheels))
    (wheel,) = wheels.glob("coherence-*.whl")
    run("install", "--no-deps", "--target", target, wheel)
    return source, target


def run_coherence(path: Path, cwd: Path, *args: str | os.PathLike[str]):
    """`python -m coherence ARGS` with PATH (and nothing else of this project) importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COHERENCE_")}
    env.update(PYTHONPATH=str(path), PYTHONIOENCODING="utf-8", COLUMNS="120")
    env["COHERENCE_CACHE_DIR"] = str(Path(path).parent / "catalogue-cache")  # never the user's
    return subprocess.run(
        [sys.executable, "-m", "coherence", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture
def outside(tmp_path) -> Path:
    """A working directory outside the repository."""
    assert ROOT not in tmp_path.resolve().parents
    return tmp_path


@pytest.mark.packaging
def test_the_installed_package_and_its_data_are_used(installed, outside) -> None:
    _, target = installed
    probe = (
        "import coherence, coherence.resources as r; print(coherence.__file__); print(r.data_dir())"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=outside,
        env=env,
        check=True,
        timeout=60,
    )
    module, data = proc.stdout.splitlines()
    assert Path(module).is_relative_to(target)
    assert Path(data) == target / "coherence" / "_data"


@pytest.mark.packaging
def test_the_wheel_holds_every_data_file_subfolders_included(installed) -> None:
    source, target = installed

    def files(root: Path) -> set[str]:
        return {
            p.relative_to(root).as_posix()
            for folder in DATA_FOLDERS
            for p in (root / folder).rglob("*")
            if p.is_file() and p.suffix in DATA_SUFFIXES
        }

    shipped = files(target / "coherence" / "_data")
    assert shipped == files(source)
    assert "seeds/sources.yaml" in shipped and "schema/profile.schema.json" in shipped
    assert (target / "coherence" / "py.typed").is_file()
    assert not (target / "share").exists(), "data-files are gone: nothing under share/"


@pytest.mark.packaging
def test_the_wheel_builds_without_setuptools_warnings(installed) -> None:
    """Every folder holding package data is a listed package (setuptools warns otherwise,
    and says such files may be left out in a future release)."""
    source, _ = installed
    output = (source.parent / "build-output.txt").read_text()
    assert "Building wheel for coherence" in output  # the backend's output was captured
    assert "BuildBackendWarning" not in output
    assert "is absent from the `packages` configuration" not in output


@pytest.mark.packaging
def test_the_wheel_metadata(installed) -> None:
    _, target = installed
    (dist,) = [
        d
        for d in importlib.metadata.distributions(path=[str(target)])
        if d.metadata["Name"] == "coherence"
    ]
    meta = dist.metadata
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta.get_all("License-File") == ["LICENSE"]
    licence = next(f for f in dist.files if f.name == "LICENSE")
    assert "Apache License" in licence.read_text(encoding="utf-8")
    classifiers = meta.get_all("Classifier")
    for minor in (10, 11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers), "SPDX expression only"
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Homepage", "Repository", "Issues"} <= set(urls)
    # pip reads the marker from here: on Windows the requirement is dropped.
    requires = [Requirement(r) for r in meta.get_all("Requires-Dist")]
    runtime = [r for r in requires if r.marker is None or "extra" not in str(r.marker)]
    assert "durable-rules" not in _wanted(runtime, _environment("Windows", "3.11"))
    assert "durable-rules" in _wanted(runtime, _environment("Linux", "3.11"))


@pytest.mark.packaging
def test_check_a_bundled_profile(installed, outside) -> None:
    _, target = installed
    profile = target / "coherence" / "_data" / "profiles" / "example-origin.yaml"
    proc = run_coherence(target, outside, "check", profile, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    (assessment,) = report["assessments"]
    assert assessment["findings"] and assessment["rules_evaluated"] and report["rules"]


@pytest.mark.packaging
@pytest.mark.parametrize("args", [("rules", "list"), ("template",), ("schema",)], ids=" ".join)
def test_commands_that_read_data(installed, outside, args) -> None:
    _, target = installed
    proc = run_coherence(target, outside, *args)
    assert proc.returncode == 0, f"{args}: {proc.stderr}"
    assert proc.stdout.strip(), args
    if args == ("schema",):
        assert json.loads(proc.stdout)["title"]


SUMMARY = re.compile(r"^\d+ rule\(s\) checked.*$|^\d+/\d+ rules pass.*$", re.M)


@pytest.mark.packaging
@pytest.mark.parametrize("args", [("rules", "lint"), ("rules", "test")], ids=" ".join)
def test_rules_lint_and_test_read_the_installed_catalogue(installed, outside, args) -> None:
    """The installed catalogue lints clean and passes its rule tests, read from the wheel."""
    _, target = installed
    installed_run = run_coherence(target, outside, *args)
    assert "Traceback" not in installed_run.stderr, installed_run.stderr
    assert "bundled data was not found" not in installed_run.stderr
    assert installed_run.returncode == 0, (installed_run.stdout + installed_run.stderr)[-2000:]
    found = SUMMARY.findall(installed_run.stdout + installed_run.stderr)
    assert found and (" 0 problem(s)" in found[-1] or "rules pass" in found[-1]), found


@pytest.mark.packaging
def test_the_data_is_found_in_a_zip_import(installed, outside) -> None:
    """Package data that is not on the file system is copied out once (real paths needed)."""
    _, target = installed
    archive = outside / "coherence.zip"
    shutil.make_archive(str(archive.with_suffix("")), "zip", target, "coherence")
    probe = (
        "import coherence.resources as r; from coherence.corpus.manifest import load_corpus;"
        "print(r.data_dir()); print(len(load_corpus().manifest.sources))"
    )
    env = {**os.environ, "PYTHONPATH": str(archive)}
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=outside,
        env=env,
        check=True,
        timeout=60,
    )
    data, sources = proc.stdout.splitlines()
    assert Path(data).name.startswith("coherence-data-") and int(sources) > 0
    assert not Path(data).exists(), "the copy is removed at exit"


def test_the_data_folder_is_the_source_tree_or_the_installed_package() -> None:
    """From a checkout or an editable install, the repository's folders; from a regular
    install (as `.ci/run` does before running the tests), the installed package data."""
    import coherence
    from coherence.resources import data_dir

    package = Path(coherence.__file__).resolve().parent
    expected = ROOT if package == ROOT / "src" / "coherence" else package / "_data"
    assert data_dir() == expected


@pytest.mark.packaging
@pytest.mark.parametrize(("code", "title", "heading"), [
    ("fr", "Profil", "Comment remplir ce questionnaire"),
    ("es", "Perfil", "Cómo diligenciar este cuestionario"),
])  # fmt: skip
def test_the_translated_questionnaire_reads_its_texts_from_the_wheel(
    installed, outside, code, title, heading
) -> None:
    """The French and Spanish texts are package data: the installed tool writes the workbook
    in that language and reads it back, with nothing from the source tree."""
    from openpyxl import load_workbook

    _, target = installed
    shipped = target / "coherence" / "_data" / "config" / "questionnaire" / f"{code}.yaml"
    assert shipped.is_file()
    profile = target / "coherence" / "_data" / "profiles" / "example-destination.yaml"
    book = outside / f"{code}.xlsx"
    made = run_coherence(target, outside, "questionnaire", "--language", code, "--from", profile,
                         "-o", book)  # fmt: skip
    assert made.returncode == 0, made.stderr
    wb = load_workbook(book)
    assert title in wb.sheetnames and wb.active["A1"].value == heading
    back = run_coherence(target, outside, "import", book, "-o", outside / "back.yaml")
    assert back.returncode == 0, back.stderr
    assert re.search(r"imported: [1-9]\d* of \d+ questions answered", back.stderr), back.stderr
