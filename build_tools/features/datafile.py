"""Reading the office's YAML data files (selection rounds, adoptions) with line numbers.

The files are composed into nodes by `frontmatter.parse_yaml` (no tags, no aliases, size
and depth limited), then read value by value by a `DataReader`, which collects every
problem in the project's one shape instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from build_tools.core.fields import YEAR_MAX, YEAR_MIN
from build_tools.core.frontmatter import decode_source, parse_yaml
from build_tools.core.problems import Problem, did_you_mean, make_problem
from build_tools.core.vocabularies import KINDS, Vocabularies

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_KINDS = {  # what a wrong-type message says was expected / found
    "text": ("ข้อความ", "text"),
    "number": ("ตัวเลข", "a number"),
    "list": ("รายการ (- …)", "a list (- …)"),
    "mapping": ("กลุ่มข้อมูล (ชื่อ: ค่า)", "a group of key: value pairs"),
    "bool": ("true หรือ false", "true or false"),
}


def _kind_of(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "text"


class DataReader:
    """Reads one data file's nodes, noting each problem with the file's path and line."""

    def __init__(self, path: str, vocabularies: Vocabularies | None = None) -> None:
        self.path = path  # as shown to people, relative to the project root
        self.vocabularies = vocabularies
        self.problems: list[Problem] = []
        # Where node marks are off from the file's lines and columns (text wrapped in a key).
        self.line_offset = 0
        self.column_offset = 0

    def problem(self, code: str, node: Node | None, field: str = "", **args: object) -> None:
        line, column = (0, 0)
        if node is not None:
            line = node.start_mark.line + 1 + self.line_offset
            column = max(node.start_mark.column + 1 + self.column_offset, 1)
        hint = args.pop("hint", None)
        self.problems.append(
            make_problem(code, self.path, line, column, field=field, hint=hint, **args)
        )

    def read_file(self, file: Path) -> MappingNode | None:
        source = decode_source(file.read_bytes(), self.path)
        self.problems += source.problems
        if source.text is None:
            return None
        node, problems = parse_yaml(source.text, self.path)
        self.problems += problems
        return node

    def wrong_type(self, node: Node, field: str, expected: str) -> None:
        found = _kind_of(node)
        self.problem(
            "wrong-type",
            node,
            field,
            expected_th=_KINDS[expected][0],
            expected_en=_KINDS[expected][1],
            found_th=_KINDS[found][0],
            found_en=_KINDS[found][1],
        )

    def mapping(
        self, node: Node, field: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, tuple[Node, Node]] | None:
        """The keys of a mapping node (key node, value node); unknown, duplicate and missing
        keys are problems."""
        if not isinstance(node, MappingNode):
            self.wrong_type(node, field, "mapping")
            return None
        found: dict[str, tuple[Node, Node]] = {}
        prefix = f"{field}." if field else ""
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in found:
                first_line = found[key][0].start_mark.line + 1
                self.problem(
                    "yaml-duplicate-key", key_node, prefix + key, key=key, first_line=first_line
                )
            elif key not in allowed:
                self.problem("unknown-key", key_node, prefix + key, key=key)
            else:
                found[key] = (key_node, value_node)
        for key in required:
            if key not in found:
                self.problem("missing-field", node, prefix + key, key=key, label=key, label_en=key)
        return found

    def sequence(self, node: Node, field: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            self.wrong_type(node, field, "list")
            return []
        return list(node.value)

    def text(self, node: Node, field: str, max_length: int = 500) -> str | None:
        if not isinstance(node, ScalarNode):
            self.wrong_type(node, field, "text")
            return None
        value = " ".join(str(node.value).split())
        if not value:
            self.problem("empty-value", node, field)
            return None
        if len(value) > max_length:
            self.problem("too-long", node, field, length=len(value), limit=max_length)
            return None
        return value

    def number(self, node: Node, field: str, low: float, high: float) -> str | None:
        """A number as written (digits, an optional decimal part), checked against a range;
        kept as text so results are computed exactly (`fractions.Fraction`)."""
        if not isinstance(node, ScalarNode):
            self.wrong_type(node, field, "number")
            return None
        text = str(node.value).strip().translate(_THAI_DIGITS)
        if not _NUMBER.match(text) or node.style not in (None, ""):
            self.wrong_type(node, field, "number")
            return None
        if not low <= float(text) <= high:
            self.problem("score-out-of-range", node, field, value=text, low=low, high=high)
            return None
        return text

    def boolean(self, node: Node, field: str) -> bool | None:
        if isinstance(node, ScalarNode) and str(node.value).lower() in ("true", "false"):
            return str(node.value).lower() == "true"
        self.wrong_type(node, field, "bool")
        return None

    def year(self, node: Node, field: str) -> int | None:
        text = (
            str(node.value).strip().translate(_THAI_DIGITS) if isinstance(node, ScalarNode) else ""
        )
        if not text.isdigit():
            self.wrong_type(node, field, "number")
            return None
        year = int(text)
        if 1900 <= year < YEAR_MIN:
            self.problem("year-christian-era", node, field, value=year)
            return None
        if not YEAR_MIN <= year <= YEAR_MAX:
            self.problem("year-out-of-range", node, field, value=year, low=YEAR_MIN, high=YEAR_MAX)
            return None
        return year

    def date(self, node: Node, field: str) -> dt.date | None:
        text = str(node.value).strip() if isinstance(node, ScalarNode) else ""
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            self.problem("invalid-date", node, field, value=text)
            return None
        # Thai users write Buddhist-Era dates too (2568-09-25).
        return date.replace(year=date.year - 543) if date.year >= YEAR_MIN else date

    def choice(self, node: Node, field: str, kind: str) -> str | None:
        value = self.text(node, field)
        if value is None or self.vocabularies is None:
            return None
        vocabulary = self.vocabularies[kind]
        term = vocabulary.lookup(value)
        if term is None:
            kind_th, kind_en = KINDS.get(kind, (kind, kind))
            hint = did_you_mean(vocabulary.suggest(value))
            self.problem(
                "unknown-choice",
                node,
                field,
                kind_th=kind_th,
                kind_en=kind_en,
                value=value,
                hint=hint,
            )
            return None
        return term.code
