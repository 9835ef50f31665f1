"""Load the whole repository: every entry, every problem, cross-entry checks.

The CLI (`ifte check`, `ifte build`) and the MkDocs plugin both call
`load_repository`, so the rules are the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from build_tools.core.attachments import format_display_name, is_safe_name
from build_tools.core.cache import (
    ENTRY_SHARDS,
    RACY_NS,
    FolderListings,
    ResultCache,
    store_folder,
)
from build_tools.core.entries import EntryResult, keep_body_in_file, read_entry
from build_tools.core.errors import IfteError
from build_tools.core.history import last_updated, read_git_dates
from build_tools.core.model import Entry, format_codes_digest
from build_tools.core.problems import Problem, make_problem, sort_problems
from build_tools.core.vocabularies import VOCABULARY_FILE, Vocabularies, load_vocabularies
from build_tools.core.workers import map_in_processes

ENTRIES_FOLDER = "innovations"
FOLDER_MEMORY = "folders.pickle"  # in the store: see `cache.FolderListings`


@dataclass(frozen=True)
class Catalog:
    """All valid entries (newest first) and all problems found while loading."""

    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    vocabularies: Vocabularies
    files_checked: int
    root: Path
    # Entry id → hash of all the entry was made from: its files, the vocabularies, the code
    # that read it and its date. Equal fingerprints (in any build) mean equal entries.
    fingerprints: Mapping[str, str] = field(default_factory=dict)
    # Names of every folder holding an entry file, valid or not: names already taken.
    folder_names: frozenset[str] = frozenset()

    @cached_property
    def codes_digest(self) -> str:
        """`format_codes_digest` of the entries, in catalogue order."""
        return format_codes_digest(self.entries)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)


def find_project_root(start: Path) -> Path:
    """The nearest folder upwards holding vocabularies.yml (the project root)."""
    for folder in (start, *start.parents):
        if (folder / VOCABULARY_FILE).is_file():
            return folder
    raise IfteError(
        f"ไม่พบโฟลเดอร์โครงการ (ไฟล์ {VOCABULARY_FILE}) จาก {start}",
        f"No project folder (with {VOCABULARY_FILE}) found from {start}",
    )


def find_entry_files(root: Path, paths: Iterable[Path] | None = None) -> list[Path]:
    """Markdown files under innovations/ (or under the given paths), sorted."""
    return [Path(name) for name in _find_entry_names(root, paths, FolderListings())]


def _find_entry_names(
    root: Path,
    paths: Iterable[Path] | None,
    listings: FolderListings,
    unsafe: list[str] | None = None,
) -> list[str]:
    """`find_entry_files` as strings: pathlib costs a second for 20,000 entries. `listings`
    keeps the folder listings made on the way, for a second look at the same folders; the
    paths of links, special files and unreadable names met on the way go to `unsafe`."""
    unsafe = [] if unsafe is None else unsafe
    if paths is None:  # the whole repository; `root` is resolved, and so is all below it
        return _find_markdown(str(root / ENTRIES_FOLDER), listings, unsafe)
    found: set[str] = set()
    for path in paths:
        path = path if path.is_absolute() else (root / path)
        kind = _kind_of(path)
        if kind == "d":
            found.update(_find_markdown(str(path.resolve()), listings, unsafe))
        elif kind == "f" and path.suffix == ".md":
            if is_safe_name(path.name):
                found.add(str(path.parent.resolve() / path.name))
            else:
                unsafe.append(str(path))
        elif kind in ("l", ""):
            unsafe.append(str(path))
    return sorted(found, key=lambda p: p.split(os.sep))


def _kind_of(path: Path) -> str | None:
    """`cache.FolderListings`' kind of one path (links not followed), None if absent."""
    try:
        mode = path.lstat().st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISLNK(mode):
        return "l"
    return "d" if stat.S_ISDIR(mode) else "f" if stat.S_ISREG(mode) else ""


def _find_markdown(folder: str, listings: FolderListings, unsafe: list[str]) -> list[str]:
    return [path for name, path in _walk_files(folder, listings, unsafe) if name.endswith(".md")]


def _walk_files(
    folder: str, listings: FolderListings, unsafe: list[str] | None = None
) -> list[tuple[str, str]]:
    """(name, path) of the regular files below `folder` in the order of their sorted paths,
    with one directory listing per folder: pathlib costs seconds for thousands of entries.
    Links are never followed nor read, and neither are special files or names that are not
    UTF-8 text: their paths go to `unsafe`, for the loader to report."""
    files: list[tuple[str, str]] = []
    stack = [(folder, iter(listings(folder)))]
    while stack:
        parent, items = stack[-1]
        for name, kind in items:
            path = f"{parent}{os.sep}{name}"
            if kind not in ("d", "f") or not is_safe_name(name):
                if unsafe is not None:
                    unsafe.append(path)
            elif kind == "d":
                stack.append((path, iter(listings(path))))
                break  # its files come before the rest of this folder's
            else:
                files.append((name, path))
        else:
            stack.pop()
    return files


