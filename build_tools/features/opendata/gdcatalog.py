"""Dataset metadata for the Thai Government Data Catalog (GD Catalog, data.go.th).

Agency catalogues run CKAN with DGA's `ckanext-thai_gdc` extension. The field names and
choice values below are that extension's (`ckanext/thai_gdc/ckan_dataset.json`), so
`data/gdcatalog.json` is a `package_create` payload the office can register as it is
(`ckanapi action package_create -I gdcatalog.json`), or copy field by field from the
table on `/data/` without retyping. Values come from `extra.gdcatalog` in mkdocs.yml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from build_tools.core.errors import ConfigError

DATA_TYPES = (
    "ข้อมูลระเบียน",
    "ข้อมูลสถิติ",
    "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
    "ข้อมูลหลากหลายประเภท",
    "ข้อมูลประเภทอื่นๆ",
)
OBJECTIVES = (
    "ยุทธศาสตร์ชาติ",
    "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ",
    "แผนความมั่นคงแห่งชาติ",
    "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
    "แผนปฏิรูปประเทศ",
    "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)",
    "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี",
    "มติคณะรัฐมนตรี",
    "เพื่อการให้บริการประชาชน",
    "กฎหมายที่เกี่ยวข้อง",
    "พันธกิจหน่วยงาน",
    "ดัชนี/ตัวชี้วัดระดับนานาชาติ",
    "ไม่ทราบ",
    "อื่นๆ",
)
FREQUENCY_UNITS = (
    "ไม่ทราบ",
    "ปี",
    "ครึ่งปี",
    "ไตรมาส",
    "เดือน",
    "สัปดาห์",
    "วัน",
    "วันทำการ",
    "ชั่วโมง",
    "นาที",
    "ตามเวลาจริง",
    "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
    "อื่นๆ",
)
GEO_COVERAGES = (
    "ไม่มี",
    "โลก",
    "ทวีป/กลุ่มประเทศในทวีป",
    "กลุ่มประเทศทางเศรษฐกิจ",
    "ประเทศ",
    "ภาค",
    "จังหวัด",
    "อำเภอ",
    "ตำบล",
    "หมู่บ้าน",
    "เทศบาล/อบต.",
    "พิกัด",
    "ไม่ทราบ",
    "อื่นๆ",
)
DATA_FORMATS = (
    "Database",
    "CSV",
    "XML",
    "Image",
    "Video",
    "Audio",
    "Text",
    "JSON",
    "HTML",
    "XLS",
    "PDF",
    "RDF",
    "NoSQL",
    "Arc/Info Coverage",
    "Shapefile",
    "GeoTiff",
    "GML",
    "ไม่ทราบ",
    "อื่นๆ",
)
DATA_CATEGORIES = ("ข้อมูลสาธารณะ", "ข้อมูลส่วนบุคคล", "ข้อมูลความมั่นคง", "ข้อมูลความลับทางราชการ")
LICENSES = (
    "License not specified",
    "Creative Commons Attributions",
    "Creative Commons Attribution Share-Alike",
    "Creative Commons Non-Commercial (Any)",
    "Open Data Common",
    "GNU Free Documentation License",
    "อื่นๆ",
)
LANGUAGES = (
    "ไทย",
    "อังกฤษ",
    "จีน",
    "มลายู",
    "พม่า",
    "ลาว",
    "เขมร",
    "ญี่ปุ่น",
    "เกาหลี",
    "ฝรั่งเศส",
    "เยอรมัน",
    "อารบิก",
    "ไม่ทราบ",
    "อื่นๆ",
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


@dataclass(frozen=True)
class GdField:
    name: str  # thai_gdc field name
    label_th: str
    label_en: str
    required: bool = False
    choices: tuple[str, ...] = ()
    multiple: bool = False


FIELDS: tuple[GdField, ...] = (
    GdField("data_type", "ประเภทชุดข้อมูล", "Data type", True, DATA_TYPES),
    GdField("title", "ชื่อชุดข้อมูล", "Dataset name", True),
    GdField("name", "URL ชุดข้อมูล (ชื่อภาษาอังกฤษ)", "URL name", True),
    GdField("owner_org", "หน่วยงานเจ้าของข้อมูล", "Organisation", True),
    GdField("maintainer", "ชื่อผู้ติดต่อ", "Contact person", True),
    GdField("maintainer_email", "อีเมลผู้ติดต่อ", "Contact e-mail", True),
    GdField("tag_string", "คำสำคัญ", "Tags", True),
    GdField("notes", "รายละเอียด", "Description", True),
    GdField("objective", "วัตถุประสงค์", "Objective", True, OBJECTIVES, multiple=True),
    GdField(
        "update_frequency_unit",
        "หน่วยความถี่ของการปรับปรุงข้อมูล",
        "Update frequency unit",
        True,
        FREQUENCY_UNITS,
    ),
    GdField(
        "update_frequency_interval", "ค่าความถี่ของการปรับปรุงข้อมูล", "Update frequency interval", True
    ),
    GdField(
        "geo_coverage", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "Geographic coverage", True, GEO_COVERAGES
    ),
    GdField("data_source", "แหล่งที่มา", "Data source", True),
    GdField("data_format", "รูปแบบการเก็บข้อมูล", "Data format", True, DATA_FORMATS, multiple=True),
    GdField(
        "data_category", "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "Data category", True, DATA_CATEGORIES
    ),
    GdField("license_id", "สัญญาอนุญาต", "Licence", True, LICENSES),
    GdField("accessible_condition", "เงื่อนไขในการเข้าถึงข้อมูล", "Access conditions"),
    GdField("url", "URL ข้อมูลเพิ่มเติม", "URL"),
    GdField("data_language", "ภาษาที่ใช้", "Data language", choices=LANGUAGES, multiple=True),
    GdField("created_date", "วันที่เริ่มต้นสร้าง", "Created date"),
    GdField("last_updated_date", "วันที่ปรับปรุงข้อมูลล่าสุด", "Last updated date"),
    GdField(
        "allow_harvest",
        "ยินยอมให้นำชื่อชุดข้อมูลไปใช้ที่ GD-Catalog",
        "Allow harvest to GD-Catalog",
        choices=("True", "False"),
    ),
)

# Used when mkdocs.yml leaves a field out; the office's names come from `extra.office`.
DEFAULTS: dict[str, object] = {
    "name": "ifte-lopburi-innovations",
    "tags": ["นวัตกรรมการศึกษา", "แนวปฏิบัติที่เป็นเลิศ", "Best Practice", "ลพบุรี", "IFTE"],
    "notes": "ทะเบียนผลงานนวัตกรรมและแนวปฏิบัติที่เป็นเลิศทางการศึกษา หนึ่งแถวต่อหนึ่งผลงาน "
    "พร้อมตารางสถิติจำแนกตามอำเภอ กลุ่มสาระการเรียนรู้ และปี",
    "data_type": "ข้อมูลระเบียน",
    "objective": ["พันธกิจหน่วยงาน"],
    "update_frequency_unit": "ไตรมาส",
    "update_frequency_interval": 1,
    "geo_coverage": "จังหวัด",
    "data_format": ["CSV", "JSON"],
    "data_category": "ข้อมูลสาธารณะ",
    "license_id": "Creative Commons Attributions",
    "data_language": ["ไทย", "อังกฤษ"],
    "allow_harvest": "True",
}


@dataclass(frozen=True)
class Resource:
    name: str
    path: str  # site-relative
    format: str  # CSV, JSON
    description: str


def _as_list(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def plan_gdcatalog(
    settings: Mapping,
    extra: Mapping,
    site_name: str,
    site_url: str,
    resources: Sequence[Resource],
    first_date: str = "",
    last_date: str = "",
) -> dict:
    """The CKAN `package_create` payload; a `ConfigError` lists every wrong setting."""
    office = extra.get("office") or {}
    organization = format_organization(settings, extra)
    values: dict[str, object] = {**DEFAULTS, **settings}
    values.setdefault("title", site_name)
    values.setdefault("owner_org", organization)
    values.setdefault("maintainer", organization)
    values.setdefault("maintainer_email", office.get("email", ""))
    values.setdefault("data_source", organization)
    values.setdefault("url", f"{site_url}data/" if site_url else "")
    values["tag_string"] = ",".join(_as_list(values.pop("tags", None) or values.get("tag_string")))
    if values.get("geo_area"):
        notes = str(values.get("notes", "")).rstrip()
        values["notes"] = f"{notes}\n\nขอบเขตพื้นที่: {values['geo_area']}".strip()
    values.setdefault("created_date", first_date)
    values["last_updated_date"] = last_date
    problems = check_gdcatalog(values)
    if problems:
        raise ConfigError(
            "ค่า extra.gdcatalog ใน mkdocs.yml ไม่ถูกต้อง: " + "; ".join(p[0] for p in problems),
            "extra.gdcatalog in mkdocs.yml is wrong: " + "; ".join(p[1] for p in problems),
        )
    payload: dict[str, object] = {}
    for field in FIELDS:
        value = values.get(field.name)
        if field.multiple:
            value = _as_list(value)
        elif value is not None:
            value = str(value)
        if value not in (None, "", []):
            payload[field.name] = value
    payload["resources"] = [
        {
            "name": r.name,
            "url": f"{site_url}{r.path}" if site_url else r.path,
            "format": r.format,
            "description": r.description,
        }
        for r in resources
    ]
    return payload


def format_organization(settings: Mapping, extra: Mapping) -> str:
    """The office's name: `extra.gdcatalog.organization`, else `extra.office.name`."""
    return str(settings.get("organization") or (extra.get("office") or {}).get("name") or "")


