"""A content-addressed cache of work that depends only on an entry's files.

Reading, validating and analysing an entry is pure: the same bytes (and the same
vocabularies and code) give the same result. Results are kept in pickles per
kind in the store (`store_folder`: `.cache/ifte/store-<build fingerprint>/`); a fresh clone simply starts
empty. Entries not used by a build are dropped when it saves, so the cache
never grows past the repository.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import shutil
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter
from pathlib import Path
from typing import Any

import build_tools
from build_tools.core.writing import write_bytes_atomic

# Beside the store: what site folders hold (pages*.json). They describe folders, not results.
CACHE_FOLDER = ".cache/ifte"
STORE_PREFIX = "store-"
_NOT_RESULTS = ("pages",)
# A cache holding a large result per entry is split over this many files (see
# `ResultCache`): one edited entry rewrites a sixteenth of it.
ENTRY_SHARDS = 16
# A file changed this shortly before it was read may change again within the same
# timestamp tick (FAT keeps 2 s): its size and times are trusted only at a later build.
RACY_NS = 2_000_000_000
PRUNED = "pruned.pickle"  # in a `FileCache` folder: what its last prune kept


@functools.cache
def build_fingerprint() -> str:
    """Hash of all a result depends on besides its inputs: every file of `build_tools/`,
    the Python version and every installed package's name and version. Derived, never
    listed by hand: a change anywhere in the build's code, or an upgrade (of the
    sanitiser, Markdown, the Thai segmenter…), makes every result again."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(build_tools.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for name in sorted(installed_distributions()):
        digest.update(name.encode() + b"\0")
    return digest.hexdigest()[:16]


