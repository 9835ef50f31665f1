"""`ifte build`: an incremental MkDocs build that swaps a whole new site in.

The build writes into a fresh folder beside `site/` holding hard links to the site's
files, renders only what changed there (the plugin's `incremental` switch, MkDocs'
dirty mode), and then exchanges it with `site/` in one rename: a build that fails or
is killed leaves `site/` as it was. `--full` starts from an empty folder.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from build_tools.core.errors import IfteError
from build_tools.pipeline.folders import abandon_building, prepare_building, swap_in


class DirtyNotice(logging.Filter):
    """MkDocs warns that dirty builds give inaccurate navigation; ours re-plan every page and
    re-render every page whose inputs changed, so the notice does not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


class WarningCounter(logging.Handler):
    """Counts warnings and errors (for --strict)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def run_build(
    root: Path, site_dir: Path | None = None, full: bool = False, strict: bool = False
) -> float:
    """Build the site; returns the seconds it took. Raises IfteError on failure."""
    started = time.perf_counter()
    options = {"site_dir": str(site_dir)} if site_dir else {}
    counter = WarningCounter()
    building: Path | None = None
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=strict, **options)
        plugin = config.plugins.get("ifte")
        if plugin is None:
            raise IfteError(
                "mkdocs.yml ไม่ได้เปิดใช้ปลั๊กอิน ifte", "mkdocs.yml does not enable the ifte plugin"
            )
        plugin.config.incremental = True
        site = Path(config.site_dir)
        building = prepare_building(site, full)
        config.site_dir = str(building)
        notice = DirtyNotice()
        counter.addFilter(notice)
        build_logger = logging.getLogger("mkdocs.commands.build")
        build_logger.addFilter(notice)
        logging.getLogger("mkdocs").addHandler(counter)
        try:
            build(config, dirty=True)
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)
            build_logger.removeFilter(notice)
    except BaseException as error:
        if building is not None:
            abandon_building(site)
        if isinstance(error, MkDocsException):
            raise IfteError(f"สร้างเว็บไซต์ไม่สำเร็จ: {error}", f"Build failed: {error}") from None
        raise
    if strict and counter.count:
        abandon_building(site)  # not a build to deploy
        raise IfteError(
            f"มีคำเตือน {counter.count} รายการ (โหมด --strict)",
            f"{counter.count} warnings in strict mode",
        )
    swap_in(building, site)
    return time.perf_counter() - started
