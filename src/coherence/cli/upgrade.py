"""`coherence upgrade`: rewrite a format-1 profile as format 2; the input is never touched."""

from __future__ import annotations

from pathlib import Path

import typer

from coherence.cli.output import emit, fail_usage


def upgrade(
    profile: Path = typer.Argument(..., metavar="OLD", help="The format-1 profile to upgrade."),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="NEW",
        help="Write the upgraded profile here (default: standard output).",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the --output file if it exists."),
) -> None:
    """Rewrite a format-1 profile as format 2, keeping its comments and order.

    The input file is never modified: the upgraded profile goes to standard output or to
    `--output`. Every change is listed on standard error; the result is then validated.
    Exit 0 when the upgraded profile is valid, 1 when it still needs a hand-made fix (or,
    with nothing written, when OLD gives two different answers to one question), 2 when the
    file cannot be read or is in a format newer than this tool reads.
    """
    from coherence.cli.inputs import refuse_stdin
    from coherence.diagnostics import InputError
    from coherence.profile.upgrade import upgrade_text
    from coherence.profile.validate import validate_document
    from coherence.report.diagnostics import render_text
    from coherence.yamlsource import load_yaml_file, parse_yaml

    refuse_stdin([profile], "upgrade")
    try:
        load_yaml_file(profile)  # the same safety checks as every other command
        text = profile.read_text(encoding="utf-8")
        result = upgrade_text(text, str(profile))
    except InputError as exc:
        typer.echo(render_text(exc.diagnostics), err=True, nl=False)
        raise typer.Exit(2) from None
    except OSError as exc:
        fail_usage(f"{profile}: cannot read: {exc.strerror or exc}")
    if result.problems:
        typer.echo(render_text(result.problems), err=True, nl=False)
        typer.echo(
            f"{profile}: not upgraded, nothing written: fix the {len(result.problems)} "
            "problem(s) above in this file, then run coherence upgrade again",
            err=True,
        )
        raise typer.Exit(1)
    if not result.changed and not result.warnings:
        typer.echo(f"{profile}: already format 2; nothing to change", err=True)
    for change in result.changes:
        typer.echo(f"{profile}: upgraded: {change}", err=True)
    for warning in result.warnings:
        typer.echo(f"{profile}: check: {warning}", err=True)
    shown = str(output) if output is not None and str(output) != "-" else str(profile)
    try:
        validate_document(parse_yaml(result.text, shown))
        problems = []
    except InputError as exc:
        problems = exc.diagnostics
    emit(result.text, output, refuse_existing=not force, protected=(profile,), writes_yaml=True)
    if problems:
        typer.echo(render_text(problems), err=True, nl=False)
        typer.echo(
            f"{shown}: upgraded, but {len(problems)} problem(s) need a fix by hand", err=True
        )
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `upgrade` command to the main application."""
    from coherence.cli.plainhelp import PlainHelpCommand

    app.command("upgrade", cls=PlainHelpCommand)(upgrade)
