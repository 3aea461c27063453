"""Renderers for diagnostics: plain text, JSON and GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable

from coherence.diagnostics import Diagnostic
from coherence.terminal import for_terminal


def render_text(diagnostics: Iterable[Diagnostic]) -> str:
    """One line per problem: `file:line:column: error[code] path: message`.

    Control characters (from file names, keys and values) are shown, not sent to the terminal.
    """
    lines = []
    for d in diagnostics:
        where = f" {d.path}:" if d.path else ""
        text = for_terminal(f"{d.location()}: {d.severity}[{d.code}]{where} {d.message}")
        # One problem per line, whatever a file name or a key holds (a newline, a tab).
        lines.append(text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    return "\n".join(lines) + ("\n" if lines else "")


def github_escape_data(text: str) -> str:
    """Escape a workflow-command message, as GitHub's toolkit does; other control characters
    are shown rather than sent to the log viewer (which renders ANSI escapes)."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return for_terminal(escaped)


def github_escape_property(text: str) -> str:
    """Escape a workflow-command property value (file, title): also ':' and ','."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(
    level: str, message: str, *, file: str = "", line: int = 0, column: int = 0, title: str = ""
) -> str:
    """One `::error file=...,line=...::message` workflow command."""
    props = []
    if file:
        props.append(f"file={github_escape_property(file)}")
    if line > 0:
        props.append(f"line={line}")
    if column > 0:
        props.append(f"col={column}")
    if title:
        props.append(f"title={github_escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{github_escape_data(message)}"


def render_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub workflow commands, one per problem."""
    lines = []
    for d in diagnostics:
        level = "error" if d.severity == "error" else "warning"
        message = f"{d.path}: {d.message}" if d.path else d.message
        lines.append(
            github_command(
                level,
                message,
                file=d.file,
                line=d.line,
                column=d.column,
                title=f"coherence {d.code}",
            )
        )
    return "\n".join(lines) + ("\n" if lines else "")


def render_json(files: dict[str, list[Diagnostic]]) -> str:
    """A JSON document: per file, whether it is valid, its problems and its warnings (which
    leave it valid); plus a summary."""
    entries = []
    for path, diags in sorted(files.items()):
        errors = [d.to_dict() for d in diags if d.severity == "error"]
        warnings = [d.to_dict() for d in diags if d.severity != "error"]
        entries.append({"path": path, "valid": not errors, "errors": errors, "warnings": warnings})
    invalid = sum(1 for e in entries if not e["valid"])
    body = {
        "files": entries,
        "summary": {
            "files": len(entries),
            "invalid": invalid,
            "errors": sum(len(e["errors"]) for e in entries),
            "warnings": sum(len(e["warnings"]) for e in entries),
        },
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
