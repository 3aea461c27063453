"""The review trail: validation needs every section reviewed; reports show what to settle;
`diff` between two rounds shows who changed what."""

from __future__ import annotations

import json
import re

from coherence.profile.model import REVIEW_SECTIONS
from tests.conftest import FIXTURES, PROFILES, line_of
from tests.gapjson import assessment
from tests.questionnaire.workbooks import fill, load_answers

REVIEWED = "\n".join(
    f"  {s}: {{owner: Ministry, reviewed_by: A. Reviewer, reviewed_on: 2025-06-01}}"
    for s in REVIEW_SECTIONS
)


RIGHTS_REVIEWED_OLD_LAW = (
    "rights:\n"
    "  equal_treatment: {answer: yes, evidence: [{title: Labour Act, date: 2009}]}\n"
    "reviews:\n"
    "  rights: {owner: Ministry of Interior, reviewed_by: J. Doe, reviewed_on: 2025-06-01}\n"
)
"""Only rights reviewed; one law dated more than five years before as_of (2025-06-30)."""


def _profile(tmp_path, body: str, name: str = "p.yaml"):
    path = tmp_path / name
    path.write_text(
        "format_version: 2\ncountry: {code: NPL, name: Nepal}\nas_of: 2025-06-30\n"
        "prepared_by: Ministry\nroles: [origin]\n" + body,
        encoding="utf-8",
    )
    return path


def test_validated_is_refused_until_every_section_is_reviewed(cli, tmp_path):
    partly = REVIEWED.replace(
        "  context: {owner: Ministry, reviewed_by: A. Reviewer, reviewed_on: 2025-06-01}",
        "  context: {owner: Ministry}",
    )
    path = _profile(tmp_path, f"review_status: validated\nreviews:\n{partly}\n")
    result = cli("validate", path)
    assert result.returncode == 1
    line = line_of(path, "review_status: validated")
    assert f"p.yaml:{line}:" in result.stdout + result.stderr
    message = next(x for x in (result.stdout + result.stderr).splitlines() if "validated" in x)
    assert "and context has none" in message  # only the section not reviewed is named
    assert "rights" not in message and "instruments" not in message
    ok = _profile(tmp_path, f"review_status: validated\nreviews:\n{REVIEWED}\n", "ok.yaml")
    assert cli("validate", ok).returncode == 0
    # A draft needs no review.
    assert cli("validate", _profile(tmp_path, "review_status: draft\n", "d.yaml")).returncode == 0


def test_the_report_lists_unreviewed_sections_and_old_evidence(cli, tmp_path):
    body = (
        "review_status: inter_ministerial_review\n"
        "rights:\n"
        "  equal_treatment:\n"
        "    answer: yes\n"
        "    evidence: [{title: Labour Act, date: 2009}]\n"
        "  health_care:\n"
        "    answer: yes\n"
        "    evidence: [{title: Health Act, date: 2024-01-15}]\n"
        "labour_channels:\n"
        "  bilateral_agreements:\n"
        "    answer: yes\n"
        "    practice: partial\n"
        "    practice_evidence: [{title: Old MoU review, date: 2001-05}]\n"
        "reviews:\n"
        "  rights: {owner: Ministry of Interior, reviewed_by: J. Doe, reviewed_on: 2025-06-01}\n"
    )
    path = _profile(tmp_path, body)
    out = tmp_path / "r.json"
    assert cli("check", path, "--format", "json", "-o", out).returncode == 0
    review = assessment(out.read_text(encoding="utf-8"))["review"]
    assert review["unreviewed"] == [s for s in REVIEW_SECTIONS if s != "rights"]
    rights = next(s for s in review["sections"] if s["section"] == "rights")
    assert rights == {
        "section": "rights",
        "owner": "Ministry of Interior",
        "reviewed_by": "J. Doe",
        "reviewed_on": "2025-06-01",
        "reviewed": True,
    }
    # 2009 is more than 5 years (config/review.yaml) before as_of 2025-06-30; 2024 is not.
    assert review["evidence_max_age_years"] == 5
    assert [(e["path"], e["title"], e["kind"], e["line"]) for e in review["old_evidence"]] == [
        ("rights.equal_treatment", "Labour Act", "law", line_of(path, "Labour Act")),
        (
            "labour_channels.bilateral_agreements",
            "Old MoU review",
            "practice",
            line_of(path, "Old MoU review"),
        ),
    ]


def test_diff_between_two_rounds_shows_who_changed_what(cli, tmp_path):
    identity = load_answers(FIXTURES / "questionnaire" / "official-clean.yaml")["labour"]["Profile"]
    rounds = []
    for year, answer, who in (("2024", "no", "R. Thapa"), ("2025", "partial", "S. Gurung")):
        book = tmp_path / f"round-{year}.xlsx"
        assert cli("questionnaire", "-o", book).returncode == 0
        fill(
            book,
            {
                "Profile": {**identity, "as_of": {"Answer": f"{year}-06-30"}},
                "Labour channels": {
                    "labour_channels.recruitment_fee_ban": {"Answer": answer, "Answered by": who},
                    "labour_channels.welfare_fund": {"Answer": "yes", "Answered by": "R. Thapa"},
                },
            },
        )
        out = tmp_path / f"round-{year}.yaml"
        assert cli("import", book, "-o", out).returncode == 0
        rounds.append(out)
    text = cli("diff", *rounds)
    assert text.returncode in (0, 1), text.stderr
    changed = [line for line in text.stdout.splitlines() if "recruitment_fee_ban" in line]
    assert changed and "(answered by S. Gurung)" in changed[-1]
    assert not [line for line in text.stdout.splitlines() if "welfare_fund" in line]
    md = cli("diff", *rounds, "--format", "markdown")
    assert re.search(r"\| Answered by \|", md.stdout)
    assert "S. Gurung" in md.stdout
    data = json.loads(cli("diff", *rounds, "--format", "json").stdout)
    fee = next(a for a in data["answers"] if a["path"].endswith("recruitment_fee_ban"))
    assert fee["answered_by"] == "S. Gurung"


