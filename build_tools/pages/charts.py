"""Static, accessible SVG charts drawn at build time: no chart library, no script, no CDN.

Each chart is one `<svg role="img">` named by its `<title>` and `<desc>`; the desc
lists every number, and pages put a data table beside the chart, so nothing is said
by colour or shape alone. Colours keep 3:1 against white (WCAG 1.4.11) and text on a
fill keeps 4.5:1. Thai text width cannot be measured without a font engine, so it is
estimated from the number of characters that take space (tone marks and upper or
lower vowels take none).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Drawing widths in px. Pages never draw a chart wider than this, and scale it down to
# the column: at 400 and 15 px a 358 px phone column still shows labels at 13 px.
WIDTH = 400
WIDE = 400
FONT_SIZE = 15
# Average advance of a Thai or Latin character in Sarabun at 1px font size.
CHAR_WIDTH = 0.56
FONT_FAMILY = "Sarabun, 'TH Sarabun New', Tahoma, 'Noto Sans Thai', sans-serif"
TEXT = "#1a1a1a"
BAR = "#3f51b5"
# Series colours (Okabe–Ito, darkened to 5:1 against white so white numbers fit inside).
SERIES = ("#0072b2", "#b34700", "#007a5a", "#6a3d9a", "#7a6000", "#a6266e")
# Tile-map fills from few to many entries, with the text colour readable on each.
TILE_EMPTY = "#f4f4f4"
TILE_BINS = (("#dde1f5", TEXT), ("#9fa8da", TEXT), ("#5c6bc0", "#ffffff"), ("#303f9f", "#ffffff"))
TILE_STROKE = "#5c6bc0"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[int, ...]  # one per group


@dataclass(frozen=True)
class Tile:
    label: str
    value: int
    column: int
    row: int


def format_text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated width in px: combining marks (Thai tone marks, upper vowels) take none."""
    spacing = sum(1 for char in text if unicodedata.category(char) != "Mn")
    return spacing * size * CHAR_WIDTH


def format_fitted(text: str, width: float, size: float = FONT_SIZE) -> str:
    """`text`, shortened with an ellipsis so that it fits `width` (the table shows it whole)."""
    if format_text_width(text, size) <= width:
        return text
    while text and format_text_width(text + "…", size) > width:
        text = text[:-1]
    while text and unicodedata.category(text[-1]) == "Mn":  # never end on a lone mark
        text = text[:-1]
    return text.rstrip() + "…"


def _number(value: int) -> str:
    return f"{value:,}"


def _open(chart_id: str, title: str, description: str, height: float, width: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ifte-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {math.ceil(height)}" width="{width}" '
        f'height="{math.ceil(height)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="{FONT_SIZE}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _text(
    x: float,
    y: float,
    content: str,
    anchor: str = "start",
    fill: str = TEXT,
    size: int = FONT_SIZE,
    weight: str = "",
) -> str:
    extra = f' font-size="{size}"' if size != FONT_SIZE else ""
    extra += f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>'
        f"{escape(content)}</text>"
    )


def _label(x: float, y: float, content: str, width: float, anchor: str = "end") -> str:
    """A label shortened to `width`; a shortened one shows in full on hover."""
    fitted = format_fitted(content, width)
    text = _text(x, y, fitted, anchor=anchor)
    if fitted == content:
        return text
    return text.replace(">", f"><title>{escape(content)}</title>", 1)


def format_description(intro: str, bars: Sequence[Bar], unit: str = "ผลงาน") -> str:
    """The spoken version of a chart: what it shows, then every value."""
    values = "; ".join(f"{bar.label} {_number(bar.value)} {unit}" for bar in bars)
    return f"{intro}: {values}" if values else f"{intro}: ยังไม่มีข้อมูล"


def render_bar_chart(
    chart_id: str, title: str, description: str, bars: Sequence[Bar], width: int = WIDTH
) -> str:
    """Horizontal bars, one per value, labels on the left and numbers at the bar ends."""
    row_height, bar_height, top = 26, 18, 8
    widest = max((format_text_width(bar.label) for bar in bars), default=0)
    label_width = min(max(widest + 12, 80), width * 0.4)
    value_room = format_text_width(_number(max((b.value for b in bars), default=0))) + 12
    area = width - label_width - value_room - 8
    largest = max((bar.value for bar in bars), default=0) or 1
    height = top * 2 + row_height * max(len(bars), 1)
    parts = _open(chart_id, title, description, height, width)
    parts.append('<g aria-hidden="true">')
    for number, bar in enumerate(bars):
        y = top + number * row_height
        length = area * bar.value / largest
        middle = y + bar_height / 2 + FONT_SIZE * 0.35
        parts.append(_label(label_width - 8, middle, bar.label, label_width - 12))
        if bar.value:
            parts.append(
                f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{length:.1f}" '
                f'height="{bar_height}" fill="{BAR}"/>'
            )
        parts.append(_text(label_width + length + 6, middle, _number(bar.value)))
    baseline_bottom = top + row_height * max(len(bars), 1)
    parts.append(
        f'<line x1="{label_width:.1f}" y1="{top - 2}" x2="{label_width:.1f}" '
        f'y2="{baseline_bottom:.1f}" stroke="{TEXT}" stroke-width="1"/>'
    )
    parts += ["</g>", "</svg>"]
    return "\n".join(parts)


