"""Profile validation: unknown keys reported as themselves, at their own line, whatever
characters they hold (issue 12 §3.6); dates that are not dates refused (§3.22)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coherence.diagnostics import InputError
from coherence.profile.validate import load_profile
from tests.conftest import FIXTURES

STATUSES = FIXTURES / "profiles" / "statuses.yaml"


def _problems(tmp_path: Path, old: str, new: str) -> list:
    text = STATUSES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "profile.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_profile(path)
    return err.value.diagnostics


@pytest.mark.parametrize(
    "key",
    ["'a[b]'", "'list[str]'", "function-x", "constrained-str", "'[x'", "'function-after[y]'"],
)
def test_unknown_key_is_reported_as_itself_at_its_line(tmp_path: Path, key: str) -> None:
    lines = STATUSES.read_text(encoding="utf-8").splitlines()
    parent_line = lines.index("rights:") + 1
    (diag,) = _problems(tmp_path, "rights:\n", f"rights:\n  {key}: yes\n")
    name = key.strip("'")
    assert diag.code == "extra_forbidden"
    assert (diag.line, diag.column) == (parent_line + 1, 3)
    assert diag.path == f"rights.{name}"
    assert f"unknown field '{name}'" in diag.message
    assert "unknown field 'rights'" not in diag.message


def test_a_plain_unknown_key_still_gets_a_suggestion(tmp_path: Path) -> None:
    (diag,) = _problems(tmp_path, "rights:\n", "rights:\n  equal_treatmnt: yes\n")
    assert "did you mean 'equal_treatment'?" in diag.message


@pytest.mark.parametrize("value", ["0", "86400", "1700000000", "'0'", "2026-01-01T00:00:00"])
def test_numbers_and_timestamps_are_not_dates(tmp_path: Path, value: str) -> None:
    problems = _problems(tmp_path, "as_of: 2026-01-01", f"as_of: {value}")
    assert [d.path for d in problems] == ["as_of"]


@pytest.mark.parametrize("value", ["0001-01-01", "0005-06-30", "1899-12-31", "2101-01-01"])
def test_an_implausible_as_of_is_refused_at_its_line(tmp_path: Path, value: str) -> None:
    """An attack round: `as_of: 0005-06-30` (a database's "no date" is 0001-01-01) passed
    validation, then every check ended in an internal error."""
    (diag,) = _problems(tmp_path, "as_of: 2026-01-01", f"as_of: {value}")
    assert diag.path == "as_of" and diag.line == 5
    assert f"{value} is not a plausible date" in diag.message


def test_an_implausible_as_of_never_reaches_the_checks(cli, tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    text = STATUSES.read_text(encoding="utf-8").replace("as_of: 2026-01-01", "as_of: 0001-01-01")
    profile.write_text(text, encoding="utf-8")
    for command in (["check"], ["baseline", "-o", tmp_path / "b.json"], ["compare"]):
        result = cli(*command, profile)
        assert result.returncode == 2, (command, result.stderr)
        assert "not a plausible date" in result.stderr and "internal error" not in result.stderr


def test_a_group_is_suggested_only_for_a_near_miss(tmp_path: Path) -> None:
    header = "format_version: 2\ncountry: {code: NPL, name: Nepal}\nas_of: 2025-01-01\n"
    path = tmp_path / "p.yaml"
    path.write_text(
        header + "prepared_by: M\nroles: [origin]\nrights:\n"
        "  equal_treatment: {answer: yes, excludes: [gig_workers, domestic_worker]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_profile(path)
    unknown, misspelt = sorted(err.value.diagnostics, key=lambda d: d.column)
    assert "'gig_workers' is not allowed here; expected 'domestic_workers'" in unknown.message
    assert "did you mean" not in unknown.message
    assert misspelt.message.endswith("did you mean 'domestic_workers'?")


def _with_stock(tmp_path: Path, stock: str) -> list:
    """The statuses fixture with `context.migrant_stock` given as `stock`."""
    text = STATUSES.read_text(encoding="utf-8")
    assert "\ncontext:\n" in text and "migrant_stock" not in text
    path = tmp_path / "profile.yaml"
    text = text.replace("\ncontext:\n", f"\ncontext:\n  migrant_stock: {stock}\n", 1)
    path.write_text(text, encoding="utf-8")
    try:
        load_profile(path)
    except InputError as err:
        return err.diagnostics
    return []


@pytest.mark.parametrize(
    ("stock", "said"),
    [
        ("9223372036854775808", "less than or equal to 1000000000000"),
        ("1000000000001", "less than or equal to 1000000000000"),
        ("{value: true}", "not true/false"),
        ("{value: false, year: 2020}", "not true/false"),
    ],
)
def test_a_count_is_a_whole_number_within_reason(tmp_path: Path, stock: str, said: str) -> None:
    """Numbers past 2**63 made the two engines disagree (durable-rules' C core overflows);
    `true` was counted as 1."""
    (diag,) = _with_stock(tmp_path, stock)
    assert diag.path == "context.migrant_stock.value" and said in diag.message


def test_the_largest_count_and_unknown_are_fine(tmp_path: Path) -> None:
    assert _with_stock(tmp_path, "1000000000000") == []
    assert _with_stock(tmp_path, "unknown") == []


def test_values_are_quoted_as_yaml_spells_them(tmp_path: Path) -> None:
    (diag,) = _with_stock(tmp_path, "true")
    assert "got true/false: true" in diag.message and "True" not in diag.message


def test_a_name_is_at_most_300_characters(tmp_path: Path) -> None:
    """A 1.9 MB institution name once made 100 MB reports: reports repeat a body's name in
    every action it is responsible for."""
    text = STATUSES.read_text(encoding="utf-8")
    path = tmp_path / "profile.yaml"
    for length, problems in ((300, 0), (301, 1)):
        path.write_text(
            text + f"institutions:\n  labour_ministry: {'M' * length}\n", encoding="utf-8"
        )
        try:
            load_profile(path)
            found = []
        except InputError as err:
            found = err.diagnostics
        assert len(found) == problems
    (diag,) = found
    assert diag.path == "institutions.labour_ministry" and "at most 300 characters" in diag.message


@pytest.mark.parametrize(("date", "problems"), [("1889", 0), ("1800-01-01", 0), ("1799", 1)])
def test_old_laws_can_be_cited_and_the_range_is_said(tmp_path: Path, date: str, problems: int):
    """An 1889 nationality law is evidence too; a year outside the range is named as such,
    not as 'not a date'."""
    text = STATUSES.read_text(encoding="utf-8")
    old = '  equal_treatment: "yes"'
    assert old in text
    new = (
        f'  equal_treatment:\n    answer: "yes"\n    evidence: [{{title: Old law, date: "{date}"}}]'
    )
    path = tmp_path / "profile.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    try:
        load_profile(path)
        found = []
    except InputError as err:
        found = err.diagnostics
    assert len(found) == problems
    if found:
        assert "outside the years 1800 to 2100" in found[0].message


def test_true_and_false_mean_yes_and_no_in_the_long_form_as_in_the_short(tmp_path: Path):
    """`equal_treatment: true` was `yes`, but `answer: true` was refused as `True`."""
    from coherence.facts import profile_facts

    text = STATUSES.read_text(encoding="utf-8")
    path = tmp_path / "profile.yaml"
    long_form = '  equal_treatment:\n    answer: true\n    practice: False\n  health_care: " No "'
    path.write_text(text.replace('  equal_treatment: "yes"', long_form, 1), encoding="utf-8")
    facts = profile_facts(load_profile(path))
    assert (facts["rights.equal_treatment"].value, facts["rights.equal_treatment"].practice) == (
        "yes",
        "no",
    )
    assert facts["rights.health_care"].value == "no"


def test_a_country_is_listed_once(tmp_path: Path) -> None:
    listed = "\ncontext:\n  main_destination_countries: [USA, CAN, usa]\n"
    (diag,) = _problems(tmp_path, "\ncontext:\n", listed)
    assert diag.path == "context.main_destination_countries.2"
    assert "'USA' is listed twice in main_destination_countries (first earlier on line" in (
        diag.message
    )


def test_messages_are_plain_words_not_pydantics(tmp_path: Path) -> None:
    bad = "\ncontext:\n  migrant_stock: {value: 5, year: abc}\n  nationals_abroad: {value: .nan}\n"
    messages = [d.message for d in _problems(tmp_path, "\ncontext:\n", bad)]
    assert messages == [
        "'abc' is not a whole number; write it in digits",
        "'value': must be a finite number",
    ]
    assert not any("nput should" in m or "after validation" in m for m in messages)


def test_kosovo_can_be_profiled_and_old_codes_are_explained(tmp_path: Path) -> None:
    """XKX, the code the EU, IMF and World Bank use for Kosovo, was refused; YUG was met
    with "did you mean 'UGA'?" (Uganda)."""
    from coherence.profile.country import exact_alpha3

    text = STATUSES.read_text(encoding="utf-8")
    code_line = next(line for line in text.splitlines() if line.startswith("country:"))
    path = tmp_path / "profile.yaml"
    path.write_text(text.replace(code_line, "country: {code: XKX, name: Kosovo}"), "utf-8")
    assert load_profile(path).profile.country.code == "XKX"
    assert exact_alpha3("Kosovo") == exact_alpha3("xkx") == "XKX"
    path.write_text(text.replace(code_line, "country: {code: YUG, name: Yugoslavia}"), "utf-8")
    with pytest.raises(InputError) as err:
        load_profile(path)
    (diag,) = err.value.diagnostics
    assert "'YUG' was the code of Yugoslavia" in diag.message and "UGA" not in diag.message


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ('"https://example.org/a\\tb"', "contains a tab"),
        ('"https://example.org/a law"', "contains a space"),
        ("HTTPS://example.org/law", "starts with capitals"),
        ("www.example.org/law", "is not a link: write it in full"),
    ],
)
def test_a_link_that_starts_right_is_told_what_is_wrong_with_it(
    tmp_path: Path, url: str, said: str
) -> None:
    """A link with a tab in it was told "write it in full, starting with https://"."""
    evidence = f'  equal_treatment:\n    answer: "yes"\n    evidence:\n      - {{title: Law, url: {url}}}\n'
    (diag,) = _problems(tmp_path, '  equal_treatment: "yes"          # RIGHTS-001 met\n', evidence)
    assert diag.path == "rights.equal_treatment.evidence.0.url"
    assert said in diag.message
    if said != "is not a link: write it in full":
        assert "starting with https://" not in diag.message


@pytest.mark.parametrize(
    ("key", "kind"), [("true", "a yes/no value"), ("null", "an empty value"), ("12", "a number")]
)
def test_a_key_yaml_reads_as_a_value_is_told_so_not_given_a_near_field(
    tmp_path: Path, key: str, kind: str
) -> None:
    """`true:` under rights was "unknown field 'true'; did you mean 'rule'? It belongs in
    waivers"."""
    (diag,) = _problems(tmp_path, "rights:\n", f"rights:\n  {key}: yes\n")
    assert diag.path == f"rights.{key}"
    assert diag.message.startswith(f"'{key}' is read as {kind}, not as a field name")
    assert "did you mean" not in diag.message
    (quoted,) = _problems(tmp_path, "rights:\n", "rights:\n  'equal_treatmnt': yes\n")
    assert "did you mean 'equal_treatment'?" in quoted.message  # text keys keep theirs


def test_thousands_of_problems_are_explained_200_at_a_time(cli, tmp_path) -> None:
    """49,000 unknown fields in one section took a minute to explain, one "did you mean"
    search each, and printed 49,000 lines (attack round 4)."""
    head = "format_version: 2\ncountry: {code: NPL, name: Nepal}\nas_of: 2025-09-30\n"
    fields = "".join(f"  field_{i}: 1\n" for i in range(1000))
    profile = tmp_path / "p.yaml"
    profile.write_text(f"{head}roles: [origin]\nprepared_by: x\nrights:\n{fields}", "utf-8")
    result = cli("validate", "--format", "json", profile)
    assert result.returncode == 1
    (entry,) = json.loads(result.stdout)["files"]
    assert len(entry["errors"]) == 201
    assert entry["errors"][-1]["code"] == "more"
    assert entry["errors"][-1]["message"].startswith("and 800 more problems, not listed")


def test_thousands_of_repeated_entries_are_listed_200_and_counted_in_full(cli, tmp_path) -> None:
    """45,000 copies of one ministry gave 44,999 "listed twice" lines (attack round 4), and the
    summary counted the lines shown, not the problems."""
    head = "format_version: 2\ncountry: {code: NPL, name: Nepal}\nas_of: 2025-09-30\n"
    items = "".join("    - Ministry of Labour\n" for _ in range(600))
    profile = tmp_path / "p.yaml"
    body = f"{head}roles: [origin]\nprepared_by: x\ncontext:\n  responsible_ministries:\n{items}"
    profile.write_text(body, "utf-8")
    result = cli("validate", profile)
    assert result.returncode == 1
    listed = [line for line in result.stdout.splitlines() if "error[listed-twice]" in line]
    assert len(listed) == 200
    assert listed[0].startswith(f"{profile}:9:7: error[listed-twice]")  # the second copy
    more = result.stdout.splitlines()[-1]
    assert more == (
        f"{profile}: error[more] and 399 more problems, not listed: "
        "fix the ones above, then validate again"
    )
    assert result.stderr.strip().endswith("1 invalid, 599 problems")


def test_the_summary_counts_every_unknown_field_not_the_lines_shown(cli, tmp_path) -> None:
    head = "format_version: 2\ncountry: {code: NPL, name: Nepal}\nas_of: 2025-09-30\n"
    fields = "".join(f"  field_{i}: 1\n" for i in range(1500))
    profile = tmp_path / "p.yaml"
    profile.write_text(f"{head}roles: [origin]\nprepared_by: x\nrights:\n{fields}", "utf-8")
    result = cli("validate", profile)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("1 invalid, 1,500 problems")
