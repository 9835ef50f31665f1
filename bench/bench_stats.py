"""Benchmark statistics, open data, feeds and related innovations at scale.

Run: .venv/bin/python bench/bench_stats.py [--sizes 1000,5000,20000]

For N generated entries (bench/generate.py, shared with bench_search.py under
.cache/bench/): time to plan the statistics page (counts, SVG charts, CSV), the open
data (CSV, JSON, one JSON per entry, data package, GD Catalog), the feeds, and the
related innovations — split into bringing the search pack up to date (as a build does;
with the pack kept in the generated repository's .cache/, shared with bench_search.py,
unchanged entries cost nothing) and the similarity computation itself. Also the bytes
of the main files. A second run times the similarity alone (and a pack update with
nothing to do).
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
from build_tools.core.loader import load_repository  # noqa: E402
from build_tools.core.site import GeneratedFile, SiteSettings  # noqa: E402
from build_tools.features.feeds import generate_feeds  # noqa: E402
from build_tools.features.opendata.pages import generate_open_data  # noqa: E402
from build_tools.features.related import plan_related_from_index  # noqa: E402
from build_tools.features.stats import generate_stats_pages  # noqa: E402
from build_tools.search.pack import close_pack, open_pack  # noqa: E402

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
        # Contents made inside the timing: a generated file may hold a function that makes it.
        files, seconds = timed(
            lambda g=generator: [
                (i.uri, i.make()) for i in g(catalog, settings) if isinstance(i, GeneratedFile)
            ]
        )
        lengths = {uri: len(c if isinstance(c, bytes) else c.encode()) for uri, c in files}
        total = sum(lengths.values())
        for uri in (
            "data/innovations.csv",
            "data/innovations.json",
            "data/datapackage.json",
            "feeds/atom.xml",
        ):
            if uri in lengths:
                sizes[uri] = lengths[uri]
        print(f"  {name:<16} {seconds:6.2f} s  {len(files):6,} files  {total / 1e6:7.2f} MB")
    # The pack in the repository's cache: bench_search.py updating it too waits its turn.
    pack, index_seconds = timed(open_pack, catalog.entries, catalog.vocabularies, repo)
    try:
        related, related_seconds = timed(plan_related_from_index, pack)
    finally:
        close_pack()
    shown = sum(len(v) for v in related.values()) / max(len(related), 1)
    print(f"  search pack      {index_seconds:6.2f} s  (brought up to date)")
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
