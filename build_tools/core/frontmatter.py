"""Read an entry file: bytes → text → front matter YAML nodes + Markdown body.

Teachers' files arrive with BOMs, CRLF line ends, tabs, legacy Thai encodings and
YAML surprises. This module accepts what it safely can and reports the rest as
problems with line numbers. YAML is *composed* (never constructed) with
SafeLoader, so no tag can run code, and aliases are refused before they can
expand into a "billion laughs" bomb.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode

from build_tools.core.problems import Problem, make_problem

MAX_FILE_BYTES = 256 * 1024
# Limits checked before the YAML is composed: a real front matter is a few KB and three
# levels deep, and composing nests one call per level (25,000 levels crashed the process).
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 10
_THAI_BYTES = re.compile(rb"[\xa1-\xfb]")
# Sara am typed as nikhahit + sara aa, possibly with a tone mark in between or before.
_DECOMPOSED_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32")


@dataclass
class SourceText:
    """Decoded, normalised text of one file and the problems met on the way."""

    text: str | None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class FrontMatter:
    mapping: MappingNode | None  # None when the YAML could not be read
    line_offset: int  # node marks count lines from the YAML; add this for file lines
    body: str
    body_line: int  # 1-based line where the body starts
    problems: list[Problem] = field(default_factory=list)


def normalize_thai(text: str) -> str:
    """NFC plus composing sara am, which NFC leaves split."""
    text = unicodedata.normalize("NFC", text)
    return _DECOMPOSED_SARA_AM.sub(lambda m: m.group(1) + m.group(2) + "\u0e33", text)


def line_of(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def decode_source(data: bytes, path: str) -> SourceText:
    if len(data) > MAX_FILE_BYTES:
        return SourceText(
            None, [make_problem("file-too-large", path, size=len(data), limit=MAX_FILE_BYTES)]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _looks_like_tis620(data):
            return SourceText(None, [make_problem("encoding-legacy", path)])
        line = data.count(b"\n", 0, error.start) + 1
        return SourceText(None, [make_problem("encoding-invalid", path, line, offset=error.start)])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = []
    normalized = normalize_thai(text)
    if normalized != text:
        first = next(i for i, (a, b) in enumerate(zip(text, normalized, strict=False)) if a != b)
        line, column = line_of(text, first)
        problems.append(make_problem("unicode-normalization", path, line, column, field="index.md"))
    return SourceText(normalized, problems)


def _looks_like_tis620(data: bytes) -> bool:
    """TIS-620/Windows-874 puts Thai in 0xA1–0xFB; mostly such bytes means legacy Thai."""
    high = sum(1 for b in data if b >= 0x80)
    return high > 0 and len(_THAI_BYTES.findall(data)) >= 0.9 * high


def split_front_matter(text: str, path: str) -> FrontMatter:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter(None, 0, text, 1, [make_problem("front-matter-missing", path, 1, 1)])
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            mapping, problems = parse_yaml(yaml_text, path, line_offset=1)
            return FrontMatter(mapping, 1, body, index + 2, problems)
    return FrontMatter(None, 0, "", len(lines), [make_problem("front-matter-unclosed", path, 1, 1)])


# libyaml's parser is several times faster; both only compose here, never construct.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """SafeLoader that only composes; the checker converts nodes itself."""


class _TooDeepError(Exception):
    def __init__(self, mark) -> None:
        super().__init__("too deep")
        self.mark = mark


def _parse_shallow(yaml_text: str) -> list:
    """The YAML's events, stopping at the first collection nested deeper than MAX_DEPTH
    (the parser is a state machine: only composing nodes recurses)."""
    events, depth = [], 0
    for event in yaml.parse(yaml_text, Loader=_Loader):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeepError(event.start_mark)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        events.append(event)
    return events


def parse_yaml(
    yaml_text: str, path: str, line_offset: int = 0
) -> tuple[MappingNode | None, list[Problem]]:
    """Compose the front matter into nodes, collecting every problem found."""
    problems: list[Problem] = []

    def at(mark) -> tuple[int, int]:
        return mark.line + 1 + line_offset, mark.column + 1

    # Tabs in indentation are the most common YAML mistake from word processors:
    # report each, then read on with spaces so the other problems show too.
    fixed_lines = []
    for number, line in enumerate(yaml_text.split("\n"), 1):
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        if "\t" in indent:
            problems.append(
                make_problem("yaml-tab", path, number + line_offset, indent.index("\t") + 1)
            )
            line = indent.replace("\t", "  ") + stripped
        fixed_lines.append(line)
    yaml_text = "\n".join(fixed_lines)

    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        limit = MAX_FRONT_MATTER_BYTES
        problems.append(
            make_problem("front-matter-too-large", path, line_offset + 1, 1, size=size, limit=limit)
        )
        return None, problems
    try:
        events = _parse_shallow(yaml_text)
    except _TooDeepError as error:
        line, column = at(error.mark)
        problems.append(
            make_problem(
                "front-matter-too-deep", path, line, column, depth=MAX_DEPTH + 1, limit=MAX_DEPTH
            )
        )
        return None, problems
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = at(mark) if mark else (line_offset + 1, 1)
        detail = error.problem or str(error)
        source_lines = yaml_text.split("\n")
        text = source_lines[mark.line] if mark and mark.line < len(source_lines) else ""
        hint = None
        if "{" in text or "[" in text:
            # Inline {url: https://…?v=…} breaks on the colon or question mark in the URL.
            hint = (
                'ข้อความใน {…} หรือ […] ที่มี : ? หรือ , ให้ครอบด้วย "…" หรือเขียนแยกบรรทัดละข้อมูล',
                "inside {…} or […], quote text containing : ? or , or write one key per line",
            )
        problems.append(make_problem("yaml-syntax", path, line, column, hint=hint, detail=detail))
        return None, problems
    except yaml.YAMLError as error:
        problems.append(make_problem("yaml-syntax", path, line_offset + 1, 1, detail=str(error)))
        return None, problems

    refused = False
    for event in events:
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            problems.append(make_problem("yaml-alias", path, *at(event.start_mark)))
            refused = True
        tag = getattr(event, "tag", None)
        explicit = (
            isinstance(event, ScalarEvent)
            and tag is not None
            and not event.implicit[0]
            and not event.implicit[1]
        ) or (isinstance(event, CollectionStartEvent) and tag is not None and not event.implicit)
        if explicit:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            problems.append(make_problem("yaml-tag", path, *at(event.start_mark), tag=shown))
            refused = True
    if refused:
        return None, problems

    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.YAMLError as error:  # parse succeeded, so this is unexpected; still no traceback
        problems.append(make_problem("yaml-syntax", path, line_offset + 1, 1, detail=str(error)))
        return None, problems
    if node is None or not isinstance(node, MappingNode):
        line, column = at(node.start_mark) if node is not None else (line_offset + 1, 1)
        problems.append(make_problem("front-matter-not-mapping", path, line, column))
        return None, problems
    return node, problems
