"""sitemap.xml for every page, including entries that are not in the navigation.

Written by us rather than MkDocs so that an incremental build (which renders
only changed pages) still lists every page, and so that `lastmod` comes from
the entries' history instead of the build time (reproducible output).
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Iterable
from xml.sax.saxutils import escape


def format_sitemap(pages: Iterable[tuple[str, dt.date | None]], site_url: str) -> str:
    base = site_url.rstrip("/") + "/" if site_url else "/"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in sorted(pages, key=lambda page: page[0]):
        lines.append(
            f"  <url><loc>{escape(base + url)}</loc>"
            + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
            + "</url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def compress_reproducibly(data: bytes) -> bytes:
    """gzip with a fixed timestamp, so the same input gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)
