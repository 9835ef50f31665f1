"""`/network/`: where innovations came from and where they went, on the district map; the
most-adopted innovations; adoptions by district and affiliation; indicator 6.1.3 (share of
innovations adopted by another school). Also the adoption list on each entry page
(`ENTRY_EXTRAS`) and the adoptions as open data (CSV, without contacts).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from functools import partial

from build_tools.charts import Tile, render_tile_map
from build_tools.errors import ValidationError
from build_tools.export.tables import format_csv
from build_tools.features.network.adoptions import Adoption, find_adoption_files, load_adoptions
from build_tools.loader import Catalog
from build_tools.problems import count_errors, format_text, sort_problems
from build_tools.site import EntryData, Generated, GeneratedFile, GeneratedPage, SiteSettings
from build_tools.stats.pages import read_district_layout

NETWORK_PAGE = "network/index.md"
ADOPTIONS_CSV = "data/adoptions.csv"
_CODE_VERSION = "network-1"


def load_checked_adoptions(catalog: Catalog) -> tuple[Adoption, ...]:
    adoptions, problems = load_adoptions(catalog)
    if count_errors(problems):
        shown = "\n".join(format_text(p) for p in sort_problems(problems) if p.is_error)
        raise ValidationError(
            f"ไฟล์การนำผลงานไปใช้มีข้อผิดพลาด:\n{shown}", "An adoptions file has errors (above)"
        )
    return adoptions


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
    layout = read_district_layout()
    extra_row = max((row for _, row in layout.values()), default=-1) + 1
    tiles, extra = [], 0
    for term in catalog.vocabularies["districts"].terms:
        place = layout.get(term.code)
        if place is None:
            place, extra = (extra, extra_row), extra + 1
        tiles.append(Tile(term.th, counts.get(term.code, 0), *place))
    return tiles


def _counts_table(counts: Counter, kind: str, catalog: Catalog) -> list[dict]:
    terms = catalog.vocabularies[kind].terms
    rows = [{"code": t.code, "label": t.th, "count": counts.get(t.code, 0)} for t in terms]
    return sorted(rows, key=lambda row: -row["count"])


def plan_network(catalog: Catalog, adoptions: tuple[Adoption, ...]) -> dict:
    """The page's numbers and tables (pure)."""
    entries = {entry.id: entry for entry in catalog.entries}
    sources = Counter(entry.school.district for entry in catalog.entries)
    targets = Counter(a.district for a in adoptions)
    flows = Counter((entries[a.entry].school.district, a.district) for a in adoptions)
    per_entry = Counter(a.entry for a in adoptions)
    v = catalog.vocabularies
    most = sorted(per_entry.items(), key=lambda item: (-item[1], item[0]))[:10]
    adopted = len(per_entry)
    return {
        "total": len(adoptions),
        "adopted_entries": adopted,
        "entries": len(entries),
        "schools": len({(a.school, a.district) for a in adoptions}),
        "districts_reached": len(targets),
        "adapted": sum(1 for a in adoptions if a.adapted),
        "indicator": f"{100 * adopted / len(entries):.1f}" if entries else "0.0",
        "source_tiles": plan_tiles(sources, catalog),
        "target_tiles": plan_tiles(targets, catalog),
        "by_district": _counts_table(targets, "districts", catalog),
        "by_affiliation": _counts_table(
            Counter(a.affiliation for a in adoptions), "affiliations", catalog
        ),
        "flows": [
            {"from": v.label("districts", a), "to": v.label("districts", b), "count": n}
            for (a, b), n in sorted(flows.items(), key=lambda item: (-item[1], item[0]))
        ],
        "most_adopted": [
            {
                "id": e,
                "title": entries[e].title,
                "url": entries[e].url,
                "school": entries[e].school.name,
                "count": n,
            }
            for e, n in most
        ],
        "recent": [
            present_adoption(a, catalog)
            | {"title": entries[a.entry].title, "url": entries[a.entry].url}
            for a in sorted(adoptions, key=lambda a: (-a.year, a.entry, a.school))[:20]
        ],
        "sample": any(a.sample for a in adoptions),
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
            "ปลายทาง: ผลงานที่สถานศึกษาในแต่ละอำเภอนำไปใช้",
            intro,
            network["target_tiles"],
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
