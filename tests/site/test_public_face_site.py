"""The built sample site's public face (issue 27): .htaccess, index pages, Thai
labels, image figures, and the build warning for example settings."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from build_tools.pages.listings import FACETS
from tests.conftest import build_scratch_site


def test_site_root_has_an_htaccess_that_serves_the_thai_404(built_site):
    htaccess = (built_site / ".htaccess").read_text(encoding="utf-8")
    assert "ErrorDocument 404 /404.html" in htaccess  # site_url has no sub-path
    assert "ไม่พบหน้าที่ต้องการ" in (built_site / "404.html").read_text(encoding="utf-8")


def test_every_listing_folder_has_an_index_page(built_site):
    for facet in FACETS:
        html = (built_site / facet.kind / "index.html").read_text(encoding="utf-8")
        values = re.search(r'<ul class="ifte-facet-index">(.*?)</ul>', html, re.S)
        assert values and values.group(1).count("<a href=") >= 2, facet.kind


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _text(path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def test_public_pages_have_no_english_debug_labels_or_internal_notes(built_site):
    pages = ["index.html", "districts/chai-badan/index.html", "years/2567/index.html"]
    pages += ["innovations/index.html", "contact/index.html", "oit/index.html"]
    for page in pages:
        text = _text(built_site / page)
        for label in (
            "district:",
            "Year:",
            "Contact.",
            "ดึงจากการตั้งค่า",
            "ตรวจเลขข้อ",
            "Permanent link",
        ):
            assert label not in text, (page, label)
    assert "อำเภอชัยบาดาล" in _text(built_site / "districts/chai-badan/index.html")
    assert "ผลงานปี พ.ศ. 2567" in _text(built_site / "years/2567/index.html")
    assert not (built_site / "deploy").exists()  # the staff guide is in docs/, not the site


def test_image_attachments_are_figures_on_the_entry_page(built_site):
    html = (built_site / "innovations/2567/stem-drip-irrigation/index.html").read_text("utf-8")
    figures = re.findall(r'<figure class="ifte-figure">.*?</figure>', html, re.S)
    assert figures and all('loading="lazy"' in f and 'alt="' in f for f in figures)
    assert any("drip-irrigation.jpg" in f for f in figures)


def test_build_warns_when_a_setting_holds_an_example_value(scratch_project):
    result = build_scratch_site(scratch_project)
    assert "ค่าตัวอย่าง" not in result.stderr  # the real office details
    config = scratch_project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("036-776771", "0 3600 0000"), encoding="utf-8"
    )
    result = build_scratch_site(scratch_project)
    assert "extra.office.phone: 0 3600 0000" in result.stderr, result.stderr


def _card(html: str, entry_id: str) -> str:
    found = re.search(
        rf'<article class="ifte-card[^"]*" data-entry-id="{entry_id}">.*?</article>', html, re.S
    )
    assert found, entry_id
    return found.group(0)


def test_cards_of_entries_with_images_show_their_picture(built_site):
    from io import BytesIO

    from PIL import Image

    drip = "2567/stem-drip-irrigation"
    for page, prefix in (("years/2567/index.html", "../../"), ("best-practice/index.html", "../")):
        html = (built_site / page).read_text("utf-8")
        card = _card(html, drip)
        assert '<picture class="ifte-thumb">' in card and 'type="image/webp"' in card
        img = re.search(r"<img [^>]*>", card).group(0)
        for attribute in ('width="320"', 'height="200"', 'loading="lazy"', 'alt="สะเต็มศึกษา'):
            assert attribute in img, img
        assert "ifte-badge--award" in card  # an awarded entry says so
        assert card.count("srcset=") == 2
        for uri in re.findall(r"([^\s\"]+) \d+w", card):
            assert uri.startswith(f"{prefix}innovations/2567/stem-drip-irrigation/cover@"), uri
    home = (built_site / "index.html").read_text("utf-8")
    pictured = re.findall(r'data-entry-id="([^"]+)">(?:(?!</article>).)*<picture', home, re.S)
    assert "2568/safe-school-management" in pictured  # a Best Practice with an image
    # An entry without images has a card without a picture.
    listing = (built_site / "years/2567/index.html").read_text("utf-8")
    assert "<picture" not in _card(listing, "2567/multigrade-small-school")
    # The files are there, in their formats and sizes, and the entry's header shows one.
    folder = built_site / "innovations/2567/stem-drip-irrigation"
    for name, size, kind in (
        ("cover@320.webp", (320, 200), "WEBP"),
        ("cover@640.jpg", (640, 400), "JPEG"),
    ):
        with Image.open(BytesIO((folder / name).read_bytes())) as picture:
            assert (picture.format, picture.size) == (kind, size)
    entry = (folder / "index.html").read_text("utf-8")
    header = re.search(r"<header>.*?</header>", entry, re.S).group(0)
    assert 'srcset="cover@640.webp 640w"' in header and 'loading="lazy"' not in header
    related = re.search(r'<section class="ifte-related".*?</section>', entry, re.S).group(0)
    assert "sunflower-stem-kindergarten/cover@320.jpg" in related
