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

BUILDING = ".building"  # the new site: `site.building`, beside the one it replaces
# The replaced site, kept (hidden, `.site.previous`) as the start of the next build's
# folder: bringing it up to date links only what changed, where linking all of a site of
# 20,000 entries and removing the replaced one take seconds.
PREVIOUS = ".previous"


def building_folder(site: Path) -> Path:
    return site.with_name(site.name + BUILDING)


def previous_folder(site: Path) -> Path:
    return site.with_name(f".{site.name}{PREVIOUS}")


def prepare_building(site: Path, full: bool) -> Path:
    """The folder a build writes into: empty for a full build, else holding `site`'s files
    hard-linked. A killed build's folder is reused like the previous site's: what it
    holds is made equal to `site` by inode, whatever the build did to it."""
    abandon_building(site)
    building, previous = building_folder(site), previous_folder(site)
    if full or not site.is_dir():
        shutil.rmtree(previous, ignore_errors=True)
        building.mkdir(parents=True)
        return building
    if previous.is_dir():
        previous.rename(building)
    else:
        building.mkdir(parents=True)
    mirror_links(site, building)
    return building


def abandon_building(site: Path) -> None:
    """After a failed or killed build: its folder is kept as the previous site's (the
    next build makes it equal to `site` again), or removed."""
    building, previous = building_folder(site), previous_folder(site)
    if building.exists() and not previous.exists():
        building.rename(previous)
    shutil.rmtree(building, ignore_errors=True)


def _scan(root: Path) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """Relative path → (device, inode) of every file below `root`, and every folder."""
    files: dict[str, tuple[int, int]] = {}
    folders: set[str] = set()
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(root, relative)) as entries:
            for entry in entries:
                path = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(path)
                    pending.append(path)
                else:
                    status = entry.stat(follow_symlinks=False)
                    files[path] = (status.st_dev, status.st_ino)
    return files, folders


def mirror_links(source: Path, target: Path) -> None:
    """Make `target` hold exactly `source`'s files, each a hard link to it (a copy across
    devices): what already is the same file (same inode) is left as it is."""
    want_files, want_folders = _scan(source)
    have_files, have_folders = _scan(target)
    for path in have_files.keys() - want_files.keys():
        os.unlink(os.path.join(target, path))
    for path in sorted(have_folders - want_folders, key=len, reverse=True):
        shutil.rmtree(os.path.join(target, path), ignore_errors=True)
    for path in sorted(want_folders - have_folders, key=len):
        os.makedirs(os.path.join(target, path), exist_ok=True)
    for path, identity in want_files.items():
        if have_files.get(path) == identity:
            continue
        old, new = os.path.join(source, path), os.path.join(target, path)
        if path in have_files:
            os.unlink(new)
        try:
            os.link(old, new, follow_symlinks=False)
        except OSError:
            shutil.copy2(old, new, follow_symlinks=False)


def swap_in(new: Path, site: Path) -> None:
    """Put folder `new` where `site` is, in one step where the system allows it; the
    replaced site is kept as the previous one."""
    previous = previous_folder(site)
    shutil.rmtree(previous, ignore_errors=True)
    if not site.exists():
        new.rename(site)
    elif _exchange(new, site):
        new.rename(previous)
    else:  # two renames: between them, no folder at `site`
        site.rename(previous)
        new.rename(site)


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
