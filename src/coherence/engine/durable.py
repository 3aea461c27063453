"""The durable-rules engine, tamed.

What this module owns (see `../shared/notes/durable-rules.md`):

* One quiet host per process: `Host._run` is overridden so no timer threads start and
  actions run synchronously in the caller's thread.
* Rulesets are registered from JSON under unique names, once per catalogue.
* No catch-all rule: a fact matching no rule is reported by the C core as code 1 and
  does not stop the batch (`_run_session`). A marker rule fires once per session, since
  deleting a session in which nothing fired corrupts the C heap.
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
from coherence.engine.compile import MAX_FACT_PROPERTIES, Shard, Target, path_key
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


MARKER = "marker"
"""The rule every session fires once (see `DurableEngine.__init__`); no compiled rule has
this name (theirs are r0, r1, ...)."""

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

    __slots__ = ("asserted", "derived", "truths")

    def __init__(self) -> None:
        self.truths: dict[tuple[str, str], bool] = {}
        self.derived: dict[str, bool] = {}
        self.asserted: set[tuple[str, str]] = set()  # (sid, derived id): assert once per session


def _encode(fact: Fact, sid: str) -> dict[str, Any]:
    state = "known" if fact.known else fact.state
    body: dict[str, Any] = {"sid": sid, path_key(fact.path): 1, "k": state}
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


# The JSON of a fact after its session id, by what `_encode` reads of it: most answers take
# a handful of values, so a profile's facts are mostly found here rather than encoded again.
# Numbers vary without end, so the table is emptied when it grows large.
_FRAGMENTS: dict[tuple[Any, ...], str] = {}
_MAX_FRAGMENTS = 50_000


def _fragment(fact: Fact) -> str:
    """`json.dumps(_encode(fact, sid))` without its opening `{"sid": "<sid>"` part."""
    if fact.state == "known":
        kind = fact.kind
        value = len(fact.value) if kind == "list" else fact.value
        key: tuple[Any, ...] = (fact.path, kind, type(value), value)  # True is not 1
    else:
        key = (fact.path, fact.state)
    try:
        text = _FRAGMENTS.get(key)
    except TypeError:  # pragma: no cover - an unhashable value: encode it every time
        key, text = (), None
    if text is None:
        body = json.dumps(_encode(fact, ""), ensure_ascii=False)
        prefix = '{"sid": "", '
        if not body.startswith(prefix):  # pragma: no cover - json.dumps keeps insertion order
            raise EngineError(f"unexpected encoding of fact {fact.path}")
        text = body[len(prefix) :]
        if key:
            if len(_FRAGMENTS) >= _MAX_FRAGMENTS:
                _FRAGMENTS.clear()
            _FRAGMENTS[key] = text
    return text


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
            # No catch-all rule: a fact that matches no rule makes durable-rules' Python
            # wrapper raise `MessageNotHandledException`, but coherence calls the C core,
            # which stores and matches the rest of the batch and only reports code 1; the
            # fired rules are then run here, in this thread (`_run_session`). But deleting a
            # session in which no rule ever fired corrupts the C heap (`munmap_chunk():
            # invalid pointer`, measured): each session starts with a marker fact that
            # fires the marker rule, once.
            rules: dict[str, Any] = {
                rule_name: {**definition, "run": _ignore}
                for rule_name, definition in shard.definitions.items()
            }
            rules[MARKER] = {"all": [{"m": {"t": "marker"}}], "run": _ignore}
            definitions[name] = rules
            self._names.append((name, shard))
        self._host.register_rulesets(definitions)
        handles = {name: self._host.get_ruleset(name)._handle for name, _ in self._names}
        self._handles = handles
        # What each profile needs, worked out once: per shard its handle, the paths it
        # reads in order, and those read in a not-known state too.
        self._plan = [
            (name, handles[name], shard, sorted(shard.paths), frozenset(shard.state_paths))
            for name, shard in self._names
        ]
        self._condition_keys = [
            (rule.id, cond)
            for rule in catalogue.rules
            for cond in ("applies_when", "met_when", "partial_when")
            if getattr(rule, cond) is not None
        ]
        self._derived_ids = [d.id for d in catalogue.derived]

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
        fact = {"sid": sid, path_key(f"derived.{derived_id}"): 1, "k": "known"}
        fact["v"] = "yes" if target.truth else "no"
        code = _core.assert_fact(handle, json.dumps(fact))[0]
        if code == 2:
            raise EngineError(f"durable-rules refused derived fact {derived_id} (code {code})")

    def _run_session(
        self, handle: Any, shard: Shard, batch: str, sid: str, session: _Session
    ) -> None:
        """Assert a batch (JSON text) and run the fired rules in this thread.

        This is the loop of durable-rules' own `Ruleset.do_actions`, without the per-action
        Closure and state round trip that our actions do not need (they never change the
        session state); it makes evaluation several times faster. Any exception raised while
        handling a fired rule abandons the action and is raised, never swallowed.

        Result code 1 means that some fact of the batch matched no rule: it is simply not
        stored, and the others are matched as usual. Code 2 (a fact asserted twice) cannot
        happen, since a batch holds each path once, and is an error.
        """
        result = _core.assert_facts(handle, batch)
        if result[0] == 2:
            raise EngineError(f"durable-rules refused the facts (code {result[0]})")
        state_handle = result[1]
        started = _core.start_action_for_state(handle, state_handle)
        message = started[1] if started else None
        targets = shard.targets
        on_fire = self._on_fire
        complete = _core.complete_and_start_action
        while message:
            try:
                target = targets.get(_action_name(message))
                if target is not None:  # None: the marker rule
                    on_fire(target, sid, session, handle)
            except BaseException:
                _core.abandon_action(handle, state_handle)
                raise
            message = complete(handle, state_handle)

    def truths(self, facts: dict[str, Fact]) -> Truths:
        """Assert one profile's facts into a fresh session of every shard; collect truths."""
        with self._lock:  # the C core is not re-entrant per ruleset
            session = _Session()
            for ruleset, handle, shard, paths, state_paths in self._plan:
                sid = f"s{next(self._sids)}"
                # Only known facts can match a comparison; the others matter only where an
                # `exists` condition looks for them.
                head = '{"sid": "' + sid + '", '
                parts = [head + '"t": "marker"}']
                parts += [
                    head + _fragment(fact)
                    for p in paths
                    if (fact := facts.get(p)) is not None
                    and (fact.state == "known" or p in state_paths)
                ]
                if len(parts) == 1:
                    continue
                try:
                    self._run_session(handle, shard, "[" + ", ".join(parts) + "]", sid, session)
                except EngineError:
                    raise
                except Exception as exc:
                    raise EngineError(
                        f"an engine action failed on ruleset {ruleset}: {exc}"
                    ) from exc
                finally:
                    # An empty session was never created, and deleting it raises.
                    with contextlib.suppress(Exception):
                        _core.delete_state(handle, sid)
            found, derived = session.truths, session.derived
            return Truths(
                {key: found.get(key) for key in self._condition_keys},
                {name: derived.get(name) for name in self._derived_ids},
            )

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
    """The registered action of every rule: coherence runs the fired rules itself."""
