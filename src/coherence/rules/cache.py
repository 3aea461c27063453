"""A cache of the verified rule catalogue, so one `check` does not re-verify every quote.

Loading the catalogue parses every rule file, validates it and re-verifies every citation
against the seeds. The result depends only on:

* the bytes of every rule file loaded (bundled and `--rules`), with its path;
* the bytes of the seeds (the manifest and every source text) and of the config folder;
* the code: the tool version and the bytes of every module of the package (an editable
  install changes code without changing its version).

All of these go into the cache key, so any change to any of them misses. The cache holds
JSON only (never pickle): the rules as their JSON dump, re-validated by the pydantic models
on reading, and the origins as `file:line`. The payload is stored with its SHA-256 and its
key; a file whose digest, key or shape does not match is ignored and rebuilt. The digest
only finds damage: anyone who can write the file can seal it again, so what a report
vouches for is never taken from it on trust. Every citation read from the cache is checked
again against the seeds (its source, its lines and its quote, as the loader checks them);
one that does not hold there makes the whole file ignored and rebuilt. The sources'
manifest, the list of rule files and the catalogue version are read from the seeds and the
rule files themselves, not from the cache. The cache folder is created private (0700) and,
on POSIX, a folder owned by another user or writable by others, or a file owned by another
user, is not used. Writes are atomic (a temporary file, then `os.replace`).

Where: `COHERENCE_CACHE_DIR` if set, else the user cache folder (platformdirs). Off with
`COHERENCE_NO_CACHE=1` or `coherence check --no-cache`.

The durable-rules engine's compiled shards of a cached catalogue are cached beside it,
under the same key (`compiled_shards`); a catalogue narrowed by `--select`/`--skip` is
compiled afresh.

Only `check`, `baseline`, `compare` and `validate` (for waivers) use it: the `rules`
commands (lint, test, show) load afresh, as they need every rule's YAML document for
sub-field lines, which the cache does not keep (a cached origin is the rule's `id` line).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from coherence.diagnostics import InputError

if TYPE_CHECKING:
    from coherence.rules.catalog import Catalogue

FORMAT = 3
"""The cache file's format: part of the key."""

CACHE_DIR_ENV = "COHERENCE_CACHE_DIR"
NO_CACHE_ENV = "COHERENCE_NO_CACHE"
PREFIX = "catalogue-"


def cache_disabled() -> bool:
    """COHERENCE_NO_CACHE set to anything but empty or 0."""
    return os.environ.get(NO_CACHE_ENV, "") not in ("", "0")


def cache_dir() -> Path:
    """COHERENCE_CACHE_DIR, else the user's cache folder for coherence."""
    chosen = os.environ.get(CACHE_DIR_ENV)
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("coherence", appauthor=False))


def _hash_folder(digest: hashlib._Hash, folder: Path, pattern: str = "*") -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")


@functools.cache
def _code_digest() -> str:
    # Once per process: the tool's own modules do not change under a running interpreter.
    from coherence import __version__

    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
    _hash_folder(digest, Path(__file__).resolve().parent.parent, "*.py")
    return digest.hexdigest()


def cache_key(files: list[Path], seeds: Path) -> tuple[str, bytes]:
    """The key of a catalogue loaded from `files` against the seeds in `seeds` (it changes
    with any rule file, seed, config file or module of the tool), and the digest of the rule
    files the catalogue's version is made from (`rule_files_digest`), so that a catalogue
    read from the cache does not read its rule files a second time."""
    from coherence.resources import data_dir
    from coherence.rules.catalog import rule_files_digest

    digest = hashlib.sha256(_code_digest().encode())
    for path in files:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device: the loader names it
            raise OSError(f"not a regular file: {path}")
        digest.update(os.fsencode(os.path.realpath(path)) + b"\0" + os.fsencode(path) + b"\0")
    rules = rule_files_digest(files)  # each file's name and bytes
    digest.update(rules)
    digest.update(str(seeds.resolve()).encode() + b"\0")
    _hash_folder(digest, seeds)
    _hash_folder(digest, data_dir() / "config")
    return digest.hexdigest(), rules


