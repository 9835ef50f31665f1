"""Which features make which pages and files: the one place that imports them all.

`site.py` holds the registries and the types that features share; this module fills the
registries. Kept apart so features import `site` and nothing imports them back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from build_tools.core.site import (
    ENTRY_EXTRAS,
    PAGE_GENERATORS,
    POST_BUILD_EXPORTERS,
    POST_BUILD_REPORTS,
    Generated,
    GeneratedFile,
    SiteSettings,
)

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog


def generate_schema_file(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    from build_tools.core.schema import format_schema

    yield GeneratedFile("schema/entry.schema.json", format_schema(catalog.vocabularies))


def register_features() -> None:
    """Fill the registries once. Feature modules are imported here, in one place."""
    registries = (PAGE_GENERATORS, POST_BUILD_EXPORTERS, POST_BUILD_REPORTS)
    if any(registries) or ENTRY_EXTRAS:
        return
    PAGE_GENERATORS.append(generate_schema_file)
    from build_tools.pages.htaccess import generate_htaccess
    from build_tools.pages.images import generate_thumbnails
    from build_tools.pages.listings import generate_facet_index_pages

    PAGE_GENERATORS.extend((generate_htaccess, generate_facet_index_pages, generate_thumbnails))
    # Feature modules add themselves below (one line each).
    from build_tools.search.export import export_site_search

    POST_BUILD_EXPORTERS.append(export_site_search)
    from build_tools.features.govpages import generate_gov_pages
    from build_tools.features.oit import generate_oit_page

    PAGE_GENERATORS.extend((generate_gov_pages, generate_oit_page))
    from build_tools.features.pageweight import export_page_weight_report

    POST_BUILD_REPORTS.append(export_page_weight_report)
    from build_tools.features.discovery import plan_entry_extras
    from build_tools.features.feeds import generate_feeds
    from build_tools.features.opendata.pages import generate_open_data
    from build_tools.features.stats import generate_stats_pages

    PAGE_GENERATORS.extend((generate_stats_pages, generate_open_data, generate_feeds))
    from build_tools.features.report.pages import generate_report_pages

    PAGE_GENERATORS.append(generate_report_pages)
    from build_tools.contribute.guide import generate_guide_page
    from build_tools.contribute.submitform import generate_submit_page

    PAGE_GENERATORS.extend((generate_submit_page, generate_guide_page))
    ENTRY_EXTRAS.append(plan_entry_extras)
    from build_tools.features.searchpage import generate_search_page
    from build_tools.search.facets import export_site_facets

    POST_BUILD_EXPORTERS.append(export_site_facets)  # after the search export it records
    PAGE_GENERATORS.append(generate_search_page)
    from build_tools.search.suggestions import generate_suggestion_files

    PAGE_GENERATORS.append(generate_suggestion_files)
    from build_tools.features.network.pages import generate_network_page, plan_adoption_extras
    from build_tools.features.selection.pages import generate_selection_pages, plan_selection_extras

    PAGE_GENERATORS.extend((generate_selection_pages, generate_network_page))
    ENTRY_EXTRAS.extend((plan_selection_extras, plan_adoption_extras))
