"""`--jobs N`: profiles assessed in worker processes give the same bytes as one job, and the
same diagnostics for invalid input."""

from __future__ import annotations

import re

import pytest

from tests.conftest import FIXTURES, ROOT

TODAY = ("--today", "2026-06-01")
CODES = [
    "AUT",
    "BEL",
    "CHL",
    "DNK",
    "EGY",
    "FJI",
    "GHA",
    "HND",
    "ITA",
    "JAM",
    "KEN",
    "LBN",
    "MLI",
    "NOR",
    "OMN",
    "PER",
    "QAT",
    "ROU",
    "SEN",
    "TUN",
    "URY",
    "VNM",
    "ZMB",
    "BRA",
    "CAN",
    "MEX",
    "ARE",
    "PHL",
    "MAR",
    "COL",
]


@pytest.fixture
def folder(tmp_path):
    """About a dozen valid profiles (the bundled ones and the test fixtures), each of its
    own country so that `compare` takes them all."""
    target = tmp_path / "profiles"
    target.mkdir()
    sources = sorted((ROOT / "profiles").glob("*.yaml")) + sorted(
        p for p in (FIXTURES / "profiles").glob("*.yaml") if p.name != "hostile.yaml"
    )
    for i, source in enumerate(sources):
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"\bcode: [A-Z]{3}\b", f"code: {CODES[i]}", text, count=1)
        (target / source.name).write_text(text, encoding="utf-8")
    assert len(sources) >= 10
    return target


def _pair(cli, *args):
    one = cli(*args, "--jobs", "1")
    two = cli(*args, "--jobs", "2")
    return one, two


OUTPUTS = {
    "text": "r.txt",
    "sarif": "r.sarif",
    "json": "r.json",
    "junit": "r.xml",
    "csv": "r.csv",
    "github": "r.github",
    "markdown": "r.md",
}


def test_check_jobs_give_the_same_bytes(cli, folder, tmp_path):
    """Every format, all written by one run per number of jobs (a run per format and number
    of jobs cost 14 runs of a dozen profiles); the text report to standard output too."""
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        out.mkdir()
        args = ["check", folder, "--fail-on", "gap:high", "--jobs", jobs, *TODAY]
        args += ["-f", "text", "-o", "-"]
        for fmt, name in OUTPUTS.items():
            args += ["-f", fmt, "-o", out / name]
        result = cli(*args)
        written = {name: (out / name).read_bytes() for name in OUTPUTS.values()}
        runs[jobs] = (result.returncode, result.stdout, result.stderr, written)
    assert runs["1"][0] == 1, runs["1"][2]
    assert runs["1"][1].startswith(runs["1"][3]["r.txt"].decode()[:200])
    assert all(runs["1"][3].values()), [n for n, data in runs["1"][3].items() if not data]
    assert runs["2"] == runs["1"]


def test_check_jobs_with_baseline_and_only_failing(cli, folder, tmp_path):
    baseline = tmp_path / "baseline.json"
    first = sorted(folder.glob("*.yaml"))[:4]
    assert cli("baseline", *first, "-o", baseline, *TODAY).returncode == 0
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        out.mkdir()
        args = ["check", folder, "--baseline", baseline, "--fail-on", "partial"]
        args += ["--only-failing", "--jobs", jobs, *TODAY]
        for fmt, name in (("sarif", "r.sarif"), ("junit", "r.xml"), ("text", "r.txt")):
            args += ["-f", fmt, "-o", out / name]
        result = cli(*args)
        assert result.returncode == 1, result.stderr
        assert "new or worse than the baseline" in result.stderr
        outputs[jobs] = (result.stderr, *((out / n).read_bytes() for n in ("r.sarif", "r.xml")))
        outputs[jobs] += ((out / "r.txt").read_bytes(),)
    assert outputs["1"] == outputs["2"]


def test_baseline_and_compare_jobs_give_the_same_bytes(cli, folder, tmp_path):
    for jobs in ("1", "2"):
        result = cli("baseline", folder, "-o", tmp_path / f"b{jobs}.json", "-j", jobs, *TODAY)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "b1.json").read_bytes() == (tmp_path / "b2.json").read_bytes()
    one, two = _pair(cli, "compare", folder, "-f", "json", *TODAY)
    assert one.returncode == 0, one.stderr
    assert (two.returncode, two.stdout) == (one.returncode, one.stdout)


def test_invalid_profiles_among_many_same_diagnostics(cli, folder):
    (folder / "b-broken.yaml").write_text(
        "format_version: 2\ncountry: {code: XXX}\nbogus: 1\n", encoding="utf-8"
    )
    (folder / "z-syntax.yaml").write_text("format_version: 2\ncountry: [\n", encoding="utf-8")
    one, two = _pair(cli, "check", folder, "-f", "sarif", *TODAY)
    assert one.returncode == 2
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert one.stdout == ""
    assert "b-broken.yaml:3:1" in one.stderr and "z-syntax.yaml:3:1" in one.stderr
    assert "nothing was checked" in one.stderr


@pytest.mark.parametrize("jobs", ["0", "-1"])
def test_jobs_below_one_is_a_usage_error(cli, folder, jobs):
    for command in ("check", "compare", "baseline"):
        extra = ["-o", folder.parent / "b.json"] if command == "baseline" else []
        result = cli(command, folder, *extra, "--jobs", jobs)
        assert result.returncode == 2, (command, result.stderr)
        assert "--jobs" in result.stderr


def test_jobs_in_real_processes(cli_subprocess, folder, tmp_path):
    """The console script with workers (spawned: each imports coherence afresh)."""
    stdin = (ROOT / "profiles" / "example-origin.yaml").read_text(encoding="utf-8")
    runs = [
        cli_subprocess("check", "-", folder, "-f", "sarif", "-j", jobs, *TODAY, input=stdin)
        for jobs in ("1", "2")
    ]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[1].stdout == runs[0].stdout


def test_default_jobs():
    from coherence.cli.parallel import SERIAL_BELOW, available_cores, jobs_for

    assert jobs_for(None, SERIAL_BELOW - 1) == 1
    cores = available_cores()
    assert jobs_for(None, 1000) == cores
    assert jobs_for(4, 2) == min(2, cores)
    assert jobs_for(3, 100) == min(3, cores)
    # Never more workers than cores, however many are asked for.
    assert jobs_for(10_000, 80) == min(80, cores)
