"""`make serve` (`mkdocs serve --dirty`): a saved entry shows without rebuilding the site."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import fetch_text, wait_for
from tests.site.test_incremental import ifte_build, prepare


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_preview(root, port: int, log_name: str = "serve.log") -> tuple[subprocess.Popen, Path]:
    log_path = root / log_name
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--livereload",
                "--dirty",
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return server, log_path


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def rendered_counts(log: str) -> list[int]:
    return [int(n) for n in re.findall(r"rendered (\d+), ข้าม/kept", log)]


def test_a_saved_entry_shows_in_the_preview_and_only_its_pages_are_rendered(scratch_project):
    prepare(scratch_project)
    ifte_build(scratch_project.root)  # what `make site` leaves: caches and a search export
    port = free_port()
    server, log_path = start_preview(scratch_project.root, port)
    try:
        url = f"http://127.0.0.1:{port}/innovations/2567/entry-3/"
        assert wait_for(lambda: "ชุดที่ 3" in fetch_text(url)), log_path.read_text()
        entry = scratch_project.root / "innovations/2567/entry-3/index.md"
        entry.write_text(entry.read_text().replace("เนื้อหา", "เนื้อหาตัวอย่างสดเรื่องดินสอพอง"))
        assert wait_for(lambda: "ดินสอพอง" in fetch_text(url)), log_path.read_text()
        # The search index and related entries are not recomputed for a preview.
        assert wait_for(lambda: "the preview uses the last build" in log_path.read_text())
    finally:
        stop(server)
    log = log_path.read_text()
    rendered = rendered_counts(log)
    assert len(rendered) >= 2, log
    # The entry, plus the three listings in the navigation (always rendered).
    assert rendered[-1] < rendered[0] and rendered[-1] <= 4, log
    assert "Traceback" not in log and "dirty' build" not in log


def test_a_new_preview_session_renders_only_what_changed_since_the_last(scratch_project):
    prepare(scratch_project)
    root, port = scratch_project.root, free_port()
    url = f"http://127.0.0.1:{port}/innovations/2567/entry-3/"
    server, log_path = start_preview(root, port)
    try:
        assert wait_for(lambda: "ชุดที่ 3" in fetch_text(url)), log_path.read_text()
    finally:
        stop(server)
    first = rendered_counts(log_path.read_text())[0]
    # Saved while no preview runs: the next session shows it, and renders nothing else.
    entry = root / "innovations/2567/entry-3/index.md"
    entry.write_text(entry.read_text().replace("เนื้อหา", "เนื้อหาที่แก้ระหว่างปิดตัวอย่างสด"))
    server, log_path = start_preview(root, port)
    try:
        assert wait_for(lambda: "ระหว่างปิดตัวอย่างสด" in fetch_text(url)), log_path.read_text()
        # A second session at the same time builds every page in a folder of its own.
        other_port = free_port()
        other, other_log = start_preview(root, other_port, "other.log")
        try:
            other_url = f"http://127.0.0.1:{other_port}/innovations/2567/entry-3/"
            assert wait_for(lambda: "ระหว่างปิดตัวอย่างสด" in fetch_text(other_url))
        finally:
            stop(other)
        assert "another preview holds the kept folder" in other_log.read_text()
        assert rendered_counts(other_log.read_text())[0] == first
        # ...and leaves the kept folder's record alone: a save still renders one page.
        entry.write_text(entry.read_text().replace("ระหว่างปิด", "หลังอีกชุดปิด"))
        assert wait_for(lambda: "หลังอีกชุดปิด" in fetch_text(url)), log_path.read_text()
        assert wait_for(lambda: len(rendered_counts(log_path.read_text())) >= 2)
        assert rendered_counts(log_path.read_text())[-1] <= 4, log_path.read_text()
        # Its error pages are the site's.
        missing = f"http://127.0.0.1:{port}/innovations/no-such-entry/"
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(missing, timeout=10)
        assert error.value.code == 404 and "ไม่พบหน้าที่ต้องการ" in error.value.read().decode()
    finally:
        stop(server)
    log = log_path.read_text()
    # The entry, plus the three listings in the navigation (always rendered).
    assert rendered_counts(log)[0] <= 4 < first, log
    assert "Traceback" not in log
