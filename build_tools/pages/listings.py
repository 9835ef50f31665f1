"""Plan the listing pages: all entries, one page per facet value, paginated.

Pure functions from a catalog to `ListingPage` plans; the site adapter turns
each plan into a generated page. Facet URLs use vocabulary codes (ASCII).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from typing import TYPE_CHECKING

from build_tools.core.cache import remember
from build_tools.core.model import Entry
from build_tools.core.site import GeneratedPage, SiteSettings
from build_tools.core.vocabularies import KINDS, Vocabularies

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog

PAGE_SIZE = 20


@dataclass(frozen=True)
class Facet:
    """A way to group entries: its URL folder, names, and the codes of one entry."""

    kind: str  # URL folder, e.g. "districts"
    vocabulary: str  # vocabulary kind, or "" for years
    title_th: str
    title_en: str
    values: Callable[[Entry], Sequence[str]]
    # A value's page title, as people say it: "อำเภอชัยบาดาล", "ผลงานปี พ.ศ. 2567".
    page_title: str = "{facet} {label}"
    page_title_en: str = "{facet}: {label}"

    def format_page_title(self, label: str, label_en: str) -> tuple[str, str]:
        return (
            self.page_title.format(facet=self.title_th, label=label),
            self.page_title_en.format(facet=self.title_en.capitalize(), label=label_en),
        )


FACETS: tuple[Facet, ...] = (
    Facet(
        "years",
        "",
        "ปี พ.ศ.",
        "Year",
        lambda e: (str(e.year),),
        "ผลงานปี {label}",
        "Entries of {label}",
    ),
    Facet("types", "types", *KINDS["types"], lambda e: (e.type,), "ผลงานประเภท{label}", "{label}"),
    Facet(
        "categories",
        "categories",
        *KINDS["categories"],
        lambda e: (e.category,),
        "ด้าน{label}",
        "{label}",
    ),
    Facet(
        "districts",
        "districts",
        *KINDS["districts"],
        lambda e: (e.school.district,),
        "อำเภอ{label}",
        "{label} district",
    ),
    Facet(
        "affiliations", "affiliations", *KINDS["affiliations"], lambda e: (e.school.affiliation,)
    ),
    Facet(
        "subjects", "subjects", *KINDS["subjects"], lambda e: e.subjects, "กลุ่มสาระการเรียนรู้{label}"
    ),
    Facet("levels", "levels", *KINDS["levels"], lambda e: e.levels, "ระดับชั้น {label}"),
)
FACETS_BY_KIND = {facet.kind: facet for facet in FACETS}


@dataclass(frozen=True)
class ListingPage:
    url: str  # site-relative, trailing slash: "districts/khok-samrong/page/2/"
    title: str
    title_en: str
    entries: tuple[Entry, ...]
    total: int
    page_number: int
    page_count: int
    first_url: str  # URL of page 1 of this listing
    kind: str = ""  # facet kind, "" for the all-entries listing, "best-practice"
    code: str = ""

    @property
    def src_uri(self) -> str:
        return f"{self.url}index.md"

    def page_url(self, number: int) -> str:
        return self.first_url if number == 1 else f"{self.first_url}page/{number}/"

    @property
    def previous_url(self) -> str | None:
        return self.page_url(self.page_number - 1) if self.page_number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.page_url(self.page_number + 1) if self.page_number < self.page_count else None


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    label_en: str
    count: int
    url: str


def facet_label(facet: Facet, code: str, vocabularies: Vocabularies) -> tuple[str, str]:
    if not facet.vocabulary:
        return f"พ.ศ. {code}", f"{int(code) - 543}" if code.isdigit() else code
    return vocabularies.label(facet.vocabulary, code), vocabularies.label_en(facet.vocabulary, code)


def plan_facet_values(
    facet: Facet, entries: Sequence[Entry], vocabularies: Vocabularies
) -> list[FacetValue]:
    """Values of one facet with counts, in vocabulary order (years newest first)."""
    counts = Counter(chain.from_iterable(map(facet.values, entries)))
    if facet.vocabulary:
        order = [c for c in vocabularies[facet.vocabulary].codes if c in counts]
    else:
        order = sorted(counts, reverse=True)
    return [
        FacetValue(
            code, *facet_label(facet, code, vocabularies), counts[code], f"{facet.kind}/{code}/"
        )
        for code in order
    ]


def plan_facet_counts_cached(catalog: Catalog) -> list[tuple[Facet, list[FacetValue]]]:
    """`plan_facet_values` of every facet (home page, /browse/, site map), kept between
    builds under the entries' codes."""
    inputs = (
        repr(catalog.vocabularies.by_kind),
        catalog.codes_digest,
    )
    values = remember(
        catalog.root,
        "facet-counts",
        inputs,
        lambda: [plan_facet_values(f, catalog.entries, catalog.vocabularies) for f in FACETS],
    )
    return list(zip(FACETS, values, strict=True))


