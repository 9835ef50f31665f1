"""Discovery: feeds of new entries, JSON-LD and Open Graph tags, related innovations."""

from __future__ import annotations

import datetime as dt
import html
import json
import xml.etree.ElementTree as ET

import pytest

from build_tools.core.site import SiteSettings
from build_tools.features.discovery import format_script_json, plan_entry_jsonld, plan_open_graph
from build_tools.features.feeds import (
    plan_feed_items,
    render_atom,
    render_json_feed,
    render_rss,
)
from build_tools.features.related import plan_related
from tests.conftest import REPO_ROOT
from tests.stats_factory import SECRET_EMAIL, VOCABULARIES, Attachment, make_catalog, make_entry

SITE = "https://ifte.example.go.th/"
SETTINGS = SiteSettings("คลังนวัตกรรม", SITE, REPO_ROOT, {"office": {"name": "ศธจ.ลพบุรี"}})
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = 'ชื่อ <b>ตัวหนา</b> & "คำพูด" \x0b</script><!--'


def feed_catalog():
    return make_catalog(
        make_entry("old", 2565, submitted=dt.date(2022, 5, 1)),
        make_entry(
            "new",
            2567,
            title=HOSTILE,
            summary=HOSTILE,
            submitted=dt.date(2024, 6, 1),
            updated=dt.date(2024, 8, 1),
        ),
        make_entry("undated", 2566),
        make_entry("same-day", 2567, submitted=dt.date(2024, 6, 1)),
    )


def test_feed_items_are_newest_first_with_ties_by_id_and_dates_from_entries():
    items = plan_feed_items(feed_catalog(), SETTINGS)
    assert [i.url.rsplit("/", 2)[-2] for i in items] == ["new", "same-day", "undated", "old"]
    assert items[2].published == dt.datetime(2023, 1, 1, tzinfo=dt.UTC)  # 2566 BE, no dates
    assert items[0].updated == dt.datetime(2024, 8, 1, tzinfo=dt.UTC)
    assert len(plan_feed_items(feed_catalog(), SETTINGS, size=2)) == 2


def test_atom_feed_parses_and_keeps_teacher_text_as_text():
    items = plan_feed_items(feed_catalog(), SETTINGS)
    atom = render_atom(items, SETTINGS, "ผลงานใหม่")
    root = ET.fromstring(atom.encode())
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4
    assert entries[0].find(f"{ATOM}title").text == HOSTILE.replace("\x0b", "")
    assert entries[0].find(f"{ATOM}id").text == f"{SITE}innovations/2567/new/"
    assert root.find(f"{ATOM}updated").text == "2024-08-01T00:00:00Z"
    assert SECRET_EMAIL not in atom
    assert atom == render_atom(plan_feed_items(feed_catalog(), SETTINGS), SETTINGS, "ผลงานใหม่")


