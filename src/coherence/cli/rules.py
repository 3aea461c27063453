"""`coherence rules ...`: list, show, lint and test the catalogue or a rule pack."""

from __future__ import annotations

import json
import sys
import textwrap
from enum import Enum
from pathlib import Path

import typer

from coherence.cli.output import fail_usage
from coherence.cli.plainhelp import PlainHelpCommand, format_option
from coherence.diagnostics import InputError
from coherence.terminal import for_terminal

rules_app = typer.Typer(
    help="List, show, lint and test rules (the bundled catalogue or your own rule pack).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _say(text: str) -> None:
    """Print rule-pack text for people: its control characters shown, not obeyed."""
    typer.echo(for_terminal(text))


class ListFormat(str, Enum):
    text = "text"
    json = "json"


def _load(dirs: list[Path], *, bundled: bool = True, cached: bool = False):
    """The catalogue, or its problems. `cached`: through the catalogue cache, as `check`
    loads it (for the commands that only read the rules; `lint` and `test`, the rule
    author's checks, always load and verify afresh)."""
    from coherence.rules.cache import load_catalogue_cached
    from coherence.rules.catalog import load_catalogue

    try:
        if cached and bundled:
            return load_catalogue_cached(dirs), None
        return load_catalogue(dirs, include_bundled=bundled), None
    except InputError as exc:
        return None, exc.diagnostics


def _catalogue_or_exit(dirs: list[Path], *, bundled: bool = True, cached: bool = False):
    from coherence.report.diagnostics import render_text

    catalogue, problems = _load(dirs, bundled=bundled, cached=cached)
    if problems:
        sys.stderr.write(render_text(problems))
        fail_usage(f"the rule catalogue has {len(problems)} problem(s); see above")
    return catalogue


def rule_summary(rule, catalogue) -> dict:
    """The JSON listing of one rule, with citations located in their sources."""
    from coherence.citations import requirements_first
    from coherence.rules.instruments import reference_text

    citations = []
    for cite in requirements_first(rule.citations):
        source = catalogue.corpus.sources[cite.source]
        section = source.section_at(cite.lines[0])
        citations.append(
            {
                "source": cite.source,
                "file": source.file,
                "lines": list(cite.lines),
                "section": section.heading if section else "",
                "quote": " ".join(cite.quote.split()),
                "role": cite.role,
                "addressee": cite.addressee,
            }
        )
    return {
        "id": rule.id,
        "theme": rule.theme,
        "severity": rule.severity,
        "title": rule.title,
        "applies_to": list(rule.applies_to),
        "sdg_domain": rule.sdg_domain,
        "citations": citations,
        "references": [reference_text(r) for r in rule.references],
    }


@rules_app.command("list", cls=PlainHelpCommand)
def list_rules(
    theme: str | None = typer.Option(
        None, "--theme", "-t", metavar="THEME", help="Only this theme."
    ),
    format: ListFormat = format_option(ListFormat.text),
    rules: list[Path] = typer.Option(
        [], "--rules", "-r", metavar="DIR", help="Extra rule folder (repeatable)."
    ),
) -> None:
    """The catalogue: id, theme, severity and title of every rule."""
    from coherence.rules.model import Rule

    catalogue = _catalogue_or_exit(rules, cached=True)
    themes = Rule.model_fields["theme"].annotation.__args__  # type: ignore[union-attr]
    if theme is not None and theme not in themes:
        fail_usage(f"unknown theme {theme!r}; choose one of: {', '.join(themes)}")
    chosen = [r for r in catalogue.rules if theme is None or r.theme == theme]
    if format is ListFormat.json:
        body = {
            "catalogue_version": catalogue.version,
            "rules": [rule_summary(r, catalogue) for r in chosen],
        }
        sys.stdout.write(json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return
    for rule in chosen:
        sources = len(rule.citations)
        _say(
            f"{rule.id:<15} {rule.theme:<17} {rule.severity:<6} {rule.title} "
            f"[{sources} source passage(s)]"
        )
    typer.echo(f"{len(chosen)} rule(s), catalogue {catalogue.version}", err=True)


@rules_app.command("show", cls=PlainHelpCommand)
def show_rule(
    rule_id: str = typer.Argument(..., metavar="ID", help="Rule id, e.g. RIGHTS-001."),
    rules: list[Path] = typer.Option(
        [], "--rules", "-r", metavar="DIR", help="Extra rule folder (repeatable)."
    ),
) -> None:
    """One rule in full, with its quotes and the sections they come from."""
    import difflib

    from coherence.citations import asks_words, is_requirement
    from coherence.citations import sections as citation_sections
    from coherence.rules.instruments import reference_text

    catalogue = _catalogue_or_exit(rules, cached=True)
    rule = catalogue.by_id.get(rule_id.upper())
    if rule is None:
        close = difflib.get_close_matches(rule_id.upper(), list(catalogue.by_id), n=1)
        fail_usage(f"no rule {rule_id}" + (f"; did you mean {close[0]}?" if close else ""))
    origin = catalogue.origins[rule.id]

    def wrap(text: str, indent: str = "  ") -> str:
        return textwrap.fill(
            " ".join(text.split()), 96, initial_indent=indent, subsequent_indent=indent
        )

    out = [
        f"{rule.id}: {rule.title}",
        f"  theme {rule.theme}; severity {rule.severity}; applies to {', '.join(rule.applies_to)}; "
        f"SDG 10.7.2 domain {rule.sdg_domain}",
        f"  defined at {origin.file}:{origin.line}",
        "",
        "Why:",
        wrap(rule.rationale),
        "",
        "What to do:",
        wrap(rule.recommendation),
    ]
    for heading, citations in citation_sections(rule.citations):
        out += ["", f"{heading}:"]
        for cite in citations:
            source = catalogue.corpus.sources[cite.source]
            if is_requirement(cite) and asks_words(cite):
                out.append(f"  ({asks_words(cite)})")
            out.append(wrap(f'"{cite.quote}"', "  > "))
            out.append(
                f"    — {source.author}, {source.title} ({source.year}); "
                f"{source.locator(*cite.lines)}"
            )
    if rule.references:
        out += ["", "Instruments referred to:"] + [
            f"  - {reference_text(r)}" for r in rule.references
        ]
    conditions = {
        name: getattr(rule, name).model_dump(by_alias=True, exclude_none=True)
        for name in ("applies_when", "met_when", "partial_when")
        if getattr(rule, name) is not None
    }
    out += ["", "Conditions:"] + [
        f"  {k}: {json.dumps(v, sort_keys=True)}" for k, v in conditions.items()
    ]
    _say("\n".join(out))


@rules_app.command("doc", cls=PlainHelpCommand)
def doc(
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write to this file."
    ),
    rules: list[Path] = typer.Option(
        [], "--rules", "-r", metavar="DIR", help="Extra rule folder (repeatable)."
    ),
) -> None:
    """The catalogue as Markdown: every rule by theme, with citations and references."""
    from coherence.cli.output import emit, refuse_inputs, rule_inputs
    from coherence.rules.document import render_catalogue

    protected = tuple(rule_inputs(rules))
    refuse_inputs([output], protected)
    emit(render_catalogue(_catalogue_or_exit(rules, cached=True)), output, protected=protected)


@rules_app.command("coverage", cls=PlainHelpCommand)
def coverage(
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write to this file."
    ),
) -> None:
    """What the sources ask, theme by theme, and which rules check it (Markdown, from the
    ledger in seeds/ledger/)."""
    from coherence.cli.output import emit
    from coherence.corpus.coverage import render_coverage
    from coherence.corpus.ledger import load_ledger

    ledger = load_ledger()
    if ledger.problems:  # files left out of the document: say so, and still write the rest
        from coherence.report.diagnostics import render_text

        sys.stderr.write(render_text(list(ledger.problems)))
    emit(render_coverage(ledger, _catalogue_or_exit([], cached=True)), output)


