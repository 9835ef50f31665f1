"""MkDocs plugin `ifte`: hands MkDocs' events to the pipeline, on MkDocs' public API only.

The pipeline (`build_tools.pipeline`) plans every page and runs every stage after the
pages; this adapter turns the plan into MkDocs files, gives templates their data, and
with `incremental: true` (what `ifte build` and `make serve` set) leaves out pages
whose key is that of the page already in the folder.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import os
from dataclasses import replace
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from build_tools.core.cache import remove_retired_caches, store_folder
from build_tools.core.errors import IfteError
from build_tools.core.loader import ENTRIES_FOLDER, load_repository
from build_tools.core.model import Entry
from build_tools.core.placeholders import find_example_values, format_example_values
from build_tools.core.problems import format_build_problems, format_text, make_problem
from build_tools.core.sanitize import sanitize_html
from build_tools.core.site import SiteSettings
from build_tools.core.vocabularies import VOCABULARY_FILE
from build_tools.core.workers import settled_heap
from build_tools.deploy.stamp import read_build_stamp, remove_build_stamp
from build_tools.mkdocs_plugin.build import DirtyNotice
from build_tools.pages.images import iter_published_sources
from build_tools.pages.templates import add_template_helpers
from build_tools.pipeline.folders import empty_folder
from build_tools.pipeline.incremental import (
    MANIFEST_NAME,
    PREVIEW_MANIFEST_NAME,
    BuildManifest,
    site_salt,
    trusted_manifest,
    unchanged,
)
from build_tools.pipeline.plan import PlannedPage, SitePlan, plan_site
from build_tools.pipeline.rendering import MarkdownSettings, render_bodies
from build_tools.pipeline.stages import Timings, finish_site, format_page_counts

log = logging.getLogger("mkdocs.plugins.ifte")


class IfteConfig(Config):
    entries_dir = opt.Type(str, default=ENTRIES_FOLDER)
    vocabularies = opt.Type(str, default=VOCABULARY_FILE)
    page_size = opt.Type(int, default=20)
    incremental = opt.Type(bool, default=False)


def _front_matter(**meta: object) -> str:
    # JSON is valid YAML, so titles with colons or quotes need no escaping rules of our own.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _unlink(path: str) -> None:
    # MkDocs writes into an existing file: in a folder hard-linked from the served one
    # (`ifte build`), the link is broken first so the served site keeps its bytes.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


class _PageWithoutMarkdown(Page):
    """A page with no Markdown of its own (its HTML is its template's, or an entry's body
    rendered by `pipeline.rendering`): MkDocs would build a converter with every extension
    to convert nothing, for each page (a fifth of a full build at 20,000 entries)."""

    def render(self, config, files) -> None:
        if self.markdown and self.markdown.strip():
            return super().render(config, files)
        self.content, self.toc, self.present_anchor_ids = "", get_toc([]), set()


class IftePlugin(BasePlugin[IfteConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.plan: SitePlan | None = None
        self.pages: dict[str, PlannedPage] = {}
        self.previous = BuildManifest()
        self.manifest = BuildManifest()
        self.preview = self.preview_dirty = False
        self.site_dir: Path | None = None
        self.root = Path.cwd()
        self.timings = Timings()

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup also keeps this instance across the rebuilds of `mkdocs serve`.
        self.preview = command == "serve"
        self.preview_dirty = self.preview and dirty
        if self.preview_dirty:  # pages are re-planned on each save: the notice is wrong here
            logging.getLogger("mkdocs.commands.build").addFilter(DirtyNotice())

    def on_config(self, config):
        if self.preview_dirty:  # `make serve`: a save renders only what it changed
            self.config.incremental = True
        self.root = Path(config.config_file_path).resolve().parent
        # The theme's sitemap lists every page through a template; ours replaces it.
        config.theme.static_templates.discard("sitemap.xml")
        # What pages show as the office's contacts must not be a sample.
        examples = list(find_example_values(dict(config.extra), "extra"))
        if examples:
            log.warning(format_example_values(examples, "mkdocs.yml"))
        return config

    def on_pre_build(self, *, config) -> None:
        self.site_dir = site_dir = Path(config.site_dir)
        self.manifest_name = name = PREVIEW_MANIFEST_NAME if self.preview else MANIFEST_NAME
        self.previous = BuildManifest()
        if self.config.incremental:
            stamp = read_build_stamp(site_dir)
            self.previous = trusted_manifest(self.root, name, stamp.build_key if stamp else "")
            if not self.previous.salt and site_dir.is_dir():
                empty_folder(site_dir)  # a folder no finished build describes: start afresh
        remove_build_stamp(site_dir)  # until on_post_build ends, not a deployable build

    @event_priority(-50)  # after other plugins have added their files
    def on_files(self, files: Files, *, config) -> Files:
        with settled_heap():  # the catalogue and the plan live until the build ends
            try:
                return self._plan_files(files, config)
            except IfteError as error:  # a wrong entry, setting or data file: its message
                raise PluginError(str(error)) from None

    def _plan_files(self, files: Files, config) -> Files:
        with self.timings.stage("load", reset=True):
            remove_retired_caches(self.root)
            catalog = load_repository(self.root)
            for is_error, text in format_build_problems(catalog.problems):
                (log.error if is_error else log.warning)(text)
        extra = dict(config.extra)
        settings = SiteSettings(
            config.site_name, config.site_url or "", self.root, extra, self.preview
        )
        with self.timings.stage("plan"):
            self.plan = plan = plan_site(catalog, settings, self.config.page_size)
            # What shapes every page besides its own key: theme, settings, content pages.
            shaping = [self.root / "theme", Path(config.config_file_path), Path(config.docs_dir)]
            salt = site_salt(self.root, [*shaping, self.root / self.config.vocabularies])
            # Pages in the navigation are always rendered: MkDocs resolves the nav from them.
            keys = {p.src_uri: p.key for p in plan.pages if p.key and not p.in_nav}
            kept = unchanged(self.previous, salt, Path(config.site_dir), keys)
            rendered = [p for p in plan.pages if p.src_uri not in kept]
        self.markdown_settings = MarkdownSettings(
            tuple(config.markdown_extensions), dict(config.mdx_configs or {})
        )
        with self.timings.stage("bodies"):
            entries = [p.data for p in rendered if isinstance(p.data, Entry)]
            self.bodies = render_bodies(entries, self.markdown_settings, self.root)
        if self.config.incremental:
            _always_render_hand_written_pages(files, config)
        self.pages = {}
        for page in rendered:
            if isinstance(page.data, Entry) and page.data.id not in self.bodies:
                # A body linking to .md files: MkDocs renders it, resolving the links.
                page = replace(page, body=page.data.body)
            self._add_page(files, config, page)
        outputs = plan.outputs()
        for entry in catalog.entries:
            outputs |= self._add_attachments(files, config, entry)
        for item in plan.files:  # written by the pipeline, not copied by MkDocs
            if item.uri in files.src_uris:
                files.remove(files.src_uris[item.uri])
        self.manifest = BuildManifest(salt, plan.page_keys(), sorted(outputs), plan.file_keys())
        hand_written = [
            f.url for f in files.documentation_pages() if f.src_uri not in self.manifest.pages
        ]
        self.sitemap = plan.sitemap_pages(hand_written)
        self.timings.counts = format_page_counts(rendered, kept)
        self.timings.start("pages")
        return files

    def _add_page(self, files: Files, config, page: PlannedPage) -> None:
        if page.src_uri in files.src_uris:  # a generated page wins over a hand-written one
            files.remove(files.src_uris[page.src_uri])
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        # Material prints meta.title unescaped in <title> and the header: escape it here.
        content = _front_matter(title=html.escape(page.title), template=page.template)
        file = File.generated(
            config, page.src_uri, content=content + page.body, inclusion=inclusion
        )
        files.append(file)
        if not page.body and not page.in_nav:
            _PageWithoutMarkdown(None, file, config)  # MkDocs uses the page a file has
        self.pages[page.src_uri] = page

    def _add_attachments(self, files: Files, config, entry: Entry) -> set[str]:
        uris = set()
        for name, source in iter_published_sources(entry, store_folder(self.root)):
            if source is None:  # a link put in the place of a checked file
                log.error(format_text(make_problem("unsafe-file", f"{entry.folder}/{name}")))
                continue
            uris.add(f"{entry.url}{name}")
            files.append(File.generated(config, f"{entry.url}{name}", abs_src_path=str(source)))
        return uris

    def on_env(self, env, *, config, files):
        # Compiling the theme's templates costs a second or two per build; Jinja checks
        # each cached compilation against its template's source.
        jinja = store_folder(self.root) / "jinja"
        jinja.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(jinja))
        add_template_helpers(env)
        if self.config.incremental:  # what MkDocs copies next is written as a new file
            for file in files:
                if not file.is_documentation_page() and file.is_modified():
                    _unlink(file.abs_dest_path)
            for name in (*config.theme.static_templates, *config.extra_templates):
                _unlink(os.path.join(config.site_dir, name))
        return env

    def on_page_content(self, html: str, *, page, config, files) -> str:
        planned = self.pages.get(page.file.src_uri)
        if planned is None or not isinstance(planned.data, Entry):
            return html
        if planned.body:  # a body MkDocs rendered itself (it links to .md files)
            return sanitize_html(html)
        body = self.bodies.pop(planned.data.id)
        page.toc = get_toc(list(body.toc))
        return body.html

    def on_page_context(self, context, *, page, config, nav):
        if self.plan is not None:
            planned = self.pages.get(page.file.src_uri)
            context.update(self.plan.context(planned, page.is_homepage))
        return context

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.config.incremental:
            _unlink(page.file.abs_dest_path)
        page.content = None  # nothing reads it again, and thousands of pages add up
        return output

    def on_post_build(self, *, config) -> None:
        if self.plan is None:
            return
        self.timings.stop("pages")
        with self.timings.stage("after the pages"):
            try:
                texts = finish_site(
                    self.plan,
                    Path(config.site_dir),
                    self.previous,
                    self.manifest,
                    self.manifest_name,
                    self.sitemap,
                    self.markdown_settings,
                )
            except IfteError as error:
                raise PluginError(str(error)) from None
        for text in texts:
            log.info(text)
        log.info(f"ifte: {self.timings.format()}")

    def on_build_error(self, *, error) -> None:
        if self.site_dir is not None:  # e.g. --strict failing after on_post_build
            remove_build_stamp(self.site_dir)

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.root / self.config.entries_dir))
        server.watch(str(self.root / self.config.vocabularies))
        return server


def _always_render_hand_written_pages(files: Files, config) -> None:
    """MkDocs' dirty mode skips pages whose source is older than the output, but the home
    page shows the latest entries: hand-written pages are few, render them all."""
    for file in list(files.documentation_pages()):
        if file.abs_src_path and not file.generated_by:
            files.remove(file)
            content = Path(file.abs_src_path).read_bytes()
            files.append(File.generated(config, file.src_uri, content=content))
