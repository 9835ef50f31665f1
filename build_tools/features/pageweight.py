"""Page weight: what a phone downloads to show a page, as a web server sends it.

Most visitors are on phones and the host allows 200 GB of transfer a month, so an
entry page (without its attachments) should transfer at most `ENTRY_BUDGET_BYTES`
compressed on a first visit, and little more than its HTML on the next page.

The weight of a page is its HTML plus what a browser fetches to render it: style
sheets, scripts, the icon, images in the page and the web fonts its text needs
(an @font-face whose unicode-range covers some of the page's characters). Text
files count gzip-compressed (shared hosts compress them); fonts and images are
already compressed and count as they are. `deploy.budget` measures the raw size
against the disk quota; this module measures the transfer per page kind.
"""

from __future__ import annotations

import gzip
import os
import pickle
import posixpath
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from build_tools.core.cache import RACY_NS, FolderListings, store_folder
from build_tools.core.writing import write_bytes_atomic
from build_tools.deploy.budget import format_bytes

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog
    from build_tools.core.site import SiteSettings

ENTRY_BUDGET_BYTES = 150 * 1000  # first visit, compressed, attachments excluded
TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".csv")
GZIP_LEVEL = 6  # what Apache mod_deflate and nginx use by default

_TAG = re.compile(r"<(/?picture|link|script|img|source)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_UNICODE_RANGE = re.compile(r"unicode-range\s*:\s*([^;]+)", re.IGNORECASE)
_RANGE = re.compile(r"U\+([0-9A-Fa-f?]+)(?:-([0-9A-Fa-f]+))?")
_TAGS_AND_SCRIPTS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.DOTALL)
_ITALIC_TAGS = re.compile(r"<(em|i|cite|var|dfn)\b", re.IGNORECASE)
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".svg")
_ENTRY_PAGE = re.compile(r"^innovations/\d{4}/[^/]+/index\.html$")
# What the last report found, kept in the project cache: transfer sizes of files whose
# times say they did not change since, the rough weight of each page under the key it
# was built with, and the folder listings of the site.
MEMORY_FILE = "page-weight.pickle"
FOLDER_MEMORY = "site-folders.pickle"


@dataclass(frozen=True)
class FontFace:
    url: str  # site-relative path of the font file
    italic: bool
    ranges: tuple[tuple[int, int], ...]  # empty = every character

    def covers(self, codepoints: set[int]) -> bool:
        if not self.ranges:
            return True
        return any(low <= c <= high for c in codepoints for low, high in self.ranges)


@dataclass(frozen=True)
class PageWeight:
    path: str  # site-relative HTML file
    kind: str  # see `classify_page`
    html_bytes: int  # compressed
    first_visit_bytes: int  # HTML + everything it loads, empty cache
    next_page_bytes: int  # arriving from the home page: what the home page did not load
    resources: tuple[str, ...]  # site-relative paths of what the page loads


@dataclass(frozen=True)
class PageWeightReport:
    pages: tuple[PageWeight, ...]  # heaviest first (first visit)
    by_kind: tuple[PageWeight, ...]  # the heaviest page of each kind
    page_count: int
    budget_bytes: int = ENTRY_BUDGET_BYTES
    over_budget: tuple[PageWeight, ...] = ()


@dataclass
class WeighingMemory:
    """What one report found, for the next: transfer sizes, each under its file's size
    and time, so the same style sheets and pages are not compressed again; each keyed
    page's rough weight (`_walk_pages`), and what the weighed pages load, under the key
    the page was built with, so a page built again under the same key (which makes the
    same bytes) is not looked at again."""

    transfers: dict[str, tuple[int, int, int]]
    trusted_before: int = 0  # times after this are too recent to trust
    pages: dict[str, tuple[str, int, bool]] = field(default_factory=dict)  # key, weight, alone
    resources: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # key, …

    @classmethod
    def load(cls, path: Path | None) -> WeighingMemory:
        memory = cls({}, time.time_ns() - RACY_NS)
        if path is None:
            return memory
        try:
            memory.transfers, memory.pages, memory.resources = pickle.loads(path.read_bytes())
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError):
            pass  # unreadable, or of classes no longer here: none
        return memory

    def known_resources(self, page: str, key: str | None) -> tuple[str, ...] | None:
        """What `page` loads, if it was weighed when last built under `key`."""
        known = self.resources.get(page)
        return known[1] if key and known and known[0] == key else None

    def save(self, path: Path | None, transfers: dict, pages: dict, resources: dict) -> None:
        """Keep what this report found, unless it is what the last one found."""
        found = (transfers, pages, resources)
        if path is None or found == (self.transfers, self.pages, self.resources):
            return
        data = pickle.dumps(found, pickle.HIGHEST_PROTOCOL)
        try:
            write_bytes_atomic(path, data)
        except OSError:
            pass  # a read-only checkout still reports, just without the memory


