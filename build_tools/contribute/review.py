"""Checks that look beyond one entry file: copies of other entries, photo locations.

`load_repository` validates each file on its own (and runs on every site build);
these checks compare an entry with all the others or open its photos, so they
run where a person reviews a submission: `ifte check` and the pull-request check.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from build_tools.core.loader import Catalog, find_entry_files, load_repository
from build_tools.core.problems import Problem
from build_tools.core.similarity import check_near_duplicates
from build_tools.pages.images import check_entry_images


def review_catalog(catalog: Catalog, paths: Iterable[Path] | None = None) -> list[Problem]:
    """Near-duplicate and photo-location warnings for the entries `catalog` was loaded
    from (`paths`, as given to `load_repository`; None means the whole repository)."""
    root = catalog.root
    files = find_entry_files(root, paths)
    if paths is None:
        everyone, targets = catalog.entries, None
    else:  # a partial check still compares against every entry in the repository
        everyone, targets = (
            load_repository(root, vocabularies=catalog.vocabularies).entries,
            catalog.entries,
        )
    problems = check_near_duplicates(everyone, root, targets)
    problems += check_entry_images(sorted({f.parent for f in files if f.name == "index.md"}), root)
    return problems
