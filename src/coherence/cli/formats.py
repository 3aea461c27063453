"""Which report format a command writes: `--format` as given, or the one its `--output` file
name implies (`report.html`), through the registry (`coherence.report.formats`). One rule for
`check`, `compare` and `diff`: a suffix that implies a format is used when `--format` is
absent, and is a usage error (exit 2) when it contradicts the `--format` given."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from coherence.cli.output import STDERR_ALIASES, STDOUT_ALIASES, fail_usage
from coherence.report.formats import names_for


def implied_formats(view: str, output: Path | None) -> tuple[str, ...]:
    """The names of the formats of `view` that `output`'s file name implies, best first
    (empty: any format, e.g. standard output, `-` or `.txt`)."""
    from coherence.report.formats import formats_of_name

    if output is None or str(output) in STDOUT_ALIASES | STDERR_ALIASES:
        return ()
    return tuple(f.name for f in formats_of_name(output.name, view))  # type: ignore[arg-type]


def refuse_contradiction(view: str, given: str, output: Path | None) -> None:
    """Exit 2 when `output`'s file name implies another format than `given`."""
    implied = implied_formats(view, output)
    if implied and given not in implied:
        fail_usage(
            f"--format {given} contradicts --output {output}, whose name says "
            f"{' or '.join(implied)}; give a matching --format, "
            "or leave --format out to go by the file name"
        )


def refuse_foreign_suffix(view: str, output: Path | None, command: str) -> None:
    """Exit 2 when `output`'s suffix names a report format that `command` cannot write
    (`diff -o answers.xlsx` wrote plain text into a workbook's name)."""
    from coherence.report.formats import FORMATS

    if output is None or str(output) in STDOUT_ALIASES | STDERR_ALIASES:
        return
    if implied_formats(view, output):
        return
    name = output.name.lower()
    others = [f.name for f in FORMATS if any(name.endswith(s) for s in f.suffixes)]
    if others:
        fail_usage(
            f"--output {output}: the name says {' or '.join(others)}, which {command} cannot "
            f"write (it writes {', '.join(names_for(view))}); choose another name"  # type: ignore[arg-type]
        )


def view_format(view: str, given: Enum | None, output: Path | None, default: str) -> str:
    """The format of one report of `view`: `--format` as given, else the one the `--output`
    file name implies, else `default`. A suffix of a format the view has not is refused."""
    refuse_foreign_suffix(view, output, {"comparison": "compare"}.get(view, view))
    if given is None:
        return (implied_formats(view, output) or (default,))[0]
    refuse_contradiction(view, str(given.value), output)
    return str(given.value)


CheckFormat = Enum(  # type: ignore[misc]  # the formats of the gap report, from the registry
    "CheckFormat", [(name, name) for name in names_for("gap")], type=str
)
"""The `--format` choices of `check`: every format of the registry that lays out the gap
report (`coherence.report.formats.FORMATS`)."""


def formats_of_output(output: Path) -> tuple[CheckFormat, ...]:
    """The formats `output`'s suffix implies, the first inferred when `--format` is absent
    (empty: any format, e.g. `-` or `.txt`); the registry says which suffix implies which."""
    return tuple(CheckFormat(name) for name in implied_formats("gap", output))


def resolve_formats(formats: list[CheckFormat], outputs: list[Path]) -> list[CheckFormat]:
    """The format of each report: as given, or implied by the `--output` suffix when no
    `--format` is given (text otherwise)."""
    if not formats:
        return [(formats_of_output(o) or (CheckFormat.text,))[0] for o in outputs] or [
            CheckFormat.text
        ]
    return formats


def refuse_contradicting_suffixes(formats: list[CheckFormat], outputs: list[Path]) -> None:
    """Exit 2 when an `--output` file name implies another format than its `--format`."""
    for fmt, output in zip(formats, outputs, strict=False):
        refuse_contradiction("gap", fmt.value, output)


# The gap-report options that change only some formats, and which.
OPTION_FORMATS: dict[str, tuple[str, ...]] = {
    "--only-failing": ("text", "sarif", "junit", "github"),
    "--appendix": ("html", "pdf"),
    "--template-dir": ("html", "pdf"),
}


def check_format_options(formats: list[str], given: dict[str, object]) -> None:
    """Exit 2 for a `--template-dir` that is no folder; warn on standard error for an option
    given that changes none of the formats asked for (it would be ignored without a word)."""
    import typer

    folder = given.get("--template-dir")
    if folder is not None and not Path(str(folder)).is_dir():
        fail_usage(f"--template-dir {folder}: no such folder")
    for option, value in given.items():
        used = OPTION_FORMATS[option]
        if value and not any(f in used for f in formats):
            from coherence.wording import series

            typer.echo(
                f"coherence: warning: {option} changes only the {series(used)} report; "
                f"it does not change the {series(formats, 'and')} report asked for",
                err=True,
            )
