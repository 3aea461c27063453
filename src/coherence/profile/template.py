"""The blank, commented profile template, generated from the models.

Generating it keeps `templates/profile.yaml` in step with the format: a test checks that
the committed file equals `coherence template` output for that location.

Every answer is shown in short form (`field: unknown`), except where rules read the parts of
a long form: the instruments (`status`, `date`, `incorporated_in_law`), the bilateral
agreements (one entry per agreement: partner, type, monitored) and the coordination bodies
(one entry per body: name, mandate, members, meets). The long form of an answer (`practice`,
`excludes`, evidence, note) is explained once, with an example, at the top. Allowed values
are read from the models' `Literal` types, so the comments cannot drift from validation.
"""

from __future__ import annotations

import os
import re
import textwrap
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from coherence.profile.answers import (
    ANSWER_VALUES,
    GROUPS,
    Agreement,
    Answer,
    Body,
    Count,
    IloConvention,
    ItemList,
    UnTreaty,
)
from coherence.profile.country import PLACEHOLDER_COUNTRY, PLACEHOLDER_NAME
from coherence.profile.model import (
    FORMAT_VERSION,
    REVIEW_SECTIONS,
    THEMES,
    Institutions,
    Profile,
    Reviews,
)
from coherence.profile.validate import model_at
from coherence.wording import series

SCHEMA_NAME = "profile.schema.json"
COMMITTED_SCHEMA = f"../schema/{SCHEMA_NAME}"
"""The modeline path of the committed `templates/profile.yaml` (and of `profiles/*.yaml`)."""

WIDTH = 92


def literal_values(annotation: Any) -> tuple[str, ...]:
    """The allowed values of a field, from the `Literal` types inside its annotation."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return literal_values(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple):
        found: list[str] = []
        for arg in typing.get_args(annotation):
            found.extend(v for v in literal_values(arg) if v not in found)
        return tuple(found)
    return ()


def _values(model: type[BaseModel], name: str) -> tuple[str, ...]:
    return literal_values(model.model_fields[name].annotation)


def schema_reference(target: Path | None) -> str:
    """The `$schema` path for a template written to `target` (None: standard output).

    Relative to the written file's folder, as yaml-language-server resolves it; absolute
    when the file is on another drive, and for standard output (where it ends up is unknown).
    """
    schema = _schema_file()
    if target is None:
        return schema.as_posix()
    try:
        return Path(os.path.relpath(schema, target.resolve().parent)).as_posix()
    except ValueError:  # Windows: the schema is on another drive
        return schema.as_posix()


def _schema_file() -> Path:
    from coherence.resources import data_dir

    return (data_dir() / "schema" / SCHEMA_NAME).resolve()


HEADER = """\
# yaml-language-server: $schema={schema}
#
# coherence country profile: blank template (profile format {version}).
#
# How to fill it in:
#   * Start from a copy: `coherence template -o <your-country>.yaml` writes one whose first
#     line points your editor at the format's schema, so it can complete and check fields.
#   * Replace the identity fields below. The country code {placeholder} is a placeholder:
#     `coherence validate` refuses it until you write your country's ISO 3166-1 alpha-3
#     code (PHL, NPL, DEU; not a name, not a two-letter code).
#   * Lines starting with # are comments: explanations and examples, ignored by the tool.
#   * Answer each question with one of:
#       yes             the law or policy provides it
#       partial         it does, in part only (say in a note what is missing)
#       no              it does not
#       unknown         you do not know: the report lists it under "data gaps" instead of
#                       counting it as a gap or as met
#       not_applicable  the question does not apply to your country
#   * An answer can be written in full, to say how it is applied in practice, which groups
#     it leaves out, what supports it, and to add a note. For example:
#       equal_treatment:
#         answer: yes                   # in law or policy
#         practice: partial             # in practice: {practice}
#         excludes: [domestic_workers]  # groups or sectors the answer leaves out
#         evidence:                     # laws and regulations
#           - title: Labour Code
#             article: Art. 12
#             url: https://example.org/labour-code
#             date: 2019-05-01
#         practice_evidence:            # reports, statistics, inspections
#           - title: Labour inspectorate, annual report 2024
#         note: "Domestic workers are outside the Labour Code: no inspections."
#     practice  How the answer is applied in practice. Where practice is worse than the law,
#               the finding is at most partial ("in law but not in practice"). Leave it out
#               when it has not been assessed.
#     excludes  The groups or sectors the answer leaves out, chosen from:
{groups}
#               Rules test them: equal treatment that excludes domestic_workers is partial
#               for the rule on domestic work.
#   * Free text goes in `note:`, never in place of an answer. Put text in quotes when it
#     contains a colon followed by a space, as in the note above, or starts with one of
#     [ ] {{ }} & * ! | > ' " % @ `.
#   * Indent with spaces, never tabs: two spaces per level, each field lined up with the
#     fields around it.
#   * Check the file with:  coherence validate <your-country>.yaml
"""

INSTRUMENTS_INTRO = """\
# For each instrument:
#   status               UN treaties: {un}.
#                        Accession, joining a treaty without signing it first, has the
#                        same effect as ratification: write acceded; it counts as ratified.
#                        A state bound by its predecessor's ratification (succession):
#                        write succeeded; it counts as ratified too.
#                        ILO conventions and protocols, which are ratified or not but
#                        never signed: {ilo}.
#   date                 When it was ratified or acceded to (or signed): a year (2002),
#                        a month (2002-05) or a day (2002-05-01). Leave empty if not known.
#   incorporated_in_law  Is it reflected in national law? An answer like any other:
#                        {answers}, in short or in full.
#   Optional: evidence (a list, like an answer's), note, and reservations (UN treaties:
#   in brief, or [] when the country made none) or exclusions (ILO conventions).
#   In short form, `ilo_c97: ratified` gives the status alone."""

