"""What the commands that assess profiles share: the catalogue, the engine, the date that
decides waivers, the job count, and loading and assessing the profiles (one place for
every command and job count)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from coherence.cli.inputs import collect_profile_paths
from coherence.cli.output import fail_usage
from coherence.diagnostics import Diagnostic, InputError


class EngineChoice(str, Enum):
    auto = "auto"
    durable = "durable"
    reference = "reference"


def load_catalogue_or_exit(rule_dirs: list[Path], *, use_cache: bool = True):
    """The bundled catalogue plus extra rule folders; exit 2 with located errors if broken.

    Through the verified-catalogue cache (`coherence.rules.cache`) unless `use_cache` is
    false or COHERENCE_NO_CACHE=1."""
    from coherence.rules.cache import load_catalogue_cached

    try:
        return load_catalogue_cached(rule_dirs, use_cache=use_cache)
    except InputError as exc:
        from coherence.report.diagnostics import render_text

        sys.stderr.write(render_text(exc.diagnostics))
        fail_usage(f"the rule catalogue has {len(exc.diagnostics)} problem(s); see above")


def engine_or_exit(catalogue, name: EngineChoice):
    """The chosen engine; the fallback notice is printed once, on stderr."""
    from coherence.engine.compile import CompileError
    from coherence.engine.durable import EngineError
    from coherence.engine.select import make_engine

    try:
        engine, notice = make_engine(catalogue, name.value)
    except (EngineError, CompileError) as exc:
        fail_usage(str(exc))
    if notice:
        typer.echo(notice, err=True)
    return engine


def parse_today(text: str | None):
    """The `--today` option as a date (default: today); exit 2 when it is not one."""
    import datetime as dt
    import re

    if text is None:
        return dt.date.today()
    try:  # YYYY-MM-DD alone: Python 3.11 also reads 20260101 and 2026-W01-4, 3.10 does not
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text, flags=re.ASCII):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    fail_usage(f"--today {text!r} is not a date; write it as YYYY-MM-DD")


def prepare_assessor(
    rules: list[Path],
    engine: EngineChoice,
    when,
    select: list[str] | None = None,
    skip: list[str] | None = None,
    use_cache: bool = True,
):
    """The catalogue, the selection and the engine (exit 2 with located messages when one
    cannot be built), as an `Assessor` for this process and a `Setup` for worker processes."""
    from coherence.assessment.selection import SelectionError, select_rules
    from coherence.cli.parallel import Assessor, Setup

    full = load_catalogue_or_exit(rules, use_cache=use_cache)
    try:
        catalogue = select_rules(full, list(select or []), list(skip or []))
    except SelectionError as exc:
        fail_usage(str(exc))
    chosen = engine_or_exit(catalogue, engine)
    setup = Setup(
        tuple(rules), tuple(select or []), tuple(skip or []), engine.value, when, use_cache
    )
    return Assessor(full, catalogue, chosen, when), setup


def each_assessed(files: list[Path], assessor, setup, reduce, jobs: int = 1, verb="checked"):
    """What `reduce` makes of each profile's assessment, in the order of `files` (see
    `coherence.cli.parallel.assess_each`); once every file is done, exit 2 with every
    problem located, if there is any (nothing more is yielded after the first)."""
    from coherence.cli.parallel import assess_each
    from coherence.report.diagnostics import render_text as render_diags

    problems: list[Diagnostic] = []
    for _, found, reduced in assess_each(files, assessor, setup, reduce, jobs):
        if found:
            problems.extend(found)
        elif not problems:
            yield reduced
    if problems:
        sys.stderr.write(render_diags(problems))
        fail_usage(f"{len(problems)} problem(s) in the input; nothing was {verb}")


def assess_files(
    files: list[Path],
    rules: list[Path],
    engine: EngineChoice,
    when,
    select: list[str] | None = None,
    skip: list[str] | None = None,
    verb: str = "checked",
    use_cache: bool = True,
    jobs: int = 1,
    reduce=None,
    receive=None,
):
    """Load, validate and assess profile files; exit 2 with located messages on any error.

    Returns what `reduce` (default: keep the assessment) made of each, passed through
    `receive` in this process as each arrives when given, in the order of the files, and
    the selected catalogue. Each profile is loaded and assessed once, and its
    waivers checked in one place (`coherence.cli.parallel.Assessor.outcome`): against the
    whole catalogue, then the rules are narrowed to the selection, so a waiver of a skipped
    rule is reported as unmatched rather than unknown.
    """
    from coherence.cli.parallel import keep_assessment

    assessor, setup = prepare_assessor(rules, engine, when, select, skip, use_cache)
    done = each_assessed(files, assessor, setup, reduce or keep_assessment, jobs, verb)
    return [receive(r) for r in done] if receive else list(done), assessor.catalogue


def profile_files(profiles: list[Path]) -> list[Path]:
    """The profile files of the paths given (exit 2 when there is none)."""
    files = collect_profile_paths(profiles)
    if not files:
        fail_usage("no profile files (*.yaml, *.yml) found in the given paths")
    return files


JOBS_HELP = (
    "Assess profiles in N worker processes (default: the available cores, or 1 for fewer "
    "than 8 profiles; never more than the cores or the profiles). The output is the same "
    "with any N."
)


def jobs_option():
    """The `--jobs` option of check, compare and baseline (at least 1: else exit 2)."""
    return typer.Option(None, "--jobs", "-j", metavar="N", min=1, help=JOBS_HELP)
