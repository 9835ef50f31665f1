"""The `/stats/` page: charts (SVG), tables beside them and a CSV file per table.

CSV files live under `data/stats/` so the open-data package can list them too
(`plan_stats_tables`); the SVG of each chart is also written as a file, for reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from build_tools.core.loader import Catalog
from build_tools.core.periods import ACADEMIC, ALL, YEAR, Period, plan_periods
from build_tools.core.site import Generated, GeneratedFile, GeneratedPage, SiteSettings
from build_tools.core.thaidate import format_thai_date
from build_tools.features.opendata.tables import Column, DataTable, format_table_csv
from build_tools.features.stats.counts import (
    CountTable,
    CrossTable,
    Statistics,
    YearReview,
    format_filter_url,
    plan_period_filters,
    plan_statistics,
    plan_statistics_cached,
)
from build_tools.features.stats.indicators import plan_indicators
from build_tools.features.stats.participation import Participation, load_participation, plan_rates
from build_tools.pages.charts import (
    Bar,
    Series,
    Tile,
    format_description,
    render_bar_chart,
    render_stacked_bar_chart,
    render_tile_map,
)

if TYPE_CHECKING:
    from build_tools.features.network.counts import AdoptionCounts

STATS_PAGE = "stats/index.md"
CSV_FOLDER = "data/stats"
SVG_FOLDER = "stats"
DISTRICT_MAP = Path(__file__).with_name("district_map.yml")
STATUS_TEXT = {
    "none": "ไม่มีผลงาน",
    "few": "มีน้อย",
    "up": "เพิ่มขึ้น",
    "down": "ลดลง",
    "same": "เท่าเดิม",
}


def has_search_page(root: Path) -> bool:
    """Whether the site has a `/search/` page whose filters our numbers can link to."""
    return any(
        (root / path).is_file()
        for path in ("theme/search.html", "content/search.md", "content/search/index.md")
    )


@lru_cache(maxsize=1)
def read_district_layout() -> dict[str, tuple[int, int]]:
    data = yaml.safe_load(DISTRICT_MAP.read_text(encoding="utf-8")) or {}
    return {code: (int(place[0]), int(place[1])) for code, place in data.items()}


def plan_district_tiles(values: Iterable[tuple[str, str, int]]) -> list[Tile]:
    """(code, label, value) of each district in vocabulary order → tiles of the map;
    districts the layout does not know go to an extra row."""
    layout = read_district_layout()
    extra_row = max((row for _, row in layout.values()), default=-1) + 1
    tiles, extra = [], 0
    for code, label, value in values:
        place = layout.get(code)
        if place is None:
            place, extra = (extra, extra_row), extra + 1
        tiles.append(Tile(label, value, *place))
    return tiles


def plan_tiles(table: CountTable) -> list[Tile]:
    return plan_district_tiles((r.label.code, r.label.label, r.cell.count) for r in table.rows)


def _bars(table: CountTable) -> list[Bar]:
    return [Bar(row.label.label, row.cell.count) for row in table.rows]


def render_table_chart(table: CountTable) -> str:
    intro = f"แผนภูมิแท่ง{table.title} จากผลงานทั้งหมด {table.entries:,} ผลงาน"
    return render_bar_chart(
        f"chart-{table.key}", table.title, format_description(intro, _bars(table)), _bars(table)
    )


def render_district_map(table: CountTable) -> str:
    title = f"แผนผังอำเภอ: {table.title}"
    intro = (
        "แผนผังอำเภอของจังหวัดลพบุรีแบบย่อ (ตำแหน่งโดยประมาณ) "
        "สีเข้มหมายถึงมีผลงานมาก กรอบเส้นประหมายถึงยังไม่มีผลงาน"
    )
    return render_tile_map(
        "chart-district-map", title, format_description(intro, _bars(table)), plan_tiles(table)
    )


def render_cross_chart(table: CrossTable) -> str:
    """Stacked bars: one bar per row value, split by the column values."""
    series = [
        Series(column.label, tuple(row[i].count for row in table.cells))
        for i, column in enumerate(table.columns)
    ]
    parts = []
    for r, label in enumerate(table.rows):
        split = ", ".join(
            f"{c.label} {table.cells[r][i].count}" for i, c in enumerate(table.columns)
        )
        parts.append(f"{label.label}: {split}")
    description = f"แผนภูมิแท่งซ้อน{table.title}: " + "; ".join(parts)
    return render_stacked_bar_chart(
        f"chart-{table.key}", table.title, description, [r.label for r in table.rows], series
    )


# --- CSV tables ------------------------------------------------------------------------


def _count_columns(table: CountTable) -> tuple[Column, ...]:
    return (
        Column("code", "string", "รหัส", "รหัสของค่า (ASCII) / stable code", required=True),
        Column("label", "string", table.dimension, f"{table.dimension} / {table.dimension_en}"),
        Column("label_en", "string", f"{table.dimension} (อังกฤษ)", "English label"),
        Column("count", "integer", "จำนวนผลงาน", "จำนวนผลงาน / number of entries", required=True),
    )


def plan_count_data(table: CountTable) -> DataTable:
    rows = tuple((r.label.code, r.label.label, r.label.label_en, r.cell.count) for r in table.rows)
    note = (
        " ผลงานหนึ่งชิ้นอาจนับได้หลายแถว / one entry may count in several rows"
        if table.multi_valued
        else ""
    )
    return DataTable(
        f"stats-{table.key}",
        f"{CSV_FOLDER}/{table.key}.csv",
        table.title,
        f"{table.title} ({table.title_en}).{note}",
        _count_columns(table),
        rows,
    )


def plan_cross_data(table: CrossTable) -> DataTable:
    columns = (
        Column("code", "string", "รหัส", "รหัสของแถว / row code", required=True),
        Column(table.row_dimension, "string", table.row_dimension, "ชื่อของแถว / row label"),
        *(Column(c.label, "integer", c.label, f"รหัส {c.code}") for c in table.columns),
        Column("รวม", "integer", "รวม", "จำนวนผลงานของแถว (นับผลงานละหนึ่งครั้ง) / row total"),
    )
    rows = tuple(
        (label.code, label.label, *(cell.count for cell in cells), total.count)
        for label, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)
    )
    return DataTable(
        f"stats-{table.key}",
        f"{CSV_FOLDER}/{table.key}.csv",
        table.title,
        f"ตารางไขว้{table.title} ({table.title_en})",
        columns,
        rows,
    )


def plan_review_data(review: YearReview) -> DataTable:
    latest, previous = review.latest_label, review.previous_label
    columns = (
        Column("code", "string", "รหัส", "รหัสของค่า / stable code", required=True),
        Column("label", "string", review.dimension, review.dimension),
        Column("latest", "integer", latest, f"จำนวนผลงานปี {latest}"),
        Column("previous", "integer", previous, f"จำนวนผลงานปี {previous}"),
        Column("difference", "integer", "เปลี่ยนแปลง", "ผลต่าง / difference"),
        Column("status", "string", "สถานะ", "ไม่มีผลงาน, มีน้อย, เพิ่มขึ้น, ลดลง, เท่าเดิม"),
    )
    rows = tuple(
        (
            c.label.code,
            c.label.label,
            c.latest.count,
            c.previous.count,
            c.difference,
            STATUS_TEXT[c.status],
        )
        for c in review.rows
    )
    return DataTable(
        f"stats-{review.key}",
        f"{CSV_FOLDER}/{review.key}.csv",
        review.title,
        f"{review.title} ({review.title_en})",
        columns,
        rows,
    )


def plan_stats_tables(stats: Statistics) -> list[DataTable]:
    """Every CSV file of the statistics page, in page order."""
    return [
        *(plan_count_data(t) for t in stats.tables + stats.best_practice_tables),
        *(plan_cross_data(t) for t in stats.cross_tables),
        *(plan_review_data(r) for r in stats.reviews),
    ]


# --- the page --------------------------------------------------------------------------


def format_period_folder(period: Period) -> str:
    """ "" for all years (the addresses the site always had), else "fiscal-2568/"."""
    return "" if period.kind == ALL else f"{period.key}/"


def format_period_criteria(period: Period) -> str:
    """What a period counts, in words: shown on screen and on paper."""
    if period.kind == ALL:
        return "ผลงานทุกปีในคลัง (all entries)"
    if period.kind == YEAR:
        return f"ผลงานที่ระบุ year: {period.year} (ปีปฏิทิน พ.ศ. ของผลงาน / entries of year {period.year} BE)"
    first, last = period.dates  # type: ignore[misc]
    basis = (
        "นับจากวันที่เริ่มดำเนินการ (started) หรือวันที่เสร็จ หรือวันที่ส่ง"
        if period.kind == ACADEMIC
        else "นับจากวันที่ส่งผลงาน (submitted) หรือวันที่ดำเนินการ"
    )
    return (
        f"{period.label} คือ {format_thai_date(first)} – {format_thai_date(last)} {basis}"
        f" / {period.label_en}"
    )


def plan_stats_page(
    catalog: Catalog,
    period: Period,
    search: bool,
    participation: Participation | None,
    adoption: AdoptionCounts | None = None,
) -> tuple[Statistics, dict]:
    """The numbers of one period's page: statistics, participation, indicators and the
    adoptions of the period (`features.network.counts`, the numbers of `/network/`)."""
    if period.kind == ALL:
        stats = plan_statistics_cached(catalog, search)
    else:  # dates place entries in these periods: not under the codes-only cache
        stats = plan_statistics(catalog, search, period)
    entries = period.select(catalog.entries)
    rates, rate_urls = {}, {}
    base = plan_period_filters(period, search)
    if participation:
        for kind in ("districts", "affiliations"):
            rates[kind] = plan_rates(participation, entries, catalog.vocabularies, kind)
            for rate in rates[kind] if base is not None else ():
                filters = [(kind, rate.code), *base]
                rate_urls[rate.code] = format_filter_url(filters, rate.taking_part, search)
    extra = {
        "participation": participation,
        "rates": rates,
        "rate_urls": rate_urls,  # the entries of the schools taking part
        "indicators": plan_indicators(
            entries, catalog.vocabularies, participation, stats.updated, adoption
        ),
        "criteria": format_period_criteria(period),
        "participation_as_of": format_thai_date(participation.as_of) if participation else "",
        "adoption": adoption,
    }
    return stats, extra


def render_adoption_map(adoption: AdoptionCounts, catalog: Catalog) -> str:
    """Where the period's adoptions went, on the district map: tiles count places (แห่ง)."""
    counts = {row.code: row.count for row in adoption.by_district}
    terms = catalog.vocabularies["districts"].terms
    tiles = plan_district_tiles((t.code, t.th, counts.get(t.code, 0)) for t in terms)
    bars = [Bar(tile.label, tile.value) for tile in tiles]
    intro = "แผนผังอำเภอแบบย่อ: จำนวนแห่งที่สถานศึกษาในแต่ละอำเภอนำผลงานไปใช้"
    return render_tile_map(
        "chart-adoption-map",
        "การนำผลงานไปใช้รายอำเภอ",
        format_description(intro, bars, unit="แห่ง"),
        tiles,
        unit="แห่ง",
        empty="ยังไม่มี",
    )


