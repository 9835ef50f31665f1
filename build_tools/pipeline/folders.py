"""A new site folder beside the served one, swapped in whole (`ifte build`).

The new folder starts as hard links to the served one's files; a writer that replaces
a file (ours write a new file and rename it; the adapter unlinks what MkDocs rewrites)
leaves the served folder's bytes alone, so a build that fails or is killed changes
nothing that is served.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

BUILDING_SUFFIX = ".building"  # the new site, beside the one it replaces
RETIRED_SUFFIX = ".retired"  # the replaced site, until it is removed


def link_tree(source: Path, target: Path) -> None:
    """`target`: the folders of `source`, its files hard-linked (copied across devices)."""
    for folder, _names, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        os.makedirs(os.path.join(target, relative), exist_ok=True)
        for name in files:
            old, new = os.path.join(folder, name), os.path.join(target, relative, name)
            try:
                os.link(old, new, follow_symlinks=False)
            except OSError:
                shutil.copy2(old, new, follow_symlinks=False)


def swap_in(new: Path, site: Path) -> None:
    """Put folder `new` where `site` is, in one step where the system allows it."""
    if not site.exists():
        new.rename(site)
        return
    if not _exchange(new, site):  # two renames: between them, no folder at `site`
        retired = site.with_name(site.name + RETIRED_SUFFIX)
        site.rename(retired)
        new.rename(site)
    retired = new if new.exists() else site.with_name(site.name + RETIRED_SUFFIX)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Linux `renameat2(RENAME_EXCHANGE)`: swap two paths atomically."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def empty_folder(folder: Path) -> None:
    for item in folder.iterdir():
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()