class SiteFiles:
    """Sizes, compressed sizes and parsed style sheets of one built site, computed once."""

    def __init__(self, site_dir: Path, memory: WeighingMemory | None = None) -> None:
        self.site_dir = Path(site_dir)
        self._transfer: dict[str, int] = {}
        self._faces: dict[str, tuple[FontFace, ...]] = {}
        self.memory = memory or WeighingMemory({})
        self.remembered: dict[str, tuple[int, int, int]] = {}  # for the next report

    def exists(self, path: str) -> bool:
        return (self.site_dir / path).is_file()

    def transfer_size(self, path: str) -> int:
        """Bytes on the wire: gzip for text files, as is for fonts, images and PDFs."""
        if path not in self._transfer:
            full = f"{self.site_dir}{os.sep}{path}"
            stat = os.stat(full)
            known = self.memory.transfers.get(path)
            if known and known[:2] == (stat.st_size, stat.st_mtime_ns):
                size = known[2]
            elif path.lower().endswith(TEXT_SUFFIXES):
                with open(full, "rb") as file:
                    size = len(gzip.compress(file.read(), GZIP_LEVEL, mtime=0))
            else:
                size = stat.st_size
            if stat.st_mtime_ns < self.memory.trusted_before:
                self.remembered[path] = (stat.st_size, stat.st_mtime_ns, size)
            self._transfer[path] = size
        return self._transfer[path]

    def font_faces(self, stylesheet: str) -> tuple[FontFace, ...]:
        """The web fonts a style sheet declares. (Material's icons are inline SVG data URLs,
        so fonts are the only files our style sheets make a browser fetch.)"""
        if stylesheet not in self._faces:
            css = (self.site_dir / stylesheet).read_text(encoding="utf-8", errors="replace")
            faces = []
            for block in _FONT_FACE.findall(css):
                urls = _CSS_URL.findall(block)
                woff2 = [u for u in urls if u.split("?")[0].endswith(".woff2")]
                target = resolve_reference(stylesheet, (woff2 or urls)[0]) if urls else None
                if target and self.exists(target):
                    faces.append(FontFace(target, "italic" in block.lower(), _read_ranges(block)))
            self._faces[stylesheet] = tuple(faces)
        return self._faces[stylesheet]


def _read_ranges(block: str) -> tuple[tuple[int, int], ...]:
    match = _UNICODE_RANGE.search(block)
    if not match:
        return ()
    ranges = []
    for start, end in _RANGE.findall(match.group(1)):
        if "?" in start:  # U+4?? = U+400-4FF
            ranges.append((int(start.replace("?", "0"), 16), int(start.replace("?", "F"), 16)))
        else:
            ranges.append((int(start, 16), int(end or start, 16)))
    return tuple(ranges)


def resolve_reference(page: str, reference: str) -> str | None:
    """A reference in `page` as a site-relative path, or None when it leaves the site."""
    reference = reference.split("#", 1)[0].split("?", 1)[0].strip()
    if not reference or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", reference):
        return None
    if reference.startswith("/"):
        return reference.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), reference))


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _ATTR.finditer(text)
    }


