"""Counts by year, district, affiliation, …; cross-tables; the latest year against the last.

Pure: a catalog in, frozen numbers out. Every vocabulary value appears, also with zero
entries, so gaps show. Every number carries the site-relative URL of the entries it
counts: a `/search/` filter when the site has a search page, otherwise the listing page
of a single value (combinations have no link without search).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from urllib.parse import urlencode

from build_tools.core.cache import remember
from build_tools.core.loader import Catalog
from build_tools.core.model import Entry
from build_tools.core.periods import ACADEMIC, ALL, FISCAL, YEAR, Period, count_undated
from build_tools.pages.listings import FACETS_BY_KIND, Facet, facet_label

ALL_YEARS = Period(ALL)

# In the latest year, a district or learning area with this many entries or fewer is
# flagged as "few" (zero is flagged as "none").
FEW_ENTRIES = 1

# Facet kind (`listings.FACETS`) → query parameter of the `/search/` page, in URL order.
SEARCH_PARAMETERS = {
    "districts": "district",
    "years": "year",
    "subjects": "subject",
    "categories": "category",
    "types": "type",
    "affiliations": "affiliation",
    "levels": "level",
    # Periods set by dates (search.facets.PERIOD_FILTERS), for the fiscal/academic pages.
    FISCAL: "fiscal",
    ACADEMIC: "academic",
}
# The one-way tables, in the order the page shows them.
TABLE_KINDS = ("years", "districts", "affiliations", "categories", "types", "subjects", "levels")
BEST_PRACTICE = ("types", "best_practice")

Filter = tuple[str, str]  # (facet kind, code)
# Filters and count → the URL the number links to ("" for none).
Linker = Callable[[Sequence[Filter], int], str]


@dataclass(frozen=True)
class Label:
    code: str
    label: str
    label_en: str


@dataclass(frozen=True)
class Cell:
    count: int
    url: str = ""  # site-relative link to the entries counted; "" when there is none


@dataclass(frozen=True)
class Row:
    label: Label
    cell: Cell


@dataclass(frozen=True)
class CountTable:
    key: str  # names the CSV file and page anchor: "districts", "best-practice-districts"
    title: str
    title_en: str
    dimension: str  # Thai name of the grouped field (the first column's header)
    dimension_en: str
    rows: tuple[Row, ...]
    entries: int  # entries the table is about: the denominator of shares
    multi_valued: bool  # an entry may count in several rows (learning areas, levels)
    total_url: str = ""  # where the total of a single-valued table links

    @property
    def largest(self) -> int:
        return max((row.cell.count for row in self.rows), default=0)

    @property
    def total(self) -> int:
        return sum(row.cell.count for row in self.rows)


@dataclass(frozen=True)
class CrossTable:
    key: str
    title: str
    title_en: str
    row_dimension: str
    column_dimension: str
    rows: tuple[Label, ...]
    columns: tuple[Label, ...]
    cells: tuple[tuple[Cell, ...], ...]  # [row][column]
    row_totals: tuple[Cell, ...]  # entries with the row value (each entry counted once)
    column_totals: tuple[Cell, ...]

    @property
    def largest(self) -> int:
        return max((cell.count for row in self.cells for cell in row), default=0)


@dataclass(frozen=True)
class Change:
    label: Label
    latest: Cell
    previous: Cell

    @property
    def difference(self) -> int:
        return self.latest.count - self.previous.count

    @property
    def status(self) -> str:
        """none | few | up | down | same: what the latest year looks like."""
        if self.latest.count == 0:
            return "none"
        if self.latest.count <= FEW_ENTRIES:
            return "few"
        if self.difference:
            return "up" if self.difference > 0 else "down"
        return "same"


@dataclass(frozen=True)
class YearReview:
    """One dimension in the latest year compared with the year before: gaps and growth."""

    key: str
    title: str
    title_en: str
    dimension: str
    latest_label: str  # "พ.ศ. 2568", "ปีงบประมาณ พ.ศ. 2568"
    previous_label: str
    rows: tuple[Change, ...]

    @property
    def missing(self) -> tuple[Change, ...]:
        return tuple(row for row in self.rows if row.status == "none")

    @property
    def few(self) -> tuple[Change, ...]:
        return tuple(row for row in self.rows if row.status == "few")

    @property
    def growing(self) -> tuple[Change, ...]:
        rising = [row for row in self.rows if row.difference > 0]
        return tuple(sorted(rising, key=lambda row: -row.difference))


@dataclass(frozen=True)
class Statistics:
    entries: int
    best_practice: int
    schools: int
    years: tuple[int, ...]  # every year from the first to the latest, oldest first
    updated: dt.date | None  # newest change of any entry
    tables: tuple[CountTable, ...]
    best_practice_tables: tuple[CountTable, ...]
    cross_tables: tuple[CrossTable, ...]
    reviews: tuple[YearReview, ...]  # empty without entries
    period: Period = ALL_YEARS
    undated: int = 0  # entries of the catalogue no date places in a period of this kind

    def table(self, key: str) -> CountTable:
        every = self.tables + self.best_practice_tables
        return next(table for table in every if table.key == key)

    @property
    def latest_year(self) -> int | None:
        return self.years[-1] if self.years else None


def format_filter_url(filters: Sequence[Filter], count: int, search: bool) -> str:
    """Where a number links: its `/search/` filter, or a listing page, or nowhere."""
    if count == 0:
        return ""
    if not filters:
        return "search/" if search else "innovations/"
    if search:
        order = list(SEARCH_PARAMETERS)
        ordered = sorted(filters, key=lambda f: order.index(f[0]))
        return "search/?" + urlencode([(SEARCH_PARAMETERS[kind], code) for kind, code in ordered])
    if len(filters) == 1:
        kind, code = filters[0]
        return f"{kind}/{code}/"
    return ""


def plan_period_filters(period: Period, search: bool) -> list[Filter] | None:
    """The filters that find a period's entries; None when numbers cannot link: a quarter,
    or a fiscal or academic year on a site without the search page (no listing holds one)."""
    if period.kind == ALL:
        return []
    if period.kind == YEAR:
        return [("years", str(period.year))]
    if period.kind in (FISCAL, ACADEMIC) and search:
        return [(period.kind, str(period.year))]
    return None


def plan_labels(facet: Facet, catalog: Catalog, years: Sequence[int]) -> tuple[Label, ...]:
    """Every value of a facet, in vocabulary order (years oldest first)."""
    vocabularies = catalog.vocabularies
    codes = (
        [str(y) for y in years] if not facet.vocabulary else vocabularies[facet.vocabulary].codes
    )
    return tuple(Label(code, *facet_label(facet, code, vocabularies)) for code in codes)


class _EntryCodes:
    """Each entry's codes of a facet (sets, in entry order), found once per facet: the
    tables ask for the same facets again and again."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self._by_kind: dict[str, list[set[str]]] = {}

    def __call__(self, facet: Facet) -> list[set[str]]:
        codes = self._by_kind.get(facet.kind)
        if codes is None:
            codes = self._by_kind[facet.kind] = [set(facet.values(e)) for e in self.entries]
        return codes


