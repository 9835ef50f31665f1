"""/network/, an adoption list and a round's announcement in Chromium at phone and desktop
widths: no console errors, nothing fetched from outside, nothing wider than the screen."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ENTRY = "innovations/2568/bar-model-math-problem-solving/"


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("path", ["network/", ENTRY, "selection/2568/"])
def test_network_pages_render_at_phone_and_desktop_widths(page, site_url, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    assert page.goto(site_url + path).status == 200
    page.wait_for_load_state("networkidle")
    assert page.watch.console_errors == [] and page.watch.external_requests == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow
    if path == "network/":
        maps = page.locator("svg.ifte-chart")
        assert maps.count() == 2
        for index in range(2):
            box = maps.nth(index).bounding_box()
            assert box and 0 < box["x"] + box["width"] <= width and box["height"] > 100
        assert page.locator(".ifte-network__most li a").count() >= 3
        assert page.locator(".ifte-adoption").count() >= 3
    elif path == ENTRY:
        heading = page.locator("#ifte-adoptions-heading").inner_text()
        assert heading.startswith("นำไปใช้แล้ว 3 แห่ง")
        items = page.locator(".ifte-entry-adoptions .ifte-adoption")
        assert items.count() == 3 and items.first.is_visible()
        assert "ไม่เผยแพร่" not in page.locator(".ifte-entry-adoptions").inner_text()
        link = page.locator(".ifte-entry-award a[href*='selection/2568/']").first
        assert link.is_visible()
        assert page.locator(".ifte-entry-award a[href$='.pdf']").count() == 1
    else:
        assert page.locator("h1").inner_text().startswith("ประกาศผลการคัดเลือกแนวปฏิบัติที่เป็นเลิศ")
        assert page.locator(".ifte-selection__ranking tbody tr").count() == 12
        pdf = page.locator(".ifte-selection__winners a[href$='.pdf']").first.get_attribute("href")
        assert page.request.get(page.url + pdf).body().startswith(b"%PDF")
