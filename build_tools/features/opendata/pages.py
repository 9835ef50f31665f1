"""The `/data/` page and the open-data files it describes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache, partial

from build_tools.core.attachments import format_size
from build_tools.core.cache import ENTRY_SHARDS, map_by_fingerprint, remember
from build_tools.core.loader import Catalog
from build_tools.core.model import Entry
from build_tools.core.site import Generated, GeneratedFile, GeneratedPage, SiteSettings
from build_tools.core.thaidate import format_thai_date
from build_tools.features.feeds import FEEDS
from build_tools.features.opendata.datapackage import (
    DATAPACKAGE,
    PackageFile,
    package_file,
    plan_datapackage,
)
from build_tools.features.opendata.gdcatalog import (
    Resource,
    format_organization,
    plan_gdcatalog,
    plan_gdcatalog_rows,
)
from build_tools.features.opendata.records import (
    CATALOGUE_JSON,
    COLUMNS,
    ENTRY_SCHEMA,
    RECORD_SCHEMA,
    RecordContext,
    format_entry_json_path,
    format_json,
    format_json_from_lines,
    format_json_line,
    plan_catalogue_table,
    plan_entry_document,
    plan_json_table_schema,
    plan_record,
    plan_record_schema,
)
from build_tools.features.opendata.tables import (
    DataTable,
    format_csv_from_lines,
    format_csv_line,
    format_table_csv,
)
from build_tools.features.stats.counts import plan_statistics_cached
from build_tools.features.stats.pages import plan_stats_tables

DATA_PAGE = "data/index.md"
GDCATALOG = "data/gdcatalog.json"


def _download(path: str, title: str, kind: str, size: int, rows: int | None = None) -> dict:
    return {
        "url": path,
        "title": title,
        "format": kind,
        "size": format_size(size),
        "rows": rows,
    }


def generate_open_data(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    context = RecordContext(catalog.vocabularies, settings.site_url)
    entries = catalog.entries
    updated = max((e.updated for e in entries if e.updated), default=None)
    first = min((e.submitted for e in entries if e.submitted), default=None)

    # What the open-data files are made from besides each entry: the address.
    salt = settings.site_url
    catalogue = plan_catalogue_table((), context)  # its columns: the rows are the lines
    header = [c.name for c in catalogue.columns]
    key, csv_size, json_size = _plan_catalogue_key(catalog, context, salt, header)

    @cache
    def catalogue_files() -> tuple[bytes, bytes]:
        """The catalogue's CSV and JSON files: made only when their key is new."""
        csv_lines, json_lines = _plan_lines_cached(catalog, context, salt)
        return format_csv_from_lines(header, csv_lines), format_json_from_lines(json_lines)

    csv_hash = remember(
        catalog.root,
        "catalogue-hash",
        key,
        lambda: hashlib.sha256(catalogue_files()[0]).hexdigest(),
    )
    json_table = DataTable(
        "innovations-json",
        CATALOGUE_JSON,
        "ทะเบียนผลงานนวัตกรรมและแนวปฏิบัติที่เป็นเลิศ (JSON)",
        catalogue.description,
        catalogue.columns,
        (),
    )
    stats_tables = plan_stats_tables(plan_statistics_cached(catalog))
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
    gd_settings = settings.extra.get("gdcatalog") or {}
    gdcatalog = plan_gdcatalog(
        gd_settings,
        settings.extra,
        settings.site_name,
        settings.site_url,
        resources,
        first_date=first.isoformat() if first else "",
        last_date=updated.isoformat() if updated else "",
    )
    # The data package says what the GD Catalog record says: one set of settings.
    package = plan_datapackage(
        [
            PackageFile(catalogue, csv_size, csv_hash, "csv"),
            PackageFile(json_table, json_size, "", "json", plan_json_table_schema()),
            *(package_file(t, format_table_csv(t), "csv") for t in stats_tables),
        ],
        name=str(gdcatalog["name"]),
        title=str(gdcatalog["title"]),
        description=str(gdcatalog["notes"]),
        homepage=f"{settings.site_url}data/" if settings.site_url else "",
        keywords=str(gdcatalog["tag_string"]).split(","),
        publisher=format_organization(gd_settings, settings.extra),
        email=str(gdcatalog["maintainer_email"]),
        updated=updated.isoformat() if updated else "",
    )
    package_bytes = format_json(package).encode()
    gdcatalog_bytes = format_json(gdcatalog).encode()
    schema_bytes = format_json(plan_record_schema(settings.site_url)).encode()

    yield GeneratedFile(catalogue.path, lambda: catalogue_files()[0], key)
    yield GeneratedFile(CATALOGUE_JSON, lambda: catalogue_files()[1], key)
    yield GeneratedFile(RECORD_SCHEMA, schema_bytes)
    yield GeneratedFile(DATAPACKAGE, package_bytes)
    yield GeneratedFile(GDCATALOG, gdcatalog_bytes)
    # One file per entry, made only when its entry (or this code, or the site's address)
    # changed: thousands of them otherwise.
    for entry in entries:
        fingerprint = catalog.fingerprints.get(entry.id)
        yield GeneratedFile(
            format_entry_json_path(entry),
            partial(_format_entry_json, entry, context),
            key=hashlib.sha256(f"{salt}\0{fingerprint}".encode()).hexdigest()[:24]
            if fingerprint
            else "",
        )

    downloads = [
        _download(catalogue.path, catalogue.title, "CSV", csv_size, len(entries)),
        _download(CATALOGUE_JSON, json_table.title, "JSON", json_size, len(entries)),
        _download(DATAPACKAGE, "Data Package (Frictionless)", "JSON", len(package_bytes)),
        _download(
            GDCATALOG,
            "ข้อมูลสำหรับลงทะเบียน GD Catalog (CKAN thai_gdc)",
            "JSON",
            len(gdcatalog_bytes),
        ),
        _download(RECORD_SCHEMA, "JSON Schema ของข้อมูลรายผลงาน", "JSON Schema", len(schema_bytes)),
    ]
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
                "entry_json_example": format_entry_json_path(entries[0]) if entries else "",
                "entry_count": len(entries),
                "feeds": FEEDS,
                "updated": format_thai_date(updated),
                "updated_iso": updated.isoformat() if updated else "",
            }
        },
        in_nav=True,
    )


