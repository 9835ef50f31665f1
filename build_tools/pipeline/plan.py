"""The site as data: every page with its template, its data and its rebuild key.

`plan_site` runs the features (entry extras, page generators) and plans entry,
listing and generated pages; `SitePlan.context` gives a page's template data when it
is rendered. Pure: no site engine, nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from build_tools.core.cache import build_fingerprint
from build_tools.core.loader import Catalog
from build_tools.core.model import Entry
from build_tools.core.site import (
    ENTRY_EXTRAS,
    PAGE_GENERATORS,
    EntryData,
    GeneratedFile,
    GeneratedPage,
    SiteSettings,
)
from build_tools.core.thaidate import format_thai_date
from build_tools.pages.home import plan_home
from build_tools.pages.listings import (
    ListingPage,
    look_up_entries,
    plan_facet_counts_cached,
    plan_listing_ids_cached,
)
from build_tools.pages.presentation import present_card, present_entry
from build_tools.pipeline.incremental import output_path, page_key, plan_card_keys, text_key
from build_tools.pipeline.registry import register_features

# Listings MkDocs puts in the navigation (it reads them to resolve it).
NAV_LISTINGS = frozenset({"innovations/index.md", "best-practice/index.md", "browse/index.md"})
BROWSE = "browse"  # the data of /browse/: the facet counts


@dataclass(frozen=True)
class PlannedPage:
    src_uri: str
    title: str
    template: str
    data: object  # Entry, ListingPage (its entries in `entry_ids`), GeneratedPage or BROWSE
    in_nav: bool = False
    body: str = ""  # Markdown for the site engine to render; "" = the template's HTML (an
    # entry's body is rendered by `pipeline.rendering`, or else given here by the adapter)
    key: str = ""  # the same key, the same page; "" = always rendered
    entry_ids: tuple[str, ...] = ()

    @property
    def output(self) -> str:
        return output_path(self.src_uri)

    @property
    def updated(self):
        return self.data.updated if isinstance(self.data, Entry) else None


@dataclass
class SitePlan:
    catalog: Catalog
    settings: SiteSettings
    pages: list[PlannedPage]
    files: list[GeneratedFile]
    extras: dict[str, list[EntryData]]
    views: dict[str, dict] = field(default_factory=dict)

    def present(self, entry: Entry) -> dict:
        view = self.views.get(entry.id)
        if view is None:
            settings = self.settings
            view = present_entry(
                entry, self.catalog.vocabularies, settings.site_name, settings.site_url
            )
            self.views[entry.id] = view
        return view

    def page_keys(self) -> dict[str, str]:
        return {page.src_uri: page.key for page in self.pages if page.key}

    def file_keys(self) -> dict[str, str]:
        return {item.uri: item.key for item in self.files if item.key}

    def outputs(self) -> set[str]:
        """The site-relative files the pages and generated files are written to."""
        return {page.output for page in self.pages} | {item.uri for item in self.files}

    def sitemap_pages(self, other_urls: list[str]) -> list[tuple[str, object]]:
        """(URL, date) of each keyed page, and of `other_urls` (pages of the engine's own)."""
        dated = [(p.src_uri.removesuffix("index.md"), p.updated) for p in self.pages if p.key]
        return [(url, None) for url in other_urls] + dated

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        return {entry.id: entry for entry in self.catalog.entries}

    @cached_property
    def facets(self) -> list:
        return plan_facet_counts_cached(self.catalog)

    def context(self, page: PlannedPage | None, is_homepage: bool = False) -> dict:
        """What the template of `page` (None: a hand-written page) is given."""
        data = page.data if page else None
        context: dict = {}
        if isinstance(data, GeneratedPage):
            context.update(data.context)
        elif isinstance(data, Entry):
            context["entry"] = self.present(data)
            for extra in self.extras.get(data.id, ()):
                context.update(extra.data())
        elif isinstance(data, ListingPage):
            listing = look_up_entries(data, page.entry_ids, self.by_id)
            context["listing"] = listing
            context["listing_entries"] = [present_card(self.present(e)) for e in listing.entries]
        elif data == BROWSE or is_homepage:
            context["facets"] = self.facets
        if is_homepage:
            entries = self.catalog.entries
            context.update(plan_home(self.catalog, self.present, self.facets))
            context["updated_thai"] = format_thai_date(
                max((e.updated for e in entries if e.updated), default=None)
            )
        return context


def plan_site(catalog: Catalog, settings: SiteSettings, page_size: int) -> SitePlan:
    register_features()
    extras: dict[str, list[EntryData]] = {}
    for provider in ENTRY_EXTRAS:
        for entry_id, extra in provider(catalog, settings).items():
            extras.setdefault(entry_id, []).append(extra)
    plan = SitePlan(catalog, settings, [], [], extras)
    plan.pages += _plan_entry_pages(plan)
    plan.pages += _plan_listing_pages(plan, page_size)
    for generator in PAGE_GENERATORS:
        for item in generator(catalog, settings):
            if isinstance(item, GeneratedPage):
                plan.pages.append(
                    PlannedPage(
                        item.src_uri, item.title, item.template, item, item.in_nav, item.body
                    )
                )
            else:
                plan.files.append(item)
    return plan


def _plan_entry_pages(plan: SitePlan) -> list[PlannedPage]:
    catalog, settings = plan.catalog, plan.settings
    site = (settings.site_name, settings.site_url)
    pages = []
    for entry in catalog.entries:
        # What the entry (its fingerprint), the settings and the extras (their keys) make
        # through the code and theme, which the site salt covers: no entry is presented
        # to know whether its page changed.
        extra_keys = [extra.key for extra in plan.extras.get(entry.id, ())]
        key = text_key(catalog.fingerprints[entry.id], *site, *extra_keys)
        pages.append(
            PlannedPage(f"{entry.url}index.md", entry.title, "innovation.html", entry, key=key)
        )
    return pages


def _plan_listing_pages(plan: SitePlan, page_size: int) -> list[PlannedPage]:
    """Listing pages (and /browse/), keyed by their entries' cards."""
    catalog, settings = plan.catalog, plan.settings
    site = (settings.site_name, settings.site_url)
    cards = plan_card_keys(
        catalog.entries,
        catalog.fingerprints,
        plan.present,
        catalog.root,
        page_key(build_fingerprint(), site),
    )
    pages = []
    for listing, ids in plan_listing_ids_cached(catalog, page_size):
        key = text_key(
            listing.title,
            listing.title_en,
            listing.url,
            f"{listing.page_number} {listing.page_count} {listing.total}",
            *[cards[i] for i in ids],
        )
        in_nav = listing.src_uri in NAV_LISTINGS
        pages.append(
            PlannedPage(
                listing.src_uri, listing.title, "listing.html", listing, in_nav, "", key, ids
            )
        )
    pages.append(PlannedPage("browse/index.md", "เรียกดูผลงาน", "browse.html", BROWSE, True))
    return pages
