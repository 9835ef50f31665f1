"""Render a share of the pages in a second process, so a build uses both cores.

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

import logging
import os
import sys
from collections.abc import Sequence

import jinja2
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError

from build_tools.mkdocs_plugin.build import WarningCounter

# Rendered here instead of a page the worker builds: an empty template, whose empty
# output MkDocs does not write.
ELSEWHERE_TEMPLATE = "ifte-elsewhere.html"
# Fewer pages than this are not worth a process.
MIN_SHARED_PAGES = 100

log = logging.getLogger("mkdocs.plugins.ifte")


class SkippedPageNotice(logging.Filter):
    """MkDocs notes each page with empty output; here that is the worker's share."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Generated empty output" not in record.getMessage()


def can_fork(preview: bool) -> bool:
    return hasattr(os, "fork") and not preview and (os.cpu_count() or 1) > 1


class PageWorker:
    """A forked process rendering `pages`; `wait()` before reading the site folder."""

    def __init__(self, pages: Sequence, config, files, nav, env) -> None:
        self.pages = list(pages)
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE_TEMPLATE: ""}), env.loader])
        sys.stdout.flush()
        sys.stderr.flush()
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the worker
            os.close(read_end)
            self._run(write_end, config, files, nav, env)
        os.close(write_end)
        self._read_end = read_end
        logging.getLogger("mkdocs.commands.build").addFilter(SkippedPageNotice())
        for page in self.pages:  # this process renders nothing for them
            page.meta["template"] = ELSEWHERE_TEMPLATE

    def _run(self, write_end: int, config, files, nav, env) -> None:
        status = 1
        counter = WarningCounter()
        logging.getLogger("mkdocs").addHandler(counter)
        try:
            doc_files = files.documentation_pages()
            for page in self.pages:
                mkdocs_build._build_page(page, config, doc_files, nav, env)
            os.write(write_end, str(counter.count).encode())
            status = 0
        except BaseException as error:  # reported by the parent; no traceback for users
            log.error(f"หน้าที่สร้างคู่ขนานล้มเหลว / a page worker failed: {error}")
        finally:
            for handler in logging.getLogger().handlers + logging.getLogger("mkdocs").handlers:
                handler.flush()
            os._exit(status)

    def wait(self) -> None:
        _, status = os.waitpid(self.pid, 0)
        with os.fdopen(self._read_end) as pipe:
            warnings = pipe.read()
        if os.waitstatus_to_exitcode(status) != 0:
            raise PluginError(
                "สร้างหน้าเว็บไม่สำเร็จ (ดูข้อความข้างบน) / building pages failed (see above)"
            )
        if warnings and int(warnings):
            log.warning(
                f"มีคำเตือน {warnings} รายการจากหน้าที่สร้างคู่ขนาน (ดูข้างบน) / "
                f"{warnings} warnings from pages rendered in parallel (see above)"
            )
