"""What a comparison keeps of each profile as it comes in, so that `coherence compare` over
10,000 profiles holds a few hundred bytes of each (issue 13 §5, memory flat).

A `ComparisonSource` takes the assessments (or what `coherence.assessment.compact` keeps of
them) one at a time. Of each it keeps in memory only what the comparison needs of every
profile at once: the country, the date and the overall score (the order, `--sort score`)
and its findings as small numbers into one table of the distinct findings (the rule ×
profile matrix and the change over time). The rest, which a format reads one profile at a
time (the profile's facts, its scores, SDG domains and counts by status), goes into a
`Record` appended to `records`: a list by default, a list kept on disk
(`coherence.cli.spool.SpooledList`) for `coherence compare`. The rows of the comparison are
read back from the records as they are written (`coherence.report.views.comparison_rows`).
"""

from __future__ import annotations

import datetime as dt
import sys
from array import array
from typing import Any, NamedTuple, Protocol

from coherence.assessment.compact import comparison_key
from coherence.report.views.gap import status_counts


class Records(Protocol):
    """Where the records go: a list, or a list kept on disk (`SpooledList`)."""

    def append(self, item: Any) -> None: ...
    def __getitem__(self, index: int) -> Any: ...
    def __len__(self) -> int: ...


class Record(NamedTuple):
    """One profile as the rows of a comparison read it (the attributes read as an
    `Assessment`'s, for `coherence.report.views.scores.domain_rows`)."""

    profile: Any
    """Path, country, country name, date, roles, review status, illustrative."""
    scores: dict[str, Any]
    sdg_domains: dict[str, Any]
    counts: tuple[tuple[str, str, int], ...]
    """(status, label, number of findings) for every status, contradictions apart."""
    catalogue_version: str


class Summary(NamedTuple):
    """What the comparison keeps in memory of one profile (a few hundred bytes)."""

    country: str
    as_of: dt.date
    overall: float | None
    """The overall score when it is classified, else None (never ranked)."""
    illustrative: bool
    findings: array
    """Its findings, in order, as positions in `ComparisonSource.findings`."""


class ComparisonSource:
    """The profiles of a comparison, added one at a time (`add`), in input order."""

    def __init__(self, records: Records | None = None) -> None:
        self.records: Records = [] if records is None else records
        """One `Record` per profile, in input order (on disk when a `SpooledList`)."""
        self.summaries: list[Summary] = []
        self.findings: list[Any] = []
        """Every distinct finding once (rule, text and status), shared by the profiles."""
        self._finding_ids: dict[tuple[Any, ...], int] = {}
        self.score_keys: set[str] = set()
        """The score keys of any profile (the columns of the theme matrix)."""
        self.scoring: Any = None
        """The first profile's scoring (weights and bands)."""
        self.mixed_scoring = False
        """Whether any profile was scored otherwise than the first."""
        self.tool_versions: set[str] = set()
        self.catalogue_versions: set[str] = set()

    def __len__(self) -> int:
        return len(self.summaries)

    def add(self, a: Any) -> None:
        """Keep what the comparison needs of one assessment (or `Compared`), in input order."""
        p = a.profile
        overall = a.scores.get("overall")
        score = overall.score if overall is not None and overall.classified else None
        self.summaries.append(
            Summary(
                sys.intern(p.country),
                p.as_of,
                score,
                p.illustrative,
                self._finding_ids_of(a.findings),
            )
        )
        self.records.append(
            Record(
                p,
                a.scores,
                a.sdg_domains,
                tuple((c.status, c.label, c.count) for c in status_counts(a.findings)),
                a.catalogue_version,
            )
        )
        self.score_keys.update(a.scores.keys())
        if self.scoring is None:
            self.scoring = a.scoring
        elif a.scoring != self.scoring:
            self.mixed_scoring = True
        self.tool_versions.add(a.tool_version)
        self.catalogue_versions.add(a.catalogue_version)

    def _finding_ids_of(self, findings: Any) -> array:
        ids = [self._finding_id(f) for f in findings]
        # Two bytes a finding while there are fewer than 65,536 distinct ones (a catalogue of
        # a hundred rules has a few hundred), four beyond.
        return array("H" if len(self.findings) <= 0xFFFF else "I", ids)

    def _finding_id(self, f: Any) -> int:
        key = comparison_key(f)
        found = self._finding_ids.get(key)
        if found is None:
            found = self._finding_ids[key] = len(self.findings)
            self.findings.append(f)
        return found