def generate_stats_pages(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    search = has_search_page(settings.root)
    participation = load_participation(settings.root, catalog.vocabularies)
    periods = plan_periods(catalog.entries)
    # Adoptions are a feature's data (issue 29) that indicator 6.1.3 counts; imported here,
    # not at the top, since the feature's pages import this module.
    from build_tools.features.network.adoptions import load_checked_adoptions
    from build_tools.features.network.counts import plan_period_adoptions

    adoptions = load_checked_adoptions(catalog)
    choices = [
        {"key": p.key, "kind": p.kind, "label": p.label, "url": f"stats/{format_period_folder(p)}"}
        for p in periods
    ]
    for period in periods:
        adoption = plan_period_adoptions(catalog, adoptions, period)
        stats, extra = plan_stats_page(catalog, period, search, participation, adoption)
        extra["adoption_map"] = render_adoption_map(adoption, catalog)
        yield from generate_period_page(stats, period, {**extra, "periods": choices}, settings)


def generate_period_page(
    stats: Statistics, period: Period, extra: dict, settings: SiteSettings
) -> Iterable[Generated]:
    folder = format_period_folder(period)
    charts: dict[str, str] = {}
    for table in stats.tables + stats.best_practice_tables:
        if table.key != "districts":  # districts are drawn as a map instead
            charts[table.key] = render_table_chart(table)
    charts["district-map"] = render_district_map(stats.table("districts"))
    if "adoption_map" in extra:
        charts["adoption-map"] = extra.pop("adoption_map")
    years_categories = next(t for t in stats.cross_tables if t.key == "years-categories")
    charts[years_categories.key] = render_cross_chart(years_categories)
    files: dict[str, dict[str, str]] = {}
    for data in plan_stats_tables(stats):
        key = data.path.rsplit("/", 1)[1].removesuffix(".csv")
        if folder:
            data = replace(
                data,
                path=f"{CSV_FOLDER}/{folder}{key}.csv",
                title=f"{data.title} ({period.label})",
            )
        files.setdefault(key, {})["csv"] = data.path
        yield GeneratedFile(data.path, format_table_csv(data))
    for key, svg in charts.items():
        path = f"{SVG_FOLDER}/{folder}{key}.svg"
        files.setdefault(key, {})["svg"] = path
        yield GeneratedFile(path, '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n")
    title = "สถิติผลงาน" if period.kind == ALL else f"สถิติผลงาน {period.label}"
    yield GeneratedPage(
        f"stats/{folder}index.md",
        title,
        "stats.html",
        context={
            "stats": stats,
            "charts": charts,
            "stats_files": files,
            "status_text": STATUS_TEXT,
            "stats_updated": format_thai_date(stats.updated),
            "stats_updated_iso": stats.updated.isoformat() if stats.updated else "",
            "period": period,
            "office": settings.extra.get("office", {}),
            **extra,
        },
        in_nav=period.kind == ALL,
    )
