"""`coherence questionnaire` and `coherence import`: the profile as a workbook, and back."""

from __future__ import annotations

from pathlib import Path

import typer

from coherence.cli.inputs import refuse_stdin
from coherence.cli.output import emit, fail_usage
from coherence.diagnostics import problem_count


def questionnaire(
    output: Path = typer.Option(
        ..., "--output", "-o", metavar="FILE.xlsx", help="The workbook to write."
    ),
    from_profile: Path | None = typer.Option(
        None,
        "--from",
        metavar="PROFILE.yaml",
        help="Pre-fill the answers of this profile (next year's round starts from this year's).",
    ),
    ministry: str | None = typer.Option(
        None,
        "--ministry",
        metavar="NAME",
        help="Only the questions this ministry owns: labour, interior, foreign_affairs, "
        "statistics, justice, social_affairs or trafficking.",
    ),
    language: str = typer.Option(
        "en",
        "--language",
        metavar="CODE",
        help="The language a ministry reads: en (English), fr (French) or es (Spanish). "
        "`coherence import` reads each workbook in its own language.",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Write the questionnaire as an XLSX workbook to send round the ministries.

    One sheet per section, one row per question, drop-down lists for the answers, locked
    question cells. Fill it in, then `coherence import` turns it into a profile.
    """
    from coherence.questionnaire.language import LANGUAGES, NAMES, choose
    from coherence.questionnaire.questions import MINISTRY_KEYS
    from coherence.questionnaire.questions import ministry as find_ministry
    from coherence.questionnaire.workbook import build_workbook

    _check_workbook_name(output)
    code = choose(language)
    if code is None:
        choices = ", ".join(f"{c} ({NAMES[c]})" for c in LANGUAGES)
        fail_usage(f"--language {language!r}: choose one of {choices}")
    chosen = None
    if ministry is not None:
        chosen = find_ministry(ministry)
        if chosen is None:
            fail_usage(f"--ministry {ministry!r}: choose one of {', '.join(MINISTRY_KEYS)}")
    profile = None
    protected: tuple[Path, ...] = ()
    refuse_stdin([from_profile], "questionnaire --from")
    if from_profile is not None:
        profile = _load_or_exit(from_profile)
        protected = (from_profile,)
    unread = _unread_questions()
    emit(
        build_workbook(profile, chosen, unread, code),
        output,
        refuse_existing=not force,
        protected=protected,
        replaces="questionnaire",
    )
    scope = f" for {chosen.label}" if chosen else ""
    typer.echo(f"questionnaire{scope} written to {output}", err=True)
    marked = sum(
        1 for q in _questions() if q.path in unread and (chosen is None or q.owner == chosen.key)
    )
    if marked:
        many = marked != 1
        typer.echo(
            f"{marked} question{'s are' if many else ' is'} marked 'For the record': no check "
            f"reads {'them' if many else 'it'} yet, so the other questions come first",
            err=True,
        )
    if profile is not None and chosen is None:
        _warn_not_carried(profile, output)


def _unread_questions() -> frozenset[str]:
    """The questions no check of the bundled catalogue reads (the catalogue from its cache)."""
    from coherence.cli.shared import load_catalogue_or_exit
    from coherence.questionnaire.questions import unread_questions

    return unread_questions(load_catalogue_or_exit([]).answers_read)


def _check_workbook_name(output: Path) -> None:
    """Refuse an output the workbook cannot be written to, saying what is wrong with the name."""
    if str(output) == "-":
        fail_usage(
            "--output -: the questionnaire is an XLSX workbook and cannot go to standard "
            "output; name a file, e.g. questionnaire.xlsx"
        )
    if output.name.lower() == ".xlsx":
        fail_usage(
            f"--output {output}: the name has nothing before .xlsx (a file called only "
            "'.xlsx' is hidden on most systems); name it e.g. questionnaire.xlsx"
        )
    if output.suffix.lower() != ".xlsx":
        fail_usage(f"--output {output}: the questionnaire is an XLSX workbook; name it *.xlsx")


def _load_or_exit(path: Path):
    from coherence.diagnostics import InputError
    from coherence.profile.validate import load_profile
    from coherence.report.diagnostics import render_text

    try:
        return load_profile(path).profile
    except InputError as exc:
        typer.echo(render_text(exc.diagnostics), err=True, nl=False)
        fail_usage(f"--from {path}: the profile is not valid; fix it first")
    except OSError as exc:
        fail_usage(f"--from {path}: cannot read: {exc.strerror or exc}")


def _warn_not_carried(profile, output: Path) -> None:
    """Say which parts of the profile the workbook has no cell for, or cut to fit a cell (read
    back to check)."""
    from coherence.questionnaire.read import read_workbooks
    from coherence.questionnaire.roundtrip import lost_paths, too_long_paths
    from coherence.spreadsheet import MAX_CELL

    back = read_workbooks([output], allow_cut=True).profile
    lost = lost_paths(profile, back) if back is not None else ["(the workbook did not read back)"]
    cut = too_long_paths(profile, MAX_CELL)
    for path in lost:
        if path in cut:
            typer.echo(
                f"{output}: cut to the {MAX_CELL:,} characters a spreadsheet cell holds, so its "
                f"end is not in the workbook (`coherence import` refuses the cell until it is "
                f"shortened): {path}",
                err=True,
            )
        else:
            typer.echo(f"{output}: not carried into the workbook: {path}", err=True)


def import_workbooks(
    workbooks: list[Path] = typer.Argument(
        ..., metavar="WORKBOOK.xlsx", help="Filled-in questionnaires (one per ministry)."
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", metavar="PROFILE.yaml", help="The profile to write (- prints it)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Read filled-in questionnaires back into one validated, commented profile.

    Every problem is reported as workbook!sheet!cell. Workbooks are merged: the same answer
    twice is fine, two different answers to one question are an error naming both cells.
    Exit 0 when the profile was written, 1 when the workbooks need fixing, 2 when a file
    cannot be read or on usage errors. OUTPUT is never overwritten without --force.
    """
    from coherence.profile.emit import profile_yaml
    from coherence.profile.template import schema_reference
    from coherence.questionnaire.cells import book_names
    from coherence.questionnaire.read import UNREADABLE, read_workbooks
    from coherence.questionnaire.size import too_large
    from coherence.report.diagnostics import render_text

    refuse_stdin(list(workbooks), "import")
    if len(set(workbooks)) != len(workbooks):
        fail_usage("a workbook is given twice")
    result = read_workbooks(workbooks)
    if result.warnings:
        typer.echo(render_text(result.warnings), err=True, nl=False)
    names = ", ".join(book_names(workbooks))
    text = ""
    if result.profile is not None:
        header = (
            f"Imported by `coherence import` from {names}.\n"
            "Edit the workbooks and import again, or edit this file; check it with "
            "`coherence validate`."
        )
        target = None if str(output) == "-" else output
        text = profile_yaml(result.profile, header, schema_reference(target))
        large = too_large(text, result, names)
        if large is not None:
            result.problems.append(large)
    if result.problems:
        typer.echo(render_text(result.problems), err=True, nl=False)
        count = problem_count(result.problems)
        typer.echo(
            f"{count:,} problem{'s' if count != 1 else ''} in the workbooks; nothing was written",
            err=True,
        )
        unreadable = any(p.code in UNREADABLE for p in result.problems)
        raise typer.Exit(2 if unreadable else 1)
    emit(
        text,
        output,
        refuse_existing=not force,
        protected=tuple(workbooks),
        writes_yaml=True,
    )
    total = sum(1 for _ in _questions())
    typer.echo(
        f"{len(workbooks)} workbook{'s' if len(workbooks) != 1 else ''} imported: "
        f"{result.answered} of {total} questions answered; profile written to {output}",
        err=True,
    )


def _questions():
    from coherence.questionnaire.questions import questions

    return questions()


def register(app: typer.Typer) -> None:
    """Add the commands to the main application."""
    from coherence.cli.plainhelp import PlainHelpCommand

    app.command("questionnaire", cls=PlainHelpCommand)(questionnaire)
    app.command("import", cls=PlainHelpCommand)(import_workbooks)
