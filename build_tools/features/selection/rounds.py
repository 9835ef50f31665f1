"""A selection round as data: `selection/<BE year>.yml`, read and checked with line numbers.

A round holds the criteria and their weights, the award levels and their thresholds, the
committee, the candidates (entry ids), declared conflicts of interest and the scores. A
member never scores an entry of their own school or one they declared a conflict with;
once a round has scores, every other member scores every candidate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node

from build_tools.core.loader import Catalog
from build_tools.core.problems import Problem
from build_tools.core.vocabularies import normalize_label
from build_tools.features.datafile import DataReader

SELECTION_FOLDER = "selection"
ROUND_KEYS = (
    "year",
    "title",
    "title_en",
    "sample",
    "announced",
    "meeting",
    "award_title",
    "award_scope",
    "score_max",
    "criteria",
    "awards",
    "committee",
    "candidates",
    "conflicts",
    "scores",
)
ROUND_REQUIRED = ("year", "title", "announced", "score_max", "criteria", "awards", "committee")


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    title_en: str
    weight: int  # percent of the total; the weights add up to 100
    description: str = ""


@dataclass(frozen=True)
class AwardLevel:
    id: str
    title: str  # e.g. ดีเยี่ยม
    title_en: str
    min_score: str  # threshold on the total (0–100), as written
    note: str = ""


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    position: str
    school: str  # the member's own school or office: never scores its entries
    affiliation: str = ""  # vocabulary code
    role: str = ""  # e.g. ประธานกรรมการ


@dataclass(frozen=True)
class Conflict:
    member: str
    entry: str
    reason: str


@dataclass(frozen=True)
class SelectionRound:
    year: int
    title: str
    title_en: str
    announced: dt.date
    score_max: int
    criteria: tuple[Criterion, ...]
    awards: tuple[AwardLevel, ...]  # highest threshold first
    committee: tuple[Member, ...]
    candidates: tuple[str, ...]  # entry ids
    conflicts: tuple[Conflict, ...]
    # member id → entry id → one score per criterion (as written); empty before scoring
    scores: Mapping[str, Mapping[str, tuple[str, ...]]]
    path: str  # as shown to people
    award_title: str = "แนวปฏิบัติที่เป็นเลิศ"
    award_scope: str = "province"  # award_levels code written into entries
    meeting: str = ""
    sample: bool = False

    @property
    def is_scored(self) -> bool:
        return bool(self.scores)

    @property
    def url(self) -> str:
        return f"selection/{self.year}/"


def format_round_path(year: int) -> str:
    return f"{SELECTION_FOLDER}/{year}.yml"


def find_round_files(root: Path) -> list[Path]:
    folder = root / SELECTION_FOLDER
    return sorted(p for p in folder.glob("*.yml") if p.stem.isdigit()) if folder.is_dir() else []


def plan_excluded(
    selection: SelectionRound, entries: Mapping[str, object]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(member, entry) pairs a member may not score, with the reason in Thai and English:
    an entry of the member's own school, or a declared conflict of interest."""
    excluded = {}
    for member in selection.committee:
        own = normalize_label(member.school)
        for entry_id in selection.candidates:
            entry = entries.get(entry_id)
            if entry is not None and normalize_label(entry.school.name) == own:
                excluded[member.id, entry_id] = (
                    f"เป็นผลงานของสถานศึกษาของกรรมการเอง ({member.school})",
                    f"the entry comes from the member's own school ({member.school})",
                )
    for conflict in selection.conflicts:
        excluded.setdefault(
            (conflict.member, conflict.entry),
            (
                f"กรรมการแจ้งการมีส่วนได้เสียไว้ ({conflict.reason})",
                f"the member declared a conflict of interest ({conflict.reason})",
            ),
        )
    return excluded


