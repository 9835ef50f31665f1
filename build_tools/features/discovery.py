"""What an entry page tells search engines, chat apps and readers about related work.

- schema.org JSON-LD (CreativeWork + LearningResource) for search engines,
- Open Graph tags for link previews (LINE, Facebook),
- "related innovations" (`build_tools.features.related`).

`plan_entry_extras` is registered in `site.ENTRY_EXTRAS`: the adapter calls it once per
build and merges each entry's part into that entry page's template data.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial

from build_tools.core.cache import FileCache
from build_tools.core.loader import Catalog
from build_tools.core.model import Entry
from build_tools.core.site import EntryData, SiteSettings
from build_tools.core.vocabularies import Vocabularies
from build_tools.features.opendata.records import (
    format_absolute_url,
    format_entry_json_path,
    format_license_url,
)
from build_tools.features.related import plan_related_cached
from build_tools.pages.presentation import present_thumbnail

DESCRIPTION_CHARS = 200
PROVINCE = "ลพบุรี"


def format_script_json(data: object) -> str:
    """JSON safe inside <script>: teacher text cannot close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def plan_entry_jsonld(entry: Entry, vocabularies: Vocabularies, settings: SiteSettings) -> dict:
    """schema.org description of an entry (Gregorian ISO dates, as schema.org requires)."""
    v = vocabularies
    url = format_absolute_url(settings.site_url, entry.url)
    office = settings.extra.get("office") or {}
    school = {
        "@type": "EducationalOrganization",
        "name": entry.school.name,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": v.label("districts", entry.school.district),
            "addressRegion": PROVINCE,
            "addressCountry": "TH",
        },
    }
    data: dict = {
        "@context": "https://schema.org",
        "@type": ["CreativeWork", "LearningResource"],
        "@id": url,
        "url": url,
        "name": entry.title,
        "description": entry.summary,
        "inLanguage": "th",
        "author": [
            {
                "@type": "Person",
                "name": a.name,
                "affiliation": {"@type": "EducationalOrganization", "name": entry.school.name},
            }
            for a in entry.authors
        ],
        "sourceOrganization": school,
        "learningResourceType": v.label("types", entry.type),
        "genre": v.label("categories", entry.category),
        "about": [v.label("subjects", code) for code in entry.subjects],
        "educationalLevel": [v.label("levels", code) for code in entry.levels],
        "keywords": ", ".join(entry.keywords),
        "isPartOf": {
            "@type": "WebSite",
            "name": settings.site_name,
            "url": settings.site_url or "/",
        },
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": office.get("name") or settings.site_name,
        },
        "encoding": {
            "@type": "MediaObject",
            "encodingFormat": "application/json",
            "contentUrl": format_absolute_url(settings.site_url, format_entry_json_path(entry)),
        },
    }
    if entry.title_en:
        data["alternateName"] = entry.title_en
    if entry.submitted:
        data["datePublished"] = entry.submitted.isoformat()
    if entry.updated:
        data["dateModified"] = entry.updated.isoformat()
    license_url = format_license_url(entry.license)
    data["license"] = license_url or v.label_en("licenses", entry.license)
    if entry.award:
        data["award"] = (
            f"{entry.award.title} ({v.label('award_levels', entry.award.level)}, "
            f"พ.ศ. {entry.award.year})"
        )
    image = entry.cover_image
    if image:
        data["image"] = format_absolute_url(settings.site_url, f"{entry.url}{image}")
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def plan_open_graph(
    entry: Entry, vocabularies: Vocabularies, settings: SiteSettings
) -> list[tuple[str, str]]:
    """(property, content) pairs of the Open Graph tags; templates escape them."""
    summary = entry.summary
    if len(summary) > DESCRIPTION_CHARS:
        summary = summary[: DESCRIPTION_CHARS - 1].rstrip() + "…"
    tags = [
        ("og:type", "article"),
        ("og:title", entry.title),
        ("og:description", summary),
        ("og:url", format_absolute_url(settings.site_url, entry.url)),
        ("og:site_name", settings.site_name),
        ("og:locale", "th_TH"),
    ]
    image = entry.cover_image
    if image:
        tags.append(("og:image", format_absolute_url(settings.site_url, f"{entry.url}{image}")))
    if entry.submitted:
        tags.append(("article:published_time", entry.submitted.isoformat()))
    if entry.updated:
        tags.append(("article:modified_time", entry.updated.isoformat()))
    tags += [("article:tag", keyword) for keyword in entry.keywords]
    return tags


