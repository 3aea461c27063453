"""`coherence import` of workbooks an official has reshaped: renamed headers and sheets,
formulas, same-named files, huge texts and cut notes. Nothing is dropped without a word."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from openpyxl import load_workbook

from coherence.profile.validate import load_profile
from tests.conftest import PROFILES
from tests.questionnaire.workbooks import fill

ORIGIN = PROFILES / "example-origin.yaml"


def _filled(cli, book: Path, profile: Path = ORIGIN) -> Path:
    """A questionnaire pre-filled from `profile`, as `coherence questionnaire --from` writes it."""
    book.parent.mkdir(parents=True, exist_ok=True)
    made = cli("questionnaire", "--from", profile, "-o", book)
    assert made.returncode == 0, made.stderr
    return book


def _edit(book: Path, change) -> None:
    wb = load_workbook(book)
    change(wb)
    wb.save(book)


def _no_agreement_rows(wb) -> None:
    wb["Agreements"].delete_rows(2, wb["Agreements"].max_row)


def _refused(cli, tmp_path: Path, *books: Path) -> str:
    """The import's messages, checking it failed (exit 1) and wrote nothing."""
    out = tmp_path / "p.yaml"
    result = cli("import", *books, "-o", out)
    assert result.returncode == 1, result.stderr
    assert not out.exists()
    return result.stderr


