"""`/network/`: where innovations came from and where they went, on the district map; the
most-adopted innovations; adoptions by district and affiliation; indicator 6.1.3 (share of
innovations adopted by another school). Also the adoption list on each entry page
(`ENTRY_EXTRAS`) and the adoptions as open data (CSV, without contacts).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from functools import partial

from build_tools.core.loader import Catalog
from build_tools.core.site import (
    EntryData,
    Generated,
    GeneratedFile,
    GeneratedPage,
    SiteSettings,
)
from build_tools.features.network.adoptions import (
    Adoption,
    find_adoption_files,
    load_checked_adoptions,
)
from build_tools.features.network.counts import plan_adoption_counts
from build_tools.features.opendata.tables import format_csv
from build_tools.features.stats.pages import plan_district_tiles
from build_tools.pages.charts import Tile, render_tile_map

NETWORK_PAGE = "network/index.md"
ADOPTIONS_CSV = "data/adoptions.csv"
_CODE_VERSION = "network-1"


def present_adoption(adoption: Adoption, catalog: Catalog) -> dict:
    v = catalog.vocabularies
    return {
        "entry": adoption.entry,
        "school": adoption.school,
        "district": v.label("districts", adoption.district),
        "district_code": adoption.district,
        "affiliation": v.label("affiliations", adoption.affiliation),
        "year": adoption.year,
        "kind": "ปรับใช้ (adapted)" if adoption.adapted else "นำไปใช้ตามต้นแบบ (adopted as is)",
        "how": adoption.how,
        "result": adoption.result,
        "sample": adoption.sample,
    }


def plan_tiles(counts: Counter, catalog: Catalog) -> list[Tile]:
    terms = catalog.vocabularies["districts"].terms
    return plan_district_tiles((t.code, t.th, counts.get(t.code, 0)) for t in terms)


def plan_network(catalog: Catalog, adoptions: tuple[Adoption, ...]) -> dict:
    """The page's numbers and tables (pure); the counts are `/stats/`'s and the report's."""
    entries = {entry.id: entry for entry in catalog.entries}
    sources = Counter(entry.school.district for entry in catalog.entries)
    targets = Counter(a.district for a in adoptions)
    flows = Counter((entries[a.entry].school.district, a.district) for a in adoptions)
    v = catalog.vocabularies
    counts = plan_adoption_counts(catalog, adoptions)
    return {
        "total": counts.total,
        "adopted_entries": counts.adopted_entries,
        "entries": counts.entries,
        "schools": counts.schools,
        "districts_reached": counts.districts_reached,
        "adapted": counts.adapted,
        "indicator": counts.indicator,
        "source_tiles": plan_tiles(sources, catalog),
        "target_tiles": plan_tiles(targets, catalog),
        "by_district": [asdict(row) for row in counts.by_district],
        "by_affiliation": [asdict(row) for row in counts.by_affiliation],
        "flows": [
            {"from": v.label("districts", a), "to": v.label("districts", b), "count": n}
            for (a, b), n in sorted(flows.items(), key=lambda item: (-item[1], item[0]))
        ],
        "most_adopted": [asdict(item) for item in counts.most_adopted],
        "recent": [
            present_adoption(a, catalog)
            | {"title": entries[a.entry].title, "url": entries[a.entry].url}
            for a in sorted(adoptions, key=lambda a: (-a.year, a.entry, a.school))[:20]
        ],
        "sample": counts.sample,
    }


def format_adoptions_csv(adoptions: tuple[Adoption, ...], catalog: Catalog) -> bytes:
    v = catalog.vocabularies
    header = ["entry_id", "school", "district", "affiliation", "year", "adapted", "how", "result"]
    rows = [
        (
            a.entry,
            a.school,
            v.label("districts", a.district),
            v.label("affiliations", a.affiliation),
            a.year,
            a.adapted,
            a.how,
            a.result,
        )
        for a in adoptions
    ]
    return format_csv(header, rows)


def generate_network_page(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    adoptions = load_checked_adoptions(catalog)
    network = plan_network(catalog, adoptions)
    intro = "แผนผังอำเภอของจังหวัดลพบุรีแบบย่อ (ตำแหน่งโดยประมาณ) สีเข้มหมายถึงจำนวนมาก"
    maps = {
        "source": render_tile_map(
            "chart-network-source", "ต้นทาง: ผลงานที่พัฒนาในแต่ละอำเภอ", intro, network["source_tiles"]
        ),
        "target": render_tile_map(
            "chart-network-target",
            "ปลายทาง: จำนวนแห่งที่สถานศึกษาในแต่ละอำเภอนำผลงานไปใช้",
            intro,
            network["target_tiles"],
            unit="แห่ง",
            empty="ยังไม่มี",
        ),
    }
    yield GeneratedFile(ADOPTIONS_CSV, format_adoptions_csv(adoptions, catalog))
    yield GeneratedPage(
        NETWORK_PAGE,
        "เครือข่ายการนำนวัตกรรมไปใช้",
        "network.html",
        context={"network": network, "network_maps": maps, "adoptions_csv": ADOPTIONS_CSV},
        in_nav=True,
    )


def plan_adoption_extras(catalog: Catalog, settings: SiteSettings) -> dict[str, EntryData]:
    """`entry_adoptions` on each adopted entry's page (`site.ENTRY_EXTRAS`)."""
    adoptions = load_checked_adoptions(catalog)
    by_entry: dict[str, list[dict]] = {}
    for adoption in adoptions:
        by_entry.setdefault(adoption.entry, []).append(present_adoption(adoption, catalog))
    digest = hashlib.sha256(_CODE_VERSION.encode())
    for file in find_adoption_files(catalog.root):
        digest.update(file.read_bytes())
    key = digest.hexdigest()[:24]
    return {
        entry_id: EntryData(partial(dict, entry_adoptions=items), f"{key} {items!r}")
        for entry_id, items in by_entry.items()
    }
