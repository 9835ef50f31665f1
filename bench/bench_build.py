"""Build benchmark (issue: scale to 20,000 entries).

For each N it generates a realistic repository, then measures side by side in
one run: our full build from a cold cache, a plain `mkdocs build` of the same
entry pages without our plugin, a full build with a warm cache, and the
incremental rebuild after editing one entry (`ifte build`), then how long
`make serve` (`mkdocs serve --livereload --dirty`) takes to start, to show a saved edit,
and to start again.
It prints wall time (the median of several edits of a body, of several edits of a
title, an edit that lengthens an entry by a third, and adding an entry, then removing
it), peak memory (max RSS of the largest process of the build), output size and where
our time goes. Figures only: nothing is asserted.

    .venv/bin/python bench/bench_build.py [N ...]      (default: 1000 5000 20000)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("IFTE_BENCH_DIR", "/tmp/ifte-bench"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
EDITS = 5  # edits of each kind measured per size
TITLE_WORDS = ("ฉบับปรับปรุง", "ภาคเรียนที่ 2", "สำหรับครูผู้สอน", "แบบบูรณาการ", "ระยะที่ 2")


def timed(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB, stderr) of one command, measured by GNU time."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "@@%M", *command], cwd=cwd, env=ENV, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stderr[-3000:]}")
    peak = int(re.findall(r"@@(\d+)", result.stderr)[-1]) // 1024
    return seconds, peak, result.stderr


def folder_size(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def plain_project(project: Path, out: Path) -> None:
    """The same entry pages as plain Markdown in docs_dir, Material theme, no plugin."""
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    for source in (project / "innovations").glob("*/*/index.md"):
        text = source.read_text(encoding="utf-8")
        _, meta, body = text.split("---\n", 2)
        title = re.search(r"^title: (.*)$", meta, re.M).group(1)
        target = docs / "innovations" / source.parent.parent.name / source.parent.name / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\ntitle: {title}\n---\n{body}", encoding="utf-8")
    (docs / "index.md").write_text("# หน้าแรก\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: plain\ndocs_dir: docs\ntheme:\n  name: material\n  language: th\n"
        "  font: false\nplugins: []\nnot_in_nav: |\n  /innovations/**\n"
        "markdown_extensions: [toc, tables, attr_list, admonition]\n",
        encoding="utf-8",
    )


def ours(line: str) -> str:
    matches = re.findall(r"ifte: (.*)$", line, re.M)  # the last build of the log
    return matches[-1].strip() if matches else "?"


def serve_sessions(project: Path, count: int) -> tuple[float, float, float, str]:
    """`make serve` twice on the same port, as a teacher starts it day after day: seconds
    until the first session serves (after the builds above), from saving an entry to the
    page showing it, and until the second session serves; and the first session's log."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    entry = sorted((project / "innovations").glob("*/*/index.md"))[count // 3]
    first_start, edit_s, log = _serve(project, port, entry)
    second_start, _, _ = _serve(project, port, None)
    return first_start, edit_s, second_start, log


