"""`coherence import`: questionnaire workbooks back into one validated profile.

Every problem is reported at `workbook!sheet!cell` with the messages `validate` gives for
a YAML file. Several workbooks (one per ministry) are merged: the same answer given twice
is fine, two different answers to one question are an error that names both cells.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coherence.diagnostics import Diagnostic, InputError
from coherence.profile.consistency import consistency_diagnostics
from coherence.profile.country import name_mismatch
from coherence.profile.model import FORMAT_VERSION, REVIEW_SECTIONS, Profile
from coherence.profile.validate import diagnostics_for
from coherence.questionnaire.cells import (
    UNREADABLE,
    CellRef,
    book_names,
    cell_problem,
    read_book,
)
from coherence.questionnaire.explain import explained, unknown_field
from coherence.questionnaire.language import LANGUAGES, Language, language
from coherence.questionnaire.layout import CELLS_BY_KIND, QUESTION_COLUMNS
from coherence.questionnaire.listsheets import agreements, bodies, sheet_title
from coherence.questionnaire.questions import Question, questions
from coherence.questionnaire.rows import (
    Read,
    Where,
    country_code,
    evidence_from,
    from_row,
    split_list,
)
from coherence.yamlsource import YamlDocument

_STOPS = UNREADABLE | {"columns", "missing-sheet"}
"""Problems after which the answers read cannot be validated usefully."""


@dataclass
class Imported:
    """The result of reading workbooks: a profile or the problems that stop it."""

    profile: Profile | None
    problems: list[Diagnostic]
    warnings: list[Diagnostic] = field(default_factory=list)
    answered: int = 0
    """Questions answered (a non-empty answer, status or name)."""
    text: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """`book!sheet` -> (characters read, first and last row read): what makes a profile big."""


def _hashable(value: Any) -> Any:
    """A cell's value as a set can hold it (5,000 rows compared pairwise took minutes)."""
    return value if isinstance(value, Hashable) else repr(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).lower() == " ".join(b.split()).lower()
    return a == b


class _Merge:
    """Values from several workbooks; different values for one key are conflicts."""

    def __init__(self, problems: list[Diagnostic]):
        self.problems = problems
        self.values: dict[tuple[str, ...], tuple[Any, CellRef]] = {}

    def put(self, key: tuple[str, ...], value: Any, ref: CellRef, what: str) -> None:
        if value is None:
            self.values.setdefault(key, (None, ref))  # remembered, to locate "missing"
            return
        known = self.values.get(key)
        if known is None or known[0] is None:
            self.values[key] = (value, ref)
        elif not _same(known[0], value):
            self.problems.append(
                cell_problem(
                    ref,
                    "conflict",
                    f"two different answers to {what}: {known[0]!r} in {known[1]} and "
                    f"{value!r} here; keep one",
                    ".".join(key[:-1]) if len(key) > 1 else key[0],
                )
            )

    def row(self, prefix: tuple[str, ...]) -> tuple[Read, dict[str, CellRef]]:
        """The non-empty cells under `prefix`, and every cell's place (empty ones too)."""
        cells: Read = {}
        places: dict[str, CellRef] = {}
        for key, (value, ref) in self.values.items():
            if key[:-1] == prefix:
                places[key[-1]] = ref
                if value is not None:
                    cells[key[-1]] = (value, ref)
        return cells, places


_DEFAULT_PART = {
    "answer": ("answer",),
    "agreements": ("answer",),
    "bodies": ("answer",),
    "un_treaty": ("status",),
    "ilo_convention": ("status",),
    "count": ("value",),
    "names": ("items",),
}
"""The part of an answer a "missing" error points at, by kind: its first cell."""
_FIRST_COLUMN = {"status": "status", "value": "answer", "items": "answer", "answer": "answer"}


