"""MkDocs plugin `ifte`: routes MkDocs events to the core.

It loads the repository once per build, generates entry, listing and browse
pages as virtual files, sanitises entry HTML, and hands template data over.
Everything it computes comes from `build_tools` functions that never import
mkdocs, so another site engine could call the same core.
"""

from __future__ import annotations

import html
import json
import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from build_tools.attachments import MEDIA_TYPES
from build_tools.errors import IfteError
from build_tools.listings import FACETS, ListingPage, plan_facet_values, plan_listings
from build_tools.loader import ENTRIES_FOLDER, Catalog, load_repository
from build_tools.model import Entry
from build_tools.presentation import present_entry
from build_tools.problems import format_text
from build_tools.sanitize import sanitize_html
from build_tools.site import (
    PAGE_GENERATORS,
    POST_BUILD_EXPORTERS,
    GeneratedPage,
    SiteSettings,
    register_features,
)
from build_tools.thaidate import format_thai_date
from build_tools.vocabularies import VOCABULARY_FILE

log = logging.getLogger("mkdocs.plugins.ifte")

HOME_LATEST = 6


class IfteConfig(Config):
    entries_dir = opt.Type(str, default=ENTRIES_FOLDER)
    vocabularies = opt.Type(str, default=VOCABULARY_FILE)
    page_size = opt.Type(int, default=20)


def _front_matter(**meta: object) -> str:
    # JSON is valid YAML, so titles with colons or quotes need no escaping rules of our own.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


class IftePlugin(BasePlugin[IfteConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.catalog: Catalog | None = None
        self.pages: dict[str, Entry | ListingPage | GeneratedPage | str] = {}
        self.root = Path.cwd()
        self.settings = SiteSettings("", "", self.root)

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        return config

    # --- loading and generated files ---------------------------------------------------
    @event_priority(-50)  # after other plugins have added their files
    def on_files(self, files: Files, *, config) -> Files:
        try:
            self.catalog = load_repository(self.root)  # problems are reported, not raised
        except IfteError as error:
            raise PluginError(str(error)) from None
        self._report_problems(self.catalog)
        self.pages = {}
        for entry in self.catalog.entries:
            self._add_entry(files, config, entry)
        nav_uris = {"innovations/index.md", "best-practice/index.md", "browse/index.md"}
        for page in plan_listings(self.catalog.entries, self.catalog.vocabularies,
                                  self.config.page_size):
            self._add_page(files, config, page.src_uri, page, page.title, "listing.html",
                           in_nav=page.src_uri in nav_uris)
        self._add_page(files, config, "browse/index.md", "browse", "เรียกดูผลงาน", "browse.html",
                       in_nav=True)
        self.settings = SiteSettings(config.site_name, config.site_url or "", self.root,
                                     dict(config.extra))
        register_features()
        for generator in PAGE_GENERATORS:
            for item in generator(self.catalog, self.settings):
                if isinstance(item, GeneratedPage):
                    self._add_page(files, config, item.src_uri, item, item.title, item.template,
                                   in_nav=item.in_nav, body=item.body)
                else:
                    self._replace(files, item.uri)
                    files.append(File.generated(config, item.uri, content=item.content))
        return files

    @staticmethod
    def _replace(files: Files, src_uri: str) -> None:
        """A generated file wins over a hand-written one at the same place."""
        existing = files.get_file_from_path(src_uri)
        if existing:
            files.remove(existing)

    def _add_page(self, files, config, src_uri, data, title, template, in_nav=False, body=""):
        self._replace(files, src_uri)
        inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
        # Material prints meta.title unescaped in <title> and the header: escape it here.
        content = _front_matter(title=html.escape(title), template=template) + body
        files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
        self.pages[src_uri] = data

    def _add_entry(self, files: Files, config, entry: Entry) -> None:
        src_uri = f"{entry.url}index.md"
        self._add_page(files, config, src_uri, entry, entry.title, "innovation.html",
                       body=entry.body)
        # Attachments and images used in the body: every publishable file in the folder.
        for path in sorted(entry.folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in MEDIA_TYPES:
                relative = path.relative_to(entry.folder).as_posix()
                files.append(File.generated(config, f"{entry.url}{relative}",
                                            abs_src_path=str(path)))

    def _report_problems(self, catalog: Catalog) -> None:
        for problem in catalog.problems:
            (log.error if problem.is_error else log.warning)(format_text(problem))
        files = len({p.path for p in catalog.problems if p.is_error})
        if files:
            log.error(
                f"ผลงาน {files} ไฟล์มีข้อผิดพลาดและไม่ถูกนำขึ้นเว็บไซต์ — แก้ตามข้อความข้างบน "
                f"แล้วตรวจด้วย `ifte check` / {files} entry files have errors and are left off "
                "the site; fix them and run `ifte check`."
            )

    # --- pages ---------------------------------------------------------------------------
    def on_page_content(self, html: str, *, page, config, files) -> str:
        if isinstance(self.pages.get(page.file.src_uri), Entry):
            return sanitize_html(html)
        return html

    def on_page_context(self, context, *, page, config, nav):
        catalog = self.catalog
        if catalog is None:
            return context
        vocabularies = catalog.vocabularies
        site_name, site_url = config.site_name, config.site_url or ""

        def present(entry: Entry) -> dict:
            return present_entry(entry, vocabularies, site_name, site_url)

        data = self.pages.get(page.file.src_uri)
        if isinstance(data, GeneratedPage):
            context.update(data.context)
        elif isinstance(data, Entry):
            context["entry"] = present(data)
        elif isinstance(data, ListingPage):
            context["listing"] = data
            context["listing_entries"] = [present(e) for e in data.entries]
        elif data == "browse" or page.is_homepage:
            context["facets"] = [
                (facet, plan_facet_values(facet, catalog.entries, vocabularies))
                for facet in FACETS
            ]
        if page.is_homepage:
            context["latest_entries"] = [present(e) for e in catalog.entries[:HOME_LATEST]]
            best = [e for e in catalog.entries if e.is_best_practice][:HOME_LATEST]
            context["best_practice_entries"] = [present(e) for e in best]
            context["entry_count"] = len(catalog.entries)
        context["updated_thai"] = format_thai_date(
            max((e.updated for e in catalog.entries if e.updated), default=None)
        )
        return context

    def on_post_build(self, *, config) -> None:
        if self.catalog is None:
            return
        site_dir = Path(config.site_dir)
        for exporter in POST_BUILD_EXPORTERS:
            try:
                exporter(self.catalog, self.settings, site_dir)
            except IfteError as error:
                raise PluginError(str(error)) from None

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.root / self.config.entries_dir))
        server.watch(str(self.root / self.config.vocabularies))
        return server
