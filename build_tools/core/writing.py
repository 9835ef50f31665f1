"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` already has exactly `data` (the size is checked first)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_bytes_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file and rename.

    Returns False (and leaves the file untouched, keeping its mtime) when the
    content is already identical, so unchanged outputs stay unchanged.
    """
    path = Path(path)
    if holds(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def write_text_atomic(path: Path, text: str) -> bool:
    return write_bytes_atomic(path, text.encode("utf-8"))
