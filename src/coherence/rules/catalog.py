"""Loading the rule catalogue: parse, validate, verify every citation, resolve derived facts.

Loading is strict. A rule whose quote is not found in its source (within the stated lines),
that reads a path the profile format does not have, compares a path with a value it can
never hold, or repeats another rule's id does not load: the loader reports every such
problem at `file:line` and raises.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from coherence.corpus import Corpus, load_corpus
from coherence.corpus.quotes import quote_problem
from coherence.diagnostics import Diagnostic, InputError
from coherence.facts import readable_paths
from coherence.findings import Selection
from coherence.profile.validate import diagnostics_for
from coherence.resources import data_dir
from coherence.rules.condition import (
    AtLeast,
    AtMost,
    Count,
    Equals,
    In,
    Instrument,
    leaf_path,
    leaves,
    paths,
)
from coherence.rules.model import Derived, RetiredRule, Rule, RuleFile
from coherence.textinput import shown_name
from coherence.yamlsource import YamlDocument, load_yaml_file

CONDITIONS = ("applies_when", "met_when", "partial_when")


@dataclass(frozen=True)
class Origin:
    """Where a rule or derived fact is defined."""

    file: str
    line: int
    document: YamlDocument | None = field(default=None, compare=False, repr=False)
    loc: tuple[str | int, ...] = ()

    def at(self, *sub: str | int) -> Origin:
        """The origin of a part of the rule, e.g. `at("citations", 0, "quote")`."""
        if self.document is None:
            return self
        line = self.document.line_of((*self.loc, *sub))[0]
        return Origin(self.file, line, self.document, (*self.loc, *sub))


@dataclass
class Catalogue:
    """The loaded, verified catalogue: rules sorted by id, derived facts in dependency order."""

    rules: tuple[Rule, ...]
    derived: tuple[Derived, ...]
    origins: dict[str, Origin]
    corpus: Corpus
    files: tuple[Path, ...] = ()
    digest_input: bytes = field(default=b"", repr=False)
    retired: tuple[RetiredRule, ...] = ()
    """Rules taken out of the catalogue, by id order: their ids are never reused."""
    selection: Selection | None = None
    """What `--select`/`--skip` kept, when they left rules out (assessment/selection.py)."""

    @cached_property
    def version(self) -> str:
        """A short hash of every rule file and of the corpus: identifies this catalogue."""
        digest = hashlib.sha256(self.digest_input)
        digest.update(self.corpus.fingerprint.encode())
        return digest.hexdigest()[:12]

    @cached_property
    def by_id(self) -> dict[str, Rule]:
        """Rules keyed by id."""
        return {rule.id: rule for rule in self.rules}

    def paths_read(self, rule: Rule) -> list[str]:
        """Paths the rule's conditions read, in condition order (`derived.*` not expanded)."""
        found: list[str] = []
        for name in CONDITIONS:
            cond = getattr(rule, name)
            if cond is not None:
                found.extend(paths(cond))
        return list(dict.fromkeys(found))

    def paths_behind(self, path: str, _seen: frozenset[str] = frozenset()) -> list[str]:
        """A path, followed by the paths behind it when it is a derived fact (depth first,
        each derived fact once)."""
        if not path.startswith("derived."):
            return [path]
        name = path.removeprefix("derived.")
        item = next((d for d in self.derived if d.id == name), None)
        out = [path]
        if item is None or name in _seen:
            return out
        for inner in paths(item.when):
            out.extend(self.paths_behind(inner, _seen | {name}))
        return out

    @cached_property
    def answers_read(self) -> frozenset[str]:
        """Every profile path some condition of the catalogue reads (rules and derived facts;
        `derived.*` names left out): what a profile's facts must hold for it."""
        found = {p for rule in self.rules for p in self.paths_read(rule)}
        found.update(p for d in self.derived for p in paths(d.when))
        return frozenset(p for p in found if not p.startswith("derived."))

    def derived_needed(self, rules: list[Rule]) -> list[Derived]:
        """The derived facts these rules read, directly or through other derived facts,
        in dependency order."""
        by_id = {d.id: d for d in self.derived}
        needed: set[str] = set()
        stack = [p for rule in rules for p in self.paths_read(rule)]
        while stack:
            path = stack.pop()
            name = path.removeprefix("derived.")
            if path.startswith("derived.") and name not in needed:
                needed.add(name)
                stack.extend(paths(by_id[name].when))
        return [d for d in self.derived if d.id in needed]


