"""Plan the home page: headline numbers, the Best Practice showcase, the latest entries
(none shown twice) and the facets it offers for browsing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from build_tools.core.model import Entry

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog
    from build_tools.pages.listings import Facet, FacetValue

HOME_SHOWCASE = 3  # Best Practice cards: one row on a desktop, the first on a phone's screen
HOME_LATEST = 6
HOME_FACETS = ("categories", "districts", "levels")  # the browse block: area, district, level


def plan_home(
    catalog: Catalog,
    present: Callable[[Entry], dict],
    facets: Sequence[tuple[Facet, list[FacetValue]]] = (),
) -> dict:
    """Template data of the home page; `present` makes a card's data of an entry."""
    entries = catalog.entries  # newest first
    best = [e for e in entries if e.is_best_practice]
    shown = {e.id for e in best[:HOME_SHOWCASE]}
    latest = [e for e in entries if e.id not in shown][:HOME_LATEST]
    return {
        "best_practice_entries": [present(e) for e in best[:HOME_SHOWCASE]],
        "latest_entries": [present(e) for e in latest],
        "home_numbers": {
            "entries": len(entries),
            "best_practice": len(best),
            "districts": len({e.school.district for e in entries}),
            "schools": len({e.school.name for e in entries}),
        },
        "home_facets": [(f, values) for f, values in facets if f.kind in HOME_FACETS],
    }
