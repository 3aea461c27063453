"""`coherence questionnaire --language fr|es`: the workbook in French or Spanish, read back.

The workbooks are written by the real CLI and read with openpyxl, as a ministry's
spreadsheet program would; `coherence import` and `coherence diff` check the round trip.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from coherence.profile.validate import load_profile
from coherence.questionnaire import language as language_module
from coherence.questionnaire.language import (
    LANGUAGES,
    TRANSLATED_FROM,
    VALUES,
    english,
    english_digest,
    fields_of,
    language,
    load_translation,
    outdated_translations,
    translated_from,
    translation_file,
)
from coherence.questionnaire.layout import SHEET_TITLES, columns_for
from coherence.questionnaire.questions import MINISTRY_KEYS
from tests.conftest import FIXTURES, PROFILES
from tests.questionnaire.test_workbook import _validations
from tests.questionnaire.workbooks import fill

SOURCE = PROFILES / "example-destination.yaml"
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def _answers(path: Path) -> dict:
    """A profile's answers: everything but the review trail and waivers, which only the
    whole workbook (not a ministry's) carries."""
    data = load_profile(path).profile.model_dump(mode="json")
    return {k: v for k, v in data.items() if k not in ("reviews", "waivers")}


def _rows(ws) -> dict[str, int]:
    """Field -> row number, on a question sheet."""
    return {row[0].value: row[0].row for row in ws.iter_rows(min_row=2) if row[0].value}


# --- the translation files: complete, current, consistent -----------------------------------


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_text_has_a_translation(code):
    """A question, value, header, caption or ministry added in English without its
    translation fails here, naming what is missing."""
    texts = load_translation(code)
    missing = {
        part: sorted(set(english()[part]) - set(texts[part]))
        for part in english()
        if set(english()[part]) - set(texts[part])
    }
    assert not missing, f"{translation_file(code).name} lacks: {missing}"
    empty = [(p, k) for p, ts in texts.items() for k, t in ts.items() if not t.strip()]
    assert not empty


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_translation_is_stale(code):
    """A key whose English text is gone (a renamed field, a removed value) fails here."""
    texts = load_translation(code)
    raw = yaml.safe_load(translation_file(code).read_text(encoding="utf-8"))
    assert set(raw) == {"language", TRANSLATED_FROM, *english()}, "an unknown part of the file"
    stale = {
        part: sorted(set(texts[part]) - set(english()[part]))
        for part in english()
        if set(texts[part]) - set(english()[part])
    }
    assert not stale, f"{translation_file(code).name} has keys English no longer has: {stale}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_translation_is_of_the_current_english(code):
    """An English question or caption reworded after it was translated keeps its key, so the
    tests above pass while the French or Spanish says what the English no longer says: each
    translation records a digest of the English it was made from, and a change fails here,
    naming the texts to check again and the digest to record once they are checked."""
    changed = outdated_translations(code)
    assert not changed, (
        f"{translation_file(code).name}: the English of these texts changed since they were "
        f"translated (or has no digest); check each translation, then record under "
        f"{TRANSLATED_FROM}: {changed}"
    )
    known = {f"{part}/{key}" for part, texts in english().items() for key in texts}
    assert set(translated_from(code)) <= known, "digests of texts English no longer has"


def test_a_reworded_english_question_is_named(monkeypatch):
    texts = {part: dict(keyed) for part, keyed in english().items()}
    texts["questions"]["rights.equal_treatment"] += " Say which sectors."
    monkeypatch.setattr(language_module, "english", lambda: texts)
    changed = outdated_translations("fr")
    assert list(changed) == ["questions/rights.equal_treatment"]
    assert changed["questions/rights.equal_treatment"] == english_digest(
        texts["questions"]["rights.equal_treatment"]
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_match_english(code):
    texts = load_translation(code)
    for part, english_texts in english().items():
        for key, text in english_texts.items():
            assert fields_of(texts[part][key]) == fields_of(text), (part, key)


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.mark.parametrize("code", TRANSLATED)
def test_labels_read_back_to_one_value_and_fit_a_drop_down(code):
    """Two values with one label (accents and case aside) could not be told apart on import;
    a comma would split a drop-down entry in two."""
    lang = language(code)
    labels = {}
    for value in VALUES:
        label = lang.value(value)
        assert "," not in label and '"' not in label, label
        assert labels.setdefault(_folded(label), value) == value, label
        assert lang.from_label(label.upper()) == value
        assert lang.from_label(value) == value, "an English value typed in still works"
    for value in VALUES:  # no label is another value's English word
        assert labels.get(_folded(value), value) == value


@pytest.mark.parametrize("code", TRANSLATED)
def test_sheet_titles_and_headers_are_valid_and_distinct(code):
    lang = language(code)
    titles = [lang.title(key) for key in SHEET_TITLES]
    assert len({t.casefold() for t in titles}) == len(titles)
    for title in titles:  # what a spreadsheet allows as a sheet name
        assert len(title) <= 31 and not re.search(r"[\[\]:*?/\\]", title), title
    for key in [*SHEET_TITLES, "profile"]:
        headers = [c.header.casefold() for c in lang.columns(key)]
        assert len(set(headers)) == len(headers), key
        assert len(lang.columns(key)) == len(columns_for(key))


def test_a_translation_file_with_an_unquoted_yes_is_refused(tmp_path, monkeypatch):
    """`yes: oui` unquoted is a boolean key in YAML: said, rather than a missing label."""
    bad = tmp_path / "fr.yaml"
    bad.write_text("language: fr\nvalues:\n  yes: oui\n", encoding="utf-8")
    monkeypatch.setattr("coherence.questionnaire.language.translation_file", lambda code: bad)
    with pytest.raises(ValueError, match="must be quoted text"):
        load_translation("fr")


# --- the workbook a ministry reads ------------------------------------------------------------


def test_the_french_workbook_reads_in_french(cli, tmp_path):
    book = tmp_path / "fr.xlsx"
    made = cli("questionnaire", "--language", "fr", "-o", book)
    assert made.returncode == 0, made.stderr
    wb = load_workbook(book)
    assert wb.sheetnames[:5] == ["Instructions", "Profil", "Institutions", "Instruments", "Droits"]
    assert "Migration de main-d'œuvre" in wb.sheetnames
    assert wb.properties.language == "fr"
    instructions = [row[0] for row in wb["Instructions"].iter_rows(values_only=True)]
    assert instructions[0] == "Comment remplir ce questionnaire"
    assert any("l'«\u00a0adhésion\u00a0» vaut ratification" in line for line in instructions)
    assert any(
        "oui, partiellement, non, ne sait pas ou sans objet" in line for line in instructions
    )
    rights = wb["Droits"]
    assert [c.value for c in rights[1]][:4] == ["Champ", "Question", "Réponse", "En pratique"]
    row = _rows(rights)["rights.equal_treatment"]
    assert rights.cell(row, 2).value == (
        "Les travailleurs migrants bénéficient-ils, en droit, de l'égalité de traitement avec "
        "les nationaux en matière de rémunération et de conditions de travail\u00a0?"
    )
    headers = [c.value for c in rights[1]]
    assert rights.cell(row, headers.index("Ministère responsable") + 1).value == (
        "Ministère du Travail"
    )
    instruments = wb["Instruments"]
    row = _rows(instruments)["instruments.migrant_workers_convention_1990"]
    assert instruments.cell(row, 2).value.startswith(
        "Convention internationale sur la protection des droits de tous les travailleurs "
        "migrants et des membres de leur famille"
    )


def test_the_french_drop_downs_hold_french_labels(cli, tmp_path):
    book = tmp_path / "fr.xlsx"
    assert cli("questionnaire", "--language", "fr", "-o", book).returncode == 0
    wb = load_workbook(book)
    rights = wb["Droits"]
    lists = _validations(rights)
    row = _rows(rights)["rights.equal_treatment"]
    assert lists[f"C{row}"] == '"oui,partiellement,non,ne sait pas,sans objet"'
    assert lists[f"D{row}"] == '"oui,partiellement,non,ne sait pas"'
    (dv, *_) = rights.data_validations.dataValidation
    assert dv.errorTitle == "Réponse non prévue"
    instruments = wb["Instruments"]
    lists = _validations(instruments)
    rows = _rows(instruments)
    un, ilo = rows["instruments.migrant_workers_convention_1990"], rows["instruments.ilo_c97"]
    assert lists[f"C{un}"] == '"non signé,signé,ratifié,adhésion,succession,ne sait pas"'
    assert lists[f"C{ilo}"] == '"non ratifié,ratifié,dénoncé,ne sait pas"'
    profile = wb["Profil"]
    assert '"projet,examen interministériel,validé"' in _validations(profile).values()


def test_the_spanish_workbook_reads_in_spanish(cli, tmp_path):
    book = tmp_path / "es.xlsx"
    made = cli("questionnaire", "--language", "es", "--from", SOURCE, "-o", book)
    assert made.returncode == 0, made.stderr
    wb = load_workbook(book)
    assert wb["Instrucciones"]["A1"].value == "Cómo diligenciar este cuestionario"
    rights = wb["Derechos"]
    row = _rows(rights)["rights.non_refoulement"]
    assert rights.cell(row, 2).value == "¿Está garantizado por ley el principio de no devolución?"
    assert _validations(rights)[f"C{row}"] == '"sí,parcialmente,no,no se sabe,no aplica"'
    assert rights.cell(row, 3).value in ("sí", "parcialmente", "no", "no se sabe", "no aplica")
    trafficking = wb["Lucha contra la trata"]
    row = _rows(trafficking)["anti_trafficking.smuggling_distinct"]
    assert "tráfico ilícito de migrantes" in trafficking.cell(row, 2).value


def _round_trip(cli, tmp_path: Path, source: Path, code: str) -> None:
    """`source` through the questionnaire in language `code` and back: the same profile, and
    `diff` finds no answer changed."""
    book = tmp_path / f"{code}.xlsx"
    made = cli("questionnaire", "--language", code, "--from", source, "-o", book)
    assert made.returncode == 0, made.stderr
    assert "not carried" not in made.stderr
    back = tmp_path / "back.yaml"
    imported = cli("import", book, "-o", back)
    assert imported.returncode == 0, imported.stderr
    assert load_profile(back).profile == load_profile(source).profile
    diff = cli("diff", source, back)
    assert diff.returncode == 0, diff.stderr
    assert "Answers that changed (0)" in diff.stdout


@pytest.mark.parametrize("code", TRANSLATED)
def test_round_trip_in_each_language_changes_no_answer(cli, tmp_path, code):
    _round_trip(cli, tmp_path, SOURCE, code)


REAL = FIXTURES / "profiles"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("reviewer-morocco.yaml", "fr"),
        ("reviewer-senegal.yaml", "fr"),
        ("reviewer-mexico.yaml", "es"),
    ],
)
def test_a_real_country_round_trips_in_its_own_language(cli, tmp_path, name, code):
    """Profiles written from real law, in the language their ministries work in: accented
    names (« Ministère de l'Intérieur », « œuvre »), partial dates, practice apart from law,
    reservations, agreements and bodies come back from the workbook unchanged."""
    _round_trip(cli, tmp_path, REAL / name, code)


