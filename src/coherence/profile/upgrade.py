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

No answer is ever dropped silently. A file that holds a format-1 field and its format-2 twin
(`refugee_convention` and `refugee_convention_1951`, `coordination_body` and
`coordination_bodies`, `partners` and `agreements`) keeps the format-2 one when both say the
same; when they differ the upgrade is refused (`problems`, both lines named) for the official
to choose. A profile of a format newer than this tool reads is refused (`InputError`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from coherence.diagnostics import Diagnostic, InputError
from coherence.profile.country import exact_alpha3, suggest_alpha3
from coherence.profile.kinds import not_a_profile
from coherence.profile.model import FORMAT_VERSION

ILO_KEYS = ("ilo_c97", "ilo_c143", "ilo_c181", "ilo_c189", "ilo_c29", "ilo_p29", "ilo_c96")
BODY_FIELDS = ("name", "mandate", "members", "meets")


@dataclass
class UpgradeResult:
    """The upgraded text and what changed, in plain words."""

    text: str
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    """What stops the upgrade (located in the old file): nothing is written."""
    path: str = ""

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


def _plain(value: Any) -> Any:
    """Plain dicts and lists (ruamel's ordered maps compare their key order too)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _long(value: Any, key: str) -> Any:
    """The long form of an answer written in short (`ratified` is `{status: ratified}`)."""
    plain = _plain(value)
    return plain if isinstance(plain, dict) else {key: plain}


def _place(holder: Any, key: str | int) -> tuple[int, int]:
    """1-based line and column of a key (or list item) in the old file; 0, 0 when unknown."""
    lc = getattr(holder, "lc", None)
    try:
        line, column = lc.key(key) if isinstance(key, str) else lc.item(key)  # type: ignore[union-attr]
    except (AttributeError, KeyError, IndexError, TypeError):
        return 0, 0
    return line + 1, column + 1


def _problem(
    out: UpgradeResult, holder: Any, key: str | int, code: str, path: str, msg: str
) -> None:
    line, column = _place(holder, key)
    out.problems.append(Diagnostic(out.path, line, column, code, msg, path))


def _twins(
    out: UpgradeResult,
    holder: MutableMapping[str, Any],
    where: str,
    keys: tuple[str, str],
    values: tuple[Any, Any],
) -> bool:
    """Whether a format-1 field may go because its format-2 twin says the same (True), or
    the two differ and the upgrade is refused with both lines named (False)."""
    old, new = keys
    if values[0] == values[1]:
        out.changes.append(f"{where}.{old} is left out: {where}.{new} already says the same")
        return True
    old_line, _ = _place(holder, old)
    new_line, _ = _place(holder, new)
    _problem(
        out,
        holder,
        old,
        "upgrade-conflict",
        f"{where}.{old}",
        f"{old} (line {old_line}) and {new} (line {new_line}) give different answers, and "
        f"format 2 keeps only {new}: delete the one that is wrong, then run coherence "
        "upgrade again",
    )
    return False


def _comment_lines(node: Any, found: list[Any]) -> None:
    """Every comment token held by a ruamel node and the nodes inside it."""
    stack = [getattr(getattr(node, "ca", None), a, None) for a in ("comment", "end")]
    stack += list(getattr(getattr(node, "ca", None), "items", {}).values())
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif item is not None and hasattr(item, "value"):
            found.append(item)
    children = node.values() if isinstance(node, Mapping) else node
    for child in children if isinstance(node, Mapping | list) else ():
        _comment_lines(child, found)


def _drop(mapping: MutableMapping[str, Any], key: str) -> None:
    """Delete a key; the comments it held move before the next key (or after the key
    before it), so that no comment of the official's is lost."""
    tokens: list[Any] = []
    own = getattr(mapping, "ca", None)
    _comment_lines(mapping[key], tokens)
    for token in (own.items.pop(key, None) or []) if own is not None else []:
        tokens.extend(token if isinstance(token, list) else [token] if token else [])
    tokens = list({id(t): t for t in tokens}.values())  # ruamel can hold one token twice
    tokens.sort(key=lambda t: getattr(getattr(t, "start_mark", None), "line", 0))
    said = [
        line.strip()[1:].removeprefix(" ")
        for token in tokens
        for line in str(token.value).splitlines()
        if line.strip().startswith("#")
    ]
    keys = list(mapping.keys())
    position = keys.index(key)
    _, column = _place(mapping, key)
    del mapping[key]
    if not said or not hasattr(mapping, "yaml_set_comment_before_after_key"):
        return
    if position + 1 < len(keys):
        mapping.yaml_set_comment_before_after_key(
            keys[position + 1], before="\n".join(said), indent=max(column - 1, 0)
        )
    elif position > 0:
        mapping.yaml_set_comment_before_after_key(
            keys[position - 1], after="\n".join(said), after_indent=max(column - 1, 0)
        )


def _upgrade_instruments(instruments: MutableMapping[str, Any], out: UpgradeResult) -> None:
    old, new = "refugee_convention", "refugee_convention_1951"
    if old in instruments and new in instruments:
        values = (_long(instruments[old], "status"), _long(instruments[new], "status"))
        if _twins(out, instruments, "instruments", (old, new), values):
            _drop(instruments, old)
    elif old in instruments:
        _rename(instruments, old, new)
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


def _bodies(value: Any) -> Any:
    """A format-1 coordination body in its format-2 long form, as plain data."""
    plain = _long(value, "answer")
    if not any(k in plain for k in BODY_FIELDS):
        return plain
    body = {"name": plain.get("name") or "Coordination body"}
    body.update({k: plain[k] for k in BODY_FIELDS[1:] if k in plain})
    rest = {k: v for k, v in plain.items() if k not in BODY_FIELDS}
    return {**rest, "bodies": [body]}


def _upgrade_body(coordination: MutableMapping[str, Any], out: UpgradeResult) -> None:
    old, new = "coordination_body", "coordination_bodies"
    if old not in coordination:
        return
    if new in coordination:
        values = (_bodies(coordination[old]), _long(coordination[new], "answer"))
        if _twins(out, coordination, "coordination", (old, new), values):
            _drop(coordination, old)
        return
    _rename(coordination, old, new)
    out.changes.append("coordination.coordination_body is now coordination.coordination_bodies")
    value = coordination[new]
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


def _kind(value: Any) -> str:
    """What a value is, in plain words, for a message."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, Mapping):
        return "a mapping of fields"
    return "a list" if isinstance(value, list) else "not a piece of text"


def _partner_names(value: MutableMapping[str, Any], out: UpgradeResult) -> list[str] | None:
    """The format-1 partners as names or codes (one text is one partner); None, with a
    located problem for each, when an item is not a name or code."""
    where = "labour_channels.bilateral_agreements.partners"
    partners = value.get("partners")
    if partners is None:
        return []
    if isinstance(partners, str):
        return [partners]
    if not isinstance(partners, list):
        _problem(
            out,
            value,
            "partners",
            "partners-shape",
            where,
            f"partners is {_kind(partners)}; write a list of partner countries, each a "
            "country name or ISO code (e.g. partners: [Canada, GTM])",
        )
        return None
    names: list[str] = []
    for index, item in enumerate(partners):
        if isinstance(item, str):
            names.append(item)
            continue
        _problem(
            out,
            partners,
            index,
            "partners-shape",
            f"{where}.{index}",
            f"partner {index + 1} is {_kind(item)}, not a country: write one country name "
            "or ISO code per item",
        )
    return names if len(names) == len(partners) else None


def _upgrade_agreements(labour: MutableMapping[str, Any], out: UpgradeResult) -> None:
    value = labour.get("bilateral_agreements")
    if not isinstance(value, MutableMapping) or "partners" not in value:
        return
    partners = _partner_names(value, out)
    if partners is None:
        return
    monitored = value.get("monitored")
    answer = monitored.get("answer") if isinstance(monitored, MutableMapping) else monitored
    agreements = []
    unresolved = []
    merged = False
    for name in partners:
        code = exact_alpha3(name)
        item = _new_map(value)
        item["partner"] = code or name
        if code is None:
            unresolved.append(name)
        if answer is not None:
            item["monitored"] = answer
        agreements.append(item)
    if "agreements" in value:
        values = (_plain(agreements), _plain(value["agreements"]))
        where = "labour_channels.bilateral_agreements"
        if not _twins(out, value, where, ("partners", "agreements"), values):
            return
        agreements = value["agreements"]
        merged = True
    for name in unresolved:
        guess = suggest_alpha3(name)
        hint = f" (perhaps {guess}?)" if guess else ""
        out.warnings.append(
            f"labour_channels.bilateral_agreements: no exact ISO code for partner {name!r}"
            f"{hint}; write its alpha-3 code"
        )
    for key in ("partners", "monitored"):
        if key in value:
            _drop(value, key)
    if isinstance(monitored, MutableMapping) and monitored.get("note"):
        # One monitoring answer covered every agreement: each agreement gets the answer,
        # and the note on monitoring joins the agreements' own note.
        said = monitored["note"]
        before = value.get("note")
        value["note"] = f"{before} Monitoring: {said}" if before else f"Monitoring: {said}"
    value["agreements"] = agreements
    if merged:
        return
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


def declared_format(data: Mapping[str, Any], path: str = "") -> int:
    """The format a profile says it is in: 1 when it says nothing (format 1 had no
    `format_version`). Raises `InputError` for a format this tool does not know."""
    version = data.get("format_version")
    if isinstance(version, str) and version.strip() in ("1", "2"):
        version = int(version)
    if version is None or (type(version) is int and 1 <= version <= FORMAT_VERSION):
        return version or 1
    line, column = _place(data, "format_version")
    if type(version) is int and version > FORMAT_VERSION:
        message = (
            f"this profile is in format {version}, newer than this version of coherence "
            f"reads (formats 1 and {FORMAT_VERSION}); it is left as it is: use a newer "
            "coherence"
        )
    else:
        shown = repr(version) if isinstance(version, str) else _kind(version)
        message = (
            f"{shown} is not a format number: write 1 for a format-1 profile (or leave it "
            f"out), {FORMAT_VERSION} for format {FORMAT_VERSION}"
        )
    raise InputError([Diagnostic(path, line, column, "format-version", message, "format_version")])


def upgrade_text(text: str, path: str = "") -> UpgradeResult:
    """Upgrade a format-1 profile's YAML text; comments, order and quoting are kept.

    `path` names the file in `problems`; a format newer than this tool reads raises
    `InputError`. A format-2 profile comes back unchanged.
    """
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-fold a long note (ruamel would leave trailing blanks)
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)
    out = UpgradeResult(text, path=path)
    if not isinstance(data, MutableMapping):
        out.warnings.append("the file is not a profile (its top level is not a mapping)")
        return out
    other = not_a_profile(data)
    if other is not None:  # a rule file or a baseline is never "upgraded" into a profile
        raise InputError([Diagnostic(path, 1, 1, "not-a-profile", other)])
    if declared_format(data, path) == FORMAT_VERSION:
        return out
    upgrade_data(data, out)
    if out.problems:
        return out
    if "format_version" in data:
        data["format_version"] = FORMAT_VERSION
    else:
        data.insert(0, "format_version", FORMAT_VERSION)  # type: ignore[attr-defined]
    out.changes.insert(0, f"format_version: {FORMAT_VERSION}")
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    out.text = buffer.getvalue()
    return out
