"""Search quality on our own judged set: 200+ realistic entries (tests/search_corpus.py)
and 120+ judged queries (tests/fixtures/search_judged/queries.yml), 30+ of them typos.

Both query paths run every query: `ifte search`'s (Python, over the search pack, with
the catalogue's vocabulary phrases) and the page's (theme/assets/javascripts/
ifte-search-engine.js, unmodified, in Node over the exported files and the site's
search-suggest/ files). Targets of issue 26: nDCG@10 ≥ 0.95 for each, equal within 0.01,
and every typo query finding its target in the top 10.
"""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from bench.bench_search import summarise
from build_tools.core.vocabularies import load_vocabularies
from build_tools.search import export_search, open_searcher
from build_tools.search.suggestions import PhraseList, format_suggestion_shards, plan_phrases
from tests.conftest import REPO_ROOT
from tests.search_corpus import FIXTURE, format_corpus
from tests.search_factory import load_judged_corpus

QUERIES = FIXTURE.parent / "queries.yml"
ENGINE = REPO_ROOT / "theme" / "assets" / "javascripts" / "ifte-search-engine.js"
K = 10
# The page's engine in Node: fetch reads the exported files from disk.
RUN_IN_NODE = r"""
import { readFile } from "node:fs/promises";
const [engineUrl, baseUrl, queriesPath] = process.argv.slice(2);
const { SearchEngine } = await import(engineUrl);
const fetch = async (url) => {
  try {
    const data = await readFile(new URL(url));
    return { ok: true, status: 200, json: async () => JSON.parse(data.toString("utf8")) };
  } catch {
    return { ok: false, status: 404, json: async () => ({}) };
  }
};
const engine = new SearchEngine(baseUrl, { fetch });
const out = [];
for (const query of JSON.parse(await readFile(queriesPath, "utf8"))) {
  out.push((await engine.search(query, { limit: 10 })).hits.map((hit) => hit.id));
}
process.stdout.write(JSON.stringify(out));
"""


def load_judgements(entries) -> list[dict]:
    """The judged queries with `relevant` as {entry id: grade}, `every` expanded."""
    ids = {entry.slug: entry.id for entry in entries}
    codes = {
        "district": lambda e: (e.school.district,),
        "affiliation": lambda e: (e.school.affiliation,),
        "level": lambda e: e.levels,
        "subject": lambda e: e.subjects,
    }
    judged = []
    for query in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]:
        relevant = {}
        for facet, code in query.get("every", {}).items():
            relevant |= {e.id: query["grade"] for e in entries if code in codes[facet](e)}
        relevant |= {ids[slug]: grade for slug, grade in query.get("relevant", {}).items()}
        target = ids[query["target"]] if "target" in query else None
        judged.append({**query, "relevant": relevant, "target": target})
    return judged


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    """(judgements, Python rankings, page rankings): the corpus indexed and exported once."""
    root = tmp_path_factory.mktemp("judged")
    entries = load_judged_corpus(FIXTURE)
    vocabularies = load_vocabularies(REPO_ROOT / "vocabularies.yml")
    judgements = load_judgements(entries)
    queries = [q["q"] for q in judgements]
    phrases = plan_phrases(entries, vocabularies)
    (root / "site" / "search-suggest").mkdir(parents=True)
    for number, content in enumerate(format_suggestion_shards(phrases)):
        (root / "site" / "search-suggest" / f"{number}.json").write_text(content)
    with open_searcher(entries, vocabularies) as searcher:
        export_search(searcher.pack, root / "site" / "search-index")
        python = [
            [hit.id for hit in searcher.search(q, limit=K, phrases=PhraseList(phrases)).hits]
            for q in queries
        ]
    (root / "queries.json").write_text(json.dumps(queries, ensure_ascii=False))
    (root / "run.mjs").write_text(RUN_IN_NODE)
    page = json.loads(
        subprocess.run(
            [
                "node",
                str(root / "run.mjs"),
                ENGINE.as_uri(),
                (root / "site" / "search-index").as_uri() + "/",
                str(root / "queries.json"),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    return judgements, python, page


def test_the_fixture_is_what_the_generator_writes():
    assert FIXTURE.read_text(encoding="utf-8") == format_corpus()


def test_the_judged_set_is_large_and_varied():
    entries = load_judged_corpus(FIXTURE)
    judgements = load_judgements(entries)
    assert len(entries) >= 200 and len(judgements) >= 120
    assert sum(1 for q in judgements if q["target"] and not q.get("known_miss")) >= 30
    assert all(
        q["relevant"] and max(q["relevant"].values()) == 3 or q.get("every") for q in judgements
    )
    vocabularies = load_vocabularies(REPO_ROOT / "vocabularies.yml")
    districts = {e.school.district for e in entries}
    assert districts == {term.code for term in vocabularies["districts"].terms}
    affiliations = {e.school.affiliation for e in entries}
    assert {
        "pesao-lopburi-1",
        "pesao-lopburi-2",
        "sesao-lopburi",
        "vocational",
        "nfe",
    } <= affiliations
    assert {"local-admin", "private"} <= affiliations
    assert {e.category for e in entries} == {"learning", "management", "supervision"}
    levels = {level for e in entries for level in e.levels}
    assert {"k1", "early-years", "voc-cert", "voc-dip", "nfe-lower-secondary"} <= levels


@pytest.mark.parametrize("path", ["python", "page"])
def test_ndcg_at_10_meets_the_target(judged, path):
    judgements, python, page = judged
    summary = summarise(judgements, python if path == "python" else page)
    assert summary["ndcg"] >= 0.95, _worst(judgements, summary)


def test_the_page_and_the_cli_agree(judged):
    judgements, python, page = judged
    cli, browser = summarise(judgements, python), summarise(judgements, page)
    assert abs(cli["ndcg"] - browser["ndcg"]) <= 0.01


@pytest.mark.parametrize("path", ["python", "page"])
def test_every_typo_query_finds_its_target(judged, path):
    judgements, python, page = judged
    rankings = python if path == "python" else page
    missed = [
        q["q"]
        for q, ranked in zip(judgements, rankings, strict=True)
        if q["target"] and q["target"] not in ranked[:K]
    ]
    # The few marked `known_miss` are gaps of the typing model, kept in the set so that
    # fixing one shows here (then drop its mark).
    assert missed == [q["q"] for q in judgements if q.get("known_miss")]


def _worst(judgements, summary) -> list[tuple[str, float]]:
    """The queries that cost most, for the assertion message."""
    scored = zip((q["q"] for q in judgements), summary["per_query"], strict=True)
    return sorted(scored, key=lambda pair: pair[1])[:8]
