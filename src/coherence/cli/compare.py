"""`coherence compare` and `coherence diff`: several profiles side by side, and change over time.

`register(app)` adds both commands to the main typer app. Exit codes as everywhere:
0 success; 1 `diff --fail-on-regression` found a regressed finding; 2 usage error or input
that cannot be used (unreadable or invalid profile, two countries given to `diff`, two
profiles of one country with the same date given to `compare`).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typer

from coherence.cli.inputs import refuse_stdin
from coherence.cli.output import emit, fail_usage, refuse_inputs, rule_inputs
from coherence.cli.plainhelp import PlainHelpCommand, choices, format_option
from coherence.report.formats import names_for

if TYPE_CHECKING:
    from coherence.cli.shared import EngineChoice
    from coherence.findings import Assessment


EngineName = Literal["auto", "durable", "reference"]
"""The values of `--engine`, as in `coherence check` (kept here so that registering these
commands imports no engine: each command imports what it needs when it runs)."""


CompareFormat = Enum(  # type: ignore[misc]
    "CompareFormat", [(name, name) for name in names_for("comparison")], type=str
)
"""Output formats of `coherence compare`: the registry's formats of the comparison."""


class CompareSort(str, Enum):
    """Orders of `coherence compare`: as given (the default, no ranking) or by score."""

    input = "input"
    score = "score"


DiffFormat = Enum(  # type: ignore[misc]
    "DiffFormat", [(name, name) for name in names_for("diff")], type=str
)
"""Output formats of `coherence diff`: the registry's formats of the diff."""


def _today(text: str | None) -> dt.date:
    from coherence.cli.shared import parse_today

    return parse_today(text)


def assess_files(
    files: list[Path],
    rules: list[Path],
    engine: EngineChoice,
    today: dt.date,
    jobs: int = 1,
    reduce=None,
    receive=None,
) -> list[Assessment]:
    """Load and assess every file, or print every problem and exit 2 (as `check` does):
    the assessments, or what `reduce` makes of them (see `coherence.cli.parallel`), in
    `jobs` worker processes."""
    from coherence.cli.shared import assess_files

    return assess_files(
        files, rules, engine, today, verb="compared", jobs=jobs, reduce=reduce, receive=receive
    )[0]


def compare(
    profiles: list[Path] = typer.Argument(
        ...,
        metavar="PROFILE",
        help="Profile files or folders; one country's profiles of several dates are a time series.",
    ),
    format: CompareFormat | None = format_option(
        None,
        "Output format (default: from the --output file name, else markdown).",
        of=CompareFormat,
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write the comparison here (atomically)."
    ),
    sort: CompareSort = typer.Option(
        CompareSort.input,
        "--sort",
        case_sensitive=False,
        metavar=choices(CompareSort),
        help=(
            "Order of the countries: input (as given, the default: a comparison does not rank) "
            "or score (overall score of each country's latest profile, highest first; "
            "not classified ones last)."
        ),
    ),
    rules: list[Path] = typer.Option(
        [], "--rules", "-r", metavar="DIR", help="Extra rule folder (repeatable)."
    ),
    engine: EngineName = typer.Option(
        "auto", "--engine", metavar="[auto|durable|reference]", help="Rule engine."
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD", help="Date that decides which waivers have expired."
    ),
    jobs: int | None = typer.Option(
        None,
        "--jobs",
        "-j",
        metavar="N",
        min=1,
        help="Assess profiles in N worker processes (default: the available cores, or 1 for "
        "fewer than 8 profiles). The output is the same with any N.",
    ),
) -> None:
    """Compare profiles: a profile × theme score matrix, a rule × profile status matrix.

    Countries keep the order in which they are given (each country's profiles by date);
    `--sort score` orders them by overall score instead. Profiles of the same country with
    different `as_of` dates are shown as a time series, with the change from the first to
    the last. Exit 0 on success, 2 on usage errors or invalid input.
    """
    from coherence.cli.formats import view_format
    from coherence.cli.inputs import collect_profile_paths
    from coherence.cli.output import Chunks
    from coherence.report.formats import get_format, render_chunks
    from coherence.report.views.comparison import CompareError, build_comparison

    chosen = view_format("comparison", format, output, "markdown")
    chosen_engine = _engine_choice(engine)
    when = _today(today)
    files = collect_profile_paths(profiles)
    if not files:
        fail_usage("no profile files (*.yaml, *.yml) found in the given paths")
    protected = (*files, *rule_inputs(rules))
    refuse_inputs([output], protected)
    from coherence.cli.parallel import jobs_for, keep_for_comparison
    from coherence.cli.spool import SpooledList
    from coherence.report.views.comparison_source import ComparisonSource

    # Memory flat: each assessment is cut to what the comparison reads as it is made; as it
    # arrives, its findings become a few numbers and the rest of it a record on disk, read
    # back as the formats write each profile's rows.
    source = ComparisonSource(SpooledList())
    assess_files(
        files,
        rules,
        chosen_engine,
        when,
        jobs_for(jobs, len(files)),
        keep_for_comparison,
        source.add,
    )
    try:
        comparison = build_comparison(source, sort=sort.value)
    except CompareError as exc:
        fail_usage(str(exc))
    # Written piece by piece: a format that lays out the comparison in chunks never holds
    # the whole text of thousands of profiles.
    pieces = Chunks(
        render_chunks(chosen, "comparison", comparison), binary=get_format(chosen).binary
    )
    emit(pieces, output, protected=protected)


