"""Lessons learned, drawn from the "บทเรียนที่ได้รับ" section of each entry's body."""

from __future__ import annotations

import re

HEADINGS = ("บทเรียนที่ได้รับ", "บทเรียนที่ได้", "ข้อเสนอแนะ")
MAX_CHARS = 320
_HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
_MARKS = re.compile(r"(\*\*|__|`|\*|_(?=\S))")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def format_plain(markdown: str) -> str:
    """Markdown of a short section as one line of plain text (items joined by spaces)."""
    lines = []
    for line in markdown.splitlines():
        line = _ITEM.sub("", line).strip()
        if not line or line.startswith(("|", ">", "<")):
            continue
        lines.append(_MARKS.sub("", _LINK.sub(r"\1", line)))
    return " ".join(lines)


def read_lesson(body: str) -> str:
    """The first lessons-learned section of a body, plain and at most `MAX_CHARS`
    characters (cut at a space), or "" when the body has none."""
    headings = list(_HEADING.finditer(body))
    for number, heading in enumerate(headings):
        if heading[2].strip() not in HEADINGS:
            continue
        level = len(heading[1])
        end = len(body)
        for later in headings[number + 1 :]:
            if len(later[1]) <= level:
                end = later.start()
                break
        text = format_plain(body[heading.end() : end])
        if len(text) > MAX_CHARS:
            cut = text.rfind(" ", 0, MAX_CHARS)
            text = text[: cut if cut > MAX_CHARS // 2 else MAX_CHARS].rstrip() + " …"
        return text
    return ""