def paginate(
    first_url: str,
    title: str,
    title_en: str,
    entries: Sequence[Entry],
    kind: str = "",
    code: str = "",
    page_size: int = PAGE_SIZE,
) -> list[ListingPage]:
    page_count = max(1, -(-len(entries) // page_size))
    pages = []
    for number in range(1, page_count + 1):
        chunk = tuple(entries[(number - 1) * page_size : number * page_size])
        url = first_url if number == 1 else f"{first_url}page/{number}/"
        pages.append(
            ListingPage(
                url, title, title_en, chunk, len(entries), number, page_count, first_url, kind, code
            )
        )
    return pages


def plan_listings(
    entries: Sequence[Entry], vocabularies: Vocabularies, page_size: int = PAGE_SIZE
) -> list[ListingPage]:
    """Every listing page of the site. `entries` must already be newest first."""
    pages = paginate("innovations/", "ผลงานทั้งหมด", "All entries", entries, page_size=page_size)
    best = [e for e in entries if e.is_best_practice]
    pages += paginate(
        "best-practice/",
        "แนวปฏิบัติที่เป็นเลิศ (Best Practice)",
        "Best Practice showcase",
        best,
        kind="best-practice",
        page_size=page_size,
    )
    for facet in FACETS:
        grouped: dict[str, list[Entry]] = {}  # one pass per facet, not one per value
        for entry in entries:
            for code in dict.fromkeys(facet.values(entry)):
                grouped.setdefault(code, []).append(entry)
        for value in plan_facet_values(facet, entries, vocabularies):
            matching = grouped[value.code]
            title, title_en = facet.format_page_title(value.label, value.label_en)
            pages += paginate(
                value.url, title, title_en, matching, facet.kind, value.code, page_size
            )
    return pages


def plan_listing_ids_cached(
    catalog: Catalog, page_size: int = PAGE_SIZE
) -> list[tuple[ListingPage, tuple[str, ...]]]:
    """`plan_listings` of the catalogue, its pages kept between builds under the entries'
    codes, each without its entries but with their ids (`look_up_entries` puts them in):
    an edit of an entry's text groups and pages nothing again, the pages show the entries
    as they are now, and a build that renders a few of 10,000 pages looks up only theirs."""
    inputs = (
        repr(catalog.vocabularies.by_kind),
        catalog.codes_digest,
        page_size,
    )

    def make() -> list[tuple[ListingPage, tuple[str, ...]]]:
        return [
            (replace(page, entries=()), tuple(entry.id for entry in page.entries))
            for page in plan_listings(catalog.entries, catalog.vocabularies, page_size)
        ]

    return remember(catalog.root, "listing-pages", inputs, make)


def look_up_entries(
    page: ListingPage, ids: tuple[str, ...], by_id: Mapping[str, Entry]
) -> ListingPage:
    """A kept page (`plan_listing_ids_cached`) with its entries as they are now."""
    return replace(page, entries=tuple(by_id[i] for i in ids))


def generate_facet_index_pages(catalog: Catalog, settings: SiteSettings) -> Iterable[GeneratedPage]:
    """`/districts/`, `/years/`, … : each facet's values with counts, so that every listing
    folder has a page (a visitor who shortens a URL finds one)."""
    for facet, values in plan_facet_counts_cached(catalog):
        yield GeneratedPage(
            f"{facet.kind}/index.md",
            f"{facet.title_th} ({facet.title_en.capitalize()})",
            "facet-index.html",
            # Plain data: pages come back from the generators' process pickled.
            {
                "facet": {
                    "kind": facet.kind,
                    "title_th": facet.title_th,
                    "title_en": facet.title_en,
                },
                "values": values,
            },
        )