def test_rss_and_json_feed_list_the_same_entries():
    items = plan_feed_items(feed_catalog(), SETTINGS)
    rss = ET.fromstring(render_rss(items, SETTINGS, "t", "d").encode())
    links = [i.findtext("link") for i in rss.iter("item")]
    feed = json.loads(render_json_feed(items, SETTINGS, "t", "d"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["url"] for i in feed["items"]] == links == [i.url for i in items]
    assert rss.find("channel/language").text == "th"


def test_rss_title_and_description_are_html_that_shows_the_teacher_text():
    # RSS readers take both for HTML: decoded once, they must still show the text typed.
    items = plan_feed_items(feed_catalog(), SETTINGS)
    item = ET.fromstring(render_rss(items, SETTINGS, "t", "d").encode()).find("channel/item")
    for name in ("title", "description"):
        text = item.findtext(name)
        assert "<" not in text and html.unescape(text) == HOSTILE.replace("\x0b", "")


def test_feeds_without_a_site_url_use_tag_ids_and_relative_links():
    settings = SiteSettings("คลัง", "", REPO_ROOT)
    items = plan_feed_items(feed_catalog(), settings)
    assert items[0].id == "tag:ifte,2024:2567/new" and items[0].url == "/innovations/2567/new/"
    ET.fromstring(render_atom(items, settings, "t").encode())


def test_json_ld_cannot_close_its_script_element():
    text = format_script_json({"name": HOSTILE})
    assert "</script" not in text and "<!--" not in text
    assert json.loads(text) == {"name": HOSTILE}


def test_json_ld_describes_an_entry_as_a_learning_resource():
    entry = make_entry(
        "kit",
        2567,
        title="ชุดกิจกรรม",
        subjects=("thai",),
        levels=("p4", "p5"),
        keywords=("การอ่าน",),
        submitted=dt.date(2024, 6, 1),
        type="best_practice",
        license="CC-BY-NC-4.0",
        attachments=(Attachment("cover.png", "ปก", 10, "image/png"),),
    )
    data = plan_entry_jsonld(entry, VOCABULARIES, SETTINGS)
    assert data["@type"] == ["CreativeWork", "LearningResource"]
    assert data["url"] == f"{SITE}innovations/2567/kit/"
    assert data["datePublished"] == "2024-06-01"  # schema.org dates are Gregorian ISO
    assert data["educationalLevel"] == ["ป.4", "ป.5"] and data["about"] == ["ภาษาไทย"]
    assert data["license"] == "https://creativecommons.org/licenses/by-nc/4.0/"
    assert data["image"] == f"{SITE}innovations/2567/kit/cover.png"
    assert data["author"][0]["name"] == "นางสาวทดสอบ ระบบ"
    assert "award" in data
    assert SECRET_EMAIL not in json.dumps(data, ensure_ascii=False)


def test_open_graph_tags_summarise_the_entry():
    entry = make_entry("kit", summary="ก" * 500, keywords=("a", "b"))
    tags = plan_open_graph(entry, VOCABULARIES, SETTINGS)
    names = [name for name, _ in tags]
    assert names[:6] == [
        "og:type",
        "og:title",
        "og:description",
        "og:url",
        "og:site_name",
        "og:locale",
    ]
    description = dict(tags)["og:description"]
    assert len(description) <= 200 and description.endswith("…")
    assert names.count("article:tag") == 2 and "og:image" not in names


# --- related innovations ----------------------------------------------------------------

TOPICS = {
    "reading": ("การอ่านจับใจความ", "ชุดกิจกรรมพัฒนาการอ่านจับใจความด้วยนิทานพื้นบ้าน"),
    "math": ("โจทย์ปัญหาคณิตศาสตร์", "แบบฝึกการแก้โจทย์ปัญหาคณิตศาสตร์ด้วยบาร์โมเดล"),
    "farm": ("เกษตรอัจฉริยะ", "ระบบน้ำหยดพลังงานแสงอาทิตย์สำหรับแปลงเกษตร"),
}


@pytest.fixture(scope="module")
def related():
    entries = []
    for topic, (keyword, text) in TOPICS.items():
        for n in range(3):
            entries.append(
                make_entry(
                    f"{topic}-{n}",
                    2565 + n,
                    title=f"{text} รุ่นที่ {n + 1}",
                    keywords=(keyword,),
                    summary=f"{text} ช่วยให้นักเรียนพัฒนา{keyword}",
                    body=f"## ความเป็นมา\n\n{text}",
                )
            )
    catalog = make_catalog(*entries)
    return catalog, plan_related(catalog, limit=2)


def test_related_entries_share_the_topic_and_never_include_the_entry_itself(related):
    catalog, result = related
    assert set(result) == {e.id for e in catalog.entries}
    for entry_id, others in result.items():
        topic = entry_id.split("/")[1].split("-")[0]
        assert 0 < len(others) <= 2 and entry_id not in others
        assert all(other.split("/")[1].startswith(topic) for other in others), (entry_id, others)


def test_related_entries_are_the_same_on_every_build(related):
    catalog, result = related
    assert plan_related(catalog, limit=2) == result


@pytest.mark.parametrize("count", [0, 1, 2])
def test_tiny_catalogues_have_nothing_or_little_to_relate(count):
    entries = [
        make_entry(f"e{n}", title="ชุดกิจกรรมการอ่าน", summary="การอ่านจับใจความ") for n in range(count)
    ]
    result = plan_related(make_catalog(*entries))
    assert set(result) == {e.id for e in entries}
    assert all(len(others) <= count - 1 for others in result.values())


def test_related_entries_are_the_same_from_the_analysis_cache(related, tmp_path):
    import dataclasses

    catalog, result = related
    hashed = make_catalog(*(dataclasses.replace(e, content_hash=e.slug) for e in catalog.entries))
    assert plan_related(hashed, tmp_path, limit=2) == result  # analysed and cached
    assert plan_related(hashed, tmp_path, limit=2) == result  # read from the cache


def test_related_entries_are_reused_until_an_entry_changes(related, tmp_path, monkeypatch):
    import dataclasses

    import build_tools.features.related as module

    catalog, _ = related
    hashed = make_catalog(*(dataclasses.replace(e, content_hash=e.slug) for e in catalog.entries))
    result = plan_related(hashed)
    calls = []
    full = module.plan_related_from_index
    monkeypatch.setattr(module, "plan_related_from_index", lambda *a: calls.append(1) or full(*a))
    assert module.plan_related_cached(hashed, tmp_path) == result
    assert module.plan_related_cached(hashed, tmp_path) == result
    assert len(calls) == 1
    # An edit is applied to the last result, not computed again from scratch.
    first = dataclasses.replace(hashed.entries[0], content_hash="edited")
    assert module.plan_related_cached(make_catalog(first, *hashed.entries[1:]), tmp_path) == result
    assert len(calls) == 1
    # A live preview takes the last result instead of recomputing for every save.
    second = dataclasses.replace(hashed.entries[1], content_hash="edited again")
    stale = module.plan_related_cached(
        make_catalog(first, second, *hashed.entries[2:]), tmp_path, stale_ok=True
    )
    assert stale == result and len(calls) == 1
