"""Adding one entry (issue 26, stable documents): what changes, what a deploy sends.

For each N it generates a repository (`generate.py`), builds it, then adds one entry as
the submission form makes it (in the newest year, dated the day it was submitted) and
builds again (`ifte build`). It prints the search files (`search-index/`,
`search-facets/`, `search-suggest/`) the addition changed, added or removed, what the
deploy planner (`deploy.plan.plan_deploy`, the sites before and after compared by
content hash) would upload, and how long the build took. Then it removes the entry
again and prints the same. Last, it adds entries until the delta segment (the newest
documents, `ranking.DELTA_DOCS`) is full, the most a first query fetches of it, and
prints the first query's download. Figures only: nothing is asserted.

    .venv/bin/python bench/bench_add_entry.py [N ...]      (default: 1000 10000 20000)

Set IFTE_BENCH_ADD_SIZES to choose the sizes under `make bench`. A repository already
generated and built by an earlier run (in IFTE_BENCH_DIR) is built again, not from
nothing: a cold build at 20,000 takes about three minutes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_build import BIN, WORK, first_query_bytes, ours, timed  # noqa: E402
from bench.generate import generate  # noqa: E402
from build_tools.deploy.manifest import Manifest, load_local_manifest  # noqa: E402
from build_tools.deploy.plan import plan_deploy  # noqa: E402
from build_tools.search.ranking import DELTA_DOCS  # noqa: E402

SEARCH_FOLDERS = ("search-index/", "search-facets/", "search-suggest/")
SIZES = (1000, 10_000, 20_000)


def is_search_file(path: str) -> bool:
    return path.startswith(SEARCH_FOLDERS)


def report(label: str, before: Manifest, after: Manifest, seconds: float, log: str) -> None:
    search_after = {p for p in after.files if is_search_file(p)}
    search_before = {p for p in before.files if is_search_file(p)}
    changed = {p for p in search_after | search_before if before.files.get(p) != after.files.get(p)}
    plan = plan_deploy(after, before)
    uploads = [u for u in plan.uploads if is_search_file(u.path)]
    total = len(search_after)
    print(
        f"{label}: ifte build {seconds:5.1f} s\n"
        f"    search files changed, added or removed: {len(changed):6,} of {total:,} "
        f"({100 * len(changed) / total:5.2f} %)\n"
        f"    deploy uploads of search files:         {len(uploads):6,} of {total:,} "
        f"({100 * len(uploads) / total:5.2f} %), "
        f"{sum(u.entry.size for u in uploads) / 1e6:.2f} MB\n"
        f"    deploy uploads of the whole site:       {len(plan.uploads):6,} of "
        f"{len(after.files):,} files, {plan.upload_bytes / 1e6:.1f} MB; "
        f"deletions {len(plan.deletions):,}\n"
        f"    where the time goes: {ours(log)}",
        flush=True,
    )


def new_entry(project: Path, number: int = 0) -> Path:
    """One entry in the newest year, as `ifte new`/the issue form write it: dated today."""
    newest = max(int(p.name) for p in (project / "innovations").iterdir() if p.name.isdigit())
    folder = project / "innovations" / str(newest)
    source = sorted(p for p in folder.iterdir() if not p.name.startswith("added-"))[number]
    added = source.parent / f"added-by-bench-{number}"
    shutil.copytree(source, added)
    index = added / "index.md"
    text = index.read_text(encoding="utf-8")
    head, body = text.split("---\n", 2)[1:]
    head = head.replace("title: ", "title: นวัตกรรมใหม่ ", 1)
    head += f"submitted: {dt.date.today().isoformat()}\n"
    index.write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    return added


def bench(count: int) -> None:
    project = WORK / f"add-{count}"
    print(f"\n== N = {count:,} entries ==", flush=True)
    if not (project / "site" / "search-index").is_dir():
        generate(project, count)
    for stale in (project / "innovations").glob("*/added-by-bench-*"):
        shutil.rmtree(stale)
    seconds, _, _ = timed([str(BIN / "ifte"), "build"], project)
    print(f"build of the {count:,} entries: {seconds:5.1f} s", flush=True)
    before = load_local_manifest(project / "site")

    added = new_entry(project)
    seconds, _, log = timed([str(BIN / "ifte"), "build"], project)
    after = load_local_manifest(project / "site")
    report("adding an entry", before, after, seconds, log)

    print_first_query(project)

    shutil.rmtree(added)
    seconds, _, log = timed([str(BIN / "ifte"), "build"], project)
    report("removing it again", after, load_local_manifest(project / "site"), seconds, log)

    # The delta segment full: what a first query fetches of it at most.
    room = DELTA_DOCS - 1 - count % DELTA_DOCS
    added = [new_entry(project, n) for n in range(room)]
    timed([str(BIN / "ifte"), "build"], project)
    print(f"with {room} entries added (the delta segment full):", flush=True)
    print_first_query(project)
    for folder in added:
        shutil.rmtree(folder)


def print_first_query(project: Path) -> None:
    search = project / "site" / "search-index"
    manifest = json.loads((search / "manifest.json").read_text(encoding="utf-8"))
    first = first_query_bytes(search)
    print(
        f"    first query downloads (gzip, {len(first)} queries) median "
        f"{statistics.median(first) / 1024:.1f} KB, max {max(first) / 1024:.1f} KB "
        f"(delta segment: {manifest['documents'] - manifest['deltaBase']} documents)",
        flush=True,
    )


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [
        int(n) for n in os.environ.get("IFTE_BENCH_ADD_SIZES", "").split()
    ]
    for count in sizes or SIZES:
        bench(count)


if __name__ == "__main__":
    main()
