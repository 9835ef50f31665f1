"""`ifte check` for the office's data files: selection rounds and adoptions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from build_tools.core.loader import Catalog, load_repository
from build_tools.core.problems import Problem
from build_tools.features.network.adoptions import (
    ADOPTIONS_FOLDER,
    find_adoption_files,
    load_adoptions,
)
from build_tools.features.selection.rounds import SELECTION_FOLDER, find_round_files, load_rounds


def check_office_data(catalog: Catalog) -> list[Problem]:
    """Every problem in `selection/*.yml` and `adoptions/*/*.yml`, checked against the
    catalogue's entries."""
    return [*load_rounds(catalog)[1], *load_adoptions(catalog)[1]]


def is_office_data_file(relative: str) -> bool:
    """A round (`selection/2568.yml`) or adoptions file (`adoptions/2568/<slug>.yml`), by
    its path relative to the project: the files `find_round_files` and
    `find_adoption_files` read."""
    parts = PurePosixPath(relative).parts
    if not relative.endswith(".yml"):
        return False
    if len(parts) == 2 and parts[0] == SELECTION_FOLDER:
        return PurePosixPath(parts[1]).stem.isdigit()
    return len(parts) == 3 and parts[0] == ADOPTIONS_FOLDER


def find_office_data_files(root: Path) -> list[str]:
    """Every round and adoptions file, relative to the project."""
    files = [*find_round_files(root), *find_adoption_files(root)]
    return [path.relative_to(root).as_posix() for path in files]


def check_office_files(root: Path, relative: Iterable[str]) -> list[Problem]:
    """The problems of these round and adoptions files (paths relative to `root`). They
    name entries anywhere in the repository, so every entry is loaded to check them."""
    wanted = {path for path in relative if is_office_data_file(path)}
    if not wanted:
        return []
    return [p for p in check_office_data(load_repository(root)) if p.path in wanted]