def bundled_rules_dir() -> Path:
    """The catalogue shipped with the tool."""
    return data_dir() / "rules"


def rule_files(dirs: list[Path]) -> list[Path]:
    """Every `*.yaml` / `*.yml` file in the given folders (or the files themselves), sorted.

    A sub-folder named like a rule file is searched, not read. Anything else so named (a
    FIFO, a dangling symlink, a symlink loop) is listed, so that loading it names the problem.
    """
    found: list[Path] = []
    for item in dirs:
        if item.is_dir():
            found.extend(
                sorted(
                    p for p in item.rglob("*") if p.suffix in (".yaml", ".yml") and not p.is_dir()
                )
            )
        elif item.is_file() or item.is_symlink() or item.exists():
            found.append(item)
        else:
            raise InputError(
                [Diagnostic(str(item), 0, 0, "no-such-path", "no such rule file or folder")]
            )
    return found


def _diag(origin: Origin, code: str, message: str, path: str = "") -> Diagnostic:
    return Diagnostic(origin.file, origin.line, 1, code, message, path)


ENGINE_INT_LIMIT = 2**63
"""durable-rules' C core holds integers in 64 bits: from 2**63 on it reads them as doubles
and compares them inexactly, where the reference evaluator is exact, so the engines could
disagree. Rules may not write such numbers (measured on durable-rules 2.0.28)."""

ENGINE_FLOAT_LIMIT = 2**53
"""A decimal number (`2.5`, `1e6`) is compared as a double by durable-rules, which turns a
profile's whole number into a double too: past 2**53 that rounds (2**62 - 1 >= 2.0**62 is
true there, false in Python). Decimal numbers in rules stay below it."""


def number_problem(leaf: object) -> str | None:
    """Why a number written in a leaf comparison cannot be evaluated alike by both engines
    (not finite, or beyond the engine's 64-bit integers), or None when it is fine."""
    if isinstance(leaf, Count):
        values: list[object] = [leaf.count.at_least, leaf.count.at_most]
    elif isinstance(leaf, (AtLeast, AtMost)):
        values = [(leaf.at_least if isinstance(leaf, AtLeast) else leaf.at_most).value]
    elif isinstance(leaf, Equals):
        values = [leaf.equals.value]
    elif isinstance(leaf, In):
        values = list(leaf.in_.values)
    else:
        return None
    for value in values:
        if isinstance(value, float) and not math.isfinite(value):
            return f"{value!r} is not a finite number; write a number such as 100000"
        if isinstance(value, (int, float)) and abs(value) >= ENGINE_INT_LIMIT:
            return (
                f"{value!r} is out of range: numbers in rules must lie strictly between "
                "-2**63 and 2**63 (9223372036854775808), where the rule engine compares exactly"
            )
        if isinstance(value, float) and abs(value) >= ENGINE_FLOAT_LIMIT:
            return (
                f"{value!r} is out of range: decimal numbers in rules must lie strictly "
                "between -2**53 and 2**53 (9007199254740992), where the rule engine compares "
                "them exactly; write a whole number instead"
            )
    return None


