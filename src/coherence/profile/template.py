"""The blank, commented profile template, generated from the models.

Generating it keeps `profiles/template.yaml` in step with the format: a test checks that
the committed file equals `coherence template` output.
"""

from __future__ import annotations

import textwrap

from pydantic import BaseModel

from coherence.profile.model import THEMES, Profile
from coherence.profile.validate import model_at

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/profile.schema.json"

HEADER = """\
{schema}
#
# coherence country profile: blank template.
#
# How to fill it in:
#   * Copy this file to <your-country>.yaml and replace the identity fields below.
#   * Answer each question with yes, partial, no, unknown or not_applicable.
#     Leave `unknown` where you do not know: the report will list it under
#     "data gaps" instead of counting it as a gap or as met.
#   * Back an answer with evidence by writing it in full, for example:
#       equal_treatment:
#         answer: yes
#         evidence:
#           - title: Labour Code
#             article: Art. 12
#             url: https://example.org/labour-code
#             date: 2019-05-01
#         note: Applies to all workers in the formal sector.
#   * Check the file with:  coherence validate <your-country>.yaml
"""


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(text, 88 - len(indent))]


def _section(name: str, model: type[BaseModel]) -> list[str]:
    title = (Profile.model_fields[name].description or name).rstrip(".")
    lines = ["", f"# ==== {title} ====", f"{name}:"]
    for field_name, field in model.model_fields.items():
        lines.extend(_comment(field.description or "", "  "))
        # Every kind of answer (yes/no, instrument status, count, list) has a short form
        # in which `unknown` is valid.
        lines.append(f"  {field_name}: unknown")
    return lines


def render_template() -> str:
    """The full commented template: every field present, every answer `unknown`."""
    out = [HEADER.format(schema=SCHEMA_LINE).rstrip("\n")]
    out += ["", "format_version: 1"]
    out += ["", "# The country (ISO 3166-1 alpha-3 code) and its name.", "country:"]
    out += ["  code: XXX  # replace with your country's code, e.g. PHL", "  name: Country name"]
    out += ["", "# The date the answers describe (YYYY-MM-DD).", "as_of: 2026-01-01"]
    out += ["", "# Who prepared the profile (ministry, unit, consultant).", "prepared_by: Ministry"]
    out += ["", "# One or more of: origin, transit, destination.", "roles: [origin]"]
    out += ["", "# draft, inter_ministerial_review or validated.", "review_status: draft"]
    out += _section("instruments", Profile.model_fields["instruments"].annotation)  # type: ignore[arg-type]
    for theme in (*THEMES, "context"):
        model = model_at((theme,))
        assert model is not None
        out += _section(theme, model)
    out += [
        "",
        "# ==== Waivers ====",
        *_comment(Profile.model_fields["waivers"].description or "", ""),
        "# Example:",
        "#   - rule: RIGHTS-004",
        "#     justification: Covered by the 2027 reform bill now before parliament.",
        "#     approved_by: Inter-ministerial committee on migration",
        "#     expires: 2027-12-31",
        "waivers: []",
    ]
    return "\n".join(out) + "\n"
