"""The review trail as a report shows it: each section's review, and what to settle first.

Before a government validates its profile (`review_status: validated`), every section needs
a reviewer and a date, and old documents need a second look: a law from 2009 may have been
amended since. Old evidence is never a gap; it is listed, with its line, for the review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from coherence.findings import Notice, OldEvidence, ReviewState, SectionReviewOut
from coherence.profile.answers import Answer
from coherence.profile.model import REVIEW_SECTIONS, THEMES
from coherence.profile.validate import LoadedProfile
from coherence.profile.walk import Loc, answers_in
from coherence.resources import data_dir
from coherence.themes import THEME_NAMES
from coherence.wording import series
from coherence.yamlsource import load_yaml_file

DEFAULT_MAX_AGE = 5


class ReviewConfigError(ValueError):
    """`config/review.yaml` is not usable."""


@cache
def evidence_max_age(path: Path | None = None) -> int:
    """Years after which evidence is listed for review (`config/review.yaml`)."""
    where = path or data_dir() / "config" / "review.yaml"
    data = load_yaml_file(where).data
    value = data.get("evidence_max_age_years", DEFAULT_MAX_AGE) if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 100:
        raise ReviewConfigError(
            f"{where}: evidence_max_age_years must be a whole number of years from 1 to 100"
        )
    return value


def _start(date: str) -> dt.date | None:
    """The first day a partial date (2002, 2002-05, 2002-05-01) can mean."""
    try:
        if len(date) == 4:
            return dt.date(int(date), 1, 1)
        if len(date) == 7:
            return dt.date(int(date[:4]), int(date[5:7]), 1)
        return dt.date.fromisoformat(date)
    except ValueError:
        return None


def _cutoff(as_of: dt.date, years: int) -> dt.date:
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - years, day=28)


Dated = tuple[str, str, Any, dt.date, int]
"""(answer path, law or practice, document, first day its date can mean, line)."""


def dated_documents(loaded: LoadedProfile) -> list[Dated]:
    """Every dated document given for an answer, in the themes, the context and the
    instruments' `incorporated_in_law` answers (the implementing law, which can be amended
    like any other; an instrument's own evidence, its instrument of ratification, is left
    out): what `review_state` and `late_evidence` look at, walked once per profile."""
    return list(_documents(loaded))


_SECTIONS = ("instruments", *THEMES, "context")


def _documents(loaded: LoadedProfile) -> Iterator[Dated]:
    answers = loaded.answers if loaded.answers is not None else answers_in(loaded.profile)
    by_section: dict[str | int, list[tuple[Loc, Answer]]] = {name: [] for name in _SECTIONS}
    for path, answer in answers:
        if path[0] in by_section:
            by_section[path[0]].append((path, answer))
    for section in _SECTIONS:
        for path, answer in by_section[section]:
            for kind, key, documents in (
                ("law", "evidence", answer.evidence),
                ("practice", "practice_evidence", answer.practice_evidence),
            ):
                for index, document in enumerate(documents):
                    start = _start(document.date) if document.date else None
                    if start is not None:
                        line = loaded.document.line_of((*path, key, index))[0]
                        yield ".".join(str(p) for p in path), kind, document, start, line


def late_evidence(loaded: LoadedProfile, documents: list[Dated] | None = None) -> list[Notice]:
    """A notice for each document dated after the date the profile describes (`as_of`): a
    law of 2030 cannot show the policy of 2025; most likely a typing slip in the date."""
    as_of = loaded.profile.as_of
    return [
        Notice(
            code="evidence-after-as-of",
            message=f"The document “{doc.title}” given for {path} is dated {doc.date}, "
            f"after the date the profile describes ({as_of.isoformat()}): check its date.",
            line=line,
        )
        for path, _, doc, start, line in (
            documents if documents is not None else _documents(loaded)
        )
        if start > as_of
    ]


def as_of_after_today(loaded: LoadedProfile, today: dt.date) -> list[Notice]:
    """A notice when the profile describes a day after the day of the check (`--today`):
    most likely a slip (2052 for 2025), which would also make every document look old, as
    their age is counted back from `as_of`."""
    as_of = loaded.profile.as_of
    if as_of <= today:
        return []
    return [
        Notice(
            code="as-of-after-today",
            message=f"The profile describes {as_of.isoformat()}, a day after today "
            f"({today.isoformat()}): check as_of; documents are listed as old counting back "
            "from it.",
            line=loaded.document.line_of(("as_of",))[0],
        )
    ]


def dates_in_doubt(loaded: LoadedProfile, documents: list[Dated], today: dt.date) -> list[Notice]:
    """The notices on dates that are most likely slips: documents dated after `as_of`, and
    `as_of` after the day of the check."""
    return late_evidence(loaded, documents) + as_of_after_today(loaded, today)


def review_state(
    loaded: LoadedProfile, max_age: int | None = None, documents: list[Dated] | None = None
) -> ReviewState:
    """The review of each section, and the answers whose evidence predates the age limit.

    Instruments' own evidence (an instrument of ratification) is old by nature and is left
    out; the evidence of every answer, in the themes, the context and the instruments'
    `incorporated_in_law`, is looked at."""
    profile = loaded.profile
    years = max_age if max_age is not None else evidence_max_age()
    sections = []
    for name in REVIEW_SECTIONS:
        review = getattr(profile.reviews, name)
        sections.append(
            SectionReviewOut(
                section=name,
                owner=review.owner if review else None,
                reviewed_by=review.reviewed_by if review else None,
                reviewed_on=review.reviewed_on if review else None,
                reviewed=bool(review and review.reviewed),
            )
        )
    cutoff = _cutoff(profile.as_of, years)
    old = [
        OldEvidence(path=path, title=doc.title, date=doc.date or "", kind=kind, line=line)
        for path, kind, doc, start, line in (
            documents if documents is not None else _documents(loaded)
        )
        if start < cutoff
    ]
    return ReviewState(
        sections=sections,
        unreviewed=profile.reviews.unreviewed(),
        evidence_max_age_years=years,
        old_evidence=sorted(old, key=lambda e: (e.line, e.path, e.title)),
    )


def section_name(key: str) -> str:
    """How reports name a reviewed section: `Anti-trafficking`, `Instruments`, `Context`."""
    return THEME_NAMES.get(key, key.replace("_", " ").capitalize())


def review_summary(review: ReviewState) -> str:
    """One sentence on the review trail: how many sections are reviewed, which are not."""
    total = len(review.sections)
    if not review.unreviewed:
        return f"All {total} sections have been reviewed."
    done = total - len(review.unreviewed)
    names = series([section_name(name) for name in review.unreviewed], "and")
    return f"{done} of {total} sections reviewed; to review before validation: {names}."


def old_evidence_sentence(review: ReviewState) -> str:
    """What the old documents are and what to do about them ("" when there are none)."""
    count = len(review.old_evidence)
    if not count:
        return ""
    documents = "document dates" if count == 1 else "documents date"
    return (
        f"{count} {documents} from more than {review.evidence_max_age_years} years before the "
        "as-of date: before validation, confirm that none has been amended or replaced since."
    )
