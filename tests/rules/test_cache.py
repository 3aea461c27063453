"""The verified-catalogue cache: a hit gives the same findings, any change misses, and a
corrupt, foreign or tampered cache file is ignored and rebuilt, never trusted."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from coherence.api import assess
from coherence.engine.reference import ReferenceEngine
from coherence.profile.validate import load_profile
from coherence.report.formats.json import render_json
from coherence.rules import cache
from coherence.rules.cache import load_catalogue_cached
from coherence.rules.catalog import load_catalogue
from tests.conftest import PROFILES
from tests.rulepack import rule, write_pack

TODAY = dt.date(2026, 1, 1)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    return folder


def _files(folder):
    return sorted(p for p in folder.glob(f"{cache.PREFIX}*.json") if ".shards." not in p.name)


def _report(catalogue) -> str:
    loaded = load_profile(PROFILES / "example-origin.yaml")
    return render_json([assess(loaded, catalogue, ReferenceEngine(catalogue), today=TODAY)])


def test_a_hit_gives_identical_findings(cache_dir, monkeypatch):
    fresh = load_catalogue()
    first = load_catalogue_cached()  # a miss: loads, verifies and writes
    (written,) = _files(cache_dir)
    calls = []
    monkeypatch.setattr(
        "coherence.rules.catalog.load_catalogue", lambda *a, **k: calls.append(a) or fresh
    )
    hit = load_catalogue_cached()
    assert calls == []  # served from the cache, not loaded again
    assert _files(cache_dir) == [written]
    assert hit.rules == fresh.rules == first.rules
    assert hit.derived == fresh.derived
    assert hit.retired == fresh.retired and len(fresh.retired) >= 20
    assert hit.version == fresh.version
    assert {k: (o.file, o.line) for k, o in hit.origins.items()} == {
        k: (o.file, o.line) for k, o in fresh.origins.items()
    }
    assert _report(hit) == _report(fresh)


def test_the_cache_folder_is_private(cache_dir):
    load_catalogue_cached()
    if hasattr(os, "getuid"):
        assert cache_dir.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_not_used_nor_changed(cache_dir):
    cache_dir.mkdir()
    cache_dir.chmod(0o777)  # e.g. COHERENCE_CACHE_DIR=/tmp: anyone could plant a file
    fresh = load_catalogue_cached()
    assert fresh.rules == load_catalogue().rules
    assert _files(cache_dir) == []
    assert cache_dir.stat().st_mode & 0o777 == 0o777


def test_editing_a_rule_file_in_a_pack_misses(cache_dir, tmp_path):
    pack = write_pack(
        tmp_path / "pack",
        [rule("CACHE-001", {"instrument": {"id": "ilo_c97", "at_least": "ratified"}})],
    )
    first = load_catalogue_cached([pack])
    assert first.by_id["CACHE-001"].severity == "medium"
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    (pack / "pack.yaml").write_text(
        text.replace("severity: medium", "severity: high"), encoding="utf-8"
    )
    second = load_catalogue_cached([pack])
    assert second.by_id["CACHE-001"].severity == "high"
    assert len(_files(cache_dir)) == 2  # a new key, a new entry


def test_a_broken_pack_is_refused_and_never_cached(cache_dir, tmp_path):
    from coherence.diagnostics import InputError

    bad = rule("CACHE-002", {"instrument": {"id": "ilo_c97", "at_least": "ratified"}})
    bad["citations"] = [{**bad["citations"][0], "quote": "words that are not in the source"}]
    pack = write_pack(tmp_path / "pack", [bad])
    for _ in range(2):
        with pytest.raises(InputError):
            load_catalogue_cached([pack])
    assert _files(cache_dir) == []


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: b"not json at all", id="garbage"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        # A body changed without its digest: a tampered rule must not be trusted.
        pytest.param(lambda raw: raw.replace(b'"severity":"', b'"severity":"x', 1), id="tampered"),
        # A valid digest over a payload of another key (another catalogue, another version).
        pytest.param(
            lambda raw: _sealed({**_body(raw), "key": "0" * 64}),
            id="foreign-key",
        ),
        # A valid digest and key over a shape the models refuse.
        pytest.param(lambda raw: _sealed({**_body(raw), "rules": [{"id": 1}]}), id="bad-shape"),
    ],
)
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(cache_dir, damage):
    fresh = load_catalogue_cached()
    (path,) = _files(cache_dir)
    path.write_bytes(damage(path.read_bytes()))
    again = load_catalogue_cached()
    assert again.rules == fresh.rules
    assert _report(again) == _report(fresh)
    assert cache._read(path, _body(path.read_bytes())["key"]) is not None  # rewritten whole


def _reseal(path, old: bytes, new: bytes) -> None:
    """Change the cached payload and seal it again with a right digest, as anyone who can
    write the file can (a hand edit, a CI cache restored from another job)."""
    body = path.read_bytes().partition(b"\n")[2]
    assert old in body
    path.write_bytes(_sealed(json.loads(body.replace(old, new))))


QUOTED = b"opening up more regular labour migration avenues"
"""Words of a quote several rules cite (unpd-2004-cm3, lines 2911-2914)."""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(QUOTED, b"closing all labour migration avenues", id="quote"),
        # The quote unchanged, its lines moved: reports would name the wrong place.
        pytest.param(b'"lines":[2911,2914]', b'"lines":[2901,2904]', id="lines"),
        pytest.param(
            b'"source":"unpd-2004-cm3","lines"', b'"source":"nowhere","lines"', id="source"
        ),
    ],
)
def test_a_resealed_citation_is_verified_again_and_rebuilt(cache_dir, old, new):
    # The digest finds damage, not edits: a quote changed in the cache and sealed again
    # was reported as a verified quote of the source (attack round 4, second pass).
    fresh = load_catalogue_cached()
    (path,) = _files(cache_dir)
    cache._LOADED.clear()
    _reseal(path, old, new)
    again = load_catalogue_cached()
    assert again.rules == fresh.rules
    assert _report(again) == _report(fresh)
    assert new not in path.read_bytes()  # rewritten from the rule files


def test_the_catalogue_version_is_not_read_from_the_cache(cache_dir):
    fresh = load_catalogue_cached()
    (path,) = _files(cache_dir)
    cache._LOADED.clear()
    body = _body(path.read_bytes())
    path.write_bytes(_sealed({**body, "digest_input": "00" * 32, "files": ["/elsewhere.yaml"]}))
    again = load_catalogue_cached()
    assert again.version == fresh.version == load_catalogue().version
    assert again.files == fresh.files


def test_a_cache_folder_that_cannot_be_written_is_not_an_error(cache_dir, monkeypatch):
    # A read-only file system (a container run with --read-only over an image whose cache
    # was warmed when it was built) or no inode left: mkstemp fails. It ended every check
    # with 'error: .../.tmp-catalogue-...: Read-only file system', exit 2.
    import errno
    import tempfile

    from typer.testing import CliRunner

    from coherence.cli.main import app

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert load_catalogue_cached().rules == load_catalogue().rules
    cache._LOADED.clear()
    result = CliRunner().invoke(app, ["check", str(PROFILES / "example-origin.yaml")])
    assert result.exit_code == 0, result.output
    assert _files(cache_dir) == []


def test_no_cache_writes_nothing(cache_dir, monkeypatch):
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    load_catalogue_cached()
    assert not cache_dir.exists() or _files(cache_dir) == []


def test_check_no_cache_gives_the_same_report(cache_dir):
    from typer.testing import CliRunner

    from coherence.cli.main import app

    def check(*extra: str) -> str:
        args = ["check", str(PROFILES / "example-origin.yaml"), "--format", "json"]
        result = CliRunner().invoke(app, [*args, "--today", "2026-01-01", *extra])
        assert result.exit_code == 0, result.output
        return result.stdout

    cold = check("--no-cache")
    assert _files(cache_dir) == []
    warm = [check() for _ in range(2)]  # a miss that writes, then a hit
    assert len(_files(cache_dir)) == 1
    assert warm == [cold, cold]


def _body(raw: bytes) -> dict:
    return json.loads(raw.partition(b"\n")[2])


def _sealed(payload: dict) -> bytes:
    import hashlib

    body = json.dumps(payload).encode()
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _shards_json(shards) -> str:
    return cache._dump_shards(shards, "k")


@pytest.mark.skipif(
    not __import__("coherence.engine.durable", fromlist=["available"]).available(),
    reason="durable-rules is not installed here",
)
def test_compiled_shards_are_cached_and_identical(cache_dir, monkeypatch):
    from coherence.engine.compile import compile_catalogue
    from coherence.engine.durable import DurableEngine

    fresh = compile_catalogue(load_catalogue())
    first = DurableEngine(load_catalogue_cached())  # compiles and stores
    assert len(list(cache_dir.glob("*.shards.json"))) == 1
    monkeypatch.setattr(
        "coherence.engine.compile.compile_catalogue",
        lambda *a, **k: pytest.fail("compiled again on a hit"),
    )
    hit = DurableEngine(load_catalogue_cached())
    assert _shards_json(hit.shards) == _shards_json(first.shards) == _shards_json(fresh)
    assert [s.targets for s in hit.shards] == [s.targets for s in fresh]
    assert _report_with(hit) == _report_with(first)


@pytest.mark.skipif(
    not __import__("coherence.engine.durable", fromlist=["available"]).available(),
    reason="durable-rules is not installed here",
)
def test_a_corrupt_shards_file_is_ignored(cache_dir):
    from coherence.engine.durable import DurableEngine

    first = DurableEngine(load_catalogue_cached())
    (path,) = cache_dir.glob("*.shards.json")
    body = _body(path.read_bytes())
    body["shards"][0]["targets"] = {"x": ["shell", ["a", "b"], "yes"]}
    path.write_bytes(_sealed(body))  # sealed, right key, wrong shape
    again = DurableEngine(load_catalogue_cached())
    assert _shards_json(again.shards) == _shards_json(first.shards)


def _report_with(engine) -> str:
    loaded = load_profile(PROFILES / "example-origin.yaml")
    return render_json([assess(loaded, engine.catalogue, engine, today=TODAY)])


def test_a_process_takes_its_catalogue_again_while_the_file_is_unchanged(cache_dir, monkeypatch):
    first = load_catalogue_cached()
    (path,) = _files(cache_dir)
    rebuilt = []
    real = cache._rebuild
    monkeypatch.setattr(cache, "_rebuild", lambda *a: rebuilt.append(1) or real(*a))
    assert load_catalogue_cached() is first  # no parse, no validation
    assert rebuilt == []
    # The file rewritten (same bytes, a new write): read and checked again, not trusted.
    path.write_bytes(path.read_bytes())
    os.utime(path, ns=(1, 1))
    again = load_catalogue_cached()
    assert rebuilt == [1] and again is not first and again.rules == first.rules


def test_rules_list_reads_through_the_cache(cache_dir):
    from typer.testing import CliRunner

    from coherence.cli.main import app

    result = CliRunner().invoke(app, ["rules", "list", "--format", "json"])
    assert result.exit_code == 0
    assert len(_files(cache_dir)) == 1  # `rules list` filled the cache `check` reads
    listed = json.loads(result.output)
    rules = listed["rules"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rules] == [r.id for r in load_catalogue().rules]
