"""`coherence validate`: every problem of every profile, at file:line:column, and warnings.

A warning (a country name that is not the name of its code) is shown with the problems but
leaves the file valid: names vary (official, short, in another language), so the tool asks
the official to look rather than refusing what may be right.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from coherence.cli.inputs import collect_profile_paths, load_profile_arg, shown_path
from coherence.cli.output import fail_usage
from coherence.cli.shared import load_catalogue_or_exit
from coherence.diagnostics import Diagnostic, InputError, problem_count


def country_name_warnings(loaded) -> list[Diagnostic]:
    """A warning when the country's name is none of the names of its code: a profile of
    `FRA` named Germany would join France's series in `compare` under Germany's name."""
    from coherence.profile.country import name_mismatch

    country = loaded.profile.country
    message = name_mismatch(country.code, country.name)
    if message is None:
        return []
    line, column = loaded.document.line_of(("country", "name"))
    return [
        Diagnostic(
            loaded.path, line, column, "country-name", message, "country.name", severity="warning"
        )
    ]


def run_validate(paths: list[Path], format: str, quiet: bool, rules: list[Path]) -> None:
    """Validate the profiles at `paths`; exit 0 when all are valid (warnings or not), 1 when
    any is invalid, 2 when a file cannot be read."""
    from coherence.report import diagnostics as render

    files = collect_profile_paths(paths)
    if not files:
        fail_usage("no profile files (*.yaml, *.yml) found in the given paths")
    results: dict[str, list[Diagnostic]] = {}
    unreadable = False
    catalogue = None
    for file in files:
        name = shown_path(file)
        try:
            loaded = load_profile_arg(file)
            if loaded.profile.waivers:  # waivers must name rules that exist
                from coherence.assessment.waivers import waiver_problems

                catalogue = catalogue or load_catalogue_or_exit(rules)
                problems = waiver_problems(loaded, catalogue)
                if problems:
                    raise InputError(problems)
            results[name] = country_name_warnings(loaded)
        except InputError as exc:
            results[name] = exc.diagnostics
        except OSError as exc:
            unreadable = True
            reason = exc.strerror or str(exc)
            results[name] = [Diagnostic(name, 0, 0, "unreadable", f"cannot read: {reason}")]
    every = [d for diags in results.values() for d in diags]
    errors = [d for d in every if d.severity == "error"]
    if format == "json":
        sys.stdout.write(render.render_json(results))
    elif format == "github":
        sys.stdout.write(render.render_github(every))
    else:
        sys.stdout.write(render.render_text(every))
        if not quiet:
            invalid = sum(1 for d in results.values() if any(e.severity == "error" for e in d))
            noun = "file" if len(results) == 1 else "files"
            summary = (
                f"{len(results)} {noun} checked: {len(results) - invalid} valid, {invalid} invalid"
            )
            if errors:
                count = problem_count(errors)
                summary += f", {count:,} problem{'s' if count != 1 else ''}"
            warned = len(every) - len(errors)
            if warned:
                summary += f", {warned} warning{'s' if warned != 1 else ''}"
            typer.echo(summary, err=True)
    if unreadable:
        raise typer.Exit(2)
    raise typer.Exit(1 if errors else 0)
