"""Benchmark the /search/ page: page weight and time to first results at scale.

Run: .venv/bin/python bench/bench_search_page.py [--sizes 1000,10000] [--runs 3]

For each N: a generated repository (bench/generate.py, kept in .cache/bench/search-page-N/)
is built with `ifte build` (the first run builds everything; later runs only what changed)
and served on 127.0.0.1 by a server that gzips text like a shared host. Headless Chromium
then opens /search/ with a cold cache for each scenario:

- bytes: every same-origin response of the first load (until the network is idle),
  gzip-compressed as the server sends it (fonts and images as they are); split into the
  page itself (HTML, CSS, scripts, fonts) and search data (search-index/, search-facets/);
- time to first results: the `ifte-search-page:results` mark the page sets when the first
  result cards are drawn, from navigation start; on a desktop connection (loopback) and on
  a phone profile (Lighthouse's slow 4G: 150 ms round trip, 1.6 Mbit/s, CPU 4× slower).
  "page ready" (DOMContentLoaded, desktop) is what any page of the site takes, for scale;
- a filter change on the loaded page: tick → cards drawn, in the page's own clock.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402
from build_tools.features.pageweight import GZIP_LEVEL, TEXT_SUFFIXES  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CACHE = REPO / ".cache" / "bench"
BIN = Path(sys.executable).parent
MARK = "ifte-search-page:results"
SCENARIOS = [
    ("browse: everything", ""),
    ("browse: one district", "?district=khok-samrong"),
    ("browse: district + learning area, A–Z", "?district=khok-samrong&subject=thai&sort=title"),
    ("words: การอ่านจับใจความ", "?q=การอ่านจับใจความ"),
    ("words + filter: สะเต็มศึกษา, 2567", "?q=สะเต็มศึกษา&year=2567"),
]
PHONE_NETWORK = {  # Lighthouse "slow 4G"
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
PHONE_CPU_SLOWDOWN = 4
SEARCH_DATA = ("/search-index/", "/search-facets/")
FILTER_CHANGE = """async () => {
  const list = document.getElementById("ifte-sp-results");
  const box = document.querySelector('input[type=checkbox][name="type"]');
  const started = performance.now();
  const drawn = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!list.hasAttribute("aria-busy")) { observer.disconnect(); resolve(); }
    });
    observer.observe(list, { attributes: true });
  });
  box.click();
  await drawn;
  return performance.now() - started;
}"""


# --- the site -------------------------------------------------------------------------------


def prepare_site(count: int) -> tuple[Path, float]:
    """Generate (once) and build N entries; returns the site folder and the build seconds."""
    repo = CACHE / f"search-page-{count}"
    if not (repo / ".generated").is_file():
        generate(repo, count)
        (repo / ".generated").write_text(str(count))
    # The generated copy of the theme and settings may be older than the code under test.
    for folder in ("theme", "content"):
        shutil.copytree(REPO / folder, repo / folder, dirs_exist_ok=True)
    for path in REPO.glob("*.yml"):
        shutil.copy(path, repo / path.name)
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "ifte"), "build"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode != 0:
        errors = [
            line
            for line in result.stderr.splitlines()
            if line.startswith(("ERROR", "Traceback", "  File", "IfteError"))
        ]
        raise SystemExit("build failed:\n" + "\n".join(errors[-40:] or [result.stderr[-3000:]]))
    return repo / "site", time.perf_counter() - started


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as a shared host sends them: text gzip-compressed, the rest as is."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (gzipped and path.is_file() and path.suffix in TEXT_SUFFIXES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path):
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --- measuring ----------------------------------------------------------------------------------


def transfer_size(url: str, body: bytes) -> int:
    path = url.split("?", 1)[0]
    if path.endswith("/") or path.endswith(TEXT_SUFFIXES):
        return len(gzip.compress(body, compresslevel=GZIP_LEVEL))
    return len(body)


def load(browser, url: str, phone: bool) -> dict:
    """One cold first load: bytes per kind, requests, time to first results (ms)."""
    context = browser.new_context(
        locale="th-TH",
        viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
    )
    page = context.new_page()
    responses = []
    page.on("response", lambda r: r.url.startswith(url.split("search/")[0]) and responses.append(r))
    if phone:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
    page.goto(url)
    page.wait_for_function(f"performance.getEntriesByName({MARK!r}).length > 0", timeout=120_000)
    first_results = page.evaluate(f"performance.getEntriesByName({MARK!r})[0].startTime")
    page_ready = page.evaluate(
        "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
    )
    page.wait_for_load_state("networkidle")
    sizes = {"page": 0, "data": 0}
    for response in responses:
        if response.status != 200:
            continue
        kind = "data" if any(part in response.url for part in SEARCH_DATA) else "page"
        sizes[kind] += transfer_size(response.url, response.body())
    change_ms = None if phone else page.evaluate(FILTER_CHANGE)
    context.close()
    return {
        "ms": first_results,
        "ready_ms": page_ready,
        "requests": len(responses),
        **sizes,
        "change_ms": change_ms,
    }


def measure(browser, base: str, runs: int) -> list[dict]:
    rows = []
    for name, query in SCENARIOS:
        url = f"{base}search/{query}"
        desktop = [load(browser, url, phone=False) for _ in range(runs)]
        phone = [load(browser, url, phone=True) for _ in range(max(1, runs // 2))]
        rows.append(
            {
                "name": name,
                "page": desktop[0]["page"],
                "data": desktop[0]["data"],
                "requests": desktop[0]["requests"],
                "desktop_ms": statistics.median(r["ms"] for r in desktop),
                "ready_ms": statistics.median(r["ready_ms"] for r in desktop),
                "phone_ms": statistics.median(r["ms"] for r in phone),
                "change_ms": statistics.median(r["change_ms"] for r in desktop),
            }
        )
    return rows


def data_files(site: Path) -> dict[str, tuple[int, int]]:
    """(raw, gzip) bytes of the page's own data files."""
    out = {}
    version = next(p for p in (site / "search-facets").iterdir() if p.is_dir())
    for path in sorted(version.iterdir()):
        raw = path.read_bytes()
        out[path.name] = (len(raw), len(gzip.compress(raw, compresslevel=GZIP_LEVEL)))
    return out