def plan_count_table(
    key: str,
    facet: Facet,
    labels: Sequence[Label],
    entry_codes: Sequence[set[str]],
    link: Linker,
    base: Sequence[Filter] = (),
    title: str = "",
    title_en: str = "",
) -> CountTable:
    counts = Counter(chain.from_iterable(entry_codes))
    rows = tuple(
        Row(
            label,
            Cell(
                counts[label.code],
                link([*base, (facet.kind, label.code)], counts[label.code]),
            ),
        )
        for label in labels
    )
    return CountTable(
        key,
        title or f"จำนวนผลงานจำแนกตาม{facet.title_th}",
        title_en or f"Entries by {facet.title_en.lower()}",
        facet.title_th,
        facet.title_en,
        rows,
        len(entry_codes),
        multi_valued=facet.kind in ("subjects", "levels"),
        total_url=link(base, len(entry_codes)),
    )


def plan_cross_table(
    key: str,
    row_facet: Facet,
    column_facet: Facet,
    catalog: Catalog,
    years: Sequence[int],
    link: Linker,
    codes: _EntryCodes,
) -> CrossTable:
    rows = plan_labels(row_facet, catalog, years)
    columns = plan_labels(column_facet, catalog, years)
    row_codes, column_codes = codes(row_facet), codes(column_facet)
    row_counts = Counter(chain.from_iterable(row_codes))
    column_counts = Counter(chain.from_iterable(column_codes))
    pairs = Counter(
        (r, c)
        for in_row, in_column in zip(row_codes, column_codes, strict=True)
        for r in in_row
        for c in in_column
    )

    def cell(filters: list[Filter], count: int) -> Cell:
        return Cell(count, link(filters, count))

    cells = tuple(
        tuple(
            cell([(row_facet.kind, r.code), (column_facet.kind, c.code)], pairs[r.code, c.code])
            for c in columns
        )
        for r in rows
    )
    return CrossTable(
        key,
        f"{row_facet.title_th} × {column_facet.title_th}",
        f"{row_facet.title_en} × {column_facet.title_en.lower()}",
        row_facet.title_th,
        column_facet.title_th,
        rows,
        columns,
        cells,
        tuple(cell([(row_facet.kind, r.code)], row_counts[r.code]) for r in rows),
        tuple(cell([(column_facet.kind, c.code)], column_counts[c.code]) for c in columns),
    )


def plan_review(
    facet: Facet,
    catalog: Catalog,
    latest: tuple[Sequence[Entry], str, Sequence[Filter]],
    previous: tuple[Sequence[Entry], str, Sequence[Filter]],
    title_en: str,
    link: Linker,
) -> YearReview:
    """One dimension in a period compared with the period before: (entries, label,
    filters that find them) of each."""
    labels = plan_labels(facet, catalog, ())
    counted = [
        Counter(chain.from_iterable(facet.values(e) for e in entries))
        for entries, *_ in (latest, previous)
    ]

    def cell(which: int, code: str) -> Cell:
        count = counted[which][code]
        base = (latest, previous)[which][2]
        return Cell(count, link([*base, (facet.kind, code)], count))

    rows = tuple(Change(label, cell(0, label.code), cell(1, label.code)) for label in labels)
    return YearReview(
        f"review-{facet.kind}",
        f"{facet.title_th}ใน{latest[1]} เทียบกับ{previous[1]}",
        f"{facet.title_en} in {title_en}",
        facet.title_th,
        latest[1],
        previous[1],
        rows,
    )


