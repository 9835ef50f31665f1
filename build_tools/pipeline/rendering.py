"""Entry bodies as safe HTML: rendered once per content, cached, in parallel when many.

A site engine renders every page's Markdown on every build, with a fresh Markdown
instance per page. An entry body depends only on its own text and the Markdown
settings, so here it is rendered once, sanitised (`sanitize.py`), and kept in a
content-addressed cache under `.cache/ifte/bodies/` (one small file per body, so an
incremental build reads only the bodies of the pages it renders). Misses are rendered
in worker processes when there are many; the output does not depend on how many.
"""

from __future__ import annotations

import hashlib
import html as htmlmod
import re
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import markdown

from build_tools.core.cache import FileCache
from build_tools.core.errors import IfteError
from build_tools.core.model import Entry
from build_tools.core.problems import format_text, make_problem
from build_tools.core.sanitize import sanitize_html
from build_tools.core.thai import format_word_breaks
from build_tools.core.workers import map_in_processes

BODY_CACHE = "bodies"  # under .cache/ifte/
# A teacher's 25 KB body renders in a few hundredths of a second; past this, a body
# written to be slow stops the build with its file named.
RENDER_SECONDS = 5.0
# A table's header cell, and the tags and text inside it (`format_header_breaks`).
_HEADER_CELL = re.compile(r"(<th\b[^>]*>)(.*?)(</th>)", re.S | re.I)
_TAG = re.compile(r"(<[^>]*>)")
# A link to a Markdown file needs the site engine's link rewriting (`x.md` → `x/`).
_MARKDOWN_LINK = re.compile(r"\]\([^)\s]*\.md(#[^)\s]*)?[)\s]|\[[^\]]*\]:\s*\S*\.md\b")


@dataclass(frozen=True)
class MarkdownSettings:
    """The Markdown extensions and their options (what mkdocs.yml lists)."""

    extensions: tuple[str, ...]
    configs: Mapping[str, Mapping] = field(default_factory=dict)

    @cached_property
    def fingerprint(self) -> str:
        # Options may hold functions (toc's slugify): name them, never their addresses.
        def stable(value: object) -> str:
            if callable(value):
                return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
            if isinstance(value, Mapping):
                return "{" + ",".join(f"{k}:{stable(v)}" for k, v in sorted(value.items())) + "}"
            if isinstance(value, list | tuple):
                return "[" + ",".join(stable(v) for v in value) + "]"
            return repr(value)

        text = stable([list(self.extensions), dict(self.configs)])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RenderedBody:
    html: str  # sanitised
    toc: tuple  # Python-Markdown's toc_tokens: nested dicts (level, id, name, children)


def needs_site_engine(body: str) -> bool:
    """Bodies linking to Markdown files are left to the site engine, which rewrites
    such links to page URLs."""
    return bool(_MARKDOWN_LINK.search(body))


_CONVERTERS: dict[str, markdown.Markdown] = {}


def _converter(settings: MarkdownSettings) -> markdown.Markdown:
    # One instance per process, reset between bodies: building a Markdown instance
    # (loading every extension) costs more than converting a typical body.
    key = settings.fingerprint
    if key not in _CONVERTERS:
        _CONVERTERS[key] = markdown.Markdown(
            extensions=list(settings.extensions), extension_configs=dict(settings.configs)
        )
    return _CONVERTERS[key]