@pytest.mark.parametrize("code", TRANSLATED)
def test_ministry_workbooks_in_each_language_merge_back(cli, tmp_path, code):
    books = []
    for ministry in MINISTRY_KEYS:
        book = tmp_path / f"{ministry}.xlsx"
        args = ("--language", code, "--from", SOURCE, "--ministry", ministry)
        made = cli("questionnaire", *args, "-o", book)
        assert made.returncode == 0, made.stderr
        books.append(book)
    labour = load_workbook(books[0])
    assert language(code).caption("only_for", ministry=language(code).ministry("labour")) in [
        row[0] for row in labour[language(code).title("instructions")].iter_rows(values_only=True)
    ]
    back = tmp_path / "back.yaml"
    imported = cli("import", *books, "-o", back)
    assert imported.returncode == 0, imported.stderr
    assert _answers(back) == _answers(SOURCE)
    assert "Answers that changed (0)" in cli("diff", SOURCE, back).stdout


def test_ministry_workbooks_in_three_languages_import_together(cli, tmp_path):
    """One round, each ministry in its own language: each workbook is read in its language,
    and the same answer given as `oui` in one and `yes` in another is no conflict."""
    books = []
    for number, ministry in enumerate(MINISTRY_KEYS):
        book = tmp_path / f"{ministry}.xlsx"
        args = ("--language", LANGUAGES[number % 3], "--from", SOURCE, "--ministry", ministry)
        assert cli("questionnaire", *args, "-o", book).returncode == 0
        books.append(book)
    back = tmp_path / "back.yaml"
    imported = cli("import", *books, "-o", back)
    assert imported.returncode == 0, imported.stderr
    assert _answers(back) == _answers(SOURCE)


