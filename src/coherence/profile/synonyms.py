"""The field names people write for a field the profile names otherwise.

`date:` on an agreement (the format says `year:`), `title:` on an agreement (its title goes
in its evidence), `year:` on a document (`date:`), `comment:` on an answer (`note:`): words
too far from the field's name for a spelling match, yet common in first drafts, so an unknown
field message says what to write instead of listing every allowed field.
"""

from __future__ import annotations

from pydantic import BaseModel

from coherence.wording import series

_EVIDENCE_OF_AGREEMENT = (
    "an agreement's title goes in its evidence, e.g. evidence: [{title: Agreement on the "
    "employment of workers, url: ...}]"
)

# Per model (by class name, looked up along the class's bases): written name -> (field to
# write, or "" when there is no one field; the advice).
_MEANT: dict[str, dict[str, tuple[str, str]]] = {
    "Agreement": {
        "title": ("", _EVIDENCE_OF_AGREEMENT),
        "name": ("", _EVIDENCE_OF_AGREEMENT),
        "date": ("year", "the year it was signed is written year: 2001 (a year only)"),
        "signed": ("year", "the year it was signed is written year: 2001 (a year only)"),
        "country": ("partner", "the partner country is written partner: ESP (ISO alpha-3)"),
        "sectors": ("covers", "what it covers is written covers: agriculture, construction"),
        "scope": ("covers", "what it covers is written covers: agriculture, construction"),
    },
    "Evidence": {
        "year": ("date", "a document's date is written date: 2019 (or 2019-05, 2019-05-01)"),
        "name": ("title", "a document's name is written title: ..."),
        "link": ("url", "where to read it is written url: https://..."),
        "section": ("article", "the article, section or page is written article: Art. 12"),
        "page": ("article", "the article, section or page is written article: p. 12"),
    },
    "Body": {
        "title": ("name", "the body's name is written name: ..."),
        "frequency": ("meets", "how often it meets is written meets: quarterly"),
    },
    "Answer": {
        "comment": ("note", "free text is written note: ..."),
        "comments": ("note", "free text is written note: ..."),
        "notes": ("note", "free text is written note: ..."),
        "remarks": ("note", "free text is written note: ..."),
        "value": ("answer", "the answer is written answer: yes (or partial, no, unknown)"),
        "status": ("answer", "the answer is written answer: yes (or partial, no, unknown)"),
        "sources": ("evidence", "laws and documents go in evidence: [{title: ...}]"),
        "references": ("evidence", "laws and documents go in evidence: [{title: ...}]"),
        "law": ("evidence", "laws and documents go in evidence: [{title: ...}]"),
        "laws": ("evidence", "laws and documents go in evidence: [{title: ...}]"),
        "legislation": ("evidence", "laws and documents go in evidence: [{title: ...}]"),
    },
    "_InstrumentBase": {
        "year": ("date", "the date of ratification is written date: 1993 (or 1993-06-21)"),
        "ratified": ("status", "write status: ratified, and the date in date: 1993"),
        "comment": ("note", "free text is written note: ..."),
        "notes": ("note", "free text is written note: ..."),
    },
}


def meant_field(model: type[BaseModel], written: str) -> tuple[str, str] | None:
    """(the field meant, or ""; the advice) for a field name `written` that `model` does not
    have but people write for one it has; None when it is no such word."""
    key = written.strip().lower()
    for cls in model.__mro__:
        found = _MEANT.get(cls.__name__, {}).get(key)
        if found and (not found[0] or found[0] in model.model_fields):
            return found
    return None


# Answer and status words in the languages many ministries work in, with the English word the
# format takes (lower case, accents as written; the validator lower-cases an answer first).
_FOREIGN: dict[str, tuple[str, str]] = {
    **{w: ("French", "yes") for w in ("oui",)},
    **{w: ("French", "no") for w in ("non",)},
    **{w: ("French", "partial") for w in ("partiel", "partielle", "partiellement", "en partie")},
    **{w: ("French", "unknown") for w in ("inconnu", "inconnue", "ne sait pas")},
    **{w: ("French", "not_applicable") for w in ("sans objet", "non applicable", "n/a")},
    **{w: ("French", "ratified") for w in ("ratifié", "ratifiée", "ratifie")},
    **{w: ("French", "signed") for w in ("signé", "signée", "signe")},
    **{w: ("French", "not_signed") for w in ("non signé", "non signée")},
    **{w: ("French", "not_ratified") for w in ("non ratifié", "non ratifiée")},
    **{w: ("Spanish", "yes") for w in ("sí", "si")},
    **{w: ("Spanish", "partial") for w in ("parcial", "parcialmente", "en parte")},
    **{w: ("Spanish", "unknown") for w in ("desconocido", "desconocida", "no se sabe")},
    **{
        w: ("Spanish", "not_applicable")
        for w in ("no aplica", "no se aplica", "no aplicable", "sin objeto")
    },
    **{w: ("Spanish", "ratified") for w in ("ratificado", "ratificada")},
    **{w: ("Spanish", "signed") for w in ("firmado", "firmada")},
    **{w: ("Spanish", "not_signed") for w in ("no firmado", "no firmada")},
    **{w: ("Spanish", "not_ratified") for w in ("no ratificado", "no ratificada")},
    **{w: ("Portuguese", "yes") for w in ("sim",)},
    **{w: ("Portuguese", "no") for w in ("não", "nao")},
    **{w: ("Portuguese", "unknown") for w in ("desconhecido", "desconhecida")},
    **{w: ("Portuguese", "not_applicable") for w in ("não se aplica", "nao se aplica")},
}


def foreign_word(written: str, allowed: list[str]) -> tuple[str, str] | None:
    """(the message, the word to write) for an answer or status written in French, Spanish
    or Portuguese where the format takes an English word; None otherwise."""
    found = _FOREIGN.get(" ".join(written.strip().lower().split()))
    if found is None or found[1] not in allowed:
        return None
    language, meant = found
    return (
        f"'{written.strip()}' is {language} for {meant.replace('_', ' ')}: the answers are "
        f"written in English; write {meant}",
        meant,
    )


def status_word(value: str, options: list[str]) -> tuple[str, str] | None:
    """(the message, the status to write) for a status that belongs to the other kind of
    instrument (a UN treaty's `acceded` on an ILO convention...), or None."""
    if value in ("acceded", "succeeded") and "not_signed" in options and "denounced" in options:
        return (  # a rule's condition, which reads both kinds of instrument
            f"'{value}' is a status a profile gives a UN treaty, and rules read it as ratified "
            f"(it has the effect of ratification): write ratified (allowed: "
            f"{series(options)})",
            "ratified",
        )
    if "denounced" in options and value in ("signed", "not_signed", "acceded", "succeeded"):
        meant = "ratified" if value in ("acceded", "succeeded") else "not_ratified"
        return (
            f"'{value}' is not a status of an ILO convention: ILO conventions are ratified or "
            f"not, never signed or acceded to; write {meant} (allowed: {series(options)})",
            meant,
        )
    if "not_signed" in options and value in ("not_ratified", "denounced"):
        return (
            f"'{value}' is not a status of a UN treaty: write not_signed, or signed if the "
            f"country signed but has not ratified (allowed: {series(options)})",
            "",
        )
    return None