@rules_app.command("lint", cls=PlainHelpCommand)
def lint(
    dirs: list[Path] = typer.Argument(
        None, metavar="DIR", help="Rule folders or files (default: the bundled catalogue)."
    ),
    format: ListFormat = format_option(ListFormat.text),
    no_bundled: bool = typer.Option(False, "--no-bundled", help="Load only the given folders."),
) -> None:
    """Strict checks: quotes found within their lines, unique ids, real profile paths,
    known sources, every rule able to be met and to fire, cases for met and gap, citation
    roles (a requirement addressed to states first) and known instrument references.
    Without a folder, the bundled catalogue is also checked against the ledger of what the
    sources ask (seeds/ledger/).

    Every problem is reported at file:line. Exit 1 on any problem; 2 when a folder or
    file given does not exist.
    """
    from coherence.report.diagnostics import render_json, render_text
    from coherence.ruletools.lint import lint_catalogue

    dirs = list(dirs or [])
    if no_bundled and not dirs:
        fail_usage("--no-bundled needs at least one rule folder")
    catalogue, problems = _load(dirs, bundled=not no_bundled)
    missing = [d for d in problems or [] if d.code == "no-such-path"]
    if missing:  # nothing to lint: a usage error, as for every command given a missing input
        sys.stderr.write(render_text(missing))
        fail_usage(f"the rule catalogue has {len(missing)} problem(s); see above")
    wanted = None
    if catalogue is not None:
        if dirs:
            files = {str(f) for f in catalogue.files if not str(f).startswith(str(_bundled()))}
            wanted = {
                rid
                for rid, o in catalogue.origins.items()
                if o.file in files and not rid.startswith("derived.")
            }
        problems = lint_catalogue(catalogue, wanted)
        if not dirs:  # the bundled catalogue has a ledger of what the sources ask; packs do not
            from coherence.corpus.ledger import ledger_problems

            problems = sorted(set(problems) | set(ledger_problems(catalogue)))
    problems = problems or []
    if format is ListFormat.json:
        grouped: dict[str, list] = {}
        for d in problems:
            grouped.setdefault(d.file, []).append(d)
        sys.stdout.write(render_json(grouped))
    else:
        sys.stdout.write(render_text(problems))
        checked = (
            0 if catalogue is None else len(wanted) if wanted is not None else len(catalogue.rules)
        )
        typer.echo(f"{checked} rule(s) checked, {len(problems)} problem(s)", err=True)
    raise typer.Exit(1 if problems else 0)


