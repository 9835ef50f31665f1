"""Open data: records without personal contact data, CSV for Excel, a valid data package,
GD Catalog metadata checked against the thai_gdc choices."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
import pytest

from build_tools.core.errors import ConfigError
from build_tools.core.site import GeneratedFile, GeneratedPage, SiteSettings
from build_tools.features.opendata.gdcatalog import (
    FIELDS,
    Resource,
    plan_gdcatalog,
    plan_gdcatalog_rows,
)
from build_tools.features.opendata.pages import generate_open_data
from build_tools.features.opendata.records import (
    COLUMNS,
    RecordContext,
    format_license_url,
    plan_catalogue_table,
    plan_entry_document,
    plan_record_schema,
)
from build_tools.features.opendata.tables import format_table_csv
from build_tools.features.stats import generate_stats_pages
from tests.stats_factory import (
    SECRET_EMAIL,
    VOCABULARIES,
    Attachment,
    Link,
    make_catalog,
    make_entry,
)

SITE = "https://ifte.example.go.th/"
OFFICE = {"name": "สำนักงานศึกษาธิการจังหวัดลพบุรี", "email": "ifte@example.go.th"}
CONTEXT = RecordContext(VOCABULARIES, SITE)
AWKWARD = 'สรุป, มี "เครื่องหมายคำพูด"\nและขึ้นบรรทัดใหม่; กับอัฒภาค'


def sample_catalog():
    return make_catalog(
        make_entry(
            "reading-kit",
            2567,
            subjects=("thai", "math"),
            keywords=("การอ่าน", "PISA"),
            summary=AWKWARD,
            submitted=dt.date(2024, 6, 1),
            updated=dt.date(2024, 7, 1),
            attachments=(Attachment("sheet.pdf", "ใบงาน", 1200, "application/pdf"),),
            links=(Link("https://example.org/v", "คลิป"),),
        ),
        make_entry("bp", 2566, type="best_practice", district="ban-mi", license="CC-BY-SA-4.0"),
    )


def write_site(tmp_path: Path, catalog, extra: dict | None = None) -> dict:
    """Run the open-data and statistics generators; write their files under tmp_path."""
    settings = SiteSettings(
        "คลังนวัตกรรม", SITE, tmp_path, {"office": OFFICE, "gdcatalog": {}, **(extra or {})}
    )
    pages = {}
    for generator in (generate_open_data, generate_stats_pages):
        for item in generator(catalog, settings):
            if isinstance(item, GeneratedFile):
                path = tmp_path / item.uri
                path.parent.mkdir(parents=True, exist_ok=True)
                content = item.make()
                path.write_bytes(content if isinstance(content, bytes) else content.encode())
            else:
                assert isinstance(item, GeneratedPage)
                pages[item.src_uri] = item
    return pages


def test_records_never_carry_e_mail_addresses(tmp_path):
    write_site(tmp_path, sample_catalog())
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert SECRET_EMAIL not in path.read_text(encoding="utf-8-sig"), path
    assert not any("mail" in field.column.name for field in COLUMNS)


def test_catalogue_csv_opens_in_excel_and_round_trips():
    table = plan_catalogue_table(sample_catalog().entries, CONTEXT)
    data = format_table_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel on Thai Windows reads UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == [field.column.name for field in COLUMNS]
    assert rows[0]["summary"] == AWKWARD
    assert rows[0]["subjects"] == "thai; math"
    assert rows[0]["subject_labels"] == "ภาษาไทย; คณิตศาสตร์"
    assert rows[0]["url"] == f"{SITE}innovations/2567/reading-kit/"
    assert rows[1]["award_level"] == "จังหวัด" and rows[1]["license"] == "CC-BY-SA-4.0"
    assert rows[0]["award_year"] == ""


def test_per_entry_json_validates_against_the_published_schema():
    schema = plan_record_schema(SITE)
    jsonschema.Draft202012Validator.check_schema(schema)
    for entry in sample_catalog().entries:
        document = plan_entry_document(entry, CONTEXT)
        jsonschema.validate(document, schema)
    document = plan_entry_document(sample_catalog().entries[0], CONTEXT)
    assert document["attachments"][0]["url"] == f"{SITE}innovations/2567/reading-kit/sheet.pdf"
    assert document["body_markdown"] == "เนื้อหา"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**document, "year": "2567"}, schema)


@pytest.mark.parametrize(
    "code, url",
    [
        ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
        ("CC-BY-NC-SA-4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
        ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        ("all-rights-reserved", ""),
    ],
)
def test_licence_codes_map_to_their_deeds(code, url):
    assert format_license_url(code) == url


def test_data_package_is_valid_for_frictionless(tmp_path):
    from frictionless import validate

    write_site(tmp_path, sample_catalog())
    report = validate(str(tmp_path / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "type", "note"])
    names = [task.name for task in report.tasks]
    assert names[:2] == ["innovations", "innovations-json"]
    assert "stats-districts" in names and "stats-districts-subjects" in names
    assert [task.stats["rows"] for task in report.tasks[:2]] == [2, 2]


def test_data_package_notices_a_changed_file(tmp_path):
    from frictionless import validate

    write_site(tmp_path, sample_catalog())
    csv_path = tmp_path / "data" / "stats" / "districts.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b",1\r\n", b",7\r\n", 1))
    report = validate(str(tmp_path / "data" / "datapackage.json"))
    assert not report.valid
    assert {"hash-count"} <= {e.type for task in report.tasks for e in task.errors}


def test_gdcatalog_fills_office_defaults_and_lists_every_resource():
    resources = [Resource("ทะเบียน", "data/innovations.csv", "CSV", "หนึ่งแถวต่อผลงาน")]
    payload = plan_gdcatalog(
        {"tags": ["นวัตกรรม", "ลพบุรี"], "notes": "รายละเอียด", "geo_area": "จังหวัดลพบุรี"},
        {"office": OFFICE},
        "คลังนวัตกรรม",
        SITE,
        resources,
        last_date="2024-07-01",
    )
    required = [f.name for f in FIELDS if f.required]
    assert all(payload.get(name) not in (None, "", []) for name in required)
    assert payload["owner_org"] == OFFICE["name"]
    assert payload["maintainer_email"] == OFFICE["email"]
    assert payload["data_category"] == "ข้อมูลสาธารณะ"
    assert payload["tag_string"] == "นวัตกรรม,ลพบุรี"
    assert payload["notes"].endswith("ขอบเขตพื้นที่: จังหวัดลพบุรี")
    assert payload["resources"] == [
        {
            "name": "ทะเบียน",
            "url": f"{SITE}data/innovations.csv",
            "format": "CSV",
            "description": "หนึ่งแถวต่อผลงาน",
        }
    ]
    shown = {row["field"]: row["value"] for row in plan_gdcatalog_rows(payload)}
    assert shown["objective"] == "พันธกิจหน่วยงาน" and shown["tag_string"] == "นวัตกรรม, ลพบุรี"


def test_gdcatalog_reports_every_wrong_setting_in_thai_and_english():
    settings = {
        "tags": ["x"],
        "notes": "n",
        "data_category": "ข้อมูลลับมาก",
        "update_frequency_unit": "รายวัน",
        "maintainer_email": "not-an-email",
    }
    with pytest.raises(ConfigError) as caught:
        plan_gdcatalog(settings, {"office": OFFICE}, "ชื่อ", SITE, [])
    message = str(caught.value)
    for fragment in ("ข้อมูลลับมาก", "รายวัน", "not-an-email"):
        assert message.count(fragment) == 2  # once in the Thai line, once in the English one
    assert "extra.gdcatalog" in caught.value.thai and "is not a GD Catalog choice" in message


def test_gdcatalog_requires_keywords_and_description():
    with pytest.raises(ConfigError) as caught:
        plan_gdcatalog({"tags": [], "notes": ""}, {"office": OFFICE}, "ชื่อ", SITE, [])
    assert "tag_string" in str(caught.value) and "notes" in str(caught.value)


def test_data_page_describes_files_dictionary_and_gd_catalog(tmp_path):
    pages = write_site(
        tmp_path, sample_catalog(), {"gdcatalog": {"tags": ["นวัตกรรม"], "notes": "รายละเอียด"}}
    )
    data = pages["data/index.md"].context["opendata"]
    assert data["entry_count"] == 2
    assert [c.name for c in data["dictionary"]] == [f.column.name for f in COLUMNS]
    urls = [d["url"] for d in data["downloads"]]
    assert all((tmp_path / url).is_file() for url in urls)
    assert (tmp_path / "data/entries/2567/reading-kit.json").is_file()
    gd = json.loads((tmp_path / "data/gdcatalog.json").read_text(encoding="utf-8"))
    assert {row["field"] for row in data["gdcatalog"]} == {k for k in gd if k != "resources"}


def test_catalogue_lines_kept_per_entry_join_into_the_files_formatted_at_once():
    from build_tools.features.opendata.records import format_json_from_lines, format_json_line
    from build_tools.features.opendata.tables import (
        format_csv,
        format_csv_from_lines,
        format_csv_line,
    )

    header = ["id", "title", "subjects", "best", "note"]
    rows = [
        ("2567/a", 'ชื่อ "มีเครื่องหมายคำพูด", และจุลภาค', ("thai", "math"), True, None),
        ("2567/b", "บรรทัด\nใหม่", (), False, 3),
    ]
    lines = [format_csv_line(row).encode() for row in rows]
    assert format_csv_from_lines(header, lines) == format_csv(header, rows)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    joined = format_json_from_lines([format_json_line(record).encode() for record in records])
    assert json.loads(joined) == json.loads(json.dumps(records))  # tuples become lists
    assert joined.count(b"\n") == len(records) + 2  # one record per line


def test_catalogue_files_are_made_again_only_when_a_line_of_them_changed(tmp_path, monkeypatch):
    from build_tools.core.attachments import format_size
    from build_tools.core.loader import Catalog
    from build_tools.features.opendata import pages as opendata

    settings = SiteSettings("คลังนวัตกรรม", SITE, tmp_path, {"office": OFFICE, "gdcatalog": {}})

    def generate(entries, fingerprints):
        catalog = Catalog(entries, (), VOCABULARIES, len(entries), tmp_path, fingerprints)
        items = list(generate_open_data(catalog, settings))
        files = {i.uri: i for i in items if isinstance(i, GeneratedFile)}
        page = next(i for i in items if isinstance(i, GeneratedPage))
        return files["data/innovations.csv"], files["data/innovations.json"], page

    entries = sample_catalog().entries
    fingerprints = {e.id: f"fp-{e.id}" for e in entries}
    csv_file, json_file, page = generate(entries, fingerprints)
    csv_bytes, json_bytes = csv_file.make(), json_file.make()
    downloads = {d["url"]: d["size"] for d in page.context["opendata"]["downloads"]}
    assert downloads["data/innovations.json"] == format_size(len(json_bytes))
    assert downloads["data/innovations.csv"] == format_size(len(csv_bytes))
    assert csv_file.key and json_file.key

    # An edit of a body changes no line: the files keep their key and are not made.
    monkeypatch.setattr(opendata, "_plan_lines_cached", lambda *a: pytest.fail("made again"))
    edited = (entries[0].replace(body="เนื้อหาใหม่"), *entries[1:])
    fingerprints[entries[0].id] = "fp-body-edit"
    again, json_again, _ = generate(edited, fingerprints)
    assert (again.key, json_again.key) == (csv_file.key, json_file.key)

    # A new title changes a line: a new key, and the files hold the new title.
    monkeypatch.undo()
    retitled = (entries[0].replace(title="ชื่อใหม่ของผลงาน"), *entries[1:])
    fingerprints[entries[0].id] = "fp-title-edit"
    csv_new, json_new, page = generate(retitled, fingerprints)
    assert csv_new.key != csv_file.key
    assert "ชื่อใหม่ของผลงาน" in json_new.make().decode()
    assert "ชื่อใหม่ของผลงาน".encode() in csv_new.make()
    downloads = {d["url"]: d["size"] for d in page.context["opendata"]["downloads"]}
    assert downloads["data/innovations.json"] == format_size(len(json_new.make()))


@pytest.mark.parametrize("count", [0, 1, 3])
def test_catalogue_sizes_are_those_of_the_files(tmp_path, count):
    from build_tools.features.opendata.pages import _plan_catalogue_key, plan_catalogue_lines
    from build_tools.features.opendata.records import format_json_from_lines
    from build_tools.features.opendata.tables import format_csv_from_lines

    entries = tuple(make_entry(f"kit-{n}", summary=AWKWARD * n) for n in range(count))
    catalog = make_catalog(*entries)
    header = [c.name for c in plan_catalogue_table((), CONTEXT).columns]
    _, csv_size, json_size = _plan_catalogue_key(catalog, CONTEXT, "salt", header)
    lines = [plan_catalogue_lines(e, CONTEXT) for e in entries]
    assert csv_size == len(format_csv_from_lines(header, [c for c, _ in lines]))
    assert json_size == len(format_json_from_lines([j for _, j in lines]))


FORMULA_CELLS = ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1")


@pytest.mark.parametrize("text", FORMULA_CELLS)
def test_text_cells_cannot_start_a_spreadsheet_formula(text):
    from build_tools.features.opendata.tables import format_csv_line

    line = format_csv_line((text, [text, "ไทย"], -3, 0, 2.5, True, None, "- ชื่อ", "ชื่อ-สกุล"))
    (row,) = csv.reader(io.StringIO(line, newline=""))
    assert row == [f"'{text}", f"'{text}; ไทย", "-3", "0", "2.5", "true", "", "'- ชื่อ", "ชื่อ-สกุล"]


def test_catalogue_csv_neutralises_formula_cells_and_the_package_stays_valid(tmp_path):
    from frictionless import validate

    entries = [
        make_entry(
            f"formula-{n}",
            title=text,
            summary=text,
            school=text,
            keywords=(text,),
            submitted=dt.date(2024, 6, 1),
        )
        for n, text in enumerate(FORMULA_CELLS)
    ]
    write_site(tmp_path, make_catalog(*entries, *sample_catalog().entries))
    text = (tmp_path / "data/innovations.csv").read_bytes().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    records = json.loads((tmp_path / "data/innovations.json").read_text(encoding="utf-8"))
    titles = {record["id"]: record["title"] for record in records}
    for n, formula in enumerate(FORMULA_CELLS):
        row = rows[f"2567/formula-{n}"]
        assert row["title"] == row["summary"] == row["school"] == row["keywords"] == f"'{formula}"
        assert titles[f"2567/formula-{n}"] == formula  # JSON keeps the text as typed
    assert rows["2567/reading-kit"]["title"] == "ผลงาน reading-kit"
    report = validate(str(tmp_path / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "type", "note"])
