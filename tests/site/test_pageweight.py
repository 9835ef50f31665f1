"""Page weight on phones: an entry page transfers at most 150 KB compressed on a first
visit and little more than its HTML on the next page; nothing comes from other sites."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from build_tools.features import pageweight
from build_tools.pages.images import WEB_MAX_BYTES, WEB_MAX_PIXELS
from build_tools.pages.listings import FACETS
from build_tools.features.pageweight import (
    ENTRY_BUDGET_BYTES,
    SiteFiles,
    classify_page,
    format_page_weight,
    plan_page_resources,
    report_page_weight,
)
from tests.page_kinds import find_entry_page

NEXT_PAGE_BUDGET_BYTES = 30 * 1000  # the HTML of an entry page is about 9 KB compressed


def _write(root: Path, relative: str, data: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def test_a_page_loads_its_css_js_icon_and_only_the_fonts_its_text_needs(tmp_path):
    css = """
      @font-face { font-family: S; src: url("f/thai.woff2") format("woff2");
                   unicode-range: U+0E01-0E5B, U+200C-200D; }
      @font-face { font-family: S; src: url("f/latin.woff2"); unicode-range: U+0000-00FF; }
      @font-face { font-family: S; font-style: italic; src: url("f/thai-i.woff2");
                   unicode-range: U+0E01-0E5B; }
      @font-face { font-family: S; src: url("f/cjk.woff2"); unicode-range: U+4E??; }"""
    _write(tmp_path, "a/site.css", css)
    for name in ("thai", "latin", "thai-i", "cjk"):
        _write(tmp_path, f"a/f/{name}.woff2", bytes(1000))
    _write(tmp_path, "a/app.js", "console.log(1)")
    _write(tmp_path, "icon.png", bytes(50))
    _write(tmp_path, "p/photo.jpg", bytes(2000))
    html = """<html><head><link rel="stylesheet" href="../a/site.css">
      <link rel="icon" href="../icon.png"><link rel="canonical" href="https://x.th/p/">
      <link rel="alternate" type="application/rss+xml" href="../feed.xml">
      <script src="../a/app.js" defer></script><script>var inline = "中文";</script></head>
      <body><h1>ภาษาไทย</h1><img src="photo.jpg" alt="รูป"><a href="../other/">ต่อไป</a>
      <img src="https://elsewhere.example.com/x.png" alt=""></body></html>"""
    _write(tmp_path, "p/index.html", html)
    files = SiteFiles(tmp_path)

    plain = plan_page_resources(files, "p/index.html", html)
    with_italics = plan_page_resources(files, "p/index.html", html.replace("<h1>", "<h1><em>"))

    assert set(plain) == {
        "a/site.css",
        "icon.png",
        "a/app.js",
        "p/photo.jpg",
        "a/f/thai.woff2",
        "a/f/latin.woff2",
    }
    assert set(with_italics) == set(plain) | {"a/f/thai-i.woff2"}
    assert files.transfer_size("a/f/thai.woff2") == 1000  # fonts are already compressed
    assert files.transfer_size("a/site.css") < len(css.encode())  # text is gzipped


def test_a_report_from_the_last_reports_memory_equals_a_fresh_one(tmp_path, monkeypatch):
    import os

    from build_tools.core import cache

    site, memory = tmp_path / "site", tmp_path / "memory"
    _write(site, "a/site.css", "body { color: red }" * 50)
    _write(site, "index.html", '<link rel="stylesheet" href="a/site.css"><p>หน้าแรก</p>')
    for n in range(6):
        _write(site, f"innovations/2567/e{n}/index.html", f"<p>{'ผลงาน ' * (n + 1) * 40}</p>")
    _write(site, "innovations/2567/e1/photo.jpg", bytes(5000))
    old = 1_600_000_000
    for folder, children, names in os.walk(site):
        for name in names + children + [""]:
            os.utime(os.path.join(folder, name), (old, old))  # long before: times trusted

    listed: list[str] = []
    list_folder = cache._list_folder
    monkeypatch.setattr(
        cache, "_list_folder", lambda folder: listed.append(folder) or list_folder(folder)
    )

    def both() -> tuple:
        fresh = report_page_weight(site, candidates_per_kind=3)
        return fresh, report_page_weight(site, candidates_per_kind=3, memory=memory)

    fresh, remembered = both()  # the first report with memory starts without one
    assert remembered == fresh
    listed.clear()
    assert report_page_weight(site, candidates_per_kind=3, memory=memory) == fresh
    assert listed == []  # nothing changed: no folder listed again
    # A page grows in place, a photo and a page are added: the reports still agree.
    before = fresh
    _write(site, "innovations/2567/e0/index.html", '<p>ยาว</p><img src="photo.png">')
    _write(site, "innovations/2567/e0/photo.png", bytes(90_000))
    _write(site, "innovations/2567/e9/index.html", "<p>ใหม่</p>")
    fresh, remembered = both()
    assert remembered == fresh
    assert fresh.page_count == before.page_count + 1
    assert fresh.pages[0].path == "innovations/2567/e0/index.html" != before.pages[0].path
    assert fresh.pages[0].first_visit_bytes > 90_000


def test_pages_built_under_the_same_key_are_not_looked_at_again(tmp_path, monkeypatch):

    site, memory = tmp_path / "site", tmp_path / "memory"
    _write(site, "index.html", "<p>หน้าแรก</p>")
    keys = {}
    for n in range(6):
        page = f"innovations/2567/e{n}/index.html"
        _write(site, page, f"<p>{'ผลงาน ' * (n + 1) * 40}</p>")
        keys[page] = f"key-{n}"
    _write(site, "innovations/2567/e1/photo.jpg", bytes(50_000))

    looked_at: list[str] = []
    stat = os.stat
    monkeypatch.setattr(
        pageweight.os, "stat", lambda path, *a, **k: looked_at.append(str(path)) or stat(path)
    )

    def report():
        looked_at.clear()
        return report_page_weight(site, candidates_per_kind=2, memory=memory, page_keys=keys)

    first = report()
    assert any("e3/index.html" in path for path in looked_at)
    assert report_page_weight(site, candidates_per_kind=2) == first  # no memory: fresh
    assert report() == first
    # Neither the unchanged pages' folders nor anything in them was looked at.
    assert not any("/e3" in path or "photo" in path for path in looked_at)
    # A page built again under a new key is looked at again, and the report follows it.
    _write(site, "innovations/2567/e3/index.html", "<p>" + "ยาวขึ้น " * 4000 + "</p>")
    keys["innovations/2567/e3/index.html"] = "key-3-edited"
    edited = report()
    assert not any("/e4" in path for path in looked_at)
    assert edited.pages[0].path == "innovations/2567/e3/index.html"
    assert edited == report_page_weight(site, candidates_per_kind=2)


@pytest.mark.parametrize(
    "kept",
    [
        b"not a pickle",
        pickle.dumps((5, {})),  # another shape
        b"cbuild_tools.features.pageweight\n_NoSuchRecord\n.",  # a class no longer there
    ],
)
def test_a_memory_the_report_cannot_use_is_ignored(tmp_path, kept):
    site, memory = tmp_path / "site", tmp_path / "memory"
    _write(site, "index.html", "<p>หน้าแรก</p>")
    _write(site, "innovations/2567/e0/index.html", "<p>ผลงาน</p>")
    _write(memory, pageweight.MEMORY_FILE, kept)
    keys = {"innovations/2567/e0/index.html": "k"}
    assert report_page_weight(site, memory=memory, page_keys=keys) == report_page_weight(site)


def test_page_kinds_in_the_report():
    folders = [f.kind for f in FACETS]
    assert classify_page("index.html") == "home"
    assert classify_page("innovations/2567/reading-kit/index.html") == "entry"
    assert classify_page("innovations/page/2/index.html") == "listing"
    assert classify_page("districts/ban-mi/index.html", folders) == "listing"
    assert classify_page("privacy/index.html", folders) == "page"


def test_entry_pages_stay_within_the_phone_budget(built_site):
    report = report_page_weight(built_site, listing_folders=[f.kind for f in FACETS])
    kinds = {w.kind: w for w in report.by_kind}
    assert {"home", "entry", "listing", "browse", "page"} <= set(kinds)
    entry = kinds["entry"]  # the heaviest entry page
    assert entry.first_visit_bytes <= ENTRY_BUDGET_BYTES, format_page_weight(report)
    assert entry.next_page_bytes <= NEXT_PAGE_BUDGET_BYTES, format_page_weight(report)
    assert not report.over_budget
    text = format_page_weight(report)
    assert entry.path in text and "หน้าที่หนักที่สุด" in text and "first visit" in text


def test_published_images_are_web_sized(built_site):
    images = [
        p
        for p in built_site.glob("innovations/*/*/*")
        if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp")
    ]
    assert images, "the sample site should have entry images"
    too_big = []
    for path in images:
        with Image.open(path) as image:
            if max(image.size) > WEB_MAX_PIXELS or path.stat().st_size > WEB_MAX_BYTES:
                too_big.append(
                    f"{path.relative_to(built_site)}: {image.size}, {path.stat().st_size:,} bytes"
                )
    assert not too_big


def _site_path(url: str, site_url: str) -> str:
    path = unquote(urlsplit(url).path)[len(urlsplit(site_url).path) :]
    return path + "index.html" if path.endswith("/") or not path else path


def _downloaded(responses, site_url: str) -> set[str]:
    """Site files whose body came over the network (a cache hit reports no body size)."""
    return {
        _site_path(r.url, site_url)
        for r in responses
        if r.url.startswith(site_url) and r.ok and r.request.sizes()["responseBodySize"] > 0
    }


@pytest.mark.browser
def test_first_and_next_visit_weight_measured_in_chromium(page, site_url, built_site):
    """What Chromium really fetches: the static report must not miss any of it."""
    files = SiteFiles(built_site)
    responses = []
    page.on("response", lambda response: responses.append(response))
    entry = find_entry_page(built_site)
    page.goto(site_url + entry)
    page.wait_for_load_state("networkidle")
    first = _downloaded(responses, site_url)
    html = (built_site / entry / "index.html").read_text(encoding="utf-8")
    planned = set(plan_page_resources(files, entry + "index.html", html))
    assert first - {entry + "index.html"} <= planned, "the build's report misses files"
    assert sum(files.transfer_size(path) for path in first) <= ENTRY_BUDGET_BYTES
    assert not page.watch.external_requests  # nothing render-blocking from elsewhere

    responses.clear()
    others = sorted(
        p.parent.relative_to(built_site).as_posix() + "/"
        for p in built_site.glob("innovations/[0-9]*/*/index.html")
    )
    page.goto(site_url + next(o for o in others if o != entry))  # the visitor reads on
    page.wait_for_load_state("networkidle")
    again = _downloaded(responses, site_url)
    assert sum(files.transfer_size(path) for path in again) <= NEXT_PAGE_BUDGET_BYTES, again


def test_a_lazy_pictures_sources_are_not_counted_an_eager_ones_first_source_is(tmp_path):
    for name in ("a.webp", "a.jpg", "b.webp", "b.jpg"):
        _write(tmp_path, f"p/{name}", bytes(100))
    html = (
        '<picture><source type="image/webp" srcset="a.webp 320w">'
        '<img src="a.jpg" loading="lazy" alt=""></picture>'
        '<picture><source type="image/webp" srcset="b.webp 320w"><img src="b.jpg" alt=""></picture>'
    )
    _write(tmp_path, "p/index.html", html)
    found = plan_page_resources(SiteFiles(tmp_path), "p/index.html", html)
    assert set(found) == {"p/b.webp"}  # the first source's: the img is the fallback
