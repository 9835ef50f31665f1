"""Render a share of the pages, and run exporters and reports, in a second process, so a
build uses both cores.

MkDocs lays out pages one after another. Entry and listing pages are independent of
each other (none is in the navigation), so after MkDocs has read every page (`on_env`)
a forked worker renders every other one of them with MkDocs' own page builder while
this process renders the rest; each page is rendered by exactly one process, with the
same inputs, so the output is the same as a one-process build. The worker reports its
warnings back (so `--strict` still counts them) and any failure fails the build.
Used only where fork is safe: not under `mkdocs serve` (it runs threads) and not on
systems without fork.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence

import jinja2
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError

from build_tools import workers
from build_tools.errors import IfteError
from build_tools.mkdocs_plugin.build import WarningCounter

# Rendered here instead of a page the worker builds: an empty template, whose empty
# output MkDocs does not write.
ELSEWHERE_TEMPLATE = "ifte-elsewhere.html"
EXPORT_FAILED = (
    "การส่งออกหรือรายงานหลังสร้างเว็บล้มเหลว (ดูข้อความข้างบน) / an exporter or report failed (see above)"
)
# Fewer pages than this are not worth a process.
MIN_SHARED_PAGES = 100

log = logging.getLogger("mkdocs.plugins.ifte")


class SkippedPageNotice(logging.Filter):
    """MkDocs notes each page with empty output; here that is the worker's share."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Generated empty output" not in record.getMessage()


def can_fork(preview: bool) -> bool:
    return not preview and workers.can_fork()


class PageWorker:
    """A forked process rendering `pages`; `wait()` before reading the site folder."""

    def __init__(self, pages: Sequence, config, files, nav, env) -> None:
        self.pages = list(pages)
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE_TEMPLATE: ""}), env.loader])
        self._join = workers.run_beside(self._render, config, files, nav, env)
        logging.getLogger("mkdocs.commands.build").addFilter(SkippedPageNotice())
        for page in self.pages:  # this process renders nothing for them
            page.meta["template"] = ELSEWHERE_TEMPLATE

    def _render(self, config, files, nav, env) -> int:
        """Renders the pages; returns how many warnings that logged."""
        counter = WarningCounter()
        logging.getLogger("mkdocs").addHandler(counter)
        doc_files = files.documentation_pages()
        for page in self.pages:
            mkdocs_build._build_page(page, config, doc_files, nav, env)
        return counter.count

    def wait(self) -> None:
        try:
            warnings = self._join()
        except Exception as error:  # a message, no traceback
            log.error(f"หน้าที่สร้างคู่ขนานล้มเหลว / a page worker failed: {error}")
            raise PluginError(
                "สร้างหน้าเว็บไม่สำเร็จ (ดูข้อความข้างบน) / building pages failed (see above)"
            ) from None
        if warnings:
            log.warning(
                f"มีคำเตือน {warnings} รายการจากหน้าที่สร้างคู่ขนาน (ดูข้างบน) / "
                f"{warnings} warnings from pages rendered in parallel (see above)"
            )


class ExporterWorker:
    """Runs exporters or reports (`site.BACKGROUND_EXPORTERS`, `site.POST_BUILD_REPORTS`),
    each called with the arguments given and returning a text, in a forked process while
    this one goes on; `results()` waits for their texts. Without fork, they run in this process, when
    `results()` is called."""

    def __init__(self, functions: Sequence[Callable[..., str | None]], *args, fork: bool) -> None:
        self.functions, self.args = list(functions), args
        self.forked = fork and bool(self.functions) and workers.can_fork()
        self._join = workers.run_beside(self._texts, fork=self.forked)

    def _texts(self) -> list[str]:
        return [function(*self.args) or "" for function in self.functions]

    def abandon(self) -> None:
        """Wait for the forked process to end, whatever it gives: a build that failed
        leaves no process writing into its folders after it."""
        if self.forked:
            with contextlib.suppress(Exception):
                self._join()

    def results(self) -> list[str]:
        try:
            return self._join()
        except IfteError as error:  # a wrong setting or data file: its message
            raise PluginError(str(error)) from None
        except Exception as error:  # a message, no traceback
            log.error(f"การส่งออกหรือรายงานล้มเหลว / an exporter or report failed: {error}")
            raise PluginError(EXPORT_FAILED) from None
