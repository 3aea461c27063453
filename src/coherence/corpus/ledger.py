"""The ledger of what the sources ask (`seeds/ledger/<theme>.yaml`).

The ledger lists, theme by theme, every passage of the five seeds that asks governments for
something. Each passage carries its source, lines and verbatim quote (verified exactly as a
rule citation is, by `coherence.corpus.quotes.quote_problem`), to whom it speaks, what it
asks in the ledger's own words and, when no rule cites it, why (`uncited`).

Matching a rule citation to a ledger passage
--------------------------------------------
A citation and a passage *match* when all three hold:

1. they name the same source;
2. their line ranges overlap (`c.first <= p.last and p.first <= c.last`);
3. their quotes, whitespace-normalised (`coherence.corpus.manifest.normalise`), either
   contain one another, or share a common run of at least `MIN_SHARED` (60) consecutive
   characters.

Condition 3 lets a rule quote a sentence of a longer ledger passage (or a ledger passage
quote a sentence of a longer citation), and lets two quotes of the same passage that were
cut at slightly different points match, while two different sentences on neighbouring lines
do not. A passage is *cited by* a rule when any of the rule's citations matches it; a rule's
`requirement` citation is *in the ledger* when some passage matches it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from coherence.corpus.manifest import Corpus, normalise
from coherence.corpus.quotes import quote_problem
from coherence.diagnostics import Diagnostic, InputError
from coherence.docstrings import DocumentedModel
from coherence.rules.model import Addressee, Citation
from coherence.themes import RULE_THEMES
from coherence.yamlsource import YamlDocument, load_yaml_file

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coherence.rules.catalog import Catalogue
    from coherence.rules.model import Rule

MIN_SHARED = 60
"""Consecutive normalised characters two quotes must share to match (unless one contains
the other)."""

Uncited = Literal[
    "un_system",
    "research_agenda",
    "preambular",
    "agency_activity",
    "outside_themes",
    "no_profile_field",
    "too_general",
    "covered_by_other_passage",
    "not_an_ask",
]
"""Why no rule cites a passage."""

UNCITED_WORDS: dict[str, str] = {
    "un_system": "addressed to the UN system, not to governments",
    "research_agenda": "a research agenda",
    "preambular": "preambular: recalls or welcomes, asks nothing specific",
    "agency_activity": "describes an agency's own work",
    "outside_themes": "outside the five themes",
    "no_profile_field": "the profile format has no field to check it",
    "too_general": "too general to check",
    "covered_by_other_passage": "covered by another passage that a rule cites",
    "not_an_ask": "read in context, not a call on governments (a view, a report or a possibility)",
}
"""How `docs/coverage.md` explains each `uncited` reason."""


class Passage(DocumentedModel):
    """One passage of a seed that asks governments for something."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    """Source id from `seeds/sources.yaml`."""
    lines: tuple[int, int]
    """First and last line of the quote in the source file (1-based, inclusive)."""
    quote: str = Field(min_length=20)
    """The source's own words, verbatim (whitespace may differ)."""
    addressee: Addressee
    """To whom the passage speaks."""
    asks: str = Field(min_length=5)
    """What it asks governments to do, in the ledger's own words."""
    uncited: Uncited | None = None
    """Only when no rule cites the passage: why."""

    @model_validator(mode="after")
    def _ordered(self) -> Passage:
        if not 1 <= self.lines[0] <= self.lines[1]:
            raise ValueError("lines must be [first, last] with 1 <= first <= last")
        return self


class LedgerFile(DocumentedModel):
    """One theme's ledger file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    passages: list[Passage] = Field(default_factory=list)
    """The passages of the seeds that ask governments for something on this theme."""


@dataclass(frozen=True)
class Entry:
    """A ledger passage with its theme and where it is written."""

    passage: Passage
    theme: str
    file: str
    index: int
    document: YamlDocument = field(compare=False, repr=False)

    def line(self, *sub: str | int) -> int:
        """The line of the passage (or of one of its fields) in its ledger file."""
        return self.document.line_of(("passages", self.index, *sub))[0]


@dataclass(frozen=True)
class Ledger:
    """Every ledger file's passages, in theme order, then file order."""

    entries: tuple[Entry, ...]
    files: tuple[Path, ...]
    problems: tuple[Diagnostic, ...] = ()
    """Files that could not be read or validated (their passages are left out)."""


