"""Pages rendered by the forked page worker (mkdocs_plugin/parallel.py) are the pages a
one-process build makes, and a failing worker fails the build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.site.test_incremental import diff, prepare, snapshot

# Runs a build with the worker forced on (or off) and, optionally, a page that fails
# in the worker only.
SCRIPT = """
import logging, os, sys
from pathlib import Path
logging.basicConfig(level=logging.INFO)
from build_tools.mkdocs_plugin import build, parallel, plugin
plugin.MIN_SHARED_PAGES = int(sys.argv[2])
if sys.argv[3] == "fail":
    parent, original = os.getpid(), parallel.mkdocs_build._build_page
    def failing(page, *args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("worker page failed on purpose")
        return original(page, *args, **kwargs)
    parallel.mkdocs_build._build_page = failing
try:
    build.run_build(Path.cwd(), site_dir=Path(sys.argv[1]), full=True)
except Exception as error:
    print(error, file=sys.stderr)
    sys.exit(1)
"""


def build_with(root: Path, site: Path, minimum: int, mode: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site), str(minimum), mode or "ok"],
        cwd=root,
        capture_output=True,
        text=True,
    )


def test_the_page_worker_writes_the_same_site_as_one_process(scratch_project, tmp_path):
    prepare(scratch_project)
    serial = build_with(scratch_project.root, tmp_path / "serial", 10**9)
    assert serial.returncode == 0, serial.stderr
    forked = build_with(scratch_project.root, tmp_path / "forked", 1)
    assert forked.returncode == 0, forked.stderr
    assert "Generated empty output" not in forked.stderr
    assert diff(snapshot(tmp_path / "serial"), snapshot(tmp_path / "forked")) == set()


def test_a_failing_page_worker_fails_the_build_with_a_message(scratch_project, tmp_path):
    prepare(scratch_project)
    result = build_with(scratch_project.root, tmp_path / "site", 1, "fail")
    assert result.returncode == 1
    assert "worker page failed on purpose" in result.stderr
    assert "building pages failed" in result.stderr
