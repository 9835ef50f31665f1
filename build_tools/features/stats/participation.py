"""Participation: how many schools each district and affiliation has, from the
office-editable `participation.yml`, and how many of them have entries.

The file holds counts per district and per affiliation (vocabulary codes or Thai labels,
as in entries) and, optionally, a list of schools; with a list, only listed schools count
as participating, so a rate never passes 100 %. Problems carry file, line and field, in
the one problem shape (`build_tools.core.problems`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from build_tools.core.errors import IfteError
from build_tools.core.model import Entry
from build_tools.core.problems import Problem, count_errors, did_you_mean, format_text, make_problem
from build_tools.core.vocabularies import KINDS, Vocabularies, normalize_label

PARTICIPATION_FILE = "participation.yml"
TOP_KEYS = ("sample", "as_of", "source", "districts", "affiliations", "schools")
SCHOOL_KEYS = ("name", "district", "affiliation")


@dataclass(frozen=True)
class ListedSchool:
    name: str
    district: str
    affiliation: str


@dataclass(frozen=True)
class Participation:
    districts: Mapping[str, int]  # vocabulary code → number of schools
    affiliations: Mapping[str, int]
    schools: tuple[ListedSchool, ...] = ()
    as_of: dt.date | None = None
    source: str = ""
    sample: bool = False  # placeholder figures the office has not replaced yet


@dataclass(frozen=True)
class Rate:
    code: str
    label: str
    schools: int  # all schools (0: unknown)
    taking_part: int  # schools with at least one entry in the period

    @property
    def percent(self) -> float | None:
        return 100 * self.taking_part / self.schools if self.schools else None


class _Reader:
    def __init__(self, path: str, vocabularies: Vocabularies) -> None:
        self.path = path
        self.vocabularies = vocabularies
        self.problems: list[Problem] = []

    def report(self, code: str, node: Node, name: str, hint=None, **args) -> None:
        mark = node.start_mark
        self.problems.append(
            make_problem(code, self.path, mark.line + 1, mark.column + 1, name, hint, **args)
        )

    def wrong(self, node: Node, name: str, expected_th: str, expected_en: str) -> None:
        self.report(
            "wrong-type",
            node,
            name,
            expected_th=expected_th,
            expected_en=expected_en,
            found_th=f' "{getattr(node, "value", "")}"',
            found_en=f'"{getattr(node, "value", "")}"',
        )

    def mapping(self, node: Node, name: str, known: Sequence[str] | None) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            self.wrong(node, name, "กลุ่มข้อมูล (ชื่อ: ค่า)", "a group of key: value lines")
            return {}
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            field = f"{name}.{key}" if name else key
            if key in found:
                self.report("yaml-duplicate-key", key_node, field, key=key, first_line="…")
            elif known is not None and key not in known:
                self.report("unknown-key", key_node, field, key=key)
            else:
                found[key] = value_node
        return found

    def code(self, node: Node, kind: str, name: str) -> str | None:
        term = (
            self.vocabularies[kind].lookup(str(node.value))
            if isinstance(node, ScalarNode)
            else None
        )
        if term is None:
            kind_th, kind_en = KINDS[kind]
            suggestion = self.vocabularies[kind].suggest(str(getattr(node, "value", "")))
            self.report(
                "unknown-choice",
                node,
                name,
                did_you_mean(suggestion),
                value=getattr(node, "value", ""),
                kind_th=kind_th,
                kind_en=kind_en.capitalize(),
            )
            return None
        return term.code

    def counts(self, node: Node, kind: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for key_node, value_node in node.value if isinstance(node, MappingNode) else ():
            code = self.code(key_node, kind, f"{kind}.{key_node.value}")
            text = str(value_node.value).strip() if isinstance(value_node, ScalarNode) else ""
            if not text.isdigit():
                self.wrong(
                    value_node, f"{kind}.{key_node.value}", "จำนวนเต็มตั้งแต่ 0", "a whole number ≥ 0"
                )
            elif code:
                counts[code] = int(text)
        if not isinstance(node, MappingNode):
            self.wrong(node, kind, "กลุ่มข้อมูล (อำเภอ: จำนวน)", "a group of name: count lines")
        return counts


def read_participation(
    text: str, path: str, vocabularies: Vocabularies
) -> tuple[Participation | None, list[Problem]]:
    """Parse and check the file's text; (None, problems) when it cannot be used."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = error.problem or str(error)
        return None, [make_problem("yaml-syntax", path, line, column, detail=detail)]
    reader = _Reader(path, vocabularies)
    if root is None:
        return None, []
    top = reader.mapping(root, "", TOP_KEYS)
    districts = reader.counts(top["districts"], "districts") if "districts" in top else {}
    affiliations = (
        reader.counts(top["affiliations"], "affiliations") if "affiliations" in top else {}
    )
    schools = []
    listed = top.get("schools")
    if listed is not None and not isinstance(listed, SequenceNode):
        reader.wrong(listed, "schools", "รายการ (- …)", "a list (- …)")
    for index, item in enumerate(listed.value if isinstance(listed, SequenceNode) else ()):
        name = f"schools[{index}]"
        fields = reader.mapping(item, name, SCHOOL_KEYS)
        missing = [key for key in SCHOOL_KEYS if key not in fields]
        for key in missing:
            reader.report("missing-field", item, f"{name}.{key}", key=key, label=key, label_en=key)
        if missing or not isinstance(item, MappingNode):
            continue
        district = reader.code(fields["district"], "districts", f"{name}.district")
        affiliation = reader.code(fields["affiliation"], "affiliations", f"{name}.affiliation")
        if district and affiliation:
            schools.append(ListedSchool(str(fields["name"].value).strip(), district, affiliation))
    # Counts the file leaves out come from the list, when there is one.
    for school in schools:
        if "districts" not in top:
            districts[school.district] = districts.get(school.district, 0) + 1
        if "affiliations" not in top:
            affiliations[school.affiliation] = affiliations.get(school.affiliation, 0) + 1
    as_of = None
    if "as_of" in top:
        try:
            as_of = dt.date.fromisoformat(str(top["as_of"].value).strip())
        except ValueError:
            reader.report("invalid-date", top["as_of"], "as_of", value=top["as_of"].value)
        else:
            as_of = as_of.replace(year=as_of.year - 543) if as_of.year > 2400 else as_of
    source = str(top["source"].value) if isinstance(top.get("source"), ScalarNode) else ""
    sample = isinstance(top.get("sample"), ScalarNode) and top["sample"].value == "true"
    if count_errors(reader.problems):
        return None, reader.problems
    return Participation(
        districts, affiliations, tuple(schools), as_of, source, sample
    ), reader.problems


