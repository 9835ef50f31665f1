"""Check an entry that is not in the repository yet, in a scratch copy of its folder:
the same rules as `ifte check`, for `ifte import` and the issue form's pull requests."""

from __future__ import annotations

import tempfile
from pathlib import Path

from build_tools.contribute.package import ENTRY_FILE
from build_tools.core.entries import read_entry
from build_tools.core.loader import load_repository
from build_tools.core.problems import sort_problems
from build_tools.core.similarity import check_near_duplicates
from build_tools.core.vocabularies import Vocabularies
from build_tools.core.writing import write_bytes_atomic
from build_tools.pages.images import check_entry_images


def check_in_scratch(
    root: Path,
    relative: str,
    index: bytes,
    files: tuple[tuple[str, bytes], ...],
    vocabularies: Vocabularies,
):
    """(problems, entry or None) of an entry not yet in `root`, checked in a temporary
    copy of its folder, and against every entry of `root` for near-duplicates."""
    with tempfile.TemporaryDirectory(prefix="ifte-import-") as scratch:
        scratch_root = Path(scratch)
        target = scratch_root / relative
        write_entry(target.parent, index, files)
        result = read_entry(target, scratch_root, vocabularies)
        problems = list(result.problems)
        problems += check_entry_images([target.parent], scratch_root)
        if result.entry is not None:
            everyone = [*load_repository(root, vocabularies=vocabularies).entries, result.entry]
            problems += check_near_duplicates(everyone, root, [result.entry])
    return tuple(sort_problems(problems)), result.entry


def write_entry(folder: Path, index: bytes, files: tuple[tuple[str, bytes], ...]) -> None:
    write_bytes_atomic(folder / ENTRY_FILE, index)
    for name, data in files:
        write_bytes_atomic(folder.joinpath(*name.split("/")), data)
