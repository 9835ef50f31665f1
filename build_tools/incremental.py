"""Rebuild only what changed: page keys, the build manifest and stale outputs.

A page's key is a hash of everything its template prints (the data we hand
over plus the body), or of what that data is made from (an entry's fingerprint),
and of a *site salt* covering the theme, the configuration and the code that
shapes pages. A later build with the same salt skips pages whose key is
unchanged and whose output still exists. The manifest is written only after a
build succeeded. Before it writes anything, each writer of a build (the pages, the
generated files) notes beside the manifest what it is about to write (`mark_writing`); a
build that failed, was interrupted or was killed leaves those notes, and the next build's
manifest forgets their keys, so an edit undone after it never finds its old key over the
unfinished build's page or file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.cache import CACHE_FOLDER, map_by_fingerprint
from build_tools.model import Entry
from build_tools.presentation import present_card
from build_tools.writing import write_text_atomic

MANIFEST_NAME = "pages.json"
PREVIEW_MANIFEST_NAME = "pages-preview.json"  # `mkdocs serve` builds into its own folder
# ...or into a temporary one (another session holds it, or `mkdocs serve` without --dirty).
TEMPORARY_PREVIEW_MANIFEST_NAME = "pages-preview-temporary.json"
WRITING_SUFFIX = ".writing"  # beside a manifest: what a build that has not finished writes


def _default(value: object) -> object:
    if hasattr(value, "__dict__"):
        return vars(value)
    return str(value)


def page_key(*parts: object) -> str:
    """Stable hash of JSON-able page data (dataclasses and dates are accepted)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=_default)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def text_key(*parts: str) -> str:
    """`page_key` of plain strings, without JSON: 20,000 entry pages are keyed per build."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def plan_card_keys(
    entries: Iterable[Entry],
    fingerprints: Mapping[str, str],
    present: Callable[[Entry], dict],
    root: Path,
    salt: str,
) -> dict[str, str]:
    """Entry id → key of the entry's card, the part of a listing page an entry shapes.

    Cards are kept between builds under the entry's fingerprint and `salt` (the code and
    settings that shape cards): only the cards of changed entries are presented again.
    """
    return map_by_fingerprint(
        root, "card-keys", salt, entries, fingerprints, lambda e: page_key(present_card(present(e)))
    )


def site_salt(paths: Iterable[Path], *extra: str) -> str:
    """Hash of the files (and folders, recursively) that shape every page."""
    digest = hashlib.sha256("\0".join(extra).encode())
    for path in sorted(paths):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file).encode() + b"\0")
            digest.update(file.read_bytes() if file.exists() else b"")
    return digest.hexdigest()[:24]


@dataclass
class BuildManifest:
    salt: str = ""
    site_dir: str = ""
    pages: dict[str, str] = field(default_factory=dict)  # src_uri → key
    outputs: list[str] = field(default_factory=list)  # every file the build made, site-relative
    files: dict[str, str] = field(default_factory=dict)  # generated file's uri → its key

    @classmethod
    def load(cls, root: Path, name: str = MANIFEST_NAME) -> BuildManifest:
        """The last finished build's manifest, less what an unfinished build since may
        have written over (its note is then folded in and removed)."""
        path = root / CACHE_FOLDER / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = cls(
                data["salt"],
                data["site_dir"],
                dict(data["pages"]),
                list(data["outputs"]),
                dict(data.get("files", {})),
            )
        except (OSError, ValueError, KeyError, TypeError):
            manifest = cls()
        notes = sorted(path.parent.glob(f"{path.name}{WRITING_SUFFIX}.*"))
        if not notes:
            return manifest
        pages: set[str] = set()
        files: set[str] = set()
        for note in notes:
            try:
                writing = json.loads(note.read_text(encoding="utf-8"))
                pages.update(writing["pages"])
                files.update(writing["files"])
            except (OSError, ValueError, KeyError, TypeError):  # unreadable: trust no key
                pages.update(manifest.pages)
                files.update(manifest.files)
        manifest.forget(pages, files)
        manifest.save(root, name)  # before a next build notes what it writes
        return manifest

    def forget(self, pages: set[str], files: set[str]) -> None:
        """Drop the keys of pages (src_uris) and files (uris) a build may have written
        without finishing; their outputs stay listed, for a later build to remove if it
        no longer makes them."""
        self.pages = {uri: key for uri, key in self.pages.items() if uri not in pages}
        self.files = {uri: key for uri, key in self.files.items() if uri not in files}
        self.outputs = sorted({*self.outputs, *map(output_path, pages), *files})

    def save(self, root: Path, name: str = MANIFEST_NAME) -> None:
        """Write the manifest of a finished build, which ends the note of what it wrote."""
        data = {
            "salt": self.salt,
            "site_dir": self.site_dir,
            "pages": self.pages,
            "outputs": sorted(self.outputs),
            "files": self.files,
        }
        path = root / CACHE_FOLDER / name
        write_text_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True))
        for note in path.parent.glob(f"{path.name}{WRITING_SUFFIX}.*"):
            note.unlink(missing_ok=True)


def mark_writing(
    root: Path, name: str, writer: str, pages: Iterable[str] = (), files: Iterable[str] = ()
) -> None:
    """Note, before they are written, the pages (src_uris) or files (uris) one `writer` of
    a build is about to write (each writer its own note: they may run in two processes).
    Until the build's manifest is saved, a next build trusts none of their keys."""
    note = {"pages": sorted(pages), "files": sorted(files)}
    write_text_atomic(root / CACHE_FOLDER / f"{name}{WRITING_SUFFIX}.{writer}", json.dumps(note))


def output_path(src_uri: str) -> str:
    """Where a page's HTML is written, relative to the site folder, as MkDocs writes it
    with directory URLs: `a/index.md` → `a/index.html`, `a/b.md` → `a/b/index.html`."""
    stem = src_uri.removesuffix(".md")
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{folder}/index.html" if folder else "index.html"
    return f"{stem}/index.html"


def plan_stale_outputs(previous: BuildManifest, site_dir: Path, current: set[str]) -> list[Path]:
    """Files an earlier build into the same folder made that this build no longer makes."""
    if previous.site_dir != str(site_dir):
        return []
    return sorted(site_dir / path for path in set(previous.outputs) - current)


def remove_stale_outputs(site_dir: Path, stale: list[Path]) -> None:
    for path in stale:
        path.unlink(missing_ok=True)
    for path in sorted({p.parent for p in stale}, key=lambda p: len(p.parts), reverse=True):
        while path != site_dir and path.is_dir() and not any(path.iterdir()):
            path.rmdir()
            path = path.parent


def unchanged(
    manifest: BuildManifest, salt: str, site_dir: Path, keys: Mapping[str, str]
) -> set[str]:
    """src_uris whose output can be kept as it is."""
    if manifest.salt != salt or manifest.site_dir != str(site_dir):
        return set()
    folder = f"{site_dir}{os.sep}"  # plain strings: pathlib costs a second at 30,000 pages
    return {
        uri
        for uri, key in keys.items()
        if manifest.pages.get(uri) == key and os.path.exists(folder + output_path(uri))
    }
