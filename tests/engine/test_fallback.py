"""Where durable-rules cannot be imported (as on Python 3.13), the tool says so once and
falls back to the reference evaluator with the same results."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import PROFILES, ROOT, needs_durable

# Make `import durable` fail exactly as an ImportError would on 3.13, then run the CLI.
RUNNER = "import sys; sys.modules['durable'] = None; from coherence.cli.main import run; sys.argv[0] = 'coherence'; run()"


def run_without_durable(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", RUNNER, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def _fallback_run(profiles: list[str]) -> subprocess.CompletedProcess:
    fallback = run_without_durable("check", "--format", "json", "--today", "2026-06-01", *profiles)
    assert fallback.returncode == 0, fallback.stderr
    return fallback


def test_fallback_notice_once():
    profiles = [str(p) for p in sorted(PROFILES.glob("example-*.yaml"))]
    fallback = _fallback_run(profiles)
    notices = [
        line for line in fallback.stderr.splitlines() if "durable-rules cannot be loaded" in line
    ]
    assert len(notices) == 1 and notices[0].endswith("(same results).")
    assert {a["engine"] for a in json.loads(fallback.stdout)["assessments"]} == {"reference"}


@needs_durable
def test_fallback_gives_the_same_findings_as_durable(cli):
    profiles = [str(p) for p in sorted(PROFILES.glob("example-*.yaml"))]
    fallback = _fallback_run(profiles)
    normal = cli(
        "check", "--format", "json", "--today", "2026-06-01", "--engine", "durable", *profiles
    )
    a, b = json.loads(fallback.stdout), json.loads(normal.stdout)
    for x, y in zip(a["assessments"], b["assessments"], strict=True):
        assert x["engine"] == "reference" and y["engine"] == "durable"
        assert x["findings"] == y["findings"]


def test_asking_for_durable_without_it_is_a_usage_error():
    result = run_without_durable(
        "check", "--engine", "durable", str(PROFILES / "example-origin.yaml")
    )
    assert result.returncode == 2
    assert "durable-rules cannot be imported" in result.stderr and "Traceback" not in result.stderr
