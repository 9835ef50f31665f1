"""Structure of the site built from the bundled sample repository."""

from __future__ import annotations

import re
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import yaml

from tests.conftest import REPO_ROOT

ENTRY_FILES = sorted((REPO_ROOT / "innovations").glob("*/*/index.md"))


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


class Collector(HTMLParser):
    """Collects tags with attributes, and text by element id/class of interest."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(path: Path) -> Collector:
    collector = Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_sample_repository_is_big_and_varied_enough():
    metas = [front_matter(p) for p in ENTRY_FILES]
    assert len(metas) >= 30
    assert {m["school"]["district"] for m in metas} >= {
        "เมืองลพบุรี", "พัฒนานิคม", "โคกสำโรง", "ชัยบาดาล", "ท่าวุ้ง", "บ้านหมี่", "ท่าหลวง",
        "สระโบสถ์", "โคกเจริญ", "ลำสนธิ", "หนองม่วง"}
    assert {m["year"] for m in metas} >= {2564, 2565, 2566, 2567, 2568}
    assert {m["category"] for m in metas} == {"การจัดการเรียนรู้", "การบริหารจัดการ",
                                             "การนิเทศการศึกษา"}
    assert sum(1 for m in metas if m["type"] == "แนวปฏิบัติที่เป็นเลิศ" and m.get("award")) >= 5
    assert all(m.get("sample") is True for m in metas)


def test_every_entry_has_its_page(built_site):
    for path in ENTRY_FILES:
        meta = front_matter(path)
        year, slug = path.parts[-3], path.parts[-2]
        page = built_site / "innovations" / year / slug / "index.html"
        html = page.read_text(encoding="utf-8")
        assert f'data-entry-id="{year}/{slug}"' in html
        # Thai titles carry word boxes and break points (thai.format_word_breaks).
        headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html)]
        assert meta["title"] in [html_unescape(h) for h in headings]
        assert "ปรับปรุงล่าสุด" in html and re.search(r"25\d\d</time>", html)
        assert "การอ้างอิง" in html and "ข้อมูลตัวอย่าง" in html


def test_metadata_card_shows_labels_and_links(built_site):
    path = ENTRY_FILES[0]
    meta = front_matter(path)
    html = (built_site / path.relative_to(REPO_ROOT).parent / "index.html").read_text()
    card = html[html.index('<dl class="ifte-meta"'):html.index("</dl>")]
    assert meta["school"]["name"] in card
    assert meta["school"]["district"] in card
    assert meta["school"]["affiliation"] in card
    assert 'href="../../../districts/' in card


def test_attachments_are_copied_with_sizes(built_site):
    with_attachments = [p for p in ENTRY_FILES if front_matter(p).get("attachments")]
    assert len(with_attachments) >= 3
    for path in with_attachments:
        folder = built_site / path.relative_to(REPO_ROOT).parent
        html = (folder / "index.html").read_text()
        for attachment in front_matter(path)["attachments"]:
            assert (folder / attachment["file"]).read_bytes() == \
                (path.parent / attachment["file"]).read_bytes()
            assert attachment["file"] in html
        assert re.search(r"\((PDF|รูปภาพ), \d+(\.\d)? (KB|B|MB)\)", html)


def test_listings_are_paginated_newest_first(built_site):
    first = (built_site / "innovations/index.html").read_text()
    ids = re.findall(r'<article class="ifte-card[^"]*" data-entry-id="(\d{4})/', first)
    assert len(ids) == min(20, len(ENTRY_FILES))
    assert ids == sorted(ids, reverse=True)
    if len(ENTRY_FILES) > 20:
        assert (built_site / "innovations/page/2/index.html").exists()
        assert 'rel="next" href="page/2/"' in first


def test_facet_listings_exist_for_every_district_and_year(built_site):
    vocab = yaml.safe_load((REPO_ROOT / "vocabularies.yml").read_text())
    for district in vocab["districts"]:
        page = built_site / "districts" / district["code"] / "index.html"
        assert page.exists(), district
        assert district["th"] in page.read_text()
    for year in (2564, 2565, 2566, 2567, 2568):
        assert (built_site / "years" / str(year) / "index.html").exists()
    for kind in ("categories/learning", "types/best_practice", "best-practice", "browse"):
        assert (built_site / kind / "index.html").exists(), kind


def test_district_listing_counts_match_entries(built_site):
    metas = [front_matter(p) for p in ENTRY_FILES]
    expected = sum(1 for m in metas if m["school"]["district"] == "โคกสำโรง")
    html = (built_site / "districts/khok-samrong/index.html").read_text()
    assert f"{expected} ผลงาน" in html


def test_home_shows_latest_and_best_practice(built_site):
    html = (built_site / "index.html").read_text()
    assert "ผลงานล่าสุด" in html and "แนวปฏิบัติที่เป็นเลิศ" in html
    assert len(re.findall(r'class="ifte-card[ "]', html)) >= 6
    assert "Best Practice</span>" in html


def test_entries_are_not_in_the_navigation(built_site):
    html = (built_site / "index.html").read_text()
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index("md-sidebar--secondary")]
    assert "innovations/2567/" not in nav
    assert 'href="innovations/"' in nav  # the listing is


def test_thai_ui_and_no_external_references(built_site):
    for page in list(built_site.rglob("*.html"))[:400]:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="th"' in html, page
        for tag, attrs in parse(page).tags:
            for attribute in ("src", "href"):
                value = attrs.get(attribute) or ""
                if tag == "link" and attrs.get("rel") == "canonical":
                    continue  # names the page's public address; nothing is fetched
                if tag in ("script", "link", "img", "iframe", "source") and attribute in attrs:
                    assert not re.match(r"^(https?:)?//", value), (page, tag, value)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_self_hosted_thai_font(built_site):
    css = (built_site / "assets/stylesheets/fonts.css").read_text()
    assert "Sarabun" in css
    fonts = list((built_site / "assets/fonts/sarabun").glob("*.woff2"))
    assert fonts and all(f.stat().st_size > 1000 for f in fonts)


def test_schema_is_published_and_matches_the_committed_copy(built_site):
    published = (built_site / "schema/entry.schema.json").read_text()
    assert published == (REPO_ROOT / "schema/entry.schema.json").read_text()
