"""Benchmark Thai search: quality against the static alternatives, bytes and speed at scale.

Run: .venv/bin/python bench/bench_search.py [--sizes 1000,10000] [--no-alternatives]

1. Quality on the sample repository (innovations/) with the judged queries of
   bench/queries.yml: nDCG@10, recall@10, MRR, and whether each typo query finds its
   target in the top 10, for
   - our engine: the Python query path and the browser engine in headless Chromium
     (they must agree: tests/browser/test_search_parity.py);
   - Material for MkDocs' built-in search (9.8.1, `lang: th`): its search index is made
     by Material's own `SearchIndex` class from each entry page's HTML, and queried by
     Material's own search worker (lunr) run unmodified in Node;
   - Pagefind 1.6.0 (npm, extended build): indexes the same entry pages (HTML, with the
     title as <h1>) through its Node API, queried by pagefind.js in headless Chromium.
   All three see the same text per entry: title, keywords, school/place/subject labels,
   summary and body.
2. Scale: N generated entries (bench/generate.py), indexed and exported; bytes a browser
   downloads (gzip) for a first query on a fresh page and for a later query, measured by
   running the browser engine in Node with a metering fetch; query time in Chromium once
   a query's shards are loaded; size of Material's index (downloaded whole, by every page).

Figures are printed, never asserted. Caches under .cache/bench/ (generated repositories,
indexes, the Pagefind npm package) make later runs faster.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402
from build_tools.core.loader import load_repository  # noqa: E402
from build_tools.search import export_search, open_searcher  # noqa: E402
from build_tools.search.documents import plan_document  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402

CACHE = REPO / ".cache" / "bench"
ENGINE = REPO / "theme" / "assets" / "javascripts" / "ifte-search-engine.js"
MATERIAL_ASSETS = Path(__import__("material").__file__).parent / "templates" / "assets"
PAGEFIND_VERSION = "1.6.0"
K = 10

# --- judgements and metrics -------------------------------------------------------------


def load_judgements() -> list[dict]:
    return yaml.safe_load((REPO / "bench" / "queries.yml").read_text(encoding="utf-8"))["queries"]


def score_ranking(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    """nDCG@10 (gain 2^grade − 1), recall@10 and reciprocal rank of the first relevant."""
    top = ranked[:K]
    dcg = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(top))
    ideal = sorted(relevant.values(), reverse=True)[:K]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    found = sum(1 for d in top if relevant.get(d, 0) > 0)
    rank = next((i + 1 for i, d in enumerate(ranked) if relevant.get(d, 0) > 0), None)
    return {
        "ndcg": dcg / idcg if idcg else 0.0,
        "recall": found / sum(1 for g in relevant.values() if g > 0),
        "rr": 1 / rank if rank else 0.0,
    }


def summarise(judgements: list[dict], rankings: list[list[str]]) -> dict:
    scores = [score_ranking(r, q["relevant"]) for q, r in zip(judgements, rankings, strict=True)]
    typos = [(q, r) for q, r in zip(judgements, rankings, strict=True) if q.get("target")]
    by_kind: dict[str, list[float]] = {}
    for q, s in zip(judgements, scores, strict=True):
        by_kind.setdefault(q["kind"], []).append(s["ndcg"])
    return {
        "ndcg": statistics.mean(s["ndcg"] for s in scores),
        "recall": statistics.mean(s["recall"] for s in scores),
        "mrr": statistics.mean(s["rr"] for s in scores),
        "typos": sum(1 for q, r in typos if q["target"] in r[:K]),
        "typo_count": len(typos),
        "kinds": {kind: statistics.mean(v) for kind, v in by_kind.items()},
        "per_query": [s["ndcg"] for s in scores],
    }


# --- what every engine indexes --------------------------------------------------------------


def render_entry_page(entry, vocabularies) -> tuple[str, str]:
    """(title, HTML) of an entry page as the alternatives see it: same text as our fields."""
    import html

    import markdown

    fields = plan_document(entry, vocabularies).fields
    body = markdown.markdown(entry.body, extensions=["tables", "toc"])
    parts = [f"<h1>{html.escape(entry.title)}</h1>"]
    for name in ("keywords", "meta", "summary"):
        parts.append(f"<p>{html.escape(fields[name])}</p>")
    if entry.title_en:
        parts.insert(1, f"<p>{html.escape(entry.title_en)}</p>")
    return entry.title, "\n".join(parts) + "\n" + body


def page_location(entry) -> str:
    return f"{entry.year}-{entry.slug}/"


# --- our engine ----------------------------------------------------------------------------


def run_ours_python(searcher, queries: list[str]) -> list[list[str]]:
    return [[hit.id for hit in searcher.search(q, limit=K).hits] for q in queries]


OURS_IN_BROWSER = """async (queries) => {
  const m = await import("/ifte-search-engine.js");
  const engine = new m.SearchEngine(new URL("/search-index/", location.href).href);
  const out = [];
  for (const q of queries) out.push((await engine.search(q, { limit: 10 })).hits.map((h) => h.id));
  return out;
}"""

PAGEFIND_IN_BROWSER = """async (queries) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const out = [];
  for (const q of queries) {
    const search = await pagefind.search(q);
    const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
    out.push(data.map((d) => d.url));
  }
  return out;
}"""


# --- Material's built-in search -------------------------------------------------------------

MATERIAL_WORKER = r"""
// Material's search worker, unmodified, in a Node vm context that stands in for a worker.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const [workerDir, indexPath, queriesPath] = process.argv.slice(2);
const workerFile = fs.readdirSync(workerDir).find((f) => /^search\..*\.min\.js$/.test(f));
let onMessage = null;
const replies = [];
const context = {
  console, setTimeout, clearTimeout, TextEncoder, TextDecoder, URL,
  addEventListener: (type, fn) => { if (type === "message") onMessage = fn; },
  postMessage: (message) => replies.push(message),
};
context.self = context;
context.window = undefined;
context.importScripts = (...urls) => {
  for (const url of urls) {
    vm.runInContext(fs.readFileSync(path.resolve(workerDir, url), "utf8"), context);
  }
};
vm.createContext(context);
vm.runInContext(fs.readFileSync(path.join(workerDir, workerFile), "utf8"), context);
const send = async (message) => { await onMessage({ data: message }); return replies.pop(); };
// The page adds `options` to the index it posts (search.suggest is off by default).
const index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
await send({ type: 0, data: { ...index, options: { suggest: false } } });
const out = [];
for (const query of JSON.parse(fs.readFileSync(queriesPath, "utf8"))) {
  const result = await send({ type: 2, data: query });
  out.push((result.data.items || []).map((group) => group[0].location.split("#")[0]));
}
process.stdout.write(JSON.stringify(out));
"""


def format_material_index(pages: list[tuple[str, str, str]]) -> str:
    """Material's search_index.json for (location, title, html) pages, made by its own class."""
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(
        lang=["th"],
        separator=r"[\s\-]+",  # Material's Thai translation leaves the English defaults
        pipeline=["stopWordFilter"],
        fields={"title": {"boost": 1e3}, "text": {"boost": 1e0}, "tags": {"boost": 1e6}},
    )
    for location, title, html in pages:
        page = SimpleNamespace(content=html, toc=[], url=location, meta={}, title=title)
        index.add_entry_from_context(page)
    return index.generate_search_index(None)


