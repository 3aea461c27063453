"""`coherence compare` and `coherence diff` through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest

from tests.conftest import FIXTURES, PROFILES, TEMPLATE, line_of
from tests.gapjson import assessment, assessments

TODAY = ("--today", "2026-06-01")
ORIGIN = PROFILES / "example-origin.yaml"
DESTINATION = PROFILES / "example-destination.yaml"
TRANSIT = PROFILES / "example-transit.yaml"
TRANSIT_2024 = PROFILES / "example-transit-2024.yaml"
HOSTILE = FIXTURES / "profiles" / "hostile.yaml"
ALL = (ORIGIN, DESTINATION, TRANSIT, TRANSIT_2024)


def run_ok(cli, *args):
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def checked():
    """`coherence check --format json` of every example profile, by country and date."""
    from tests.conftest import run_in_process

    result = run_in_process("check", "--format", "json", *TODAY, *ALL)
    assert result.returncode == 0, result.stderr
    return {
        f"{a['profile']['country']} {a['profile']['as_of']}": a for a in assessments(result.stdout)
    }


@pytest.fixture(scope="module")
def compared():
    """`coherence compare --format json` of every example profile."""
    from tests.conftest import run_in_process

    result = run_in_process("compare", "--format", "json", *TODAY, *ALL)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def diffed():
    """`coherence diff --format json` from the 2024 transit profile to the current one."""
    from tests.conftest import run_in_process

    result = run_in_process("diff", "--format", "json", *TODAY, TRANSIT_2024, TRANSIT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- compare


def test_time_series_is_ordered_by_date_whatever_the_argument_order(compared) -> None:
    labels = [p["label"] for p in compared["profiles"]]
    # Countries in order of first appearance (NPL, ARE, MEX); MEX by date although the
    # 2025 profile was given before the 2024 one.
    assert labels == ["NPL 2025-09-30", "ARE 2026-01-15", "MEX 2024-06-30", "MEX 2025-11-30"]
    assert [p["path"] for p in compared["profiles"]][2:] == [str(TRANSIT_2024), str(TRANSIT)]


def test_theme_matrix_matches_check(compared, checked) -> None:
    # The policy themes, overall (which pools them), then consistency across themes.
    assert compared["themes"] == [
        "rights",
        "data_collection",
        "labour_channels",
        "anti_trafficking",
        "coordination",
        "overall",
        "coherence",
    ]
    assert len(compared["scores"]) == 4
    for row in compared["scores"]:
        report = checked[row["profile"]]
        scores = report["scores"]
        for theme in compared["themes"]:
            cell = row["themes"][theme]
            assert cell["score"] == scores[theme]["score"]
            assert cell["band"] == scores[theme]["band"]
            assert cell["classified"] == scores[theme]["classified"]
            assert cell["coverage"] == scores[theme]["coverage"]
            assert cell["question_count"] == scores[theme]["question_count"]
        # Every finding by status, contradictions (coherence gaps) apart from gaps.
        findings = report["findings"]
        contradictions = sum(f["theme"] == "coherence" and f["status"] == "gap" for f in findings)
        assert row["counts"]["contradiction"] == contradictions
        assert row["counts"]["gap"] == sum(f["status"] == "gap" for f in findings) - contradictions
        assert sum(row["counts"].values()) == len(findings)
        assert row["sdg_domains"] == {
            code: {k: d[k] for k in ("value", "coverage", "rules", "classified", "sdg_class")}
            for code, d in report["sdg_domains"].items()
        }


def test_rule_matrix_matches_check(compared, checked) -> None:
    rules = {r["rule_id"]: r for r in compared["rules"]}
    for label, one in checked.items():
        for f in one["findings"]:
            assert rules[f["rule_id"]]["statuses"][label] == f["status"]
    assert len(rules) == checked["MEX 2025-11-30"]["rules_evaluated"]
    # Changes are marked against the previous profile of the same country only.
    assert rules["TRAFFIC-016"]["changes"] == {"MEX 2025-11-30": "regressed"}
    assert rules["COORD-015"]["changes"] == {"MEX 2025-11-30": "improved"}


def test_trend_of_the_time_series(compared, checked) -> None:
    (trend,) = compared["trends"]
    assert trend["country"] == "MEX"
    assert trend["profiles"] == ["MEX 2024-06-30", "MEX 2025-11-30"]
    first = checked["MEX 2024-06-30"]["scores"]["overall"]["score"]
    last = checked["MEX 2025-11-30"]["scores"]["overall"]["score"]
    assert trend["changes"]["overall"] == {
        "first": first,
        "last": last,
        "change": round(last - first, 1),
        "first_coverage": checked["MEX 2024-06-30"]["scores"]["overall"]["coverage"],
        "last_coverage": checked["MEX 2025-11-30"]["scores"]["overall"]["coverage"],
    }
    assert trend["rules_improved"] > 0 and trend["rules_regressed"] > 0


def test_markdown_matrices(cli) -> None:
    out = run_ok(cli, "compare", *TODAY, *ALL).stdout
    assert out.startswith("# Policy coherence comparison: 3 countries, 4 profiles\n")
    header = "| Profile | Rights | Data collection | Labour channels | Anti-trafficking | Interagency coordination | Overall | Consistency across themes |"
    assert header in out
    # Each cell: the score with its coverage and band, never the score alone; the values are
    # those `check` gives the same profile.
    scores = assessment(run_ok(cli, "check", "--format", "json", *TODAY, TRANSIT).stdout)["scores"]
    rights, overall = scores["rights"], scores["overall"]
    assert (
        f"| **MEX 2025-11-30** | {rights['score']:.1f} ({rights['coverage']:.1f}%, "
        f"band {rights['band']}) |" in out
    )
    assert f"**{overall['score']:.1f} ({overall['coverage']:.1f}%, band {overall['band']})**" in out
    assert (
        "| Rule | Severity | NPL 2025-09-30 | ARE 2026-01-15 | MEX 2024-06-30 | MEX 2025-11-30 |"
        in out
    )
    assert "| **Mexico (MEX)** | 2024-06-30 | 2025-11-30 |" in out
    assert "> **ILLUSTRATIVE**" in out
    positions = [
        out.index(f"\n## {t}\n")
        for t in (
            "Profiles compared",
            "Summary",
            "Scores by theme",
            "SDG 10.7.2 domains (indicative)",
            "Change over time",
            "Findings by status",
            "Rules by profile",
            "About this comparison",
        )
    ]
    assert positions == sorted(positions)


def test_html_is_self_contained_and_accessible(cli, tmp_path) -> None:
    target = tmp_path / "compare.html"
    run_ok(cli, "compare", "--format", "html", "--output", target, *TODAY, *ALL)
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    # Nothing loads from outside: a URL of the profile's evidence appears only as text.
    assert not re.search(r"""(src|href|srcset|action|data)\s*=\s*["']?(https?:)?//""", html)
    assert "url(http" not in html and "@import" not in html
    assert html.count("<caption") == html.count("<table")
    assert '<th scope="col">MEX 2024-06-30</th>' in html
    assert "Colour key: band" in html and "Colour key: status" in html
    # Colour is never the only signal: each heat cell names its band (with the coverage) or
    # its status.
    overall = assessment(run_ok(cli, "check", "--format", "json", *TODAY, TRANSIT).stdout)[
        "scores"
    ]["overall"]
    assert (
        f'<td class="heat class-{overall["band"]} overall"><span class="heat-value">'
        f'{overall["score"]:.1f}</span> <span class="heat-note">coverage '
        f"{overall['coverage']:.1f}% · band {overall['band']}, {overall['band_label']}</span></td>"
        in html
    )
    assert "SDG 10.7.2 domains (indicative)" in html
    assert '<td class="heat status-gap">Gap' in html
    assert "@media print" in html


