"""A content-addressed cache of work that depends only on an entry's files.

Reading, validating and analysing an entry is pure: the same bytes (and the same
vocabularies and code) give the same result. Results are kept in one pickle per
kind under `.cache/ifte/` at the project root; a fresh clone simply starts
empty. Entries not used by a build are dropped when it saves, so the cache
never grows past the repository.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import build_tools
from build_tools.writing import write_bytes_atomic

CACHE_FOLDER = ".cache/ifte"


def code_fingerprint(*modules: str) -> str:
    """Hash of the named build_tools modules' source, so a code change invalidates results."""
    digest = hashlib.sha256(build_tools.__version__.encode())
    package = Path(build_tools.__file__).parent
    for name in sorted(modules):
        path = package / f"{name.replace('.', '/')}.py"
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


class ResultCache:
    """Maps a key (a content hash string) to a picklable result."""

    def __init__(self, root: Path, kind: str, salt: str) -> None:
        self.path = root / CACHE_FOLDER / f"{kind}.pickle"
        self.salt = salt
        self._old: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0
        try:
            salt_stored, data = pickle.loads(self.path.read_bytes())
            if salt_stored == salt:
                self._old = data
        except (
            OSError,
            pickle.PickleError,
            EOFError,
            ValueError,
            TypeError,
            AttributeError,
            ImportError,
        ):
            pass  # a missing or stale cache is an empty cache

    def get(self, key: str) -> Any | None:
        value = self._old.get(key)
        if value is not None:
            self.hits += 1
            self._used[key] = value
        else:
            self.misses += 1
        return value

    def latest(self) -> Any | None:
        """Any stored result (for a caller that accepts a stale one), or None."""
        return next(reversed(self._old.values()), None)

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value

    def save(self) -> None:
        """Write what this run used; skipped when nothing changed."""
        if self._used.keys() == self._old.keys() and self.misses == 0:
            return
        data = pickle.dumps((self.salt, self._used), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            write_bytes_atomic(self.path, data)
        except OSError:
            pass  # a read-only checkout still builds, just without a cache


class FileCache:
    """One small pickle per key under `.cache/ifte/<kind>/`: for results a build may need
    only a few of (an incremental build reads just the files of the pages it renders)."""

    def __init__(self, root: Path, kind: str) -> None:
        self.folder = root / CACHE_FOLDER / kind

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

    def prune(self, keep: set[str]) -> int:
        """Remove every stored value whose key is not in `keep`; returns how many."""
        removed = 0
        for path in self.folder.glob("*/*.pickle"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
