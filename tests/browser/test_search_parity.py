"""The browser engine and the Python query path agree (same top 10, same scores).

Both run over the sample repository: Python through the search pack, the browser
(headless Chromium) through the exported shards, on every judged query of
bench/queries.yml plus edge cases (partial words, typos, spacing, encoding variants).
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from build_tools.core import thai
from build_tools.core.loader import load_repository
from build_tools.search import export_search, open_searcher
from build_tools.search.export import format_shard_number
from build_tools.search.suggestions import PhraseList, format_suggestion_shards, plan_phrases
from tests.conftest import REPO_ROOT, serve_directory

pytestmark = pytest.mark.browser

ENGINE = REPO_ROOT / "theme" / "assets" / "javascripts" / "ifte-search-engine.js"
JUDGED = [q["q"] for q in yaml.safe_load((REPO_ROOT / "bench/queries.yml").read_text())["queries"]]
EDGE_CASES = [
    "",
    "   ",
    "ก",  # one character: too short for a prefix
    "การเรีย",  # half-typed word
    "การเรียนรู้ ",  # trailing space: no prefix matching
    "ลพบุรี ลพบุรี",  # repeated word
    "เเผน",  # two sara e typed for sara ae
    "น\u0e4d\u0e49า",  # sara am typed as nikhahit + sara aa
    "๒๕๖๗",  # Thai digits
    "การเรียนรู้คณิตศาตร์",  # typo after a correct word
    "STEM-Education",
    "ซซซซซซ",  # nothing matches
    "<img src=x onerror=alert(1)>",
    "การอาน",  # missing tone mark
    "สะเตม",  # missing vowel mark, at the open end
    "โคกสำโลง",  # ล for ร in a district
    "นิเทด",
    "ภาษาองกฤษ",
    "การอ่านของนักเรียนในโรงเรียน",  # function-word heavy
    "การ และ ของ",
    "STEM ขนาดเล็ก",
    "ครูกมลวรรณ",
]
TRICKY_TEXT = [
    "น\u0e4d\u0e49\u0e32 ก\u0e48\u0e34ง \u0e40\u0e40ม่ การ\u200bเรียน ๒๕๖๗ STEM-Education ฯลฯ ดีๆ ป.4",
    "Ünïcödé café naïve",
    "กรุงเทพฯ ๆลฯ",
]
RUN_QUERIES = """async (queries) => {
  const engineModule = await import("./ifte-search-engine.js");
  const engine = new engineModule.SearchEngine(new URL("search-index/", location.href).href);
  const out = [];
  for (const query of queries) {
    const result = await engine.search(query, { limit: 10 });
    out.push({
      ids: result.hits.map((hit) => hit.id),
      scores: result.hits.map((hit) => hit.score),
      every: result.hits.map((hit) => hit.everyWord),
      corrected: result.corrected,
      total: result.total,
      partial: result.partial,
    });
  }
  return out;
}"""


@pytest.fixture(scope="module")
def sample_search(tmp_path_factory):
    """The sample repository indexed (for Python) and exported and served (for the browser)."""
    root = tmp_path_factory.mktemp("parity")
    catalog = load_repository(REPO_ROOT)
    searcher = open_searcher(catalog.entries, catalog.vocabularies)
    export_search(searcher.pack, root / "site" / "search-index")
    phrases = plan_phrases(catalog.entries, catalog.vocabularies)
    (root / "site" / "search-suggest").mkdir()
    for number, content in enumerate(format_suggestion_shards(phrases)):
        (root / "site" / "search-suggest" / f"{number}.json").write_text(content)
    shutil.copy(ENGINE, root / "site" / ENGINE.name)
    (root / "site" / "index.html").write_text(
        '<!doctype html><html lang="th"><meta charset="utf-8"><link rel="icon" href="data:,">'
        "<title>parity</title></html>"
    )
    server, url = serve_directory(root / "site")
    with searcher:
        yield searcher, url, PhraseList(phrases)
    server.shutdown()


@pytest.fixture
def harness(page, sample_search):
    _, url, _ = sample_search
    page.goto(url)
    return page


def test_browser_and_python_return_the_same_top_ten(harness, sample_search):
    searcher, _, phrases = sample_search
    queries = JUDGED + EDGE_CASES
    browser_results = harness.evaluate(RUN_QUERIES, queries)
    for query, in_browser in zip(queries, browser_results, strict=True):
        results = searcher.search(query, limit=10, phrases=phrases)
        assert in_browser["ids"] == [hit.id for hit in results.hits], query
        assert in_browser["scores"] == pytest.approx([h.score for h in results.hits], rel=1e-12)
        assert in_browser["every"] == [hit.every_word for hit in results.hits], query
        assert in_browser["corrected"] == results.plan.corrected, query
        assert (in_browser["total"], in_browser["partial"]) == (results.total, results.partial)
    assert harness.watch.console_errors == []


def test_browser_normalises_and_chunks_text_like_python(harness):
    in_browser = harness.evaluate(
        """async (texts) => {
          const m = await import("./ifte-search-engine.js");
          return texts.map((t) => [m.normalise(t), m.splitChunks(m.normalise(t))]);
        }""",
        TRICKY_TEXT,
    )
    expected = [
        [thai.normalize(t), [list(c) for c in thai.split_chunks(thai.normalize(t))]]
        for t in TRICKY_TEXT
    ]
    assert in_browser == expected


def test_browser_shards_terms_like_the_export(harness):
    keys = ["ใจ", "st", "ก", "เร", "25"]
    in_browser = harness.evaluate(
        """async (keys) => {
          const m = await import("./ifte-search-engine.js");
          return keys.map((k) => m.shardOf(k, 509));
        }""",
        keys,
    )
    assert in_browser == [format_shard_number(k, 509) for k in keys]
