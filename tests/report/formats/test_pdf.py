"""`coherence check --format pdf`: the printed report through WeasyPrint, an optional extra.

Without WeasyPrint (or without the Pango libraries it loads) the format exits 2 with the
install command; with it, the destination example is an A4 PDF of at most 30 pages. The
tests that need WeasyPrint are skipped without it, unless COHERENCE_REQUIRE_PDF=1 (as in
CI), when they fail.
"""

from __future__ import annotations

import builtins
import os
import sys
from pathlib import Path

import pytest

from coherence.findings import Assessment
from coherence.report.formats import pdf as pdf_module
from tests.conftest import PROFILES
from tests.report.conftest import TODAY
from tests.report.pdf_support import page_count

DESTINATION = PROFILES / "example-destination.yaml"
DAY = ("--today", TODAY.isoformat())


@pytest.fixture
def weasyprint():
    """The installed WeasyPrint, or a skip (a failure with COHERENCE_REQUIRE_PDF=1)."""
    try:
        return pdf_module.load_weasyprint()
    except pdf_module.PdfUnavailable as exc:
        if os.environ.get("COHERENCE_REQUIRE_PDF") == "1":
            pytest.fail(f"{exc}, and COHERENCE_REQUIRE_PDF=1 requires the PDF tests")
        pytest.skip(f"{exc}: PDF tests skipped (set COHERENCE_REQUIRE_PDF=1 to fail)")


@pytest.fixture
def no_weasyprint(monkeypatch):
    """WeasyPrint cannot be imported, as when the extra is not installed."""
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(builtins, "__import__", refuse)


def test_without_the_extra_pdf_exits_2_with_the_install_command(
    no_weasyprint, cli, tmp_path: Path
) -> None:
    target = tmp_path / "report.pdf"
    result = cli("check", *DAY, DESTINATION, "--format", "pdf", "-o", target)
    assert result.returncode == 2
    assert 'pip install "coherence[pdf]"' in result.stderr
    assert "--format html" in result.stderr  # and the way round it
    assert not target.exists()
    # The file name alone asks for the format.
    inferred = cli("check", *DAY, DESTINATION, "-o", target)
    assert inferred.returncode == 2 and "coherence[pdf]" in inferred.stderr
    assert list(tmp_path.iterdir()) == []


def test_without_pango_the_message_names_the_system_packages(monkeypatch) -> None:
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(pdf_module.PdfUnavailable) as caught:
        pdf_module.load_weasyprint()
    assert "libpango-1.0-0" in str(caught.value)
    assert pdf_module.PANGO_PACKAGES in str(caught.value)


def test_destination_example_as_pdf_has_at_most_30_pages(weasyprint, cli, tmp_path: Path) -> None:
    target = tmp_path / "destination.pdf"
    result = cli("check", *DAY, DESTINATION, "--format", "pdf", "-o", target)
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = page_count(data)
    assert 8 <= pages <= 30, f"{pages} pages"


def test_pdf_fetches_nothing(weasyprint, tmp_path: Path, destination: Assessment) -> None:
    # A consultant's template naming a local style sheet, which WeasyPrint would read by
    # default: it would put each paragraph on a page of its own.
    sheet = tmp_path / "x.css"
    sheet.write_text("p { break-after: page }", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text(
        '{% extends "coherence/report.html.j2" %}'
        f'{{% block head_extra %}}<link rel="stylesheet" href="{sheet.as_uri()}">{{% endblock %}}'
        "{% block body %}<p>one</p><p>two</p><p>three</p>{% endblock %}",
        encoding="utf-8",
    )
    html = pdf_module.render_html([destination], templates)
    assert page_count(weasyprint.HTML(string=html).write_pdf()) == 3  # fetched by default
    assert page_count(pdf_module.render_pdf([destination], templates)) == 1


def test_check_keeps_no_assessment_in_memory_for_the_pdf_report(origin, catalogue) -> None:
    """What `check` keeps of a profile for `--format pdf` goes to its on-disk spool (as for
    HTML), not the list of assessments held in memory."""
    from coherence.cli.checkpieces import CheckPieces
    from coherence.report.formats import get_format

    assert get_format("pdf").pieces
    kept = CheckPieces(("pdf",))(None, origin, catalogue)
    assert kept.assessment is None
    assert kept.pieces["pdf"] is origin


def test_the_pdf_is_made_from_the_spooled_assessments(weasyprint, examples, monkeypatch) -> None:
    """The document is the HTML of every spooled assessment, read one at a time."""
    from coherence.cli.spool import SpooledList
    from coherence.report.formats import GapOptions

    spool = SpooledList()
    several = list(examples.values())[:2]
    for a in several:
        spool.append(pdf_module.gap_piece(a, GapOptions()))
    laid_out: list[str] = []
    monkeypatch.setattr(
        weasyprint, "HTML", lambda string, url_fetcher: laid_out.append(string) or _Doc()
    )
    assert b"".join(pdf_module.gap_document(spool, GapOptions())) == b"%PDF-stub"
    from coherence.report.formats.html import render_html

    assert laid_out == [render_html(several)]


class _Doc:
    def write_pdf(self) -> bytes:
        return b"%PDF-stub"


def _copies(folder: Path, count: int) -> Path:
    """`count` profiles (copies of the destination example) in `folder`."""
    folder.mkdir()
    text = DESTINATION.read_text(encoding="utf-8")
    for i in range(count):
        (folder / f"profile-{i:03}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_more_profiles_than_a_pdf_holds_are_refused_before_any_work(
    cli, tmp_path: Path, monkeypatch
) -> None:
    """WeasyPrint lays out the whole document in memory (about 140 MiB a profile): a PDF of
    more profiles than the registry's `most_profiles` is refused at once, exit 2, with the
    way round; no report is written, not even one in another format asked in the same run."""
    from coherence.cli import main as main_module
    from coherence.report.formats import get_format

    monkeypatch.setattr(pdf_module, "preflight", lambda: None)  # with or without the extra

    def no_work(*args, **kwargs):
        raise AssertionError("the profiles were assessed")

    monkeypatch.setattr(main_module, "prepare_assessor", no_work)
    most = get_format("pdf").most_profiles
    folder = _copies(tmp_path / "profiles", most + 1)
    pdf, html = tmp_path / "report.pdf", tmp_path / "report.html"
    result = cli("check", *DAY, folder, "-f", "pdf", "-o", pdf, "-f", "html", "-o", html)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert message == f"coherence: error: {pdf_module.too_many(most + 1)}"
    assert "\n" not in message
    assert f"at most {most} profiles, not {most + 1}" in message
    assert "--format html" in message
    assert not pdf.exists() and not html.exists()
    inferred = cli("check", *DAY, folder, "-o", pdf)  # the file name alone asks for a PDF
    assert inferred.returncode == 2 and inferred.stderr.strip() == message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles"]


def test_as_many_profiles_as_a_pdf_holds_are_taken(cli, tmp_path: Path, monkeypatch) -> None:
    import typer

    from coherence.cli import main as main_module
    from coherence.report.formats import get_format

    monkeypatch.setattr(pdf_module, "preflight", lambda: None)

    def to_work(*args, **kwargs):
        raise typer.Exit(42)  # past the refusal: the profiles would now be assessed

    monkeypatch.setattr(main_module, "prepare_assessor", to_work)
    folder = _copies(tmp_path / "profiles", get_format("pdf").most_profiles)
    result = cli("check", *DAY, folder, "-o", tmp_path / "report.pdf")
    assert result.returncode == 42, result.stderr
