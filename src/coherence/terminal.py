"""Text that is safe to print on a terminal.

Profiles, rule packs and file names are written by other people. Printed raw, an escape
sequence in them could retitle the window, rewrite the screen, hide lines, or (through OSC 8
and OSC 52) plant links and clipboard contents. Everything the tool prints for people to
read goes through `for_terminal`, which shows each control character as a visible escape
instead of sending it to the terminal.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed; DEL; C1 controls (U+0080-U+009F, including the 8-bit
# CSI and OSC); and the bidirectional overrides and isolates that can reorder what is shown
# ("Trojan Source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """`text` with every control character (but tab and newline) shown as `\\xNN`/`\\uNNNN`."""
    return _UNSAFE.sub(_visible, text)
