"""`ifte check` for the office's data files: selection rounds and adoptions."""

from __future__ import annotations

from build_tools.features.network.adoptions import load_adoptions
from build_tools.features.selection.rounds import load_rounds
from build_tools.loader import Catalog
from build_tools.problems import Problem


def check_office_data(catalog: Catalog) -> list[Problem]:
    """Every problem in `selection/*.yml` and `adoptions/*/*.yml`, checked against the
    catalogue's entries."""
    return [*load_rounds(catalog)[1], *load_adoptions(catalog)[1]]