def render_stacked_bar_chart(
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[str],
    series: Sequence[Series],
    width: int = WIDE,
) -> str:
    """One horizontal bar per group, split into series; a legend names the colours."""
    row_height, bar_height, legend_row = 26, 18, 22
    widest = max((format_text_width(g) for g in groups), default=0)
    label_width = min(max(widest + 12, 80), width * 0.4)
    totals = [sum(s.values[i] for s in series) for i in range(len(groups))]
    value_room = format_text_width(_number(max(totals, default=0))) + 12
    area = width - label_width - value_room - 8
    largest = max(totals, default=0) or 1
    # Legend: swatch + label, wrapped onto as many rows as needed.
    legend: list[tuple[float, float, int, str]] = []
    x, y = 8.0, 4.0
    for number, item in enumerate(series):
        room = 18 + format_text_width(item.label) + 16
        if x + room > width and x > 8:
            x, y = 8.0, y + legend_row
        legend.append((x, y, number, item.label))
        x += room
    top = y + legend_row + 8
    height = top + row_height * max(len(groups), 1) + 8
    parts = _open(chart_id, title, description, height, width)
    parts.append('<g aria-hidden="true">')
    for lx, ly, number, label in legend:
        colour = SERIES[number % len(SERIES)]
        parts.append(f'<rect x="{lx:.1f}" y="{ly:.1f}" width="14" height="14" fill="{colour}"/>')
        parts.append(_text(lx + 20, ly + 12, label))
    for row, group in enumerate(groups):
        y = top + row * row_height
        middle = y + bar_height / 2 + FONT_SIZE * 0.35
        parts.append(_label(label_width - 8, middle, group, label_width - 12))
        x = label_width
        for number, item in enumerate(series):
            value = item.values[row]
            if not value:
                continue
            length = area * value / largest
            colour = SERIES[number % len(SERIES)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{length:.1f}" '
                f'height="{bar_height}" fill="{colour}" stroke="#ffffff"/>'
            )
            if length >= format_text_width(_number(value)) + 6:
                parts.append(
                    _text(x + length / 2, middle, _number(value), anchor="middle", fill="#ffffff")
                )
            x += length
        parts.append(_text(x + 6, middle, _number(totals[row]), weight="bold"))
    parts.append(
        f'<line x1="{label_width:.1f}" y1="{top - 2:.1f}" x2="{label_width:.1f}" '
        f'y2="{top + row_height * max(len(groups), 1):.1f}" stroke="{TEXT}"/>'
    )
    parts += ["</g>", "</svg>"]
    return "\n".join(parts)


@dataclass(frozen=True)
class Bin:
    low: int
    high: int
    fill: str
    ink: str  # text colour on this fill

    @property
    def label(self) -> str:
        if self.high == 0:
            return "ไม่มี"
        return f"{self.low}" if self.low == self.high else f"{self.low}–{self.high}"


def plan_bins(largest: int) -> tuple[Bin, ...]:
    """Colour classes of a tile map: "none", then up to four equal-width value ranges."""
    bins = [Bin(0, 0, TILE_EMPTY, TEXT)]
    low = 1
    for k, (fill, ink) in enumerate(TILE_BINS, start=1):
        high = math.ceil(largest * k / len(TILE_BINS))
        if high >= low:
            bins.append(Bin(low, high, fill, ink))
            low = high + 1
    return tuple(bins)


def _tile_bin(value: int, bins: Sequence[Bin]) -> Bin:
    return next((b for b in bins if b.low <= value <= b.high), bins[-1])


def render_tile_map(
    chart_id: str,
    title: str,
    description: str,
    tiles: Sequence[Tile],
    width: int = WIDTH,
    unit: str = "ผลงาน",
    empty: str = "ไม่มีผลงาน",
) -> str:
    """A tile map: one labelled square per area, placed roughly where the area lies.
    Each tile reads "N `unit`" ("3 แห่ง" for adoptions), or `empty` at zero."""
    tile_h, gap, top = 78, 6, 4
    columns = max((t.column for t in tiles), default=0) + 1
    tile_w = min(148, (width - gap * columns) // columns)
    rows = max((t.row for t in tiles), default=0) + 1
    left = max(0.0, (width - columns * (tile_w + gap)) / 2)
    legend_y = top + rows * (tile_h + gap) + 10
    height = legend_y + 30
    bins = plan_bins(max((t.value for t in tiles), default=0))
    parts = _open(chart_id, title, description, height, width)
    parts.append('<g aria-hidden="true">')
    for tile in tiles:
        x = left + tile.column * (tile_w + gap)
        y = top + tile.row * (tile_h + gap)
        style = _tile_bin(tile.value, bins)
        dash = ' stroke-dasharray="4 3"' if tile.value <= 0 else ""
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{tile_w}" height="{tile_h}" rx="6" '
            f'fill="{style.fill}" stroke="{TILE_STROKE}"{dash}/>'
        )
        label = _label(x + tile_w / 2, y + 26, tile.label, tile_w - 10, anchor="middle")
        parts.append(label.replace(f'fill="{TEXT}"', f'fill="{style.ink}"', 1))
        count = f"{_number(tile.value)} {unit}" if tile.value else empty
        parts.append(
            _text(
                x + tile_w / 2,
                y + 56,
                count,
                anchor="middle",
                fill=style.ink,
                size=17,
                weight="bold",
            )
        )
    x = left
    for item in bins:
        parts.append(
            f'<rect x="{x:.1f}" y="{legend_y:.1f}" width="16" height="16" '
            f'fill="{item.fill}" stroke="{TILE_STROKE}"/>'
        )
        parts.append(_text(x + 22, legend_y + 13, item.label))
        x += 30 + format_text_width(item.label)
    parts += ["</g>", "</svg>"]
    return "\n".join(parts)
