"""One rule on the three surfaces: the header box, /search/ and `ifte search --json`.

Over the built sample site: the same entries in the same order (every word first, then
some), the same counts, and Thai typos corrected the same way with a way back to what
was typed. The engine-level parity (scores, every judged query) is test_search_parity.py.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from build_tools.core.loader import load_repository
from build_tools.search import open_searcher
from build_tools.search.cli import format_results_json
from build_tools.search.suggestions import PhraseList, plan_phrases
from build_tools.search.typos import load_typing_table, prefix_typo_cost, typo_cost
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

HEADER_SHOWN = 8
QUERIES = [
    "การอ่าน",  # Thai, with a function word
    "สะเต็มศึกษา",
    "ครูกมลวรรณ",  # one entry holds every word
    "STEM",  # English
    "STEM ขนาดเล็ก",  # mixed
    "การอ่านของนักเรียนในโรงเรียน",  # function-word heavy
    "โคกสำโลง",  # typo: a district
    "การอาน",  # typo: a missing tone mark
]


@pytest.fixture(scope="module")
def catalog():
    return load_repository(REPO_ROOT)


@pytest.fixture(scope="module")
def cli(catalog):
    """`ifte search --json` over the sample repository (its formatter and searcher, over
    the pack the build keeps)."""
    phrases = PhraseList(plan_phrases(catalog.entries, catalog.vocabularies))
    with open_searcher(catalog.entries, catalog.vocabularies, REPO_ROOT) as searcher:
        yield lambda q, limit=10: json.loads(
            format_results_json(searcher.search(q, limit=limit, phrases=phrases))
        )


def header_results(page, site_url, query):
    page.goto(site_url)
    page.fill(".ifte-search__input", query)
    page.wait_for_selector(".ifte-search__panel:not([hidden])")
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent.startsWith('พบ')"
        " || document.querySelector('[role=status]').textContent.startsWith('ไม่พบ')"
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('.ifte-search__results > li')].map((li) =>
             li.getAttribute('role') === 'option' ? li.dataset.href : '|divider|')"""
    )


def page_results(page, site_url, query, extra=""):
    page.goto(f"{site_url}search/?q={quote(query)}{extra}")
    page.wait_for_function(
        "() => document.querySelector('#ifte-sp-status').textContent.startsWith('พบ')"
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('#ifte-sp-results > li')].flatMap((li) =>
             [...(li.querySelector('.ifte-sp__divider') ? ['|divider|'] : []), li.dataset.entryId])"""
    )


def expected(result, count):
    """Ids with a divider before the first entry holding only some words, as shown."""
    out = []
    for hit in result["results"][:count]:
        if not hit["every_word"] and "|divider|" not in out:
            out.append("|divider|")
        out.append(hit["id"])
    return out


@pytest.mark.parametrize("query", QUERIES)
def test_the_three_surfaces_show_the_same_entries_in_the_same_order(page, site_url, cli, query):
    result = cli(query, limit=20)
    header = [
        "|divider|" if h == "|divider|" else re.search(r"innovations/(.+)/$", h)[1]
        for h in header_results(page, site_url, query)
    ]
    assert header == expected(result, HEADER_SHOWN), query
    status = page.text_content("[role=status]")
    assert status.startswith(f"พบ {result['total']} รายการ")
    assert ("ตรงบางคำอีก" in status) == (result["partial"] > 0)
    shown = page_results(page, site_url, query)
    assert shown == expected(result, 20), query
    assert page.text_content("#ifte-sp-status").startswith(f"พบ {result['total']} ผลงาน")
    assert page.watch.console_errors == []


def test_function_words_alone_neither_match_nor_highlight(page, site_url, cli):
    assert cli("การ")["total"] == cli("การ")["partial"] == 0
    page_results(page, site_url, "ครูกมลวรรณ")
    marks = page.eval_on_selector_all("#ifte-sp-results mark", "ms => ms.map((m) => m.textContent)")
    assert marks and "การ" not in marks
    header_results(page, site_url, "การอ่าน")
    marks = page.eval_on_selector_all(
        ".ifte-search__results mark", "ms => ms.map((m) => m.textContent)"
    )
    assert marks and set(marks) <= {"อ่าน", "อ่านหนังสือ", "อ่านไม่ออก"}


@pytest.mark.parametrize(
    ("typed", "meant", "first"),
    [
        ("การอาน", "การอ่าน", None),
        ("สะเตม", "สะเต็ม", {"2567/stem-drip-irrigation", "2564/sunflower-stem-kindergarten"}),
        ("โคกสำโลง", "โคกสำโรง", None),
        ("คณิตศาตร์", "คณิตศาสตร์", None),
        ("นิเทด", "นิเทศ", None),
        ("ภาษาองกฤษ", "ภาษาอังกฤษ", None),
    ],
)
def test_thai_typos_show_the_meant_words_results_and_a_way_back(
    page, site_url, cli, catalog, typed, meant, first
):
    result, meant_result = cli(typed), cli(meant)
    assert result["corrected"] == meant
    assert [h["id"] for h in result["results"]] == [h["id"] for h in meant_result["results"]]
    if first:
        assert {h["id"] for h in result["results"][: len(first)]} == first
    if typed == "โคกสำโลง":
        in_district = {e.id for e in catalog.entries if e.school.district == "khok-samrong"}
        assert {h["id"] for h in result["results"] if h["every_word"]} <= in_district
    page_results(page, site_url, typed)
    assert page.text_content(".ifte-sp__fix") == meant
    assert "หมายถึง" in page.text_content("[data-ifte-sp-note]")
    back = page.get_attribute(".ifte-sp__typed", "href")
    assert "exact=1" in back
    page.click(".ifte-sp__typed")
    page.wait_for_url(re.compile("exact=1"))
    page.wait_for_selector(".ifte-sp__fix", state="detached")
    assert page.input_value("#ifte-sp-q") == typed
    header_results(page, site_url, typed)
    assert page.text_content(".ifte-search__fix") == meant
    assert page.watch.console_errors == []


def test_the_browser_costs_thai_typos_like_python(page, site_url):
    pairs = [
        ("การอาน", "การอ่าน"),
        ("โคกสำโลง", "โคกสำโรง"),
        ("นิเทด", "นิเทศ"),
        ("stme", "stem"),
        ("ศึกษา", "สึกษา"),
        ("ไจ", "ใจ"),
        ("abc", "xyz"),
    ]
    page.goto(site_url)
    in_browser = page.evaluate(
        """async (pairs) => {
          const m = await import('./assets/javascripts/ifte-search-engine.js');
          const manifest = await (await fetch('./search-index/manifest.json')).json();
          const table = manifest.params.typing;
          return pairs.map(([a, b]) => [m.typoCost(a, b, table), m.prefixTypoCost(a, b, table)]);
        }""",
        pairs,
    )
    assert in_browser == [[typo_cost(a, b), list(prefix_typo_cost(a, b))] for a, b in pairs]


def test_the_manifest_ships_the_one_cost_table_and_stop_list(built_site):
    manifest = json.loads((built_site / "search-index" / "manifest.json").read_text())
    assert manifest["params"]["typing"] == load_typing_table()
    engine = (REPO_ROOT / "theme/assets/javascripts/ifte-search-engine.js").read_text()
    assert "ศ" not in engine and "การ" not in engine  # no table of its own
