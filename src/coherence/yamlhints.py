"""Hints for YAML syntax errors, in the words of someone who edits a profile by hand: which
line to indent, which value to put in quotes. `coherence.yamlsource` adds them to libyaml's
messages."""

from __future__ import annotations

import re

_KEY_VALUE = re.compile(r"^(?P<indent> *)(?:- +)?(?P<key>[A-Za-z_][\w-]*) *: +(?P<value>\S.*)$")
_INDENT_HINT = "indent with spaces to line up with the other fields"


def _indent(line: str) -> int:
    # Where the line's field starts: after the spaces and any list dashes (`  - title: x`).
    found = re.match(r"^ *(?:- +)*", line)
    return found.end() if found else 0


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _quote_example(key: str, value: str) -> str:
    value = value.split(" #")[0].strip()
    value = value if len(value) <= 50 else value[:47] + "..."
    if '"' in value:
        doubled = value.replace("'", "''")
        return f"{key}: '{doubled}'"
    return f'{key}: "{value}"'


def syntax_hint(problem: str, text: str, line: int, column: int) -> str:
    """What to do about a YAML syntax error, read from the problem and the offending line.

    `line` and `column` are 0-based, as in the parser's marks. The commonest mistakes of
    people writing YAML by hand: a colon and a space inside unquoted text (YAML reads a new
    key), a value starting with a reserved character, a line indented unlike its neighbours,
    a key without its colon, text after a closing quote, tabs.
    """
    lines = text.splitlines()
    here = lines[line] if 0 <= line < len(lines) else ""
    above = next(
        (
            lines[i]
            for i in range(min(line, len(lines)) - 1, -1, -1)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")
        ),
        "",
    )
    char = here[column : column + 1]
    pair = _KEY_VALUE.match(here)
    key = pair["key"] if pair else "value"
    if char == "\t" or "'\\t'" in problem or "tab character" in problem:
        return "YAML indentation must use spaces, not tabs"
    if "cannot start any token" in problem:
        example = f": {_quote_example(key, pair['value'])}" if pair else ""
        return (
            f"text cannot start with {char or 'this character'}: put the {key} in quotes{example}"
        )
    if "mapping values are not allowed" in problem:
        if pair and column > pair.end("key"):
            return (
                f"a colon followed by a space inside the {key} starts a new field: put the "
                f"{key} in quotes: {_quote_example(key, pair['value'])}"
            )
        stripped = above.strip()
        if stripped and ":" not in stripped and not stripped.startswith("-"):
            word, _, rest = stripped.partition(" ")
            return f"the line above has no colon after its field name: write {word}: {rest}"
        if _indent(here) > _indent(above):
            return (
                f"this line is indented further than the line above: {_INDENT_HINT} "
                "(two spaces per level)"
            )
        return f"check the line above for a missing colon or quote, and {_INDENT_HINT}"
    if any(k in problem for k in ("expected key", "expected <block end>", "'-' indicator")):
        if here[:column].rstrip().endswith(('"', "'")):
            return "text follows a closing quote: put the whole text inside the quotes"
        return (
            f"this line is indented {_spaces(_indent(here))} and the line above "
            f"{_spaces(_indent(above))}: {_INDENT_HINT} it belongs with "
            "(two spaces per level; in a list, after the '- ')"
        )
    if "expected ',' or ']'" in problem:
        return "a [ is not closed: close the list with ] on the same line, e.g. [origin, transit]"
    if "expected ',' or '}'" in problem:
        return "a { is not closed: close it with } on the same line"
    return ""


_THOUSANDS = re.compile(r"[-+]?[0-9]{1,3}\.000")


def thousands_hint(value: str) -> str:
    """Why a plain number such as `2.000` is refused (empty when it is not such a number):
    YAML reads it as 2.0, the number 2, where much of Europe writes two thousand so."""
    if not _THOUSANDS.fullmatch(value):
        return ""
    number = value.replace(".", "").lstrip("+").lstrip("0") or "0"
    read = f"{float(value):g}"
    return (
        f"{value} reads as {read}, but much of the world writes {number} so (a point between "
        f"the thousands): write {number} if that is what you mean, else {read}"
    )