def diff(
    old: Path = typer.Argument(..., metavar="OLD", help="The earlier profile."),
    new: Path = typer.Argument(..., metavar="NEW", help="The later profile, of the same country."),
    format: DiffFormat | None = format_option(
        None, "Output format (default: from the --output file name, else text).", of=DiffFormat
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write the diff here (atomically)."
    ),
    fail_on_regression: bool = typer.Option(
        False, "--fail-on-regression", help="Exit 1 when any finding regressed."
    ),
    rules: list[Path] = typer.Option(
        [], "--rules", "-r", metavar="DIR", help="Extra rule folder (repeatable)."
    ),
    engine: EngineName = typer.Option(
        "auto", "--engine", metavar="[auto|durable|reference]", help="Rule engine."
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD", help="Date that decides which waivers have expired."
    ),
) -> None:
    """What changed between two profiles of one country: findings, scores, answers.

    A finding regressed when its status moved down the order gap < partial < insufficient
    data < met; changes to or from not applicable or waived never count as regressions.
    Exit 0, or 1 with --fail-on-regression when a finding regressed; 2 on usage errors,
    invalid input or profiles of two different countries.
    """
    from coherence.assessment.regression import has_regression
    from coherence.cli.formats import view_format
    from coherence.report.formats import get_format, render
    from coherence.report.views.diff import DiffError, diff_assessments

    chosen = view_format("diff", format, output, "text")
    chosen_engine = _engine_choice(engine)
    when = _today(today)
    refuse_stdin([old, new], "diff")
    for path in (old, new):
        if path.is_dir():
            fail_usage(f"{path}: is a folder; diff takes two profile files")
        if not path.exists():
            fail_usage(f"{path}: no such file")
    # One pass per profile: each is loaded and assessed once, and its assessment keeps the
    # answers the diff compares (`Assessment.answers`).
    old_a, new_a = assess_files([old, new], rules, chosen_engine, when)
    try:
        result = diff_assessments(old_a, new_a)
    except DiffError as exc:
        fail_usage(str(exc))
    if new_a.profile.as_of < old_a.profile.as_of:  # the report notes it too, at its end
        typer.echo(
            f"coherence: warning: NEW ({new}, as of {new_a.profile.as_of}) is older than OLD "
            f"({old}, as of {old_a.profile.as_of}): the changes read backwards; give the "
            "earlier profile first",
            err=True,
        )
    emit(
        render(chosen, "diff", result),
        output,
        protected=(old, new, *rule_inputs(rules)),
        terminal=get_format(chosen).terminal,
    )
    if fail_on_regression and has_regression(old_a, new_a):
        n = len(result.regressed)
        typer.echo(
            f"coherence: {n} finding{'s' if n != 1 else ''} regressed "
            f"({', '.join(f.rule_id for f in result.regressed)})",
            err=True,
        )
        raise typer.Exit(1)


def _engine_choice(name: EngineName) -> EngineChoice:
    from coherence.cli.shared import EngineChoice

    return EngineChoice(name)


def register(app: typer.Typer) -> None:
    """Add `compare` and `diff` to the main app."""
    app.command(cls=PlainHelpCommand)(compare)
    app.command(cls=PlainHelpCommand)(diff)
