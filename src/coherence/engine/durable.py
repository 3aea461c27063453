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
import json
import threading
from typing import Any

from coherence.engine.base import Truths
from coherence.engine.compile import MAX_FACT_PROPERTIES, Shard, Target
from coherence.facts import Fact
from coherence.rules.catalog import Catalogue

try:
    import durable_rules_engine as _core
    from durable import engine as _durable

    IMPORT_ERROR: str | None = None
except Exception as exc:  # not installed (Windows), or 3.13+: PyEval_CallObject removed
    _durable = None  # type: ignore[assignment]
    _core = None
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
        # Compiled once per catalogue version: through the cache when the catalogue came
        # from it (coherence.rules.cache), else `compile_catalogue`.
        from coherence.rules.cache import compiled_shards

        self.shards: list[Shard] = compiled_shards(catalogue)
        self._sids = itertools.count()
        self._lock = threading.Lock()
        self._host = _host()
        self._names: list[tuple[str, Shard]] = []
        definitions: dict[str, dict[str, Any]] = {}
        prefix = f"c{next(_NAMES)}"
        for shard in self.shards:
            name = f"{prefix}-{shard.name}"
            rules: dict[str, Any] = {
                rule_name: {**definition, "run": _ignore}
                for rule_name, definition in shard.definitions.items()
            }
            # Every fact must match some rule, or durable-rules raises MessageNotHandledException.
            # (A catch-all that joins on a fact that never exists would not fire, but deleting
            # such a session corrupts durable-rules' heap: measured, see docs/engine.md.)
            rules["catch_all"] = {"all": [{"m": {"$ex": {"t": 1}}}], "run": _ignore}
            definitions[name] = rules
            self._names.append((name, shard))
        self._host.register_rulesets(definitions)
        self._handles = {name: self._host.get_ruleset(name)._handle for name, _ in self._names}

    def _on_fire(self, target: Target, sid: str, session: _Session, handle: Any) -> None:
        """Record what a fired engine rule establishes; a derived fact is asserted back."""
        if target.kind == "condition":
            session.truths[target.key] = target.truth
            return
        derived_id = target.key[1]
        if (sid, derived_id) in session.asserted:
            return
        session.asserted.add((sid, derived_id))
        session.derived[derived_id] = target.truth
        fact = {"sid": sid, "t": "f", "p": f"derived.{derived_id}", "k": "known"}
        fact["v"] = "yes" if target.truth else "no"
        code = _core.assert_fact(handle, json.dumps(fact))[0]
        if code in (1, 2):
            raise EngineError(f"durable-rules refused derived fact {derived_id} (code {code})")

    def _run_session(
        self, ruleset: str, shard: Shard, batch: list[dict[str, Any]], sid: str, session: _Session
    ) -> None:
        """Assert a batch and run the fired rules in this thread.

        This is the loop of durable-rules' own `Ruleset.do_actions`, without the per-action
        Closure and state round trip that our actions do not need (they never change the
        session state); it makes evaluation several times faster. Any exception raised while
        handling a fired rule abandons the action and is raised, never swallowed.
        """
        handle = self._handles[ruleset]
        result = _core.assert_facts(handle, json.dumps(batch, ensure_ascii=False))
        if result[0] in (1, 2):
            raise EngineError(f"durable-rules refused the facts (code {result[0]})")
        state_handle = result[1]
        started = _core.start_action_for_state(handle, state_handle)
        message = started[1] if started else None
        while message:
            action = _action_name(message)
            try:
                if action != "catch_all":
                    self._on_fire(shard.targets[action], sid, session, handle)
            except BaseException:
                _core.abandon_action(handle, state_handle)
                raise
            message = _core.complete_and_start_action(handle, state_handle)

    def truths(self, facts: dict[str, Fact]) -> Truths:
        """Assert one profile's facts into a fresh session of every shard; collect truths."""
        with self._lock:  # the C core is not re-entrant per ruleset
            session = _Session()
            for ruleset, shard in self._names:
                sid = f"s{next(self._sids)}"
                # Only known facts can match a comparison; the others matter only where an
                # `exists` condition looks for them. Fewer facts, fewer catch-all firings.
                batch = [
                    _encode(facts[p], sid)
                    for p in sorted(shard.paths)
                    if p in facts and (facts[p].known or p in shard.state_paths)
                ]
                if not batch:
                    continue
                try:
                    self._run_session(ruleset, shard, batch, sid, session)
                except EngineError:
                    raise
                except Exception as exc:
                    raise EngineError(
                        f"an engine action failed on ruleset {ruleset}: {exc}"
                    ) from exc
                finally:
                    # An empty session was never created, and deleting it raises.
                    with contextlib.suppress(Exception):
                        self._host.delete_state(ruleset, sid)
            conditions: dict[tuple[str, str], bool | None] = {}
            for rule in self.catalogue.rules:
                for name in ("applies_when", "met_when", "partial_when"):
                    if getattr(rule, name) is not None:
                        conditions[(rule.id, name)] = session.truths.get((rule.id, name))
            derived = {d.id: session.derived.get(d.id) for d in self.catalogue.derived}
            return Truths(conditions, derived)

    def close(self) -> None:
        """Rulesets stay registered on the process-wide host (durable-rules cannot drop them)."""


def _action_name(message: str) -> str:
    """The fired rule's name: the first key of the action message `{"<name>": {...}}`.

    Read from the text rather than by parsing the whole message, which is most of the cost
    of a fired rule; the general path is kept for any other layout.
    """
    if message.startswith('{"'):
        end = message.find('"', 2)
        if end > 2 and message[end + 1] == ":":
            return message[2:end]
    return next(iter(json.loads(message)))


def _ignore(c: Any) -> None:
    """The catch-all rule's action: every fact must match some rule."""
