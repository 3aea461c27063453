"""`coherence rules show`, `rules doc` and `rules list --format json` put requirement
passages first, as "What the sources ask", and the rest under "Background"."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES, invoke

PACK = FIXTURES / "rules" / "roles"


def test_rules_show_asks_first_then_background():
    shown = invoke("rules", "show", "ROLES-001", "--rules", PACK)
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    asks, background = text.index("What the sources ask:"), text.index("Background:")
    assert asks < text.index("(asks countries of destination)") < background
    assert asks < text.index("note in this regard") < background
    assert background < text.index("the bilateral approach") < text.index("confirm the necessity")


def test_rules_doc_asks_first_then_background(tmp_path):
    out = tmp_path / "catalogue.md"
    assert invoke("rules", "doc", "--rules", PACK, "-o", out).returncode == 0
    text = out.read_text(encoding="utf-8")
    section = text[text.index("### ROLES-001") :]
    asks, background = section.index("**What the sources ask.**"), section.index("**Background.**")
    assert asks < section.index("*Asks countries of destination:*") < background
    assert background < section.index("the bilateral approach")


def test_rules_list_json_gives_role_and_addressee():
    listed = invoke("rules", "list", "--format", "json", "--rules", PACK)
    (rule,) = [r for r in json.loads(listed.stdout)["rules"] if r["id"] == "ROLES-001"]
    assert [(c["role"], c["addressee"]) for c in rule["citations"]] == [
        ("requirement", "destination"),
        ("context", "states"),
        ("rationale", "states"),
    ]
