"""Entry bodies rendered once per content (build_tools/pipeline/rendering.py)."""

from __future__ import annotations

import pytest

from build_tools.core import workers
from build_tools.core.cache import store_folder
from build_tools.core.slugs import slugify
from build_tools.pipeline import rendering
from build_tools.pipeline.rendering import (
    MarkdownSettings,
    needs_site_engine,
    prune_body_cache,
    render_bodies,
    render_body,
)
from tests.search_factory import make_entry

SETTINGS = MarkdownSettings(
    ("toc", "tables", "fenced_code", "attr_list", "admonition"),
    {"toc": {"permalink": True, "slugify": slugify}},
)
BODY = """## ความเป็นมา

นักเรียน **อ่านจับใจความ** ได้ดีขึ้น <script>alert(1)</script>

### วิธีการ

| ขั้น | กิจกรรม |
|---|---|
| 1 | อ่าน |

[แผนการสอน](plan.pdf)
"""


def test_a_body_is_sanitised_and_keeps_its_thai_table_of_contents():
    body = render_body(BODY, SETTINGS)
    assert "<script" not in body.html and "<table>" in body.html
    assert 'href="plan.pdf"' in body.html
    assert [t["name"] for t in body.toc] == ["ความเป็นมา"]
    assert body.toc[0]["children"][0]["name"] == "วิธีการ"
    assert body.toc[0]["id"] in body.html and "ความเป็นมา" in body.toc[0]["id"]


def test_the_converter_is_reused_without_leaking_state_between_bodies():
    first = render_body("[a]: https://example.org/a\n\n## หัวข้อ\n\n[x][a]", SETTINGS)
    second = render_body("## หัวข้อ\n\n[x][a]", SETTINGS)
    assert 'href="https://example.org/a"' in first.html
    assert "example.org" not in second.html  # the reference of the first body is gone
    assert second.toc[0]["id"] == first.toc[0]["id"]  # no "_1" suffix carried over


def test_bodies_are_cached_by_content_and_stale_ones_pruned(tmp_path, monkeypatch):
    entries = [make_entry(f"e{i}", "ชื่อ", body=f"## ตอนที่ {i}\n\nเนื้อหา {i}") for i in range(3)]
    first = render_bodies(entries, SETTINGS, tmp_path)

    def refuse(*args):
        raise AssertionError("a cached body was rendered again")

    with monkeypatch.context() as patch:
        patch.setattr(rendering, "render_body", refuse)
        assert render_bodies(entries, SETTINGS, tmp_path) == first
    edited = make_entry("e0", "ชื่อ", body="## ตอนใหม่")
    assert "ตอนใหม่" in render_bodies([edited], SETTINGS, tmp_path)["2567/e0"].html
    assert prune_body_cache(tmp_path, [edited, *entries[1:]], SETTINGS) == 1
    assert len(list((store_folder(tmp_path) / rendering.BODY_CACHE).glob("*/*.pickle"))) == 3


def test_other_markdown_settings_render_again(tmp_path):
    entry = make_entry("e", "ชื่อ", body="## หัวข้อ")
    plain = MarkdownSettings(("toc",), {})
    with_links = MarkdownSettings(("toc",), {"toc": {"permalink": True}})
    assert "headerlink" not in render_bodies([entry], plain, tmp_path)["2567/e"].html
    assert "headerlink" in render_bodies([entry], with_links, tmp_path)["2567/e"].html


def test_worker_processes_give_the_same_bodies(tmp_path, monkeypatch):
    entries = [make_entry(f"e{i}", "ชื่อ", body=f"## ส่วน {i}\n\n{BODY}") for i in range(6)]
    serial = render_bodies(entries, SETTINGS, tmp_path / "a", workers=1)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    assert render_bodies(entries, SETTINGS, tmp_path / "b", workers=2) == serial


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[อีกผลงาน](../other/index.md)", True),
        ("[ดู](notes.md#ตอนที่-1)", True),
        ("[ref]: ../other/index.md", True),
        ("[แผน](plan.pdf) และ [เว็บ](https://example.org/readme.md.html)", False),
        ("ไฟล์ README.md ในข้อความ", False),
    ],
)
def test_links_to_markdown_files_are_left_to_the_site_engine(body, expected):
    assert needs_site_engine(body) is expected


SLOW_BODY = "[" * 2500  # the checker refuses it; rendering takes about a second


@pytest.mark.parametrize("in_thread", [False, True])
def test_a_body_that_renders_too_slowly_is_stopped(monkeypatch, in_thread):
    import threading

    monkeypatch.setattr(rendering, "RENDER_SECONDS", 0.05)
    results = []
    if in_thread:  # a live preview renders in a thread: no timer signal there
        worker = threading.Thread(target=lambda: results.append(render_body(SLOW_BODY, SETTINGS)))
        worker.start()
        worker.join()
    else:
        results.append(render_body(SLOW_BODY, SETTINGS))
    assert results == [None]
    assert render_body(BODY, SETTINGS) is not None  # the next body renders as usual


def test_a_build_stops_naming_the_file_whose_body_is_too_slow(monkeypatch, tmp_path):
    from build_tools.core.errors import IfteError

    monkeypatch.setattr(rendering, "RENDER_SECONDS", 0.05)
    slow = make_entry("slow", "ช้า", body=SLOW_BODY)
    with pytest.raises(IfteError) as caught:
        render_bodies([make_entry("fine", "ดี", body=BODY), slow], SETTINGS, tmp_path, workers=1)
    assert "[body-too-slow]" in str(caught.value)
    assert str(slow.source_path.name) in str(caught.value)


def test_a_body_nested_past_pythons_stack_is_stopped_not_crashed():
    assert render_body("- " * 3000 + "a", SETTINGS) is None
    assert render_body(BODY, SETTINGS) is not None


def test_table_headers_break_only_between_thai_words_and_stay_escaped():
    body = (
        "| กิจกรรมการเรียนรู้ | <b>&lt;ชั้น&gt;</b> ระดับ | ค่าเฉลี่ย |\n"
        "|---|---|--:|\n| คะแนนก่อนเรียน | 2 | 3 |\n"
    )
    html = render_body(body, SETTINGS).html
    header = html[html.index("<thead>") : html.index("</thead>")]
    assert '<span class="ifte-w">กิจกรรม</span><wbr><span class="ifte-w">การเรียนรู้</span>' in header
    assert '<b><span class="ifte-w">&lt;' not in header  # text only: the tag stays
    assert "<b>&lt;" in header and "&gt;</b>" in header
    assert "ifte-align-right" in header  # the cell's own attributes are kept
    assert "คะแนนก่อนเรียน" in html[html.index("<tbody>") :]  # data cells are left alone
    assert "<wbr>" not in html[html.index("<tbody>") :]