class _OutOfTimeError(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the Python code inside with `_OutOfTimeError` after `seconds`: by a timer
    signal in a main thread (a build, a worker process), else by a profile hook that
    looks at the clock on every call (a live preview's threads)."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):

        def stop(signum, frame) -> None:
            raise _OutOfTimeError

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    deadline = time.monotonic() + seconds

    def look(frame, event, arg) -> None:
        if event == "call" and time.monotonic() > deadline:
            raise _OutOfTimeError

    previous = sys.getprofile()
    sys.setprofile(look)
    try:
        yield
    finally:
        sys.setprofile(previous)


def format_header_breaks(html: str) -> str:
    """`html` with the text of each table header cell broken only between Thai words, as
    titles are (`thai.format_word_breaks`): header columns are narrow, and the browser's
    own Thai breaking splits words ("การ|งาน|อาชีพ"). Runs before sanitising."""

    def cell(match: re.Match) -> str:
        parts = _TAG.split(match.group(2))
        for i in range(0, len(parts), 2):  # even parts are text, odd ones tags
            parts[i] = format_word_breaks(htmlmod.unescape(parts[i]))
        return match.group(1) + "".join(parts) + match.group(3)

    return _HEADER_CELL.sub(cell, html)


def render_body(body: str, settings: MarkdownSettings) -> RenderedBody | None:
    """The body as safe HTML, or None when Python-Markdown needs more than
    RENDER_SECONDS or more nesting than Python allows: a body the checker's estimate
    (`bodycheck`) let through that would hold up or crash every build."""
    converter = _converter(settings)
    converter.reset()
    try:
        with _time_limit(RENDER_SECONDS):
            html = converter.convert(body)
    except (_OutOfTimeError, RecursionError):  # too slow, or nested past Python's stack
        _CONVERTERS.pop(settings.fingerprint, None)  # stopped midway: start afresh
        return None
    toc = tuple(getattr(converter, "toc_tokens", ()))
    return RenderedBody(sanitize_html(format_header_breaks(html)), toc)


def _body_key(entry: Entry, suffix: str) -> str:
    """The entry's content hash (a hash already: 20,000 entries are keyed with no hashing)
    and `suffix`, a hash of the settings (`_key_suffix`)."""
    return (entry.content_hash or hashlib.sha256(entry.body.encode()).hexdigest()) + suffix


def _key_suffix(settings: MarkdownSettings) -> str:
    return hashlib.sha256(settings.fingerprint.encode()).hexdigest()[:16]


def render_bodies(
    entries: Iterable[Entry],
    settings: MarkdownSettings,
    root: Path,
    workers: int | None = None,
) -> dict[str, RenderedBody]:
    """Entry id → rendered body, from the cache or rendered now (and cached). Bodies that
    `needs_site_engine` are left out (and so never cached): a cached body needs no second
    look at the text, which a loaded entry keeps in its file."""
    suffix = _key_suffix(settings)
    rendered: dict[str, RenderedBody] = {}
    missing: list[tuple[Entry, str]] = []
    cache = FileCache(root, BODY_CACHE)
    for entry in entries:
        key = _body_key(entry, suffix)
        cached = cache.get(key, RenderedBody)
        if cached is None:
            if not needs_site_engine(entry.body):
                missing.append((entry, key))
        else:
            rendered[entry.id] = cached
    bodies = [entry.body for entry, _ in missing]
    fresh = map_in_processes(render_body, bodies, settings, workers=workers, chunksize=32)
    slow = []
    for (entry, key), result in zip(missing, fresh, strict=True):
        if result is None:
            slow.append(entry)
            continue
        rendered[entry.id] = result
        cache.put(key, result)
    if slow:
        raise _slow_bodies_error(slow, root)
    return rendered


def _slow_bodies_error(entries: list[Entry], root: Path) -> IfteError:
    lines = []
    for entry in entries:
        path = entry.source_path
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        problem = make_problem("body-too-slow", shown, limit=f"{RENDER_SECONDS:.0f}")
        lines.append(format_text(problem))
    return IfteError(
        f"เนื้อหาผลงานแปลงเป็นหน้าเว็บนานเกิน {RENDER_SECONDS:.0f} วินาที:\n" + "\n".join(lines),
        f"Turning these bodies into web pages took over {RENDER_SECONDS:.0f} s each.",
    )


def prune_body_cache(root: Path, entries: Iterable[Entry], settings: MarkdownSettings) -> int:
    """Remove cached bodies no entry of the repository has any more; returns how many."""
    suffix = _key_suffix(settings)
    return FileCache(root, BODY_CACHE).prune({_body_key(entry, suffix) for entry in entries})
