"""HTML: the gap report and the comparison, each one self-contained file.

Jinja2 templates with autoescaping lay out the view model of `coherence.report.views.gap`.
The file loads nothing: the CSS is inline, the chart is inline SVG, there is no script,
and a Content-Security-Policy forbids every resource in case a template is edited.

A consultant can restyle the report without touching the package: `template_dir` is
searched first, so a `styles.css.j2` (or any other template) placed there replaces the
packaged one; a template there can also extend the packaged one by its prefixed name,
e.g. `{% extends "coherence/report.html.j2" %}` and override `{% block styles %}`.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.loaders import split_template_path
from jinja2.sandbox import SecurityError

from coherence.findings import Assessment
from coherence.report.formats import FormatError, GapOptions
from coherence.report.formats.sandbox import (
    STEP_LIMIT,
    EndlessTemplate,
    GuardedEnvironment,
    endless,
    template_fault,
)
from coherence.report.views.captions import CAPTIONS
from coherence.report.views.comparison import (
    COMPARE_SECTIONS,
    COMPARE_TITLES,
    METHOD_TEXT,
    Comparison,
    class_legend_text,
    domain_cell_text,
    domain_legend_text,
)
from coherence.report.views.comparison_parts import CHANGE_MARKS
from coherence.report.views.findings import anchor_id
from coherence.report.views.gap import SECTIONS, Report, build_header, build_report
from coherence.report.views.scores import ScoreRow

TEMPLATES_DIR = Path(__file__).parents[1] / "templates"
"""The packaged templates (`report.html.j2` and its partials)."""


MAIN_TEMPLATE = "report.html.j2"


APPENDIX_TITLE = "Appendix: every rule in full"
"""The heading of the printed appendix (see `render_html`)."""


# Bar colours by band; each has at least 3:1 contrast on white, and the band (with the
# coverage) is always written next to the bar as well. A score that is not classified gets
# no coloured bar: only an outline and the questions to answer.
CLASS_COLOURS = {4: "#1d6b43", 3: "#2b5f9e", 2: "#9a6200", 1: "#b3261e"}


# Chart geometry (SVG user units).
_WIDTH = 1000


_LABEL_RIGHT = 206


_BAR_LEFT = 220


_BAR_SPAN = 300


_VALUE_X = _BAR_LEFT + _BAR_SPAN + 14


_TOP = 30


_ROW = 32


_BAR_HEIGHT = 18


@dataclass(frozen=True)
class Tick:
    """A vertical grid line of the chart."""

    value: int
    x: float
    cutoff: bool


@dataclass(frozen=True)
class Bar:
    """One theme's bar."""

    name: str
    y: float
    text_y: float
    width: float | None
    fill: str
    value_text: str
    overall: bool


@dataclass(frozen=True)
class Chart:
    """The geometry of a report's theme-score bar chart."""

    id: str
    width: int
    height: int
    label_right: int
    bar_left: int
    bar_span: int
    bar_height: int
    value_x: int
    axis_top: int
    axis_bottom: float
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]
    description: str


def _value_text(row: ScoreRow) -> str:
    """The score with its coverage, and the band or why there is none."""
    if row.score is None or not row.classified:
        return f"no score · coverage {row.coverage_text} · {row.band_text}"
    return f"{row.score_text} · coverage {row.coverage_text} · band {row.band}, {row.band_label}"


def build_chart(report: Report) -> Chart:
    """The bar chart of the theme scores, overall, then consistency across themes.

    Only a classified score gets a filled bar: a score on too little data is not drawn, so a
    bar never looks like a result the data cannot carry.
    """
    summary = report.summary
    rows = list(summary.score_rows)
    bars = []
    gap = 0
    for i, row in enumerate(rows):
        overall = row is summary.overall
        if overall or row is summary.consistency:
            gap += 10
        y = _TOP + 10 + i * _ROW + gap
        drawn = row.classified and row.score is not None
        width = round(_BAR_SPAN * row.score / 100, 1) if drawn and row.score is not None else None
        bars.append(
            Bar(
                name=row.name,
                y=y,
                text_y=y + _BAR_HEIGHT - 4,
                width=width,
                fill=CLASS_COLOURS.get(row.band or 0, "#4a5568"),
                value_text=_value_text(row),
                overall=overall,
            )
        )
    bottom = bars[-1].y + _BAR_HEIGHT + 8
    cutoffs = {int(c.minimum) for c in report.method.bands if 0 < c.minimum < 100}
    ticks = tuple(
        Tick(v, round(_BAR_LEFT + _BAR_SPAN * v / 100, 1), v in cutoffs)
        for v in sorted({0, 100} | cutoffs)
    )
    description = "; ".join(f"{r.name}: {_value_text(r)}" for r in rows) + "."
    return Chart(
        id=anchor_id(report.anchor, "chart"),
        width=_WIDTH,
        height=int(bottom + 6),
        label_right=_LABEL_RIGHT,
        bar_left=_BAR_LEFT,
        bar_span=_BAR_SPAN,
        bar_height=_BAR_HEIGHT,
        value_x=_VALUE_X,
        axis_top=_TOP - 6,
        axis_bottom=bottom,
        ticks=ticks,
        bars=tuple(bars),
        description=description,
    )