def _serve(project: Path, port: int, entry: Path | None) -> tuple[float, float, str]:
    """One `mkdocs serve --livereload --dirty` session: seconds until it serves, seconds
    from saving `entry` to its page showing the change (if an entry is given), its log."""
    from tests.conftest import fetch_text, wait_for

    log_path = project / "serve.log"
    command = [str(BIN / "mkdocs"), "serve", "--livereload", "--dirty"]
    started = time.perf_counter()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [*command, "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    edit_s = 0.0
    try:
        if not wait_for(lambda: "Serving on" in log_path.read_text(), 3600):
            raise SystemExit("mkdocs serve did not start")
        start_s = time.perf_counter() - started
        if entry is not None:
            url = f"http://127.0.0.1:{port}/innovations/{entry.parent.parent.name}/{entry.parent.name}/"
            marker = f"คำที่เพิ่งแก้ในตัวอย่างสด {time.time_ns()}"  # new on every run
            started = time.perf_counter()
            entry.write_text(entry.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            if not wait_for(lambda: marker in fetch_text(url), 600):
                raise SystemExit("mkdocs serve did not show the edit")
            edit_s = time.perf_counter() - started
            # The rebuild ends before the session does (the page is written before that).
            wait_for(lambda: log_path.read_text().count("ifte: ") >= 2, 600)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return start_s, edit_s, log_path.read_text()


def machine_speed() -> float:
    """Seconds a fixed pure-Python loop takes: other jobs on a shared machine move every
    figure, and this one moves with them, so runs can be compared."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.perf_counter() - started


def bench(count: int) -> None:
    project = WORK / f"repo-{count}"
    print(f"\n== N = {count:,} entries ==  (fixed loop: {machine_speed():.2f} s)", flush=True)
    generate(project, count)
    plain = WORK / f"plain-{count}"
    plain_project(project, plain)

    plain_s, plain_mb, _ = timed([str(BIN / "mkdocs"), "build", "-q"], plain)
    print(
        f"plain mkdocs build (same pages, no plugin): {plain_s:7.1f} s  peak {plain_mb:5d} MB  "
        f"output {folder_size(plain / 'site'):7.1f} MB",
        flush=True,
    )

    cold_s, cold_mb, log = timed([str(BIN / "ifte"), "build", "--full"], project)
    print(
        f"ifte full build, cold cache:                {cold_s:7.1f} s  peak {cold_mb:5d} MB  "
        f"output {folder_size(project / 'site'):7.1f} MB  ratio {cold_s / plain_s:4.2f}x",
        flush=True,
    )
    print(f"    where the time goes: {ours(log)}")

    warm_s, warm_mb, log = timed([str(BIN / "ifte"), "build", "--full"], project)
    print(
        f"ifte full build, warm cache:                {warm_s:7.1f} s  peak {warm_mb:5d} MB  "
        f"ratio {warm_s / plain_s:4.2f}x",
        flush=True,
    )
    print(f"    where the time goes: {ours(log)}")

    # Several edits, each of another entry: one build is at the mercy of other jobs on
    # the machine. An edit of a body changes one page; an edit of a title also changes
    # the cards of listing pages, the catalogue files, the search page's facets and the
    # related entries of others. The heavy edit lengthens an entry by a third, which
    # moves every weight of its words in the search export.
    entries = sorted((project / "innovations").glob("*/*/index.md"))

    def body_edit(text: str, _: int) -> str:
        return text.replace("## ผลการดำเนินงาน", "## ผลการดำเนินงานที่แก้ไข")

    def title_edit(text: str, number: int) -> str:
        added = TITLE_WORDS[number % len(TITLE_WORDS)]
        return re.sub(r"^title: (.*)$", rf"title: \1 {added}", text, count=1, flags=re.M)

    for label, change, first in (
        ("editing one entry's body", body_edit, count // 2),
        ("editing one entry's title", title_edit, count // 4),
    ):
        edits, logs = [], []
        for number in range(EDITS):
            entry = entries[(first + number * 97) % count]
            entry.write_text(change(entry.read_text(encoding="utf-8"), number), encoding="utf-8")
            edit_s, edit_mb, log = timed([str(BIN / "ifte"), "build"], project)
            edits.append(edit_s)
            logs.append(log)
        print(
            f"ifte build after {label}: {statistics.median(edits):7.1f} s  "
            f"peak {edit_mb:5d} MB  (median of {EDITS}: "
            + ", ".join(f"{s:.2f}" for s in edits)
            + " s)",
            flush=True,
        )
        median_log = logs[edits.index(sorted(edits)[EDITS // 2])]
        print(f"    where the time goes (the median edit): {ours(median_log)}")
    entry = entries[(count // 3) % count]
    text = entry.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    entry.write_text(f"{text}\n{body[: len(body) // 3]}\n", encoding="utf-8")
    heavy_s, _, log = timed([str(BIN / "ifte"), "build"], project)
    print(f"ifte build after lengthening an entry by a third: {heavy_s:5.1f} s", flush=True)
    print(f"    where the time goes: {ours(log)}")

    # A new entry in the newest year without a submission date: it is numbered among that
    # year's entries by id, so the others after it move (the search export is made
    # again). An entry as the submission form dates it is appended instead:
    # bench_add_entry.py measures that case.
    source = entries[-7].parent  # sorted by path: the newest year comes last
    added = source.parent / f"{source.name}-new"
    shutil.copytree(source, added)
    index = added / "index.md"
    index.write_text(title_edit(index.read_text(encoding="utf-8"), 0), encoding="utf-8")
    for label in ("adding an entry", "removing it again"):
        if label.startswith("removing"):
            shutil.rmtree(added)
        change_s, change_mb, log = timed([str(BIN / "ifte"), "build"], project)
        print(f"ifte build after {label}: {change_s:5.1f} s  peak {change_mb:5d} MB", flush=True)
        print(f"    where the time goes: {ours(log)}")

    first_start, serve_s, second_start, log = serve_sessions(project, count)
    print(
        f"mkdocs serve (make serve): first session serves after {first_start:5.1f} s, "
        f"edited entry shown after {serve_s:5.1f} s; next session serves after "
        f"{second_start:5.1f} s",
        flush=True,
    )
    print(f"    where the time goes (the edit): {ours(log)}")

    search = project / "site" / "search-index"
    if search.exists():
        first = first_query_bytes(search)
        print(
            f"search index files: {folder_size(search):.1f} MB; first query downloads "
            f"(gzip, {len(first)} queries) median {statistics.median(first) / 1024:.1f} KB, "
            f"max {max(first) / 1024:.1f} KB",
            flush=True,
        )


def first_query_bytes(search_index: Path) -> list[int]:
    """Bytes (gzip) the browser engine fetches for a first query on a fresh page, per
    query; the engine runs in Node with a metering fetch (bench_search.py)."""
    from bench.bench_search import ENGINE, METER, SCALE_QUERIES

    script = WORK / "meter.mjs"
    script.write_text(METER)
    queries = json.dumps(SCALE_QUERIES, ensure_ascii=False)
    command = ["node", str(script), str(ENGINE), f"{search_index}/", queries]
    runs = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    return [run["firstBytes"] for run in runs]


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [1000, 5000, 20000]
    WORK.mkdir(parents=True, exist_ok=True)
    for count in sizes:
        bench(count)


if __name__ == "__main__":
    main()