def test_a_french_workbook_takes_english_and_french_answers_however_typed(cli, tmp_path):
    book = tmp_path / "fr.xlsx"
    assert cli("questionnaire", "--language", "fr", "--from", SOURCE, "-o", book).returncode == 0
    fill(
        book,
        {
            "Droits": {
                "rights.equal_treatment": {"Réponse": "yes", "En pratique": "Partiellement"},
                "rights.health_care": {"Réponse": "NE SAIT PAS"},
                "rights.social_security": {
                    "Réponse": "partial",
                    "Groupes exclus": "travailleurs domestiques; Demandeurs d'asile, children",
                },
            },
            "Instruments": {"instruments.icerd": {"Statut": "Adhesion"}},
        },
    )
    back = tmp_path / "back.yaml"
    imported = cli("import", book, "-o", back)
    assert imported.returncode == 0, imported.stderr
    rights = load_profile(back).profile.rights
    assert rights.equal_treatment.answer == "yes" and rights.equal_treatment.practice == "partial"
    assert rights.health_care.answer == "unknown"
    assert rights.social_security.answer == "partial"
    assert rights.social_security.excludes == ["domestic_workers", "asylum_seekers", "children"]
    assert load_profile(back).profile.instruments.icerd.status == "acceded"


def test_a_french_answer_in_an_english_workbook_keeps_the_synonyms_advice(cli, tmp_path):
    book = tmp_path / "en.xlsx"
    assert cli("questionnaire", "--from", SOURCE, "-o", book).returncode == 0
    where = fill(book, {"Rights": {"rights.equal_treatment": {"Answer": "oui"}}})
    imported = cli("import", book, "-o", tmp_path / "back.yaml")
    assert imported.returncode == 1
    line = next(x for x in imported.stderr.splitlines() if "oui" in x)
    assert where["rights.equal_treatment|Answer"] in line and "yes" in line