def test_csv_is_one_rectangular_table_and_neutralised(cli) -> None:
    out = run_ok(cli, "compare", "--format", "csv", *TODAY, ORIGIN, HOSTILE).stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "row",
        "id",
        "theme",
        "title",
        "severity",
        "NPL 2025-09-30",
        "ATA 2025-11-30",
    ]
    assert {len(r) for r in rows} == {7}
    names = next(r for r in rows if r[:2] == ["profile", "country_name"])
    assert names[6].startswith("'=HYPERLINK(")
    overall = next(r for r in rows if r[:2] == ["score", "overall"])
    assert overall[5] and float(overall[5]) >= 0
    rule = next(r for r in rows if r[:2] == ["rule", "RIGHTS-010"])
    assert rule[6] == "waived"
    assert out.endswith("\n") and "\r" not in out


def test_same_country_and_date_twice_is_a_usage_error(cli, tmp_path) -> None:
    copy = tmp_path / "copy.yaml"
    shutil.copy(TRANSIT, copy)
    result = cli("compare", *TODAY, TRANSIT, copy)
    assert result.returncode == 2
    assert "MEX as of 2025-11-30" in result.stderr and "Traceback" not in result.stderr


def test_compare_usage_errors(cli, tmp_path) -> None:
    assert cli("compare", "--today", "June", ORIGIN).returncode == 2
    assert cli("compare", tmp_path / "missing.yaml").returncode == 2
    template = cli("compare", TEMPLATE)
    assert template.returncode == 2 and "placeholder" in template.stderr
    refused = cli("compare", *TODAY, "--output", ORIGIN, ORIGIN)
    assert refused.returncode == 2 and "refusing to overwrite" in refused.stderr


