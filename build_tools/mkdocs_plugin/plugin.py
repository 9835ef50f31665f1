"""MkDocs plugin `ifte`: routes MkDocs events to the core.

It loads the repository once per build, plans entry, listing and feature pages
as virtual files, sanitises entry HTML and hands template data over. With
`incremental: true` (what `ifte build` sets) pages whose rebuild key is
unchanged are not rendered again. Everything it computes comes from
`build_tools` functions that never import mkdocs.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import os
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from build_tools.attachments import find_regular_file
from build_tools.cache import (
    CACHE_FOLDER,
    build_fingerprint,
    can_hold_locks,
    hold_lock,
    remove_retired_caches,
    store_folder,
)
from build_tools.deploy.stamp import remove_build_stamp, write_build_stamp
from build_tools.errors import IfteError
from build_tools.home import plan_home
from build_tools.images import WEB_IMAGE_CACHE, is_image, prepare_web_image
from build_tools.incremental import (
    MANIFEST_NAME,
    PREVIEW_MANIFEST_NAME,
    TEMPORARY_PREVIEW_MANIFEST_NAME,
    BuildManifest,
    mark_writing,
    output_path,
    page_key,
    plan_card_keys,
    plan_stale_outputs,
    remove_stale_outputs,
    site_salt,
    text_key,
    unchanged,
)
from build_tools.listings import (
    ListingPage,
    look_up_entries,
    plan_facet_counts_cached,
    plan_listing_ids_cached,
)
from build_tools.loader import ENTRIES_FOLDER, Catalog, load_repository
from build_tools.mkdocs_plugin.build import DirtyNotice
from build_tools.mkdocs_plugin.parallel import (
    ELSEWHERE_TEMPLATE,
    MIN_SHARED_PAGES,
    ExporterWorker,
    PageWorker,
    can_fork,
)
from build_tools.model import Entry
from build_tools.placeholders import find_example_values, format_example_values
from build_tools.presentation import present_card, present_entry
from build_tools.problems import format_text, make_problem
from build_tools.registry import register_features
from build_tools.rendering import (
    MarkdownSettings,
    RenderedBody,
    prune_body_cache,
    render_bodies,
    render_new_bodies,
)
from build_tools.sanitize import sanitize_html
from build_tools.site import (
    BACKGROUND_EXPORTERS,
    ENTRY_EXTRAS,
    PAGE_GENERATORS,
    POST_BUILD_EXPORTERS,
    POST_BUILD_REPORTS,
    EntryData,
    GeneratedFile,
    GeneratedPage,
    SiteSettings,
)
from build_tools.sitemap import compress_reproducibly, format_sitemap
from build_tools.thai import format_word_breaks
from build_tools.thaidate import format_thai_date
from build_tools.vocabularies import VOCABULARY_FILE
from build_tools.workers import ThenFinish, run_beside, settled_heap, wait_beside
from build_tools.writing import write_bytes_atomic, write_text_atomic

log = logging.getLogger("mkdocs.plugins.ifte")

NAV_LISTINGS = {"innovations/index.md", "best-practice/index.md", "browse/index.md"}
# Where `make serve` builds (under CACHE_FOLDER), kept from one session to the next.
PREVIEW_SITE = "preview-site"


class IfteConfig(Config):
    entries_dir = opt.Type(str, default=ENTRIES_FOLDER)
    vocabularies = opt.Type(str, default=VOCABULARY_FILE)
    page_size = opt.Type(int, default=20)
    incremental = opt.Type(bool, default=False)


@dataclass
class PlannedPage:
    src_uri: str
    data: object  # Entry, ListingPage, GeneratedPage or "browse"
    title: str
    template: str
    in_nav: bool = False
    body: str = ""
    key: str = ""  # "" = always rendered


class _PageWithoutMarkdown(Page):
    """A planned page with no Markdown of its own: its HTML is an entry's rendered body
    (`on_page_content`) or its template's. MkDocs builds a converter with every Markdown
    extension for each page, even to convert nothing: at 20,000 entries, a fifth of a full
    build. This sets what converting nothing gives; a page that a plugin gave Markdown is
    converted as usual."""

    def render(self, config, files) -> None:
        if self.markdown and self.markdown.strip():
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def _jinja_cache(root: Path) -> Path:
    folder = store_folder(root) / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _front_matter(**meta: object) -> str:
    # JSON is valid YAML, so titles with colons or quotes need no escaping rules of our own.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


class IftePlugin(BasePlugin[IfteConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.catalog: Catalog | None = None
        self.pages: dict[str, object] = {}
        self.views: dict[str, dict] = {}
        self.bodies: dict[str, RenderedBody] = {}
        self.extras: dict[str, list[EntryData]] = {}
        self.keys: dict[str, str] = {}
        self.listing_ids: dict[str, tuple[str, ...]] = {}
        self.file_keys: dict[str, str] = {}
        self.previous = BuildManifest()
        self.expected_outputs: set[str] = set()
        self.sitemap_pages: list[tuple[str, object]] = []
        self.root = Path.cwd()
        self.settings = SiteSettings("", "", self.root)
        self.timings: dict[str, float] = {}
        self.rendered = self.skipped = 0
        self.preview = self.preview_incremental = False
        # The kept preview folder's lock: None before the first try, False if not held.
        self.preview_lock: IO | None | bool = None
        self.nav = None
        self.worker: PageWorker | None = None
        self.background: ExporterWorker | None = None
        self.site_dir: Path | None = None

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup also keeps this instance (and what it loaded) across the
        # rebuilds of `mkdocs serve`.
        self.preview = command == "serve"
        # `mkdocs serve --dirty` (what `make serve` runs) keeps its folder between saves,
        # so unchanged pages need not be rendered again.
        self.preview_incremental = self.preview and dirty
        if self.preview_incremental:
            logging.getLogger("mkdocs.commands.build").addFilter(DirtyNotice())

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        # The theme's sitemap lists every page through a template; ours (on_post_build)
        # replaces it, so rendering it first is wasted time at thousands of pages.
        config.theme.static_templates.discard("sitemap.xml")
        # What pages show as the office's contacts must not be a sample. (site_url is
        # checked by `ifte deploy`: a preview or test build may well run under a sample one.)
        examples = list(find_example_values(dict(config.extra), "extra"))
        if examples:
            log.warning(format_example_values(examples, "mkdocs.yml"))
        if self.preview_incremental:
            self.config.incremental = True
            folder = self._preview_site()
            if folder:
                config.site_dir = str(folder)
        return config

    def _preview_site(self) -> Path | None:
        """`make serve`'s own folder, kept between sessions, so that a new session renders
        only what changed since the last one, not every page again in a new temporary
        folder. None (MkDocs' temporary folder) while another session holds it, or where
        it cannot be locked."""
        if self.preview_lock is None:  # the session's first build
            self.preview_lock = False
            if can_hold_locks():  # not on Windows: there every session builds as MkDocs does
                lock = hold_lock(self.root / CACHE_FOLDER / f"{PREVIEW_SITE}.lock")
                self.preview_lock = lock or False
                if not lock:
                    log.info(
                        "มีตัวอย่างสดอีกชุดใช้โฟลเดอร์เก็บหน้าอยู่ จึงสร้างทุกหน้าในโฟลเดอร์ชั่วคราว / "
                        "another preview holds the kept folder: this one builds in a temporary one"
                    )
        return self.root / CACHE_FOLDER / PREVIEW_SITE if self.preview_lock else None

    @property
    def _manifest_name(self) -> str:
        if not self.preview:
            return MANIFEST_NAME
        # A preview in a temporary folder (another session holds the kept one, or
        # `mkdocs serve` without --dirty) keeps its record apart from the kept folder's.
        return PREVIEW_MANIFEST_NAME if self.preview_lock else TEMPORARY_PREVIEW_MANIFEST_NAME

    def on_pre_build(self, *, config) -> None:
        # Until this build finishes (on_post_build), the folder is not a deployable build.
        self.site_dir = Path(config.site_dir)
        remove_build_stamp(self.site_dir)

    # --- loading and planning ----------------------------------------------------------
    @event_priority(-50)  # after other plugins have added their files
    def on_files(self, files: Files, *, config) -> Files:
        with settled_heap():  # the catalogue and the plan live until the build ends
            return self._collect_files(files, config)

    def _collect_files(self, files: Files, config) -> Files:
        started = time.perf_counter()
        try:
            remove_retired_caches(self.root)
            # Problems are reported, not raised.
            self.catalog = catalog = load_repository(self.root, fork=can_fork(self.preview))
        except IfteError as error:
            raise PluginError(str(error)) from None
        self._report_problems(catalog)
        self.timings = {"load": time.perf_counter() - started}

        started = time.perf_counter()
        self.settings = SiteSettings(
            config.site_name, config.site_url or "", self.root, dict(config.extra), self.preview
        )
        site_dir = Path(config.site_dir)
        register_features()
        self.background = None
        self.salt = self._salt(config)
        self.previous = BuildManifest.load(self.root, self._manifest_name)
        try:
            # The generators, and an entry extras provider that starts work in a second
            # process, run beside what needs neither: the listing pages.
            generating = run_beside(self._generate, catalog, site_dir, fork=can_fork(self.preview))
            pending = [provider(catalog, self.settings) for provider in ENTRY_EXTRAS]
            self.timings["extras"] = time.perf_counter() - started
            started = time.perf_counter()
            self.views = {}
            listing_pages = self._plan_listing_pages(catalog)
            self.timings["plan"] = time.perf_counter() - started
            # Bodies no build has rendered (all of them in a fresh clone) are rendered
            # while the search analysis goes on beside.
            started = time.perf_counter()
            self.markdown_settings = MarkdownSettings(
                tuple(config.markdown_extensions), dict(config.mdx_configs or {})
            )
            early = render_new_bodies(catalog.entries, self.markdown_settings, self.root)
            self.timings["bodies"] = time.perf_counter() - started
            started = time.perf_counter()
            self.extras = {}
            for extras in pending:
                for entry_id, extra in (extras() if callable(extras) else extras).items():
                    self.extras.setdefault(entry_id, []).append(extra)
            self.timings["extras"] += time.perf_counter() - started
            # The extras brought the search pack up to date: the exporters can start.
            self.background = ExporterWorker(
                BACKGROUND_EXPORTERS, catalog, self.settings, site_dir, fork=can_fork(self.preview)
            )
            started = time.perf_counter()
            generated, self.timings["generators"] = generating()
            self.timings["generators (waited)"] = time.perf_counter() - started
        except IfteError as error:  # a wrong setting or data file: a message, no traceback
            raise PluginError(str(error)) from None
        started = time.perf_counter()
        planned = self._plan_entry_pages(catalog) + listing_pages
        self.keys = {p.src_uri: p.key for p in planned if p.key}
        skip = set()
        if self.config.incremental:
            # Pages in the navigation are always rendered: MkDocs resolves the nav from them.
            keys = {p.src_uri: p.key for p in planned if p.key and not p.in_nav}
            skip = unchanged(self.previous, self.salt, site_dir, keys)
            self._always_render_hand_written_pages(files, config)
        self.timings["plan"] += time.perf_counter() - started
        started = time.perf_counter()
        rendering = [
            page.data
            for page in planned
            if isinstance(page.data, Entry)
            and page.src_uri not in skip
            and page.data.id not in early
        ]
        try:
            self.bodies = early | render_bodies(rendering, self.markdown_settings, self.root)
        except IfteError as error:  # a body that takes too long: its file named, no traceback
            raise PluginError(str(error)) from None
        self.timings["bodies"] += time.perf_counter() - started
        self.pages = {}
        self.expected_outputs = set()
        # Before any page is written: a build that does not finish leaves this note.
        mark_writing(
            self.root,
            self._manifest_name,
            "pages",
            pages=(page.src_uri for page in planned if page.src_uri not in skip),
        )
        by_id = {entry.id: entry for entry in catalog.entries}
        for page in planned:
            self.expected_outputs.add(output_path(page.src_uri))
            if page.src_uri in skip:
                continue
            if isinstance(page.data, Entry) and page.data.id not in self.bodies:
                page.body = page.data.body  # MkDocs renders it (it links to .md files)
            elif isinstance(page.data, ListingPage):
                page.data = look_up_entries(page.data, self.listing_ids[page.src_uri], by_id)
            self._add_page(files, config, page)  # others: on_page_content puts it in
        started = time.perf_counter()
        for entry in catalog.entries:
            self._add_attachments(files, config, entry)
        self.rendered, self.skipped = len(planned) - len(skip), len(skip)
        self.timings["attachments"] = time.perf_counter() - started

        self.file_keys = {}
        for item in generated:
            if isinstance(item, GeneratedPage):
                self._add_page(
                    files,
                    config,
                    PlannedPage(
                        item.src_uri, item, item.title, item.template, item.in_nav, item.body
                    ),
                )
                self.expected_outputs.add(output_path(item.src_uri))
            else:
                uri, key = item
                self._replace(files, uri)
                self.expected_outputs.add(uri)
                if key:
                    self.file_keys[uri] = key
        self.sitemap_pages = [
            (f.url, None) for f in files.documentation_pages() if f.src_uri not in self.keys
        ]
        self.sitemap_pages += [
            (
                page.src_uri[: -len("index.md")],
                page.data.updated if isinstance(page.data, Entry) else None,
            )
            for page in planned
            if page.key
        ]
        self._render_started = time.perf_counter()
        return files

    def _generate(self, catalog: Catalog, site_dir: Path) -> ThenFinish:
        """Run the page generators: their pages, their files as (uri, key), and the seconds
        it took (it may run in a second process). The files are made and written after
        that result is given (`workers.ThenFinish`), while the build goes on: 20,000
        per-entry files take a build that makes them all 10-20 s.

        MkDocs would rewrite every generated file, and there are thousands: a file made
        before under the same key, or whose content is already in the site folder, is
        left as it is. The others are written here, not handed back to be written: the
        catalogue files alone are 76 MB at 20,000 entries."""
        started = time.perf_counter()
        generated: list[GeneratedPage | tuple[str, str]] = []
        making: list[GeneratedFile] = []
        for generator in PAGE_GENERATORS:
            for item in generator(catalog, self.settings):
                if isinstance(item, GeneratedPage):
                    generated.append(item)
                    continue
                generated.append((item.uri, item.key))
                if not self._made_before(item, site_dir):
                    making.append(item)

        def write() -> None:
            mark_writing(self.root, self._manifest_name, "files", files=(i.uri for i in making))
            for item in making:
                content = item.make()
                data = content.encode() if isinstance(content, str) else content
                write_bytes_atomic(site_dir / item.uri, data)  # left alone if it holds it

        seconds = time.perf_counter() - started
        return ThenFinish((generated, seconds), write)

    def _made_before(self, item: GeneratedFile, site_dir: Path) -> bool:
        """Whether an incremental build can keep, without making it, the file the last
        build wrote under the same key."""
        return (
            self.config.incremental
            and bool(item.key)
            and self.previous.site_dir == str(site_dir)
            and self.previous.files.get(item.uri) == item.key
            and os.path.isfile(f"{site_dir}{os.sep}{item.uri}")
        )

    def _present(self, entry: Entry) -> dict:
        view = self.views.get(entry.id)
        if view is None:
            view = present_entry(
                entry, self.catalog.vocabularies, self.settings.site_name, self.settings.site_url
            )
            self.views[entry.id] = view
        return view

    def _plan_entry_pages(self, catalog: Catalog) -> list[PlannedPage]:
        planned = []
        site = (self.settings.site_name, self.settings.site_url)
        for entry in catalog.entries:
            # An entry page shows what its entry (the fingerprint), the settings and the extras
            # (their keys) make through the code and theme, which the site salt covers: no
            # need to present every entry to know which pages changed.
            extra_keys = [extra.key for extra in self.extras.get(entry.id, ())]
            key = text_key(catalog.fingerprints[entry.id], *site, *extra_keys)
            planned.append(
                PlannedPage(
                    f"{entry.url}index.md",
                    entry,
                    entry.title,
                    "innovation.html",
                    key=key,
                )
            )
        return planned

    def _plan_listing_pages(self, catalog: Catalog) -> list[PlannedPage]:
        """Listing pages (and /browse/), keyed by their entries' cards: no entry extras."""
        planned = []
        site = (self.settings.site_name, self.settings.site_url)
        cards = plan_card_keys(
            catalog.entries,
            catalog.fingerprints,
            self._present,
            self.root,
            page_key(build_fingerprint(), site),
        )
        self.listing_ids = {}  # the entries of a listing are looked up if it is rendered
        for listing, ids in plan_listing_ids_cached(catalog, self.config.page_size):
            key = text_key(
                listing.title,
                listing.title_en,
                listing.url,
                f"{listing.page_number} {listing.page_count} {listing.total}",
                *[cards[i] for i in ids],
            )
            self.listing_ids[listing.src_uri] = ids
            planned.append(
                PlannedPage(
                    listing.src_uri,
                    listing,
                    listing.title,
                    "listing.html",
                    in_nav=listing.src_uri in NAV_LISTINGS,
                    key=key,
                )
            )
        planned.append(
            PlannedPage("browse/index.md", "browse", "เรียกดูผลงาน", "browse.html", in_nav=True)
        )
        return planned

    def _salt(self, config) -> str:
        """Everything that shapes every page: theme, settings, content pages, and the code
        and installed packages (`build_fingerprint`)."""
        paths = [
            self.root / "theme",
            Path(config.config_file_path),
            Path(config.docs_dir),
            self.root / self.config.vocabularies,
        ]
        return site_salt(
            paths,
            build_fingerprint(),
        )

    @staticmethod
    def _always_render_hand_written_pages(files: Files, config) -> None:
        """MkDocs' dirty mode skips pages whose source file is older than the output, but the
        home page shows the latest entries: hand-written pages are few, render them all."""
        for file in list(files.documentation_pages()):
            if file.abs_src_path and not file.generated_by:
                files.remove(file)
                files.append(
                    File.generated(
                        config, file.src_uri, content=Path(file.abs_src_path).read_bytes()
                    )
                )

    @staticmethod
    def _replace(files: Files, src_uri: str) -> None:
        """A generated file wins over a hand-written one at the same place."""
        existing = files.src_uris.get(src_uri)  # get_file_from_path parses a path each time
        if existing:
            files.remove(existing)

    def _add_page(self, files: Files, config, page: PlannedPage) -> None:
        self._replace(files, page.src_uri)
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        # Material prints meta.title unescaped in <title> and the header: escape it here.
        content = _front_matter(title=html.escape(page.title), template=page.template)
        file = File.generated(
            config, page.src_uri, content=content + page.body, inclusion=inclusion
        )
        files.append(file)
        if not page.body and not page.in_nav:
            _PageWithoutMarkdown(None, file, config)  # MkDocs uses the page a file has
        self.pages[page.src_uri] = page.data

    def _add_attachments(self, files: Files, config, entry: Entry) -> None:
        """The entry's checked files (attachments and the body's images and files), each
        looked at again now: a link put in its place since the check is refused. MkDocs
        copies them only when changed in an incremental build."""
        for name in entry.published_files:
            try:
                path = find_regular_file(entry.folder, name)
            except OSError:
                log.error(format_text(make_problem("unsafe-file", f"{entry.folder}/{name}")))
                continue
            uri = f"{entry.url}{name}"
            self.expected_outputs.add(uri)
            # Photos are published web-sized and without EXIF/GPS (build_tools/images.py).
            source = (
                prepare_web_image(path, store_folder(self.root) / WEB_IMAGE_CACHE)
                if is_image(path)
                else path
            )
            files.append(File.generated(config, uri, abs_src_path=str(source)))

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

    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, *, config, files):
        """Every page is read: hand every other entry and listing page to a second process."""
        once: dict[str, str] = {}

        def render_once(key: str | None, caller) -> str:
            # theme/main.html: `{% call ifte_once(key) %}…{% endcall %}` renders once per key.
            if key is None:
                return caller()
            if key not in once:
                once[key] = caller()
            return once[key]

        # Compiling the theme's templates costs a second or two per build; Jinja checks
        # each cached compilation against its template's source.
        env.bytecode_cache = FileSystemBytecodeCache(str(_jinja_cache(self.root)))
        env.globals["ifte_once"] = render_once
        # Titles and labels break only between Thai words (theme: `| thai_breaks`).
        env.filters["thai_breaks"] = lambda text: Markup(format_word_breaks(str(text or "")))
        env.globals["ifte_nav_key"] = lambda page: (
            None
            if page is None or page.file.inclusion.is_in_nav()
            # Links are relative, so only pages in the same folder share the same HTML.
            else "nav:" + page.url.rstrip("/").rpartition("/")[0]
        )
        self.worker = None
        shared = [
            file.page
            for file in files.documentation_pages()
            if file.page is not None
            and isinstance(self.pages.get(file.src_uri), Entry | ListingPage)
        ][1::2]
        if len(shared) >= MIN_SHARED_PAGES and can_fork(self.preview):
            self.worker = PageWorker(shared, config, files, self.nav, env)
        return env

    # --- pages ---------------------------------------------------------------------------
    def on_page_content(self, html: str, *, page, config, files) -> str:
        data = self.pages.get(page.file.src_uri)
        if isinstance(data, Entry):
            body = self.bodies.get(data.id)
            if body is None:  # a body MkDocs rendered itself (it links to .md files)
                return sanitize_html(html)
            page.toc = get_toc(list(body.toc))
            return body.html
        return html

    def on_post_page(self, output: str, *, page, config) -> str:
        # Written next: nothing reads an entry's HTML again, and thousands of them add up.
        if isinstance(self.pages.get(page.file.src_uri), Entry):
            page.content = None
            self.bodies.pop(self.pages[page.file.src_uri].id, None)
        return output

    def on_page_context(self, context, *, page, config, nav):
        catalog = self.catalog
        if catalog is None or page.meta.get("template") == ELSEWHERE_TEMPLATE:
            return context
        data = self.pages.get(page.file.src_uri)
        if isinstance(data, GeneratedPage):
            context.update(data.context)
        elif isinstance(data, Entry):
            context["entry"] = self._present(data)
            for extra in self.extras.get(data.id, ()):
                context.update(extra.data())
        elif isinstance(data, ListingPage):
            context["listing"] = data
            context["listing_entries"] = [present_card(self._present(e)) for e in data.entries]
        elif data == "browse" or page.is_homepage:
            context["facets"] = plan_facet_counts_cached(catalog)
        if page.is_homepage:
            context.update(plan_home(catalog, self._present, context["facets"]))
            context["updated_thai"] = format_thai_date(
                max((e.updated for e in catalog.entries if e.updated), default=None)
            )
        return context

    # --- after the pages -----------------------------------------------------------------
    def on_post_build(self, *, config) -> None:
        if self.catalog is None:
            return
        if self.worker is not None:
            self.worker.wait()  # its pages are in the site folder before anything reads it
            self.worker = None
        self.timings["render"] = time.perf_counter() - self._render_started
        site_dir = Path(config.site_dir)
        # The generators' files are written, and the caches of processes beside saved,
        # before anything reads the folder or the manifest names them.
        started = time.perf_counter()
        try:
            wait_beside()
        except IfteError as error:
            raise PluginError(str(error)) from None
        self.timings["files (waited)"] = time.perf_counter() - started
        if self.config.incremental:  # before the reports read the folder
            stale = plan_stale_outputs(self.previous, site_dir, self.expected_outputs)
            remove_stale_outputs(site_dir, stale)
        # What each keyed page is made from, with the salt: the same key, the same page.
        page_keys = {output_path(uri): f"{self.salt}:{key}" for uri, key in self.keys.items()}
        reports = ExporterWorker(
            POST_BUILD_REPORTS,
            self.catalog,
            self.settings,
            site_dir,
            page_keys,
            fork=can_fork(self.preview),
        )
        # The reports read pages only, so they need not wait for the exporters beside; nor
        # does the site map, nor the pruning of bodies no entry has.
        sitemap = format_sitemap(self.sitemap_pages, config.site_url or "")
        write_text_atomic(site_dir / "sitemap.xml", sitemap)
        write_bytes_atomic(site_dir / "sitemap.xml.gz", compress_reproducibly(sitemap.encode()))
        prune_body_cache(self.root, self.catalog.entries, self.markdown_settings)
        started = time.perf_counter()
        for text in filter(None, self.background.results() if self.background else ()):
            log.info(text)
        self.timings["exporters beside (waited)"] = time.perf_counter() - started
        for exporter in POST_BUILD_EXPORTERS:
            started = time.perf_counter()
            try:
                report = exporter(self.catalog, self.settings, site_dir)
            except IfteError as error:
                raise PluginError(str(error)) from None
            if report:  # an exporter may return a text report for the build log
                log.info(report)
            name = exporter.__module__.removeprefix("build_tools.")
            self.timings[name] = self.timings.get(name, 0) + time.perf_counter() - started
        # Pages and exports are written: the manifest describes them (reports only read).
        BuildManifest(
            self.salt, str(site_dir), self.keys, sorted(self.expected_outputs), self.file_keys
        ).save(self.root, self._manifest_name)
        started = time.perf_counter()
        for text in filter(None, reports.results()):
            log.info(text)
        self.timings["reports (waited)"] = time.perf_counter() - started
        spent = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.timings.items())
        log.info(
            f"ifte: หน้าที่สร้าง/rendered {self.rendered}, ข้าม/kept {self.skipped}; เวลา/time: {spent}"
        )
        write_build_stamp(site_dir)  # last: every file is written (the deploy checks it)

    def on_build_error(self, *, error) -> None:
        """A failed build leaves no process writing into its folders after it. (What it
        wrote, the next build's manifest forgets: `incremental.mark_writing`.)"""
        if self.background is not None:
            self.background.abandon()
        with contextlib.suppress(Exception):
            wait_beside()
        if self.site_dir is not None:  # e.g. --strict failing after on_post_build
            remove_build_stamp(self.site_dir)

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.root / self.config.entries_dir))
        server.watch(str(self.root / self.config.vocabularies))
        folder = self._preview_site() if self.preview_incremental else None
        if folder:  # MkDocs serves, and finds its error pages in, its temporary folder
            server.root = str(folder)
            server.error_handler = partial(_error_page, folder)
        return server

    def on_shutdown(self) -> None:
        if self.preview_lock:
            self.preview_lock.close()
        self.preview_lock = None


def _error_page(folder: Path, code: int) -> bytes | None:
    """What `mkdocs serve` answers with an error code: the site's page for it, if any."""
    with contextlib.suppress(OSError):
        return (folder / f"{code}.html").read_bytes()
    return None