def run_material(pages, queries: list[str], workdir: Path) -> list[list[str]]:
    (workdir / "search_index.json").write_text(format_material_index(pages), encoding="utf-8")
    (workdir / "queries.json").write_text(json.dumps(queries, ensure_ascii=False))
    script = workdir / "material-worker.mjs"
    script.write_text(MATERIAL_WORKER)
    worker_dir = MATERIAL_ASSETS / "javascripts" / "workers"
    output = subprocess.run(
        [
            "node",
            str(script),
            str(worker_dir),
            str(workdir / "search_index.json"),
            str(workdir / "queries.json"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


# --- Pagefind ------------------------------------------------------------------------------

PAGEFIND_INDEXER = r"""
import fs from "node:fs";
import * as pagefind from "pagefind";
const [pagesPath, outputPath] = process.argv.slice(2);
const { index } = await pagefind.createIndex({ forceLanguage: "th" });
for (const page of JSON.parse(fs.readFileSync(pagesPath, "utf8"))) {
  await index.addHTMLFile({ url: page.url, content: page.html });
}
await index.writeFiles({ outputPath });
await pagefind.close();
"""


def install_pagefind() -> Path:
    folder = CACHE / f"pagefind-{PAGEFIND_VERSION}"
    if not (folder / "node_modules" / "pagefind").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"private": true, "type": "module"}')
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", f"pagefind@{PAGEFIND_VERSION}"],
            cwd=folder,
            check=True,
            capture_output=True,
        )
    return folder


def build_pagefind(pages, site_dir: Path) -> None:
    folder = install_pagefind()
    documents = [
        {
            "url": "/" + location,
            "html": f'<!doctype html><html lang="th"><head><title>{title}</title></head>'
            f"<body><main>{html}</main></body></html>",
        }
        for location, title, html in pages
    ]
    (folder / "pages.json").write_text(json.dumps(documents, ensure_ascii=False))
    (folder / "index.mjs").write_text(PAGEFIND_INDEXER)
    subprocess.run(
        ["node", "index.mjs", "pages.json", str(site_dir / "pagefind")],
        cwd=folder,
        check=True,
        capture_output=True,
    )


# --- scale: generated repositories -----------------------------------------------------------

METER = r"""
// Run the browser engine in Node with a fetch that reads the export and counts gzip bytes.
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
const [enginePath, base, queriesJson] = process.argv.slice(2);
const { SearchEngine } = await import(enginePath);
const queries = JSON.parse(queriesJson);
function meteredEngine() {
  const log = [];
  const fetch = async (url) => {
    const data = await readFile(url.split("?")[0]);  // the version travels in the query
    log.push({ url, raw: data.length, gzip: gzipSync(data, { level: 6 }).length });
    return { ok: true, json: async () => JSON.parse(data.toString("utf8")) };
  };
  return { engine: new SearchEngine(base, { fetch }), log };
}
const sum = (log, from) => log.slice(from).reduce((a, f) => a + f.gzip, 0);
const out = [];
for (let i = 0; i < queries.length; i += 1) {
  const first = queries[i];
  const later = queries[(i + 1) % queries.length];
  const { engine, log } = meteredEngine();
  let t = performance.now();
  const a = await engine.search(first, { limit: 10 });
  const firstMs = performance.now() - t;
  const firstFiles = log.length;
  const firstBytes = sum(log, 0);
  t = performance.now();
  await engine.search(later, { limit: 10 });
  const laterMs = performance.now() - t;
  out.push({
    first, later, hits: a.hits.length,
    firstBytes, firstFiles, laterBytes: sum(log, firstFiles), laterFiles: log.length - firstFiles,
    firstMs, laterMs,
  });
}
process.stdout.write(JSON.stringify(out));
"""

TIME_IN_BROWSER = """async (queries) => {
  const m = await import("/ifte-search-engine.js");
  const engine = new m.SearchEngine(new URL("/search-index/", location.href).href);
  const out = [];
  for (const q of queries) {
    await engine.search(q, { limit: 10 });  // loads the shards
    const times = [];
    for (let i = 0; i < 15; i += 1) {
      const t = performance.now();
      await engine.search(q, { limit: 10 });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push(times[Math.floor(times.length / 2)]);
  }
  return out;
}"""

SCALE_QUERIES = [
    "การอ่านจับใจความ",
    "ความฉลาดรู้ทางการเงิน",
    "โรงเรียนขนาดเล็ก",
    "วิทยาการคำนวณ",
    "สะเต็มศึกษา",
    "การคิดวิเคราะห์",
    "ภาษาอังกฤษ",
    "คณิตศาตร์",
    "Active Learning",
    "การนิเทศภายใน ครู",
    "ภูมิปัญญา",
    "Coding ป.4",
]


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def prepare_scale(count: int) -> tuple[Path, Path, float, float]:
    """Generate (once), bring the search pack in its cache up to date (as a build does: only
    changed entries) and export N entries; returns paths and times."""
    repo = CACHE / f"repo-{count}"
    if not (repo / ".generated").is_file():
        generate(repo, count)
        (repo / ".generated").write_text(str(count))
    catalog = load_repository(repo)
    started = time.perf_counter()
    with open_searcher(catalog.entries, catalog.vocabularies, repo) as searcher:
        index_seconds = time.perf_counter() - started
        site = CACHE / f"site-{count}"
        started = time.perf_counter()
        export_search(searcher.pack, site / "search-index")
        export_seconds = time.perf_counter() - started
    shutil.copy(ENGINE, site / ENGINE.name)
    (site / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>b</title>'
    )
    return repo, site, index_seconds, export_seconds


PAGEFIND_FIRST_QUERY = """async (query) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const search = await pagefind.search(query);
  await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
}"""


def transfer_size(path: Path) -> int:
    """Bytes on the wire with gzip: Pagefind's .pf_* files are gzip already."""
    return path.stat().st_size if ".pf_" in path.name else gzip_size(path)


def measure_pagefind(pages, browser, site: Path) -> list[int]:
    """Bytes (gzip) Pagefind downloads for each scale query on a fresh page (8 results)."""
    build_pagefind(pages, site)
    server, url = serve_directory(site)
    sizes = []
    try:
        for query in SCALE_QUERIES:
            page = browser.new_page()
            fetched: list[str] = []
            page.on("response", lambda r, log=fetched: "/pagefind/" in r.url and log.append(r.url))
            page.goto(url)
            page.evaluate(PAGEFIND_FIRST_QUERY, query)
            page.close()
            paths = {urlsplit(u).path.lstrip("/") for u in fetched}
            sizes.append(sum(transfer_size(site / path) for path in paths))
    finally:
        server.shutdown()
    return sizes


def measure_scale(count: int, browser, alternatives: bool) -> dict:
    repo, site, index_seconds, export_seconds = prepare_scale(count)
    script = CACHE / "meter.mjs"
    script.write_text(METER)
    runs = json.loads(
        subprocess.run(
            [
                "node",
                str(script),
                str(ENGINE),
                str(site / "search-index") + "/",
                json.dumps(SCALE_QUERIES, ensure_ascii=False),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    export_files = [p for p in (site / "search-index").rglob("*") if p.is_file()]
    server, url = serve_directory(site)
    try:
        page = browser.new_page()
        page.goto(url)
        browser_ms = page.evaluate(TIME_IN_BROWSER, SCALE_QUERIES)
        page.close()
    finally:
        server.shutdown()
    scale = {
        "count": count,
        "index_seconds": index_seconds,
        "export_seconds": export_seconds,
        "files": len(export_files),
        "export_gzip": sum(gzip_size(p) for p in export_files),
        "runs": runs,
        "browser_ms": browser_ms,
        "engine_gzip": gzip_size(ENGINE),
    }
    if alternatives:
        catalog = load_repository(repo)
        pages = [
            (page_location(e), *render_entry_page(e, catalog.vocabularies)) for e in catalog.entries
        ]
        material_index = format_material_index(pages).encode()
        scale["material_raw"] = len(material_index)
        scale["material_gzip"] = len(gzip.compress(material_index, compresslevel=6))
        scale["pagefind"] = measure_pagefind(pages, browser, CACHE / f"pagefind-site-{count}")
    return scale


# --- report --------------------------------------------------------------------------------


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def print_quality(judgements: list[dict], results: dict[str, dict]) -> None:
    names = list(results)
    print(f"\nQuality on the sample repository: {len(judgements)} judged queries, top {K}")
    print(f"{'':24}" + "".join(f"{n:>22}" for n in names))
    for label, key in (("nDCG@10", "ndcg"), ("recall@10", "recall"), ("MRR", "mrr")):
        print(f"{label:24}" + "".join(f"{results[n][key]:>22.3f}" for n in names))
    print(
        f"{'typo targets in top 10':24}"
        + "".join(f"{results[n]['typos']:>19}/{results[n]['typo_count']:<2}" for n in names)
    )
    kinds = list(next(iter(results.values()))["kinds"])
    for kind in kinds:
        print(f"  nDCG {kind:18}" + "".join(f"{results[n]['kinds'][kind]:>22.3f}" for n in names))
    print("\nPer query nDCG@10:")
    for i, q in enumerate(judgements):
        cells = "".join(f"{results[n]['per_query'][i]:>8.2f}" for n in names)
        print(f"  {cells}   {q['kind']:9} {q['q']}")


def print_scale(scale: dict) -> None:
    runs = scale["runs"]
    first = [r["firstBytes"] for r in runs]
    later = [r["laterBytes"] for r in runs]
    print(f"\nScale: {scale['count']:,} generated entries")
    print(
        f"  search pack (PyThaiNLP): {scale['index_seconds']:.1f} s this run "
        f"(incremental: unchanged entries are skipped); export {scale['export_seconds']:.1f} s"
    )
    print(f"  export: {scale['files']:,} files, {kb(scale['export_gzip'])} gzip in total")
    print(
        f"  before typing: 0 B (engine {kb(scale['engine_gzip'])} gzip loads on the first "
        "keystroke, once per session)"
    )
    print(
        f"  first query (manifest + shards, fresh page): median {kb(statistics.median(first))}, "
        f"max {kb(max(first))} gzip, {statistics.median(r['firstFiles'] for r in runs):.0f} files"
    )
    print(
        f"  later query (same page): median {kb(statistics.median(later))}, "
        f"max {kb(max(later))} gzip"
    )
    print(
        f"  query time in Chromium, shards loaded: median "
        f"{statistics.median(scale['browser_ms']):.1f} ms, max {max(scale['browser_ms']):.1f} ms"
    )
    if "material_raw" in scale:
        print(
            f"  Material's search_index.json (whole, before the first result): "
            f"{kb(scale['material_raw'])} raw, {kb(scale['material_gzip'])} gzip"
        )
        pagefind = scale["pagefind"]
        print(
            f"  Pagefind first query (code + index + 8 fragments): median "
            f"{kb(statistics.median(pagefind))}, max {kb(max(pagefind))} gzip"
        )
    for r in runs:
        print(
            f"    {r['first']:<24} first {kb(r['firstBytes']):>9} ({r['firstFiles']:>2} files)"
            f"   then {r['later']:<24} {kb(r['laterBytes']):>9} ({r['laterFiles']:>2} files)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="generated entry counts ('' = none)")
    parser.add_argument(
        "--no-alternatives", action="store_true", help="skip Material's search and Pagefind"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    judgements = load_judgements()
    queries = [q["q"] for q in judgements]
    catalog = load_repository(REPO)
    entries = catalog.entries
    by_location = {page_location(e): e.id for e in entries}
    pages = [(page_location(e), *render_entry_page(e, catalog.vocabularies)) for e in entries]
    print(f"Sample repository: {len(entries)} entries")
    with tempfile.TemporaryDirectory(prefix="ifte-bench-") as temporary, sync_playwright() as pw:
        work = Path(temporary)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with open_searcher(entries, catalog.vocabularies) as searcher:
            export_search(searcher.pack, work / "site" / "search-index")
            rankings = {"ours (Python)": run_ours_python(searcher, queries)}
        shutil.copy(ENGINE, work / "site" / ENGINE.name)
        (work / "site" / "index.html").write_text(
            '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>b</title>'
        )
        if not args.no_alternatives:
            material = run_material(pages, queries, work)
            rankings["Material (lunr)"] = [
                [by_location.get(loc, loc) for loc in r] for r in material
            ]
            build_pagefind(pages, work / "site")
        server, url = serve_directory(work / "site")
        try:
            page = browser.new_page()
            page.goto(url)
            rankings["ours (Chromium)"] = page.evaluate(OURS_IN_BROWSER, queries)
            if not args.no_alternatives:
                found = page.evaluate(PAGEFIND_IN_BROWSER, queries)
                rankings["Pagefind 1.6"] = [
                    [by_location.get(u.lstrip("/"), u) for u in r] for r in found
                ]
            page.close()
        finally:
            server.shutdown()
        print_quality(judgements, {n: summarise(judgements, r) for n, r in rankings.items()})
        for size in filter(None, args.sizes.split(",")):
            print_scale(measure_scale(int(size), browser, not args.no_alternatives))
        browser.close()


if __name__ == "__main__":
    main()