class _RoundReader(DataReader):
    def __init__(self, path: str, catalog: Catalog) -> None:
        super().__init__(path, catalog.vocabularies)
        self.entries = {entry.id: entry for entry in catalog.entries}

    def ids(self, nodes: list[Node], field: str, seen: dict[str, Node]) -> str | None:
        value = self.text(nodes[0], field, 80) if nodes else None
        if value is None:
            return None
        if value in seen:
            first_line = seen[value].start_mark.line + 1
            self.problem("duplicate-id", nodes[0], field, value=value, first_line=first_line)
            return None
        seen[value] = nodes[0]
        return value

    def entry_id(self, node: Node, field: str) -> str | None:
        value = self.text(node, field, 200)
        if value is not None and value not in self.entries:
            self.problem("unknown-entry", node, field, value=value)
            return None
        return value

    def criteria(self, node: Node) -> tuple[Criterion, ...]:
        found, seen, total = [], {}, 0
        for index, item in enumerate(self.sequence(node, "criteria")):
            field = f"criteria[{index}]"
            keys = ("id", "title", "title_en", "weight", "description")
            values = self.mapping(item, field, keys, ("id", "title", "weight"))
            if values is None:
                continue
            cid = self.ids([values["id"][1]] if "id" in values else [], field + ".id", seen)
            title = self.text(values["title"][1], field + ".title") if "title" in values else None
            weight = (
                self.number(values["weight"][1], field + ".weight", 1, 100)
                if "weight" in values
                else None
            )
            if weight is not None and not weight.isdigit():
                self.wrong_type(values["weight"][1], field + ".weight", "number")
                weight = None
            if cid and title and weight:
                total += int(weight)
                found.append(
                    Criterion(
                        cid,
                        title,
                        self.optional(values, "title_en", field),
                        int(weight),
                        self.optional(values, "description", field, 1000),
                    )
                )
        if found and len(found) == len(node.value) and total != 100:
            self.problem("weights-total", node, "criteria", total=total)
        return tuple(found)

    def optional(self, values: dict, key: str, field: str, max_length: int = 300) -> str:
        if key not in values:
            return ""
        return self.text(values[key][1], f"{field}.{key}", max_length) or ""

    def awards(self, node: Node) -> tuple[AwardLevel, ...]:
        found, seen = [], {}
        for index, item in enumerate(self.sequence(node, "awards")):
            field = f"awards[{index}]"
            keys = ("id", "title", "title_en", "min_score", "note")
            values = self.mapping(item, field, keys, ("id", "title", "min_score"))
            if values is None:
                continue
            aid = self.ids([values["id"][1]] if "id" in values else [], field + ".id", seen)
            title = self.text(values["title"][1], field + ".title") if "title" in values else None
            low = (
                self.number(values["min_score"][1], field + ".min_score", 0, 100)
                if "min_score" in values
                else None
            )
            if aid and title and low is not None:
                title_en = self.optional(values, "title_en", field)
                found.append(
                    AwardLevel(aid, title, title_en, low, self.optional(values, "note", field))
                )
        return tuple(sorted(found, key=lambda a: -float(a.min_score)))

    def committee(self, node: Node) -> tuple[Member, ...]:
        found, seen = [], {}
        for index, item in enumerate(self.sequence(node, "committee")):
            field = f"committee[{index}]"
            keys = ("id", "name", "position", "school", "affiliation", "role")
            values = self.mapping(item, field, keys, ("id", "name", "position", "school"))
            if values is None:
                continue
            mid = self.ids([values["id"][1]] if "id" in values else [], field + ".id", seen)
            texts = {
                key: self.text(values[key][1], f"{field}.{key}", 200) if key in values else None
                for key in ("name", "position", "school")
            }
            affiliation = ""
            if "affiliation" in values:
                affiliation = (
                    self.choice(values["affiliation"][1], field + ".affiliation", "affiliations")
                    or ""
                )
            if mid and all(texts.values()):
                found.append(
                    Member(
                        mid,
                        texts["name"],
                        texts["position"],
                        texts["school"],
                        affiliation,
                        self.optional(values, "role", field),
                    )
                )
        return tuple(found)

    def candidates(self, node: Node) -> tuple[str, ...]:
        found, seen = [], {}
        for index, item in enumerate(self.sequence(node, "candidates")):
            field = f"candidates[{index}]"
            value = self.ids([item], field, seen)
            if value is not None and value not in self.entries:
                self.problem("unknown-entry", item, field, value=value)
            elif value is not None:
                found.append(value)
        return tuple(found)

    def conflicts(
        self, node: Node, members: set[str], candidates: set[str]
    ) -> tuple[Conflict, ...]:
        found = []
        for index, item in enumerate(self.sequence(node, "conflicts")):
            field = f"conflicts[{index}]"
            values = self.mapping(
                item, field, ("member", "entry", "reason"), ("member", "entry", "reason")
            )
            if values is None or len(values) < 3:
                continue
            member = self.text(values["member"][1], field + ".member", 80)
            if member is not None and member not in members:
                self.problem("unknown-member", values["member"][1], field + ".member", value=member)
                member = None
            entry = self.entry_id(values["entry"][1], field + ".entry")
            if entry is not None and entry not in candidates:
                self.problem("not-a-candidate", values["entry"][1], field + ".entry", value=entry)
                entry = None
            reason = self.text(values["reason"][1], field + ".reason", 300)
            if member and entry and reason:
                found.append(Conflict(member, entry, reason))
        return tuple(found)

    def scores(
        self, node: Node, selection: SelectionRound
    ) -> dict[str, dict[str, tuple[str, ...]]]:
        members = {m.id: m for m in selection.committee}
        excluded = plan_excluded(selection, self.entries)
        count = len(selection.criteria)
        found: dict[str, dict[str, tuple[str, ...]]] = {}
        sheets = self.mapping(node, "scores", tuple(members))
        if sheets is None:
            return found
        for member_id, (key_node, value_node) in sheets.items():
            field = f"scores.{member_id}"
            rows = self.mapping(value_node, field, tuple(self.entries))
            for entry_id, (entry_node, scores_node) in (rows or {}).items():
                where = f"{field}.{entry_id}"
                if entry_id not in selection.candidates:
                    self.problem("not-a-candidate", entry_node, where, value=entry_id)
                    continue
                reason = excluded.get((member_id, entry_id))
                if reason:
                    self.problem(
                        "conflict-of-interest",
                        entry_node,
                        where,
                        member=member_id,
                        entry=entry_id,
                        reason_th=reason[0],
                        reason_en=reason[1],
                    )
                    continue
                items = self.sequence(scores_node, where)
                if items and len(items) != count:
                    self.problem(
                        "score-count", scores_node, where, count=len(items), expected=count
                    )
                    continue
                values = [
                    self.number(item, f"{where}[{i}]", 0, selection.score_max)
                    for i, item in enumerate(items)
                ]
                if items and all(v is not None for v in values):
                    found.setdefault(member_id, {})[entry_id] = tuple(values)
            for entry_id in selection.candidates:
                scored = entry_id in (rows or {})
                if not scored and (member_id, entry_id) not in excluded:
                    self.problem("score-missing", key_node, field, member=member_id, entry=entry_id)
        for member_id in members:
            if member_id not in sheets:
                for entry_id in selection.candidates:
                    if (member_id, entry_id) not in excluded:
                        self.problem(
                            "score-missing", node, "scores", member=member_id, entry=entry_id
                        )
        return found

    def unknown_keys_as_members(self) -> None:
        """`mapping` reports a key outside `allowed` as an unknown field; for scores the keys
        are member ids and entry ids, so those problems say so."""
        for index, problem in enumerate(self.problems):
            if problem.code == "unknown-key" and problem.field.startswith("scores."):
                parts = problem.field.split(".")
                code = "unknown-member" if len(parts) == 2 else "unknown-entry"
                value = parts[-1] if len(parts) == 2 else ".".join(parts[2:])
                self.problems[index] = problem.__class__(
                    problem.path,
                    problem.line,
                    problem.column,
                    code,
                    problem.field,
                    (("value", value),),
                )