def check_leaf_types(leaf: object, derived_ids: set[str]) -> str | None:
    """Why a leaf comparison is malformed for its path, or None when it is fine."""
    path = leaf_path(leaf)  # type: ignore[arg-type]
    bad_number = number_problem(leaf)
    if bad_number:
        return bad_number
    if path.startswith("derived."):
        name = path.removeprefix("derived.")
        if name not in derived_ids:
            return f"unknown derived fact '{name}'"
        if isinstance(leaf, (Equals, In)):
            values = [leaf.equals.value] if isinstance(leaf, Equals) else leaf.in_.values
            bad = [v for v in values if v not in ("yes", "no")]
            return f"derived facts are yes or no, not {bad[0]!r}" if bad else None
        return "derived facts can only be compared with equals or in"
    info = readable_paths().get(path)
    if info is None:
        if isinstance(leaf, Instrument):
            return f"unknown instrument '{leaf.instrument.id}'"
        import difflib

        close = difflib.get_close_matches(path, list(readable_paths()), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"'{path}' is not a profile path{hint}"
    if isinstance(leaf, Instrument):
        if info.kind != "status":
            return f"'{path}' is not an instrument status"
        spec = leaf.instrument
        if spec.status is not None and spec.status not in info.values:
            return (
                f"instrument '{spec.id}' is never {spec.status!r}; "
                f"its statuses are: {', '.join(info.values)}"
            )
        if spec.at_least == "signed" and "signed" not in info.values:
            return (
                f"instrument '{spec.id}' is an ILO convention: it is ratified or not, never signed"
            )
        return None
    if isinstance(leaf, Count):
        if info.kind != "list":
            return f"count needs a list path; '{path}' holds a {info.kind}"
        if leaf.count.at_least is None and leaf.count.at_most is None:
            return "count needs at_least or at_most"
        return None
    if isinstance(leaf, (AtLeast, AtMost)):
        spec = leaf.at_least if isinstance(leaf, AtLeast) else leaf.at_most
        if info.kind != "number":
            return f"at_least/at_most need a number path; '{path}' holds a {info.kind}"
        if isinstance(spec.value, str):
            return f"at_least/at_most compare with a number, not {spec.value!r}"
        return None
    if isinstance(leaf, (Equals, In)):
        values = [leaf.equals.value] if isinstance(leaf, Equals) else leaf.in_.values
        if info.kind == "list":
            return f"'{path}' is a list: use count"
        if info.kind == "number":
            bad = [v for v in values if isinstance(v, str)]
            return f"'{path}' holds a number, not {bad[0]!r}" if bad else None
        bad = [v for v in values if v not in info.values]
        if bad:
            allowed = ", ".join(v for v in info.values if v not in ("unknown", "not_applicable"))
            extra = ""
            if bad[0] in ("unknown", "not_applicable"):
                extra = " (unknown and not_applicable answers make a condition unknown; use exists)"
            return f"'{path}' can never be {bad[0]!r}; it holds one of: {allowed}{extra}"
    return None


def _order_derived(items: list[tuple[Derived, Origin]]) -> tuple[list[Derived], list[Diagnostic]]:
    by_id = {d.id: (d, o) for d, o in items}
    order: list[Derived] = []
    state: dict[str, int] = {}
    problems: list[Diagnostic] = []

    def visit(name: str, chain: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = " -> ".join([*chain[chain.index(name) :], name])
            problems.append(
                _diag(by_id[name][1], "derived-cycle", f"derived facts form a cycle: {cycle}")
            )
            return
        state[name] = 1
        for path in paths(by_id[name][0].when):
            dep = path.removeprefix("derived.")
            if path.startswith("derived.") and dep in by_id:
                visit(dep, [*chain, name])
        state[name] = 2
        order.append(by_id[name][0])

    for name in sorted(by_id):
        visit(name, [])
    return order, problems


def rule_files_digest(files: list[Path] | tuple[Path, ...]) -> bytes:
    """What the catalogue's version hashes of its rule files: each file's name and bytes."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(os.fsencode(path.name) + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def verify_citations(rule: Rule, origin: Origin, corpus: Corpus) -> list[Diagnostic]:
    """Every citation's source exists and its quote stands within the stated lines."""
    problems = []
    for number, cite in enumerate(rule.citations, 1):
        found = quote_problem(corpus, cite.source, cite.lines, cite.quote)
        if found is not None:
            code, name, message = found
            here = origin.at("citations", number - 1, name)
            problems.append(_diag(here, code, f"{rule.id} citation {number}: {message}"))
    return problems


PROFILE_KEYS = frozenset({"format_version", "country", "as_of", "roles", "prepared_by"})
"""Top-level keys of a profile: a YAML file with two of them and no `rules` or `derived` in a
rule folder is a profile given as rules, reported once rather than field by field."""


def _is_profile(data: dict) -> bool:
    """Whether a YAML mapping found among rule files is clearly a profile."""
    return not {"rules", "derived"} & data.keys() and len(PROFILE_KEYS & data.keys()) >= 2


def load_catalogue(
    extra_dirs: list[Path] | None = None,
    *,
    include_bundled: bool = True,
    corpus: Corpus | None = None,
) -> Catalogue:
    """Load and verify the bundled catalogue plus any extra rule folders.

    Raises `InputError` listing every problem, each at `file:line`.
    """
    dirs = ([bundled_rules_dir()] if include_bundled else []) + list(extra_dirs or [])
    corpus = corpus or load_corpus()
    files = list(
        {os.path.realpath(f): f for f in rule_files(dirs)}.values()
    )  # a folder given twice loads once
    problems: list[Diagnostic] = []
    rules: list[tuple[Rule, Origin]] = []
    derived: list[tuple[Derived, Origin]] = []
    retired: dict[str, RetiredRule] = {}
    for path in files:
        try:
            doc: YamlDocument = load_yaml_file(path)
        except InputError as exc:
            problems.extend(exc.diagnostics)
            continue
        except OSError as exc:  # a folder, FIFO, device, dangling symlink or symlink loop
            reason = exc.strerror or str(exc)
            shown = shown_name(path)
            problems.append(Diagnostic(shown, 0, 0, "unreadable", f"cannot read: {reason}"))
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                Diagnostic(
                    doc.path, 1, 1, "not-a-mapping", "a rule file is a mapping with `rules:`"
                )
            )
            continue
        if _is_profile(doc.data):
            problems.append(
                Diagnostic(
                    doc.path,
                    1,
                    1,
                    "not-a-rule-file",
                    f"{doc.path} is a profile, not a rule file: a rule folder holds rule files "
                    "(mappings with `rules:`); give a profile as the file to check",
                )
            )
            continue
        try:
            parsed = RuleFile.model_validate(doc.data)
        except ValidationError as exc:
            problems.extend(diagnostics_for(exc, doc, RuleFile))
            continue
        for i, rule in enumerate(parsed.rules):
            rules.append(
                (rule, Origin(doc.path, doc.line_of(("rules", i, "id"))[0], doc, ("rules", i)))
            )
        for i, item in enumerate(parsed.derived):
            derived.append(
                (item, Origin(doc.path, doc.line_of(("derived", i, "id"))[0], doc, ("derived", i)))
            )
        retired.update((r.id, r) for r in parsed.retired)

    origins: dict[str, Origin] = {}
    for item, origin in derived:
        if f"derived.{item.id}" in origins:
            first = origins[f"derived.{item.id}"]  # named, as for a rule id used twice
            said = f"derived fact '{item.id}' is defined twice (first at {first.file}:{first.line})"
            problems.append(_diag(origin, "duplicate-id", said))
        origins[f"derived.{item.id}"] = origin
    derived_ids = {d.id for d, _ in derived}
    for rule, origin in rules:
        if rule.id in origins:
            first = origins[rule.id]
            problems.append(
                _diag(
                    origin,
                    "duplicate-id",
                    f"rule id {rule.id} is already used at {first.file}:{first.line}",
                )
            )
            continue
        origins[rule.id] = origin
        if rule.id in retired:
            problems.append(
                _diag(
                    origin, "retired-id", f"rule id {rule.id} was retired; give the rule a new id"
                )
            )
        problems.extend(verify_citations(rule, origin, corpus))
        for name in CONDITIONS:
            cond = getattr(rule, name)
            for leaf in leaves(cond) if cond is not None else ():
                reason = check_leaf_types(leaf, derived_ids)
                if reason:
                    problems.append(
                        _diag(origin.at(name), "bad-condition", f"{rule.id} {name}: {reason}")
                    )
    for item, origin in derived:
        for leaf in leaves(item.when):
            reason = check_leaf_types(leaf, derived_ids)
            if reason:
                problems.append(
                    _diag(origin.at("when"), "bad-condition", f"derived {item.id}: {reason}")
                )
    ordered, cycle_problems = _order_derived(derived)
    problems.extend(cycle_problems)
    if problems:
        raise InputError(sorted(set(problems)))
    return Catalogue(
        rules=tuple(sorted((r for r, _ in rules), key=lambda r: r.id)),
        derived=tuple(ordered),
        origins=origins,
        corpus=corpus,
        files=tuple(files),
        digest_input=rule_files_digest(files),
        retired=tuple(sorted(retired.values(), key=lambda r: r.id)),
    )
