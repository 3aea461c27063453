"""Plain-English wording shared by messages, the template and reports."""

from __future__ import annotations

import re
from collections.abc import Iterable

_GROUP_NAMES = {
    "low_skilled_workers": "low-skilled workers",
    "self_employed": "self-employed workers",
    # Beneficiaries of subsidiary (complementary) protection: the EU's term, and the group
    # family reunification and other rights most often leave out where refugees have them.
    "subsidiary_protection": "holders of subsidiary protection",
    # Türkiye protects some 3 million Syrians under temporary protection, outside the refugee
    # status its geographical limitation keeps for Europeans (desk study).
    "temporary_protection": "people under temporary protection",
}


def group_name(group: str) -> str:
    """A group of an answer's `excludes` in words: `low_skilled_workers` is `low-skilled
    workers`, `domestic_workers` is `domestic workers`."""
    return _GROUP_NAMES.get(group, group.replace("_", " "))


def series(items: Iterable[str], last: str = "or") -> str:
    """`a`, `a or b`, `a, b or c` (`and` with `last="and"`); empty for no items."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


_PLAIN = (
    (" after validation", ""),
    ("Input should be a valid boolean, unable to interpret input", "must be true or false"),
    ("unable to parse input string as an integer, exceeded maximum size", "is far too large"),
    (
        "Input should be a valid integer, unable to parse string as an integer",
        "must be a whole number",
    ),
    (
        "input should be a valid integer, unable to parse string as an integer",
        "must be a whole number",
    ),
    ("Input should be", "must be"),
    ("input should be", "must be"),
    ("should have", "must have"),
)


def plain_message(message: str) -> str:
    """A validation message of pydantic in plain words (no "after validation", no "Input
    should be")."""
    for old, new in _PLAIN:
        message = message.replace(old, new)
    return message[:1].lower() + message[1:]


def typed_key(key: str, where: str) -> str:
    """A key YAML reads as another value than a name (`true:`, `null:`, `12:`), said as such:
    a "did you mean" for it would only mislead (`true` is not a misspelt `rule`)."""
    kinds = {"true": "a yes/no value", "false": "a yes/no value", "null": "an empty value"}
    kind = kinds.get(key, "a number")
    place = "at the top level" if where in ("", "the top level") else f"in {where}"
    return (
        f"'{key}' is read as {kind}, not as a field name; write the name of a field {place} "
        "here (the template, `coherence template`, lists them)"
    )


def _character(ch: str) -> str:
    """One character a reader cannot tell from another, named: "the Cyrillic letter 'а'
    (U+0430)", "a byte-order mark (U+FEFF, invisible)"."""
    import unicodedata

    code = f"U+{ord(ch):04X}"
    if ch == "\ufeff":  # where two files were joined, or an editor saved one
        return f"a byte-order mark ({code}, invisible)"
    name = unicodedata.name(ch, "")
    if not ch.isprintable() or ch.isspace():
        return f"an invisible character ({code}{', ' + name.lower() if name else ''})"
    if " LETTER " in name:
        script = name.split(" LETTER ")[0].split(" ")[0].capitalize()
        return f"the {script} letter {ch!r} ({code})"
    return f"the character {ch!r} ({code}{', ' + name.lower() if name else ''})"


def odd_characters(text: str) -> str:
    """What in `text` is not plain ASCII, named (empty when nothing is): a key or a value
    that differs from the expected one only by a look-alike (a Cyrillic `а`) or an invisible
    character (a byte-order mark, a zero-width space) prints like it, so the message names
    the difference instead of showing two identical-looking words."""
    odd = [_character(ch) for ch in dict.fromkeys(text) if not ch.isascii()]
    return f" (it contains {series(odd, 'and')})" if odd else ""


def quoted(text: str) -> str:
    """`text` in quotes as a message shows it: invisible characters escaped (`'\\ufeffrights'`),
    and whatever is not plain ASCII named after it (`odd_characters`)."""
    shown = text if text.isprintable() else repr(text)[1:-1]
    return f"'{shown}'{odd_characters(text)}"


def bare_title(title: str) -> str:
    """An instrument's title to follow "the": without a leading article, and without the
    aside some descriptions add (", which lifts ...", ", parent of ...")."""
    title = re.split(r", (?:which|parent of) ", title, maxsplit=1)[0]
    return title[4:] if title.lower().startswith("the ") else title
