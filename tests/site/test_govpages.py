"""Government website items (DGA standard) and the ITA/OIT evidence map."""

from __future__ import annotations

import datetime as dt
import re
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
import yaml

from build_tools.core.errors import ConfigError
from build_tools.features.govpages import (
    GOV_PAGES,
    generate_gov_pages,
    read_hand_written,
    read_office,
)
from build_tools.core.loader import load_repository
from build_tools.features.oit import OIT_FILE, format_absolute_url, read_oit_map
from build_tools.core.site import SiteSettings
from build_tools.core.thaidate import MONTHS_TH
from tests.conftest import REPO_ROOT

THAI_DATE = re.compile(r"\d{1,2} (?:" + "|".join(MONTHS_TH) + r") 25\d\d")
OFFICE = {
    "name": "สำนักงานศึกษาธิการจังหวัดทดสอบ",
    "address": "ถนนทดสอบ อำเภอเมือง จังหวัดทดสอบ 10000",
    "phone": "0 3641 1234",
    "email": "office@example.go.th",
}


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml names Python functions (!!python/name:…); we only need plain settings."""


_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda *args: None)


def read_settings() -> dict:
    return yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)


def text_of(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")


def footer_links(path: Path) -> set[str]:
    html = path.read_text(encoding="utf-8")
    footer = html[html.index('class="md-footer ifte-footer"') :]
    parser = _Links()
    parser.feed(footer)
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in parser.hrefs}


# --- settings ------------------------------------------------------------------------


def test_office_settings_name_every_missing_field_in_thai_and_english():
    with pytest.raises(ConfigError) as caught:
        read_office({"office": {"name": "สำนักงาน", "email": "a@example.go.th"}})
    assert "extra.office.address" in caught.value.thai
    assert "extra.office.phone" in caught.value.english
    with pytest.raises(ConfigError, match="extra.office"):
        read_office({})


def test_office_e_mail_addresses_are_checked():
    with pytest.raises(ConfigError, match="dpo_email"):
        read_office({"office": {**OFFICE, "dpo_email": "not an address"}})


def test_privacy_and_accessibility_contacts_fall_back_to_the_office_e_mail():
    office = read_office({"office": OFFICE})
    assert office.privacy_contact == office.accessibility_contact == "office@example.go.th"
    assert office.phone_uri == "+6636411234"
    office = read_office({"office": {**OFFICE, "dpo_email": "dpo@example.go.th"}})
    assert office.privacy_contact == "dpo@example.go.th"


def test_hand_written_page_replaces_the_default_text_and_keeps_its_own_title(scratch_project):
    tmp_path = scratch_project.root
    settings = SiteSettings("site", "https://example.go.th/", tmp_path, {"office": OFFICE})
    (tmp_path / "content").mkdir()
    (tmp_path / "content/contact.md").write_text("# ติดต่อเรา\n\nเขียนเอง", encoding="utf-8")
    (tmp_path / "content/about.md").write_text(
        "---\ntitle: เกี่ยวกับเรา\n---\nข้อความ", encoding="utf-8"
    )

    pages = {p.src_uri: p for p in generate_gov_pages(load_repository(tmp_path), settings)}

    assert set(pages) == {f"{p.slug}.md" for p in GOV_PAGES}
    assert pages["contact.md"].context["gov"]["text"] is None
    assert "เขียนเอง" in pages["contact.md"].body and pages["contact.md"].title == "ติดต่อเรา"
    assert pages["about.md"].title == "เกี่ยวกับเรา" and pages["about.md"].body == "ข้อความ"
    assert pages["privacy.md"].context["gov"]["text"] == "gov/privacy.html"
    assert pages["privacy.md"].body == ""
    today = dt.date.today()  # files git does not know are dated by their file time
    assert pages["contact.md"].context["gov"]["updated_iso"] in (
        today.isoformat(),
        (today - dt.timedelta(days=1)).isoformat(),
    )
    assert read_hand_written(tmp_path, "faq") is None


def test_every_default_government_text_renders_with_the_office_settings():
    """The default texts are used only when content/<slug>.md is missing: render them all."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(REPO_ROOT / "theme"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
    )
    env.filters["url"] = lambda path: "/" + path
    office = read_office({"office": OFFICE})
    context = {
        "config": {"site_name": "คลังนวัตกรรม", "site_url": "https://example.go.th/"},
        "office": {
            **office.__dict__,
            "privacy_contact": office.privacy_contact,
            "accessibility_contact": office.accessibility_contact,
            "phone_uri": office.phone_uri,
        },
    }
    for page in GOV_PAGES:
        if page.template != "gov-page.html":
            continue
        html = env.get_template(f"gov/{page.slug}.html").render(context)
        assert "สำนักงานศึกษาธิการจังหวัดทดสอบ" in html or "office@example.go.th" in html, page