INSTITUTIONS_INTRO = """\
# Write each body's name after the colon, e.g. labour_ministry: Ministry of Labour and
# Employment. Leave a line empty where the body does not exist or should not be named:
# the report then uses a generic description such as "the ministry responsible for labour"."""

AGREEMENT_EXAMPLE = """\
# List each agreement in place of the [] below, for example:
#   agreements:
#     - partner: QAT        # the partner country's ISO alpha-3 code
#       type: memorandum    # {types}
#       year: 2005          # the year it was signed
#       covers: Domestic and construction workers
#       monitored: partial  # is it monitored (joint committee, reviews)?
#                           # {answers}
# In short, a list of partners is accepted: bilateral_agreements: [QAT, MYS]"""

BODY_EXAMPLE = """\
# List each body in place of the [] below, for example:
#   bodies:
#     - name: National Migration Coordination Committee
#       mandate: Coordinates labour-migration and anti-trafficking policy
#       members: [Ministry of Labour, Ministry of Interior, National Statistics Office]
#       meets: quarterly    # how often it meets, in your words"""


def _comment(text: str, indent: str) -> list[str]:
    # Never break a line inside `code` (an example such as `[SAU, QAT, MYS]`).
    glued = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\x00"), text)
    lines = textwrap.wrap(glued, WIDTH - len(indent) - 2)
    return [f"{indent}# {line}".replace("\x00", " ") for line in lines]


def _block(text: str, indent: str) -> list[str]:
    return [f"{indent}{line}" for line in text.splitlines()]


def _field_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    return model_at((name,), model)


def _instrument(name: str, model: type[BaseModel], description: str) -> list[str]:
    kind = "UN\x00treaty" if model is UnTreaty else "ILO"  # \x00: a space never broken
    statuses = series(_values(model, "status"))
    lines = _comment(f"{description.rstrip('.')}. [{kind}]", "  ")
    lines += [
        f"  {name}:",
        f"    status: unknown  # {statuses}",
        "    date:            # a year (2002), a month (2002-05) or a day (2002-05-01)",
        "    incorporated_in_law: unknown",
    ]
    return lines


def _answer_with_list(name: str, list_field: str, example: str) -> list[str]:
    return [
        f"  {name}:",
        "    answer: unknown",
        *_block(example, "    "),
        f"    {list_field}: []",
    ]


def _field(name: str, field: Any, model: type[BaseModel] | None) -> list[str]:
    """The commented lines of one field of a section."""
    description = field.description or ""
    answers = series(ANSWER_VALUES)
    if model in (UnTreaty, IloConvention):
        assert model is not None
        return _instrument(name, model, description)
    if model is None and "list" in str(field.annotation):
        description += " Leave empty if not known."
    lines = _comment(description, "  ")
    if model is not None and issubclass(model, Answer) and "agreements" in model.model_fields:
        types_ = series(_values(Agreement, "type"))
        example = AGREEMENT_EXAMPLE.format(types=types_, answers=answers)
        return lines + _answer_with_list(name, "agreements", example)
    if model is not None and issubclass(model, Answer) and "bodies" in model.model_fields:
        assert "members" in Body.model_fields and "meets" in Body.model_fields
        return lines + _answer_with_list(name, "bodies", BODY_EXAMPLE)
    if model is Count:
        lines += ["  # A number, or unknown; with its year and source in full:"]
        lines += ["  #   {value: 2200000, year: 2021}"]
    elif model is ItemList:
        lines += ["  # A list, e.g. [Ministry of Labour, Ministry of Interior], or unknown."]
    elif model is None:
        # A plain value (a list of country codes, a name): empty means "not known".
        return [*lines, f"  {name}:"]
    return [*lines, f"  {name}: unknown"]


