"""Every internal link and asset reference in the built sample site resolves."""

from __future__ import annotations

from pathlib import Path

import yaml

from build_tools.linkcheck import find_broken_links
from tests.conftest import REPO_ROOT


def _site_url() -> str:
    # mkdocs.yml has !!python/name tags: read only the key we need.
    for line in (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            return yaml.safe_load(line)["site_url"]
    return ""


def test_every_internal_link_and_asset_in_the_sample_site_resolves(built_site):
    broken = find_broken_links(built_site, _site_url())
    assert not broken, "\n".join(map(str, broken[:40])) + f"\n({len(broken)} broken)"


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_link_checker_reports_missing_files_anchors_and_own_site_urls(tmp_path):
    _write(
        tmp_path,
        "index.html",
        """<!doctype html><html><head>
        <link rel="stylesheet" href="assets/site.css">
        <link rel="canonical" href="https://example.go.th/gone/">
        <link rel="preconnect" href="https://fonts.example.com">
        </head><body id="top">
        <a href="about/">ok</a> <a href="about/#ทีม">ok anchor</a>
        <a href="about/#%E0%B8%97%E0%B8%B5%E0%B8%A1">ok encoded anchor</a>
        <a href="#top">ok self</a> <a href="#nowhere">bad self</a>
        <a href="missing/">bad page</a> <a href="about/#nope">bad anchor</a>
        <img src="img/a.png" srcset="img/a.png 1x, img/b.png 2x" alt="">
        <a href="https://elsewhere.example.com/x">external</a> <a href="mailto:a@b.c">mail</a>
        <a href="../outside.html">outside</a>
        </body></html>""",
    )
    _write(tmp_path, "about/index.html", '<h2 id="ทีม">ทีม</h2>')
    _write(
        tmp_path,
        "assets/site.css",
        "body{background:url(../img/a.png)} "
        "i{background:url('../img/c.png')} b{background:url(data:x)}",
    )
    _write(tmp_path, "img/a.png", "x")
    _write(
        tmp_path,
        "sitemap.xml",
        "<urlset><url><loc>https://example.go.th/about/</loc></url>"
        "<url><loc>https://example.go.th/old/</loc></url></urlset>",
    )

    broken = {
        (b.source, b.reference, b.reason)
        for b in find_broken_links(tmp_path, "https://example.go.th/")
    }

    assert broken == {
        ("index.html", "https://example.go.th/gone/", "missing file"),
        ("index.html", "#nowhere", "missing anchor"),
        ("index.html", "missing/", "missing file"),
        ("index.html", "about/#nope", "missing anchor"),
        ("index.html", "img/b.png", "missing file"),
        ("index.html", "../outside.html", "missing file"),
        ("assets/site.css", "../img/c.png", "missing file"),
        ("sitemap.xml", "https://example.go.th/old/", "missing file"),
    }
