"""The questionnaire's language: English, French or Spanish.

English is the source of truth: the questions are the profile models' field docstrings
(`questions`), the sheet titles, headers and value lists are `layout`'s, and the other
texts (the instructions, the notes, the drop-down messages) are `CAPTIONS` below. A French
or Spanish workbook takes every text a ministry reads from `config/questionnaire/<code>.yaml`,
shipped with the package like the rest of the bundled data; the file is keyed by the same
keys (field path, value, English header, caption key), so a test tells when a text has no
translation or a translation no longer has a text.

What is never translated: the field paths (the machine keys of the first column), country
codes, and the review sheet's section keys. The import's messages stay in English.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import yaml

from coherence.profile.answers import ANSWER_VALUES, GROUPS
from coherence.profile.model import Profile
from coherence.profile.template import literal_values
from coherence.questionnaire.layout import (
    AGREEMENT_TYPES,
    EVIDENCE_KINDS,
    ILO_VALUES,
    PRACTICE_VALUES,
    REVIEW_VALUES,
    SHEET_TITLES,
    UN_VALUES,
    YES_NO,
    Column,
    columns_for,
)
from coherence.questionnaire.questions import MINISTRIES, Question, questions
from coherence.questionnaire.rows import NONE_LISTED
from coherence.resources import data_dir

LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
"""The languages `coherence questionnaire --language` writes, by ISO 639-1 code."""
NAMES = {"en": "English", "fr": "French", "es": "Spanish"}

ROLES = literal_values(Profile.model_fields["roles"].annotation.__args__[0])
_VOCABULARIES = (ANSWER_VALUES, PRACTICE_VALUES, UN_VALUES, ILO_VALUES, AGREEMENT_TYPES)
VALUES: tuple[str, ...] = tuple(
    dict.fromkeys(
        v
        for vs in (
            *_VOCABULARIES,
            REVIEW_VALUES,
            YES_NO,
            EVIDENCE_KINDS,
            ROLES,
            GROUPS,
            (NONE_LISTED,),
        )
        for v in vs
    )
)
"""Every word a cell may hold that the workbook shows in its language."""
VALUE_COLUMNS = frozenset(
    {"answer", "practice", "status", "incorporated", "incorporated_practice"}
    | {"type", "monitored", "kind"}
)
"""Columns whose whole cell is one of `VALUES` (or free text: names, numbers, codes)."""
LIST_COLUMNS = frozenset({"excludes"})
"""Columns holding a comma-separated list of `VALUES` (the groups left out)."""
LISTED_FIELDS = {"review_status": False, "illustrative": False, "roles": True}
"""Profile-sheet fields whose answer is a value (True: a comma-separated list of them)."""

PROFILE_FIELDS: dict[str, str] = {
    "country.code": "The country's ISO 3166-1 alpha-3 code (e.g. PHL, NPL, DEU)",
    "country.name": "The country's name, as the report should print it",
    "as_of": "The date the answers describe (YYYY-MM-DD)",
    "prepared_by": "Who prepared the profile (ministry, unit, consultant)",
    "roles": "The country's migration roles: one or more of {roles}, separated by commas",
    "review_status": "Where the profile stands: {review_values}",
    "illustrative": "{yes} for a made-up example that describes no real country's policy",
}
"""The questions of the Profile sheet (the profile's identity), by field path."""

CAPTIONS: dict[str, str] = {
    "title": "Migration policy questionnaire",
    "or": "or",
    "list_error_title": "Not one of the answers",
    "list_error": "Choose one of: {values}",
    "for_the_record": "(For the record: no check reads this answer yet.)",
    "record_note": (
        "Questions marked 'For the record' are part of the profile, but no check of "
        "coherence's catalogue reads them yet: their answers change no finding or score. "
        "Answer them when you can; the checks come first."
    ),
    "only_for": "This workbook holds only the questions for: {ministry}.",
    "heading": "How to answer this questionnaire",
    "about": (
        "This workbook asks the questions of a coherence country profile (profile format 2). "
        "Each sheet holds one part of the profile; each row one question. Grey cells are the "
        "questions and cannot be changed; white cells are yours."
    ),
    "answer": (
        "Answer: choose {answer_values} from the list. {yes}: the law or policy provides it. "
        "{partial}: it does, in part only (say in the Note what is missing). {no}: it does not."
    ),
    "unknown": (
        "{unknown} means 'we do not know': the report lists it as data to collect, never as "
        "a gap. {not_applicable} means the question does not apply to your country. A "
        "question left empty is treated like {unknown}."
    ),
    "practice": (
        "In practice: how the answer is applied in practice ({practice_values}). Leave it "
        "empty if it has not been assessed. Where practice is worse than the law, the finding "
        "is at most {partial}."
    ),
    "excludes": (
        "Groups left out: the groups or sectors the answer leaves out, separated by commas, "
        "from: {groups}."
    ),
    "agreements": (
        "Agreements: the Agreements sheet lists every bilateral labour agreement, one row "
        "each, with its partner as an ISO code (QAT) or exact name (Qatar); delete a row to "
        "remove an agreement. The Partners cell of the question is a quick list (QAT, MYS) "
        "for when the sheet is left empty; if both are filled they must name the same "
        "partners."
    ),
    "bodies": (
        "Coordination bodies: one row per body on the Coordination bodies sheet, with its "
        "members one per line (Alt+Enter in Excel)."
    ),
    "lists": (
        "Lists of countries (ISO codes such as QAT, separated by commas) or of ministries (one "
        "per line): write {none} when there are none (a country of destination only has no "
        "main countries of destination); leave the cell empty when the list is not known."
    ),
    "instruments": (
        "Instruments: UN treaties are {un_values}; {acceded} counts as ratification. ILO "
        "conventions are {ilo_values}: they are never signed. Incorporated in national law: "
        "whether national law reflects the instrument; Incorporation in practice: how that "
        "law is applied ({practice_values}), empty if not assessed. Reservations or "
        "exclusions: in brief; write {none} when the country made none, and leave the cell "
        "empty when it is not known."
    ),
    "dates": (
        "Dates: write a year (2002), a month (2002-05) or a day as YYYY-MM-DD (2002-05-01). A "
        "date such as 31/12/2024 is refused, because it could be read two ways."
    ),
    "evidence": (
        "Evidence: the law, regulation or report that supports the answer: its title, "
        "article, link (https://...) and date. Further documents, and reports on practice, go "
        "on the More evidence sheet, one row each, with the question's Field ({law} or "
        "{practice} in its second column)."
    ),
    "answered_by": (
        "Answered by: your name and unit. Responsible ministry: the ministry expected to "
        "answer; change it if another holds the file."
    ),
    "import": (
        "When the workbooks come back, the focal point runs: coherence import "
        "WORKBOOK.xlsx... -o PROFILE.yaml, which reports every problem by workbook, sheet and "
        "cell."
    ),
}
"""The other texts of the workbook; `{name}` fields are filled in when it is written."""
INSTRUCTIONS = tuple(CAPTIONS)[tuple(CAPTIONS).index("heading") :]
"""The instructions sheet, one caption per row: the captions from `heading` on."""


def _headers() -> list[str]:
    sheets = [*SHEET_TITLES, "profile"]
    return list(dict.fromkeys(c.header for key in sheets for c in columns_for(key)))


@cache
def english() -> dict[str, dict[str, str]]:
    """Every text of the workbook in English, by part and key: what a translation covers."""
    return {
        "sheets": dict(SHEET_TITLES),
        "headers": {header: header for header in _headers()},
        "values": {value: value for value in VALUES},
        "ministries": {m.key: m.label for m in MINISTRIES},
        "profile": dict(PROFILE_FIELDS),
        "captions": dict(CAPTIONS),
        "questions": {q.path: q.text.replace("`", "") for q in questions()},
    }


def fields_of(text: str) -> set[str]:
    """The `{name}` fields of a text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def translation_file(code: str):
    """Where the translation for `code` lives (`config/questionnaire/<code>.yaml`)."""
    return data_dir() / "config" / "questionnaire" / f"{code}.yaml"


TRANSLATED_FROM = "translated_from"
"""The part of a translation file that records, for each text (`part/key`), a digest of the
English it was translated from (`english_digest`): when the English is reworded, a test
names the translations to check again, though their keys still match."""


def english_digest(text: str) -> str:
    """A short digest of an English text, as `translated_from` records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def translated_from(code: str) -> dict[str, str]:
    """The `translated_from` part of the translation for `code` (`part/key` -> digest)."""
    data = yaml.safe_load(translation_file(code).read_text(encoding="utf-8"))
    recorded = data.get(TRANSLATED_FROM) or {}
    return {str(k): str(v) for k, v in recorded.items()}


def outdated_translations(code: str) -> dict[str, str]:
    """The texts of the translation for `code` whose English changed since they were
    translated (or have no digest): `part/key` -> the digest of today's English, to record
    under `translated_from` once the translation is checked."""
    recorded = translated_from(code)
    current = {
        f"{part}/{key}": english_digest(text)
        for part, texts in english().items()
        for key, text in texts.items()
    }
    return {k: v for k, v in current.items() if recorded.get(k) != v}


def load_translation(code: str) -> dict[str, dict[str, str]]:
    """The texts of a translation file, checked to be text under known parts; a file that
    is not raises `ValueError` saying what is wrong (a packaging slip, not user input)."""
    path = translation_file(code)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("language") != code:
        raise ValueError(f"{path}: expected a mapping with `language: {code}`")
    parts: dict[str, dict[str, str]] = {}
    for part in english():
        texts = data.get(part) or {}
        bad = [k for k, v in texts.items() if not isinstance(k, str) or not isinstance(v, str)]
        if bad:  # an unquoted `no:` is a boolean in YAML
            raise ValueError(f"{path}: {part}: keys and texts must be quoted text: {bad!r}")
        parts[part] = dict(texts)
    return parts


def _norm(text: str) -> str:
    """A label as it is matched: case, spacing and accents ignored (`Ratifie` is `ratifié`,
    `si` is `sí`), since officials type them as their keyboard allows."""
    folded = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


@dataclass(frozen=True)
class Language:
    """The texts of one language, with English where a translation lacks one."""

    code: str
    texts: Mapping[str, Mapping[str, str]]

    def text(self, part: str, key: str) -> str:
        """The text of `key` in `part` (`sheets`, `headers`, `values`, ...)."""
        return self.texts.get(part, {}).get(key) or english()[part][key]

    def title(self, sheet: str) -> str:
        """A sheet's title, by its key."""
        return self.text("sheets", sheet)

    def value(self, value: str) -> str:
        """The label a value is shown as (`yes` -> `oui`); other text unchanged."""
        return self.text("values", value) if value in english()["values"] else value

    def series(self, values: Iterable[str]) -> str:
        """`a, b or c` of the values' labels, in this language."""
        labels = [self.value(v) for v in values]
        if len(labels) <= 1:
            return "".join(labels)
        return ", ".join(labels[:-1]) + f" {self.text('captions', 'or')} " + labels[-1]

    def caption(self, key: str, **fields: str) -> str:
        """A caption, its `{fields}` filled in."""
        return self.fill(self.text("captions", key), **fields)

    def fill(self, text: str, **fields: str) -> str:
        """`text` with its `{fields}` filled in, the value names among them by their labels."""
        known = {
            "answer_values": self.series(ANSWER_VALUES),
            "practice_values": self.series(PRACTICE_VALUES),
            "un_values": self.series(UN_VALUES),
            "ilo_values": self.series(ILO_VALUES),
            "review_values": self.series(REVIEW_VALUES),
            "roles": self.series(ROLES),
            "groups": ", ".join(self.value(g) for g in GROUPS),
            **{v: self.value(v) for v in VALUES},
            **fields,
        }
        return text.format_map(known)

    def profile_question(self, path: str) -> str:
        """A question of the Profile sheet."""
        return self.fill(self.text("profile", path))

    def question(self, question: Question) -> str:
        """A question's text."""
        return self.text("questions", question.path)

    def ministry(self, key: str) -> str:
        """A ministry's generic name."""
        return self.text("ministries", key)

    def columns(self, sheet: str) -> tuple[Column, ...]:
        """A sheet's columns with their headers in this language (the values stay keys)."""
        return tuple(
            dataclasses.replace(c, header=self.text("headers", c.header))
            for c in columns_for(sheet)
        )

    @property
    def sheet_keys(self) -> dict[str, str]:
        """Sheet title -> key."""
        return {self.title(key): key for key in SHEET_TITLES}

    def from_label(self, text: object) -> object:
        """A cell's value read back: this language's label or an English value as the value
        (`Oui` -> `yes`); anything else unchanged (a French word in an English workbook keeps
        to the synonyms' advice)."""
        if not isinstance(text, str):
            return text
        return _labels(self.code).get(_norm(text), text)

    def from_list(self, text: object) -> object:
        """A list of labels read back (`enfants; femmes` -> `children, women`), split as
        `rows.split_list` splits the groups left out."""
        if not isinstance(text, str):
            return text
        items = [item.strip() for item in re.split(r"[\n,;]+", text) if item.strip()]
        return ", ".join(str(self.from_label(item)) for item in items)


@cache
def _labels(code: str) -> dict[str, str]:
    lang = language(code)
    labels = {_norm(v): v for v in VALUES}
    labels.update({_norm(lang.value(v)): v for v in VALUES})
    return labels


@cache
def language(code: str = "en") -> Language:
    """The language `code` (one of `LANGUAGES`)."""
    if code == "en":
        return Language("en", english())
    return Language(code, load_translation(code))


def choose(text: str) -> str | None:
    """The language code meant by `text` (`FR` -> `fr`), or None."""
    code = text.strip().lower()
    return code if code in LANGUAGES else None


def by_titles(titles: Iterable[str]) -> Language:
    """The language whose sheet titles a workbook has most of (English on a tie): for a
    workbook whose recorded language was lost."""
    present = {t.strip() for t in titles}
    scores = [(len(present & set(language(c).sheet_keys)), -i, c) for i, c in enumerate(LANGUAGES)]
    return language(max(scores)[2])
