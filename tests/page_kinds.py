"""One page of each kind of the sample site: the pages every site-wide check visits.

The accessibility (axe-core), HTML validity (vnu), keyboard and page-weight tests all
use this one list. A feature that adds a new kind of page adds its URL here.
"""

from __future__ import annotations

from pathlib import Path

# kind → site-relative URL. The entry page is found in the built site (`page_kinds`).
FIXED_PAGE_KINDS: dict[str, str] = {
    "home": "",
    "listing": "innovations/",
    "facet listing": "districts/mueang-lop-buri/",
    "facet index": "districts/",
    "browse": "browse/",
    "content": "how-to-submit/",
    "gov (hand-written text)": "privacy/",
    "gov (generated text)": "accessibility/",
    "site map": "sitemap/",
    "oit": "oit/",
    "stats": "stats/",
    "open data": "data/",
    "submit": "submit/",
    "guide (generated)": "guide/",
    "not found": "404.html",
    "search": "search/",
}


def find_entry_page(site_dir: Path) -> str:
    """The richest entry page (largest HTML): most of the entry template is exercised."""
    pages = sorted(
        site_dir.glob("innovations/[0-9][0-9][0-9][0-9]/*/index.html"),
        key=lambda p: (-p.stat().st_size, p.as_posix()),
    )
    assert pages, f"no entry pages in {site_dir}"
    return pages[0].parent.relative_to(site_dir).as_posix() + "/"


def page_kinds(site_dir: Path) -> dict[str, str]:
    return {"entry": find_entry_page(site_dir), **FIXED_PAGE_KINDS}


def page_file(site_dir: Path, url: str) -> Path:
    """The HTML file behind a site-relative URL."""
    return site_dir / (url if url.endswith(".html") else url + "index.html")
