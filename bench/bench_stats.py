"""Benchmark statistics, open data, feeds and related innovations at scale.

Run: .venv/bin/python bench/bench_stats.py [--sizes 1000,5000,20000]

For N generated entries (bench/generate.py, shared with bench_search.py under
.cache/bench/): time to plan the statistics page (counts, SVG charts, CSV), the open
data (CSV, JSON, one JSON per entry, data package, GD Catalog), the feeds, and the
related innovations — split into bringing the Whoosh index up to date (the search
export does the same work; with the index kept in .cache/ unchanged entries cost
nothing) and the similarity computation itself. Also the bytes of the main files.
The index is kept in .cache/bench/related-index-N, so a second run times the
similarity alone (and an index update with nothing to add).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402
from build_tools.export.pages import generate_open_data  # noqa: E402
from build_tools.feeds import generate_feeds  # noqa: E402
from build_tools.loader import load_repository  # noqa: E402
from build_tools.related import plan_related_from_reader  # noqa: E402
from build_tools.search.index import build_index, open_index  # noqa: E402
from build_tools.site import GeneratedFile, SiteSettings  # noqa: E402
from build_tools.stats import generate_stats_pages  # noqa: E402

CACHE = REPO / ".cache" / "bench"


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def run(count: int) -> None:
    repo = CACHE / f"repo-{count}"
    if not (repo / ".generated").is_file():
        generate(repo, count)
        (repo / ".generated").write_text(str(count))
    catalog, load_seconds = timed(load_repository, repo)
    settings = SiteSettings(
        "IFTE",
        "https://ifte.example.go.th/",
        repo,
        {"office": {"name": "ศธจ.ลพบุรี", "email": "ifte@example.go.th"}},
    )
    sizes: dict[str, int] = {}
    print(f"\n{count:,} entries (loaded in {load_seconds:.1f} s)")
    for name, generator in (
        ("statistics page", generate_stats_pages),
        ("open data", generate_open_data),
        ("feeds", generate_feeds),
    ):
        items, seconds = timed(lambda g=generator: list(g(catalog, settings)))
        files = [i for i in items if isinstance(i, GeneratedFile)]
        total = sum(
            len(i.content if isinstance(i.content, bytes) else i.content.encode()) for i in files
        )
        for item in files:
            if item.uri in (
                "data/innovations.csv",
                "data/innovations.json",
                "data/datapackage.json",
                "feeds/atom.xml",
            ):
                content = item.content
                sizes[item.uri] = len(content if isinstance(content, bytes) else content.encode())
        print(f"  {name:<16} {seconds:6.2f} s  {len(files):6,} files  {total / 1e6:7.2f} MB")
    index_dir = CACHE / f"related-index-{count}"  # not bench_search's: it may be writing
    stats, index_seconds = timed(build_index, catalog.entries, index_dir, catalog.vocabularies)
    reader = open_index(index_dir).reader()
    try:
        related, related_seconds = timed(plan_related_from_reader, reader)
    finally:
        reader.close()
    shown = sum(len(v) for v in related.values()) / max(len(related), 1)
    print(
        f"  search index     {index_seconds:6.2f} s  (added {stats.added:,}, "
        f"unchanged {stats.unchanged:,})"
    )
    print(
        f"  related          {related_seconds:6.2f} s  ({shown:.2f} related per entry, "
        f"{related_seconds / max(count, 1) * 1000:.2f} ms per entry)"
    )
    for uri, size in sizes.items():
        print(f"  {uri:<24} {size / 1e6:7.2f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated entry counts")
    args = parser.parse_args()
    for count in (int(n) for n in args.sizes.split(",")):
        run(count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