def plan_page_resources(files: SiteFiles, page: str, html: str) -> tuple[str, ...]:
    """Same-site files a browser fetches to render `page` (HTML given as text)."""
    found: list[str] = []
    stylesheets: list[str] = []
    in_picture = False
    # A <picture>'s sources are fetched (or not) as its <img> is; a browser that shows
    # WebP (every current one) takes its picture from the first source, never the
    # img's fallback, and one of the source's candidates: all are counted.
    sources: list[str] = []
    for tag, raw in _TAG.findall(html):
        attrs = _attributes(raw)
        tag = tag.lower()
        references: list[str] = []
        if tag in ("picture", "/picture"):
            in_picture, sources = tag == "picture", []
            continue
        if tag == "link":
            rel = attrs.get("rel", "").lower().split()
            if "stylesheet" in rel or "icon" in rel or "preload" in rel:
                references.append(attrs.get("href", ""))
        elif tag == "img" and attrs.get("loading", "").lower() == "lazy":
            sources = []
            continue  # fetched when scrolled into view, not on arrival
        elif tag in ("script", "img", "source"):
            references.append(attrs.get("src", ""))
            references += [
                c.strip().split()[0] for c in attrs.get("srcset", "").split(",") if c.strip()
            ]
            if tag == "source" and in_picture:
                sources = sources or references
                continue
            if tag == "img" and sources:
                references, sources = sources, []
        for reference in references:
            target = resolve_reference(page, reference)
            if target and files.exists(target) and target not in found:
                found.append(target)
                if tag == "link" and target.endswith(".css"):
                    stylesheets.append(target)
    text = _TAGS_AND_SCRIPTS.sub(" ", html)
    codepoints = {ord(c) for c in set(text)}
    italic = bool(_ITALIC_TAGS.search(html))
    for stylesheet in stylesheets:
        for face in files.font_faces(stylesheet):
            if (italic or not face.italic) and face.covers(codepoints) and face.url not in found:
                found.append(face.url)
    return tuple(found)


def classify_page(path: str, listing_folders: Iterable[str] = ()) -> str:
    """Page kind for the report: home, entry, listing, browse, 404 or page."""
    if path == "index.html":
        return "home"
    if path == "404.html":
        return "404"
    if _ENTRY_PAGE.match(path):
        return "entry"
    top = path.split("/", 1)[0]
    if top == "browse":
        return "browse"
    if top in {"innovations", "best-practice", *listing_folders}:
        return "listing"
    return "page"


def measure_page(
    files: SiteFiles,
    page: str,
    kind: str,
    shared: frozenset[str],
    resources: tuple[str, ...] | None = None,
) -> PageWeight:
    """A page's weight; `resources`, what it loads, if known (else read from the page)."""
    if resources is None:
        html = (files.site_dir / page).read_text(encoding="utf-8", errors="replace")
        resources = plan_page_resources(files, page, html)
    html_bytes = files.transfer_size(page)
    loads = sum(files.transfer_size(r) for r in resources)
    fresh = sum(files.transfer_size(r) for r in resources if r not in shared)
    return PageWeight(page, kind, html_bytes, html_bytes + loads, html_bytes + fresh, resources)


class _Walked(NamedTuple):
    page: str
    weight: int  # raw HTML plus the images in its folder
    alone: bool  # the only page of its folder, which has no folders: a folder of its own


