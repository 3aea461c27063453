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

_NOTE = ("note", "free text is written note: ...")
_EVIDENCE = ("evidence", "laws and documents go in evidence: [{title: ...}]")
_ANSWER = ("answer", "the answer is written answer: yes (or partial, no, unknown)")

# Per model (by class name, looked up along the class's bases): the names people write, the
# field to write instead ("" when there is no one field) and the advice.
_WRITTEN: dict[str, list[tuple[tuple[str, ...], tuple[str, str]]]] = {
    "Agreement": [
        (("title", "name"), ("", _EVIDENCE_OF_AGREEMENT)),
        (("date", "signed"), ("year", "the year it was signed is written year: 2001")),
        (("country",), ("partner", "the partner country is written partner: ESP (ISO alpha-3)")),
        (("sectors", "scope"), ("covers", "what it covers is written covers: agriculture")),
    ],
    "Evidence": [
        (("year",), ("date", "a document's date is written date: 2019 (or 2019-05, 2019-05-01)")),
        (("name",), ("title", "a document's name is written title: ...")),
        (("link",), ("url", "where to read it is written url: https://...")),
        (("section", "page"), ("article", "the article or page is written article: Art. 12")),
    ],
    "Body": [
        (("title",), ("name", "the body's name is written name: ...")),
        (("frequency",), ("meets", "how often it meets is written meets: quarterly")),
    ],
    "Answer": [
        (("comment", "comments", "notes", "remarks"), _NOTE),
        (("value", "status"), _ANSWER),
        (("sources", "references", "law", "laws", "legislation"), _EVIDENCE),
    ],
    "_InstrumentBase": [
        (("year",), ("date", "the date of ratification is written date: 1993 (or 1993-06-21)")),
        (("ratified",), ("status", "write status: ratified, and the date in date: 1993")),
        (("comment", "notes"), _NOTE),
    ],
}
_MEANT = {
    model: {word: meant for words, meant in rows for word in words}
    for model, rows in _WRITTEN.items()
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


# Answer and status words in the languages many ministries work in, by the English word the
# format takes (lower case, accents as written; the validator lower-cases an answer first).
_IN_LANGUAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "French": {
        "yes": ("oui",),
        "no": ("non",),
        "partial": ("partiel", "partielle", "partiellement", "en partie"),
        "unknown": ("inconnu", "inconnue", "ne sait pas"),
        "not_applicable": ("sans objet", "non applicable"),
        "ratified": ("ratifié", "ratifiée", "ratifie"),
        "signed": ("signé", "signée", "signe"),
        "not_signed": ("non signé", "non signée"),
        "not_ratified": ("non ratifié", "non ratifiée"),
    },
    "Spanish": {
        "yes": ("sí", "si"),
        "partial": ("parcial", "parcialmente", "en parte"),
        "unknown": ("desconocido", "desconocida", "no se sabe"),
        "not_applicable": ("no aplica", "no se aplica", "no aplicable", "sin objeto"),
        "ratified": ("ratificado", "ratificada"),
        "signed": ("firmado", "firmada"),
        "not_signed": ("no firmado", "no firmada"),
        "not_ratified": ("no ratificado", "no ratificada"),
    },
    "Portuguese": {
        "yes": ("sim",),
        "no": ("não", "nao"),
        "unknown": ("desconhecido", "desconhecida"),
        "not_applicable": ("não se aplica", "nao se aplica"),
    },
}
_FOREIGN = {
    word: (language, english)
    for language, words in _IN_LANGUAGES.items()
    for english, said in words.items()
    for word in said
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
