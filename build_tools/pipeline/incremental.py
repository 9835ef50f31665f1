"""Rebuild only what changed: page keys, the build manifest and stale outputs.

A page's key is a hash of everything its template prints (the data we hand
over plus the body), or of what that data is made from (an entry's fingerprint),
and of a *site salt* covering the theme, the configuration and the code that
shapes pages. A later build with the same salt skips pages whose key is
unchanged and whose output still exists. The manifest is written after a build
finished, and its key is written into that build's stamp: a folder whose stamp does
not carry the key (a build failed or was killed in it) keeps nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.core.cache import CACHE_FOLDER, build_fingerprint, map_by_fingerprint
from build_tools.core.model import Entry
from build_tools.core.writing import write_text_atomic
from build_tools.pages.presentation import present_card

MANIFEST_NAME = "pages.json"
PREVIEW_MANIFEST_NAME = "pages-preview.json"  # `mkdocs serve` builds into its own folder


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


def site_salt(root: Path, paths: Iterable[Path]) -> str:
    """Hash of what shapes every page: the files (and folders, recursively) given, named
    relative to `root`, and the build's code and installed packages (`build_fingerprint`)."""
    digest = hashlib.sha256(build_fingerprint().encode())
    for path in sorted(paths):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            name = file.relative_to(root) if file.is_relative_to(root) else file
            digest.update(str(name).encode() + b"\0")
            digest.update(file.read_bytes() if file.exists() else b"")
    return digest.hexdigest()[:24]


@dataclass
class BuildManifest:
    """What a finished build made: each keyed page and file under its key, and every output.

    It is trusted only for a site folder whose build stamp carries its `key`
    (`trusted_manifest`): a build that failed, was killed or was swapped out leaves a
    folder whose stamp does not match, and the next build then keeps nothing.
    """

    salt: str = ""
    pages: dict[str, str] = field(default_factory=dict)  # src_uri → key
    outputs: list[str] = field(default_factory=list)  # every file the build made, site-relative
    files: dict[str, str] = field(default_factory=dict)  # generated file's uri → its key

    def _json(self) -> str:
        data = {
            "salt": self.salt,
            "pages": self.pages,
            "outputs": sorted(self.outputs),
            "files": self.files,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @property
    def key(self) -> str:
        return hashlib.sha256(self._json().encode()).hexdigest()[:24]

    @classmethod
    def load(cls, root: Path, name: str = MANIFEST_NAME) -> BuildManifest:
        try:
            data = json.loads((root / CACHE_FOLDER / name).read_text(encoding="utf-8"))
            return cls(
                data["salt"], dict(data["pages"]), list(data["outputs"]), dict(data["files"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, root: Path, name: str = MANIFEST_NAME) -> None:
        write_text_atomic(root / CACHE_FOLDER / name, self._json())


def trusted_manifest(root: Path, name: str, stamped_key: str) -> BuildManifest:
    """The manifest saved last, if it describes the folder whose stamp says `stamped_key`;
    else an empty one (nothing is kept)."""
    manifest = BuildManifest.load(root, name)
    return manifest if stamped_key and manifest.key == stamped_key else BuildManifest()


def output_path(src_uri: str) -> str:
    """Where a page's HTML is written, relative to the site folder, as MkDocs writes it
    with directory URLs: `a/index.md` → `a/index.html`, `a/b.md` → `a/b/index.html`."""
    stem = src_uri.removesuffix(".md")
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{folder}/index.html" if folder else "index.html"
    return f"{stem}/index.html"


def plan_stale_outputs(previous: BuildManifest, site_dir: Path, current: set[str]) -> list[Path]:
    """Files the earlier build of this folder made that this build no longer makes."""
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
    if manifest.salt != salt:
        return set()
    folder = f"{site_dir}{os.sep}"  # plain strings: pathlib costs a second at 30,000 pages
    return {
        uri
        for uri, key in keys.items()
        if manifest.pages.get(uri) == key and os.path.exists(folder + output_path(uri))
    }
