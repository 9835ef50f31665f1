"""Untrusted entry HTML: nothing that can run survives."""

from __future__ import annotations

import pytest

from build_tools.core.sanitize import sanitize_html, youtube_video_id

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example/"><input name=x></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<p onmouseover="alert(1)">hover</p>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<details open ontoggle=alert(1)>x</details>",
]


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_is_neutralised(html):
    clean = sanitize_html(html).lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "ontoggle",
        "javascript:",
        "vbscript:",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<meta",
        "<base",
        "<link",
        "style=",
        "data:",
        "<style",
        "<svg",
        "<math",
    ):
        assert needle not in clean, (html, clean)


def test_ordinary_markup_survives():
    html = (
        '<h2 id="ความเป็นมา">ความเป็นมา<a class="headerlink" href="#ความเป็นมา">¶</a></h2>'
        "<table><thead><tr><th>ชั้น</th></tr></thead><tbody><tr><td>ป.4</td></tr></tbody>"
        '</table><p><img alt="แผนภาพ" src="chart.png"> <a href="../../2566/x/">ลิงก์</a></p>'
    )
    clean = sanitize_html(html)
    assert 'id="ความเป็นมา"' in clean
    assert "<table>" in clean and "<td>ป.4</td>" in clean
    assert 'src="chart.png"' in clean and 'alt="แผนภาพ"' in clean
    assert 'href="../../2566/x/"' in clean


@pytest.mark.parametrize(
    ("url", "video"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://www.youtube.com/watch?v=bad", None),
        ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
    ],
)
def test_youtube_ids(url, video):
    assert youtube_video_id(url) == video


def test_markdown_table_alignment_becomes_classes_not_styles():
    import markdown

    table = "| ชั้น | จำนวน | ร้อยละ | หมายเหตุ |\n|:--|--:|:-:|---|\n| ป.4 | 25 | 80 | - |\n"
    clean = sanitize_html(markdown.markdown(table, extensions=["tables"]))
    assert "style=" not in clean and "align=" not in clean
    assert '<th class="ifte-align-left">ชั้น</th>' in clean
    assert '<th class="ifte-align-right">จำนวน</th>' in clean
    assert '<td class="ifte-align-right">25</td>' in clean
    assert '<td class="ifte-align-center">80</td>' in clean
    assert "<td>-</td>" in clean  # a column without alignment gets no class


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('<td align="right" class="x">1</td>', '<td class="x ifte-align-right">1</td>'),
        (
            '<th style="text-align: center;" scope="col">1</th>',
            '<th scope="col" class="ifte-align-center">1</th>',
        ),
        ('<td style="text-align: right; background: url(x)">1</td>', "<td>1</td>"),
        ('<td style="color: red">1</td>', "<td>1</td>"),
        ('<td align="justify">1</td>', "<td>1</td>"),
        ('<p style="text-align: right;">1</p>', "<p>1</p>"),  # only table cells
    ],
)
def test_only_a_plain_alignment_of_a_cell_passes(cell, expected):
    wrapped = cell if cell.startswith("<p") else f"<table><tbody><tr>{cell}</tr></tbody></table>"
    clean = sanitize_html(wrapped)
    assert expected in clean and "style=" not in clean, clean