@pytest.mark.parametrize("fmt", ["markdown", "html", "csv", "json"])
def test_compare_is_deterministic(cli, cli_subprocess, tmp_path, fmt) -> None:
    # One run in a real process and one in this one: two hash seeds, so set order cannot leak.
    a = run_ok(cli_subprocess, "compare", "--format", fmt, *TODAY, *ALL).stdout
    b = run_ok(cli, "compare", "--format", fmt, *TODAY, *ALL).stdout
    assert a == b
    target = tmp_path / "out"
    run_ok(cli, "compare", "--format", fmt, "--output", target, *TODAY, *ALL)
    bom = "\ufeff" if fmt == "csv" else ""  # for Excel: in a file, not on standard output
    assert target.read_bytes() == (bom + a).encode("utf-8")


# --------------------------------------------------------------------------- diff


def _by_rule(diff):
    return {f["rule_id"]: f for f in diff["findings"]}


def test_not_applicable_stands_outside_the_order(cli, tmp_path) -> None:
    # The same profile, with immigration detention no longer used: COHERENCE-018 (children
    # detained only as a last resort) no longer applies. That is neither better nor worse.
    text = TRANSIT.read_text(encoding="utf-8")
    assert "\n  immigration_detention_used: yes\n" in text
    dropped = tmp_path / TRANSIT.name
    dropped.write_text(
        text.replace(
            "\n  immigration_detention_used: yes\n", "\n  immigration_detention_used: no\n"
        ),
        encoding="utf-8",
    )
    result = cli("diff", "--format", "json", *TODAY, TRANSIT, dropped)
    assert result.returncode == 0, result.stderr
    f = _by_rule(json.loads(result.stdout))["COHERENCE-018"]
    assert f["old_status"] not in ("not_applicable", "met")
    assert (f["new_status"], f["change"]) == ("not_applicable", "other")


def test_diff_categories(diffed) -> None:
    f = _by_rule(diffed)
    assert f["TRAFFIC-016"]["old_status"] == "partial" and f["TRAFFIC-016"]["new_status"] == "gap"
    assert f["TRAFFIC-016"]["change"] == "regressed" and f["TRAFFIC-016"]["decidability"] is None
    assert f["COORD-015"] | {} and (f["COORD-015"]["old_status"], f["COORD-015"]["new_status"]) == (
        "gap",
        "met",
    )
    assert f["COORD-015"]["change"] == "improved"
    assert (f["COHERENCE-013"]["old_status"], f["COHERENCE-013"]["new_status"]) == (
        "insufficient_data",
        "met",
    )
    assert (
        f["COHERENCE-013"]["change"] == "decidability"
        and f["COHERENCE-013"]["decidability"] == "newly_decidable"
    )
    # Answering a question is never a regression, even when the answer shows a partial.
    assert (f["RIGHTS-003"]["old_status"], f["RIGHTS-003"]["new_status"]) == (
        "insufficient_data",
        "partial",
    )
    assert (
        f["RIGHTS-003"]["change"] == "decidability"
        and f["RIGHTS-003"]["decidability"] == "newly_decidable"
    )
    counts = diffed["counts"]
    assert counts["regressed"] == sum(x["change"] == "regressed" for x in diffed["findings"])
    assert counts["newly_decidable"] == sum(
        x["decidability"] == "newly_decidable" for x in diffed["findings"]
    )
    assert diffed["has_regression"] is True
    assert diffed["old"]["as_of"] == "2024-06-30" and diffed["new"]["as_of"] == "2025-11-30"


def test_diff_newly_undecidable_the_other_way(cli) -> None:
    back = json.loads(run_ok(cli, "diff", "--format", "json", *TODAY, TRANSIT, TRANSIT_2024).stdout)
    f = _by_rule(back)
    assert (f["COHERENCE-013"]["old_status"], f["COHERENCE-013"]["new_status"]) == (
        "met",
        "insufficient_data",
    )
    assert (
        f["COHERENCE-013"]["decidability"] == "newly_undecidable"
        and f["COHERENCE-013"]["change"] == "decidability"
    )
    assert back["counts"]["newly_undecidable"] > 0
    assert any("before the old one" in n for n in back["notes"])