def test_a_renamed_answer_header_is_one_problem_at_that_header(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")
    _edit(book, lambda wb: setattr(wb["Rights"]["C1"], "value", "Réponse"))
    said = _refused(cli, tmp_path, book)
    lines = [line for line in said.splitlines() if "error[" in line]
    assert len(lines) == 1, said
    assert lines[0].startswith("q.xlsx!Rights!C1: error[columns]")
    assert "'Answer'" in lines[0] and "'Réponse'" in lines[0]
    assert "Profile!A1" not in said and "required field" not in said


def test_a_misspelt_header_gets_a_did_you_mean(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")
    _edit(book, lambda wb: setattr(wb["Rights"]["C1"], "value", "Answers"))
    said = _refused(cli, tmp_path, book)
    assert "q.xlsx!Rights!C1: error[columns]" in said and "did you mean 'Answer'?" in said


def test_a_deleted_answer_column_is_reported_at_the_header_row(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")
    _edit(book, lambda wb: wb["Rights"].delete_cols(3))
    said = _refused(cli, tmp_path, book)
    assert "q.xlsx!Rights!C1: error[columns] the header row has lost its column 'Answer'" in said
    assert "required field" not in said


def test_a_formula_is_refused_at_its_cell(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")

    def formulas(wb) -> None:
        wb["Rights"]["C2"] = '=IF(1,"yes","no")'  # openpyxl stores it as a formula
        wb["Profile"]["C2"] = '="MEX"'

    _edit(book, formulas)
    said = _refused(cli, tmp_path, book)
    for cell in ("q.xlsx!Rights!C2", "q.xlsx!Profile!C2"):
        assert f"{cell}: error[formula] this cell holds a formula" in said, said
    assert "type the answer itself" in said and "is missing" not in said


def test_a_renamed_question_sheet_fails_the_import_with_its_name(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")
    _edit(book, lambda wb: setattr(wb["Rights"], "title", "Droits"))
    said = _refused(cli, tmp_path, book)
    assert "q.xlsx!Droits: error[unknown-sheet]" in said
    assert "did you mean 'Rights'?" in said


def test_a_copied_sheet_with_answers_fails_the_import(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")
    _edit(book, lambda wb: wb.copy_worksheet(wb["Rights"]))
    said = _refused(cli, tmp_path, book)
    assert "q.xlsx!Rights Copy: error[unknown-sheet]" in said
    assert "move its answers to the sheet 'Rights'" in said


def test_an_officials_own_sheet_is_a_warning_and_the_import_succeeds(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")
    _edit(book, lambda wb: wb.create_sheet("My notes").append(["call the labour ministry"]))
    result = cli("import", book, "-o", tmp_path / "p.yaml")
    assert result.returncode == 0, result.stderr
    assert "q.xlsx!My notes: warning[unknown-sheet]" in result.stderr
    assert "error[" not in result.stderr


def test_workbooks_of_the_same_name_are_told_apart_by_their_folder(cli, tmp_path):
    labour = _filled(cli, tmp_path / "labour" / "q.xlsx")
    interior = _filled(cli, tmp_path / "interior" / "q.xlsx")
    _edit(interior, lambda wb: setattr(wb["Rights"]["C2"], "value", "no"))
    said = _refused(cli, tmp_path, labour, interior)
    conflict = next(line for line in said.splitlines() if "two different answers" in line)
    assert conflict.startswith("interior/q.xlsx!Rights!C2:"), conflict
    assert "in labour/q.xlsx!Rights!C2" in conflict


def test_import_refuses_a_profile_too_large_for_validate(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")
    title = "Labour Act " * 2_900  # about 32,000 characters: one cell's worth

    def evidence(wb) -> None:
        ws = wb["More evidence"]
        for row in range(2, 72):
            ws.cell(row=row, column=1, value="rights.equal_treatment")
            ws.cell(row=row, column=2, value="law")
            ws.cell(row=row, column=3, value=f"{row} {title}")

    _edit(book, evidence)
    said = _refused(cli, tmp_path, book)
    assert "q.xlsx!More evidence: error[profile-too-large] the profile would be" in said
    assert "at most 2,097,152 bytes" in said and "rows 2 to 71" in said


def test_a_note_cut_by_the_questionnaire_is_refused_on_import(cli, tmp_path):
    text = ORIGIN.read_text(encoding="utf-8")
    short = "  health_care: yes\n"
    assert short in text
    long = f"  health_care:\n    answer: yes\n    note: {'N' * 40_000}\n"
    profile = tmp_path / "long.yaml"
    profile.write_text(text.replace(short, long), "utf-8")
    book = tmp_path / "q.xlsx"
    made = cli("questionnaire", "--from", profile, "-o", book)
    assert made.returncode == 0, made.stderr
    assert "cut to the 32,767 characters" in made.stderr
    assert "rights.health_care.note" in made.stderr and "not carried" not in made.stderr
    said = _refused(cli, tmp_path, book)
    cut = [line for line in said.splitlines() if "error[cut]" in line]
    assert len(cut) == 1 and cut[0].startswith("q.xlsx!Rights!"), said
    assert "[cut: longer than a spreadsheet cell holds]" in cut[0]


def test_a_name_several_countries_go_by_is_refused_at_its_cell(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")
    # The Partners cell is the quick list of a questionnaire whose Agreements sheet is empty.
    _edit(book, _no_agreement_rows)
    row = "labour_channels.bilateral_agreements"
    typed = {row: {"Partners (country codes)": "Congo, Qatar, Sudan"}}
    cell = fill(book, {"Labour channels": typed})[f"{row}|Partners (country codes)"]
    said = _refused(cli, tmp_path, book)
    at_cell = [line for line in said.splitlines() if line.startswith(f"{cell}:")]
    assert any("did you mean 'COG' (Congo) or 'COD'" in line for line in at_cell), said
    assert any("did you mean 'SDN' (Sudan) or 'SSD' (South Sudan)?" in line for line in at_cell)
    assert "Qatar" not in said  # an exact name is still read as its code


def test_a_stray_value_far_down_is_named_and_the_refusal_said_as_such(cli, tmp_path):
    """One value at XFD1048576 was "more than 5,000 rows; the rest ignored" at Rights!A1, and
    then nothing was written at all."""
    book = _filled(cli, tmp_path / "q.xlsx")
    _edit(book, lambda wb: setattr(wb["Rights"]["XFD1048576"], "value", "x"))
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out)
    assert result.returncode == 2 and not out.exists()
    (line,) = [line for line in result.stderr.splitlines() if "error[" in line]
    assert line.startswith("q.xlsx!Rights!XFD1048576: error[too-large] a value at XFD1048576")
    assert "on row 1,048,576" in line and "the workbook is refused" in line
    assert "ignored" not in result.stderr


def test_empty_formatted_rows_past_the_limit_lose_nothing_and_are_read(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx")
    _edit(book, lambda wb: setattr(wb["Rights"]["A6000"], "number_format", "0.00"))
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.exists()


TRANSIT = PROFILES / "example-transit.yaml"  # agreements with CAN, GTM and BLZ


def _partners(cli, tmp_path: Path, book: Path) -> list[str]:
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out, "--force")
    assert result.returncode == 0, result.stderr
    profile = yaml.safe_load(out.read_text(encoding="utf-8"))
    agreements = profile["labour_channels"]["bilateral_agreements"]["agreements"]
    return [a["partner"] for a in agreements]


def _agreement_row(book: Path, partner: str) -> int:
    ws = load_workbook(book)["Agreements"]
    (row,) = [c.row for c in ws["A"] if c.value == partner]
    return row


def test_deleting_an_agreement_row_removes_the_agreement(cli, tmp_path):
    """The BLZ row deleted, BLZ came back (without its monitoring) from the Partners cell of
    the Labour channels sheet, which the official had not touched."""
    book = _filled(cli, tmp_path / "q.xlsx", TRANSIT)
    assert _partners(cli, tmp_path, book) == ["CAN", "GTM", "BLZ"]  # the round trip
    row = _agreement_row(book, "BLZ")
    _edit(book, lambda wb: wb["Agreements"].delete_rows(row))
    assert _partners(cli, tmp_path, book) == ["CAN", "GTM"]


def test_a_partners_cell_naming_other_partners_than_the_rows_names_both_places(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx", TRANSIT)
    blz = _agreement_row(book, "BLZ")
    _edit(book, lambda wb: wb["Agreements"].delete_rows(blz))
    field = "labour_channels.bilateral_agreements"
    typed = {field: {"Partners (country codes)": "CAN, GTM, BLZ"}}
    cell = fill(book, {"Labour channels": typed})[f"{field}|Partners (country codes)"]
    said = _refused(cli, tmp_path, book)
    (line,) = [line for line in said.splitlines() if line.startswith(f"{cell}: error[partners]")]
    assert "BLZ is here but without a row there" in line and "Agreements sheet" in line
    # A partner with a row but left out of the cell is named with its row.
    typed[field]["Partners (country codes)"] = "CAN"
    fill(book, {"Labour channels": typed})
    said = _refused(cli, tmp_path, book)
    (line,) = [line for line in said.splitlines() if line.startswith(f"{cell}: error[partners]")]
    gtm = _agreement_row(book, "GTM")
    assert f"GTM has a row there (q.xlsx!Agreements!A{gtm}) but is not here" in line


def test_the_partners_cell_alone_still_lists_the_agreements(cli, tmp_path):
    book = _filled(cli, tmp_path / "q.xlsx", TRANSIT)
    _edit(book, _no_agreement_rows)
    field = "labour_channels.bilateral_agreements"
    fill(book, {"Labour channels": {field: {"Partners (country codes)": "QAT, Malaysia"}}})
    assert _partners(cli, tmp_path, book) == ["QAT", "MYS"]


def test_a_ministry_typed_twice_is_refused_at_its_cell(cli, tmp_path):
    """A name listed twice was counted twice ("several ministries share responsibility")."""
    book = _filled(cli, tmp_path / "q.xlsx")
    row = "context.responsible_ministries"
    typed = {row: {"Answer": "Ministry of Labour\nMinistry of Interior\nministry of labour"}}
    cell = fill(book, {"Context": typed})[f"{row}|Answer"]
    said = _refused(cli, tmp_path, book)
    assert (
        f"{cell}: error[listed-twice] context.responsible_ministries.items.2: 'ministry of "
        "labour' is listed twice in responsible_ministries (first in the same cell)"
    ) in said, said


def test_a_workbook_from_before_the_incorporation_practice_column_still_imports(cli, tmp_path):
    """Workbooks written before "Incorporation in practice" existed have nothing in it: they
    import as before, where a lost column of their own stops the import."""
    book = _filled(cli, tmp_path / "q.xlsx")

    def older(wb) -> None:
        ws = wb["Instruments"]
        headers = [cell.value for cell in ws[1]]
        ws.delete_cols(headers.index("Incorporation in practice") + 1)

    _edit(book, older)
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out)
    assert result.returncode == 0, result.stderr
    assert load_profile(out).profile == load_profile(ORIGIN).profile


def test_a_value_in_a_cell_the_question_does_not_use_is_refused_at_that_cell(cli, tmp_path):
    """Attack round 2 §15: a partner or a year typed on an answer row (its cells greyed, but
    not locked against every editor) was dropped without a word, and the import exited 0."""
    book = _filled(cli, tmp_path / "q.xlsx")
    where = fill(
        book,
        {
            "Rights": {
                "rights.equal_treatment": {
                    "Partners (country codes)": "QAT",
                    "Year of the number": 2020,
                }
            }
        },
    )
    said = _refused(cli, tmp_path, book)
    partners = where["rights.equal_treatment|Partners (country codes)"]
    year = where["rights.equal_treatment|Year of the number"]
    assert (
        f"{partners}: error[not-asked] 'Partners (country codes)' is not asked for "
        "rights.equal_treatment, so this value would be lost"
    ) in said
    assert f"{year}: error[not-asked] 'Year of the number' is not asked for" in said


def test_answers_typed_in_french_or_spanish_are_named_with_the_word_to_write(cli, tmp_path):
    """Ministries working in French or Spanish type their own words into the Answer column."""
    book = _filled(cli, tmp_path / "q.xlsx")

    def in_their_words(wb) -> None:
        wb["Rights"]["C2"] = "Oui"
        wb["Rights"]["C3"] = "No aplica"  # two words: not taken for an explanation

    _edit(book, in_their_words)
    said = _refused(cli, tmp_path, book)
    assert "q.xlsx!Rights!C2: error[literal_error]" in said
    told = said.lower()  # the import reads an answer in any case
    assert "'oui' is french for yes: the answers are written in english; write yes" in told
    assert "'no aplica' is spanish for not applicable" in told and "write not_applicable" in told


def test_a_profile_sheet_with_a_broken_header_is_not_called_missing(cli, tmp_path):
    """A renamed header on the Profile sheet also said "no workbook has the 'Profile' sheet",
    which is false: the sheet is there (attack round 4)."""
    book = _filled(cli, tmp_path / "q.xlsx")
    _edit(book, lambda wb: setattr(wb["Profile"]["A1"], "value", "Feld"))
    said = _refused(cli, tmp_path, book)
    assert "q.xlsx!Profile!A1: error[columns]" in said
    assert "missing-sheet" not in said and "no workbook has" not in said


def test_a_character_validate_refuses_is_refused_at_its_cell(cli, tmp_path):
    """A right-to-left override (U+202E) or a C1 control character pasted into a cell was
    imported (exit 0), and `validate` then refused the profile the import had written
    (attack round 4)."""
    book = _filled(cli, tmp_path / "q.xlsx")
    where = fill(
        book,
        {
            "Profile": {"country.name": {"Answer": "Ne\u202epal"}},
            "Rights": {"rights.equal_treatment": {"Note": "Applies\u009b to all"}},
        },
    )
    said = _refused(cli, tmp_path, book)
    name, note = where["country.name|Answer"], where["rights.equal_treatment|Note"]
    assert f"{name}: error[character] this cell holds character U+202E (a bidirectional" in said
    assert f"{note}: error[character] this cell holds character U+009B (a control character" in (
        said
    )


def test_spreadsheet_dates_and_errors_in_text_columns_are_refused_at_their_cells(cli, tmp_path):
    """An article typed 6-7 (a spreadsheet stores it as the date 7 June) and a #N/A pasted
    as a value were imported as `article: 2026-06-07` and `note: '#N/A'` (exit 0, and the
    profile valid)."""
    book = _filled(cli, tmp_path / "q.xlsx")
    where = fill(
        book,
        {
            "Rights": {
                "rights.equal_treatment": {"Evidence: article": dt.datetime(2026, 6, 7)},
                "rights.social_security_portability": {"Note": "#N/A"},
            },
        },
    )
    note = where["rights.social_security_portability|Note"]

    def as_error(wb) -> None:  # what the cell holds after a paste of values from a lookup
        wb["Rights"][note.rsplit("!", 1)[1]].data_type = "e"

    _edit(book, as_error)
    said = _refused(cli, tmp_path, book)
    article = where["rights.equal_treatment|Evidence: article"]
    assert f"{article}: error[date] this cell holds the date 2026-06-07, but its column " in said
    assert "format the cell as Text and type it again" in said
    assert f"{note}: error[spreadsheet-error] this cell holds the spreadsheet error #N/A" in said


def test_true_typed_in_a_text_column_is_kept_as_typed(cli, tmp_path):
    """TRUE in a title was imported as the title 'yes' (TRUE means yes only as an answer)."""
    book = _filled(cli, tmp_path / "q.xlsx")
    fill(book, {"Rights": {"rights.equal_treatment": {"Evidence: title": True}}})
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out)
    assert result.returncode == 0, result.stderr
    evidence = yaml.safe_load(out.read_text(encoding="utf-8"))["rights"]["equal_treatment"]
    assert evidence["evidence"][0]["title"] == "TRUE"


def test_a_column_of_the_officials_own_is_a_warning_naming_what_is_not_imported(cli, tmp_path):
    """A column added by an official ('Confidence level'), or a second 'Note' column, was
    dropped without a word, the import exit 0 (attack round 4, second pass): the values are
    still not imported, but a warning at the header says how many and where they go."""
    book = _filled(cli, tmp_path / "q.xlsx")

    def add_columns(wb) -> None:
        ws = wb["Rights"]
        last = ws.max_column
        ws.cell(row=1, column=last + 1, value="Confidence level")
        ws.cell(row=2, column=last + 1, value="high")
        ws.cell(row=1, column=last + 2, value="Note")
        ws.cell(row=2, column=last + 2, value="a second note")
        ws.cell(row=3, column=last + 2, value="and another")

    _edit(book, add_columns)
    out = tmp_path / "p.yaml"
    result = cli("import", book, "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.exists()
    assert (
        "q.xlsx!Rights!O1: warning[unknown-column] the column 'Confidence level' is not one of "
        "the questionnaire's: its 1 value is not imported" in result.stderr
    )
    assert (
        "q.xlsx!Rights!P1: warning[unknown-column] the column 'Note' is there twice: its 2 "
        "values are not imported" in result.stderr
    )
    plain = cli("import", _filled(cli, tmp_path / "fresh" / "q.xlsx"), "-o", tmp_path / "f.yaml")
    assert plain.returncode == 0 and "unknown-column" not in plain.stderr


def test_messages_about_other_sheets_name_them_in_the_workbooks_language(cli, tmp_path):
    """A French ministry's workbook has « Accords » and « Profil », not "Agreements" and
    "Profile": the messages that send the official to another sheet use its own title."""
    book = tmp_path / "fr.xlsx"
    made = cli("questionnaire", "--language", "fr", "--from", TRANSIT, "-o", book)
    assert made.returncode == 0, made.stderr
    field = "labour_channels.bilateral_agreements"
    typed = {field: {"Partenaires (codes pays)": "CAN, GTM, BLZ, QAT"}}
    cell = fill(book, {"Migration de main-d'œuvre": typed})[f"{field}|Partenaires (codes pays)"]
    said = _refused(cli, tmp_path, book)
    (line,) = [line for line in said.splitlines() if line.startswith(f"{cell}: error[partners]")]
    assert "QAT is here but without a row there" in line
    assert "the Accords sheet" in line and "Agreements" not in line
    _edit(book, lambda wb: wb.remove(wb["Profil"]))
    said = _refused(cli, tmp_path, book)
    assert "error[missing-sheet] no workbook has the 'Profil' sheet" in said, said
    assert "'Profile'" not in said
    # Free text in an answer, and a value in a column the question does not use: the columns
    # are named as the French workbook names them.
    book = tmp_path / "fr2.xlsx"
    made = cli("questionnaire", "--language", "fr", "--from", TRANSIT, "-o", book)
    assert made.returncode == 0, made.stderr
    rights = {
        "rights.equal_treatment": {"Partenaires (codes pays)": "QAT"},
        "rights.freedom_to_leave": {"Réponse": "Seulement pour les hommes"},
    }
    cells = fill(book, {"Droits": rights})
    said = _refused(cli, tmp_path, book)
    lines = said.splitlines()
    (asked,) = [
        x for x in lines if x.startswith(cells["rights.equal_treatment|Partenaires (codes pays)"])
    ]
    assert "'Partenaires (codes pays)' is not asked for" in asked, asked
    (free,) = [x for x in lines if x.startswith(cells["rights.freedom_to_leave|Réponse"])]
    assert "from the Réponse list" in free and "in the Observations column" in free, free