def default_ledger_dir() -> Path:
    """The bundled ledger folder (`seeds/ledger/`)."""
    from coherence.resources import data_dir

    return data_dir() / "seeds" / "ledger"


def _theme_order(path: Path) -> tuple[int, str]:
    stem = path.stem
    return (RULE_THEMES.index(stem) if stem in RULE_THEMES else len(RULE_THEMES), stem)


def load_ledger(root: Path | None = None) -> Ledger:
    """Load every `*.yaml` ledger file of `root` (default: the bundled ledger).

    Unreadable or invalid files are reported in `Ledger.problems`, each at `file:line`;
    quotes are verified separately (`verify_ledger`), against a corpus.
    """
    from coherence.profile.validate import diagnostics_for

    root = root or default_ledger_dir()
    files = sorted(root.glob("*.yaml"), key=_theme_order) if root.is_dir() else []
    entries: list[Entry] = []
    problems: list[Diagnostic] = []
    for path in files:
        if path.stem not in RULE_THEMES:
            problems.append(
                Diagnostic(
                    str(path),
                    0,
                    0,
                    "ledger-theme",
                    f"a ledger file is named after its theme ({', '.join(RULE_THEMES)})",
                )
            )
            continue
        try:
            doc = load_yaml_file(path)
        except InputError as exc:
            problems.extend(exc.diagnostics)
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                Diagnostic(str(path), 1, 1, "not-a-mapping", "a ledger file is a mapping")
            )
            continue
        try:
            parsed = LedgerFile.model_validate(doc.data)
        except ValidationError as exc:
            problems.extend(diagnostics_for(exc, doc, LedgerFile))
            continue
        entries.extend(
            Entry(p, path.stem, str(path), i, doc) for i, p in enumerate(parsed.passages)
        )
    return Ledger(tuple(entries), tuple(files), tuple(problems))


def verify_ledger(ledger: Ledger, corpus: Corpus) -> list[Diagnostic]:
    """Every passage's quote stands in its source within its lines (as for citations), and
    no passage is listed twice in one theme's file (a passage that asks for something on two
    themes may be listed in both). Problems are located at the ledger file's line."""
    problems: list[Diagnostic] = []
    seen: dict[tuple[str, str, str], Entry] = {}
    for entry in ledger.entries:
        p = entry.passage
        found = quote_problem(corpus, p.source, p.lines, p.quote)
        if found is not None:
            code, name, message = found
            problems.append(
                Diagnostic(entry.file, entry.line(name), 1, f"ledger-{code}", f"ledger: {message}")
            )
        key = (entry.file, p.source, normalise(p.quote))  # another theme may list it too
        if key in seen:
            first = seen[key]
            problems.append(
                Diagnostic(
                    entry.file,
                    entry.line(),
                    1,
                    "ledger-duplicate",
                    f"ledger: this passage is already listed at {first.file}:{first.line()}",
                )
            )
        else:
            seen[key] = entry
    return problems


def quotes_match(a: str, b: str) -> bool:
    """Condition 3 of the matching: one normalised quote contains the other, or they share
    a run of at least `MIN_SHARED` characters."""
    a, b = normalise(a), normalise(b)
    if a in b or b in a:
        return True
    if min(len(a), len(b)) < MIN_SHARED:
        return False
    run = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return run.size >= MIN_SHARED


def matches(cite: Citation | Passage, passage: Passage) -> bool:
    """Whether a rule citation and a ledger passage are the same passage (module docstring)."""
    return (
        cite.source == passage.source
        and cite.lines[0] <= passage.lines[1]
        and passage.lines[0] <= cite.lines[1]
        and quotes_match(cite.quote, passage.quote)
    )