class _InputLoader(FileSystemLoader):
    """A `FileSystemLoader` that reads templates as inputs: regular files only (a FIFO or a
    device named like a template is refused, never read), within the size limit."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        from coherence.diagnostics import InputError
        from coherence.textinput import read_limited

        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = os.path.join(searchpath, *pieces)
            if not os.path.lexists(filename):
                continue
            try:
                raw = read_limited(Path(filename), TEMPLATE_MAX_BYTES)
                source = raw.decode(self.encoding)
            except OSError as exc:
                raise TemplateError(f"{filename}: cannot read: {exc.strerror or exc}") from None
            except InputError as exc:
                raise TemplateError(f"{filename}: {exc.diagnostics[0].message}") from None
            except UnicodeDecodeError:
                raise TemplateError(f"{filename}: not UTF-8 text") from None
            mtime = os.path.getmtime(filename)

            def uptodate(filename: str = filename, mtime: float = mtime) -> bool:
                try:
                    return os.path.getmtime(filename) == mtime
                except OSError:
                    return False

            return source, os.path.normpath(filename), uptodate
        raise TemplateNotFound(template)


TEMPLATE_MAX_BYTES = 1024 * 1024
"""Largest template read from a `template_dir`."""


def make_environment(template_dir: Path | None = None) -> Environment:
    """The Jinja2 environment: `template_dir` first, then the packaged templates.

    The packaged templates are also reachable as `coherence/<name>`, so that a template in
    `template_dir` can extend the one it replaces. Autoescaping is on for every template.
    Templates run in Jinja2's sandbox: a template from a `template_dir` is someone else's
    code, and may lay out the report but not reach Python's internals (and so the system);
    its renders are bounded (`coherence.report.formats.sandbox`).
    """
    packaged = FileSystemLoader(str(TEMPLATES_DIR))
    loaders: list[BaseLoader] = []
    if template_dir is not None:
        loaders.append(_InputLoader(str(template_dir)))
    loaders += [packaged, PrefixLoader({"coherence": packaged})]
    env = GuardedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "svg", "j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["rid"] = anchor_id
    env.globals["in_appendix"] = False
    env.globals["appendix"] = False
    env.globals["appendix_title"] = APPENDIX_TITLE
    return env


def describe_template_error(exc: TemplateError, template_dir: Path | None = None) -> str:
    """One sentence for a template that cannot be used, located at `file:line` if possible.

    A syntax error carries its own location; an error while rendering (an undefined name,
    an operation the sandbox forbids) is located from the template frames of its traceback.
    """
    if isinstance(exc, EndlessTemplate):
        return str(exc.message)
    reason = " ".join(str(exc.message or type(exc).__name__).split())
    if isinstance(exc, SecurityError):
        reason = f"the sandbox forbids this: {reason}"
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}: template error: {reason}"
    if isinstance(exc, TemplateNotFound):
        where = f" (in {template_dir} or the packaged templates)" if template_dir else ""
        return f"template {exc.name!r} not found{where}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}: template error: {reason}"
    return f"template error: {reason}"


def render_html(
    assessments: Sequence[Assessment],
    template_dir: Path | None = None,
    *,
    appendix: bool = False,
) -> str:
    """The gap reports of the assessments as one self-contained HTML document.

    One report is the whole document (its title is the `<h1>`); several reports share one
    `<h1>` and each becomes an `<article>` with the headings one level down.
    `template_dir` holds templates that replace the packaged ones of the same name.

    On screen every finding is shown in full. Printed (or as PDF), the report keeps the
    summary, the action plan, the contradictions and the decided findings (gaps, partly met,
    waived) without their quoted passages; undecided rules shrink to a table of the
    questions to answer, met and not applicable ones to a table of ids. With `appendix`, an
    appendix printed at the end of each report (and hidden on screen, where it would repeat
    the findings) holds every applicable rule in full, quotations included: for a reader
    who must check the evidence on paper.
    """
    return "".join(html_chunks(assessments, template_dir, appendix=appendix))


class _LazyReport:
    """One assessment's `Report` for the template, built whole when the template first reads
    more than its anchor and header: the table of contents reads only those, so each report
    is built once (for its body), not once more for the contents. Read as the `Report`."""

    def __init__(self, assessment: Assessment, anchor: str) -> None:
        self.anchor = anchor
        self._assessment = assessment
        self._header: Any = None
        self._report: Report | None = None

    @property
    def header(self) -> Any:
        """The report's header (built alone until the report is)."""
        if self._report is not None:
            return self._report.header
        if self._header is None:
            self._header = build_header(self._assessment)
        return self._header

    def whole(self) -> Report:
        """The report, built on first use."""
        if self._report is None:
            self._report = build_report(self._assessment, anchor=self.anchor)
        return self._report

    def __getattr__(self, name: str) -> Any:  # anything but the anchor and the header
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.whole(), name)


