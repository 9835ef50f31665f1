"""Render a share of the pages, and run the reports, in a second process, so a build
uses both cores.

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

import json
import logging
import os
import sys
from collections.abc import Callable, Sequence

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


def _fork(work: Callable[[], str], failure: str) -> tuple[int, int]:
    """Run `work` in a forked process: returns its pid and the pipe its text comes through.
    A failure is logged there as `failure` plus the error, and the process exits with 1."""
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)
    status = 1
    try:
        with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
            pipe.write(work())
        status = 0
    except BaseException as error:  # reported by the parent; no traceback for users
        log.error(f"{failure}: {error}")
    finally:
        for handler in logging.getLogger().handlers + logging.getLogger("mkdocs").handlers:
            handler.flush()
        os._exit(status)


def _join(pid: int, read_end: int, failure: str) -> str:
    """The text of a forked `work`; PluginError(`failure`) if it failed."""
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        text = pipe.read()  # before waiting: a full pipe would block the worker
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise PluginError(failure)
    return text


class PageWorker:
    """A forked process rendering `pages`; `wait()` before reading the site folder."""

    def __init__(self, pages: Sequence, config, files, nav, env) -> None:
        self.pages = list(pages)
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE_TEMPLATE: ""}), env.loader])
        self.pid, self._read_end = _fork(
            lambda: self._render(config, files, nav, env),
            "หน้าที่สร้างคู่ขนานล้มเหลว / a page worker failed",
        )
        logging.getLogger("mkdocs.commands.build").addFilter(SkippedPageNotice())
        for page in self.pages:  # this process renders nothing for them
            page.meta["template"] = ELSEWHERE_TEMPLATE

    def _render(self, config, files, nav, env) -> str:
        """Renders the pages; returns how many warnings that logged."""
        counter = WarningCounter()
        logging.getLogger("mkdocs").addHandler(counter)
        doc_files = files.documentation_pages()
        for page in self.pages:
            mkdocs_build._build_page(page, config, doc_files, nav, env)
        return str(counter.count)

    def wait(self) -> None:
        warnings = _join(
            self.pid,
            self._read_end,
            "สร้างหน้าเว็บไม่สำเร็จ (ดูข้อความข้างบน) / building pages failed (see above)",
        )
        if warnings and int(warnings):
            log.warning(
                f"มีคำเตือน {warnings} รายการจากหน้าที่สร้างคู่ขนาน (ดูข้างบน) / "
                f"{warnings} warnings from pages rendered in parallel (see above)"
            )


class ReportWorker:
    """Runs reports (`site.POST_BUILD_REPORTS`, which only read the built site) in a
    forked process while this one writes the exports; `results()` gives their texts.
    Without fork, they run in this process, when `results()` is called."""

    def __init__(self, reports: Sequence[Callable[..., str | None]], *args, fork: bool) -> None:
        self.reports, self.args = list(reports), args
        self.pid = 0
        if fork and self.reports:
            self.pid, self._read_end = _fork(
                lambda: json.dumps(self._texts()),
                "รายงานหลังสร้างเว็บล้มเหลว / a report failed",
            )

    def _texts(self) -> list[str]:
        return [report(*self.args) or "" for report in self.reports]

    def results(self) -> list[str]:
        if not self.pid:
            return self._texts()
        return json.loads(
            _join(
                self.pid,
                self._read_end,
                "รายงานหลังสร้างเว็บล้มเหลว (ดูข้อความข้างบน) / a report failed (see above)",
            )
        )
