"""The `coherence` command line: parses arguments, calls the library, picks a renderer.

Exit codes (stable, documented in the README):
  0  success: everything checked is valid (or, for `check`, the check ran)
  1  something checked is invalid (validate) or fails the threshold (check --fail-on)
  2  usage error, or input that cannot be read
  3  internal error (a bug): one plain line; `--debug` or COHERENCE_DEBUG=1 for the traceback
  130  interrupted (Ctrl-C): one plain line; no report written
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from coherence.cli.formats import (
    CheckFormat,
    check_format_options,
    refuse_contradicting_suffixes,
    resolve_formats,
)
from coherence.cli.inputs import collect_profile_paths, refuse_stdin
from coherence.cli.output import (
    emit,
    fail_usage,
    refuse_inputs,
    refuse_repeated_outputs,
    refuse_unwritable,
    rule_inputs,
)
from coherence.cli.plainhelp import PlainHelpCommand, choices, format_option
from coherence.cli.shared import (
    EngineChoice,
    assess_files,
    each_assessed,
    jobs_option,
    parse_today,
    prepare_assessor,
    profile_files,
)
from coherence.report.formats import get_format

app = typer.Typer(
    name="coherence",
    help=(
        "Check a country's migration-policy profile against the international "
        "recommendations (ICPD, ILO, IOM), with verified citations.\n\n"
        "Exit codes: 0 success; 1 invalid input or findings at the --fail-on threshold; "
        "2 usage error or unreadable input; 3 internal error (a bug: please report it)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


DEBUG_ENV = "COHERENCE_DEBUG"
INTERNAL_ERROR = 3
"""Exit code of an unexpected error: a bug in coherence, not a problem in the inputs."""


def _version(value: bool) -> None:
    if value:
        from coherence import __version__

        typer.echo(f"coherence {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        help=f"On an unexpected error (a bug), print the full traceback (or set {DEBUG_ENV}=1).",
    ),
) -> None:
    """Policy-coherence checks for national migration policy."""


@app.command(cls=PlainHelpCommand)
def schema(
    rules: bool = typer.Option(False, "--rules", help="The rule-file schema instead."),
    report: bool = typer.Option(False, "--report", help="The JSON report schema instead."),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write to this file."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the --output file if it exists."),
) -> None:
    """Print a JSON Schema: the profile format (default), rule files or the JSON report."""
    from coherence.profile.schema import dumps, profile_schema, report_schema, rules_schema

    if rules and report:
        fail_usage("choose one of --rules and --report")
    chosen = rules_schema() if rules else report_schema() if report else profile_schema()
    # Its own --force rule decides over an existing file, YAML or not (JSON is YAML too).
    emit(dumps(chosen), output, refuse_existing=not force, writes_yaml=True)


@app.command(cls=PlainHelpCommand)
def template(
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write to this file."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the --output file if it exists."),
) -> None:
    """Print a blank, commented profile to start from (every answer `unknown`).

    Its `$schema` line points at the installed schema: relative to the written file's
    folder with --output, an absolute path on standard output.
    """
    from coherence.profile.template import render_template, schema_reference

    target = None if output is None or str(output) == "-" else output
    emit(
        render_template(schema_reference(target)),
        output,
        refuse_existing=not force,
        writes_yaml=True,
    )


class DiagFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


@app.command(cls=PlainHelpCommand)
def validate(
    paths: list[Path] = typer.Argument(
        ...,
        metavar="PATH",
        help="Profile files or folders (searched for *.yaml, *.yml); - reads one profile from "
        "standard input (named <stdin> in messages).",
    ),
    format: DiagFormat = format_option(DiagFormat.text),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print problems only, no summary."),
    rules: list[Path] = typer.Option(
        [],
        "--rules",
        "-r",
        metavar="DIR",
        help="Extra rule folder whose ids waivers may name (repeatable).",
    ),
) -> None:
    """Validate profiles: every problem in every file, at file:line:column.

    Exit 0 when all are valid, 1 when any is invalid, 2 on usage errors or unreadable files.
    A warning (a country name that is not its code's) leaves a file valid.
    """
    from coherence.cli.validating import run_validate

    run_validate(paths, format.value, quiet, rules)


def render_check(
    fmt: CheckFormat,
    assessments,
    catalogue,
    template_dir: Path | None,
    *,
    changes=None,
    only=None,
    appendix: bool = False,
) -> str | bytes:
    """One report in the chosen format (`coherence.report.formats.render`); a report that
    cannot be made (a broken template, a missing extra) is a usage error.

    `changes` (`coherence.assessment.gate.compare_baseline`) marks findings against the
    baseline in the CI formats (text, sarif, junit, github); `only` (finding keys, from
    `--only-failing`) limits their findings to those keys. Other formats are whole reports.
    """
    from coherence.report.formats import FormatError, GapOptions, render

    options = GapOptions(catalogue, changes, only, template_dir, appendix)
    try:
        return render(fmt.value, "gap", assessments, options)
    except FormatError as exc:
        fail_usage(str(exc))


FAIL_ON_HELP = (
    "Exit 1 when a finding reaches this threshold: STATUS[:SEVERITY], STATUS gap, partial "
    "(or worse) or insufficient_data (or worse), SEVERITY a minimum (gap:high, partial:medium); "
    "a bare severity means gaps of that severity or worse. Repeatable: any term fails the run."
)


@app.command(cls=PlainHelpCommand)
def check(
    profiles: list[Path] = typer.Argument(
        ...,
        metavar="PROFILE",
        help="Profile files or folders; - reads one profile from standard input.",
    ),
    rules: list[Path] = typer.Option(
        [], "--rules", "-r", metavar="DIR", help="Extra rule folder (repeatable)."
    ),
    engine: EngineChoice = typer.Option(
        EngineChoice.auto, "--engine", metavar=choices(EngineChoice), help="Rule engine."
    ),
    formats: list[CheckFormat] = typer.Option(
        [],
        "--format",
        "-f",
        case_sensitive=False,
        metavar=choices(CheckFormat),
        help="Output format (repeatable, paired with --output). Default: the one the --output "
        "file name implies (.html, .md, .csv, .json, .sarif, .xml for junit, ...), else text; "
        "a --format that contradicts the --output file name is an error.",
    ),
    outputs: list[Path] = typer.Option(
        [],
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report here, atomically (repeatable: one per --format; - for standard "
        "output).",
    ),
    template_dir: Path | None = typer.Option(
        None,
        "--template-dir",
        metavar="DIR",
        help="Folder of Jinja2 templates overriding the HTML report's.",
    ),
    appendix: bool = typer.Option(
        False,
        "--appendix",
        help="In the html and pdf formats, print every rule in full, with its quotations, in "
        "an appendix (the printed report otherwise keeps the decided findings, and tables "
        "for the rest).",
    ),
    fail_on: list[str] = typer.Option(
        [], "--fail-on", metavar="STATUS[:SEVERITY]", help=FAIL_ON_HELP
    ),
    baseline: Path | None = typer.Option(
        None,
        "--baseline",
        metavar="FILE",
        help="Fail only on findings new or worse than in this baseline file (made by `coherence "
        "baseline`). The failing ones are listed on stderr; SARIF results carry baselineState "
        "(new, updated, unchanged); GitHub annotations keep error/warning only for new or worse "
        "findings (the rest become notices); JUnit failure messages say new, worse or known.",
    ),
    only_failing: bool = typer.Option(
        False,
        "--only-failing",
        help="In the text, sarif, junit and github formats, list only the findings at the "
        "--fail-on threshold (and new or worse than the --baseline, if given). Needs --fail-on.",
    ),
    select: list[str] = typer.Option(
        [],
        "--select",
        metavar="PATTERN",
        help="Only these rules: ids, wildcards (RIGHTS-*), themes or severities.",
    ),
    skip: list[str] = typer.Option(
        [],
        "--skip",
        metavar="PATTERN",
        help="Leave out these rules; an explicit id beats a wildcard beats a theme/severity.",
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD", help="Date that decides which waivers have expired."
    ),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Load and verify the rule catalogue afresh, without the cache (or set "
        "COHERENCE_NO_CACHE=1; COHERENCE_CACHE_DIR moves it).",
    ),
    jobs: int | None = jobs_option(),
) -> None:
    """Check profiles against the rule catalogue and report findings with citations.

    Exit codes: 0 the check ran and nothing reached a --fail-on threshold; 1 a finding reached
    it (new or worse than the --baseline, if given); 2 usage error or invalid input.
    """
    from coherence.assessment.gate import ThresholdError, load_baseline, parse_threshold

    if only_failing and not fail_on:
        fail_usage("--only-failing needs --fail-on: it lists only the findings at that threshold")
    formats = resolve_formats(formats, outputs)
    if len(formats) > 1 and len(outputs) != len(formats):
        fail_usage("give one --output for each --format (use - for standard output)")
    if len(outputs) > len(formats):
        fail_usage("more --output than --format options")
    refuse_repeated_outputs(outputs)
    try:
        thresholds = [parse_threshold(t) for t in fail_on]
    except ThresholdError as exc:
        fail_usage(str(exc))
    known = None
    if baseline is not None:
        refuse_stdin([baseline], "--baseline")
        try:
            known = load_baseline(baseline)
        except ValueError as exc:
            fail_usage(str(exc))
    given = {"--only-failing": only_failing, "--appendix": appendix, "--template-dir": template_dir}
    check_format_options([f.value for f in formats], given)
    from coherence.report.formats import FormatError

    for fmt in formats:  # before any work: an optional extra may not be installed
        if get_format(fmt.value).preflight:
            try:
                get_format(fmt.value).module.preflight()
            except FormatError as exc:
                fail_usage(str(exc))
    # Inputs are never overwritten: refused before any work is done.
    protected = (
        *collect_profile_paths(profiles),
        *([baseline] if baseline else []),
        *rule_inputs(rules),
        *([template_dir] if template_dir else []),
    )
    refuse_inputs(outputs, protected)
    refuse_contradicting_suffixes(formats, outputs)
    refuse_unwritable(outputs)
    from coherence.cli.checkpieces import CheckCollector, CheckPieces
    from coherence.cli.parallel import jobs_for

    when = parse_today(today)
    files = profile_files(profiles)
    for fmt in formats:  # a PDF of thousands of profiles: refused before any work
        most = get_format(fmt.value).most_profiles
        if most is not None and len(files) > most:
            fail_usage(get_format(fmt.value).module.too_many(len(files)))
    assessor, setup = prepare_assessor(rules, engine, when, select, skip, not no_cache)
    names = tuple(f.value for f in formats)
    reduce = CheckPieces(names, tuple(thresholds), known, only_failing)
    collected = CheckCollector(names)
    for pieces in each_assessed(files, assessor, setup, reduce, jobs_for(jobs, len(files))):
        collected.add(pieces)
    for index, fmt in enumerate(formats):
        target = outputs[index] if index < len(outputs) else None
        if not get_format(fmt.value).pieces:
            text = render_check(
                fmt, collected.assessments, assessor.catalogue, template_dir, appendix=appendix
            )
        else:
            text = collected.render(fmt.value, assessor.catalogue, template_dir, appendix)
        terminal = get_format(fmt.value).terminal
        try:  # a streamed report (HTML) can meet a broken template halfway
            emit(text, target, protected=protected, terminal=terminal)
        except FormatError as exc:
            fail_usage(str(exc))
    if collected.failing:
        from coherence.terminal import for_terminal

        count = collected.failing
        noun = "finding" if count == 1 else "findings"
        extra = " new or worse than the baseline" if known is not None else ""
        lines = [f"coherence: {count} {noun}{extra} at the --fail-on threshold:"]
        lines += collected.failing_lines()
        typer.echo(for_terminal("\n".join(lines)), err=True)
        raise typer.Exit(1)


@app.command("baseline", cls=PlainHelpCommand)
def baseline_command(
    profiles: list[Path] = typer.Argument(..., metavar="PROFILE", help="Profile files or folders."),
    output: Path = typer.Option(
        ..., "--output", "-o", metavar="FILE", help="The baseline file to write."
    ),
    rules: list[Path] = typer.Option(
        [], "--rules", "-r", metavar="DIR", help="Extra rule folder (repeatable)."
    ),
    engine: EngineChoice = typer.Option(
        EngineChoice.auto, "--engine", metavar=choices(EngineChoice), help="Rule engine."
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD", help="Date for waivers."
    ),
    jobs: int | None = jobs_option(),
) -> None:
    """Record today's findings, so `check --baseline` fails only on new or worse ones."""
    from coherence.assessment.gate import baseline_of, dumps_baseline
    from coherence.cli.parallel import baseline_piece, jobs_for

    protected = (*collect_profile_paths(profiles), *rule_inputs(rules))
    refuse_inputs([output], protected)
    when = parse_today(today)
    files = profile_files(profiles)
    entries, _ = assess_files(
        files, rules, engine, when, jobs=jobs_for(jobs, len(files)), reduce=baseline_piece
    )
    emit(dumps_baseline(baseline_of(entries)), output, protected=protected, replaces="baseline")
    typer.echo(f"baseline of {len(entries)} profile(s) written to {output}", err=True)


def _register_subcommands() -> None:
    from coherence.cli.compare import register
    from coherence.cli.questionnaire import register as register_questionnaire
    from coherence.cli.rules import rules_app
    from coherence.cli.upgrade import register as register_upgrade

    register(app)
    register_upgrade(app)
    register_questionnaire(app)
    app.add_typer(rules_app, name="rules")


_register_subcommands()


def _debugging(argv: list[str]) -> bool:
    """`--debug` before the command, or COHERENCE_DEBUG set to anything but empty or 0."""
    import os

    command = next((i for i, a in enumerate(argv) if not a.startswith("-")), len(argv))
    return "--debug" in argv[:command] or os.environ.get(DEBUG_ENV, "") not in ("", "0")


def internal_error_line(exc: BaseException) -> str:
    """One plain line for an unexpected exception, with a hint to report it."""
    from coherence.terminal import for_terminal

    detail = " ".join(str(exc).split())
    detail = detail if len(detail) <= 300 else detail[:297] + "..."
    what = type(exc).__name__ + (f": {detail}" if detail else "")
    line = (
        f"coherence: internal error ({what}). This is a bug in coherence, not a problem in "
        f"your files: please report it with the command you ran; `coherence --debug ...` "
        f"or {DEBUG_ENV}=1 prints the full traceback."
    )
    return for_terminal(line) + "\n"


INTERRUPTED = 130
"""The exit code of a run stopped by Ctrl-C (SIGINT), as shells report it: 128 + 2."""


def _interrupted(exc: BaseException) -> bool:
    """Whether `exc` ends a run that Ctrl-C stopped: typer turns the KeyboardInterrupt into a
    silent `Exit(130)`, which click turns into SystemExit(130); the interrupt is in its chain.
    (Nothing else in coherence exits 130.)"""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def run() -> None:
    """Console-script entry point: never ends in a traceback unless asked (`--debug`)."""
    try:
        from coherence.cli.streams import prepare_streams

        prepare_streams()
        app()
    except SystemExit as exc:
        if exc.code == INTERRUPTED and _interrupted(exc):
            # Typer ends a Ctrl-C silently: say why the run stopped (no report was written:
            # a report is written whole or not at all).
            sys.stderr.write("coherence: interrupted\n")
        raise
    except KeyboardInterrupt:  # between typer's own handling and ours
        sys.stderr.write("coherence: interrupted\n")
        sys.exit(INTERRUPTED)
    except BrokenPipeError:  # the reader went away (`coherence check ... | head`)
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)  # opened, never replaced
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:  # a full disk, a closed stream: the system's, not a bug
        if _debugging(sys.argv[1:]):
            raise
        from coherence.cli.streams import report_os_error

        report_os_error(exc)  # standard error may be closed too: then the exit code says it
        sys.exit(2)
    except Exception as exc:
        if _debugging(sys.argv[1:]):
            raise
        sys.stderr.write(internal_error_line(exc))
        sys.exit(INTERNAL_ERROR)