# --- report -------------------------------------------------------------------------------------


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def report(count: int, build_seconds: float, files: dict, rows: list[dict]) -> None:
    print(f"\n== {count:,} entries ==  (ifte build: {build_seconds:.1f} s)")
    facets_raw, facets_gzip = files["facets.json"]
    lists = [v for k, v in files.items() if k.startswith("list-")]
    print(
        f"  facets.json {kb(facets_raw)} raw, {kb(facets_gzip)} gzip (fetched by every visit); "
        f"{len(lists)} list files {kb(sum(g for _, g in lists))} gzip (CSV and print only)"
    )
    print(
        f"  {'scenario':40} {'first load':>11} {'page':>10} {'search data':>12} {'req':>4}"
        f" {'page ready':>11} {'1st results':>12} {'phone 4G':>10} {'filter change':>14}"
    )
    for r in rows:
        print(
            f"  {r['name']:40} {kb(r['page'] + r['data']):>11} {kb(r['page']):>10}"
            f" {kb(r['data']):>12} {r['requests']:>4} {r['ready_ms']:>8.0f} ms"
            f" {r['desktop_ms']:>9.0f} ms"
            f" {r['phone_ms']:>7.0f} ms {r['change_ms']:>11.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3, help="cold loads per scenario (median)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(
        "First load with a cold cache; bytes as gzip-compressed transfer (fonts as they are); "
        "times are medians, from navigation start to the first result cards."
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in filter(None, args.sizes.split(",")):
            count = int(size)
            site, build_seconds = prepare_site(count)
            server, base = serve(site)
            try:
                rows = measure(browser, base, args.runs)
            finally:
                server.shutdown()
            report(count, build_seconds, data_files(site), rows)
        browser.close()


if __name__ == "__main__":
    main()
