"""Thai text in the printable PDFs (fpdf2): the font and the places a line may break.

The font is the site's own Sarabun (theme/assets/fonts/sarabun, OFL). The site serves it as
two woff2 subsets, Latin and Thai; for a PDF they are merged into one TrueType font, so every
character of a line is drawn with one font. fpdf2's fallback fonts (the Thai subset as a
fallback of the Latin one) lose track of the selected font in table cells: a line that
begins with Latin text after Thai text was drawn with the other subset's glyph numbers at
another size ("ojng" for "2568").

Thai is shaped by HarfBuzz (fpdf2's text shaping through `uharfbuzz`), so tone marks and
vowels stack on their consonants, and lines break only between words: a zero-width space,
where fpdf2 may break, goes between the words `thai.segment_run` finds.
"""

from __future__ import annotations

import functools
import io
import re
import tempfile
from pathlib import Path

from build_tools.core.thai import segment_run

FONT_FOLDER = Path(__file__).resolve().parents[2] / "theme" / "assets" / "fonts" / "sarabun"
FAMILY = "sarabun"
_WEIGHTS = {"": 400, "B": 700}
_THAI_RUN = re.compile("[\u0e01-\u0e4f]+")
# A table cell's padding in mm (top, right, bottom, left; the sides keep fpdf2's cell
# margin): room for the Thai vowels and tone marks above a first line, which would
# otherwise touch the cell's top border.
CELL_PADDING = (1.0, 0, 0.2, 0)


def format_breakable(text: str) -> str:
    """`text` with a zero-width space between Thai words, where a line may break."""

    def split(match: re.Match) -> str:
        words = segment_run(match[0])
        return "\u200b".join(words) if "".join(words) == match[0] else match[0]

    return _THAI_RUN.sub(split, text)


def add_fonts(pdf) -> None:
    """Give `pdf` the family `FAMILY` (regular and bold), Thai and Latin in one font each,
    and turn on HarfBuzz shaping."""
    for style, weight in _WEIGHTS.items():
        pdf.add_font(FAMILY, style, load_font_file(weight))
    pdf.set_text_shaping(True)


@functools.cache
def load_font_file(weight: int) -> Path:
    """Sarabun of `weight` with the Latin and the Thai glyphs, as a TrueType file that
    lasts as long as the process (fpdf2 reads fonts from files only)."""
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    subsets = [
        TTFont(FONT_FOLDER / f"sarabun-{name}-{weight}-normal.woff2", recalcTimestamp=False)
        for name in ("latin", "thai")
    ]
    plain = []
    for subset in subsets:
        subset.flavor = None  # the merger reads TrueType, not woff2
        plain.append(io.BytesIO())
        subset.save(plain[-1])
        plain[-1].seek(0)
    merged = Merger().merge(plain)
    # The merger dates the font now: date it by its subsets, so a PDF's bytes stay the same.
    merged.recalcTimestamp = False
    dated = max(subset["head"].modified for subset in subsets)
    merged["head"].created = merged["head"].modified = dated
    path = Path(_font_folder().name) / f"sarabun-{weight}.ttf"
    merged.save(path)
    return path


@functools.cache
def _font_folder() -> tempfile.TemporaryDirectory:
    # Kept alive by the cache; removed when the process ends.
    return tempfile.TemporaryDirectory(prefix="ifte-fonts-")
