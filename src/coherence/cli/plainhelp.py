"""Plain `--help`: metavars such as `PATH`, `TEXT` and `[text|json|...]`, not Python types.

Typer shows a parameter's Python type (`<list[Path]>`, `{profiles}...`). Options get their
metavar from the `metavar=` given to `typer.Option` (`PATH`, `choices(Enum)`); commands made
with `cls=PlainHelpCommand` also show their arguments as `PROFILE...` in the usage line and
in the Arguments section (the argument's `metavar`, else its name in capitals).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from typer.core import TyperCommand


def choices(enum: type[Enum]) -> str:
    """`[text|json|...]`: the values of a format enum, as a metavar (computed from the enum,
    so a value added to it shows up by itself)."""
    return "[" + "|".join(str(member.value) for member in enum) + "]"


def format_option(
    default: Enum | None, help: str = "Output format.", *, of: type[Enum] | None = None
) -> Any:
    """The `--format`/`-f` option of a command: case-insensitive, its choices as metavar.

    With no `default` (None), pass the choices as `of`: the command then infers the format
    from its `--output` file name (`coherence.cli.formats.view_format`)."""
    import typer

    enum = of if of is not None else type(default)
    return typer.Option(
        default,
        "--format",
        "-f",
        case_sensitive=False,
        metavar=choices(enum),
        help=help,
    )


def _argument_name(param: Any, *, usage: bool = False) -> str:
    name = param.metavar or param.name.upper()
    if param.nargs != 1:
        name += "..."
    if usage and not param.required:
        name = f"[{name}]"
    return name


def _empty_argument(args: list[str], valued: set[str]) -> str | None:
    """What an empty argument on the command line is (a script's unset variable:
    `coherence check "$PROFILE"`), said plainly; None when there is none. Left alone, an
    empty path is the current folder: `check` would assess every YAML file in it.
    `valued`: the names of the options that take a value."""
    options = True
    for index, arg in enumerate(args):
        if arg == "--" and options:
            options = False
            continue
        if options and arg.startswith("--") and arg.endswith("=") and arg[:-1] in valued:
            return f"{arg[:-1]} is given an empty value"
        if arg == "":
            before = args[index - 1] if index else ""
            if options and before in valued:
                return f"{before} is given an empty value"
            return 'an argument is empty ("")'
    return None


class PlainHelpCommand(TyperCommand):
    """A typer command whose help names its arguments plainly (`PROFILE...`), and that
    refuses an empty argument (`""`) before it is taken for the current folder."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        valued = {
            name
            for param in self.get_params(ctx)
            if param.param_type_name == "option" and not getattr(param, "is_flag", False)
            for name in (*param.opts, *param.secondary_opts)
        }
        empty = _empty_argument(args, valued)
        if empty is not None:
            from coherence.cli.output import fail_usage

            fail_usage(f"{empty} (an unset variable in a script?); name it, or leave it out")
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(_argument_name(param, usage=True))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                args.append((_argument_name(param), record[1]))
            elif param.param_type_name == "option":
                opts.append(record)
        if args:
            with formatter.section("Arguments"):
                formatter.write_dl(args)
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)
