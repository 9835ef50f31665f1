"""The `/search/` page: search and browse with filters, for supervisors and executives.

The page is rendered once with the filter choices of this build (`theme/search.html`);
`ifte-search-page.js` then reads the state from the URL, loads the compact data of
`search.facets` and the word index of `search.export`, and draws results and counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools.core.cache import remember
from build_tools.core.site import Generated, GeneratedPage, SiteSettings
from build_tools.search.facets import FILTERS, plan_filter_values

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog

SEARCH_PAGE = "search/index.md"
# value, Thai label; the first is the default when there are words, the second without.
SORTS = (
    ("relevance", "ตรงกับคำค้นมากที่สุด"),
    ("newest", "ใหม่ที่สุด"),
    ("oldest", "เก่าที่สุด"),
    ("title", "ชื่อผลงาน ก–ฮ"),
)


@dataclass(frozen=True)
class FilterGroup:
    param: str
    title: str
    title_en: str
    options: tuple[tuple[str, str], ...]  # (code, Thai label)


def plan_filter_groups_cached(catalog: Catalog) -> tuple[FilterGroup, ...]:
    """`plan_filter_groups`, kept between builds under the entries' codes."""
    inputs = (
        repr(catalog.vocabularies.by_kind),
        catalog.codes_digest,
    )
    return remember(catalog.root, "filter-groups", inputs, lambda: plan_filter_groups(catalog))


def plan_filter_groups(catalog: Catalog) -> tuple[FilterGroup, ...]:
    """Every filter with the values this repository uses (a filter nobody uses is left out)."""
    groups = []
    for search_filter in FILTERS:
        options = plan_filter_values(search_filter, catalog.entries, catalog.vocabularies)
        if options:
            groups.append(
                FilterGroup(
                    search_filter.param, search_filter.title, search_filter.title_en, tuple(options)
                )
            )
    return tuple(groups)


def generate_search_page(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    yield GeneratedPage(
        SEARCH_PAGE,
        "ค้นหาผลงาน",
        "search.html",
        context={
            "search_groups": plan_filter_groups_cached(catalog),
            "search_sorts": SORTS,
        },
        in_nav=True,
    )