def _bundled() -> Path:
    from coherence.rules.catalog import bundled_rules_dir

    return bundled_rules_dir()


@rules_app.command("test", cls=PlainHelpCommand)
def test_rules(
    dirs: list[Path] = typer.Argument(
        None, metavar="DIR", help="Rule folders or files (default: the bundled catalogue)."
    ),
    engine: str = typer.Option(
        "auto", "--engine", metavar="[auto|durable|reference]", help="Rule engine."
    ),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Show every case, not only failures."
    ),
    no_bundled: bool = typer.Option(False, "--no-bundled", help="Load only the given folders."),
) -> None:
    """Run every rule's cases (like `opa test`): pass and fail per rule. Exit 1 on any failure;
    2 when the rules cannot be loaded (a folder or file given does not exist, a broken pack)."""
    from coherence.cli.shared import EngineChoice, engine_or_exit
    from coherence.ruletools.cases import coverage_problems, repeated_names, run_cases

    dirs = list(dirs or [])
    if no_bundled and not dirs:
        fail_usage("--no-bundled needs at least one rule folder")
    catalogue = _catalogue_or_exit(dirs, bundled=not no_bundled)
    try:
        chosen = engine_or_exit(catalogue, EngineChoice(engine))
    except ValueError:
        fail_usage(f"unknown engine {engine!r}; choose auto, durable or reference")
    wanted = None
    if dirs:
        bundled = str(_bundled())
        wanted = [
            rid
            for rid, o in catalogue.origins.items()
            if not o.file.startswith(bundled) and "." not in rid
        ]
    results = run_cases(catalogue, chosen, wanted)
    by_rule: dict[str, list] = {}
    for result in results:
        by_rule.setdefault(result.rule_id, []).append(result)
    failed_rules = 0
    for rule in catalogue.rules:
        if wanted is not None and rule.id not in wanted:
            continue
        cases = by_rule.get(rule.id, [])
        bad = [c for c in cases if not c.passed]
        missing = coverage_problems(rule) + [
            f"{at.file}:{at.line}: {message}"
            for at, message in repeated_names(rule, catalogue.origins[rule.id])
        ]
        ok = not bad and not missing
        failed_rules += not ok
        if verbose or not ok:
            _say(
                f"{'PASS' if ok else 'FAIL'} {rule.id} ({len(cases) - len(bad)}/{len(cases)} cases)"
            )
            for c in cases if verbose else bad:
                mark = "ok  " if c.passed else "FAIL"
                detail = c.error or f"expected {c.expected}, got {c.actual}"
                _say(f"    {mark} {c.case}: {detail}")
            for message in missing:
                _say(f"    FAIL {message}")
    total = len(by_rule) if wanted is None else len(wanted)
    passed_cases = sum(r.passed for r in results)
    typer.echo(
        f"{total - failed_rules}/{total} rules pass; {passed_cases}/{len(results)} cases pass "
        f"(engine {chosen.name})"
    )
    raise typer.Exit(1 if failed_rules else 0)
