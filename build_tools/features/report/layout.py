"""Lines of Thai text for the report, broken only between words.

The report breaks every line itself, at spaces and between the words `format_breakable`
marks, and gives fpdf2 whole lines, in table cells too. That began as a workaround: fpdf2
misplaced glyphs in lines it broke itself while Thai came from a fallback font. With one
font for Thai and Latin (`features.pdf_text`) fpdf2's own breaking at zero-width spaces,
which the certificates use, would do as well.
"""

from __future__ import annotations

import re

from build_tools.features.pdf_text import format_breakable

_PIECE = re.compile(r"[^\s\u200b]+\s*|\s+|\u200b")


def format_lines(text: str, width: float, measure) -> list[str]:
    """`text` as lines no wider than `width` (`measure(text)` gives a width), broken at
    spaces and between Thai words; a word wider than a line gets a line of its own.
    Each word is measured once and a line's width taken as the sum of its words'."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        pieces = [p for p in _PIECE.findall(format_breakable(paragraph)) if p != "\u200b"]
        line, used = "", 0.0
        for piece in pieces:
            word = piece.rstrip()
            size = measure(word)
            if line and used + size > width:
                lines.append(line.rstrip())
                line, used = "", 0.0
                if not word:
                    continue
            line += piece
            used += size + (measure(" ") if piece != word else 0.0)
        lines.append(line.rstrip())
    return lines
