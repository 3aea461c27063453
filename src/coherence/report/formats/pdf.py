"""The gap report as PDF: the HTML report as printed, laid out by WeasyPrint.

WeasyPrint is an optional extra (`pip install "coherence[pdf]"`): it needs the Pango
libraries of the system, which a server or a Windows machine may lack, and the HTML report
prints the same pages from any browser. The PDF is the printed report (see `render_html`):
the summary, the action plan, the contradictions and the decided findings, with the
undecided, met and not applicable rules as compact tables; `appendix` adds every rule in
full, quotations included, at the end of each report.

WeasyPrint fetches nothing: the report is self-contained, and a resource that a template
from a `template_dir` might name (an image, a style sheet) is refused, as the HTML report's
Content-Security-Policy refuses it in a browser.

WeasyPrint lays out the whole document in memory, about 120 MiB a profile: `check` refuses
a PDF of more profiles than the registry's `most_profiles` (20) before any work, and names
the way round (`too_many`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from coherence.findings import Assessment
from coherence.report.formats import FormatError, GapOptions
from coherence.report.formats.html import describe_template_error, render_html

INSTALL_COMMAND = 'pip install "coherence[pdf]"'
"""How to install the optional extra that `--format pdf` needs."""


PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
"""The Debian and Ubuntu packages of the system libraries WeasyPrint loads."""


class PdfUnavailable(RuntimeError):
    """WeasyPrint, or the system libraries it loads, cannot be used: the message says why
    and what to install."""


def load_weasyprint() -> Any:
    """The `weasyprint` module, or `PdfUnavailable` with the command that installs it."""
    try:
        import weasyprint
    except ImportError:
        raise PdfUnavailable(
            f"the PDF report needs WeasyPrint, an optional extra: install it with "
            f"`{INSTALL_COMMAND}`, or write --format html and print it from a browser"
        ) from None
    except OSError as exc:  # WeasyPrint is there, the Pango libraries are not
        raise PdfUnavailable(
            f"WeasyPrint cannot load the system libraries it needs ({exc}); install Pango "
            f"(on Debian or Ubuntu: apt-get install {PANGO_PACKAGES}), or write --format "
            "html and print it from a browser"
        ) from None
    return weasyprint


def too_many(count: int) -> str:
    """Why `check` refuses a PDF of `count` profiles, more than the registry's `most_profiles`
    for PDF. WeasyPrint lays out the whole document in memory: generated profiles took
    758 MiB and 48 s of CPU for 5 profiles, 2,543 MiB and 181 s for 20, about 120 MiB and 9 s
    more a profile, so 200 profiles would need the 24 GB of the machine measured and 10,000
    more than a terabyte and a day. Laid out profile by profile and joined, the PDF would
    still take that day, and lose its contents' links; one document of thousands of reports
    is not what anyone prints or hands over."""
    from coherence.report.formats import get_format

    most = get_format("pdf").most_profiles
    return (
        f"a PDF report holds at most {most} profiles, not {count:,}: WeasyPrint lays out the "
        f"whole document in memory (about 120 MiB a profile); check at most {most} profiles "
        "per PDF, or write --format html (one file, printable from a browser)"
    )


def _refusing_fetcher(weasyprint: Any) -> Any:
    """A URL fetcher that fetches nothing, for the API of the installed WeasyPrint."""
    fetcher_class = getattr(getattr(weasyprint, "urls", None), "URLFetcher", None)
    if fetcher_class is not None:  # WeasyPrint 68 and later: a fetcher object
        return fetcher_class(allowed_protocols=())

    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:  # 63 to 67: a function
        raise ValueError(f"the PDF report loads no resource: {url}")

    return refuse


def render_pdf(
    assessments: Sequence[Assessment],
    template_dir: Path | None = None,
    *,
    appendix: bool = False,
) -> bytes:
    """The gap reports of the assessments as one A4 PDF (the printed HTML report).

    Raises `PdfUnavailable` without WeasyPrint, and Jinja2's `TemplateError` for a broken
    template in `template_dir`, as `render_html` does.
    """
    weasyprint = load_weasyprint()
    html = render_html(assessments, template_dir, appendix=appendix)
    document = weasyprint.HTML(string=html, url_fetcher=_refusing_fetcher(weasyprint))
    return document.write_pdf()


# ---------------------------------------------------------------- the registry's entry points


def preflight() -> None:
    """Refuse before any work when WeasyPrint (the optional extra) is not installed."""
    try:
        load_weasyprint()
    except PdfUnavailable as exc:
        raise FormatError(str(exc)) from exc


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> bytes:
    """The printable gap report as PDF."""
    try:
        return render_pdf(assessments, options.template_dir, appendix=options.appendix)
    except PdfUnavailable as exc:
        raise FormatError(str(exc)) from exc
    except TemplateError as exc:
        raise FormatError(describe_template_error(exc, options.template_dir)) from exc


def gap_piece(assessment: Assessment, options: GapOptions) -> Assessment:
    """One profile's assessment, as it is (kept on disk by `check`, as for HTML): the PDF is
    laid out whole, from the HTML rendered report by report when the document is made."""
    return assessment


def gap_document(pieces: Sequence[Assessment], options: GapOptions) -> Iterator[bytes]:
    """The PDF of every profile's assessment (read one at a time from `check`'s spool while
    the HTML is rendered), as one block of bytes. WeasyPrint lays out the whole document in
    memory: that, not the assessments, is what a PDF of many profiles holds, and why `check`
    refuses more than `most_profiles` (`too_many`)."""
    yield render_gap(pieces, options)