def installed_distributions() -> set[str]:
    """The installed packages as their metadata folders name them (`nh3-0.3.7.dist-info`):
    a name and a version each, read from the folder listings on the import path."""
    names = set()
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as items:
                names.update(i.name for i in items if i.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return names


def store_folder(root: Path) -> Path:
    """Where results are kept between builds: a folder named by `build_fingerprint`, so no
    result made by other code or other packages is ever read."""
    return root / CACHE_FOLDER / f"{STORE_PREFIX}{build_fingerprint()}"


def remove_retired_caches(root: Path) -> None:
    """Remove the stores of other code and what earlier versions kept beside them."""
    folder = root / CACHE_FOLDER
    current = store_folder(root).name
    try:
        items = list(os.scandir(folder))
    except OSError:
        return
    for item in items:
        if item.name == current or item.name.startswith(_NOT_RESULTS):
            continue
        if item.is_dir(follow_symlinks=False):
            shutil.rmtree(item.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(item.path)


class ResultCache:
    """Maps a string key (a content hash, a file's stat signature) to a picklable result.

    With `shards`, results are spread over that many files by key, so a build that
    changes a few results rewrites only the files holding them, not the whole cache.
    With `remember`, this process keeps what it read or wrote (`_READ`): for results that
    are never changed in place, read again by every rebuild of a live preview.
    """

    def __init__(
        self, root: Path, kind: str, salt: str, shards: int = 1, remember: bool = False
    ) -> None:
        folder = store_folder(root)
        if shards == 1:
            self.paths = [folder / f"{kind}.pickle"]
        else:
            self.paths = [folder / kind / f"{number:02x}.pickle" for number in range(shards)]
        self.salt = salt
        self.remember = remember
        self._old: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self._changed: set[int] = set()  # shards holding a result this run put anew
        for path in self.paths:
            self._old.update(_read_results(path, salt, remember))

    def _shard(self, key: str) -> int:
        # crc32, not hash(): string hashes change from one process to the next.
        return zlib.crc32(key.encode()) % len(self.paths)

    def get(self, key: str) -> Any | None:
        value = self._old.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def latest(self) -> Any | None:
        """Any stored result (for a caller that accepts a stale one), or None."""
        return next(reversed(self._old.values()), None)

    def put(self, key: str, value: Any) -> None:
        if self._old.get(key) is not value:
            self._changed.add(self._shard(key))
        self._used[key] = value

    def save(self) -> None:
        """Write what this run used; files whose results are all unchanged are left alone."""
        dropped = {self._shard(key) for key in self._old.keys() - self._used.keys()}
        stale: dict[int, dict[str, Any]] = {number: {} for number in self._changed | dropped}
        if not stale:
            return
        for key, value in self._used.items():
            data = stale.get(self._shard(key))
            if data is not None:
                data[key] = value
        for number, data in sorted(stale.items()):
            path = self.paths[number]
            try:
                write_bytes_atomic(
                    path, pickle.dumps((self.salt, data), protocol=pickle.HIGHEST_PROTOCOL)
                )
                if self.remember:
                    _READ[path] = (_signature(path), self.salt, data)
            except OSError:
                pass  # a read-only checkout still builds, just without a cache


def map_by_fingerprint(
    root: Path,
    kind: str,
    salt: str,
    entries: Iterable,
    fingerprints: Mapping[str, str],
    make: Callable[[Any], Any],
    shards: int = 1,
) -> dict[str, Any]:
    """Entry id → `make(entry)`, kept between builds under the entry's fingerprint
    (`Catalog.fingerprints`) and `salt` (what else the result depends on): only changed
    entries are made again. An entry without a fingerprint is made every time. Results
    must not be changed in place: the process remembers them for its next build."""
    cache = ResultCache(root, kind, salt, shards=shards, remember=True)
    made = {}
    for entry in entries:
        fingerprint = fingerprints.get(entry.id)
        result = cache.get(fingerprint) if fingerprint else None
        if result is None:
            result = make(entry)
        if fingerprint:
            cache.put(fingerprint, result)
        made[entry.id] = result
    cache.save()
    return made


def remember(root: Path, kind: str, inputs: object, make: Callable[[], Any]) -> Any:
    """`make()`, kept between builds under a hash of `inputs`: everything the result is
    made from, as strings, numbers, dates, tuples and lists (hashed through `repr`; a
    pickle differs with which equal strings happen to be one object). For results drawn
    from a few fields of every entry, which an edit of an entry's text leaves as they
    were. Results must not be changed in place."""
    key = hashlib.sha256(repr(inputs).encode()).hexdigest()
    cache = ResultCache(root, kind, "", remember=True)
    result = cache.get(key)
    if result is None:
        result = make()
    cache.put(key, result)
    cache.save()
    return result


# What this process last read or wrote per remembered cache file, with the file's
# signature: a live preview rebuilds in the same process on every save, and need not
# unpickle tens of megabytes again when the file is as it left it.
_READ: dict[Path, tuple[tuple[int, int, int], str, dict[str, Any]]] = {}


def _signature(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _read_results(path: Path, salt: str, remember: bool) -> dict[str, Any]:
    """The results in one cache file, if stored under `salt` (else none)."""
    try:
        signature = _signature(path)
        known = _READ.get(path) if remember else None
        if known is not None and known[0] == signature:
            return known[2] if known[1] == salt else {}
        salt_stored, data = _unpickle(path.read_bytes())
    except (
        OSError,
        pickle.PickleError,
        EOFError,
        ValueError,
        TypeError,
        AttributeError,
        ImportError,
    ):
        return {}  # a missing or stale cache is an empty cache
    if remember:
        _READ[path] = (signature, salt_stored, data)
    return data if salt_stored == salt else {}


def _unpickle(data: bytes) -> Any:
    # Unpickling tens of thousands of entries triggers garbage collections that find
    # nothing to free and cost a third of the time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


class FileCache:
    """One small pickle per key under `<store>/<kind>/`: for results a build may need
    only a few of (an incremental build reads just the files of the pages it renders)."""

    def __init__(self, root: Path, kind: str) -> None:
        self.folder = store_folder(root) / kind

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str, kind: type) -> Any | None:
        """The stored value if there is one of type `kind`; None otherwise."""
        try:
            value = pickle.loads(self._path(key).read_bytes())
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError):
            return None
        return value if isinstance(value, kind) else None

    def put(self, key: str, value: Any) -> None:
        try:
            write_bytes_atomic(self._path(key), pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only checkout still builds, just without a cache

    def kept(self) -> set[str]:
        """The keys the last `prune` kept: what the cache held at the end of the last
        build, read from one file instead of listing 256 folders."""
        return self._pruned()[0]

    def _pruned(self) -> tuple[set[str], dict[str, int]]:
        try:
            kept, times = pickle.loads((self.folder / PRUNED).read_bytes())
            return set(kept), dict(times)
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError):
            return set(), {}

    def prune(self, keep: set[str]) -> int:
        """Remove every stored value whose key is not in `keep`; returns how many.

        Listing the 20,000 files of a cache takes a tenth of a second, so each prune
        remembers the keys it kept and each folder's modification time (`PRUNED`). A
        folder whose time is the remembered one holds only keys kept then: of those, the
        ones not kept now are removed by name, and only folders with new files are listed.
        """
        memory = self.folder / PRUNED
        kept_before, times = self._pruned()
        removed = 0
        for key in kept_before - keep:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._path(key))
                removed += 1
        try:
            shards = [item for item in os.scandir(self.folder) if item.is_dir()]
        except OSError:
            return removed
        trusted_before = time.time_ns() - RACY_NS
        for shard in shards:
            if times.get(shard.name) == shard.stat().st_mtime_ns:
                continue
            for item in os.scandir(shard.path):
                name = item.name
                if name.endswith(".pickle") and name[: -len(".pickle")] not in keep:
                    with contextlib.suppress(FileNotFoundError):  # another build removed it
                        os.unlink(item.path)
                        removed += 1
        times = {}
        for shard in shards:
            with contextlib.suppress(OSError):
                changed = os.stat(shard.path).st_mtime_ns  # after the removals
                if changed < trusted_before:  # a file put in the same tick changes nothing
                    times[shard.name] = changed
        with contextlib.suppress(OSError):
            write_bytes_atomic(memory, pickle.dumps((set(keep), times), pickle.HIGHEST_PROTOCOL))
        return removed