# --- the OIT map ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("items: []", "fiscal_year"),
        ("fiscal_year: 2026\nitems: []", "2026"),
        ("fiscal_year: 2569\nitems:\n  - {code: X5, title: t, page: a/}", "items[0]"),
        (
            "fiscal_year: 2569\nitems:\n  - {code: O5, title: t, page: a/}\n"
            "  - {code: O5, title: u, page: b/}",
            "O5",
        ),
        ("fiscal_year: 2569\nitems:\n  - {code: O5, title: t}", "page"),
        (
            "fiscal_year: 2569\nitems:\n  - {code: O5, title: t, page: a/, url: 'https://x.th/'}",
            "url",
        ),
        ("fiscal_year: 2569\nitems:\n  - {code: O5, title: t, page: /contact/}", "contact/"),
        ("fiscal_year: 2569\nitems:\n  - {code: O5, title: t, url: 'http://x.th/'}", "https://"),
        ("fiscal_year: 2569\nitems:\n  - {code: O5, page: a/}", "title"),
    ],
)
def test_oit_map_mistakes_name_the_item_and_the_fix(tmp_path, text, expected):
    (tmp_path / OIT_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_oit_map(tmp_path)
    assert expected in str(caught.value)
    assert OIT_FILE in caught.value.thai and OIT_FILE in caught.value.english


def test_oit_items_become_full_urls_for_the_ita_system(tmp_path):
    (tmp_path / OIT_FILE).write_text(
        "fiscal_year: 2569\nitems:\n  - {code: O5, title: ติดต่อ, page: contact/}\n"
        "  - {code: O1, title: โครงสร้าง, url: 'https://office.example.go.th/structure'}\n",
        encoding="utf-8",
    )
    oit = read_oit_map(tmp_path)
    assert [format_absolute_url(i, "https://ifte.example.go.th/") for i in oit.items] == [
        "https://ifte.example.go.th/contact/",
        "https://office.example.go.th/structure",
    ]


# --- the built sample site ---------------------------------------------------------------


@pytest.mark.parametrize("slug", [p.slug for p in GOV_PAGES] + ["oit"])
def test_government_page_shows_its_last_updated_date_in_buddhist_era(built_site, slug):
    text = text_of(built_site / slug / "index.html")
    assert re.search(r"ปรับปรุงล่าสุด " + THAI_DATE.pattern, text), text[:300]


def test_contact_page_shows_the_office_details_from_mkdocs_yml(built_site):
    office = read_settings()["extra"]["office"]
    text = text_of(built_site / "contact/index.html")
    for key in ("name", "address", "phone", "email", "hours"):
        assert office[key] in text, key


def test_privacy_page_says_what_entries_hold_and_how_to_ask_for_removal(built_site):
    office = read_office(read_settings()["extra"])
    text = text_of(built_site / "privacy/index.html")
    assert office.privacy_contact in text
    for words in ("ชื่อ", "ตำแหน่ง", "ลบ", "วัตถุประสงค์"):
        assert words in text, words


def test_accessibility_statement_names_the_standard_and_a_contact(built_site):
    office = read_office(read_settings()["extra"])
    text = text_of(built_site / "accessibility/index.html")
    assert "WCAG 2.1" in text and "TWCAG" in text
    assert office.accessibility_contact in text


@pytest.mark.parametrize("page", ["index.html", "innovations/index.html", "404.html"])
def test_every_page_footer_links_every_government_page(built_site, page):
    links = footer_links(built_site / page)
    assert {p.slug for p in GOV_PAGES} | {"oit"} <= links
    assert read_settings()["extra"]["office"]["phone"] in text_of(built_site / page)


def test_oit_page_lists_each_item_with_its_full_url(built_site):
    settings = read_settings()
    oit = read_oit_map(REPO_ROOT)
    html = (built_site / "oit/index.html").read_text(encoding="utf-8")
    assert f"ปีงบประมาณ พ.ศ. {oit.fiscal_year}" in html
    for item in oit.items:
        row = html[html.index(f'<tr id="{item.code.lower()}">') :]
        row = row[: row.index("</tr>")]
        assert html_escape(item.title) in row
        assert format_absolute_url(item, settings["site_url"]) in row


def test_site_map_page_links_every_listing_and_government_page(built_site):
    links = set(
        re.findall(
            r'href="([^"]+)"', (built_site / "sitemap/index.html").read_text(encoding="utf-8")
        )
    )
    listings = {
        p.parent.relative_to(built_site).as_posix()
        for p in built_site.glob("districts/*/index.html")
    }
    assert listings and all(f"../{listing}/" in links for listing in listings)
    assert all(f"../{p.slug}/" in links for p in GOV_PAGES if p.slug != "sitemap")