def newest_first(entry: Entry) -> tuple:
    return (-entry.year, -(entry.submitted.toordinal() if entry.submitted else 0), entry.slug)


def load_repository(
    root: Path,
    paths: Iterable[Path] | None = None,
    vocabularies: Vocabularies | None = None,
) -> Catalog:
    """Read and validate entries. With `paths`, only those files are read (as in a
    pull-request check), but duplicate slugs are still checked against all entries."""
    root = root.resolve()  # so that paths found below it need no resolving (slow for thousands)
    vocabulary_path = root / VOCABULARY_FILE
    if vocabularies is None:
        vocabularies = load_vocabularies(vocabulary_path)
    files, scanned, unsafe = scan_entry_files(root, None if paths is None else list(paths))
    caches = EntryCaches(root, vocabularies)
    git_dates = read_git_dates(root)
    problems: list[Problem] = []
    entries: list[Entry] = []
    fingerprints: dict[str, str] = {}
    for result, fingerprint in read_entries(root, files, scanned, vocabularies, git_dates, caches):
        problems.extend(result.problems)
        if result.entry is not None:
            entries.append(result.entry)
            fingerprints[result.entry.id] = fingerprint
    caches.save()
    problems.extend(check_duplicate_slugs(files, root, complete=paths is None))
    problems.extend(check_unsafe_files(unsafe, root))
    entries = _drop_entries_beside(entries, unsafe)
    entries.sort(key=newest_first)
    return Catalog(
        tuple(entries),
        tuple(sort_problems(problems)),
        vocabularies,
        len(files),
        root,
        fingerprints,
        frozenset(_folder_name(name) for name in files if name.endswith(f"{os.sep}index.md")),
    )


def _folder_name(path: str) -> str:
    return path.rsplit(os.sep, 2)[-2]


def check_duplicate_slugs(files: list[str], root: Path, complete: bool = False) -> list[Problem]:
    """A slug is an entry's name: it must be unique across all years. `complete` says
    that `files` (sorted paths, as strings) are all the repository's entry files."""
    everyone = files
    if not complete:
        others = {str(p) for p in (root / ENTRIES_FOLDER).glob("*/*/index.md")}  # resolved
        everyone = sorted(others | set(files))
    first: dict[str, str] = {}
    for path in everyone:
        first.setdefault(_folder_name(path), path)
    problems = []
    prefix = len(f"{root}{os.sep}")
    for path in files:
        slug = _folder_name(path)
        owner = first.get(slug)
        if os.path.basename(path) == "index.md" and owner is not None and owner != path:
            display = path[prefix:].replace(os.sep, "/")
            other = os.path.dirname(owner)[prefix:].replace(os.sep, "/")
            problems.append(make_problem("duplicate-slug", display, value=slug, other=other))
    return problems


def _folder_signature(folder: str, listings: FolderListings, unsafe: list[str]) -> str:
    """Names, sizes and times of an entry's other files (attachments are checked too);
    its links, special files and unreadable names go to `unsafe`."""
    prefix = len(folder) + 1
    parts = []
    for name, path in _walk_files(folder, listings, unsafe):
        if name != "index.md":
            try:
                found = os.lstat(path)
            except OSError:  # gone since the folder was listed: a later build sees it
                continue
            parts.append(f"{path[prefix:]}\0{found.st_size}\0{found.st_mtime_ns}")
    return "\n".join(parts)


# What `scan_entry_files` finds of an entry file: (size, mtime_ns, ctime_ns, inode), its
# folder's signature (`_folder_signature`), its mtime in seconds.
ScannedFile = tuple[tuple[int, int, int, int], str, float]


def scan_entry_files(
    root: Path, paths: list[Path] | None
) -> tuple[list[str], list[ScannedFile], list[str]]:
    """The entry files (`find_entry_files`, as strings) and what their stats say: all a
    load needs to know which cached results still hold; and the paths of the links,
    special files and unreadable names met (`_walk_files`). Plain tuples: it may travel
    back from a forked process."""
    # Only a look at the whole repository remembers its folders for the next.
    listings = FolderListings(store_folder(root) / FOLDER_MEMORY if paths is None else None)
    unsafe: list[str] = []
    files = _find_entry_names(root, paths, listings, unsafe)
    scanned = []
    for path in files:
        found = os.lstat(path)
        folder = _folder_signature(os.path.dirname(path), listings, unsafe)
        times = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)
        scanned.append((times, folder, found.st_mtime))
    listings.save()
    return files, scanned, sorted(set(unsafe))