class FolderListings:
    """Each folder's items sorted by name, as (name, kind) with the kinds of `_kind`
    ("d" a folder, "f" a regular file, "l" a link, "" anything else); listed once per
    run. With a `memory` file, a folder whose modification time is the one an earlier run
    recorded is not listed again: adding, removing or renaming an item changes it.
    Listing 20,000 folders costs three times what looking at their times does. The
    loader lists the entries this way, the page-weight report the built site."""

    def __init__(self, memory: Path | None = None) -> None:
        self.memory = memory
        self.listed: dict[str, list[tuple[str, str]]] = {}
        self.known: dict[str, tuple[int, list[tuple[str, str]]]] = {}
        self.learned = False
        self.trusted_before = time.time_ns() - RACY_NS
        if memory is not None:
            with contextlib.suppress(OSError, pickle.PickleError, EOFError, ValueError, TypeError):
                self.known = dict(pickle.loads(memory.read_bytes()))

    def __call__(self, folder: str) -> list[tuple[str, str]]:
        items = self.listed.get(folder)
        if items is not None:
            return items
        try:
            changed = os.stat(folder).st_mtime_ns
        except OSError:
            changed = None
        known = self.known.get(folder)
        if changed is not None and known is not None and known[0] == changed:
            items = known[1]
        else:
            items = _list_folder(folder)
            if changed is not None and changed < self.trusted_before:
                self.known[folder] = (changed, items)
                self.learned = True
        self.listed[folder] = items
        return items

    def save(self) -> None:
        """Record the folders this run listed (those gone are forgotten)."""
        if self.memory is None or not (self.learned or len(self.known) > len(self.listed)):
            return
        known = {folder: self.known[folder] for folder in self.listed if folder in self.known}
        try:
            data = pickle.dumps(known, pickle.HIGHEST_PROTOCOL)
            write_bytes_atomic(self.memory, data)
        except OSError:
            pass  # a read-only checkout still runs, just without the memory


def _list_folder(folder: str) -> list[tuple[str, str]]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=attrgetter("name"))
    except OSError:
        return []
    return [(e.name, _kind(e)) for e in entries]


def _kind(item: os.DirEntry) -> str:
    """ "d" a folder, "f" a regular file, "l" a link, "" anything else (a device, a pipe).
    Links are never followed: one in an entry folder could publish any file of the
    build machine, and a loop of them would never end."""
    try:
        if item.is_symlink():
            return "l"
        if item.is_dir(follow_symlinks=False):
            return "d"
        return "f" if item.is_file(follow_symlinks=False) else ""
    except OSError:
        return ""
