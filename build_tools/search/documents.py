"""Turn an `Entry` into the text fields and display record the search index stores."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown

from build_tools.core.model import Entry
from build_tools.core.thai import normalize_display
from build_tools.core.vocabularies import Vocabularies

# Indexed text fields, most specific first. `meta` gathers what a place or subject query
# should find: school, district, affiliation, subjects, levels, authors.
FIELDS = ("title", "keywords", "meta", "summary", "body")
# The browser shows a snippet cut from this much text (summary first, then the body):
# enough to show most matches in context, small enough to keep result shards light.
SNIPPET_SOURCE_CHARS = 320


@dataclass(frozen=True)
class SearchDocument:
    """What the index knows about one entry."""

    id: str
    fields: dict[str, str]  # field name → plain text
    record: dict  # shown by result lists (short keys: it is shipped to browsers)
    facets: dict[str, tuple[str, ...]]  # vocabulary codes, for filters
    content_hash: str


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset("p li td th h1 h2 h3 h4 h5 h6 br tr blockquote pre div".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:  # keep words of adjacent cells and items apart
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_PER_THREAD = threading.local()


def _converter() -> markdown.Markdown:
    """One converter per thread, reset for each text: making one costs half a millisecond
    (a live preview builds in threads)."""
    converter = getattr(_PER_THREAD, "markdown", None)
    if converter is None:
        converter = _PER_THREAD.markdown = markdown.Markdown(extensions=["tables"])
    return converter


def format_plain_text(markdown_text: str) -> str:
    """Markdown → plain text with single spaces (tables and lists keep their words)."""
    html = _converter().reset().convert(markdown_text)
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return re.sub(r"\s+", " ", "".join(extractor.parts)).strip()


def _labels(vocabularies: Vocabularies | None, kind: str, codes) -> list[str]:
    if vocabularies is None:
        return list(codes)
    return [vocabularies.label(kind, code) for code in codes]


def _other_names(vocabularies: Vocabularies | None, kind: str, code: str) -> list[str]:
    """The other names people use for a term (its aliases: "กศน." for สกร., "โรงเรียนเอกชน"
    for เอกชน), so a search by them finds its entries."""
    if vocabularies is None:
        return []
    try:
        return list(vocabularies[kind].by_code(code).aliases)
    except KeyError:
        return []


def plan_facets(entry: Entry) -> dict[str, tuple[str, ...]]:
    """The vocabulary codes a search filter compares, by facet (pure)."""
    return {
        "year": (str(entry.year),),
        "district": (entry.school.district,),
        "affiliation": (entry.school.affiliation,),
        "type": (entry.type,),
        "category": (entry.category,),
        "subjects": tuple(entry.subjects),
        "levels": tuple(entry.levels),
        # Not a filter: places the document in numbering order (`format_order_key`).
        "submitted": (entry.submitted.isoformat(),) if entry.submitted else (),
    }


def plan_document(entry: Entry, vocabularies: Vocabularies | None = None) -> SearchDocument:
    """Fields to index, the display record and facets of one entry (pure)."""
    labels = lambda kind, codes: _labels(vocabularies, kind, codes)  # noqa: E731
    district, affiliation = entry.school.district, entry.school.affiliation
    meta = [
        entry.school.name,
        *labels("districts", [district]),
        *labels("affiliations", [affiliation]),
        *_other_names(vocabularies, "affiliations", affiliation),
        *labels("subjects", entry.subjects),
        *labels("levels", entry.levels),
        *labels("types", [entry.type]),
        *labels("categories", [entry.category]),
        *(author.name for author in entry.authors),
        entry.award.title if entry.award else "",
    ]
    body = format_plain_text(entry.body)
    fields = {
        "title": f"{entry.title} {entry.title_en}".strip(),
        "keywords": " ; ".join(entry.keywords),
        "meta": " ; ".join(part for part in meta if part),
        "summary": entry.summary,
        "body": body,
    }
    snippet = normalize_display(f"{entry.summary} … {body}" if body else entry.summary)
    record = {
        "id": entry.id,
        "u": entry.url,
        "t": normalize_display(entry.title),
        "y": entry.year,
        "s": entry.school.name,
        "d": labels("districts", [district])[0],
        "k": labels("types", [entry.type])[0],
        "x": snippet[:SNIPPET_SOURCE_CHARS],
    }
    if entry.cover_image:
        # Only a flag: result lists derive the picture's address from the entry's URL
        # (`images.THUMB_NAME`), so a record grows by six bytes, and not at all without one.
        record["p"] = 1
    facets = plan_facets(entry)
    payload = json.dumps([fields, record, facets], ensure_ascii=False, sort_keys=True)
    content_hash = hashlib.sha256(payload.encode()).hexdigest()[:16]
    return SearchDocument(entry.id, fields, record, facets, content_hash)
