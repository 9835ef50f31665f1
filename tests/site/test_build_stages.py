"""`ifte build` builds into a new folder and swaps it in: a build that fails or is
killed at any stage leaves `site/` byte for byte as it was, and the next build equals
a build from nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.test_incremental import diff, prepare, snapshot

# A build in which one stage fails (raises) or dies (the process is killed, as by
# SIGKILL or a power cut: nothing after it runs).
SCRIPT = """
import logging, os, sys
from pathlib import Path
logging.basicConfig(level=logging.INFO)
from build_tools.core import site
from build_tools.core.errors import IfteError
from build_tools.mkdocs_plugin import build
from build_tools.pipeline.registry import register_features
stage, how = sys.argv[2], sys.argv[3]

def stop():
    if how == "die":
        os._exit(9)
    raise IfteError("ขั้นตอนล้มเหลว", "a stage failed on purpose")

register_features()
if stage == "file":  # a generated file cannot be made (after every page is written)
    def generator(catalog, settings):
        yield site.GeneratedFile("data/broken.json", lambda: stop())
    site.PAGE_GENERATORS.append(generator)
elif stage == "export":  # the last exporter, after the search export wrote its files
    site.POST_BUILD_EXPORTERS.append(lambda catalog, settings, site_dir: stop())
elif stage == "report":  # after the manifest of the new folder could be written
    site.POST_BUILD_REPORTS.append(lambda *args: stop())
try:
    build.run_build(Path.cwd(), site_dir=Path(sys.argv[1]))
except Exception as error:
    print(error, file=sys.stderr)
    sys.exit(1)
"""


def build_with(
    root: Path, site: Path, stage: str = "", how: str = ""
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site), stage or "none", how or "none"],
        cwd=root,
        capture_output=True,
        text=True,
    )


def test_the_build_log_shows_the_page_weight_report(scratch_project):
    site = prepare(scratch_project)
    result = build_with(scratch_project.root, site)
    assert result.returncode == 0, result.stderr
    assert "Page weight (gzip-compressed)" in result.stderr
    assert "heaviest pages (first visit)" in result.stderr


@pytest.mark.parametrize("how", ["fail", "die"])
@pytest.mark.parametrize("stage", ["file", "export", "report"])
def test_a_build_stopped_at_any_stage_leaves_the_site_as_it_was(scratch_project, stage, how):
    site = prepare(scratch_project)
    assert build_with(scratch_project.root, site).returncode == 0
    before = snapshot(site)
    entry = scratch_project.root / "innovations/2567/entry-3/index.md"
    entry.write_text(entry.read_text().replace("เนื้อหา", "เนื้อหาที่แก้ไขแล้ว"))
    (scratch_project.root / "innovations/2567/entry-4/index.md").unlink()

    stopped = build_with(scratch_project.root, site, stage, how)
    assert stopped.returncode != 0
    if how == "fail":
        assert "a stage failed on purpose" in stopped.stderr
    assert diff(before, snapshot(site)) == set()  # not one byte of the served site changed

    # The next build keeps only what it can prove, and equals a build from nothing.
    assert build_with(scratch_project.root, site).returncode == 0
    clean = scratch_project.root / "clean-site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(clean)],
        cwd=scratch_project.root,
        check=True,
        capture_output=True,
    )
    assert diff(snapshot(site), snapshot(clean)) == set()
    assert not (site / "innovations/2567/entry-4/index.html").exists()
    assert not list(site.parent.glob("site.*"))  # no folder of the stopped build is left
