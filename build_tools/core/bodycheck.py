"""What an entry's Markdown body asks of the build: the files it shows or links to, and
whether Python-Markdown can turn it into HTML in reasonable time.

Python-Markdown reads inline text in ways that grow faster than the text: from every
`[` it walks on, character by character, to the matching `]` (to the end of the
paragraph when there is none), and every `[` or `<` it tries to match costs a pass
over the paragraph; deeply nested lists and quotes grow faster still. 10,000 `[` took
20 s and the 256 KB limit would take hours. The checker estimates that work for each
piece of text Python-Markdown reads as one (a paragraph, a list item, a table row;
fenced code is not read) and refuses a body far above anything a teacher writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

# The estimate of `estimate_work` allowed over a whole body: about a second of rendering
# (docs/BENCHMARKS.md); a teacher's 25 KB entry comes to a few thousand.
MAX_WORK = 5_000_000
EMPHASIS_WEIGHT = 64  # emphasis marks cost about 1/64 of a `[` each
UNCLOSED_TAG_WEIGHT = 4  # a tag left open costs about four `[` across the whole body
MAX_NESTING = 16  # levels of nested lists or quotes
_INDENT = 4  # Python-Markdown's columns per list level
MAX_FENCES = 1_000
# Indentation, quote marks, then list markers ("- 1. - a" opens three lists at once).
_LINE = re.compile(r"^([ \t]*)((?:>[ \t]*)*)((?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))*)")
_MARKER = re.compile(r"[-*+]|\d{1,9}[.)]")
_TABLE_RULE = re.compile(r"^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_BLOCK_OPENER = re.compile(r"^[ \t>]*(<|!!!|\?\?\?)")
_EMPHASIS = frozenset("*_~^`")
_ANGLES = re.compile(r"[<>]")
_MARKS_TH = "[ < * _ หรือบรรทัดที่ขึ้นต้นด้วย < !!! ???"
_MARKS_EN = "[, <, * or _ marks, or lines starting with <, !!! or ???"

_INLINE_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE_TARGET = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
_HTML_TARGET = re.compile(
    r"""<[a-zA-Z][^>]*?\b(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"""
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Complexity:
    offset: int  # where the offending text starts in the body
    detail_th: str
    detail_en: str


def check_body_complexity(body: str) -> Complexity | None:
    """The first reason `body` would render too slowly, or None."""
    lines = body.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for number, line in enumerate(lines):
        match = _LINE.match(line)
        markers = len(_MARKER.findall(match.group(3)))
        levels = len(match.group(1).expandtabs(_INDENT)) // _INDENT + markers if markers else 0
        if levels > MAX_NESTING or match.group(2).count(">") + levels > MAX_NESTING:
            return Complexity(starts[number], "รายการหรือข้อความอ้างอิงที่ซ้อนกันหลายชั้น", "nesting levels")
    # Blocks that open raw HTML or a note (!!! / ???), and HTML tags left open, are each
    # matched against all that follows.
    code = _fenced_lines(lines)
    openers = sum(1 for n, line in enumerate(lines) if n not in code and _BLOCK_OPENER.match(line))
    unclosed = count_unclosed_tags(body)
    work = openers * openers + UNCLOSED_TAG_WEIGHT * unclosed * unclosed
    for first, last in _inline_units(lines, code):
        work += inline_work("\n".join(lines[first:last]))
        if work > MAX_WORK:
            return Complexity(starts[first], _MARKS_TH, _MARKS_EN)
    if work > MAX_WORK:
        return Complexity(0, _MARKS_TH, _MARKS_EN)
    return None


def count_unclosed_tags(text: str) -> int:
    """How many `<` that start a tag (`<a`, `<div`) meet another `<`, or the end, before
    any `>`."""
    marks = [(m.group(0), m.end()) for m in _ANGLES.finditer(text)]
    return sum(
        1
        for index, (mark, end) in enumerate(marks)
        if mark == "<"
        and text[end : end + 1].isascii()
        and text[end : end + 1].isalpha()
        and (index + 1 == len(marks) or marks[index + 1][0] != ">")
    )


def inline_work(text: str) -> int:
    """The estimate for one inline text: characters walked from each `[` to its `]` (or
    the end), the square of the number of `[` and `<` tried, and of emphasis marks
    (weighted): each match tried costs a pass over the text."""
    walked, opened, tried, emphasis = 0, [], 0, 0
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            opened.append(index)
            tried += 1
        elif char == "]" and opened:
            walked += index - opened.pop()
        elif char == "<":
            tried += 1
        elif char in _EMPHASIS:
            emphasis += 1
    walked += sum(len(text) - index for index in opened)
    return walked + tried * tried + emphasis * emphasis // EMPHASIS_WEIGHT


def _inline_units(lines: list[str], code: set[int]) -> Iterator[tuple[int, int]]:
    """(first, end) line numbers of each piece Python-Markdown reads as one inline text,
    as far as the estimate needs: paragraphs, split into items when they start a list
    and into rows when they are a table; closed code fences are skipped."""
    block: list[int] = []
    for number, line in enumerate([*lines, ""]):
        if line.strip() and number not in code:
            block.append(number)
            continue
        if block:
            yield from _split_block(lines, block)
            block = []


def _split_block(lines: list[str], block: list[int]) -> Iterator[tuple[int, int]]:
    if _LINE.match(lines[block[0]]).group(3):  # a list: each item is read on its own
        cuts = [n for n in block if _LINE.match(lines[n]).group(3)]
    elif len(block) > 1 and _TABLE_RULE.match(lines[block[1]]):  # a table: row by row
        cuts = block
    else:
        cuts = [block[0]]
    yield from zip(cuts, [*cuts[1:], block[-1] + 1], strict=True)


def _fenced_lines(lines: list[str]) -> set[int]:
    """Line numbers inside closed code fences (an unclosed fence is read as text). Past
    MAX_FENCES fence lines none is skipped: the estimate only grows."""
    fences = [(n, m.group(1)) for n, line in enumerate(lines) if (m := _FENCE.match(line))]
    inside: set[int] = set()
    if len(fences) > MAX_FENCES:
        return inside
    position = 0
    while position < len(fences):
        start, fence = fences[position]
        for later in range(position + 1, len(fences)):
            end, closing = fences[later]
            if closing[0] == fence[0] and len(closing) >= len(fence):
                inside.update(range(start, end + 1))
                position = later
                break
        position += 1
    return inside


def iter_body_files(body: str) -> Iterator[tuple[str, int]]:
    """(name relative to the entry folder, offset in `body`) of every local file the
    body shows or links to: Markdown links and images, reference definitions, and HTML
    src/href. Web addresses, absolute paths and anchors are not files of the entry."""
    matches = [
        *_INLINE_TARGET.finditer(body),
        *_REFERENCE_TARGET.finditer(body),
        *_HTML_TARGET.finditer(body),
    ]
    for match in sorted(matches, key=lambda m: m.start()):
        target = next(group for group in match.groups() if group is not None)
        name = format_local_target(target)
        if name:
            yield name, match.start()


def format_local_target(target: str) -> str:
    """The entry-folder file a link target names, or "" for anything else."""
    target = target.strip()
    if not target or _SCHEME.match(target) or target.startswith(("/", "#", "?", "\\")):
        return ""
    target = unquote(target.split("#", 1)[0].split("?", 1)[0])
    while target.startswith("./"):
        target = target[2:]
    return target


_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


@dataclass(frozen=True)
class Section:
    heading: str
    offset: int  # where its heading line starts in the body
    empty: bool  # nothing under it, not even a sub-section with text


def plan_sections(body: str) -> tuple[list[Section], bool]:
    """The body's headings, each with whether anything is written under it, and whether
    the body says anything at all (beyond headings and <!-- --> notes, which the site
    does not show: a body left as `ifte new` wrote it has nothing)."""
    # Comments become blanks of the same length, so offsets and line numbers hold.
    visible = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), body)
    lines = visible.split("\n")
    code = _fenced_lines(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    headings = [
        (n, len(m.group(1)), m.group(2))
        for n, line in enumerate(lines)
        if n not in code and (m := _HEADING.match(line))
    ]
    heading_lines = {n for n, _, _ in headings}
    written = [n for n, line in enumerate(lines) if line.strip() and n not in heading_lines]
    sections = []
    for index, (number, level, text) in enumerate(headings):
        end = next((n for n, lv, _ in headings[index + 1 :] if lv <= level), len(lines))
        has_text = any(number < n < end for n in written)
        sections.append(Section(text, starts[number], not has_text))
    return sections, bool(written)