class _LazyChart:
    """A report's chart, built when the template first reads it (from the whole report)."""

    def __init__(self, report: _LazyReport) -> None:
        self._report = report
        self._chart: Chart | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._chart is None:
            self._chart = build_chart(self._report.whole())
        return getattr(self._chart, name)


class _Reports:
    """The (report, chart) of each assessment, made afresh at each walk of the template (it
    walks them twice: the contents, then the reports), one at a time: memory holds one
    report, however many profiles (`assessments` may be on disk, `coherence.cli.spool`).
    Each is built when the template reads it (`_LazyReport`): the contents read headers."""

    def __init__(self, assessments: Sequence[Assessment]) -> None:
        self.assessments = assessments

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        several = len(self.assessments) > 1
        for i, a in enumerate(self.assessments, start=1):
            report = _LazyReport(a, f"r{i}" if several else "")
            yield report, _LazyChart(report)


def html_chunks(
    assessments: Sequence[Assessment],
    template_dir: Path | None = None,
    *,
    appendix: bool = False,
) -> Iterator[str]:
    """`render_html`, piece by piece of text as the template renders it; a broken or
    forbidden template is a `TemplateError`, when it is loaded or as it renders."""
    env = make_environment(template_dir)
    if template_dir is not None:
        env.step_limit = STEP_LIMIT * max(1, len(assessments))
    if len(assessments) == 1:
        title = build_header(assessments[0]).title
    else:
        title = "Policy coherence gap reports"
    tool_versions = sorted({a.tool_version for a in assessments})
    try:
        yield from env.get_template(MAIN_TEMPLATE).generate(
            doc_title=title,
            several=len(assessments) > 1,
            items=_Reports(assessments),
            sections=SECTIONS,
            generator=", ".join(tool_versions),
            appendix=appendix,
            appendix_title=APPENDIX_TITLE,
            captions=CAPTIONS,
        )
    except RecursionError as exc:
        told = endless(exc)
        if told is None:
            raise
        raise told from None
    except (ArithmeticError, LookupError, MemoryError, TypeError, ValueError) as exc:
        told = template_fault(exc)  # `{{ 1/0 }}` in a template from --template-dir
        if told is None:
            raise
        raise told from None


COMPARE_TEMPLATE = "compare.html.j2"


def render_compare_html(c: Comparison, template_dir: Path | None = None) -> str:
    """The comparison as one self-contained HTML file: heat-map tables, no script.

    `template_dir` holds templates that replace the packaged ones of the same name (as for
    the gap report, see `render_html`).
    """
    return "".join(compare_html_chunks(c, template_dir))


def compare_html_chunks(c: Comparison, template_dir: Path | None = None) -> Iterator[str]:
    """`render_compare_html`, piece by piece of text as the template renders it (Jinja's
    `generate`): the heat maps of thousands of profiles are never held whole."""
    env = make_environment(template_dir)
    return env.get_template(COMPARE_TEMPLATE).generate(
        c=c,
        sections=COMPARE_SECTIONS,
        titles=COMPARE_TITLES,
        marks=CHANGE_MARKS,
        captions=CAPTIONS,
        class_legend=class_legend_text(c),
        domain_legend=domain_legend_text(c),
        domain_cell=domain_cell_text,
        method=METHOD_TEXT,
    )


# ---------------------------------------------------------------- the registry's entry points


def render_gap(assessments: Sequence[Assessment], options: GapOptions) -> str:
    """The HTML gap report; a broken or forbidden template is a `FormatError`."""
    return "".join(gap_document(assessments, options))


def gap_piece(assessment: Assessment, options: GapOptions) -> Assessment:
    """One profile's assessment, as it is (kept on disk by `check`): a report's ids depend on
    its place among the others, so it is rendered when the document is written."""
    return assessment


def gap_document(pieces: Sequence[Assessment], options: GapOptions) -> Iterator[str]:
    """The HTML document, rendered report by report as it is written; a broken or forbidden
    template is a `FormatError`, also when it fails halfway."""
    try:
        yield from html_chunks(pieces, options.template_dir, appendix=options.appendix)
    except TemplateError as exc:
        raise FormatError(describe_template_error(exc, options.template_dir)) from exc


render_comparison = render_compare_html
comparison_chunks = compare_html_chunks


DIFF_TEMPLATE = "diff.html.j2"


def render_diff(d: Any) -> str:
    """The diff of two profiles as one self-contained HTML file (tables, no script)."""
    from coherence.report.views.diff import CATEGORY_TITLES, summary_sentences
    from coherence.report.views.diff import METHOD_TEXT as DIFF_METHOD
    from coherence.report.views.gap import ILLUSTRATIVE_TEXT
    from coherence.report.vocabulary import SEVERITY_LABELS, signed, theme_name

    return (
        make_environment()
        .get_template(DIFF_TEMPLATE)
        .render(
            d=d,
            summary=summary_sentences(d),
            categories=CATEGORY_TITLES,
            severity=SEVERITY_LABELS,
            theme_name=theme_name,
            signed=signed,
            illustrative_text=ILLUSTRATIVE_TEXT,
            method=DIFF_METHOD,
        )
    )