def _walk_pages(
    site_dir: Path, listings: FolderListings | None = None, alone: Mapping[str, int] | None = None
) -> list[_Walked]:
    """Every HTML page with a cheap ranking weight (no reading, no gzip): raw HTML plus the
    images beside it, which is where an entry keeps its photos; only the heaviest are
    weighed. `listings` may remember folders from the last report. `alone` gives the
    weight of pages (in a folder of their own) built as when last weighed: their folders
    are not looked into. It runs while the exporters write their own (non-HTML) files,
    so what vanishes is passed over."""
    listings = FolderListings() if listings is None else listings
    alone = alone or {}
    pages = []
    folders = [(str(site_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        items = listings(folder)
        html, images = [], 0
        for name, kind in items:
            try:
                if kind == "d":
                    page = f"{prefix}{name}/index.html"
                    if page in alone:
                        pages.append(_Walked(page, alone[page], True))
                    else:
                        folders.append((f"{folder}/{name}", f"{prefix}{name}/"))
                elif name.endswith(".html"):
                    html.append((prefix + name, os.stat(f"{folder}/{name}").st_size))
                elif name.lower().endswith(_IMAGE_SUFFIXES):
                    images += os.stat(f"{folder}/{name}").st_size
            except FileNotFoundError:
                continue
        if not prefix:  # the site's top folder holds no entry's photos
            images = 0
        single = len(html) == 1 and html[0][0].endswith("/index.html")
        single = single and not any(kind == "d" for _, kind in items)
        pages += [_Walked(page, size + images, single) for page, size in html]
    return sorted(pages)


def report_page_weight(
    site_dir: Path,
    top: int = 10,
    listing_folders: Iterable[str] = (),
    candidates_per_kind: int = 20,
    memory: Path | None = None,
    page_keys: Mapping[str, str] | None = None,
) -> PageWeightReport:
    """Weigh a built site's pages: the heaviest first, and the heaviest of each kind.
    With a `memory` folder, what this report finds is kept there for the next one.
    `page_keys` gives the key each page was built under: a page built under the key it
    had at the last report has the same bytes, and the same files beside it (so a page in
    a folder of its own is not looked at again). Pages not in it are looked at every time."""
    site_dir = Path(site_dir)
    weighed = WeighingMemory.load(memory / MEMORY_FILE if memory else None)
    files = SiteFiles(site_dir, weighed)
    folders = tuple(listing_folders)
    listings = FolderListings(memory / FOLDER_MEMORY if memory else None)
    keys = page_keys or {}
    alone = {
        page: weight
        for page, (key, weight, single) in weighed.pages.items()
        if single and keys.get(page) == key
    }
    pages = _walk_pages(site_dir, listings, alone)
    shared: frozenset[str] = frozenset()
    if (site_dir / "index.html").is_file():  # the home page's files are cached afterwards
        home_html = (site_dir / "index.html").read_text(encoding="utf-8", errors="replace")
        shared = frozenset(plan_page_resources(files, "index.html", home_html))
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for page, rough, _ in pages:
        by_kind.setdefault(classify_page(page, folders), []).append((-rough, page))
    weights = [
        measure_page(files, page, kind, shared, weighed.known_resources(page, keys.get(page)))
        for kind, ranked in by_kind.items()
        for _, page in sorted(ranked)[:candidates_per_kind]
    ]
    weights.sort(key=lambda w: (-w.first_visit_bytes, w.path))
    heaviest_by_kind: dict[str, PageWeight] = {}
    for weight in weights:
        heaviest_by_kind.setdefault(weight.kind, weight)
    weighed.save(
        memory / MEMORY_FILE if memory else None,
        files.remembered,
        {page: (keys[page], weight, single) for page, weight, single in pages if page in keys},
        {w.path: (keys[w.path], w.resources) for w in weights if w.path in keys},
    )
    listings.save()
    return PageWeightReport(
        pages=tuple(weights[:top]),
        by_kind=tuple(sorted(heaviest_by_kind.values(), key=lambda w: w.kind)),
        page_count=len(pages),
        over_budget=tuple(
            w for w in weights if w.kind == "entry" and w.first_visit_bytes > ENTRY_BUDGET_BYTES
        ),
    )


def format_page_weight(report: PageWeightReport) -> str:
    """The block the build prints: Thai first, English alongside."""
    lines = [
        f"น้ำหนักหน้าเว็บ (บีบอัด gzip) {report.page_count:,} หน้า / "
        f"Page weight (gzip-compressed), {report.page_count:,} pages:",
        "  หนักสุดของแต่ละประเภท / heaviest of each kind — "
        "ครั้งแรก / first visit · หน้าถัดไป / next page:",
    ]
    lines += [
        f"  {w.kind:<8} {format_bytes(w.first_visit_bytes):>9} · "
        f"{format_bytes(w.next_page_bytes):>9}  {w.path}"
        for w in report.by_kind
    ]
    lines.append("  หน้าที่หนักที่สุด / heaviest pages (first visit):")
    lines += [
        f"  {format_bytes(w.first_visit_bytes):>9}  {w.path}  (HTML {format_bytes(w.html_bytes)})"
        for w in report.pages
    ]
    if report.over_budget:
        lines.append(
            f"  หน้าผลงาน {len(report.over_budget)} หน้าเกินงบ {format_bytes(report.budget_bytes)} "
            f"(ย่อรูปในเนื้อหา) / {len(report.over_budget)} entry pages are over the "
            f"{format_bytes(report.budget_bytes)} budget (shrink their images): "
            + ", ".join(w.path for w in report.over_budget[:5])
        )
    return "\n".join(lines)


def export_page_weight_report(
    catalog: Catalog, settings: SiteSettings, site_dir: Path, page_keys: Mapping[str, str]
) -> str:
    """Post-build report (`site.POST_BUILD_REPORTS`): the text, which the site adapter logs.
    It only reads the built pages, so it may run beside the exporters. Not in a live
    preview: weighing thousands of pages on every save would delay the edited page."""
    from build_tools.pages.listings import FACETS

    if settings.preview:
        return ""
    report = report_page_weight(
        site_dir,
        listing_folders=[f.kind for f in FACETS],
        memory=store_folder(settings.root),
        page_keys=page_keys,
    )
    return format_page_weight(report)