def test_a_spanish_error_is_in_english_and_names_the_spanish_cell(cli, tmp_path):
    book = tmp_path / "es.xlsx"
    assert cli("questionnaire", "--language", "es", "--from", SOURCE, "-o", book).returncode == 0
    where = fill(book, {"Derechos": {"rights.health_care": {"Respuesta": "quizás"}}})
    imported = cli("import", book, "-o", tmp_path / "back.yaml")
    assert imported.returncode == 1
    assert where["rights.health_care|Respuesta"] in imported.stderr
    assert "es.xlsx!Derechos!C" in where["rights.health_care|Respuesta"]


def test_a_workbook_that_lost_its_recorded_language_is_known_by_its_sheets(cli, tmp_path):
    book = tmp_path / "fr.xlsx"
    assert cli("questionnaire", "--language", "fr", "--from", SOURCE, "-o", book).returncode == 0
    wb = load_workbook(book)
    wb.properties.language = None  # a spreadsheet program that does not keep it
    wb.save(book)
    back = tmp_path / "back.yaml"
    imported = cli("import", book, "-o", back)
    assert imported.returncode == 0, imported.stderr
    assert load_profile(back).profile == load_profile(SOURCE).profile


@pytest.mark.parametrize("given", ["FR", " es ", "En"])
def test_the_language_code_is_case_insensitive(cli, tmp_path, given):
    made = cli("questionnaire", "--language", given, "-o", tmp_path / "q.xlsx")
    assert made.returncode == 0, made.stderr
    code = given.strip().lower()
    assert load_workbook(tmp_path / "q.xlsx").sheetnames[1] == language(code).title("profile")


@pytest.mark.parametrize("given", ["de", "français", "english"])
def test_an_unknown_language_is_refused_naming_the_choices(cli, tmp_path, given):
    made = cli("questionnaire", "--language", given, "-o", tmp_path / "q.xlsx")
    assert made.returncode == 2
    assert f"--language {given!r}: choose one of en (English), fr (French), es (Spanish)" in (
        made.stderr
    )
    assert "Traceback" not in made.stderr
    assert not (tmp_path / "q.xlsx").exists()


def test_a_translated_workbook_is_deterministic(cli, tmp_path):
    books = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for book in books:
        args = ("--language", "es", "--from", SOURCE)
        assert cli("questionnaire", *args, "-o", book).returncode == 0
    assert books[0].read_bytes() == books[1].read_bytes()
