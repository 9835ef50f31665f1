"""After the pages are written: the files, exports and reports of a build, in order.

generated files → stale outputs removed → site map → exports (search, facets) → reports
(they read the finished pages) → stamp → manifest. A build that stops on the way leaves
no stamp carrying its manifest's key, so the next build keeps nothing.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from build_tools.core.site import POST_BUILD_EXPORTERS, POST_BUILD_REPORTS
from build_tools.core.writing import write_bytes_atomic, write_text_atomic
from build_tools.deploy.stamp import write_build_stamp
from build_tools.pages.sitemap import compress_reproducibly, format_sitemap
from build_tools.pipeline.incremental import (
    BuildManifest,
    output_path,
    plan_stale_outputs,
    remove_stale_outputs,
)
from build_tools.pipeline.plan import PlannedPage, SitePlan
from build_tools.pipeline.rendering import MarkdownSettings, prune_body_cache


class Timings(dict):
    """Seconds per stage of a build, and what it rendered, for the build log."""

    def __init__(self) -> None:
        super().__init__()
        self.counts = ""  # what was rendered and kept (`format_page_counts`)
        self.started: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str, reset: bool = False) -> Iterator[None]:
        if reset:
            self.clear()
        self.start(name)
        yield
        self.stop(name)

    def start(self, name: str) -> None:
        self.started[name] = time.perf_counter()

    def stop(self, name: str) -> None:
        self[name] = time.perf_counter() - self.started.pop(name)

    def format(self) -> str:
        for name in list(self.started):
            self.stop(name)
        spent = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.items())
        return f"{self.counts}; เวลา/time: {spent}"


def format_page_counts(rendered: list[PlannedPage], kept: set[str]) -> str:
    keyed = sum(1 for page in rendered if page.key)
    return (
        f"หน้าผลงานและรายการ/entry and listing pages: หน้าที่สร้าง/rendered {keyed}, "
        f"ข้าม/kept {len(kept)}; หน้าอื่น/other pages {len(rendered) - keyed}"
    )


def write_generated_files(plan: SitePlan, site_dir: Path, previous: BuildManifest) -> None:
    """Make and write the generated files, but for a file the last build made under the
    same key and still in the folder: 20,000 per-entry files are never made again."""
    folder = f"{site_dir}{os.sep}"
    for item in plan.files:
        if item.key and previous.files.get(item.uri) == item.key:
            if os.path.isfile(folder + item.uri):
                continue
        content = item.make()
        data = content.encode() if isinstance(content, str) else content
        write_bytes_atomic(site_dir / item.uri, data)  # left alone if it holds it


def finish_site(
    plan: SitePlan,
    site_dir: Path,
    previous: BuildManifest,
    manifest: BuildManifest,
    manifest_name: str,
    sitemap_pages: Iterable[tuple[str, object]],
    markdown_settings: MarkdownSettings,
) -> list[str]:
    """Every stage after the pages; `manifest` is what this build made, saved last under
    `manifest_name`. Returns what the exporters and reports have to say."""
    catalog, settings = plan.catalog, plan.settings
    write_generated_files(plan, site_dir, previous)
    remove_stale_outputs(site_dir, plan_stale_outputs(previous, site_dir, set(manifest.outputs)))
    sitemap = format_sitemap(sitemap_pages, settings.site_url)
    write_text_atomic(site_dir / "sitemap.xml", sitemap)
    write_bytes_atomic(site_dir / "sitemap.xml.gz", compress_reproducibly(sitemap.encode()))
    prune_body_cache(catalog.root, catalog.entries, markdown_settings)
    texts = [exporter(catalog, settings, site_dir) for exporter in POST_BUILD_EXPORTERS]
    page_keys = {output_path(uri): f"{manifest.salt}:{key}" for uri, key in manifest.pages.items()}
    texts += [report(catalog, settings, site_dir, page_keys) for report in POST_BUILD_REPORTS]
    write_build_stamp(site_dir, manifest.key)  # last: every file is written
    manifest.save(catalog.root, manifest_name)
    return [text for text in texts if text]