def present_related(entry: Entry, vocabularies: Vocabularies) -> dict:
    return {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "school": entry.school.name,
        "district": vocabularies.label("districts", entry.school.district),
        "year": entry.year,
        "is_best_practice": entry.is_best_practice,
        "thumb": present_thumbnail(entry),
    }


class EntryDescriptions:
    """Entry → (JSON-LD text, Open Graph tags), made when its page is rendered. They
    depend only on the entry, the settings and this code, so each is kept between builds
    under the entry's fingerprint, in a file of its own: a build reads only those of the
    pages it renders."""

    def __init__(self, catalog: Catalog, settings: SiteSettings) -> None:
        used = repr((settings.site_name, settings.site_url, settings.extra)).encode()
        salt = hashlib.sha256(used).hexdigest()
        # Appended to each fingerprint (a hash already): keying 20,000 entries needs no hashing.
        self.suffix = hashlib.sha256(salt.encode()).hexdigest()[:16]
        self.catalog, self.settings = catalog, settings
        self.cache = FileCache(settings.root, "entry-descriptions")

    def _key(self, entry: Entry) -> str | None:
        fingerprint = self.catalog.fingerprints.get(entry.id)
        if not fingerprint:
            return None
        return fingerprint + self.suffix

    def __call__(self, entry: Entry) -> tuple[str, list[tuple[str, str]]]:
        key = self._key(entry)
        described = self.cache.get(key, tuple) if key else None
        if described is None:
            v, settings = self.catalog.vocabularies, self.settings
            jsonld = format_script_json(plan_entry_jsonld(entry, v, settings))
            described = (jsonld, plan_open_graph(entry, v, settings))
            if key:
                self.cache.put(key, described)
        return described

    def prune(self) -> None:
        """Forget the descriptions of entries that are gone or changed."""
        self.cache.prune({key for e in self.catalog.entries if (key := self._key(e))})


def plan_entry_extras(catalog: Catalog, settings: SiteSettings) -> dict[str, EntryData]:
    """Template data of every entry page (`site.ENTRY_EXTRAS`): `related_entries`,
    `entry_jsonld` and `open_graph`, made only for the pages rendered.

    Related entries come from the search pack (`related.plan_related_cached`), reused
    from the last build when no entry changed (in a live preview, even after a change:
    the list catches up at the next real build). The JSON-LD and Open Graph tags follow
    from the entry and the settings alone; the related entries from theirs: each entry's
    data is keyed by this code and its related entries' fingerprints.
    """
    v = catalog.vocabularies
    related = plan_related_cached(catalog, settings.root, stale_ok=settings.preview)
    by_id = {entry.id: entry for entry in catalog.entries}
    describe = EntryDescriptions(catalog, settings)
    describe.prune()
    code = "related"
    fingerprints = catalog.fingerprints
    presented: dict[str, dict] = {}  # an entry is related to several others

    def present(other: str) -> dict:
        view = presented.get(other)
        if view is None:
            view = presented[other] = present_related(by_id[other], v)
        return view

    def page_data(entry: Entry, others: list[str]) -> dict:
        jsonld, open_graph = describe(entry)
        return {
            "related_entries": [present(other) for other in others],
            "entry_jsonld": jsonld,
            "open_graph": open_graph,
        }

    extras = {}
    for entry in catalog.entries:
        # Ids, not entries, for 20,000 entries: entries are looked up for pages rendered.
        others = [i for i in related.get(entry.id, ()) if i in by_id]  # a stale list's gone
        extras[entry.id] = EntryData(
            partial(page_data, entry, others),
            # An entry without a fingerprint (made in memory) is keyed by what it shows.
            " ".join([code, *[fingerprints.get(i) or repr(present(i)) for i in others]]),
        )
    return extras
