"""Check that every internal link and asset reference in a built site resolves.

Reads the HTML pages (a, link, script, img, source, iframe, video, form action),
the style sheets (url()) and sitemap.xml of a built site, and reports each
reference to a file or a `#fragment` that is not there. Links to other sites are
not followed (no network at build time); links to the site's own `site_url`
(canonical links, the sitemap) are checked like relative ones.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that reference another file, per tag (srcset is handled apart).
_REFERENCE_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "form": ("action",),
}
# <link rel> values that name a document that need not be in the site.
_LINK_RELS_NOT_CHECKED = {"preconnect", "dns-prefetch"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
_SITEMAP_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class BrokenLink:
    source: str  # site-relative file holding the reference
    reference: str  # as written
    reason: str  # "missing file" | "missing anchor"

    def __str__(self) -> str:
        return f"{self.source}: {self.reference} ({self.reason})"


class _PageParser(HTMLParser):
    """Collects references and the ids/names a page defines (for #fragment checks)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.anchors.add(values["name"])
        if tag == "link" and _LINK_RELS_NOT_CHECKED & set(values.get("rel", "").lower().split()):
            return
        for name in _REFERENCE_ATTRIBUTES.get(tag, ()):
            if values.get(name):
                self.references.append(values[name])
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self.references.append(candidate.strip().split()[0])


def read_page(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


class SiteLinks:
    """One built site; pages are parsed once, whether as a source or as a link target."""

    def __init__(self, site_dir: Path, site_url: str = "") -> None:
        self.site_dir = Path(site_dir)
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self._pages: dict[str, _PageParser] = {}

    def page(self, path: str) -> _PageParser:
        if path not in self._pages:
            self._pages[path] = read_page(self.site_dir / path)
        return self._pages[path]

    def target_file(self, source: str, reference: str) -> tuple[str | None, str]:
        """(site-relative file the reference points to, or None if external; fragment)."""
        if self.site_url and reference.startswith(self.site_url):
            reference = "/" + reference[len(self.site_url) :]
        if reference.startswith("//") or _SCHEME.match(reference):
            return None, ""
        parts = urlsplit(reference)
        path = unquote(parts.path)
        fragment = unquote(parts.fragment)
        if not path:
            return source, fragment
        if path.startswith("/"):
            target = posixpath.normpath(path.lstrip("/")) if path != "/" else ""
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if target in ("", "."):
            target = ""
        if target.startswith("../"):
            return "../", fragment  # outside the site: always broken
        if path.endswith("/") or (self.site_dir / target).is_dir():
            target = posixpath.join(target, "index.html") if target else "index.html"
        return target, fragment

    def check_reference(self, source: str, reference: str) -> BrokenLink | None:
        target, fragment = self.target_file(source, reference.strip())
        if target is None:
            return None
        if target == "../" or not (self.site_dir / target).is_file():
            return BrokenLink(source, reference, "missing file")
        if fragment and target.endswith(".html") and fragment not in self.page(target).anchors:
            return BrokenLink(source, reference, "missing anchor")
        return None


def find_broken_links(site_dir: Path, site_url: str = "") -> list[BrokenLink]:
    """Every reference in the site's pages, style sheets and sitemap.xml that does not resolve."""
    links = SiteLinks(site_dir, site_url)
    return sorted(_broken(links), key=lambda b: (b.source, b.reference))


def _broken(links: SiteLinks) -> Iterator[BrokenLink]:
    site_dir = links.site_dir
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        source = path.relative_to(site_dir).as_posix()
        suffix = path.suffix.lower()
        if suffix == ".html":
            references = links.page(source).references
        elif suffix == ".css":
            css = path.read_text(encoding="utf-8", errors="replace")
            references = [u for u in _CSS_URL.findall(css) if not u.startswith("data:")]
        elif source == "sitemap.xml" and links.site_url:
            references = _SITEMAP_LOC.findall(path.read_text(encoding="utf-8"))
        else:
            continue
        for reference in dict.fromkeys(references):  # each distinct reference once per file
            broken = links.check_reference(source, reference)
            if broken:
                yield broken
