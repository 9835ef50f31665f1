"""What the site is made of, independent of the site engine.

Feature modules (statistics, open data, search, submission form, government
pages, …) contribute through these registries, so the MkDocs adapter never grows
feature code and a feature never touches the adapter:

- `PAGE_GENERATORS`: functions `(catalog, settings) -> Iterable[GeneratedPage | GeneratedFile]`,
  run while the site's files are collected (pages rendered with our templates, or
  plain files such as CSV and JSON).
- `POST_BUILD_EXPORTERS`: functions `(catalog, settings, site_dir) -> str | None`, run in
  order after every page is written (the search export, then its facets, which record
  the export's version); a returned text is logged.
- `POST_BUILD_REPORTS`: the same, for functions that only read the built pages (page
  weight), run after the exporters. They are also given the key of each page built
  with one (`{output path: key}`): a page built under the key it had at an earlier
  build has the same bytes.
- `ENTRY_EXTRAS`: functions `(catalog, settings) -> {entry_id: EntryData}` adding
  template data to entry pages (related entries, JSON-LD). They run once per build, before
  pages are planned, because the data's key is part of each page's rebuild key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog


@dataclass(frozen=True)
class SiteSettings:
    """The site-wide settings a feature may read (from mkdocs.yml `site_*` and `extra`)."""

    site_name: str
    site_url: str  # absolute, with a trailing slash, or "" when unknown
    root: Path  # project root
    extra: Mapping = field(default_factory=dict)  # mkdocs.yml `extra:` (office, gdcatalog, …)
    # A live preview (`mkdocs serve`): whole-catalogue results (related entries, the search
    # export) may come from the last build instead of being recomputed for every save.
    preview: bool = False


@dataclass(frozen=True)
class GeneratedPage:
    """A page rendered with one of our templates; `context` is added to its template data."""

    src_uri: str  # e.g. "stats/index.md" → /stats/
    title: str
    template: str
    context: Mapping = field(default_factory=dict)
    in_nav: bool = False
    body: str = ""  # Markdown rendered into page.content


@dataclass(frozen=True)
class GeneratedFile:
    """A plain file copied into the site as is (CSV, JSON, SVG, …).

    With a `key` (a hash of everything the content is made from), an incremental build
    that finds the file made under the same key keeps it and never makes the content:
    `content` may then be a function that makes it.
    """

    uri: str  # e.g. "data/innovations.csv"
    content: bytes | str | Callable[[], bytes | str]
    key: str = ""

    def make(self) -> bytes | str:
        return self.content() if callable(self.content) else self.content


Generated = GeneratedPage | GeneratedFile
PageGenerator = Callable[["Catalog", SiteSettings], Iterable[Generated]]
PostBuildExporter = Callable[["Catalog", SiteSettings, Path], "str | None"]
PostBuildReport = Callable[["Catalog", SiteSettings, Path, Mapping[str, str]], "str | None"]


@dataclass(frozen=True)
class EntryData:
    """Template data an `ENTRY_EXTRAS` provider adds to one entry page: `data()` makes it,
    and is called only when the page is rendered; `key` says what it is made from besides
    the entry itself (other entries' fingerprints, this code), so the page's rebuild key
    need not make and hash the data of 20,000 pages."""

    data: Callable[[], Mapping[str, object]]
    key: str


EntryExtras = Callable[["Catalog", SiteSettings], Mapping[str, EntryData]]

PAGE_GENERATORS: list[PageGenerator] = []
POST_BUILD_EXPORTERS: list[PostBuildExporter] = []
POST_BUILD_REPORTS: list[PostBuildReport] = []
ENTRY_EXTRAS: list[EntryExtras] = []
