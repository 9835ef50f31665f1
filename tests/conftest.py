"""Shared fixtures: tiny throwaway projects and one build of the sample site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

VALID_ENTRY = """\
---
title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ
type: นวัตกรรม
category: การจัดการเรียนรู้
year: 2567
authors:
  - name: นางสาวกมลวรรณ ใจดี
    position: ครู
school:
  name: โรงเรียนบ้านโคกสำโรง
  district: โคกสำโรง
  affiliation: สพป.ลพบุรี เขต 1
subjects: [ภาษาไทย]
levels: [ป.4]
keywords: [การอ่าน]
summary: ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น
---
## ความเป็นมา

เนื้อหา
"""


class ScratchProject:
    """A minimal project folder: vocabularies.yml plus whatever entries a test writes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copy(REPO_ROOT / "vocabularies.yml", root / "vocabularies.yml")

    def write(self, relative: str, content: str | bytes = VALID_ENTRY) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def entry(
        self, slug: str = "reading-kit", content: str | bytes = VALID_ENTRY, year: int = 2567
    ) -> Path:
        return self.write(f"innovations/{year}/{slug}/index.md", content)


@pytest.fixture
def scratch_project(tmp_path: Path) -> ScratchProject:
    return ScratchProject(tmp_path)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled sample repository built once with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def copy_site_config(root: Path) -> None:
    """The real site configuration, data files, theme and pages, without the entries."""
    for path in REPO_ROOT.glob("*.yml"):
        if not (root / path.name).exists():
            shutil.copy(path, root / path.name)
    for folder in ("theme", "content"):
        if not (root / folder).exists():
            shutil.copytree(REPO_ROOT / folder, root / folder)


def build_scratch_site(project: ScratchProject, *extra_args: str) -> subprocess.CompletedProcess:
    """Copy the real site configuration and theme into a scratch project and build it."""
    copy_site_config(project.root)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *extra_args],
        cwd=project.root,
        capture_output=True,
        text=True,
    )


# --- real servers and a real browser ------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def fetch_text(url: str) -> str:
    """The body of a page on a local server, or "" while it is not there (yet)."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(condition, seconds: float = 120.0):
    """Poll `condition` until it returns something true (returned) or time runs out (None)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return None


def serve_directory(directory: Path):
    """Serve a folder on 127.0.0.1 in a background thread; returns (server, base_url)."""
    import functools
    import http.server
    import threading

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL of the sample site served on 127.0.0.1."""
    server, url = serve_directory(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """Console errors, page errors and requests that left 127.0.0.1 during a test."""

    def __init__(self, page) -> None:
        self.console_errors: list[str] = []
        self.external_requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", self._on_request)

    def _on_request(self, request) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            self.external_requests.append(url)


@pytest.fixture
def page(browser):
    """A fresh browser page; `page.watch` records console errors and external requests."""
    context = browser.new_context(locale="th-TH", accept_downloads=True)
    page = context.new_page()
    page.watch = PageWatch(page)
    yield page
    context.close()
