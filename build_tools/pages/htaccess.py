"""The site's own `.htaccess` for Apache and LiteSpeed shared hosting: the Thai 404 page,
long caching of fingerprinted assets, compression. (The deploy's bookkeeping folder has
a `.htaccess` of its own: build_tools/deploy/publish.py.) Other hosts: docs/DEPLOY.md."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from build_tools.core.site import Generated, GeneratedFile, SiteSettings

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog

HTACCESS = ".htaccess"
YEAR = 31_536_000  # seconds

_TEMPLATE = """\
# Written by the IFTE build (build_tools/pages/htaccess.py): edit that file, not this one.
# Apache / LiteSpeed. Each part is skipped where its module is not installed.

ErrorDocument 404 {base}404.html

<IfModule mod_headers.c>
  # Later sections win (Apache merges <FilesMatch> in order).
  <FilesMatch "\\.(html|json|xml|csv)$">
    Header set Cache-Control "no-cache"
  </FilesMatch>
  # Our own CSS/JS keep their names from one version to the next: a day.
  <FilesMatch "\\.(css|js)$">
    Header set Cache-Control "public, max-age=86400"
  </FilesMatch>
  # Fonts and pictures rarely change.
  <FilesMatch "\\.(woff2|png|jpe?g|webp|svg|ico)$">
    Header set Cache-Control "public, max-age=2592000"
  </FilesMatch>
  # Material's assets carry a content hash in their names (main.57a0d79d.min.css): a new
  # version is a new name, so browsers may keep them for a year.
  <FilesMatch "\\.[0-9a-f]{{8}}\\.min\\.(css|js)$">
    Header set Cache-Control "public, max-age={year}, immutable"
  </FilesMatch>
</IfModule>

<IfModule mod_deflate.c>
  AddOutputFilterByType DEFLATE text/html text/css text/plain text/csv text/xml
  AddOutputFilterByType DEFLATE application/javascript text/javascript application/json
  AddOutputFilterByType DEFLATE application/xml application/rss+xml application/atom+xml
  AddOutputFilterByType DEFLATE image/svg+xml
</IfModule>

<IfModule mod_mime.c>
  AddType font/woff2 .woff2
  AddCharset utf-8 .html .css .js .json .csv .xml .txt
</IfModule>
"""


def format_base_path(site_url: str) -> str:
    """The site's path on its host, with slashes at both ends ("/" or "/ifte/")."""
    path = urlsplit(site_url).path.strip("/")
    return f"/{path}/" if path else "/"


def format_htaccess(site_url: str) -> str:
    return _TEMPLATE.format(base=format_base_path(site_url), year=YEAR)


def generate_htaccess(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    yield GeneratedFile(HTACCESS, format_htaccess(settings.site_url))