def test_bundled_validated_example_carries_its_review_trail(cli):
    result = cli("validate", PROFILES / "example-origin.yaml")
    assert result.returncode == 0


def test_the_terminal_summary_says_what_to_review(cli, tmp_path):
    path = _profile(tmp_path, RIGHTS_REVIEWED_OLD_LAW)
    out = cli("check", path).stdout
    assert "Review: 1 of 7 sections reviewed; to review before validation: Instruments, " in out
    assert "Anti-trafficking, Interagency coordination and Context." in out
    line = line_of(path, "Labour Act")
    assert f"{path}:{line} rights.equal_treatment: Labour Act (2009)" in out


def test_markdown_and_html_reports_show_each_sections_review(cli, tmp_path):
    path = _profile(tmp_path, RIGHTS_REVIEWED_OLD_LAW)
    md = cli("check", path, "--format", "markdown").stdout
    section = md.split("## Review before validation", 1)[1].split("\n## ", 1)[0]
    assert "| Rights | Ministry of Interior | J. Doe | 2025-06-01 |" in section
    assert "| Context | — | — | **not reviewed** |" in section
    assert (
        f"| `rights.equal_treatment` | Labour Act | 2009 | law | {line_of(path, 'Labour Act')} |"
        in section
    )
    html = cli("check", path, "--format", "html").stdout
    review = html.split('id="review"', 1)[1].split("</section>", 1)[0]
    assert (
        '<th scope="row">Rights</th><td>Ministry of Interior</td><td>J. Doe</td><td>2025-06-01</td>'
        in review
    )
    assert review.count("<strong>not reviewed</strong>") == 6


def test_a_document_dated_after_the_profile_is_questioned(cli, tmp_path):
    """A law of 2100 cannot show the policy of 2025: most likely a slip in the date (it was
    never questioned; found by an attack round). One notice, at the document's line."""
    body = (
        "rights:\n"
        "  equal_treatment:\n"
        "    answer: yes\n"
        "    evidence: [{title: Labour Act, date: 2100-12-31}, {title: Health Act, date: 2024}]\n"
    )
    path = _profile(tmp_path, body)
    out = tmp_path / "r.json"
    assert cli("check", path, "--format", "json", "-o", out).returncode == 0
    notices = json.loads(out.read_text(encoding="utf-8"))["assessments"][0]["notices"]
    late = [n for n in notices if n["code"] == "evidence-after-as-of"]
    assert [
        (n["line"], "Labour Act" in n["message"], "2100-12-31" in n["message"]) for n in late
    ] == [(line_of(path, "Labour Act"), True, True)]


def test_a_profile_dated_after_the_check_is_questioned(cli, tmp_path):
    """as_of 2052 for 2025 was taken without a word, and every document counted as old back
    from 2052 (attack round 4, second pass). One notice at as_of's line; none on the day."""
    path = _profile(tmp_path, RIGHTS_REVIEWED_OLD_LAW)

    def notices(today: str) -> list[dict]:
        result = cli("check", path, "--format", "json", "--today", today)
        assert result.returncode == 0, result.stderr
        found = assessment(result.stdout)["notices"]
        return [n for n in found if n["code"] == "as-of-after-today"]

    (late,) = notices("2025-06-29")
    assert late["line"] == line_of(path, "as_of:")
    assert (
        "The profile describes 2025-06-30, a day after today (2025-06-29): check as_of"
        in (late["message"])
    )
    assert notices("2025-06-30") == []


def test_an_old_implementing_law_is_listed_but_not_the_instrument_of_ratification(cli, tmp_path):
    """A real-country review: an old labour law was listed under rights but the 2010 law that
    implements a Convention, given under the instrument, never was."""
    body = (
        "instruments:\n"
        "  cedaw:\n"
        "    status: ratified\n"
        "    date: 1981\n"
        "    evidence: [{title: Instrument of ratification, date: 1981-08-05}]\n"
        "    incorporated_in_law:\n"
        "      answer: yes\n"
        "      evidence: [{title: Magna Carta of Women, date: 2009-08-14}]\n"
    )
    path = _profile(tmp_path, body)
    report = assessment(cli("check", path, "--format", "json").stdout)
    old = [(e["path"], e["title"], e["line"]) for e in report["review"]["old_evidence"]]
    assert old == [
        (
            "instruments.cedaw.incorporated_in_law",
            "Magna Carta of Women",
            line_of(path, "Magna Carta of Women"),
        )
    ]
    text = " ".join(cli("check", path).stdout.split())
    assert "confirm that none has been amended or replaced since" in text