def check_gdcatalog(values: Mapping) -> list[tuple[str, str]]:
    """(Thai, English) descriptions of every missing or invalid value."""
    problems = []
    for field in FIELDS:
        value = values.get(field.name)
        items = _as_list(value) if field.multiple else ([] if value in (None, "") else [str(value)])
        if field.required and not items:
            problems.append(
                (
                    f"ไม่มี {field.name} ({field.label_th})",
                    f"{field.name} ({field.label_en}) is missing",
                )
            )
            continue
        for item in items:
            if field.choices and item not in field.choices:
                problems.append(
                    (
                        f'{field.name} = "{item}" ไม่อยู่ในตัวเลือกของ GD Catalog '
                        f"({', '.join(field.choices)})",
                        f'{field.name} = "{item}" is not a GD Catalog choice',
                    )
                )
    email = str(values.get("maintainer_email") or "")
    if email and not _EMAIL.match(email):
        problems.append(
            (
                f'maintainer_email "{email}" ไม่ใช่อีเมล',
                f'maintainer_email "{email}" is not an e-mail address',
            )
        )
    name = str(values.get("name") or "")
    if name and not _CKAN_NAME.match(name):
        problems.append(
            (f'name "{name}" ใช้ได้เฉพาะ a-z 0-9 - _', f'name "{name}" may only use a-z 0-9 - _')
        )
    return problems


def plan_gdcatalog_rows(payload: Mapping) -> list[dict]:
    """The payload as a readable table: Thai label, English label, field name, value."""
    rows = []
    for field in FIELDS:
        value = payload.get(field.name)
        if value in (None, "", []):
            continue
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        if field.name == "tag_string":
            shown = shown.replace(",", ", ")
        rows.append(
            {
                "field": field.name,
                "label": field.label_th,
                "label_en": field.label_en,
                "value": shown,
                "required": field.required,
            }
        )
    return rows
