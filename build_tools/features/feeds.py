"""Feeds of new entries: Atom, RSS 2.0 and JSON Feed 1.1.

Feed dates come from the entries (submitted, last change), never from the clock, so
an unchanged catalogue gives byte-identical feeds and the deploy uploads nothing.

Teachers' titles and summaries are plain text. Atom says so (`type="text"`) and JSON
Feed has plain-text fields, but RSS 2.0 has no way to: its description is entity-encoded
HTML by the spec, and most readers treat titles the same way. So RSS text fields are
escaped twice (`_rss_text`): once into HTML that shows the text, once for XML. A title
`<script>` then reaches a reader as `&lt;script&gt;`, and shows as typed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from build_tools.core.loader import Catalog
from build_tools.core.model import Entry
from build_tools.core.site import Generated, GeneratedFile, SiteSettings
from build_tools.core.thaidate import BE_OFFSET
from build_tools.features.opendata.records import format_absolute_url

FEED_SIZE = 50
ATOM = "feeds/atom.xml"
RSS = "feeds/rss.xml"
JSON_FEED = "feeds/feed.json"
FEEDS = (
    {"url": ATOM, "title": "Atom", "type": "application/atom+xml"},
    {"url": RSS, "title": "RSS 2.0", "type": "application/rss+xml"},
    {"url": JSON_FEED, "title": "JSON Feed", "type": "application/feed+json"},
)
# Characters XML 1.0 forbids (C0 controls other than tab and line ends; U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedItem:
    id: str
    url: str
    title: str
    summary: str
    authors: tuple[str, ...]
    published: dt.datetime
    updated: dt.datetime
    categories: tuple[tuple[str, str], ...]  # (code, Thai label)


def _midnight(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def format_published(entry: Entry) -> dt.datetime:
    """When an entry appeared: its submission date, else its last change, else its year."""
    date = entry.submitted or entry.updated or dt.date(entry.year - BE_OFFSET, 1, 1)
    return _midnight(date)


def _item_id(settings: SiteSettings, entry: Entry) -> str:
    # Atom ids must be absolute IRIs; without a site URL a tag URI keeps them unique.
    if settings.site_url:
        return format_absolute_url(settings.site_url, entry.url)
    return f"tag:ifte,2024:{entry.id}"


def plan_feed_items(
    catalog: Catalog, settings: SiteSettings, size: int = FEED_SIZE
) -> list[FeedItem]:
    """The newest entries first (ties by id), at most `size`."""
    v = catalog.vocabularies
    entries = sorted(catalog.entries, key=lambda e: e.id)
    entries.sort(key=format_published, reverse=True)
    items = []
    for entry in entries[:size]:
        published = format_published(entry)
        updated = max(published, _midnight(entry.updated)) if entry.updated else published
        categories = (
            (entry.type, v.label("types", entry.type)),
            (entry.category, v.label("categories", entry.category)),
            (entry.school.district, v.label("districts", entry.school.district)),
            *((code, v.label("subjects", code)) for code in entry.subjects),
        )
        items.append(
            FeedItem(
                _item_id(settings, entry),
                format_absolute_url(settings.site_url, entry.url),
                entry.title,
                entry.summary,
                tuple(a.name for a in entry.authors),
                published,
                updated,
                categories,
            )
        )
    return items


def _x(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _rss_text(text: str) -> str:
    """Plain text for an RSS title or description, which readers take for HTML."""
    return _x(html.escape(text, quote=False))


def _attr(text: str) -> str:
    return quoteattr(_NOT_XML.sub("", text))


def _rfc3339(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _feed_updated(items: list[FeedItem]) -> dt.datetime:
    return max((i.updated for i in items), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def render_atom(items: list[FeedItem], settings: SiteSettings, title: str) -> str:
    office = (settings.extra.get("office") or {}).get("name") or settings.site_name
    self_url = format_absolute_url(settings.site_url, ATOM)
    home_url = format_absolute_url(settings.site_url, "")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="th">',
        f"  <title>{_x(title)}</title>",
        f"  <id>{_x(self_url if settings.site_url else 'tag:ifte,2024:feed')}</id>",
        f'  <link rel="self" type="application/atom+xml" href={_attr(self_url)}/>',
        f'  <link rel="alternate" type="text/html" href={_attr(home_url)}/>',
        f"  <updated>{_rfc3339(_feed_updated(items))}</updated>",
        f"  <author><name>{_x(office)}</name></author>",
    ]
    for item in items:
        lines += [
            "  <entry>",
            f"    <title>{_x(item.title)}</title>",
            f"    <id>{_x(item.id)}</id>",
            f'    <link rel="alternate" type="text/html" href={_attr(item.url)}/>',
            f"    <published>{_rfc3339(item.published)}</published>",
            f"    <updated>{_rfc3339(item.updated)}</updated>",
            *(f"    <author><name>{_x(name)}</name></author>" for name in item.authors),
            *(
                f"    <category term={_attr(code)} label={_attr(label)}/>"
                for code, label in item.categories
            ),
            f'    <summary type="text">{_x(item.summary)}</summary>',
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def render_rss(items: list[FeedItem], settings: SiteSettings, title: str, description: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"  <title>{_rss_text(title)}</title>",
        f"  <link>{_x(format_absolute_url(settings.site_url, ''))}</link>",
        f"  <description>{_rss_text(description)}</description>",
        "  <language>th</language>",
        f"  <lastBuildDate>{format_datetime(_feed_updated(items))}</lastBuildDate>",
        '  <atom:link rel="self" type="application/rss+xml" '
        f"href={_attr(format_absolute_url(settings.site_url, RSS))}/>",
    ]
    permalink = "true" if settings.site_url else "false"
    for item in items:
        lines += [
            "  <item>",
            f"    <title>{_rss_text(item.title)}</title>",
            f"    <link>{_x(item.url)}</link>",
            f'    <guid isPermaLink="{permalink}">{_x(item.id)}</guid>',
            f"    <pubDate>{format_datetime(item.published)}</pubDate>",
            *(f"    <category>{_x(label)}</category>" for _, label in item.categories),
            f"    <description>{_rss_text(item.summary)}</description>",
            "  </item>",
        ]
    lines += ["</channel>", "</rss>"]
    return "\n".join(lines) + "\n"


def render_json_feed(
    items: list[FeedItem], settings: SiteSettings, title: str, description: str
) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "description": description,
        "home_page_url": format_absolute_url(settings.site_url, ""),
        "feed_url": format_absolute_url(settings.site_url, JSON_FEED),
        "language": "th",
        "items": [
            {
                "id": item.id,
                "url": item.url,
                "title": item.title,
                "content_text": item.summary,
                "summary": item.summary,
                "date_published": _rfc3339(item.published),
                "date_modified": _rfc3339(item.updated),
                "authors": [{"name": name} for name in item.authors],
                "tags": [label for _, label in item.categories],
            }
            for item in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def generate_feeds(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    items = plan_feed_items(catalog, settings)
    title = f"{settings.site_name} — ผลงานใหม่"
    description = "ผลงานนวัตกรรมและแนวปฏิบัติที่เป็นเลิศที่เพิ่มเข้ามาล่าสุด (newest entries)"
    yield GeneratedFile(ATOM, render_atom(items, settings, title))
    yield GeneratedFile(RSS, render_rss(items, settings, title, description))
    yield GeneratedFile(JSON_FEED, render_json_feed(items, settings, title, description))
