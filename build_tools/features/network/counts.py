"""Adoption numbers (indicator 6.1.3), one computation for `/network/`, `/stats/` and the
synthesis report, so the three always agree (pure).

An adoption records a calendar year (พ.ศ.) only, no date: a calendar-year period counts the
adoptions of that year; fiscal and academic years and quarters cannot place one exactly,
so they count every year and say so (`AdoptionCounts.every_year`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from build_tools.core.loader import Catalog
from build_tools.core.periods import ALL, YEAR, Period
from build_tools.features.network.adoptions import Adoption

MOST_ADOPTED = 10


@dataclass(frozen=True)
class AdoptionRow:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class MostAdopted:
    id: str
    title: str
    url: str
    school: str
    count: int


@dataclass(frozen=True)
class AdoptionCounts:
    total: int  # adoptions (one school adopting one innovation)
    schools: int  # distinct adopting schools
    districts_reached: int
    adapted: int
    adopted_entries: int  # innovations adopted at least once
    entries: int  # every innovation in the repository: the indicator's denominator
    by_district: tuple[AdoptionRow, ...]  # every district, most adoptions first
    by_affiliation: tuple[AdoptionRow, ...]
    most_adopted: tuple[MostAdopted, ...]
    sample: bool  # some adoption is sample data
    every_year: bool = False  # the period could not select adoptions: all years counted

    @property
    def indicator(self) -> str:
        """Share of innovations adopted at least once, as "12.5"."""
        return f"{100 * self.adopted_entries / self.entries:.1f}" if self.entries else "0.0"


def select_adoptions(
    adoptions: Sequence[Adoption], period: Period
) -> tuple[tuple[Adoption, ...], bool]:
    """The adoptions of a period, and whether all years had to be taken instead."""
    if period.kind == YEAR:
        return tuple(a for a in adoptions if a.year == period.year), False
    return tuple(adoptions), period.kind != ALL


def _rows(counts: Counter, kind: str, catalog: Catalog) -> tuple[AdoptionRow, ...]:
    rows = [
        AdoptionRow(t.code, t.th, counts.get(t.code, 0)) for t in catalog.vocabularies[kind].terms
    ]
    return tuple(sorted(rows, key=lambda row: -row.count))  # stable: vocabulary order in ties


def plan_adoption_counts(
    catalog: Catalog, adoptions: Sequence[Adoption], every_year: bool = False
) -> AdoptionCounts:
    entries = {entry.id: entry for entry in catalog.entries}
    per_entry = Counter(a.entry for a in adoptions)
    most = sorted(per_entry.items(), key=lambda item: (-item[1], item[0]))[:MOST_ADOPTED]
    targets = Counter(a.district for a in adoptions)
    return AdoptionCounts(
        total=len(adoptions),
        schools=len({(a.school, a.district) for a in adoptions}),
        districts_reached=len(targets),
        adapted=sum(1 for a in adoptions if a.adapted),
        adopted_entries=len(per_entry),
        entries=len(entries),
        by_district=_rows(targets, "districts", catalog),
        by_affiliation=_rows(Counter(a.affiliation for a in adoptions), "affiliations", catalog),
        most_adopted=tuple(
            MostAdopted(e, entries[e].title, entries[e].url, entries[e].school.name, n)
            for e, n in most
        ),
        sample=any(a.sample for a in adoptions),
        every_year=every_year,
    )


def plan_period_adoptions(
    catalog: Catalog, adoptions: Sequence[Adoption], period: Period
) -> AdoptionCounts:
    return plan_adoption_counts(catalog, *select_adoptions(adoptions, period))