def check_unsafe_files(unsafe: list[str], root: Path) -> list[Problem]:
    """An `unsafe-file` error for each link, special file or unreadable name in the
    entries' folders: none of them is ever read or published."""
    prefix = len(f"{root}{os.sep}")
    problems = []
    for path in unsafe:
        display = format_display_name(path[prefix:] if path.startswith(str(root)) else path)
        problems.append(make_problem("unsafe-file", display.replace(os.sep, "/")))
    return problems


def _drop_entries_beside(entries: list[Entry], unsafe: list[str]) -> list[Entry]:
    """Entries whose folder holds no unsafe file: an error keeps an entry off the site."""
    if not unsafe:
        return entries
    folders = [os.path.dirname(path) + os.sep for path in unsafe]
    return [
        entry
        for entry in entries
        if not any(folder.startswith(f"{entry.folder}{os.sep}") for folder in folders)
    ]


class EntryCaches:
    """The cached results of reading entries, and the stat signatures they are known
    under; reading them is half of a load that finds few changes."""

    def __init__(self, root: Path, vocabularies: Vocabularies) -> None:
        vocabulary_bytes = repr(vocabularies.by_kind).encode()
        self.salt = hashlib.sha256(vocabulary_bytes + str(root).encode()).hexdigest()[:16]
        self.entries = ResultCache(root, "entries", self.salt, shards=ENTRY_SHARDS, remember=True)
        # Stat signature → key in `entries`; in shards too: an edit rewrites two of them.
        self.stats = ResultCache(root, "entry-stats", self.salt, shards=ENTRY_SHARDS, remember=True)

    def save(self) -> None:
        self.entries.save()
        self.stats.save()


def _read_one(path_and_data: tuple[str, bytes], root: Path, vocabularies: Vocabularies):
    return read_entry(Path(path_and_data[0]), root, vocabularies, path_and_data[1])


def read_entries(
    root: Path,
    files: list[str],
    scanned: list[ScannedFile],
    vocabularies: Vocabularies,
    git_dates: dict[str, dt.date],
    caches: EntryCaches,
) -> list[tuple[EntryResult, str]]:
    """`read_entry` for every file, each entry with its last-updated date, each result with
    its fingerprint (see `Catalog.fingerprints`; "" without an entry). Results come back
    in the order of `files`;
    `scanned` is what `scan_entry_files` found of them.

    A result is cached under a hash of the file, its path and its folder's other files.
    The hash in turn is remembered under the file's size, times and inode: a file whose
    stat is as at an earlier build is not even read. Files not in the cache are read in
    parallel worker processes.
    """
    cache, known, salt = caches.entries, caches.stats, caches.salt
    trusted_before = time.time_ns() - RACY_NS
    results: list[EntryResult | None] = []
    keys: list[str] = []
    missing: list[int] = []
    contents: list[bytes] = []
    for index, (path, (times, folder, _)) in enumerate(zip(files, scanned, strict=True)):
        size, mtime_ns, ctime_ns, inode = times
        # Every write sets the ctime, and no tool sets it back (unlike the mtime): an edit
        # that keeps the size and restores the mtime still changes the signature.
        signature = "\0".join(map(str, (path, size, mtime_ns, ctime_ns, inode, folder)))
        key = known.get(signature)
        cached = None if key is None else cache.get(key)
        if cached is None:
            data = Path(path).read_bytes()
            key = hashlib.sha256(data + b"\0" + path.encode() + b"\0" + folder.encode()).hexdigest()
            cached = cache.get(key)
            if cached is None:
                missing.append(index)
                contents.append(data)  # read once: handed to read_entry below
        if max(mtime_ns, ctime_ns) < trusted_before:
            known.put(signature, key)
        results.append(cached)
        keys.append(key)
    jobs = [(files[i], data) for i, data in zip(missing, contents, strict=True)]
    fresh = map_in_processes(_read_one, jobs, root, vocabularies, chunksize=64)
    for index, data, result in zip(missing, contents, fresh, strict=True):
        if result.entry is not None:  # cached and used without its body, read on demand
            result = EntryResult(keep_body_in_file(result.entry, data), result.problems)
        results[index] = result
    read = []
    for path, (_, _, mtime), key, result in zip(files, scanned, keys, results, strict=True):
        fingerprint = ""
        if result.entry is not None:
            updated = last_updated(path, root, git_dates, mtime)
            if result.entry.updated != updated:
                # Cached with its date: while the date stays, no entry is copied again.
                entry = result.entry.replace(updated=updated)
                result = EntryResult(entry, result.problems)
            fingerprint = hashlib.sha256(f"{salt}\0{key}\0{updated}".encode()).hexdigest()[:32]
            result.entry.precompute()
        cache.put(key, result)
        read.append((result, fingerprint))
    return read