def _section(
    name: str, model: type[BaseModel], intro: list[str] | None = None, title: str = ""
) -> list[str]:
    title = title or (Profile.model_fields[name].description or name).rstrip(".")
    lines = ["", f"# ==== {title} ===="]
    lines += intro or []
    lines.append(f"{name}:")
    for field_name, field in model.model_fields.items():
        lines.extend(_field(field_name, field, _field_model(model, field_name)))
    return lines


def _groups_block() -> str:
    wrapped = textwrap.wrap(", ".join(GROUPS) + ".", WIDTH - 20)
    return "\n".join(f"#                 {line}" for line in wrapped)


def render_template(schema: str = COMMITTED_SCHEMA) -> str:
    """The full commented template: every field present, every answer `unknown`.

    `schema` is the `$schema` path of the first line (see `schema_reference`).
    """
    answers = series(ANSWER_VALUES)
    header = HEADER.format(
        schema=schema,
        version=FORMAT_VERSION,
        placeholder=PLACEHOLDER_COUNTRY,
        answers=answers,
        practice=series(_values(Answer, "practice")),
        groups=_groups_block(),
    )
    out = [header.rstrip("\n")]
    out += [
        "",
        f"# The profile format. Leave it at {FORMAT_VERSION}.",
        f"format_version: {FORMAT_VERSION}",
    ]
    out += ["", "# The country (ISO 3166-1 alpha-3 code) and its name.", "country:"]
    out += [
        f"  code: {PLACEHOLDER_COUNTRY}  # replace with your country's code, e.g. PHL",
        f"  name: {PLACEHOLDER_NAME}  # replace with your country's name",
    ]
    out += ["", "# The date the answers describe (YYYY-MM-DD).", "as_of: 2026-01-01"]
    out += ["", "# Who prepared the profile (ministry, unit, consultant).", "prepared_by: Ministry"]
    roles = series(_values(Profile, "roles"))
    out += ["", f"# One or more of: {roles}.", "roles: [origin]"]
    review = series(_values(Profile, "review_status"))
    out += ["", f"# Where the profile stands: {review}.", "review_status: draft"]
    out += _section(
        "institutions",
        Institutions,
        INSTITUTIONS_INTRO.splitlines(),
        "The country's own bodies, by function",
    )
    intro = INSTRUMENTS_INTRO.format(
        un=series(_values(UnTreaty, "status")),
        ilo=series(_values(IloConvention, "status")),
        answers=answers,
    )
    out += _section(
        "instruments",
        Profile.model_fields["instruments"].annotation,  # type: ignore[arg-type]
        intro.splitlines(),
    )
    reminder = [f"# Answers: {answers} (or in full: see the top)."]
    for theme in (*THEMES, "context"):
        model = model_at((theme,))
        assert model is not None
        out += _section(theme, model, reminder)
    out += [
        "",
        "# ==== Waivers ====",
        *_comment(Profile.model_fields["waivers"].description or "", ""),
        "# A rule id looks like RIGHTS-004 (its theme, a dash, three digits). Example:",
        "#   - rule: RIGHTS-004",
        "#     justification: Covered by the 2027 reform bill now before parliament.",
        "#     approved_by: Inter-ministerial committee on migration",
        "#     expires: 2027-12-31",
        "waivers: []",
    ]
    out += _reviews_section()
    return "\n".join(out) + "\n"


def _reviews_section() -> list[str]:
    """The review trail: one entry per section, every value empty."""
    lines = ["", "# ==== Review trail ===="]
    lines += _comment(Profile.model_fields["reviews"].description or "", "")
    lines.append("reviews:")
    for name in REVIEW_SECTIONS:
        lines += _comment(Reviews.model_fields[name].description or name, "  ")
        lines += [
            f"  {name}:",
            "    owner:        # the ministry or unit that owns these answers",
            "    reviewed_by:  # who reviewed them (person and ministry)",
            "    reviewed_on:  # when (YYYY-MM-DD)",
        ]
    return lines
