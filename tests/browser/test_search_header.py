"""The header search box in headless Chromium: the sample site, then a hostile entry."""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlsplit

import jinja2
import pytest

from build_tools.search import export_search
from tests.conftest import REPO_ROOT, serve_directory
from tests.search_factory import CORPUS, make_entry

pytestmark = pytest.mark.browser

THEME = REPO_ROOT / "theme"
BOX = "form.ifte-search"
INPUT = "#ifte-search-input"
OPTIONS = "#ifte-search-results [role=option]"


def is_search_file(url: str) -> bool:
    return "search-index/" in url or "ifte-search-engine" in url


def search_responses(page) -> list[tuple[str, int]]:
    """(url, status) of every search file the page fetches, as they arrive."""
    responses: list[tuple[str, int]] = []
    page.on("response", lambda r: is_search_file(r.url) and responses.append((r.url, r.status)))
    return responses


def type_query(page, text: str) -> None:
    page.fill(INPUT, text)
    page.wait_for_selector(f"{BOX} .ifte-search__panel:not([hidden])")


def first_result_href(page) -> str:
    page.wait_for_selector(OPTIONS)
    return page.locator(OPTIONS).first.get_attribute("data-href")


def test_nothing_is_downloaded_before_the_first_keystroke(page, site_url):
    responses = search_responses(page)
    page.goto(site_url + "innovations/2564/lopburi-folktale-reading/")
    page.focus(INPUT)
    page.wait_for_timeout(300)
    assert responses == []
    type_query(page, "ใจความ")
    page.wait_for_selector(OPTIONS)
    assert any(url.endswith("search-index/manifest.json") for url, _ in responses)
    assert all(status == 200 for _, status in responses)
    assert not [e for e in page.watch.console_errors if "search" in e]
    assert page.watch.external_requests == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ใจความ", ["2564/lopburi-folktale-reading"]),  # inside จับใจความ
        ("ฉลาดรู้", ["financial-literacy"]),  # inside ความฉลาดรู้ทางการเงิน
        ("ทานตะว", ["2564/sunflower-stem-kindergarten"]),  # prefix, still typing
        ("ภาษาอังกฤด", ["phonics", "english"]),  # one typo (ภาษาอังกฤษ)
    ],
)
def test_results_appear_as_you_type(page, site_url, query, expected):
    page.goto(site_url)
    type_query(page, query)
    href = first_result_href(page)
    assert any(part in href for part in expected), href
    assert page.get_attribute(INPUT, "aria-expanded") == "true"


def test_a_typo_offers_the_corrected_query(page, site_url):
    page.goto(site_url)
    type_query(page, "คณิตศาตร์")
    page.wait_for_selector(OPTIONS)
    fix = page.locator(".ifte-search__fix")
    assert fix.text_content() == "คณิตศาสตร์"
    fix.click()
    assert page.input_value(INPUT) == "คณิตศาสตร์"


def test_arrow_keys_choose_a_result_and_enter_opens_it(page, site_url):
    page.goto(site_url)
    type_query(page, "ใจความ")
    href = first_result_href(page)
    page.press(INPUT, "ArrowDown")
    active = page.get_attribute(INPUT, "aria-activedescendant")
    assert page.get_attribute(f"#{active}", "aria-selected") == "true"
    page.press(INPUT, "Enter")
    page.wait_for_url(href)
    assert page.url.endswith("/innovations/2564/lopburi-folktale-reading/")


def test_clicking_a_result_opens_it(page, site_url):
    page.goto(site_url)
    type_query(page, "ทานตะว")
    href = first_result_href(page)
    page.locator(OPTIONS).first.click()
    page.wait_for_url(href)


def test_enter_without_a_choice_opens_the_search_page(page, site_url):
    page.goto(site_url + "innovations/2564/lopburi-folktale-reading/")
    page.fill(INPUT, "การอ่าน ป.4")
    page.press(INPUT, "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    url = urlsplit(page.url)
    assert url.path == "/search/"
    assert parse_qs(url.query)["q"] == ["การอ่าน ป.4"]


def test_escape_closes_the_results(page, site_url):
    page.goto(site_url)
    type_query(page, "ใจความ")
    page.press(INPUT, "Escape")
    assert page.get_attribute(INPUT, "aria-expanded") == "false"
    assert page.locator(f"{BOX} .ifte-search__panel").is_hidden()


HOSTILE_TITLE = '<img src=x onerror="window.__pwned = 1"> ชุดฝึกอันตราย'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The real box partial and script over an index holding a hostile entry."""
    root = tmp_path_factory.mktemp("hostile")
    hostile = make_entry(
        "hostile",
        HOSTILE_TITLE,
        '<script>window.__pwned = 2</script> ชุดฝึกอันตราย <b onmouseover="x()">ตัวหนา</b>',
        school='<svg onload="window.__pwned = 3">',
    )
    export_search([*CORPUS, hostile], root / "search-index")
    box = jinja2.Template((THEME / "partials" / "ifte-search-box.html").read_text())
    scripts = THEME / "assets" / "javascripts"
    for name in ("ifte-search.js", "ifte-search-engine.js"):
        shutil.copy(scripts / name, root / name)
    (root / "index.html").write_text(
        '<!doctype html><html lang="th"><head><meta charset="utf-8"><title>t</title>'
        '<link rel="icon" href="data:,"></head><body>'
        + box.render(base_url=".")
        + '<script src="ifte-search.js"></script></body></html>',
        encoding="utf-8",
    )
    server, url = serve_directory(root)
    yield url
    server.shutdown()


def test_entry_text_is_shown_as_text_never_as_markup(page, hostile_site):
    page.goto(hostile_site)
    type_query(page, "อันตราย")
    page.wait_for_selector(OPTIONS)
    panel = page.locator(f"{BOX} .ifte-search__panel")
    assert page.locator(".ifte-search__title").first.text_content() == HOSTILE_TITLE
    assert "<script>" in panel.text_content()
    assert panel.locator("img, script, svg, b").count() == 0
    assert panel.locator("mark").count() >= 1  # matches are marked with real elements
    assert page.evaluate("window.__pwned") is None


def test_the_open_results_have_no_serious_accessibility_violation(page, site_url):
    page.goto(site_url)
    type_query(page, "คณิตศาตร์")
    page.wait_for_selector(OPTIONS)
    page.press(INPUT, "ArrowDown")
    page.add_script_tag(path=str(REPO_ROOT / "node_modules/axe-core/axe.min.js"))
    violations = page.evaluate(
        """() => axe.run("form.ifte-search", {resultTypes: ["violations"]})
                   .then((result) => result.violations)"""
    )
    serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []
