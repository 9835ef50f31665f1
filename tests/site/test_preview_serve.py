"""`make serve` (`mkdocs serve --dirty`): a saved entry shows without rebuilding the site."""

from __future__ import annotations

import re
import socket
import subprocess
import sys

from tests.conftest import fetch_text, wait_for
from tests.site.test_incremental import ifte_build, prepare


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_saved_entry_shows_in_the_preview_and_only_its_pages_are_rendered(scratch_project):
    prepare(scratch_project)
    ifte_build(scratch_project.root)  # what `make site` leaves: caches and a search export
    port = free_port()
    log_path = scratch_project.root / "serve.log"
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
            cwd=scratch_project.root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/innovations/2567/entry-3/"
        assert wait_for(lambda: "ชุดที่ 3" in fetch_text(url)), log_path.read_text()
        entry = scratch_project.root / "innovations/2567/entry-3/index.md"
        entry.write_text(entry.read_text().replace("เนื้อหา", "เนื้อหาตัวอย่างสดเรื่องดินสอพอง"))
        assert wait_for(lambda: "ดินสอพอง" in fetch_text(url)), log_path.read_text()
        # The search index and related entries are not recomputed for a preview.
        assert wait_for(lambda: "the preview uses the last build" in log_path.read_text())
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = log_path.read_text()
    rendered = [int(n) for n in re.findall(r"rendered (\d+), ข้าม/kept", log)]
    assert len(rendered) >= 2, log
    # The entry, plus the three listings in the navigation (always rendered).
    assert rendered[-1] < rendered[0] and rendered[-1] <= 4, log
    assert "Traceback" not in log and "dirty' build" not in log
