"""The PDFs' Thai text helpers: one Sarabun font with the Thai and the Latin glyphs, dated
by its sources, and zero-width spaces between Thai words."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from build_tools.features.pdf_text import FONT_FOLDER, format_breakable, load_font_file

TEXT = "ผู้ที่ได้รับรางวัลแนวปฏิบัติที่เป็นเลิศ พ.ศ. 2568 (Bar Model) “IoT” – 10% ๒๕๖๘"


@pytest.mark.parametrize("weight", [400, 700])
def test_one_font_has_every_thai_and_latin_character(weight):
    # With no fallback font, no line can be drawn with another font's glyph numbers.
    cmap = TTFont(load_font_file(weight)).getBestCmap()
    assert [c for c in TEXT if ord(c) not in cmap] == []


def test_the_merged_font_is_dated_by_its_subsets():
    # The merger would date it today: the same data would give other PDF bytes tomorrow.
    latin = TTFont(FONT_FOLDER / "sarabun-latin-400-normal.woff2")
    merged = TTFont(load_font_file(400))
    assert merged["head"].modified == latin["head"].modified


def test_a_line_may_break_between_thai_words_only():
    assert format_breakable("แนวปฏิบัติที่เป็นเลิศ (Best Practice)") == (
        "แนวปฏิบัติ\u200bที่\u200bเป็นเลิศ (Best Practice)"
    )
