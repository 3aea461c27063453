"""`coherence rules doc` with a rule pack: its text cannot put raw HTML or a remote image into
the document (issue 12 §3.22)."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from tests.conftest import ROOT, invoke

PACK = ROOT / "examples" / "rule-pack" / "regional.yaml"
IMAGE = "![pixel](https://evil.example/track.png)"


def test_rule_pack_text_cannot_inject_images_or_html(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    text = PACK.read_text(encoding="utf-8")
    hostile = re.sub(
        r"(?m)^    title: (A country.*)$",
        lambda m: f"    title: '{m[1]} {IMAGE} <img src=x onerror=alert(1)>'",
        text,
        count=1,
    )
    assert hostile != text
    (pack / "regional.yaml").write_text(hostile, encoding="utf-8")
    result = invoke("rules", "doc", "--rules", pack)
    assert result.returncode == 0, result.stderr
    html = MarkdownIt("commonmark").render(result.stdout)
    assert "<img" not in html and 'evil.example/track.png"' not in html
    assert "evil.example/track.png" in html  # shown as text
