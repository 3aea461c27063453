"""`coherence upgrade`: rewrite a format-1 profile as format 2, keeping comments and order.

The changes are mechanical and each is reported, so an official can review them:

* `format_version: 2` is added (or raised from 1);
* ILO conventions lose the `signed`/`not_signed` statuses they never had: both become
  `not_ratified` (a `signed` is flagged for checking);
* `refugee_convention` becomes `refugee_convention_1951` (format 1 did not tell the
  Convention from its 1967 Protocol: the 1967 Protocol is left for the country to answer);
* `coordination_body` becomes `coordination_bodies`, its name, mandate, members and meeting
  frequency moving into a list of bodies;
* bilateral agreement `partners` become a list of `agreements`, each with an ISO alpha-3
  partner code and the old `monitored` answer;
* `review_status: validated` becomes `inter_ministerial_review`: format 2 accepts a
  validation only with its review trail (`reviews:`), which format 1 could not record.

Round-trip YAML (ruamel.yaml) keeps the file's comments, key order and quoting.
"""

from __future__ import annotations

import io
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from coherence.profile.country import exact_alpha3, suggest_alpha3

ILO_KEYS = ("ilo_c97", "ilo_c143", "ilo_c181", "ilo_c189", "ilo_c29", "ilo_p29", "ilo_c96")
BODY_FIELDS = ("name", "mandate", "members", "meets")


@dataclass
class UpgradeResult:
    """The upgraded text and what changed, in plain words."""

    text: str
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the file needed upgrading."""
        return bool(self.changes)


def _rename(mapping: MutableMapping[str, Any], old: str, new: str) -> None:
    """Rename a key in place, keeping its position (and comments, for ruamel maps)."""
    keys = list(mapping.keys())
    position = keys.index(old)
    value = mapping[old]
    if hasattr(mapping, "insert"):
        comment = getattr(mapping, "ca", None)
        saved = comment.items.pop(old, None) if comment is not None else None
        del mapping[old]
        mapping.insert(position, new, value)  # type: ignore[attr-defined]
        if saved is not None:
            comment.items[new] = saved
        return
    items = list(mapping.items())
    items[position] = (new, value)
    mapping.clear()
    mapping.update(items)


def _new_map(like: Any) -> MutableMapping[str, Any]:
    return type(like)() if isinstance(like, MutableMapping) else {}


def _upgrade_instruments(instruments: MutableMapping[str, Any], out: UpgradeResult) -> None:
    if "refugee_convention" in instruments:
        _rename(instruments, "refugee_convention", "refugee_convention_1951")
        out.changes.append(
            "instruments.refugee_convention is now instruments.refugee_convention_1951; "
            "add refugee_protocol_1967 if the country is a party to the 1967 Protocol"
        )
    for key in ILO_KEYS:
        value = instruments.get(key)
        holder: MutableMapping[str, Any] = instruments
        slot = key
        if isinstance(value, MutableMapping):
            holder, slot, value = value, "status", value.get("status")
        if value in ("not_signed", "signed"):
            holder[slot] = "not_ratified"
            out.changes.append(f"instruments.{key}: {value} is now not_ratified")
            if value == "signed":
                out.warnings.append(
                    f"instruments.{key} said 'signed', but ILO conventions are ratified or "
                    "not, never signed: it is now not_ratified; check whether it was ratified"
                )


def _upgrade_body(coordination: MutableMapping[str, Any], out: UpgradeResult) -> None:
    if "coordination_body" not in coordination:
        return
    _rename(coordination, "coordination_body", "coordination_bodies")
    out.changes.append("coordination.coordination_body is now coordination.coordination_bodies")
    value = coordination["coordination_bodies"]
    if not isinstance(value, MutableMapping) or not any(k in value for k in BODY_FIELDS):
        return
    body = _new_map(value)
    body["name"] = value.get("name") or "Coordination body"
    for key in BODY_FIELDS[1:]:
        if key in value:
            body[key] = value[key]
    for key in BODY_FIELDS:
        value.pop(key, None)
    value["bodies"] = [body]
    out.changes.append("the coordination body's details now form the first item of `bodies`")
    if body["name"] == "Coordination body":
        out.warnings.append("coordination.coordination_bodies: give the body's name")


def _upgrade_agreements(labour: MutableMapping[str, Any], out: UpgradeResult) -> None:
    value = labour.get("bilateral_agreements")
    if not isinstance(value, MutableMapping) or "partners" not in value:
        return
    partners = value.pop("partners") or []
    monitored = value.pop("monitored", None)
    if isinstance(monitored, MutableMapping):
        # One monitoring answer covered every agreement: each agreement gets the answer,
        # and the note on monitoring joins the agreements' own note.
        said = monitored.get("note")
        if said:
            before = value.get("note")
            value["note"] = f"{before} Monitoring: {said}" if before else f"Monitoring: {said}"
        monitored = monitored.get("answer")
    agreements = []
    for name in partners:
        code = exact_alpha3(str(name))
        item = _new_map(value)
        item["partner"] = code or str(name)
        if code is None:
            guess = suggest_alpha3(str(name))
            hint = f" (perhaps {guess}?)" if guess else ""
            out.warnings.append(
                f"labour_channels.bilateral_agreements: no exact ISO code for partner {name!r}"
                f"{hint}; write its alpha-3 code"
            )
        if monitored is not None:
            item["monitored"] = monitored
        agreements.append(item)
    value["agreements"] = agreements
    out.changes.append(
        "labour_channels.bilateral_agreements.partners is now a list of agreements "
        f"({len(agreements)}), each with its partner's ISO code and whether it is monitored"
    )


def upgrade_data(data: MutableMapping[str, Any], out: UpgradeResult | None = None) -> UpgradeResult:
    """Upgrade parsed profile data (or a rule case's profile fragment) in place."""
    out = out if out is not None else UpgradeResult("")
    for section, fix in (
        ("instruments", _upgrade_instruments),
        ("coordination", _upgrade_body),
        ("labour_channels", _upgrade_agreements),
    ):
        if isinstance(data.get(section), MutableMapping):
            fix(data[section], out)
    if data.get("review_status") == "validated" and not data.get("reviews"):
        # Format 2 asks for the review trail behind a validation; format 1 had none.
        data["review_status"] = "inter_ministerial_review"
        out.changes.append(
            "review_status: validated is now inter_ministerial_review (format 2 records who "
            "reviewed each section)"
        )
        out.warnings.append(
            "review_status: add reviews: (owner, reviewed_by, reviewed_on for each section), "
            "then set it back to validated"
        )
    return out


def upgrade_text(text: str) -> UpgradeResult:
    """Upgrade a format-1 profile's YAML text; comments, order and quoting are kept."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-fold a long note (ruamel would leave trailing blanks)
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)
    out = UpgradeResult(text)
    if not isinstance(data, MutableMapping):
        out.warnings.append("the file is not a profile (its top level is not a mapping)")
        return out
    version = data.get("format_version")
    if version == 2:
        return out
    upgrade_data(data, out)
    if "format_version" in data:
        data["format_version"] = 2
    else:
        data.insert(0, "format_version", 2)  # type: ignore[attr-defined]
    out.changes.insert(0, "format_version: 2")
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    out.text = buffer.getvalue()
    return out
