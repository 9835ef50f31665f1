"""/stats/ and /data/ in headless Chromium: no console errors, nothing fetched from outside,
charts drawn, numbers and downloads that lead somewhere."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["stats/", "data/"])
def test_page_loads_without_errors_or_external_requests(page, site_url, path):
    response = page.goto(site_url + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.watch.console_errors == []
    assert page.watch.external_requests == []
    assert (
        page.locator("h1")
        .first.inner_text()
        .startswith("สถิติผลงาน" if path == "stats/" else "ข้อมูลเปิด")
    )


def test_entry_page_with_related_entries_and_json_ld_loads_cleanly(page, site_url, built_site):
    entry = sorted(built_site.glob("innovations/25*/*/index.html"))[0].parent
    page.goto(site_url + entry.relative_to(built_site).as_posix() + "/")
    page.wait_for_load_state("networkidle")
    assert page.watch.console_errors == [] and page.watch.external_requests == []
    related = page.locator(".ifte-related li a")
    assert 1 <= related.count() <= 4
    related.first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("article.ifte-entry h1").count() == 1


def test_charts_are_drawn_with_their_names(page, site_url):
    page.goto(site_url + "stats/")
    charts = page.locator("svg.ifte-chart")
    assert charts.count() >= 10
    for index in range(charts.count()):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 40
        assert chart.get_attribute("role") == "img"
        title_id = chart.get_attribute("aria-labelledby").split()[0]
        assert page.locator(f"#{title_id}").text_content()
    # On the page, chart labels use the site's self-hosted Thai font first, like the text.
    family = page.eval_on_selector("svg.ifte-chart text", "t => getComputedStyle(t).fontFamily")
    assert family.split(",")[0].strip("\"' ").lower() == "sarabun", family


def test_a_number_opens_the_matching_entries(page, site_url):
    page.goto(site_url + "stats/")
    link = page.locator('table[data-table="districts"] tr[data-code="khok-samrong"] a').first
    expected = int(link.inner_text())
    link.click()
    page.wait_for_load_state("domcontentloaded")
    if "/search/" in page.url:
        assert "district=khok-samrong" in page.url
    else:
        assert page.url.endswith("/districts/khok-samrong/")
        assert page.locator("article.ifte-card").count() == min(expected, 20)
    assert page.watch.console_errors == []


def test_downloads_are_served(page, site_url):
    page.goto(site_url + "data/")
    hrefs = page.eval_on_selector_all("a[download]", "links => links.map(a => a.href)")
    assert len(hrefs) >= 15
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
        if href.endswith(".csv"):
            assert response.body().startswith(b"\xef\xbb\xbf"), href