def _format_entry_json(entry: Entry, context: RecordContext) -> str:
    return format_json(plan_entry_document(entry, context), compact=True)


def plan_catalogue_lines(entry: Entry, context: RecordContext) -> tuple[bytes, bytes]:
    """An entry's lines in the catalogue's CSV and JSON files, encoded."""
    record = plan_record(entry, context)
    return format_csv_line(tuple(record.values())).encode(), format_json_line(record).encode()


def plan_catalogue_digest(entry: Entry, context: RecordContext) -> tuple[int, int, bytes]:
    """The sizes of an entry's `plan_catalogue_lines` and a hash of them."""
    csv, json = plan_catalogue_lines(entry, context)
    return len(csv), len(json), hashlib.blake2b(csv + json, digest_size=16).digest()


def _plan_catalogue_key(
    catalog: Catalog, context: RecordContext, salt: str, header: list[str]
) -> tuple[str, int, int]:
    """The key of the catalogue files (a hash of every line, in order), and their sizes.

    The files hold 70 MB at 20,000 entries. Made from the lines kept per entry, they took
    half a second of every build, which then read them back to find them unchanged: an
    edit of a body changes no line. Each entry's line hashes are kept under its
    fingerprint, so a build makes the files only when a line changed."""
    digests = map_by_fingerprint(
        catalog.root,
        "catalogue-digests",
        salt,
        catalog.entries,
        catalog.fingerprints,
        partial(plan_catalogue_digest, context=context),
        shards=ENTRY_SHARDS,
    )
    ordered = [digests[entry.id] for entry in catalog.entries]
    key = hashlib.sha256(f"{salt}\0{header}\0{len(ordered)}\0".encode())
    for csv_bytes, json_bytes, digest in ordered:
        key.update(b"%d,%d," % (csv_bytes, json_bytes) + digest)
    csv_size = len(format_csv_from_lines(header, ())) + sum(d[0] for d in ordered)
    # "[\n" + ",\n".join(lines) + "\n]\n"
    json_size = len(format_json_from_lines(())) + sum(d[1] + 2 for d in ordered) - 2 * bool(ordered)
    return key.hexdigest()[:24], csv_size, json_size


def _plan_lines_cached(
    catalog: Catalog, context: RecordContext, salt: str
) -> tuple[list[bytes], list[bytes]]:
    """Every entry's `plan_catalogue_lines` (the CSV lines, the JSON lines), kept between
    builds under its fingerprint: the catalogue files of 20,000 entries are then joined,
    not formatted. Kept as plain tuples: a named tuple is made by a Python call for each,
    which quadrupled the time to read them back."""
    lines = map_by_fingerprint(
        catalog.root,
        "catalogue-lines",
        salt,
        catalog.entries,
        catalog.fingerprints,
        partial(plan_catalogue_lines, context=context),
        shards=ENTRY_SHARDS,
    )
    ordered = [lines[entry.id] for entry in catalog.entries]
    return [csv for csv, _ in ordered], [json for _, json in ordered]
