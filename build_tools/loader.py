"""Load the whole repository: every entry, every problem, cross-entry checks.

The CLI (`ifte check`, `ifte build`) and the MkDocs plugin both call
`load_repository`, so the rules are the same everywhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from build_tools.cache import ResultCache, code_fingerprint
from build_tools.entries import EntryResult, read_entry
from build_tools.history import last_updated, read_git_dates
from build_tools.model import Entry
from build_tools.problems import Problem, make_problem, sort_problems
from build_tools.vocabularies import VOCABULARY_FILE, Vocabularies, load_vocabularies
from build_tools.workers import map_in_processes

ENTRIES_FOLDER = "innovations"
_ENTRY_MODULES = (
    "entries",
    "fields",
    "frontmatter",
    "privacy",
    "attachments",
    "problems",
    "vocabularies",
    "model",
)


@dataclass(frozen=True)
class Catalog:
    """All valid entries (newest first) and all problems found while loading."""

    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    vocabularies: Vocabularies
    files_checked: int
    root: Path

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)


def find_entry_files(root: Path, paths: Iterable[Path] | None = None) -> list[Path]:
    """Markdown files under innovations/ (or under the given paths), sorted."""
    if paths is None:  # the whole repository; `root` is resolved, and so is all below it
        return sorted(p for p in (root / ENTRIES_FOLDER).rglob("*.md") if p.is_file())
    found: set[Path] = set()
    for path in paths:
        path = path if path.is_absolute() else (root / path)
        if path.is_dir():
            found.update(p for p in path.rglob("*.md") if p.is_file())
        elif path.suffix == ".md" and path.is_file():
            found.add(path)
    return sorted(p.resolve() for p in found)


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
    files = find_entry_files(root, paths)
    git_dates = read_git_dates(root)
    problems: list[Problem] = []
    entries: list[Entry] = []
    for path, result in zip(files, read_entries(root, files, vocabularies), strict=True):
        problems.extend(result.problems)
        if result.entry is not None:
            updated = last_updated(path, root, git_dates)
            entries.append(dataclasses.replace(result.entry, updated=updated))
    problems.extend(check_duplicate_slugs(files, root))
    entries.sort(key=newest_first)
    return Catalog(tuple(entries), tuple(sort_problems(problems)), vocabularies, len(files), root)


def check_duplicate_slugs(files: list[Path], root: Path) -> list[Problem]:
    """A slug is an entry's name: it must be unique across all years."""
    everyone = set((root / ENTRIES_FOLDER).glob("*/*/index.md"))  # root is resolved
    first: dict[str, Path] = {}
    for path in sorted(everyone | set(files)):
        first.setdefault(path.parent.name, path)
    problems = []
    for path in files:
        owner = first.get(path.parent.name)
        if path.name == "index.md" and owner is not None and owner != path:
            display = path.relative_to(root).as_posix()
            other = owner.relative_to(root).parent.as_posix()
            problems.append(
                make_problem("duplicate-slug", display, value=path.parent.name, other=other)
            )
    return problems


def _folder_signature(folder: Path) -> bytes:
    """Names, sizes and times of an entry's other files: attachments are checked too."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.name != "index.md" and path.is_file():
            stat = path.stat()
            parts.append(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return "\n".join(parts).encode()


def _read_one(path_and_data: tuple[Path, bytes], root: Path, vocabularies: Vocabularies):
    return read_entry(path_and_data[0], root, vocabularies, path_and_data[1])


def read_entries(root: Path, files: list[Path], vocabularies: Vocabularies) -> list[EntryResult]:
    """`read_entry` for every file, from the cache when the files are unchanged, the rest
    in parallel worker processes. Results come back in the order of `files`."""
    vocabulary_bytes = repr(vocabularies.by_kind).encode()
    salt = (
        code_fingerprint(*_ENTRY_MODULES)
        + hashlib.sha256(vocabulary_bytes + str(root).encode()).hexdigest()[:16]
    )
    cache = ResultCache(root, "entries", salt)
    results: list[EntryResult | None] = []
    keys: list[str] = []
    missing: list[int] = []
    contents: list[bytes] = []
    for index, path in enumerate(files):
        data = path.read_bytes()
        key = hashlib.sha256(
            data + b"\0" + str(path).encode() + b"\0" + _folder_signature(path.parent)
        ).hexdigest()
        keys.append(key)
        cached = cache.get(key)
        results.append(cached)
        if cached is None:
            missing.append(index)
            contents.append(data)  # read once: handed to read_entry below
    jobs = [(files[i], data) for i, data in zip(missing, contents, strict=True)]
    fresh = map_in_processes(_read_one, jobs, root, vocabularies, chunksize=64)
    for index, result in zip(missing, fresh, strict=True):
        results[index] = result
    for key, result in zip(keys, results, strict=True):
        cache.put(key, result)
    cache.save()
    return results  # type: ignore[return-value]
