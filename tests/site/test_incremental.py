"""`ifte build`: incremental rebuilds give the same site as a full build."""

from __future__ import annotations

import filecmp
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.deploy.stamp import STAMP_NAME
from tests.conftest import VALID_ENTRY, copy_site_config


def ifte_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result


def prepare(project) -> Path:
    copy_site_config(project.root)
    for number in range(5):
        project.entry(f"entry-{number}", VALID_ENTRY.replace("ชุดกิจกรรม", f"ชุดที่ {number} "))
    return project.root / "site"


def snapshot(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def diff(a: dict[str, bytes], b: dict[str, bytes]) -> set[str]:
    return {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


def test_rebuild_after_one_edit_renders_only_affected_pages(scratch_project):
    site = prepare(scratch_project)
    first = ifte_build(scratch_project.root)
    assert "rendered" in first.stderr
    before = snapshot(site)
    other_json = site / "data/entries/2567/entry-2.json"
    written = other_json.stat().st_mtime_ns
    entry = scratch_project.root / "innovations/2567/entry-3/index.md"
    entry.write_text(entry.read_text().replace("เนื้อหา", "เนื้อหาที่แก้ไขแล้ว"))
    second = ifte_build(scratch_project.root)
    assert "ข้าม/kept" in second.stderr
    changed = diff(before, snapshot(site))
    html_changed = {p for p in changed if p.endswith(".html")}
    assert "innovations/2567/entry-3/index.html" in html_changed
    # The body is not shown on listings, so no other page changes.
    assert html_changed == {"innovations/2567/entry-3/index.html"}
    # Its open-data file is made again; other entries' files are not even rewritten.
    assert "data/entries/2567/entry-3.json" in changed
    assert other_json.stat().st_mtime_ns == written
    assert "WARNING" not in second.stderr


def test_incremental_result_equals_full_build(scratch_project, tmp_path):
    site = prepare(scratch_project)
    ifte_build(scratch_project.root)
    entry = scratch_project.root / "innovations/2567/entry-1/index.md"
    entry.write_text(entry.read_text().replace("ชุดที่ 1", "ชุดที่หนึ่ง"))
    shutil.rmtree(entry.parent.parent / "entry-4")
    scratch_project.entry("entry-new")
    ifte_build(scratch_project.root)
    incremental = snapshot(site)
    full_site = tmp_path / "full"
    ifte_build(scratch_project.root, "--full", "--site-dir", str(full_site))
    full = snapshot(full_site)
    assert not (site / "innovations/2567/entry-4").exists()
    assert diff(incremental, full) == set()


def test_full_builds_are_reproducible(scratch_project, tmp_path):
    prepare(scratch_project)
    ifte_build(scratch_project.root, "--full", "--site-dir", str(tmp_path / "a"))
    shutil.rmtree(scratch_project.root / ".cache")
    ifte_build(scratch_project.root, "--full", "--site-dir", str(tmp_path / "b"))
    comparison = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert diff(snapshot(tmp_path / "a"), snapshot(tmp_path / "b")) == set(), comparison.diff_files


def test_rebuild_without_changes_leaves_the_search_export_alone(scratch_project):
    site = prepare(scratch_project)
    ifte_build(scratch_project.root)
    shards = sorted(p for p in (site / "search-index").rglob("*") if p.is_file())
    assert shards
    before = {p: p.stat().st_mtime_ns for p in shards}
    contents = {p: p.read_bytes() for p in shards}
    ifte_build(scratch_project.root)
    assert {p: p.stat().st_mtime_ns for p in shards} == before
    entry = scratch_project.root / "innovations/2567/entry-2/index.md"
    entry.write_text(entry.read_text().replace("เนื้อหา", "เนื้อหาใหม่เรื่องดินสอพอง"))
    ifte_build(scratch_project.root)
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", "search", "ดินสอพอง", "--json"],
        cwd=scratch_project.root,
        capture_output=True,
        text=True,
    )
    assert "entry-2" in result.stdout
    # The export was redone: the files of the edited words changed; every other file
    # kept its address and content (what a deploy compares), and none went missing.
    after = {p: p.read_bytes() for p in shards}
    changed = {p.name for p in shards if after[p] != contents[p]}
    assert "manifest.json" in changed
    assert any(n.startswith(("postings-", "delta-")) for n in changed)
    assert len(changed) < len(shards)


def test_an_entry_linking_to_another_entry_file_gets_a_page_url(scratch_project):
    # Bodies are rendered by build_tools.pipeline.rendering, except those linking to Markdown
    # files, which MkDocs renders so that `index.md` links become page URLs.
    site = prepare(scratch_project)
    linking = VALID_ENTRY.replace("เนื้อหา", "ดู [ชุดที่ 1](../entry-1/index.md) ด้วย")
    scratch_project.entry("entry-linking", linking)
    ifte_build(scratch_project.root)
    html = (site / "innovations/2567/entry-linking/index.html").read_text()
    assert 'href="../entry-1/"' in html
    plain = (site / "innovations/2567/entry-2/index.html").read_text()
    assert 'id="ความเป็นมา"' in plain and 'class="headerlink"' in plain


# A build whose post-build exporter fails after its pages were written.
FAILING_BUILD = """
import logging, sys
from pathlib import Path
logging.basicConfig(level=logging.ERROR)
from build_tools.core import site
from build_tools.core.errors import IfteError
from build_tools.mkdocs_plugin import build

def failing(catalog, settings, site_dir):
    raise IfteError("ตัวส่งออกล้มเหลว", "an exporter failed on purpose")

from build_tools.pipeline.registry import register_features
register_features()
site.POST_BUILD_EXPORTERS.append(failing)
try:
    build.run_build(Path.cwd())
except Exception as error:
    print(error, file=sys.stderr)
    sys.exit(1)
"""


# A build killed (no exception, no clean-up: the power went, or `kill -9`) as soon as it
# has written one entry page.
KILLED_AFTER_A_PAGE = """
import os, signal
from pathlib import Path
from mkdocs.commands import build as mkdocs_build
from build_tools.mkdocs_plugin import build

write_file = mkdocs_build.utils.write_file

def write_then_die(output, path):
    write_file(output, path)
    if path.endswith(os.path.join("entry-3", "index.html")):
        os.kill(os.getpid(), signal.SIGKILL)

mkdocs_build.utils.write_file = write_then_die
build.run_build(Path.cwd())
"""

# ...or as soon as it has written the entry's open-data record.
KILLED_AFTER_A_FILE = """
import os, signal
from pathlib import Path
from build_tools.mkdocs_plugin import build
from build_tools.pipeline import stages

write_bytes_atomic = stages.write_bytes_atomic

def write_then_die(path, data):
    written = write_bytes_atomic(path, data)
    if str(path).endswith(os.path.join("entries", "2567", "entry-3.json")):
        os.kill(os.getpid(), signal.SIGKILL)
    return written

stages.write_bytes_atomic = write_then_die
build.run_build(Path.cwd())
"""


@pytest.mark.parametrize(
    ("script", "written"),
    [
        (FAILING_BUILD, "innovations/2567/entry-3/index.html"),
        (KILLED_AFTER_A_PAGE, "innovations/2567/entry-3/index.html"),
        (KILLED_AFTER_A_FILE, "data/entries/2567/entry-3.json"),
    ],
    ids=["failed", "killed-after-a-page", "killed-after-a-file"],
)
def test_an_edit_undone_after_an_unfinished_build_gives_the_files_before_it(
    scratch_project, script, written
):
    site = prepare(scratch_project)
    ifte_build(scratch_project.root)
    entry = scratch_project.root / "innovations/2567/entry-3/index.md"
    original = entry.read_text()
    entry.write_text(original.replace("เนื้อหา", "เนื้อหาที่ยังไม่เสร็จ"))
    unfinished = subprocess.run(
        [sys.executable, "-c", script], cwd=scratch_project.root, capture_output=True, text=True
    )
    if script is FAILING_BUILD:
        assert unfinished.returncode == 1 and "an exporter failed on purpose" in unfinished.stderr
    else:
        assert unfinished.returncode == -signal.SIGKILL
    # It wrote into a new folder (a killed build leaves it; the next build removes it);
    # the site it would have replaced is untouched.
    if script is not FAILING_BUILD:
        assert "ยังไม่เสร็จ" in (site.with_name("site.building") / written).read_text()
    assert "เนื้อหาที่ยังไม่เสร็จ" not in (site / written).read_text()
    assert (site / STAMP_NAME).is_file()  # still the finished build `ifte deploy` may send
    # The entry is as at the first build again: so must its page and files be.
    entry.write_text(original)
    rebuilt = ifte_build(scratch_project.root)
    page = site / "innovations/2567/entry-3/index.html"
    record = site / "data/entries/2567/entry-3.json"
    assert "เนื้อหาที่ยังไม่เสร็จ" not in page.read_text()
    assert "เนื้อหาที่ยังไม่เสร็จ" not in record.read_text()
    assert (site / STAMP_NAME).is_file()
    assert not site.with_name("site.building").exists()
    # The site is the first build's: only what every build renders is rendered.
    assert rendered_count(rebuilt) == rendered_count(ifte_build(scratch_project.root))


def rendered_count(build: subprocess.CompletedProcess) -> int:
    return int(re.findall(r"rendered (\d+), ข้าม/kept", build.stderr)[-1])
