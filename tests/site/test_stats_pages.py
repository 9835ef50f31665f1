"""/stats/, /data/, feeds and entry-page metadata of the site built from the sample entries.

Expected numbers are counted here straight from the entries' front matter and the raw
vocabulary file, not with the build tools, so a counting bug cannot hide itself.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import pytest
import yaml

from tests.conftest import REPO_ROOT

VOCAB = yaml.safe_load((REPO_ROOT / "vocabularies.yml").read_text(encoding="utf-8"))
MONTHS = (
    "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม"
).split()
SVG = "{http://www.w3.org/2000/svg}"
# Facet kind → (vocabulary kind, search parameter, front-matter reader)
KINDS = {
    "years": (None, "year", lambda m: [str(m["year"])]),
    "types": ("types", "type", lambda m: [m["type"]]),
    "categories": ("categories", "category", lambda m: [m["category"]]),
    "districts": ("districts", "district", lambda m: [m["school"]["district"]]),
    "affiliations": ("affiliations", "affiliation", lambda m: [m["school"]["affiliation"]]),
    "subjects": ("subjects", "subject", lambda m: m.get("subjects") or []),
    "levels": ("levels", "level", lambda m: m.get("levels") or []),
}


def _key(text: str) -> str:
    return "".join(str(text).split()).casefold()


def to_code(vocabulary: str | None, text: str) -> str:
    """A label as a teacher wrote it → vocabulary code, from the raw YAML."""
    if vocabulary is None:
        return str(text)
    for term in VOCAB[vocabulary]:
        if _key(text) in {
            _key(v) for v in (term["code"], term["th"], term["en"], *term.get("aliases", []))
        }:
            return term["code"]
    raise AssertionError(f"{text!r} is not in {vocabulary}")


def codes(meta: dict, kind: str) -> set[str]:
    vocabulary, _, read = KINDS[kind]
    return {to_code(vocabulary, value) for value in read(meta)}


@pytest.fixture(scope="module")
def metas(built_site) -> list[dict]:
    """Front matter of the entries the site published (an entry with errors is left off)."""
    found = []
    for path in sorted((REPO_ROOT / "innovations").glob("*/*/index.md")):
        if (built_site / path.relative_to(REPO_ROOT).parent / "index.html").exists():
            meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
            found.append({**meta, "_id": f"{path.parts[-3]}/{path.parts[-2]}"})
    assert len(found) >= 30
    return found


def expected_counts(metas, kind, only=lambda m: True) -> Counter:
    counter: Counter = Counter()
    for meta in filter(only, metas):
        counter.update(codes(meta, kind))
    return counter


def all_codes(metas, kind) -> list[str]:
    vocabulary = KINDS[kind][0]
    if vocabulary is None:
        years = sorted({m["year"] for m in metas})
        return [str(y) for y in range(years[0], years[-1] + 1)]
    return [term["code"] for term in VOCAB[vocabulary]]


class Tables(HTMLParser):
    """Numbers of every `<table data-table>`: {table: {row code: {column: (count, href)}}}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, dict[str, tuple[int, str]]]] = {}
        self.table = self.row = self.column = None
        self.count = 0
        self.href = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-table" in a:
            self.table = a["data-table"]
            self.tables[self.table] = {}
        elif tag == "tr" and self.table:
            self.row = a.get("data-code", "(total)")
        elif tag == "td" and self.table and "data-count" in a:
            self.column, self.count, self.href = (
                a.get("data-column", "count"),
                int(a["data-count"]),
                "",
            )
        elif tag == "a" and self.column:
            self.href = a["href"]

    def handle_endtag(self, tag):
        if tag == "td" and self.column:
            row = self.tables[self.table].setdefault(self.row, {})
            row.setdefault(self.column, (self.count, self.href))
            self.column = None
        elif tag == "table":
            self.table = None


def read_tables(path: Path) -> dict:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


