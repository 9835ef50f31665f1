"""Every internal link and asset reference in the built sample site resolves."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.linkcheck import find_broken_links
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


def _primary_nav_targets(page: Path, site: Path) -> list[str]:
    """The site-absolute targets of the main navigation's links on one built page."""
    import posixpath
    import re

    html = page.read_text(encoding="utf-8")
    start = html.index('data-md-type="navigation"')
    nav = html[start : html.index('data-md-type="toc"', start)]
    folder = "/" + page.parent.relative_to(site).as_posix() + "/"
    targets = []
    for href in re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]*)"|href="([^"]*)" class="md-nav__link', nav):
        link = next(part for part in href if part)
        if not link.startswith("#"):
            targets.append(posixpath.normpath(posixpath.join(folder, link)))
    return targets


def test_every_page_has_the_same_navigation_targets(scratch_project):
    # The navigation of pages outside it is rendered once per folder (theme/main.html);
    # its relative links must still lead to the same pages from every page. Two entries
    # per listing page give listings side by side at the same depth (innovations/page/2/,
    # best-practice/page/2/), where a wrongly shared navigation would show.
    from tests.conftest import VALID_ENTRY, build_scratch_site, copy_site_config

    copy_site_config(scratch_project.root)
    config = scratch_project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - ifte\n", "  - ifte:\n      page_size: 2\n"))
    for number in range(6):
        kind = "แนวปฏิบัติที่เป็นเลิศ" if number % 2 else "นวัตกรรม"
        text = VALID_ENTRY.replace("type: นวัตกรรม", f"type: {kind}")
        scratch_project.entry(f"entry-{number}", text.replace("ชุดกิจกรรม", f"ชุดที่ {number} "))
    result = build_scratch_site(scratch_project)
    assert result.returncode == 0, result.stderr
    site = scratch_project.root / "site"
    assert (site / "best-practice/page/2/index.html").exists()
    expected = _primary_nav_targets(site / "index.html", site)
    assert len(expected) > 10
    pages = sorted(site.glob("**/index.html"))
    for page in pages:
        assert _primary_nav_targets(page, site) == expected, page