def test_diff_scores_and_answers(diffed) -> None:
    overall = diffed["scores"][-2]
    assert overall["theme"] == "overall" and diffed["scores"][-1]["theme"] == "coherence"
    assert overall["change"] == round(overall["new"]["score"] - overall["old"]["score"], 1)
    assert [s["theme"] for s in diffed["scores"]][:2] == ["rights", "data_collection"]
    answers = {a["path"]: a for a in diffed["answers"]}
    plan = answers["anti_trafficking.national_action_plan"]
    assert plan["old"] == {"state": "known", "value": "yes"}
    assert plan["new"] == {"state": "known", "value": "no"}
    lines = TRANSIT.read_text(encoding="utf-8").splitlines()
    assert lines[plan["line"] - 1].strip() == "national_action_plan:"
    social = answers["rights.social_security"]
    assert social["old"] == {"state": "unknown", "value": None}
    assert social["new"] == {"state": "known", "value": "partial"}
    assert lines[social["line"] - 1].strip() == "social_security: partial"
    crisis = answers["rights.crisis_displacement_measures"]
    assert (crisis["old"]["value"], crisis["new"]["value"]) == ("no", "partial")
    # Notes and evidence are not compared: only answers whose state or value changed.
    assert len(answers) == 24


def test_diff_text_and_markdown(cli) -> None:
    text = run_ok(cli, "diff", *TODAY, TRANSIT_2024, TRANSIT).stdout
    assert text.startswith("Mexico (MEX): ")
    assert "Regressed (" in text and "Improved (" in text and "Newly decidable (" in text
    assert (
        "TRAFFIC-016" in text
        and f"line {line_of(TRANSIT, 'national_action_plan:')}: "
        "anti_trafficking.national_action_plan: yes → no"
        in text
    )
    md = run_ok(cli, "diff", "--format", "markdown", *TODAY, TRANSIT_2024, TRANSIT).stdout
    assert md.startswith("# Policy coherence changes: Mexico (MEX), 2024-06-30 → 2025-11-30\n")
    for title in (
        "Summary",
        "Scores",
        "Regressed",
        "Improved",
        "Newly decidable",
        "Newly undecidable",
        "Other status changes",
        "Answers that changed",
    ):
        assert f"\n## {title}\n" in md


def test_fail_on_regression_exit_codes(cli) -> None:
    plain = cli("diff", *TODAY, TRANSIT_2024, TRANSIT)
    assert plain.returncode == 0, plain.stderr
    failing = cli("diff", "--fail-on-regression", *TODAY, TRANSIT_2024, TRANSIT)
    assert failing.returncode == 1
    assert failing.stdout == plain.stdout  # the report is still written
    assert "regressed" in failing.stderr and "TRAFFIC-016" in failing.stderr
    same = cli("diff", "--fail-on-regression", *TODAY, TRANSIT, TRANSIT)
    assert same.returncode == 0, same.stderr
    assert "No rule changed status." in same.stdout


def test_a_diff_running_backwards_in_time_is_warned_of(cli) -> None:
    """NEW older than OLD reads every improvement as a regression: said on stderr at once
    (and noted in the report), the earlier profile's order unwarned."""
    backwards = cli("diff", *TODAY, TRANSIT, TRANSIT_2024)
    assert backwards.returncode == 0
    assert (
        "warning: NEW" in backwards.stderr and "give the earlier profile first" in backwards.stderr
    )
    forwards = cli("diff", *TODAY, TRANSIT_2024, TRANSIT)
    assert "warning" not in forwards.stderr


def test_a_change_of_roles_is_named(cli, tmp_path) -> None:
    """Roles decide which rules apply: a diff whose changes come from them says so."""
    moved = tmp_path / "destination.yaml"
    text = TRANSIT.read_text(encoding="utf-8")
    assert "roles: [transit, origin]" in text
    moved.write_text(text.replace("roles: [transit, origin]", "roles: [destination]"), "utf-8")
    result = cli("diff", *TODAY, TRANSIT, moved, "-f", "json")
    notes = json.loads(result.stdout)["notes"]
    assert any("roles changed from transit, origin to destination" in n for n in notes)
    same = cli("diff", *TODAY, TRANSIT_2024, TRANSIT, "-f", "json")
    assert not any("roles changed" in n for n in json.loads(same.stdout)["notes"])