def plan_statistics(
    catalog: Catalog, search: bool = False, period: Period = ALL_YEARS
) -> Statistics:
    """All numbers of the statistics page for one period. `search`: link numbers to
    `/search/` filters (a fiscal or academic year's as `fiscal=2568`, which only the
    search page understands)."""
    entries = period.select(catalog.entries)
    period_base = plan_period_filters(period, search)

    def plain_link(filters: Sequence[Filter], count: int) -> str:
        return "" if period_base is None else format_filter_url(filters, count, search)

    def link(filters: Sequence[Filter], count: int) -> str:
        return plain_link([*(period_base or ()), *filters], count)

    present_years = sorted({e.year for e in entries})
    years = tuple(range(present_years[0], present_years[-1] + 1)) if present_years else ()
    facets = FACETS_BY_KIND
    codes = _EntryCodes(entries)
    tables = tuple(
        plan_count_table(
            kind,
            facets[kind],
            plan_labels(facets[kind], catalog, years),
            codes(facets[kind]),
            link,
        )
        for kind in TABLE_KINDS
    )
    best = [e for e in entries if e.is_best_practice]
    best_practice_tables = tuple(
        plan_count_table(
            f"best-practice-{kind}",
            facets[kind],
            plan_labels(facets[kind], catalog, years),
            [c for e, c in zip(entries, codes(facets[kind]), strict=True) if e.is_best_practice],
            link,
            base=[BEST_PRACTICE],
            title=f"แนวปฏิบัติที่เป็นเลิศ (Best Practice) จำแนกตาม{facets[kind].title_th}",
            title_en=f"Best Practice by {facets[kind].title_en.lower()}",
        )
        for kind in ("districts", "affiliations")
    )
    cross_tables = (
        plan_cross_table(
            "districts-subjects",
            facets["districts"],
            facets["subjects"],
            catalog,
            years,
            link,
            codes,
        ),
        plan_cross_table(
            "years-categories", facets["years"], facets["categories"], catalog, years, link, codes
        ),
        plan_cross_table(
            "districts-years", facets["districts"], facets["years"], catalog, years, link, codes
        ),
    )
    reviews = ()
    comparison = _plan_comparison(catalog, period, years)
    if comparison:
        reviews = tuple(
            plan_review(facets[kind], catalog, *comparison, link=plain_link)
            for kind in ("districts", "subjects")
        )
    schools = {(e.school.name.strip(), e.school.district) for e in entries}
    return Statistics(
        entries=len(entries),
        best_practice=len(best),
        schools=len(schools),
        years=years,
        updated=_newest_update(entries),
        tables=tables,
        best_practice_tables=best_practice_tables,
        cross_tables=cross_tables,
        reviews=reviews,
        period=period,
        undated=0 if period.by_year_field else count_undated(catalog.entries, period.kind),
    )


def _plan_comparison(catalog: Catalog, period: Period, years: Sequence[int]):
    """(latest, previous, English title) for the gap lists: the latest year against the
    year before for all years, else the period against the one before it."""

    def by_year(year: int) -> tuple[tuple[Entry, ...], str, list[Filter]]:
        chosen = tuple(e for e in catalog.entries if e.year == year)
        return chosen, f"ปี พ.ศ. {year}", [("years", str(year))]

    if period.kind == ALL:
        if not years:
            return None
        latest = years[-1]
        return by_year(latest), by_year(latest - 1), f"{latest - 543} compared with {latest - 544}"
    if period.kind == YEAR:
        return (
            by_year(period.year),
            by_year(period.year - 1),
            f"{period.year - 543} compared with {period.year - 544}",
        )
    before = period.previous
    return (
        (period.select(catalog.entries), period.label, plan_period_filters(period, True) or []),
        (before.select(catalog.entries), before.label, plan_period_filters(before, True) or []),
        f"{period.label_en} compared with the period before",
    )


def plan_statistics_cached(catalog: Catalog, search: bool = False) -> Statistics:
    """`plan_statistics`, kept between builds under the entries' codes: an edit of an
    entry's texts (title, summary, body) or dates costs no counting. Only the newest date
    is read from the dates, so it is looked up afresh."""
    inputs = (
        repr(catalog.vocabularies.by_kind),
        search,
        catalog.codes_digest,
    )
    counted = remember(
        catalog.root, f"statistics-{int(search)}", inputs, lambda: plan_statistics(catalog, search)
    )
    return replace(counted, updated=_newest_update(catalog.entries))


def _newest_update(entries: Sequence[Entry]) -> dt.date | None:
    return max((e.updated for e in entries if e.updated), default=None)
