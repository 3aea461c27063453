"""The `coherence` command line: parses arguments, calls the library, picks a renderer.

Exit codes (stable, documented in the README):
  0  success: everything checked is valid (or, for `check`, the check ran)
  1  something checked is invalid (validate) or fails the threshold (check --fail-on)
  2  usage error, or input that cannot be read
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from coherence import __version__
from coherence.cli.output import emit, fail_usage
from coherence.diagnostics import Diagnostic, InputError

app = typer.Typer(
    name="coherence",
    help=(
        "Check a country's migration-policy profile against the international "
        "recommendations (ICPD, ILO, IOM), with verified citations.\n\n"
        "Exit codes: 0 success; 1 invalid input or findings at the --fail-on threshold; "
        "2 usage error or unreadable input."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coherence {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Policy-coherence checks for national migration policy."""


class SchemaKind(str, Enum):
    profile = "profile"


@app.command()
def schema(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """Print the JSON Schema of the profile format (generated from the models)."""
    from coherence.profile.schema import dumps, profile_schema

    emit(dumps(profile_schema()), output)


@app.command()
def template(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """Print a blank, commented profile to start from (every answer `unknown`)."""
    from coherence.profile.template import render_template

    emit(render_template(), output, refuse_existing=True)


class DiagFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def collect_profile_paths(paths: list[Path]) -> list[Path]:
    """Files named on the command line, plus `*.yaml`/`*.yml` found under folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            )
        elif path.exists():
            found.append(path)
        else:
            fail_usage(f"{path}: no such file or folder")
    return found


@app.command()
def validate(
    paths: list[Path] = typer.Argument(..., help="Profile files or folders (searched for *.yaml, *.yml)."),
    format: DiagFormat = typer.Option(DiagFormat.text, "--format", "-f", help="Output format."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print problems only, no summary."),
) -> None:
    """Validate profiles: every problem in every file, at file:line:column.

    Exit 0 when all are valid, 1 when any is invalid, 2 on usage errors or unreadable files.
    """
    from coherence.profile.validate import load_profile
    from coherence.report import diagnostics as render

    files = collect_profile_paths(paths)
    if not files:
        fail_usage("no profile files (*.yaml, *.yml) found in the given paths")
    results: dict[str, list[Diagnostic]] = {}
    unreadable = False
    for file in files:
        try:
            load_profile(file)
            results[str(file)] = []
        except InputError as exc:
            results[str(file)] = exc.diagnostics
        except OSError as exc:
            unreadable = True
            reason = exc.strerror or str(exc)
            results[str(file)] = [Diagnostic(str(file), 0, 0, "unreadable", f"cannot read: {reason}")]
    every = [d for diags in results.values() for d in diags]
    if format is DiagFormat.json:
        sys.stdout.write(render.render_json(results))
    elif format is DiagFormat.github:
        sys.stdout.write(render.render_github(every))
    else:
        sys.stdout.write(render.render_text(every))
        if not quiet:
            invalid = sum(1 for diags in results.values() if diags)
            noun = "file" if len(results) == 1 else "files"
            summary = f"{len(results)} {noun} checked: {len(results) - invalid} valid, {invalid} invalid"
            if every:
                summary += f", {len(every)} problem{'s' if len(every) != 1 else ''}"
            typer.echo(summary, err=True)
    if unreadable:
        raise typer.Exit(2)
    raise typer.Exit(1 if every else 0)


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.stderr.write("interrupted\n")
        sys.exit(130)
