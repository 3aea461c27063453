"""The durable-rules engine, tamed.

What this module owns (see `../shared/notes/durable-rules.md`):

* One quiet host per process: `Host._run` is overridden so no timer threads start and
  actions run synchronously in the caller's thread.
* Rulesets are registered from JSON under unique names, once per catalogue.
* Every ruleset has a catch-all rule, so no fact raises `MessageNotHandledException`.
* Each profile is evaluated in its own session (`sid`) per ruleset, and the session is
  deleted afterwards, so thousands of profiles never reach the 1,024-session cap.
* Exceptions inside actions, which durable-rules swallows into the session state, are
  recorded and raised as `EngineError`.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable
from typing import Any

from coherence.engine.base import Truths
from coherence.engine.compile import MAX_FACT_PROPERTIES, Shard, Target, compile_catalogue
from coherence.facts import Fact
from coherence.rules.catalog import Catalogue

try:
    from durable import engine as _durable

    IMPORT_ERROR: str | None = None
except Exception as exc:  # ImportError on 3.13+: PyEval_CallObject was removed
    _durable = None  # type: ignore[assignment]
    IMPORT_ERROR = f"{type(exc).__name__}: {exc}"


class EngineError(Exception):
    """The engine failed while evaluating a profile."""


def available() -> bool:
    """Can durable-rules be imported on this Python?"""
    return _durable is not None


if _durable is not None:

    class _QuietHost(_durable.Host):  # type: ignore[misc, name-defined]
        """A host without timer threads: actions run synchronously in the caller."""

        def _run(self) -> None:
            return None


_HOST: Any = None
_HOST_LOCK = threading.Lock()
_NAMES = itertools.count()


def _host() -> Any:
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            _HOST = _QuietHost()
        return _HOST


class _Session:
    """What the actions of one profile evaluation record."""

    def __init__(self) -> None:
        self.truths: dict[tuple[str, str], bool] = {}
        self.derived: dict[str, bool] = {}
        self.asserted: set[tuple[str, str]] = set()  # (sid, derived id): assert once per session
        self.errors: list[str] = []


def _encode(fact: Fact, sid: str) -> dict[str, Any]:
    state = "known" if fact.known else fact.state
    body: dict[str, Any] = {"sid": sid, "t": "f", "p": fact.path, "k": state}
    if fact.known:
        if fact.kind == "number":
            body["x"] = fact.value
        elif fact.kind == "list":
            body["n"] = len(fact.value)
        else:
            body["v"] = fact.value
    if len(body) > MAX_FACT_PROPERTIES:  # pragma: no cover - facts have at most six fields
        raise EngineError(f"fact {fact.path} has too many properties")
    return body


class DurableEngine:
    """Evaluates a catalogue with durable-rules' Rete network."""

    name = "durable"

    def __init__(self, catalogue: Catalogue):
        if _durable is None:
            raise EngineError(f"durable-rules cannot be imported: {IMPORT_ERROR}")
        self.catalogue = catalogue
        self.shards: list[Shard] = compile_catalogue(catalogue)
        self._sessions: dict[str, _Session] = {}
        self._sids = itertools.count()
        self._lock = threading.Lock()
        self._host = _host()
        self._names: list[tuple[str, Shard]] = []
        definitions: dict[str, dict[str, Any]] = {}
        prefix = f"c{next(_NAMES)}"
        for shard in self.shards:
            name = f"{prefix}-{shard.name}"
            rules: dict[str, Any] = {}
            for rule_name, definition in shard.definitions.items():
                rules[rule_name] = {**definition, "run": self._action(shard.targets[rule_name])}
            rules["catch_all"] = {"all": [{"m": {"$ex": {"t": 1}}}], "run": _ignore}
            definitions[name] = rules
            self._names.append((name, shard))
        self._host.register_rulesets(definitions)

    def _action(self, target: Target) -> Callable[[Any], None]:
        # Exactly one parameter: durable-rules treats two-parameter callables as async.
        def act(c: Any) -> None:
            session = self._sessions.get(c.s.sid)
            if session is None:
                return
            try:
                if target.kind == "derived":
                    derived_id = target.key[1]
                    if (c.s.sid, derived_id) not in session.asserted:
                        session.asserted.add((c.s.sid, derived_id))
                        session.derived[derived_id] = target.truth
                        c.assert_fact(
                            {
                                "t": "f",
                                "p": f"derived.{derived_id}",
                                "k": "known",
                                "v": "yes" if target.truth else "no",
                            }
                        )
                else:
                    session.truths[target.key] = target.truth
            except BaseException as exc:  # surfaced after the call, never swallowed
                session.errors.append(f"{type(exc).__name__}: {exc}")

        return act

    def truths(self, facts: dict[str, Fact]) -> Truths:
        """Assert one profile's facts into a fresh session of every shard; collect truths."""
        with self._lock:  # the C core is not re-entrant per ruleset
            session = _Session()
            for ruleset, shard in self._names:
                sid = f"s{next(self._sids)}"
                self._sessions[sid] = session
                batch = [_encode(facts[p], sid) for p in sorted(shard.paths) if p in facts]
                try:
                    if batch:
                        self._host.assert_facts(ruleset, batch)
                    state = self._host.get_state(ruleset, sid)
                    if isinstance(state, dict) and state.get("exception"):
                        session.errors.append(str(state["exception"]))
                except Exception as exc:
                    raise EngineError(f"durable-rules failed on ruleset {ruleset}: {exc}") from exc
                finally:
                    self._sessions.pop(sid, None)
                    # An empty session was never created, and deleting it raises.
                    with contextlib.suppress(Exception):
                        self._host.delete_state(ruleset, sid)
                if session.errors:
                    raise EngineError("an engine action failed: " + "; ".join(session.errors))
            conditions: dict[tuple[str, str], bool | None] = {}
            for rule in self.catalogue.rules:
                for name in ("applies_when", "met_when", "partial_when"):
                    if getattr(rule, name) is not None:
                        conditions[(rule.id, name)] = session.truths.get((rule.id, name))
            derived = {d.id: session.derived.get(d.id) for d in self.catalogue.derived}
            return Truths(conditions, derived)

    def close(self) -> None:
        """Rulesets stay registered on the process-wide host (durable-rules cannot drop them)."""


def _ignore(c: Any) -> None:
    """The catch-all rule's action: every fact must match some rule."""
