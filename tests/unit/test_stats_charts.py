"""SVG charts: well-formed, named for screen readers, proportional, safe with odd labels."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET

import pytest

from build_tools.pages.charts import (
    Bar,
    Series,
    Tile,
    format_fitted,
    format_text_width,
    plan_bins,
    render_bar_chart,
    render_stacked_bar_chart,
    render_tile_map,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def assert_accessible(root: ET.Element) -> None:
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    found = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert [found[i].tag for i in ids] == [f"{SVG}title", f"{SVG}desc"]
    assert all(found[i].text for i in ids)


def rect_widths(root: ET.Element) -> list[float]:
    return [float(r.get("width")) for r in root.iter(f"{SVG}rect")]


CHARTS = {
    "bars": lambda: render_bar_chart("c1", "ชื่อ", "คำอธิบาย", [Bar("ก", 3), Bar("ข", 0)]),
    "empty bars": lambda: render_bar_chart("c2", "ชื่อ", "คำอธิบาย", []),
    "stacked": lambda: render_stacked_bar_chart(
        "c3",
        "ชื่อ",
        "คำอธิบาย",
        ["พ.ศ. 2566", "พ.ศ. 2567"],
        [Series("การจัดการเรียนรู้", (2, 0)), Series("การนิเทศ", (1, 5))],
    ),
    "tiles": lambda: render_tile_map(
        "c4", "ชื่อ", "คำอธิบาย", [Tile("โคกสำโรง", 4, 0, 0), Tile("บ้านหมี่", 0, 1, 0)]
    ),
}


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_is_well_formed_svg_named_by_title_and_desc(name):
    assert_accessible(parse(CHARTS[name]()))


def test_bar_lengths_are_proportional_to_values():
    root = parse(render_bar_chart("c", "t", "d", [Bar("ก", 10), Bar("ข", 5), Bar("ค", 0)]))
    widths = rect_widths(root)
    assert len(widths) == 2  # a zero draws no bar, only its number
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"10", "5", "0"} <= set(texts)


def test_stacked_segments_add_up_to_the_row_total():
    root = parse(
        render_stacked_bar_chart(
            "c", "t", "d", ["a", "b"], [Series("x", (4, 2)), Series("y", (4, 0))]
        )
    )
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "18"]
    first_row = [float(r.get("width")) for r in bars if r.get("y") == bars[0].get("y")]
    second_row = [float(r.get("width")) for r in bars if r.get("y") != bars[0].get("y")]
    assert sum(first_row) == pytest.approx(4 * sum(second_row), rel=0.01)
    assert "8" in [t.text for t in root.iter(f"{SVG}text")]


def test_markup_in_labels_stays_text():
    hostile = '<script>alert("x")</script> & "quotes"'
    svg = render_bar_chart("c", hostile, hostile, [Bar(hostile, 1)])
    root = parse(svg)
    assert root.find(f"{SVG}title").text == hostile
    assert "<script>" not in svg
    assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script"))


def test_long_thai_labels_are_shortened_without_a_dangling_mark():
    label = "สังคมศึกษา ศาสนา และวัฒนธรรม และอื่น ๆ ที่ยาวมากจนล้นพื้นที่"
    fitted = format_fitted(label, 100)
    assert fitted.endswith("…") and len(fitted) < len(label)
    assert format_text_width(fitted) <= 100 + format_text_width("…")
    assert unicodedata.category(fitted[-2]) != "Mn"
    assert format_fitted("สั้น", 100) == "สั้น"


def test_tone_marks_and_upper_vowels_take_no_width():
    assert format_text_width("กิ่ง") == format_text_width("กง")


@pytest.mark.parametrize("largest", [1, 2, 3, 4, 7, 9, 40])
def test_tile_colour_classes_cover_every_count_once(largest):
    bins = plan_bins(largest)
    assert (bins[0].low, bins[0].high) == (0, 0)
    covered = [n for b in bins[1:] for n in range(b.low, b.high + 1)]
    assert covered == list(range(1, largest + 1))


def test_districts_without_entries_are_drawn_dashed_and_say_so():
    root = parse(render_tile_map("m", "t", "d", [Tile("ก", 0, 0, 0), Tile("ข", 3, 1, 0)]))
    tiles = [r for r in root.iter(f"{SVG}rect") if r.get("rx")]
    assert [t.get("stroke-dasharray") is not None for t in tiles] == [True, False]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "ไม่มีผลงาน" in texts and "3 ผลงาน" in texts


def test_a_tile_map_of_adoptions_counts_places_not_entries():
    svg = render_tile_map(
        "m", "t", "d", [Tile("ก", 0, 0, 0), Tile("ข", 2, 1, 0)], unit="แห่ง", empty="ยังไม่มี"
    )
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "2 แห่ง" in texts and "ยังไม่มี" in texts
    assert not [t for t in texts if t and "ผลงาน" in t]
