"""The `/data/` page and the open-data files it describes."""

from __future__ import annotations

import json
from collections.abc import Iterable

from build_tools.attachments import format_size
from build_tools.export.datapackage import DATAPACKAGE, PackageFile, plan_datapackage
from build_tools.export.gdcatalog import Resource, plan_gdcatalog, plan_gdcatalog_rows
from build_tools.export.records import (
    CATALOGUE_JSON,
    COLUMNS,
    ENTRY_SCHEMA,
    RECORD_SCHEMA,
    RecordContext,
    format_entry_json_path,
    format_json,
    plan_catalogue_table,
    plan_entry_document,
    plan_json_table_schema,
    plan_record,
    plan_record_schema,
)
from build_tools.export.tables import DataTable, format_table_csv
from build_tools.feeds import FEEDS
from build_tools.loader import Catalog
from build_tools.site import Generated, GeneratedFile, GeneratedPage, SiteSettings
from build_tools.stats.counts import plan_statistics
from build_tools.stats.pages import plan_stats_tables
from build_tools.thaidate import format_thai_date

DATA_PAGE = "data/index.md"
GDCATALOG = "data/gdcatalog.json"
KEYWORDS = ("นวัตกรรมการศึกษา", "แนวปฏิบัติที่เป็นเลิศ", "Best Practice", "ลพบุรี", "IFTE")


def generate_open_data(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    context = RecordContext(catalog.vocabularies, settings.site_url)
    entries = catalog.entries
    catalogue = plan_catalogue_table(entries, context)
    csv_bytes = format_table_csv(catalogue)
    records = [plan_record(e, context) for e in entries]
    json_bytes = format_json(records).encode("utf-8")
    json_table = DataTable(
        "innovations-json",
        CATALOGUE_JSON,
        "ทะเบียนผลงานนวัตกรรมและแนวปฏิบัติที่เป็นเลิศ (JSON)",
        catalogue.description,
        catalogue.columns,
        (),
    )
    stats_tables = plan_stats_tables(plan_statistics(catalog))
    package_files = [
        PackageFile(catalogue, csv_bytes, "csv"),
        PackageFile(json_table, json_bytes, "json", plan_json_table_schema()),
        *(PackageFile(t, format_table_csv(t), "csv") for t in stats_tables),
    ]
    gd_settings = dict(settings.extra.get("gdcatalog") or {})
    office = settings.extra.get("office") or {}
    updated = max((e.updated for e in entries if e.updated), default=None)
    first = min((e.submitted for e in entries if e.submitted), default=None)
    title = str(gd_settings.get("title") or settings.site_name)
    description = str(gd_settings.get("notes") or "").strip()
    package = plan_datapackage(
        package_files,
        name=str(gd_settings.get("name") or "ifte-lopburi-innovations"),
        title=title,
        description=description,
        homepage=f"{settings.site_url}data/" if settings.site_url else "",
        keywords=gd_settings.get("tags") or KEYWORDS,
        publisher=str(gd_settings.get("organization") or office.get("name") or ""),
        email=str(gd_settings.get("maintainer_email") or office.get("email") or ""),
        updated=updated.isoformat() if updated else "",
    )
    resources = [
        Resource(catalogue.title, catalogue.path, "CSV", catalogue.description),
        Resource(json_table.title, json_table.path, "JSON", json_table.description),
        Resource(
            "Data Package (Frictionless)",
            DATAPACKAGE,
            "JSON",
            "คำอธิบายไฟล์และโครงสร้างข้อมูลทั้งหมด / describes every file",
        ),
        *(Resource(t.title, t.path, "CSV", t.description) for t in stats_tables),
    ]
    gdcatalog = plan_gdcatalog(
        gd_settings,
        settings.extra,
        settings.site_name,
        settings.site_url,
        resources,
        first_date=first.isoformat() if first else "",
        last_date=updated.isoformat() if updated else "",
    )

    yield GeneratedFile(catalogue.path, csv_bytes)
    yield GeneratedFile(CATALOGUE_JSON, json_bytes)
    yield GeneratedFile(RECORD_SCHEMA, format_json(plan_record_schema(settings.site_url)))
    yield GeneratedFile(DATAPACKAGE, format_json(package))
    yield GeneratedFile(GDCATALOG, format_json(gdcatalog))
    for entry in entries:
        yield GeneratedFile(
            format_entry_json_path(entry), format_json(plan_entry_document(entry, context))
        )

    def described(path: str, title: str, kind: str, size: int, rows: int | None = None) -> dict:
        return {
            "url": path,
            "title": title,
            "format": kind,
            "size": format_size(size),
            "rows": rows,
        }

    downloads = [
        described(catalogue.path, catalogue.title, "CSV", len(csv_bytes), len(records)),
        described(CATALOGUE_JSON, json_table.title, "JSON", len(json_bytes), len(records)),
        described(
            DATAPACKAGE, "Data Package (Frictionless)", "JSON", len(format_json(package).encode())
        ),
        described(
            GDCATALOG,
            "ข้อมูลสำหรับลงทะเบียน GD Catalog (CKAN thai_gdc)",
            "JSON",
            len(format_json(gdcatalog).encode()),
        ),
        described(
            RECORD_SCHEMA,
            "JSON Schema ของข้อมูลรายผลงาน",
            "JSON Schema",
            len(format_json(plan_record_schema(settings.site_url)).encode()),
        ),
    ]
    example = format_entry_json_path(entries[0]) if entries else ""
    yield GeneratedPage(
        DATA_PAGE,
        "ข้อมูลเปิด",
        "data.html",
        context={
            "opendata": {
                "downloads": downloads,
                "stats_tables": [
                    {"url": t.path, "title": t.title, "rows": len(t.rows)} for t in stats_tables
                ],
                "dictionary": [field.column for field in COLUMNS],
                "gdcatalog": plan_gdcatalog_rows(gdcatalog),
                "gdcatalog_url": GDCATALOG,
                "entry_schema_url": ENTRY_SCHEMA,
                "entry_json_pattern": "data/entries/<ปี พ.ศ.>/<ชื่อโฟลเดอร์>.json",
                "entry_json_example": example,
                "entry_count": len(entries),
                "feeds": FEEDS,
                "updated": format_thai_date(updated),
                "updated_iso": updated.isoformat() if updated else "",
                "package_name": package["name"],
                "package_json": json.dumps(package["licenses"], ensure_ascii=False),
            }
        },
        in_nav=True,
    )
