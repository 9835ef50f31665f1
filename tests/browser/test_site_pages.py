"""The sample site in a real browser: Thai UI, no console errors, nothing fetched from outside."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "innovations/",
    "innovations/2567/stem-drip-irrigation/",
    "best-practice/",
    "districts/khok-samrong/",
    "browse/",
    "about/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(page, site_url, path):
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.watch.console_errors == []
    assert page.watch.external_requests == []


def test_thai_font_is_self_hosted_and_used(page, site_url):
    page.goto(site_url + "innovations/2567/stem-drip-irrigation/", wait_until="networkidle")
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "Sarabun" in family
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ภาษาไทย')")


def test_entry_page_shows_metadata_and_breadcrumbs(page, site_url):
    page.goto(site_url + "innovations/2567/stem-drip-irrigation/")
    crumbs = page.locator(".ifte-breadcrumbs li").all_inner_texts()
    assert crumbs[:3] == ["หน้าแรก", "ผลงานทั้งหมด", "พ.ศ. 2567"]
    assert page.locator(".ifte-meta dt").first.inner_text() == "ผู้พัฒนา"
    page.locator(".ifte-breadcrumbs a", has_text="พ.ศ. 2567").click()
    assert page.url.endswith("/years/2567/")
    assert page.locator('[data-entry-id="2567/stem-drip-irrigation"]').count() == 1