def _resolve(data: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The mapping at a dotted path of `data` (numbers are 1-based list positions)."""
    node: Any = data
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and 1 <= int(part) <= len(node):
            node = node[int(part) - 1]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node if isinstance(node, dict) else None


def _documents(sheet_rows, data: dict[str, Any], where: Where, problems: list[Diagnostic]):
    for row in sheet_rows:
        path = row.get("path", (None, None))[0]
        first = next(ref for _, ref in row.values())
        if not path:
            problems.append(
                cell_problem(first, "evidence-field", "a document without a Field: write the "
                         "question's Field (e.g. rights.equal_treatment) in the first column")
            )  # fmt: skip
            continue
        target = _resolve(data, str(path))
        if target is None:
            problems.append(
                cell_problem(
                    row["path"][1],
                    "evidence-field",
                    f"{path!r} is not an answered question of this questionnaire; write the "
                    "Field of an answered question (e.g. rights.equal_treatment)",
                )
            )
            continue
        kind = str(row.get("kind", (None,))[0] or "law").strip().lower()
        key = "practice_evidence" if kind == "practice" else "evidence"
        if kind not in ("law", "practice"):
            problems.append(
                cell_problem(row["kind"][1], "evidence-kind", f"{kind!r}: write law or practice")
            )
            continue
        cells = {k: v for k, v in row.items() if v[0] is not None}
        documents = target.setdefault(key, [])
        at = (*_path_parts(str(path), data), key, len(documents))
        document = evidence_from(cells, "", where, at)
        if document is not None:
            documents.append(document)


def _path_parts(path: str, data: dict[str, Any]) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for part in path.split("."):
        parts.append(int(part) - 1 if part.isdigit() else part)
    return tuple(parts)


def _header(lang: Language | None, sheet: str, column: str) -> str:
    """A column's header as the workbook shows it (English when its language is unknown)."""
    columns = lang.columns(sheet) if lang is not None else QUESTION_COLUMNS
    return next((c.header for c in columns if c.key == column), column)


def _not_asked(column: str, question: Question, ref: CellRef, lang: Language | None) -> Diagnostic:
    """A value in a cell the question does not use (greyed, but typed into all the same):
    it was dropped without a word, so a partner or a year typed there was lost."""
    title = _header(lang, question.section, column)
    return cell_problem(
        ref,
        "not-asked",
        f"{title!r} is not asked for {question.path}, so this value would be lost: leave "
        "the cell empty, or move the value to the question it belongs to",
    )


def _text_size(sheet: Any) -> tuple[int, int, int]:
    """The characters of a sheet's values, and the first and last row holding any."""
    rows = [int(next(iter(row.values()))[1].order[2]) for row in sheet.rows] or [0]
    chars = sum(len(str(v)) for row in sheet.rows for v, _ in row.values() if v is not None)
    return chars, min(rows), max(rows)


def read_workbooks(paths: Sequence[Path], *, allow_cut: bool = False) -> Imported:
    """Read and merge questionnaire workbooks into one validated profile (`allow_cut`: take
    text that `coherence questionnaire` cut to fit a cell, to compare a round trip)."""
    problems: list[Diagnostic] = []
    notes: list[Diagnostic] = []
    merge = _Merge(problems)
    lists: dict[str, list[dict[str, tuple[Any, CellRef]]]] = {}
    by_path: dict[str, Question] = {q.path: q for q in questions()}
    first_ref: CellRef | None = None
    profile_sheet = False
    sizes: dict[str, tuple[int, int, int]] = {}
    sheets: dict[str, tuple[int, int]] = {}  # `book!sheet` -> its place, to order problems
    unknown: dict[str, str] = {}
    rows_seen: dict[str, set[tuple]] = {}  # cell -> a Field not asked, advised on only if shown
    langs: dict[str, Language] = {}  # workbook -> its language, to name its sheets in messages
    for book_no, (path, name) in enumerate(zip(paths, book_names(paths), strict=True), 1):
        for sheet in read_book(path, book_no, problems, notes, name):
            sizes[f"{name}!{sheet.ref.sheet}"] = _text_size(sheet)
            sheets[f"{name}!{sheet.ref.sheet}"] = sheet.ref.order[:2]
            first_ref = first_ref or sheet.ref
            if sheet.lang is not None:
                langs.setdefault(name, sheet.lang)
            profile_sheet = profile_sheet or sheet.key == "profile"
            if sheet.key in ("agreements", "bodies", "evidence", "waivers"):
                kept = lists.setdefault(sheet.key, [])
                seen = rows_seen.setdefault(sheet.key, set())
                for row in sheet.rows:  # a row copied into two workbooks is one entry
                    key = tuple(sorted((k, _hashable(v)) for k, (v, _) in row.items()))
                    if key not in seen:
                        seen.add(key)
                        kept.append(row)
                continue
            if sheet.key == "review":
                for row in sheet.rows:
                    section = str(row["section"][0] or "").strip()
                    if section not in REVIEW_SECTIONS:
                        problems.append(
                            cell_problem(row["section"][1], "review-section",
                                     f"{section!r} is not a section; the sections are "
                                     + ", ".join(REVIEW_SECTIONS))
                        )  # fmt: skip
                        continue
                    for column in ("owner", "reviewed_by", "reviewed_on"):
                        value, ref = row[column]
                        merge.put(("reviews", section, column), value, ref, f"reviews.{section}")
                continue
            for row in sheet.rows:
                value, ref = row["path"]
                if sheet.key == "profile":
                    merge.put((str(value),), row["value"][0], row["value"][1], str(value))
                    continue
                question = by_path.get(str(value or "").strip())
                if question is None:
                    problems.append(unknown_field(ref, value, unknown))
                    continue
                asked = CELLS_BY_KIND.get(question.kind, ())
                for column, (cell, cell_ref) in row.items():
                    if column in ("path", "question", "ministry"):
                        continue
                    if column not in asked and cell not in (None, ""):
                        problems.append(_not_asked(column, question, cell_ref, sheet.lang))
                        continue
                    merge.put((question.path, column), cell, cell_ref, question.path)
    if allow_cut:
        problems[:] = [p for p in problems if p.code != "cut"]
    books = str(paths[0]) if len(paths) == 1 else ", ".join(str(p) for p in paths)

    def ordered(found: list[Diagnostic], where: Where) -> list[Diagnostic]:
        cells = where.values()
        return explained(
            found,
            sheets=sheets,
            cells=cells,
            unknown=unknown,
            field_paths=by_path,
            books=", ".join(book_names(paths)),
        )

    if not merge.values and not problems:
        problems.append(
            cell_problem(first_ref or str(paths[0]), "empty", "the workbook holds no answers")
        )
    elif first_ref is not None and not profile_sheet and not _sheet_said(problems, "profile"):
        # Without it every identity field is "missing", located on whichever sheet came first.
        problems.append(
            cell_problem(
                books,
                "missing-sheet",
                f"no workbook has the {sheet_title('profile', langs)!r} sheet (the country, the "
                "date, the roles and who prepared the profile): copy it back from the "
                "questionnaire `coherence questionnaire` wrote",
            )
        )
    data, where, answered = _assemble(merge, lists, problems, langs)
    if any(p.code in _STOPS for p in problems) or first_ref is None:
        return Imported(None, ordered(problems, where), notes, answered)
    fallback = first_ref

    def place(loc: tuple[str | int, ...]) -> tuple[str, int, int]:
        for end in range(len(loc), 0, -1):
            ref = where.get(tuple(loc[:end]))
            if ref is not None:
                return (str(ref), 0, 0)
        return (str(fallback), 0, 0)

    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        document = YamlDocument(str(fallback), data)
        found = [_in_cells(d, data, langs) for d in diagnostics_for(exc, document, place=place)]
        # A cell already explained while reading (a date such as 31/12/2024) is said once.
        told = {p.file for p in problems}
        found = problems + [d for d in found if d.file not in told]
        return Imported(None, ordered(found, where), notes, answered)
    if problems:
        return Imported(None, ordered(problems, where), notes, answered)
    review = consistency_diagnostics(profile, place)
    if review:
        return Imported(None, ordered(review, where), notes, answered)
    mismatch = name_mismatch(profile.country.code, profile.country.name)
    if mismatch is not None:  # as `validate` warns of the profile written
        named = str(where.get(("country", "name")) or fallback)
        notes.append(Diagnostic(named, 0, 0, "country-name", mismatch, "country.name", "warning"))
    return Imported(profile, [], notes, answered, sizes)


def _in_cells(
    diagnostic: Diagnostic, data: dict[str, Any], langs: dict[str, Language]
) -> Diagnostic:
    """A message about free text in an answer, in the workbook's words rather than YAML's
    (its columns named as the workbook of the cell names them)."""
    if diagnostic.code != "literal_error" or not diagnostic.path.endswith(".answer"):
        return diagnostic
    node: Any = data
    for part in diagnostic.path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if (
        not isinstance(node, str)
        or len(node.split()) < 2
        or "written in English" in diagnostic.message
    ):
        return diagnostic  # a word, or an answer in another language the message names
    lang = langs.get(diagnostic.file.rsplit("!", 2)[0])
    section = diagnostic.path.split(".", 1)[0]
    answer, note = _header(lang, section, "answer"), _header(lang, section, "note")
    message = (
        f"{node!r} is not an answer: choose one from the {answer} list (partial, if it holds "
        f"in part) and write the explanation in the {note} column"
    )
    return Diagnostic(diagnostic.file, 0, 0, "free-text", message, diagnostic.path)


def _sheet_said(problems: list[Diagnostic], key: str) -> bool:
    """Whether a problem already stands on the sheet `key` of some workbook (a header it lost,
    a damage): then the sheet is there, and "no workbook has it" would be false."""
    titles = {language(code).title(key) for code in LANGUAGES}
    on_it = (p for p in problems if p.code in ("columns", "damaged"))
    return any(p.file.rsplit("!", 2)[1:2][0] in titles for p in on_it if "!" in p.file)


def _identity(merge: _Merge, data: dict[str, Any], where: Where) -> None:
    for key, (value, ref) in list(merge.values.items()):
        if len(key) != 1:
            continue
        parts = tuple(key[0].split("."))
        if parts not in (
            ("country", "code"),
            ("country", "name"),
            ("as_of",),
            ("prepared_by",),
            ("roles",),
            ("review_status",),
            ("illustrative",),
        ):
            continue
        where[parts] = ref
        if value is None:
            continue
        if parts == ("country", "code"):
            value = country_code(str(value))
        elif parts == ("roles",):
            value = [r.lower() for r in split_list(value)]
            where.update({("roles", i): ref for i in range(len(value))})
        elif parts in (("review_status",), ("illustrative",)):
            value = str(value).strip().lower()
        target = data
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    where.setdefault(("country",), where.get(("country", "code")) or where.get(("country", "name")))


def _assemble(
    merge: _Merge, lists: dict[str, list], problems: list[Diagnostic], langs: dict[str, Language]
) -> tuple[dict[str, Any], Where, int]:
    data: dict[str, Any] = {"format_version": FORMAT_VERSION}
    where: Where = {}
    _identity(merge, data, where)
    answered = 0
    for question in questions():
        cells, places = merge.row((question.path,))
        at = (question.section, question.name)
        value = from_row(question, cells, where)
        # Point "missing" errors at the cell to fill in.
        for part in _DEFAULT_PART.get(question.kind, ()):
            column = _FIRST_COLUMN[part]
            if column in places:
                where.setdefault((*at, part), places[column])
                where.setdefault(at, places[column])
        if value is None:
            continue
        answered += 1
        data.setdefault(question.section, {})[question.name] = value
    agreements(lists.get("agreements", []), data, where, problems, langs)
    bodies(lists.get("bodies", []), data, where)
    for row in lists.get("waivers", []):
        cells = {k: v for k, v in row.items() if v[0] is not None}
        waiver: dict[str, Any] = {}
        index = len(data.setdefault("waivers", []))
        for key, (value, ref) in cells.items():
            waiver[key] = value
            where[("waivers", index, key)] = ref
        where[("waivers", index)] = next(iter(cells.values()))[1]
        data["waivers"].append(waiver)
    for key, (value, ref) in merge.values.items():
        if key[0] == "reviews":
            where[key] = ref
            where.setdefault(key[:2], ref)
            if value is not None:
                data.setdefault("reviews", {}).setdefault(key[1], {})[key[2]] = value
    _documents(lists.get("evidence", []), data, where, problems)
    return data, where, answered


def import_or_raise(paths: Sequence[Path]) -> Profile:
    """The merged, validated profile; raises `InputError` with every problem."""
    result = read_workbooks(paths)
    if result.profile is None:
        raise InputError(result.problems)
    return result.profile
