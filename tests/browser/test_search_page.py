"""The /search/ page in headless Chromium: the built sample site, then a hostile entry.

Expected results come from the Python side: the catalog for filters and order, the
search pack the same build kept for words (entries containing every word).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from build_tools.core.loader import load_repository
from build_tools.search import open_searcher
from build_tools.search.facets import FILTERS, format_title_sort_key
from build_tools.search.ranking import format_entry_order_key
from tests.browser.test_accessibility import run_axe
from tests.conftest import (
    REPO_ROOT,
    VALID_ENTRY,
    ScratchProject,
    build_scratch_site,
    serve_directory,
)

pytestmark = pytest.mark.browser

CARDS = "#ifte-sp-results > li[data-entry-id]"
INPUT = "#ifte-sp-q"
PAGE_SIZE = 20
VALUES = {f.param: f.values for f in FILTERS}


@pytest.fixture(scope="module")
def catalog():
    return load_repository(REPO_ROOT)


@pytest.fixture(scope="module")
def searcher(built_site, catalog):
    """The Python query path over the entries `built_site` was built from (the search pack
    that build kept, which `ifte search` reads)."""
    with open_searcher(catalog.entries, catalog.vocabularies, REPO_ROOT) as opened:
        yield opened


# --- helpers ----------------------------------------------------------------------------------


def settle(page) -> None:
    """Wait until the page shows the results of its current state."""
    page.wait_for_function("""() => {
        const list = document.getElementById("ifte-sp-results");
        const status = document.getElementById("ifte-sp-status").textContent;
        return !list.hasAttribute("aria-busy") && /^(พบ|ไม่พบ)/.test(status); }""")


def open_search(page, site_url, query: str = "") -> None:
    page.goto(f"{site_url}search/{query}")
    settle(page)


def shown_ids(page) -> list[str]:
    return page.eval_on_selector_all(CARDS, "cards => cards.map(c => c.dataset.entryId)")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def url_params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def total(page) -> int:
    text = page.text_content("#ifte-sp-status")
    return (
        int(re.match(r"พบ ([\d,]+)", text).group(1).replace(",", ""))
        if text.startswith("พบ")
        else 0
    )


def box(page, param: str, code: str):
    return page.locator(f'input[type=checkbox][name="{param}"][value="{code}"]')


def tick(page, param: str, code: str) -> None:
    box(page, param, code).check()
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).getAll({param!r}).includes({code!r})"
    )
    settle(page)


def count_shown(page, param: str, code: str) -> int:
    label = box(page, param, code).locator("xpath=..")
    return int(label.locator("[data-ifte-count]").text_content().replace(",", ""))


def serious_violations(page) -> list[tuple]:
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:4])
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def newest(entries) -> list[str]:
    return [e.id for e in sorted(entries, key=format_entry_order_key, reverse=True)]


def matching(catalog, **chosen) -> list:
    """Entries with one of the chosen codes of every filter (facet-only browse)."""
    return [
        e
        for e in catalog.entries
        if all(set(VALUES[param](e)) & set(codes) for param, codes in chosen.items())
    ]


def words_result(searcher, query: str) -> list[str]:
    """The Python query path, kept to entries containing every word (as the page does)."""
    results = searcher.search(query, limit=10_000)
    every = [hit.id for hit in results.hits if len(hit.matched) == len(results.plan.clauses)]
    return every or [hit.id for hit in results.hits]


def busiest(catalog, param: str, rank: int = 0) -> str:
    counts: dict[str, int] = {}
    for entry in catalog.entries:
        for code in VALUES[param](entry):
            counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda c: (-counts[c], c))[rank]


# --- words ------------------------------------------------------------------------------------


def test_a_link_with_words_opens_with_ranked_marked_results(page, site_url, searcher):
    open_search(page, site_url, "?q=การอ่าน")
    expected = words_result(searcher, "การอ่าน")
    assert 0 < len(expected) < 38  # entries with both words, not every entry with การ
    assert shown_ids(page) == expected[:PAGE_SIZE]
    assert total(page) == len(expected)
    assert page.input_value(INPUT) == "การอ่าน"
    assert all(re.fullmatch(r"\d{4}/[a-z0-9-]+", i) for i in shown_ids(page))
    assert page.locator(f"{CARDS} .ifte-sp__snippet mark").count() >= 1
    first = page.locator(f"{CARDS} a").first.get_attribute("href")
    assert first.endswith(f"innovations/{expected[0]}/")
    assert page.watch.console_errors == []
    assert page.watch.external_requests == []


def test_typing_thai_shows_results_and_keeps_the_words_in_the_url(page, site_url, searcher):
    open_search(page, site_url)
    assert total(page) == 38
    page.fill(INPUT, "ภาษาอังกฤษ")
    page.wait_for_url(re.compile(r"q=%E0%B8%A0"))
    settle(page)
    assert url_params(page)["q"] == ["ภาษาอังกฤษ"]
    assert shown_ids(page) == words_result(searcher, "ภาษาอังกฤษ")[:PAGE_SIZE]
    assert page.eval_on_selector("#ifte-sp-sort", "s => s.value") == "relevance"


def test_a_typo_offers_the_corrected_words(page, site_url):
    open_search(page, site_url, "?q=คณิตศาตร์")
    assert total(page) > 0
    fix = page.locator(".ifte-sp__fix")
    assert fix.text_content() == "คณิตศาสตร์"
    fix.click()
    page.wait_for_url(
        re.compile("q=%E0%B8%84%E0%B8%93%E0%B8%B4%E0%B8%95%E0%B8%A8%E0%B8%B2%E0%B8%AA")
    )
    settle(page)
    assert page.input_value(INPUT) == "คณิตศาสตร์"


# --- filters, counts, sorting -----------------------------------------------------------------


def test_filters_combine_with_each_other_and_counts_follow(page, site_url, catalog):
    open_search(page, site_url)
    first, second = busiest(catalog, "district"), busiest(catalog, "district", 1)
    subject = busiest(catalog, "subject")
    tick(page, "district", first)
    assert shown_ids(page) == newest(matching(catalog, district=[first]))
    tick(page, "district", second)  # two districts: either one
    assert shown_ids(page) == newest(matching(catalog, district=[first, second]))
    # A district's count is what ticking it would add: other filters apply, its own does not.
    for district in {e.school.district for e in catalog.entries}:
        assert count_shown(page, "district", district) == len(
            matching(catalog, district=[district])
        )
    tick(page, "subject", subject)  # and a learning area: both must hold
    both = matching(catalog, district=[first, second], subject=[subject])
    assert shown_ids(page) == newest(both)
    assert total(page) == len(both)
    for district in {e.school.district for e in catalog.entries}:
        expected = len(matching(catalog, district=[district], subject=[subject]))
        assert count_shown(page, "district", district) == expected
    assert url_params(page) == {"district": [first, second], "subject": [subject]}
    assert page.locator("[data-ifte-sp-chips] button").count() == 3


def test_filters_combine_with_words(page, site_url, catalog, searcher):
    district = busiest(catalog, "district")
    open_search(page, site_url, f"?q=การเรียนรู้&district={district}")
    in_district = {e.id for e in matching(catalog, district=[district])}
    expected = [i for i in words_result(searcher, "การเรียนรู้") if i in in_district]
    assert expected and shown_ids(page) == expected[:PAGE_SIZE]


def test_best_practice_entries_carry_the_badge(page, site_url, catalog):
    open_search(page, site_url, "?type=best_practice")
    best = {e.id for e in catalog.entries if e.is_best_practice}
    assert set(shown_ids(page)) == best
    assert page.locator(f"{CARDS} .ifte-badge--bp").count() == len(best)


def test_award_level_filter(page, site_url, catalog):
    level = busiest(catalog, "award")
    open_search(page, site_url, f"?award={level}")
    assert shown_ids(page) == newest(matching(catalog, award=[level]))


def test_a_single_year_and_a_range_of_years(page, site_url, catalog):
    open_search(page, site_url, "?year=2567")
    assert shown_ids(page) == newest([e for e in catalog.entries if e.year == 2567])
    assert page.eval_on_selector("#ifte-sp-year-from", "s => s.value") == "2567"
    assert page.eval_on_selector("#ifte-sp-year-to", "s => s.value") == "2567"
    open_search(page, site_url, "?year_from=2565&year_to=2566&sort=oldest")
    in_range = [e for e in catalog.entries if 2565 <= e.year <= 2566]
    assert shown_ids(page) == [e.id for e in sorted(in_range, key=format_entry_order_key)][:20]
    page.select_option("#ifte-sp-year-to", "2565")
    page.wait_for_url(re.compile(r"year=2565"))
    settle(page)
    assert {i[:4] for i in shown_ids(page)} == {"2565"}


def test_sort_by_title_follows_thai_dictionary_order(page, site_url, catalog):
    open_search(page, site_url, "?sort=title")
    expected = [
        e.id for e in sorted(catalog.entries, key=lambda e: (format_title_sort_key(e.title), e.id))
    ]
    assert shown_ids(page) == expected[:PAGE_SIZE]
    # Somewhere a title starting with เ แ โ ใ ไ sits among its consonant's titles.
    titles = page.eval_on_selector_all(f"{CARDS} h3", "hs => hs.map(h => h.textContent)")
    assert titles != sorted(titles)
    page.select_option("#ifte-sp-sort", "oldest")
    page.wait_for_url(re.compile("sort=oldest"))
    settle(page)
    assert (
        shown_ids(page)
        == [e.id for e in sorted(catalog.entries, key=format_entry_order_key)][:PAGE_SIZE]
    )
    page.select_option("#ifte-sp-sort", "newest")  # the default without words: left out
    page.wait_for_url(lambda url: "sort=" not in url)
    settle(page)
    assert shown_ids(page) == newest(catalog.entries)[:PAGE_SIZE]


# --- the URL is the state ---------------------------------------------------------------------


def test_reloading_the_url_gives_the_same_page(page, site_url, catalog):
    open_search(page, site_url)
    page.fill(INPUT, "ครู")  # a word every entry holds ("การ" alone is a function word)
    page.press(INPUT, "Enter")
    page.wait_for_url(re.compile("q="))
    settle(page)
    tick(page, "type", "innovation")
    page.select_option("#ifte-sp-sort", "title")
    page.wait_for_url(re.compile("sort=title"))
    settle(page)
    page.locator(".ifte-sp__pages a", has_text="2").first.click()
    page.wait_for_url(re.compile("page=2"))
    settle(page)
    before = (
        page.url,
        shown_ids(page),
        page.input_value(INPUT),
        page.eval_on_selector("#ifte-sp-sort", "s => s.value"),
        page.text_content("#ifte-sp-status"),
    )
    assert before[1] and focused_id(page) == "ifte-sp-heading"  # focus follows the new page
    page.reload()
    settle(page)
    after = (
        page.url,
        shown_ids(page),
        page.input_value(INPUT),
        page.eval_on_selector("#ifte-sp-sort", "s => s.value"),
        page.text_content("#ifte-sp-status"),
    )
    assert after == before
    assert box(page, "type", "innovation").is_checked()
    assert url_params(page) == {
        "q": ["ครู"],
        "type": ["innovation"],
        "sort": ["title"],
        "page": ["2"],
    }


def test_back_and_forward_step_through_the_changes(page, site_url, catalog):
    open_search(page, site_url)
    everything = shown_ids(page)
    first, second = busiest(catalog, "district"), busiest(catalog, "district", 1)
    tick(page, "district", first)
    only_first = shown_ids(page)
    tick(page, "district", second)
    page.go_back()
    expect(box(page, "district", second)).not_to_be_checked()
    settle(page)
    assert shown_ids(page) == only_first
    assert box(page, "district", first).is_checked()
    page.go_back()
    expect(box(page, "district", first)).not_to_be_checked()
    settle(page)
    assert shown_ids(page) == everything
    page.go_forward()
    expect(box(page, "district", first)).to_be_checked()
    settle(page)
    assert shown_ids(page) == only_first


def test_typing_makes_one_history_entry_not_one_per_letter(page, site_url):
    open_search(page, site_url)
    for word in ("ภา", "ภาษา", "ภาษาไทย"):
        page.fill(INPUT, word)
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('q') === {word!r}")
        settle(page)
    page.go_back()
    expect(page.locator(INPUT)).to_have_value("")
    settle(page)
    assert "q" not in url_params(page)
    assert total(page) == 38


URL_FORMS = [  # (query string read, query string written)
    ("?district=b&q=%20x%20&district=a&district=b", "q=x&district=b&district=a"),
    ("?year=2567", "year=2567"),
    ("?year=2567&year=2565", "year_from=2565&year_to=2567"),
    ("?year_to=2566", "year_to=2566"),
    ("?sort=relevance", ""),  # nothing to be relevant to: newest, the default
    ("?q=x&sort=relevance", "q=x"),
    ("?q=x&sort=newest&page=3", "q=x&sort=newest&page=3"),
    ("?sort=title&page=0&zzz=1", "sort=title"),
]
CSV_FIELDS = [  # (value, CSV field)
    ("ชุดกิจกรรม", "ชุดกิจกรรม"),
    ('เรื่อง "ดี", มาก', '"เรื่อง ""ดี"", มาก"'),
    ("บรรทัด\nใหม่", '"บรรทัด\nใหม่"'),
    ("=SUM(A1)", "'=SUM(A1)"),  # a formula in Excel, text here
    ("+66 81", "'+66 81"),
    ("@cmd", "'@cmd"),
    ('=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'),
]
RUN_PURE = """async ([forms, fields]) => {
    const m = await import("../assets/javascripts/ifte-search-page.js");
    return [forms.map((q) => m.formatState(m.readState(q))), fields.map(m.formatCsvField)]; }"""


def test_urls_are_read_into_one_canonical_form_and_csv_fields_are_never_formulas(page, site_url):
    open_search(page, site_url)
    forms, fields = page.evaluate(RUN_PURE, [[q for q, _ in URL_FORMS], [v for v, _ in CSV_FIELDS]])
    assert forms == [written for _, written in URL_FORMS]
    assert fields == [field for _, field in CSV_FIELDS]


# --- export -----------------------------------------------------------------------------------


def test_csv_download_lists_every_result_and_opens_as_thai(page, site_url, catalog):
    subject = busiest(catalog, "subject")
    open_search(page, site_url, f"?subject={subject}&sort=title")
    with page.expect_download() as info:
        page.click("[data-ifte-sp-csv]")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    data = open(download.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    criteria, header, body = rows[0], rows[1], rows[2:]
    assert criteria[0].startswith("เงื่อนไขการค้นหา") and "ข้อมูล ณ วันที่ " in criteria[1]
    assert re.fullmatch(r"ifte-search-25\d\d-\d\d-\d\d\.csv", download.suggested_filename)
    assert header[:3] == ["ลำดับ", "รหัสผลงาน", "ชื่อผลงาน"]
    assert header[-3:] == ["ผู้พัฒนา", "สรุปย่อ", "ลิงก์"]
    chosen = sorted(
        matching(catalog, subject=[subject]), key=lambda e: (format_title_sort_key(e.title), e.id)
    )
    assert [row[1] for row in body] == [e.id for e in chosen]
    by_id = {e.id: e for e in chosen}
    for row in body:
        entry = by_id[row[1]]
        assert row[2] == entry.title and row[3] == entry.school.name
        assert row[6] == str(entry.year)
        assert catalog.vocabularies.label("subjects", subject) in row[9].split("; ")
        # From the entry's open-data record, fetched for the CSV only; Thai intact.
        assert row[-3].split("; ") == [author.name for author in entry.authors]
        assert row[-2] == entry.summary and re.search("[ก-๙]", row[-2])
        assert row[-1].endswith(f"innovations/{entry.id}/")


def test_print_shows_the_whole_list_without_the_filters(page, site_url, catalog):
    page.add_init_script("window.print = () => { window.__printed = true; };")
    open_search(page, site_url)  # 38 entries: two pages of cards
    page.emulate_media(media="print")
    assert page.locator("#ifte-sp-filters").is_hidden()
    assert page.locator(INPUT).is_hidden()
    assert page.locator(CARDS).first.is_visible()  # printing as is: the cards shown
    page.emulate_media(media="screen")
    page.click("[data-ifte-sp-print]")
    page.wait_for_function("window.__printed === true")
    rows = page.locator("#ifte-sp-print tbody tr")
    assert rows.count() == len(catalog.entries)
    assert rows.first.get_attribute("data-entry-id") == newest(catalog.entries)[0]
    assert page.locator("#ifte-sp-print").is_hidden()  # on screen
    page.emulate_media(media="print")
    assert page.locator("#ifte-sp-print").is_visible()
    assert page.locator("#ifte-sp-filters").is_hidden()
    assert page.locator(CARDS).first.is_hidden()


# --- phone, keyboard, screen reader -----------------------------------------------------------


def test_a_phone_browses_by_tapping_without_typing(page, site_url, catalog):
    page.set_viewport_size({"width": 360, "height": 740})
    open_search(page, site_url)
    assert page.locator(".ifte-sp__group").first.is_hidden()  # filters folded
    page.click("#ifte-sp-filters > summary")
    district = busiest(catalog, "district")
    page.get_by_role(
        "checkbox", name=re.compile(catalog.vocabularies.label("districts", district))
    ).click()
    page.wait_for_url(re.compile(f"district={district}"))
    settle(page)
    expected = len(matching(catalog, district=[district]))
    show = page.locator("[data-ifte-sp-to-results]")
    assert show.text_content() == f"ดูผลงาน {expected} รายการ"
    show.click()
    assert page.locator(".ifte-sp__group").first.is_hidden()
    assert focused_id(page) == "ifte-sp-heading"
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 1
    assert serious_violations(page) == []


def test_keyboard_alone_searches_filters_and_turns_pages(page, site_url, catalog):
    open_search(page, site_url)
    page.focus(INPUT)
    page.keyboard.type("ครู")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("q="))
    settle(page)
    for _ in range(80):  # Tab to the first type checkbox and tick it with the space bar
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "type":
            break
    code = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(f"type={code}"))
    settle(page)
    assert box(page, "type", code).is_checked()
    for _ in range(200):  # on to the next-page link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("ถัดไป"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("page=2"))
    settle(page)
    assert focused_id(page) == "ifte-sp-heading"


def test_screen_readers_get_names_and_hear_the_count(page, site_url, catalog):
    open_search(page, site_url)
    status = page.locator("#ifte-sp-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    assert page.get_by_role("searchbox", name=re.compile("คำค้น")).count() == 1
    assert page.get_by_role("combobox", name=re.compile("เรียงตาม")).count() == 1
    district = busiest(catalog, "district")
    label = catalog.vocabularies.label("districts", district)
    checkbox = page.get_by_role("checkbox", name=re.compile(label))
    assert checkbox.count() == 1
    assert page.get_by_role("group", name=re.compile("อำเภอ")).count() == 1
    checkbox.check()
    page.wait_for_url(re.compile("district="))
    settle(page)
    assert status.text_content() == f"พบ {len(matching(catalog, district=[district]))} ผลงาน"
    page.get_by_role("button", name=re.compile(f"^อ.{label} — เอาตัวกรองนี้ออก")).click()
    page.wait_for_url(lambda url: "district=" not in url)
    settle(page)
    assert status.text_content() == "พบ 38 ผลงาน · หน้า 1 จาก 2"
    assert serious_violations(page) == []


# --- hostile text -----------------------------------------------------------------------------

HOSTILE = '<img src=x onerror="window.__pwned=1">'


def test_results_with_an_image_show_its_thumbnail_and_others_none(page, site_url, catalog):
    pictured = {e.id for e in catalog.entries if e.cover_image}
    open_search(page, site_url, "?q=ระบบ")
    shown = shown_ids(page)
    with_picture = [i for i in shown if i in pictured]
    assert with_picture and len(with_picture) < len(shown)  # both kinds are on the page
    for entry_id in shown:
        card = page.locator(f'{CARDS}[data-entry-id="{entry_id}"]')
        assert card.locator("picture").count() == (entry_id in pictured), entry_id
    card = page.locator(f'{CARDS}[data-entry-id="{with_picture[0]}"]')
    img = card.locator("picture img")
    assert img.get_attribute("loading") == "lazy"
    assert (img.get_attribute("width"), img.get_attribute("height")) == ("320", "200")
    assert img.get_attribute("alt") == card.locator("h3").text_content()
    assert card.locator("picture source").get_attribute("type") == "image/webp"
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    href = card.locator("h3 a").get_attribute("href")
    assert img.evaluate("img => img.currentSrc") == href + "cover@320.webp"
    assert page.watch.console_errors == []


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A scratch site whose entry has markup in its title, school and keywords."""
    project = ScratchProject(tmp_path_factory.mktemp("hostile-search-page"))
    project.entry("reading-kit")
    hostile = (
        VALID_ENTRY.replace("title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ", f"title: '{HOSTILE} ชุดอันตราย'")
        .replace("name: โรงเรียนบ้านโคกสำโรง", "name: '<svg onload=\"window.__pwned=2\"> โรงเรียน'")
        .replace("keywords: [การอ่าน]", f"keywords: ['{HOSTILE}', อันตราย]")
    )
    project.entry("hostile", hostile)
    formula = (
        VALID_ENTRY.replace(
            "title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ", "title: '=HYPERLINK(\"http://x\") สูตร'"
        )
        .replace("name: นางสาวกมลวรรณ ใจดี", "name: '@ครูสูตร'")
        .replace(
            "summary: ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น",
            "summary: '-2+3 ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น'",
        )
    )
    project.entry("formula", formula)
    result = build_scratch_site(project)
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = serve_directory(project.root / "site")
    yield url
    server.shutdown()


def test_hostile_entry_text_is_shown_as_text(page, hostile_site):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for query in ("?q=อันตราย", "?sort=title", "?q=img"):
        open_search(page, hostile_site, query)
        card = page.locator('[data-entry-id="2567/hostile"]')
        assert card.locator("h3").text_content() == f"{HOSTILE} ชุดอันตราย"
        assert '<svg onload="window.__pwned=2"> โรงเรียน' in card.text_content()
        assert page.locator("#ifte-sp-results img, #ifte-sp-results svg").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.watch.console_errors == []


def test_csv_cells_never_start_a_spreadsheet_formula(page, hostile_site):
    open_search(page, hostile_site, "?sort=title")
    with page.expect_download() as info:
        page.click("[data-ifte-sp-csv]")
    text = open(info.value.path(), encoding="utf-8-sig").read()
    rows = {row[1]: row for row in csv.reader(io.StringIO(text, newline=""))}
    assert rows["2567/formula"][2] == '\'=HYPERLINK("http://x") สูตร'
    assert rows["2567/formula"][-3:-1] == [
        "'@ครูสูตร",
        "'-2+3 ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น",
    ]
    assert rows["2567/hostile"][2] == f"{HOSTILE} ชุดอันตราย"
