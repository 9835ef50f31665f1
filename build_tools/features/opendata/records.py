"""The catalogue as open data: one record per entry, as CSV, JSON and one JSON per entry.

`COLUMNS` is the one definition of a record: the CSV header, the Frictionless schema,
the JSON Schema and the data dictionary page are all generated from it.

Personal data (PDPA): a record holds only what the entry page shows to everyone —
authors' names and the school. E-mail addresses and positions are never exported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from build_tools.core.model import Entry
from build_tools.core.vocabularies import Vocabularies
from build_tools.features.opendata.tables import Column, DataTable

DATA_FOLDER = "data"
CATALOGUE_CSV = "data/innovations.csv"
CATALOGUE_JSON = "data/innovations.json"
RECORD_SCHEMA = "data/innovation.schema.json"
ENTRY_SCHEMA = "schema/entry.schema.json"  # front matter schema (build_tools.core.schema)
LIST_SEPARATOR = "; "


def format_absolute_url(site_url: str, path: str) -> str:
    """A site-relative path as a full URL; root-relative when the site URL is unknown."""
    return f"{site_url}{path}" if site_url else f"/{path}"


@dataclass(frozen=True)
class RecordContext:
    vocabularies: Vocabularies
    site_url: str  # absolute with trailing slash, or "" (links are then site-relative)

    def absolute(self, path: str) -> str:
        return format_absolute_url(self.site_url, path)


@dataclass(frozen=True)
class RecordField:
    column: Column
    value: Callable[[Entry, RecordContext], object]


def format_entry_json_path(entry: Entry) -> str:
    """Stable address of one entry's JSON: `data/entries/<year>/<slug>.json`."""
    return f"{DATA_FOLDER}/entries/{entry.year}/{entry.slug}.json"


def format_license_url(code: str) -> str:
    """Deed URL of a Creative Commons licence code ("CC-BY-SA-4.0"); "" if not CC."""
    if code == "CC0-1.0":
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    match = re.fullmatch(r"CC-((?:BY|NC|SA|ND)(?:-(?:BY|NC|SA|ND))*)-(\d\.\d)", code)
    if not match:
        return ""
    return f"https://creativecommons.org/licenses/{match[1].lower()}/{match[2]}/"


def _label(kind: str, code: str, context: RecordContext) -> str:
    return context.vocabularies.label(kind, code)


def _labels(kind: str, codes, context: RecordContext) -> list[str]:
    return [context.vocabularies.label(kind, code) for code in codes]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _field(
    name: str,
    type_: str,
    title: str,
    description: str,
    value: Callable[[Entry, RecordContext], object],
    example: str = "",
    required: bool = False,
) -> RecordField:
    return RecordField(Column(name, type_, title, description, example, required), value)


COLUMNS: tuple[RecordField, ...] = (
    _field(
        "id",
        "string",
        "รหัสผลงาน",
        "ปี พ.ศ./ชื่อโฟลเดอร์ ไม่เปลี่ยนแปลง / stable identifier",
        lambda e, c: e.id,
        "2567/reading-kit",
        required=True,
    ),
    _field(
        "url",
        "string",
        "หน้าเว็บของผลงาน",
        "ที่อยู่หน้าผลงาน / entry page URL",
        lambda e, c: c.absolute(e.url),
        "https://ifte.example.go.th/innovations/2567/reading-kit/",
        required=True,
    ),
    _field(
        "json_url",
        "string",
        "ข้อมูล JSON ของผลงาน",
        "ที่อยู่ไฟล์ JSON รายผลงาน / per-entry JSON",
        lambda e, c: c.absolute(format_entry_json_path(e)),
    ),
    _field(
        "year",
        "integer",
        "ปี พ.ศ.",
        "ปีที่ส่งผลงาน (พุทธศักราช) / year, Buddhist Era",
        lambda e, c: e.year,
        "2567",
        required=True,
    ),
    _field(
        "title", "string", "ชื่อผลงาน", "ชื่อผลงานภาษาไทย / title", lambda e, c: e.title, required=True
    ),
    _field(
        "title_en",
        "string",
        "ชื่อผลงานภาษาอังกฤษ",
        "English title (optional)",
        lambda e, c: e.title_en or None,
    ),
    _field(
        "type",
        "string",
        "ประเภทผลงาน (รหัส)",
        "innovation | best_practice",
        lambda e, c: e.type,
        "best_practice",
        required=True,
    ),
    _field(
        "type_label",
        "string",
        "ประเภทผลงาน",
        "ชื่อประเภทภาษาไทย / type label",
        lambda e, c: _label("types", e.type, c),
    ),
    _field(
        "category",
        "string",
        "ด้าน (รหัส)",
        "learning | management | supervision",
        lambda e, c: e.category,
        "learning",
        required=True,
    ),
    _field(
        "category_label",
        "string",
        "ด้าน",
        "ชื่อด้านภาษาไทย / category label",
        lambda e, c: _label("categories", e.category, c),
    ),
    _field(
        "school",
        "string",
        "สถานศึกษา/หน่วยงาน",
        "ชื่อสถานศึกษา / school or office",
        lambda e, c: e.school.name,
        required=True,
    ),
    _field(
        "district",
        "string",
        "อำเภอ (รหัส)",
        "รหัสอำเภอ / district code",
        lambda e, c: e.school.district,
        "khok-samrong",
        required=True,
    ),
    _field(
        "district_label",
        "string",
        "อำเภอ",
        "ชื่ออำเภอ / district name",
        lambda e, c: _label("districts", e.school.district, c),
    ),
    _field(
        "affiliation",
        "string",
        "สังกัด (รหัส)",
        "รหัสสังกัด / affiliation code",
        lambda e, c: e.school.affiliation,
        "pesao-lopburi-1",
        required=True,
    ),
    _field(
        "affiliation_label",
        "string",
        "สังกัด",
        "ชื่อสังกัด / affiliation name",
        lambda e, c: _label("affiliations", e.school.affiliation, c),
    ),
    _field(
        "subjects",
        "array",
        "กลุ่มสาระการเรียนรู้ (รหัส)",
        "รหัสกลุ่มสาระ คั่นด้วย ; ใน CSV / learning area codes",
        lambda e, c: list(e.subjects),
        "thai; math",
    ),
    _field(
        "subject_labels",
        "array",
        "กลุ่มสาระการเรียนรู้",
        "ชื่อกลุ่มสาระ / learning areas",
        lambda e, c: _labels("subjects", e.subjects, c),
    ),
    _field(
        "levels",
        "array",
        "ระดับชั้น (รหัส)",
        "รหัสระดับชั้น คั่นด้วย ; ใน CSV / level codes",
        lambda e, c: list(e.levels),
        "p4; p5",
    ),
    _field(
        "level_labels",
        "array",
        "ระดับชั้น",
        "ชื่อระดับชั้น / levels",
        lambda e, c: _labels("levels", e.levels, c),
    ),
    _field(
        "keywords",
        "array",
        "คำสำคัญ",
        "คำสำคัญ คั่นด้วย ; ใน CSV / keywords",
        lambda e, c: list(e.keywords),
    ),
    _field(
        "authors",
        "array",
        "ผู้พัฒนาผลงาน",
        "ชื่อผู้พัฒนาตามที่แสดงในหน้าผลงาน (ไม่มีอีเมล) / authors' names, never e-mail",
        lambda e, c: [a.name for a in e.authors],
    ),
    _field("summary", "string", "สรุปผลงาน", "บทคัดย่อ / summary", lambda e, c: e.summary),
    _field(
        "award_title",
        "string",
        "รางวัลที่ได้รับ",
        "ชื่อรางวัล / award",
        lambda e, c: e.award.title if e.award else None,
    ),
    _field(
        "award_level",
        "string",
        "ระดับรางวัล",
        "ระดับรางวัล / award level",
        lambda e, c: _label("award_levels", e.award.level, c) if e.award else None,
    ),
    _field(
        "award_year",
        "integer",
        "ปี พ.ศ. ที่ได้รับรางวัล",
        "award year, Buddhist Era",
        lambda e, c: e.award.year if e.award else None,
    ),
    _field(
        "license",
        "string",
        "สัญญาอนุญาต (รหัส)",
        "SPDX: CC-BY-4.0, CC-BY-SA-4.0, …",
        lambda e, c: e.license,
        "CC-BY-4.0",
        required=True,
    ),
    _field(
        "license_url",
        "string",
        "ที่อยู่สัญญาอนุญาต",
        "licence deed URL",
        lambda e, c: format_license_url(e.license) or None,
    ),
    _field(
        "submitted",
        "date",
        "วันที่ส่งผลงาน",
        "ปปปป-ดด-วว (ค.ศ.) / ISO date",
        lambda e, c: _date(e.submitted),
    ),
    _field(
        "updated",
        "date",
        "ปรับปรุงล่าสุด",
        "ปปปป-ดด-วว (ค.ศ.) / ISO date, last change",
        lambda e, c: _date(e.updated),
    ),
    _field(
        "attachment_count",
        "integer",
        "จำนวนไฟล์แนบ",
        "number of attachments",
        lambda e, c: len(e.attachments),
    ),
    _field(
        "sample",
        "boolean",
        "ข้อมูลตัวอย่าง",
        "true = ผลงานตัวอย่างของระบบ / demonstration entry",
        lambda e, c: e.sample,
    ),
)


