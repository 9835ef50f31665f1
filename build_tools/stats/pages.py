"""The `/stats/` page: charts (SVG), tables beside them and a CSV file per table.

CSV files live under `data/stats/` so the open-data package can list them too
(`plan_stats_tables`); the SVG of each chart is also written as a file, for reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from build_tools.charts import (
    Bar,
    Series,
    Tile,
    format_description,
    render_bar_chart,
    render_stacked_bar_chart,
    render_tile_map,
)
from build_tools.export.tables import Column, DataTable, format_table_csv
from build_tools.loader import Catalog
from build_tools.site import Generated, GeneratedFile, GeneratedPage, SiteSettings
from build_tools.stats.counts import (
    CountTable,
    CrossTable,
    Statistics,
    YearReview,
    plan_statistics_cached,
)
from build_tools.thaidate import format_thai_date

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


def plan_tiles(table: CountTable) -> list[Tile]:
    """Districts on the tile map; districts the layout does not know go to an extra row."""
    layout = read_district_layout()
    extra_row = max((row for _, row in layout.values()), default=-1) + 1
    tiles, extra = [], 0
    for row in table.rows:
        place = layout.get(row.label.code)
        if place is None:
            place, extra = (extra, extra_row), extra + 1
        tiles.append(Tile(row.label.label, row.cell.count, *place))
    return tiles


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
    latest, previous = f"พ.ศ. {review.year}", f"พ.ศ. {review.previous_year}"
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


def generate_stats_pages(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    stats = plan_statistics_cached(catalog, search=has_search_page(settings.root))
    charts: dict[str, str] = {}
    for table in stats.tables + stats.best_practice_tables:
        if table.key != "districts":  # districts are drawn as a map instead
            charts[table.key] = render_table_chart(table)
    charts["district-map"] = render_district_map(stats.table("districts"))
    years_categories = next(t for t in stats.cross_tables if t.key == "years-categories")
    charts[years_categories.key] = render_cross_chart(years_categories)
    files: dict[str, dict[str, str]] = {}
    for data in plan_stats_tables(stats):
        key = data.path.rsplit("/", 1)[1].removesuffix(".csv")
        files.setdefault(key, {})["csv"] = data.path
        yield GeneratedFile(data.path, format_table_csv(data))
    for key, svg in charts.items():
        path = f"{SVG_FOLDER}/{key}.svg"
        files.setdefault(key, {})["svg"] = path
        yield GeneratedFile(path, '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n")
    yield GeneratedPage(
        STATS_PAGE,
        "สถิติผลงาน",
        "stats.html",
        context={
            "stats": stats,
            "charts": charts,
            "stats_files": files,
            "status_text": STATUS_TEXT,
            "stats_updated": format_thai_date(stats.updated),
            "stats_updated_iso": stats.updated.isoformat() if stats.updated else "",
        },
        in_nav=True,
    )