@dataclass(frozen=True)
class Coverage:
    """How the ledger and a catalogue meet."""

    cited_by: dict[int, tuple[str, ...]]
    """For each ledger entry (by position in `Ledger.entries`), the ids of the rules that
    cite it, sorted."""
    requirements: dict[tuple[str, int], tuple[int, ...]]
    """For each `requirement` citation, keyed by (rule id, citation position), the ledger
    entries it matches (empty: not in the ledger)."""


def coverage(ledger: Ledger, rules: Catalogue | Iterable[Rule]) -> Coverage:
    """Match every citation of `rules` (a `Catalogue` or some rules) against the ledger."""
    rule_list = list(getattr(rules, "rules", rules))
    by_source: dict[str, list[int]] = {}
    for i, entry in enumerate(ledger.entries):
        by_source.setdefault(entry.passage.source, []).append(i)
    cited: dict[int, set[str]] = {i: set() for i in range(len(ledger.entries))}
    requirements: dict[tuple[str, int], tuple[int, ...]] = {}
    for rule in rule_list:
        for n, cite in enumerate(rule.citations):
            hits = tuple(
                i
                for i in by_source.get(cite.source, ())
                if matches(cite, ledger.entries[i].passage)
            )
            for i in hits:
                cited[i].add(rule.id)
            if cite.role == "requirement":
                requirements[(rule.id, n)] = hits
    return Coverage({i: tuple(sorted(ids)) for i, ids in cited.items()}, requirements)


def ledger_problems(
    catalogue: Catalogue,
    ledger: Ledger | None = None,
    rule_ids: set[str] | None = None,
) -> list[Diagnostic]:
    """Every ledger problem, for `coherence rules lint` of the bundled catalogue.

    * the ledger's own: unreadable or invalid files, quotes that do not verify
      (`ledger-quote-not-found`, `ledger-quote-outside-lines`, `ledger-unknown-source`),
      passages listed twice in one file (`ledger-duplicate`);
    * `ledger-uncited`: a passage that no rule cites and that gives no `uncited` reason;
    * `ledger-cited`: a passage that gives an `uncited` reason although a rule cites it;
    * `ledger-missing`, at the citation's line: a `requirement` citation of a rule (of
      `rule_ids`, default all) that no ledger passage matches.
    """
    ledger = ledger if ledger is not None else load_ledger()
    corpus = catalogue.corpus
    problems = list(ledger.problems) + verify_ledger(ledger, corpus)
    found = coverage(ledger, catalogue)
    for i, entry in enumerate(ledger.entries):
        ids, reason = found.cited_by[i], entry.passage.uncited
        first, last = entry.passage.lines
        where = f"ledger: {entry.passage.source} lines {first}-{last}"
        if not ids and reason is None:
            problems.append(
                Diagnostic(
                    entry.file,
                    entry.line(),
                    1,
                    "ledger-uncited",
                    f"{where} is cited by no rule and gives no `uncited` reason",
                )
            )
        elif ids and reason is not None:
            problems.append(
                Diagnostic(
                    entry.file,
                    entry.line("uncited"),
                    1,
                    "ledger-cited",
                    f"{where} says uncited: {reason}, but {', '.join(ids)} cite(s) it",
                )
            )
    for (rule_id, n), hits in found.requirements.items():
        if hits or (rule_ids is not None and rule_id not in rule_ids):
            continue
        origin = catalogue.origins[rule_id].at("citations", n)
        cite = catalogue.by_id[rule_id].citations[n]
        problems.append(
            Diagnostic(
                origin.file,
                origin.line,
                1,
                "ledger-missing",
                f"{rule_id} citation {n + 1} is a requirement, but no passage of "
                f"seeds/ledger/ matches it ({cite.source} lines {cite.lines[0]}-{cite.lines[1]}); "
                "add the passage to the ledger",
                rule_id,
            )
        )
    return sorted(set(problems))