def plan_record(entry: Entry, context: RecordContext) -> dict:
    """One entry as a flat record: JSON types (lists stay lists, missing values are None)."""
    return {field.column.name: field.value(entry, context) for field in COLUMNS}


def plan_catalogue_table(entries, context: RecordContext) -> DataTable:
    """The catalogue CSV's table (the site joins its rows from lines kept per entry)."""
    rows = tuple(tuple(plan_record(e, context).values()) for e in entries)
    return DataTable(
        "innovations",
        CATALOGUE_CSV,
        "ทะเบียนผลงานนวัตกรรมและแนวปฏิบัติที่เป็นเลิศ (CSV)",
        "หนึ่งแถวต่อหนึ่งผลงาน / one row per entry",
        tuple(field.column for field in COLUMNS),
        rows,
    )


def plan_entry_document(entry: Entry, context: RecordContext) -> dict:
    """The per-entry JSON: the record plus the body, attachments and links of the page."""
    return {
        **plan_record(entry, context),
        "attachments": [
            {
                "title": a.title,
                "url": context.absolute(f"{entry.url}{a.file}"),
                "media_type": a.media_type,
                "bytes": a.size,
            }
            for a in entry.attachments
        ],
        "links": [{"title": link.title, "url": link.url} for link in entry.links],
        "body_markdown": entry.body,
    }


def format_json(data: object, compact: bool = False) -> str:
    """UTF-8 JSON text; `compact` for the bulky files (one record per line, no indent)."""
    if compact and isinstance(data, list):
        return format_json_from_lines([format_json_line(item).encode() for item in data]).decode()
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def format_json_line(item: object) -> str:
    """One item of a compact list, as `format_json` writes it: for items kept between builds."""
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def format_json_from_lines(lines: Sequence[bytes]) -> bytes:
    """`format_json(items, compact=True)`, encoded, of items already formatted by
    `format_json_line` and encoded."""
    return b"[\n" + b",\n".join(lines) + b"\n]\n"


_JSON_TYPES = {"string": "string", "integer": "integer", "boolean": "boolean", "date": "string"}


def _json_property(column: Column) -> dict:
    if column.type == "array":
        schema: dict = {"type": "array", "items": {"type": "string"}}
    else:
        schema = {"type": _JSON_TYPES[column.type]}
        if column.type == "date":
            schema["format"] = "date"
        if not column.required:
            schema["type"] = [schema["type"], "null"]
    schema["title"] = column.title
    if column.description:
        schema["description"] = column.description
    return schema


def plan_record_schema(site_url: str) -> dict:
    """JSON Schema of a per-entry JSON document (and of each item of innovations.json)."""
    properties = {field.column.name: _json_property(field.column) for field in COLUMNS}
    properties["attachments"] = {
        "title": "ไฟล์แนบ (attachments)",
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "title": {"type": "string"},
                "url": {"type": "string"},
                "media_type": {"type": "string"},
                "bytes": {"type": "integer", "minimum": 0},
            },
            "required": ["title", "url", "media_type", "bytes"],
        },
    }
    properties["links"] = {
        "title": "ลิงก์ (links)",
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
            "required": ["title", "url"],
        },
    }
    properties["body_markdown"] = {"title": "เนื้อหา (Markdown)", "type": "string"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{site_url}{RECORD_SCHEMA}" if site_url else RECORD_SCHEMA,
        "title": "ผลงานนวัตกรรม IFTE ลพบุรี — ข้อมูลเปิดรายผลงาน (open-data record)",
        "type": "object",
        "properties": properties,
        "required": [f.column.name for f in COLUMNS if f.column.required],
    }


def plan_json_table_schema() -> dict:
    """Frictionless schema of innovations.json (lists are real JSON arrays there)."""
    fields = []
    for field in COLUMNS:
        column = field.column
        item: dict = {"name": column.name, "type": column.type, "title": column.title}
        if column.required:
            item["constraints"] = {"required": True}
        fields.append(item)
    return {"fields": fields}
