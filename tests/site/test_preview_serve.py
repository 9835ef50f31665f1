"""`make serve` (`mkdocs serve --dirty`): a saved entry shows without rebuilding the site."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

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