@pytest.fixture(scope="module")
def stats_html(built_site) -> str:
    return (built_site / "stats/index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tables(built_site) -> dict:
    return read_tables(built_site / "stats/index.html")


# --- the numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_counts_by_each_dimension_match_the_entries(metas, tables, kind):
    expected = expected_counts(metas, kind)
    shown = {code: cells["count"][0] for code, cells in tables[kind].items() if code != "(total)"}
    assert shown == {code: expected[code] for code in all_codes(metas, kind)}


@pytest.mark.parametrize("kind", ["districts", "affiliations"])
def test_best_practice_counts_per_district_and_affiliation(metas, tables, kind):
    best = expected_counts(metas, kind, only=lambda m: codes(m, "types") == {"best_practice"})
    shown = tables[f"best-practice-{kind}"]
    assert {c: v["count"][0] for c, v in shown.items() if c != "(total)"} == {
        code: best[code] for code in all_codes(metas, kind)
    }
    assert shown["(total)"]["count"][0] == sum(best.values())


@pytest.mark.parametrize(
    "key, rows, columns",
    [
        ("districts-subjects", "districts", "subjects"),
        ("years-categories", "years", "categories"),
        ("districts-years", "districts", "years"),
    ],
)
def test_cross_tables_match_the_entries(metas, tables, key, rows, columns):
    pairs: Counter = Counter()
    row_totals: Counter = Counter()
    for meta in metas:
        row_codes, column_codes = codes(meta, rows), codes(meta, columns)
        row_totals.update(row_codes)
        pairs.update((r, c) for r in row_codes for c in column_codes)
    table = tables[key]
    for row in all_codes(metas, rows):
        cells = table[row]
        for column in all_codes(metas, columns):
            assert cells[column][0] == pairs[row, column], (row, column)
        assert cells["count"][0] == row_totals[row]  # the row total counts each entry once


def test_latest_year_is_compared_with_the_year_before(metas, tables):
    latest = max(m["year"] for m in metas)
    for kind in ("districts", "subjects"):
        now = expected_counts(metas, kind, only=lambda m: m["year"] == latest)
        before = expected_counts(metas, kind, only=lambda m: m["year"] == latest - 1)
        shown = tables[f"review-{kind}"]
        assert {
            code: (cells["latest"][0], cells["previous"][0]) for code, cells in shown.items()
        } == {code: (now[code], before[code]) for code in all_codes(metas, kind)}


def test_overview_figures(metas, stats_html):
    best = sum(1 for m in metas if codes(m, "types") == {"best_practice"})
    figures = dict(re.findall(r'data-figure="([\w-]+)">(?:<a [^>]*>)?([^<]+)<', stats_html))
    assert figures["entries"] == str(len(metas))
    assert figures["best-practice"] == str(best)
    districts = {to_code("districts", m["school"]["district"]) for m in metas}
    assert figures["districts"] == f"{len(districts)} จาก {len(VOCAB['districts'])}"


def test_gaps_name_the_districts_without_entries_in_the_latest_year(metas, stats_html):
    latest = max(m["year"] for m in metas)
    have = {to_code("districts", m["school"]["district"]) for m in metas if m["year"] == latest}
    review = stats_html[stats_html.index('data-review="review-districts"') :]
    review = review[: review.index("</ul>")]
    missing = set(re.findall(r'ifte-gap--none" data-code="([\w-]+)"', review))
    assert missing == {t["code"] for t in VOCAB["districts"]} - have


def test_last_updated_date_is_shown_in_buddhist_era(built_site):
    for page in ("stats/index.html", "data/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        match = re.search(
            r'ข้อมูล ณ วันที่ <time datetime="(\d{4})-(\d\d)-(\d\d)">'
            r"(\d{1,2}) (\S+) (\d{4})</time>",
            html,
        )
        assert match, page
        year, month, day, shown_day, shown_month, shown_year = match.groups()
        assert int(shown_year) == int(year) + 543
        assert shown_month == MONTHS[int(month) - 1] and int(shown_day) == int(day)


# --- links, downloads, charts ------------------------------------------------------------


def test_every_number_links_to_its_entries(built_site, tables):
    """With a search page every number opens its search filter; without one, numbers of a
    single value open that value's listing page (pairs then have nothing to link to)."""
    search = (built_site / "search/index.html").exists()
    linked = 0
    for key, rows in tables.items():
        if key.startswith("adoption-"):
            continue  # adoptions count schools, not entries: no search filter finds them
        for row, cells in rows.items():
            for column, (count, href) in cells.items():
                if count == 0:
                    assert href == "", (key, row, column)
                    continue
                if not href:
                    assert not search and (key not in KINDS or column != "count"), (key, row)
                    continue
                target = urlsplit(href)
                page = (built_site / "stats" / target.path).resolve() / "index.html"
                assert page.is_file(), href
                params = dict(parse_qsl(target.query))
                if search:
                    assert target.path.endswith("search/"), href
                    assert set(params) <= {p for _, p, _ in KINDS.values()}, href
                    if key in KINDS and row != "(total)":
                        assert params == {KINDS[key][1]: row}, href
                    if key.startswith("best-practice-"):
                        assert params["type"] == "best_practice", href
                elif key in KINDS and row != "(total)":
                    assert target.path.endswith(f"{key}/{row}/"), href
                linked += 1
    assert linked > 60


def test_each_table_has_a_csv_download_with_the_same_numbers(built_site, tables, stats_html):
    for key in (
        "years",
        "districts",
        "affiliations",
        "categories",
        "types",
        "subjects",
        "levels",
        "best-practice-districts",
        "best-practice-affiliations",
    ):
        assert f'href="../data/stats/{key}.csv"' in stats_html
        raw = (built_site / f"data/stats/{key}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
        assert {r["code"]: int(r["count"]) for r in rows} == {
            code: cells["count"][0] for code, cells in tables[key].items() if code != "(total)"
        }
    for key in ("districts-subjects", "years-categories", "districts-years"):
        raw = (built_site / f"data/stats/{key}.csv").read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        html_totals = {
            code: cells["count"][0] for code, cells in tables[key].items() if code != "(total)"
        }
        assert {r[0]: int(r[-1]) for r in rows[1:]} == html_totals


def test_every_svg_parses_and_is_named_for_screen_readers(built_site, stats_html):
    inline = re.findall(r'<svg [^>]*class="ifte-chart".*?</svg>', stats_html, re.S)
    files = sorted((built_site / "stats").glob("*.svg"))
    assert len(inline) >= 10 and len(files) == len(inline)
    for svg in inline + [f.read_text(encoding="utf-8") for f in files]:
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        title_id, desc_id = root.get("aria-labelledby").split()
        ids = {el.get("id"): el for el in root.iter() if el.get("id")}
        assert ids[title_id].tag == f"{SVG}title" and ids[title_id].text
        assert ids[desc_id].tag == f"{SVG}desc" and ids[desc_id].text
    district_map = next(s for s in inline if 'id="chart-district-map"' in s)
    for term in VOCAB["districts"]:
        assert term["th"] in district_map


def test_tables_have_captions_and_header_scopes(stats_html):
    assert stats_html.count("<caption>") >= stats_html.count("<table ") > 10
    assert '<th scope="row">' in stats_html and '<th scope="col">' in stats_html


# --- open data ---------------------------------------------------------------------------


def test_data_package_validates_with_frictionless(built_site, metas):
    from frictionless import validate

    report = validate(str(built_site / "data/datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "type", "note"])
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["innovations"] == rows["innovations-json"] == len(metas)


def test_catalogue_csv_has_one_row_per_entry(built_site, metas):
    raw = (built_site / "data/innovations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert sorted(r["id"] for r in rows) == sorted(m["_id"] for m in metas)
    by_id = {r["id"]: r for r in rows}
    for meta in metas:
        row = by_id[meta["_id"]]
        assert row["title"] == meta["title"] and row["year"] == str(meta["year"])
        assert row["district"] == to_code("districts", meta["school"]["district"])


def test_no_e_mail_address_is_published_anywhere(built_site, metas):
    emails = {a["email"] for m in metas for a in m["authors"] if a.get("email")}
    assert emails
    folders = ["data", "feeds", "stats", "innovations"]
    for folder in folders:
        for path in (built_site / folder).rglob("*"):
            if path.suffix in (".csv", ".json", ".xml", ".html", ".svg"):
                text = path.read_text(encoding="utf-8-sig")
                assert not any(e in text for e in emails), path


def test_every_entry_has_json_at_a_stable_address_matching_the_schema(built_site, metas):
    schema = json.loads((built_site / "data/innovation.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for meta in metas:
        document = json.loads((built_site / f"data/entries/{meta['_id']}.json").read_text())
        jsonschema.validate(document, schema)
        assert document["id"] == meta["_id"] and document["title"] == meta["title"]


def test_gd_catalog_metadata_comes_from_mkdocs_yml(built_site):
    payload = json.loads((built_site / "data/gdcatalog.json").read_text(encoding="utf-8"))
    settings = yaml.load(
        (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags
    )["extra"]["gdcatalog"]
    for field in (
        "title",
        "owner_org",
        "maintainer",
        "maintainer_email",
        "data_type",
        "data_category",
        "license_id",
        "geo_coverage",
        "update_frequency_unit",
    ):
        assert payload[field] == settings[field], field
    assert payload["data_category"] == "ข้อมูลสาธารณะ"
    assert payload["objective"] == settings["objective"]
    assert payload["tag_string"].split(",") == settings["tags"]
    assert {r["format"] for r in payload["resources"]} == {"CSV", "JSON"}
    for resource in payload["resources"]:
        path = resource["url"].removeprefix("https://ifte.example.go.th/")
        assert (built_site / path).is_file(), path
    page = (built_site / "data/index.html").read_text(encoding="utf-8")
    for field in ("data_category", "maintainer_email", "license_id", "geo_coverage"):
        assert f'data-field="{field}"' in page
    assert settings["maintainer_email"] in page


def test_data_dictionary_lists_every_csv_column(built_site):
    header = (built_site / "data/innovations.csv").read_text(encoding="utf-8-sig")
    columns = next(csv.reader(io.StringIO(header)))
    page = (built_site / "data/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<tr data-column="([\w]+)">', page) == columns


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml holds `!!python/name:` tags; this test only reads plain settings."""


_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda *args: None)


# --- discovery ---------------------------------------------------------------------------


def test_feeds_parse_and_point_at_entry_pages(built_site, metas):
    atom = ET.parse(built_site / "feeds/atom.xml").getroot()
    ns = "{http://www.w3.org/2005/Atom}"
    links = [e.find(f"{ns}link").get("href") for e in atom.findall(f"{ns}entry")]
    rss = ET.parse(built_site / "feeds/rss.xml").getroot()
    feed = json.loads((built_site / "feeds/feed.json").read_text(encoding="utf-8"))
    assert links == [i.findtext("link") for i in rss.iter("item")]
    assert links == [item["url"] for item in feed["items"]]
    assert len(links) == min(50, len(metas))
    for link in links:
        path = link.removeprefix("https://ifte.example.go.th/")
        assert (built_site / path / "index.html").is_file(), link


def test_sitemap_lists_every_entry_and_the_new_pages(built_site, metas):
    sitemap = ET.parse(built_site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {loc.text for loc in sitemap.iter(f"{ns}loc")}
    base = "https://ifte.example.go.th/"
    assert {f"{base}stats/", f"{base}data/"} <= locations
    assert {f"{base}innovations/{m['_id']}/" for m in metas} <= locations


def test_entry_pages_carry_json_ld_open_graph_and_related_entries(built_site, metas):
    ids = {m["_id"] for m in metas}
    with_related = 0
    for meta in metas:
        html = (built_site / "innovations" / meta["_id"] / "index.html").read_text()
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(scripts) == 1
        data = json.loads(scripts[0])
        assert data["@context"] == "https://schema.org"
        assert set(data["@type"]) == {"CreativeWork", "LearningResource"}
        assert data["name"] == meta["title"]
        assert data["url"].endswith(f"/innovations/{meta['_id']}/")
        og = dict(re.findall(r'<meta property="(og:[a-z_]+)" content="([^"]*)"', html))
        assert og["og:type"] == "article" and og["og:url"] == data["url"]
        assert og["og:title"] == meta["title"].replace("&", "&amp;").replace('"', "&#34;")
        related = re.findall(r'<li data-entry-id="(\d{4}/[\w-]+)"><a href="([^"]+)"', html)
        assert len(related) <= 4
        for other, href in related:
            assert other in ids and other != meta["_id"]
            target = (built_site / "innovations" / meta["_id"] / href).resolve()
            assert (target / "index.html").is_file()
        with_related += bool(related)
    # Only entries above the relevance floor are listed: an entry may have none (issue 27).
    assert with_related >= 0.8 * len(metas)


def test_a_wrong_gd_catalog_setting_stops_the_build_with_a_clear_message(scratch_project):
    from tests.conftest import build_scratch_site

    scratch_project.entry()
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "data_category: ข้อมูลสาธารณะ" in config
    (scratch_project.root / "mkdocs.yml").write_text(
        config.replace("data_category: ข้อมูลสาธารณะ", "data_category: ข้อมูลเปิด"), encoding="utf-8"
    )
    result = build_scratch_site(scratch_project)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "extra.gdcatalog" in output and "ข้อมูลเปิด" in output
    assert "is not a GD Catalog choice" in output and "Traceback" not in output