def test_diff_of_two_countries_is_a_usage_error(cli) -> None:
    result = cli("diff", *TODAY, ORIGIN, TRANSIT)
    assert result.returncode == 2
    assert "NPL" in result.stderr and "MEX" in result.stderr and "same country" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_diff_usage_errors(cli, tmp_path) -> None:
    assert cli("diff", TRANSIT).returncode == 2
    assert cli("diff", TRANSIT, tmp_path / "missing.yaml").returncode == 2
    assert cli("diff", PROFILES, TRANSIT).returncode == 2
    refused = cli("diff", "--output", TRANSIT, *TODAY, TRANSIT_2024, TRANSIT)
    assert refused.returncode == 2 and "refusing to overwrite" in refused.stderr


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff_is_deterministic(cli, cli_subprocess, tmp_path, fmt) -> None:
    # One run in a real process and one in this one: two hash seeds, so set order cannot leak.
    a = run_ok(cli_subprocess, "diff", "--format", fmt, *TODAY, TRANSIT_2024, TRANSIT).stdout
    b = run_ok(cli, "diff", "--format", fmt, *TODAY, TRANSIT_2024, TRANSIT).stdout
    assert a == b
    target = tmp_path / "out"
    run_ok(cli, "diff", "--format", fmt, "--output", target, *TODAY, TRANSIT_2024, TRANSIT)
    assert target.read_bytes() == a.encode("utf-8")


def test_diff_assesses_each_profile_once_and_computes_no_facts_of_its_own(monkeypatch) -> None:
    """One pass per profile: `diff` loads each profile once and compares the answers its
    assessment keeps; the report is the committed example, byte for byte."""
    import coherence.api
    import coherence.facts
    import coherence.profile.validate
    from tests.conftest import ROOT, run_in_process

    calls: dict[str, int] = {"facts": 0, "load": 0}
    facts, load = coherence.facts.profile_facts, coherence.profile.validate.load_profile

    def counted_facts(*args, **kwargs):
        calls["facts"] += 1
        return facts(*args, **kwargs)

    def counted_load(*args, **kwargs):
        calls["load"] += 1
        return load(*args, **kwargs)

    monkeypatch.setattr(coherence.facts, "profile_facts", counted_facts)
    monkeypatch.setattr(coherence.api, "profile_facts", counted_facts)
    monkeypatch.setattr(coherence.profile.validate, "load_profile", counted_load)
    old, new = "profiles/example-transit-2024.yaml", "profiles/example-transit.yaml"
    args = ("diff", "--format", "markdown", "--engine", "reference", *TODAY, old, new)
    result = run_in_process(*args)
    assert result.returncode == 0, result.stderr
    assert calls == {"facts": 2, "load": 2}  # one assessment per profile, nothing more
    expected = ROOT / "examples" / "reports" / "diff-example-transit.md"
    assert result.stdout == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_diff_lists_other_changes_even_when_no_status_changes(cli, tmp_path, fmt) -> None:
    """Attack round 2 §18: a new article of the Labour Act, a rewritten note, a renamed
    ministry, another preparer and a ratification date were invisible to `diff`."""
    text = ORIGIN.read_text(encoding="utf-8")
    for old, new in (
        ("article: Sec. 6\n", "article: Sec. 99\n"),
        ("labour_ministry: Ministry of Labour, Employment and Social Security (illustrative)",
         "labour_ministry: Ministry of Labour and Employment (illustrative)"),
        ("prepared_by: Foreign Employment Policy Unit", "prepared_by: Planning Unit"),
        ("    date: 1991-04-22\n", "    date: 1991-04-23\n"),
    ):  # fmt: skip
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    changed = tmp_path / "origin-next.yaml"
    changed.write_text(text, encoding="utf-8")
    result = cli("diff", "-f", fmt, "-o", "-", ORIGIN, changed)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        others = {o["path"]: o for o in json.loads(out)["other_changes"]}
        assert set(others) == {
            "rights.equal_treatment.evidence.0",
            "institutions.labour_ministry",
            "prepared_by",
            "instruments.cedaw.date",
        }
        assert "Sec. 99" in others["rights.equal_treatment.evidence.0"]["new"]
        assert others["prepared_by"]["new"].startswith("Planning Unit")
        return
    assert "No rule changed status" in out and "4 other changes" in out
    for words in ("Sec. 99", "Ministry of Labour and Employment (illustrative)", "1991-04-23"):
        assert words in out, words
    assert "institutions.labour_ministry" in out and "rights.equal_treatment.evidence.0" in out