def _private_dir(folder: Path) -> bool:
    """Create the folder 0700 if needed; False when it is not a folder, or (POSIX) not ours
    or writable by others."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    # Another user must not be able to plant a cache file: the folder is ours and nobody
    # else can write to it (an existing folder is never chmod-ed: it may be a shared one
    # that COHERENCE_CACHE_DIR names; a folder others can write to is simply not used).
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _dump(catalogue: Catalogue, key: str) -> str:
    payload = {
        "format": FORMAT,
        "key": key,
        "rules": [r.model_dump(mode="json", by_alias=True) for r in catalogue.rules],
        "derived": [d.model_dump(mode="json", by_alias=True) for d in catalogue.derived],
        "retired": [r.model_dump(mode="json") for r in catalogue.retired],
        "origins": {k: [o.file, o.line] for k, o in catalogue.origins.items()},
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _read(path: Path, key: str) -> dict | None:
    """The payload stored at `path` if it is ours, intact and for this key; else None."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return None
            raw = handle.read()
        stored, _, body = raw.partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode() != stored:
            return None
        payload = json.loads(body)
    except (OSError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        return None
    return payload if payload.get("key") == key else None


def _rebuild(payload: dict, seeds: Path, files: list[Path], rules_digest: bytes) -> Catalogue:
    """The catalogue stored in `payload`, its citations verified against the seeds again
    (ValueError when one does not hold: the file is then rebuilt)."""
    from coherence.corpus.manifest import load_corpus
    from coherence.corpus.quotes import quote_holds
    from coherence.rules.catalog import Catalogue, Origin
    from coherence.rules.model import Derived, RetiredRule, Rule

    corpus = load_corpus(seeds)
    rules = tuple(Rule.model_validate(r) for r in payload["rules"])
    for rule in rules:
        for cite in rule.citations:
            if not quote_holds(corpus, cite.source, cite.lines, cite.quote):
                raise ValueError(f"{rule.id}: a cached citation does not hold in the seeds")
    return Catalogue(
        rules=rules,
        derived=tuple(Derived.model_validate(d) for d in payload["derived"]),
        origins={k: Origin(file, line) for k, (file, line) in payload["origins"].items()},
        corpus=corpus,
        files=tuple(files),
        digest_input=rules_digest,
        retired=tuple(RetiredRule.model_validate(r) for r in payload["retired"]),
    )


KEEP = 16
"""Cache files kept (the newest): two (catalogue, compiled shards) per combination of rule
packs in use."""


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the newest `KEEP` cache files, and temporary files a killed run left."""
    try:
        ours = [p for p in folder.iterdir() if p.name.startswith((PREFIX, ".tmp-" + PREFIX))]
        old = time.time() - 600  # a temporary file this old belongs to no running write
        stale = [p for p in ours if p.name.startswith(".tmp-") and p.stat().st_mtime < old]
        ours = [p for p in ours if not p.name.startswith(".tmp-")]
        done = sorted(
            (p for p in ours if p != keep),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for p in stale + done[KEEP - 1 :]:
            p.unlink()
    except OSError:
        pass


def _write(folder: Path, path: Path, text: str) -> None:
    try:
        body = text.encode("utf-8")
    except UnicodeEncodeError:  # a rule file whose name is not UTF-8: not cached, still used
        return
    data = hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    try:  # a read-only or full file system: the catalogue is used, just not kept
        fd, tmp = tempfile.mkstemp(prefix=".tmp-" + PREFIX, dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return
    _prune(folder, path)


SHARD_FIELDS = ("name", "rule_ids", "paths", "state_paths", "definitions", "targets")
"""The fields of `coherence.engine.compile.Shard` this cache knows how to store: if the
dataclass changes, compiled shards are not cached at all (rather than stored half)."""


def _shards_storable() -> bool:
    from dataclasses import fields

    from coherence.engine.compile import Shard, Target

    return tuple(f.name for f in fields(Shard)) == SHARD_FIELDS and tuple(
        f.name for f in fields(Target)
    ) == ("kind", "key", "truth")


def _dump_shards(shards: list, key: str) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "key": key,
            "shards": [
                {
                    "name": s.name,
                    "rule_ids": s.rule_ids,
                    "paths": sorted(s.paths),
                    "state_paths": sorted(s.state_paths),
                    "definitions": s.definitions,
                    "targets": {n: [t.kind, list(t.key), t.truth] for n, t in s.targets.items()},
                }
                for s in shards
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _load_shards(payload: dict) -> list:
    from coherence.engine.compile import Shard, Target

    shards = []
    for item in payload["shards"]:
        targets = {}
        for name, (kind, (a, b), truth) in item["targets"].items():
            if kind not in ("condition", "derived") or not isinstance(truth, bool):
                raise ValueError("not a compiled target")
            targets[str(name)] = Target(kind, (str(a), str(b)), truth)
        if not isinstance(item["definitions"], dict):
            raise ValueError("not compiled definitions")
        shards.append(
            Shard(
                name=str(item["name"]),
                rule_ids=[str(r) for r in item["rule_ids"]],
                paths={str(p) for p in item["paths"]},
                state_paths={str(p) for p in item["state_paths"]},
                definitions=item["definitions"],
                targets=targets,
            )
        )
    return shards


def compiled_shards(catalogue: Catalogue) -> list:
    """`compile_catalogue(catalogue)`, through the cache when the catalogue came from it
    (and was not narrowed since: `--select` and `--skip` make a new catalogue, compiled
    afresh). Stored under the catalogue's key, which covers the compiler's code too."""
    from coherence.engine.compile import compile_catalogue

    slot = getattr(catalogue, "_cache_slot", None)
    if slot is None or not _shards_storable():
        return compile_catalogue(catalogue)
    folder, key = slot
    path = folder / f"{PREFIX}{key[:32]}.shards.json"
    payload = _read(path, key)
    if payload is not None:
        try:
            return _load_shards(payload)
        except (KeyError, TypeError, ValueError):
            pass
    shards = compile_catalogue(catalogue)
    _write(folder, path, _dump_shards(shards, key))
    return shards


_LOADED: dict[Path, tuple[tuple[str, tuple[int, ...] | None], Catalogue]] = {}
"""The catalogues this process has read from (or written to) each cache file, with the key
and the file's signature then: a later call in the same process (a library user assessing
profile after profile, `coherence rules list` after `check` in one test run) takes the object
again instead of parsing and validating the file anew, as long as the file is unchanged."""


def _signature(path: Path) -> tuple[int, ...] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_dev)


def _remember(path: Path, key: str, catalogue: Catalogue, folder: Path) -> Catalogue:
    catalogue._cache_slot = (folder, key)  # type: ignore[attr-defined]
    signature = _signature(path)
    if signature is not None:
        if len(_LOADED) >= 8:  # a few packs in use at once; never grows with a long session
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[path] = ((key, signature), catalogue)
    return catalogue


def load_catalogue_cached(extra_dirs: list[Path] | None = None, *, use_cache: bool = True):
    """`load_catalogue(extra_dirs)` through the cache (see the module docstring).

    A catalogue with problems is never cached: it raises `InputError` as always.
    """
    from coherence.corpus.manifest import default_seeds_dir
    from coherence.rules.catalog import bundled_rules_dir, load_catalogue, rule_files

    if not use_cache or cache_disabled():
        return load_catalogue(extra_dirs)
    dirs = [bundled_rules_dir(), *(extra_dirs or [])]
    seeds = default_seeds_dir()
    try:
        files = list({os.path.realpath(f): f for f in rule_files(dirs)}.values())
        key, rules_digest = cache_key(files, seeds)
    except (OSError, InputError):  # let the loader report it, at its place
        return load_catalogue(extra_dirs)
    folder = cache_dir()
    path = folder / f"{PREFIX}{key[:32]}.json"
    usable = _private_dir(folder)
    if usable:
        seen = _LOADED.get(path)
        if seen is not None and seen[0] == (key, _signature(path)):
            return seen[1]
        payload = _read(path, key)
        if payload is not None:
            try:
                catalogue = _rebuild(payload, seeds, files, rules_digest)
            except (KeyError, TypeError, ValueError):  # a shape we do not know, a quote
                # that does not hold: rebuild
                pass
            else:
                return _remember(path, key, catalogue, folder)
    catalogue = load_catalogue(extra_dirs)
    if usable:
        _write(folder, path, _dump(catalogue, key))
        return _remember(path, key, catalogue, folder)
    return catalogue
