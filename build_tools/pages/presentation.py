"""What a page shows about an entry: labels, links and formatted values.

Templates only print what this module prepares, so a different site engine
could reuse it unchanged. URLs are site-relative (no leading slash).
"""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.core.attachments import IMAGE_TYPES, format_size
from build_tools.core.model import Entry
from build_tools.core.sanitize import youtube_video_id
from build_tools.core.thaidate import format_thai_date
from build_tools.core.vocabularies import Vocabularies
from build_tools.pages.images import (
    THUMB_FORMATS,
    THUMB_NAME,
    THUMB_WIDTHS,
    format_thumb_height,
)


@dataclass(frozen=True)
class Tag:
    label: str
    url: str  # listing page of this value
    label_en: str = ""


def _tags(kind: str, codes, vocabularies: Vocabularies) -> list[Tag]:
    return [
        Tag(vocabularies.label(kind, c), f"{kind}/{c}/", vocabularies.label_en(kind, c))
        for c in codes
    ]


def format_authors(entry: Entry) -> str:
    return ", ".join(a.name for a in entry.authors)


def format_citation(entry: Entry, site_name: str, site_url: str) -> str:
    """APA-like citation in Thai order: authors. (year). title. site. URL"""
    url = f"{site_url.rstrip('/')}/{entry.url}" if site_url else entry.url
    return f"{format_authors(entry)}. ({entry.year}). {entry.title}. {site_name}. {url}"


def present_thumbnail(entry: Entry) -> dict | None:
    """The card picture of an entry (`images.generate_thumbnails` makes the files): for
    each format, (site-relative URL, width) pairs, smallest first, and the box it takes."""
    if not entry.cover_image:
        return None
    smallest = min(THUMB_WIDTHS)
    return {
        suffix: [
            (entry.url + THUMB_NAME.format(width=width, suffix=suffix), width)
            for width in THUMB_WIDTHS
        ]
        for suffix, _ in THUMB_FORMATS
    } | {"width": smallest, "height": format_thumb_height(smallest)}


def present_entry(
    entry: Entry, vocabularies: Vocabularies, site_name: str = "", site_url: str = ""
) -> dict:
    """Everything the entry template and listing cards print about one entry."""
    v = vocabularies
    award = None
    if entry.award:
        award = {
            "title": entry.award.title,
            "level": v.label("award_levels", entry.award.level),
            "year": entry.award.year,
        }
    return {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "title_en": entry.title_en,
        "year": entry.year,
        "year_url": f"years/{entry.year}/",
        "is_best_practice": entry.is_best_practice,
        "sample": entry.sample,
        "type": Tag(v.label("types", entry.type), f"types/{entry.type}/"),
        "category": Tag(v.label("categories", entry.category), f"categories/{entry.category}/"),
        "school": entry.school.name,
        "district": Tag(
            v.label("districts", entry.school.district), f"districts/{entry.school.district}/"
        ),
        "affiliation": Tag(
            v.label("affiliations", entry.school.affiliation),
            f"affiliations/{entry.school.affiliation}/",
        ),
        # E-mail addresses are never published (PDPA), only names and positions.
        "authors": [{"name": a.name, "position": a.position} for a in entry.authors],
        "authors_text": format_authors(entry),
        "subjects": _tags("subjects", entry.subjects, v),
        "levels": _tags("levels", entry.levels, v),
        "keywords": list(entry.keywords),
        "summary": entry.summary,
        "award": award,
        "thumb": present_thumbnail(entry),
        "attachments": [
            {
                "url": a.file,
                "title": a.title,
                "size": format_size(a.size),
                "is_image": a.media_type in IMAGE_TYPES,
                "kind": "PDF" if a.media_type == "application/pdf" else "รูปภาพ",
            }
            for a in entry.attachments
        ],
        "links": [
            {"url": link.url, "title": link.title, "youtube_id": youtube_video_id(link.url)}
            for link in entry.links
        ],
        "license": v.label("licenses", entry.license),
        "license_en": v.label_en("licenses", entry.license),
        "submitted": format_thai_date(entry.submitted),
        "updated": format_thai_date(entry.updated),
        "updated_iso": entry.updated.isoformat() if entry.updated else "",
        "citation": format_citation(entry, site_name, site_url),
    }


# What a card in a listing shows. Listing pages get only these fields, so a change
# elsewhere in an entry (its body, its date) does not rebuild every listing showing it.
CARD_FIELDS = (
    "id",
    "url",
    "title",
    "year",
    "is_best_practice",
    "sample",
    "school",
    "district",
    "category",
    "summary",
    "award",
    "thumb",
)


def present_card(view: dict) -> dict:
    return {name: view[name] for name in CARD_FIELDS}
