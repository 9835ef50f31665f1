"""The public face in Chromium (issue 27): what the first screen shows, the 404 page,
the search page's skip link, Thai words kept whole, the phone header."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SIZES = [(390, 844), (1366, 800)]
IN_FIRST_SCREEN = """sel => [...document.querySelectorAll(sel)].some(e => {
  const r = e.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
})"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_shows_a_search_box_and_an_entry_in_the_first_screen(page, site_url, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(site_url, wait_until="networkidle")
    assert page.evaluate(IN_FIRST_SCREEN, ".ifte-hero__search input[name=q]")
    assert page.evaluate(IN_FIRST_SCREEN, ".ifte-card__title a")
    shown = page.eval_on_selector_all("[data-entry-id]", "cs => cs.map(c => c.dataset.entryId)")
    assert shown and len(shown) == len(set(shown))  # no entry twice


def test_home_search_box_opens_the_search_page_with_the_words(page, site_url):
    page.goto(site_url)
    page.fill("#ifte-home-q", "การอ่าน")
    page.press("#ifte-home-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.input_value("#ifte-sp-q") == "การอ่าน"


def test_missing_page_is_the_thai_404_with_a_search_box(page, site_url):
    page.goto(site_url + "404.html")
    assert "ไม่พบหน้าที่ต้องการ" in page.inner_text("h1")
    assert page.locator("form[role=search] input[name=q]").count() >= 1
    assert page.locator("a[href='/innovations/']").count() >= 1  # from the root: any address


def test_search_page_skip_link_reaches_the_results_in_one_step(page, site_url):
    page.goto(site_url + "search/", wait_until="networkidle")
    page.focus("#ifte-sp-q")
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("ข้ามไปผลการค้นหา")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "ifte-sp-heading"
    # Long filter lists are folded; the folded values are out of the Tab order.
    assert page.locator("details.ifte-sp__more").count() >= 1


def test_thai_words_in_titles_are_not_split_at_390_px(page, site_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "innovations/")
    # No segmented word of a card title is spread over two lines.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('.ifte-card__title .ifte-w')]
          .filter(w => new Set([...w.getClientRects()].map(r => Math.round(r.top))).size > 1)
          .map(w => w.textContent)"""
    )
    titles = page.locator(".ifte-card__title .ifte-w")
    assert titles.count() > 20
    assert broken == []


@pytest.mark.parametrize("level", ["0", "3"])
def test_phone_header_shows_the_whole_site_name(page, site_url, level):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url)
    page.evaluate(f"document.documentElement.setAttribute('data-ifte-font-size', '{level}')")
    page.wait_for_timeout(800)  # the header search box's width eases to its new size
    name = page.locator(".md-header__topic:first-child .md-ellipsis")
    clipped = name.evaluate(
        "e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1"
    )
    assert not clipped


PICTURE_BOX = """sel => {
  const img = document.querySelector(sel);
  const r = img.getBoundingClientRect();
  return {width: r.width, height: r.height, loaded: img.complete && img.naturalWidth > 0,
          src: img.currentSrc};
}"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", ["", "years/2567/"], ids=["home", "listing"])
def test_card_pictures_load_in_a_box_reserved_before_they_arrive(page, site_url, size, path):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    entry = "2568/safe-school-management" if not path else "2567/stem-drip-irrigation"
    selector = f'.ifte-card[data-entry-id="{entry}"] .ifte-thumb img'
    page.goto(site_url + path, wait_until="domcontentloaded")
    before = page.evaluate(PICTURE_BOX, selector)
    page.locator(selector).scroll_into_view_if_needed()
    page.wait_for_function(f"document.querySelector('{selector}').naturalWidth > 0")
    after = page.evaluate(PICTURE_BOX, selector)
    assert after["loaded"] and after["src"].endswith(".webp"), after
    # The box had its final size (16:10, from width/height) before the picture came.
    assert before["height"] > 0 and abs(before["height"] - after["height"]) < 0.5, (before, after)
    assert abs(after["width"] / after["height"] - 1.6) < 0.02, after
    assert not page.watch.console_errors
