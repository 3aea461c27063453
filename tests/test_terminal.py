"""`for_terminal`: what people read on a terminal carries no live control characters
(issue 12 §3.18)."""

from __future__ import annotations

import pytest

from coherence.terminal import for_terminal


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;pwned\x07", r"\x1b]0;pwned\x07"),  # OSC: set the window title
        ("\x1b]8;;https://evil.example\x1b\\link", r"\x1b]8;;https://evil.example\x1b\link"),
        ("\x1b]52;c;cm0gLXJmIH4=\x07", r"\x1b]52;c;cm0gLXJmIH4=\x07"),  # OSC 52: clipboard
        ("\x1b[2J\x1b[H", r"\x1b[2J\x1b[H"),  # CSI: clear the screen
        ("\x9b31m", r"\x9b31m"),  # 8-bit CSI (C1)
        ("\x9d0;t\x9c", r"\x9d0;t\x9c"),  # 8-bit OSC and ST
        ("a\rb", r"a\x0db"),  # carriage return: overwrite the line
        ("a\bb\x7f", r"a\x08b\x7f"),
        ("abc\u202edcb", r"abc\u202edcb"),  # right-to-left override
        ("\u2066x\u2069", r"\u2066x\u2069"),
    ],
)
def test_control_characters_are_shown_not_sent(raw: str, shown: str) -> None:
    assert for_terminal(raw) == shown


@pytest.mark.parametrize("text", ["line\n\tindented", "Côte d’Ivoire — 日本 ✓", "a\\x1b"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert for_terminal(text) == text


def test_it_is_idempotent() -> None:
    once = for_terminal("\x1b[31m\x9b\u202e")
    assert for_terminal(once) == once