def load_participation(root: Path, vocabularies: Vocabularies) -> Participation | None:
    """The project's participation data, or None without the file; bad data stops the
    build with every problem listed (file:line: code)."""
    path = root / PARTICIPATION_FILE
    if not path.is_file():
        return None
    participation, problems = read_participation(
        path.read_text(encoding="utf-8"), PARTICIPATION_FILE, vocabularies
    )
    if count_errors(problems):
        listed = "\n".join(format_text(p) for p in problems)
        raise IfteError(
            f"ไฟล์ {PARTICIPATION_FILE} มีข้อผิดพลาด:\n{listed}",
            f"{PARTICIPATION_FILE} has errors (listed above)",
        )
    return participation


def _key(name: str) -> str:
    return normalize_label(name)


def plan_rates(
    participation: Participation, entries: Sequence[Entry], vocabularies: Vocabularies, kind: str
) -> tuple[Rate, ...]:
    """Schools with entries ÷ all schools, per district or affiliation (`kind`), in
    vocabulary order. With a school list, only listed schools count."""
    listed = {_key(s.name) for s in participation.schools}
    taking_part: dict[str, set[str]] = {}
    for entry in entries:
        name = _key(entry.school.name)
        if listed and name not in listed:
            continue
        code = entry.school.district if kind == "districts" else entry.school.affiliation
        taking_part.setdefault(code, set()).add(name)
    totals = participation.districts if kind == "districts" else participation.affiliations
    return tuple(
        Rate(
            term.code,
            term.th,
            totals.get(term.code, 0),
            len(taking_part.get(term.code, ())),
        )
        for term in vocabularies[kind].terms
        if totals.get(term.code) or taking_part.get(term.code)
    )


def plan_missing_schools(
    participation: Participation, entries: Sequence[Entry]
) -> tuple[ListedSchool, ...]:
    """Listed schools without an entry in the period (empty without a list)."""
    with_entries = {_key(e.school.name) for e in entries}
    return tuple(s for s in participation.schools if _key(s.name) not in with_entries)
