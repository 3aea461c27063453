"""The per-profile rows of a comparison, made when a format reads them, from the records a
`ComparisonSource` keeps (`coherence.report.views.comparison_source`).

A comparison of 10,000 profiles would hold 10,000 entries and rows of scores if it made
them at once; `Entries` and `ThemeRows` make each when it is read (a format reads them in
turn and lets them go) from the profile's record, which may live on disk. `RuleCells` are
the cells of one rule across the profiles: one byte each, into a table of the few dozen
distinct cells.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar, overload

from coherence.report.views.comparison_parts import Entry, RuleCell, ThemeRow
from coherence.report.views.findings import anchor_id
from coherence.report.views.scores import domain_rows, score_cell

T = TypeVar("T")


class Layout:
    """Where each profile stands in the comparison: its record (input position), its place
    in its country's time series and the length of that series, by position in order."""

    def __init__(self, records: Sequence[Any], order: Sequence[int], countries: Sequence[str]):
        self.records = records
        self.order = array("I", order)
        """The input position of each profile, in the comparison's order."""
        self.sizes: dict[str, int] = {}
        self.series = array("I")
        """Each profile's position in its country's time series, in order."""
        for country in countries:  # in order
            self.series.append(self.sizes.get(country, 0))
            self.sizes[country] = self.series[-1] + 1

    def record(self, position: int) -> Any:
        """The record of the profile at `position` in order."""
        return self.records[self.order[position]]

    def entry(self, position: int, record: Any) -> Entry:
        """The entry of the profile at `position`, made from its record."""
        p = record.profile
        label = f"{p.country} {p.as_of.isoformat()}"
        return Entry(
            key=anchor_id(label),
            label=label,
            country_code=p.country,
            country_name=p.country_name,
            as_of=p.as_of.isoformat(),
            roles=tuple(p.roles),
            review_status=p.review_status.replace("_", " "),
            profile_path=p.path,
            illustrative=p.illustrative,
            catalogue_version=record.catalogue_version,
            series_index=self.series[position],
            series_length=self.sizes[p.country],
        )


class _ComparedAsSequence(Sequence[T]):
    """Equal to any sequence of equal items, as the tuples these sequences replace were."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


class _Lazy(_ComparedAsSequence[T]):
    """Items made one at a time from positions `span` of a `Layout`, each when it is read."""

    def __init__(self, layout: Layout, span: range | None = None) -> None:
        self._layout = layout
        self._span = range(len(layout.order)) if span is None else span

    def _make(self, position: int) -> T:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._span)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return self._over(self._span[index])
        return self._make(self._span[index])  # range indexing: negatives, IndexError

    def _over(self, span: range) -> Sequence[T]:
        """The same items of the positions `span` (a slice)."""
        return type(self)(self._layout, span)

    def __iter__(self) -> Iterator[T]:
        for position in self._span:
            yield self._make(position)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)}>"


class Entries(_Lazy[Entry]):
    """The entries of the comparison (or of one country's time series), in order."""

    def _make(self, position: int) -> Entry:
        return self._layout.entry(position, self._layout.record(position))


class ThemeRows(_Lazy[ThemeRow]):
    """The rows of the profile × theme matrix, in order."""

    def __init__(
        self, layout: Layout, span: range | None = None, keys: tuple[str, ...] = ()
    ) -> None:
        super().__init__(layout, span)
        self.keys = keys
        """The score columns (the keys of `Comparison.themes`)."""

    def _over(self, span: range) -> ThemeRows:
        return ThemeRows(self._layout, span, self.keys)

    def _make(self, position: int) -> ThemeRow:
        record = self._layout.record(position)
        return ThemeRow(
            entry=self._layout.entry(position, record),
            keys=self.keys,
            cells=tuple(score_cell(record.scores.get(k)) for k in self.keys),
            counts=record.counts,
            domains=domain_rows(record),
        )


class RuleCells(_ComparedAsSequence[RuleCell]):
    """The cells of one rule, one per profile in order: one byte each, into `table`."""

    def __init__(self, codes: bytes | bytearray, table: Sequence[RuleCell]) -> None:
        self._codes = bytes(codes)
        self._table = tuple(table)

    def __len__(self) -> int:
        return len(self._codes)

    @overload
    def __getitem__(self, index: int) -> RuleCell: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[RuleCell]: ...
    def __getitem__(self, index: int | slice) -> RuleCell | Sequence[RuleCell]:
        if isinstance(index, slice):
            return tuple(self._table[c] for c in self._codes[index])
        return self._table[self._codes[index]]

    def __iter__(self) -> Iterator[RuleCell]:
        return map(self._table.__getitem__, self._codes)
