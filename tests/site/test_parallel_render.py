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
if sys.argv[3] == "generator":  # a generator fails after the search export has started
    import time
    from build_tools import site, workers
    from build_tools.errors import IfteError
    workers.can_fork = lambda: True  # even on one core
    marker = Path(sys.argv[1]).parent / "exported"
    def slow_export(catalog, settings, site_dir):
        time.sleep(1.5)
        marker.write_text("done")
    def failing_generator(catalog, settings):
        raise IfteError("ตัวสร้างหน้าล้มเหลว", "a generator failed on purpose")
    from build_tools.registry import register_features
    register_features()
    site.BACKGROUND_EXPORTERS.append(slow_export)
    site.PAGE_GENERATORS.append(failing_generator)
if sys.argv[3] == "file":  # a generated file cannot be made
    from build_tools import site
    from build_tools.errors import IfteError
    def unmakeable():
        raise IfteError("สร้างไฟล์ไม่ได้", "a file could not be made on purpose")
    def generator(catalog, settings):
        yield site.GeneratedFile("data/broken.json", unmakeable)
    from build_tools.registry import register_features
    register_features()
    site.PAGE_GENERATORS.append(generator)
try:
    build.run_build(Path.cwd(), site_dir=Path(sys.argv[1]), full=True)
except Exception as error:
    print(error, file=sys.stderr)
    if sys.argv[3] == "generator":
        print("export finished" if marker.exists() else "export still running", file=sys.stderr)
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


def test_a_build_that_fails_waits_for_the_export_it_started(scratch_project, tmp_path):
    # No process of a failed build goes on writing into its folders after it.
    prepare(scratch_project)
    result = build_with(scratch_project.root, tmp_path / "site", 10**9, "generator")
    assert result.returncode == 1
    assert "a generator failed on purpose" in result.stderr
    assert "export finished" in result.stderr


def _pid_report(*args) -> str:
    import os

    return f"{os.getpid()} {len(args)}"


def _empty_report(*args) -> None:
    return None


def _failing_report(*args) -> str:
    raise RuntimeError("report failed on purpose")


def test_reports_run_beside_the_build_and_come_back_in_order():
    import os

    from build_tools.mkdocs_plugin.parallel import ExporterWorker

    reports = [_pid_report, _empty_report, _pid_report]
    forked = ExporterWorker(reports, "catalog", "settings", "site", fork=True).results()
    inline = ExporterWorker(reports, "catalog", "settings", "site", fork=False).results()
    assert inline == [f"{os.getpid()} 3", "", f"{os.getpid()} 3"]
    pid, count = forked[0].split()
    assert forked == [f"{pid} 3", "", f"{pid} 3"]
    assert int(pid) != os.getpid()  # another process made them


def test_a_failing_report_fails_the_build_with_a_message(caplog):
    import pytest
    from mkdocs.exceptions import PluginError

    from build_tools.mkdocs_plugin.parallel import ExporterWorker

    for fork in (True, False):
        with pytest.raises(PluginError, match="an exporter or report failed"):
            ExporterWorker([_failing_report], fork=fork).results()
    assert "report failed on purpose" in caplog.text


def test_the_build_log_shows_the_page_weight_report(scratch_project, tmp_path):
    prepare(scratch_project)
    result = build_with(scratch_project.root, tmp_path / "site", 1)
    assert result.returncode == 0, result.stderr
    assert "Page weight (gzip-compressed)" in result.stderr
    assert "heaviest pages (first visit)" in result.stderr


def test_a_generated_file_that_cannot_be_made_fails_the_build(scratch_project, tmp_path):
    # Generated files are made and written by the generators' process after it gave its
    # pages back: its failure then comes when the build waits for it, and fails it.
    prepare(scratch_project)
    result = build_with(scratch_project.root, tmp_path / "site", 10**9, "file")
    assert result.returncode == 1
    assert "a file could not be made on purpose" in result.stderr
    assert "work beside the build failed" in result.stderr