def read_round(file: Path, catalog: Catalog) -> tuple[SelectionRound | None, list[Problem]]:
    """The round in `file`, or None, and every problem found in it."""
    path = (
        file.relative_to(catalog.root).as_posix()
        if file.is_relative_to(catalog.root)
        else file.name
    )
    reader = _RoundReader(path, catalog)
    top = reader.read_file(file)
    values = reader.mapping(top, "", ROUND_KEYS, ROUND_REQUIRED) if top is not None else None
    if values is None:
        return None, reader.problems

    def get(key, read, *args):
        return read(values[key][1], key, *args) if key in values else None

    year = get("year", reader.year)
    if year is not None and file.stem != str(year):
        reader.problem(
            "year-mismatch", values["year"][1], "year", value=year, folder_year=file.stem
        )
    score_max = get("score_max", reader.number, 1, 100)
    if score_max is not None and not score_max.isdigit():
        reader.wrong_type(values["score_max"][1], "score_max", "number")
        score_max = None
    scope = get("award_scope", reader.choice, "award_levels")
    selection = SelectionRound(
        year=year or 0,
        title=get("title", reader.text) or "",
        title_en=get("title_en", reader.text) or "",
        announced=get("announced", reader.date) or dt.date(1970, 1, 1),
        score_max=int(score_max or 0),
        criteria=reader.criteria(values["criteria"][1]) if "criteria" in values else (),
        awards=reader.awards(values["awards"][1]) if "awards" in values else (),
        committee=reader.committee(values["committee"][1]) if "committee" in values else (),
        candidates=(),
        conflicts=(),
        scores={},
        path=path,
        award_title=get("award_title", reader.text) or "แนวปฏิบัติที่เป็นเลิศ",
        award_scope=scope or "province",
        meeting=get("meeting", reader.text, 500) or "",
        sample=bool(get("sample", reader.boolean)),
    )
    candidates = reader.candidates(values["candidates"][1]) if "candidates" in values else ()
    members = {m.id for m in selection.committee}
    conflicts = (
        reader.conflicts(values["conflicts"][1], members, set(candidates))
        if "conflicts" in values
        else ()
    )
    selection = _replace(selection, candidates=candidates, conflicts=conflicts)
    clean = not any(p.is_error for p in reader.problems)
    if "scores" in values and clean and selection.criteria:
        selection = _replace(selection, scores=reader.scores(values["scores"][1], selection))
        reader.unknown_keys_as_members()
    elif "scores" in values and clean:
        reader.problem(
            "missing-field", top, "criteria", key="criteria", label="criteria", label_en="criteria"
        )
    errors = [p for p in reader.problems if p.is_error]
    return (None if errors else selection), reader.problems


def _replace(selection: SelectionRound, **changes: object) -> SelectionRound:
    import dataclasses

    return dataclasses.replace(selection, **changes)


def load_rounds(catalog: Catalog) -> tuple[tuple[SelectionRound, ...], list[Problem]]:
    """Every round under `selection/`, newest first, and the problems of all of them."""
    rounds, problems = [], []
    for file in find_round_files(catalog.root):
        selection, found = read_round(file, catalog)
        problems += found
        if selection is not None:
            rounds.append(selection)
    return tuple(sorted(rounds, key=lambda r: -r.year)), problems
