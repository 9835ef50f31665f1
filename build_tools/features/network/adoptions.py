"""Adoptions as data: `adoptions/<entry year>/<entry folder>.yml`, one file per entry.

A file lists the schools that adopted (used as it is) or adapted an entry's innovation:
school, district, affiliation, year (BE), whether it was adapted and how, a short result,
and an optional contact for the office. The contact is checked but never kept in the model,
so nothing can publish it (PDPA). A teacher adds their school by a pull request, or the
office does; `ifte check` checks the files like entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from build_tools.core.errors import ValidationError
from build_tools.core.loader import Catalog
from build_tools.core.problems import Problem, count_errors, format_text, sort_problems
from build_tools.features.datafile import DataReader

ADOPTIONS_FOLDER = "adoptions"
KEYS = (
    "school",
    "district",
    "affiliation",
    "year",
    "adapted",
    "how",
    "result",
    "contact",
    "sample",
)
REQUIRED = ("school", "district", "affiliation", "year", "how", "result")


@dataclass(frozen=True)
class Adoption:
    entry: str  # entry id: the file's place, adoptions/2568/bar-model.yml → 2568/bar-model
    school: str
    district: str  # vocabulary code
    affiliation: str  # vocabulary code
    year: int  # Buddhist Era
    adapted: bool  # adapted to the school (True) or used as it is
    how: str
    result: str
    sample: bool = False


def find_adoption_files(root: Path) -> list[Path]:
    folder = root / ADOPTIONS_FOLDER
    return sorted(folder.glob("*/*.yml")) if folder.is_dir() else []


def read_adoptions(
    file: Path, catalog: Catalog, entry_ids: set[str]
) -> tuple[list[Adoption], list[Problem]]:
    path = file.relative_to(catalog.root).as_posix()
    reader = DataReader(path, catalog.vocabularies)
    entry = f"{file.parent.name}/{file.stem}"
    if entry not in entry_ids:
        reader.problem("unknown-entry", None, "", value=entry)
        return [], reader.problems
    from build_tools.core.frontmatter import decode_source, parse_yaml

    source = decode_source(file.read_bytes(), path)
    reader.problems += source.problems
    if source.text is None:
        return [], reader.problems
    # A file is a list; parse_yaml composes mappings, so the list goes under one key.
    indented = "\n".join("  " + line if line.strip() else line for line in source.text.split("\n"))
    node, problems = parse_yaml("adoptions:\n" + indented, path, line_offset=-1)
    reader.problems += [_shifted(p) for p in problems]
    if node is None:
        return [], reader.problems
    reader.line_offset, reader.column_offset = -1, -2
    found = []
    for index, item in enumerate(reader.sequence(node.value[0][1], "")):
        field = f"[{index}]"
        values = reader.mapping(item, field, KEYS, REQUIRED)
        if values is None:
            continue

        def get(key, read, *args, field=field, values=values):
            return read(values[key][1], f"{field}.{key}", *args) if key in values else None

        school = get("school", reader.text, 200)
        district = get("district", reader.choice, "districts")
        affiliation = get("affiliation", reader.choice, "affiliations")
        year = get("year", reader.year)
        adapted = get("adapted", reader.boolean)
        how = get("how", reader.text, 1000)
        result = get("result", reader.text, 1000)
        get("contact", reader.text, 300)  # checked, never kept: contacts are not published
        sample = get("sample", reader.boolean)
        if all(v is not None for v in (school, district, affiliation, year, how, result)):
            found.append(
                Adoption(
                    entry,
                    school,
                    district,
                    affiliation,
                    year,
                    bool(adapted),
                    how,
                    result,
                    bool(sample),
                )
            )
    return found, reader.problems


def _shifted(problem: Problem) -> Problem:
    """Columns of the wrapped text are two further right than in the file."""
    import dataclasses

    return dataclasses.replace(problem, column=max(problem.column - 2, 0) if problem.column else 0)


def load_checked_adoptions(catalog: Catalog) -> tuple[Adoption, ...]:
    """Every adoption of an entry the site shows; other errors in the files stop the build
    (the site never shows half). An adoption of an entry left off the site (its own errors
    are reported) or not in this catalogue is left out: `ifte check` names it."""
    adoptions, problems = load_adoptions(catalog)
    problems = [p for p in problems if p.code != "unknown-entry"]
    if count_errors(problems):
        shown = "\n".join(format_text(p) for p in sort_problems(problems) if p.is_error)
        raise ValidationError(
            f"ไฟล์การนำผลงานไปใช้มีข้อผิดพลาด:\n{shown}", "An adoptions file has errors (above)"
        )
    return adoptions


def load_adoptions(catalog: Catalog) -> tuple[tuple[Adoption, ...], list[Problem]]:
    """Every adoption, by entry then as listed, and every problem in the files."""
    ids = {entry.id for entry in catalog.entries}
    adoptions, problems = [], []
    for file in find_adoption_files(catalog.root):
        found, file_problems = read_adoptions(file, catalog, ids)
        adoptions += found
        problems += file_problems
    return tuple(adoptions), problems
