"""`ifte build`: an incremental MkDocs build that reuses unchanged pages.

It is a build like `mkdocs build`, with the plugin's `incremental` switch on and
MkDocs' dirty mode (no wipe of `site/`), so after one edit only the pages that
show the edited entry are rendered again. `--full` starts from a clean folder.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from build_tools.deploy.stamp import remove_build_stamp
from build_tools.errors import IfteError


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
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=strict, **options)
        plugin = config.plugins.get("ifte")
        if plugin is None:
            raise IfteError(
                "mkdocs.yml ไม่ได้เปิดใช้ปลั๊กอิน ifte", "mkdocs.yml does not enable the ifte plugin"
            )
        plugin.config.incremental = not full
        if full and Path(config.site_dir).exists():
            shutil.rmtree(config.site_dir)
        counter = WarningCounter()
        counter.addFilter(DirtyNotice())
        build_logger = logging.getLogger("mkdocs.commands.build")
        notice = DirtyNotice()
        build_logger.addFilter(notice)
        logging.getLogger("mkdocs").addHandler(counter)
        try:
            build(config, dirty=not full)
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)
            build_logger.removeFilter(notice)
    except MkDocsException as error:
        raise IfteError(f"สร้างเว็บไซต์ไม่สำเร็จ: {error}", f"Build failed: {error}") from None
    if strict and counter.count:
        remove_build_stamp(Path(config.site_dir))  # not a build to deploy
        raise IfteError(
            f"มีคำเตือน {counter.count} รายการ (โหมด --strict)",
            f"{counter.count} warnings in strict mode",
        )
    return time.perf_counter() - started
