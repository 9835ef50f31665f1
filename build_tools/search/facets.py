"""Compact facet and list data for the `/search/` page (`ifte-search-page.js`).

The browser engine (`export`) finds documents by words; this module gives the page what
it needs to filter, count, sort and export *every* document without downloading the
records: vocabulary codes per document as small integers, each document's place in
Thai alphabetical order, and (fetched only for CSV and print) title and school.

Layout under the site's `search-facets/`:

    manifest.json              revalidated on every visit: names this build's folder and
                               the search index version its document numbers belong to
    <version>/facets.json      {"documents", "filters": {param: {codes, labels, docs}},
                                (the page's filters, then `fiscal` and `academic`)
                                "titleRank": [...]}; docs[n] is a code index (−1: none)
                               or, for multi-valued filters, a list of code indexes
    <version>/list-<k>.json    [[id, title, school], …] of documents k·C … k·C+C−1

Document n is document n of the search index export (same order: `format_order_key`),
so the page can intersect word matches with filters without a lookup table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.core.cache import ENTRY_SHARDS, map_by_fingerprint, remember
from build_tools.core.model import Entry, format_codes_digest
from build_tools.core.periods import (
    ACADEMIC,
    FISCAL,
    academic_year_of,
    fiscal_year_of,
    format_period_date,
)
from build_tools.core.thai import normalize_display as _normalize_display
from build_tools.core.vocabularies import KINDS, Vocabularies
from build_tools.pages.listings import FACETS_BY_KIND
from build_tools.search.export import MANIFEST, write_versioned_files
from build_tools.search.export import SITE_FOLDER as INDEX_FOLDER
from build_tools.search.ranking import format_entry_order_key

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog
    from build_tools.core.site import SiteSettings

FORMAT = 1
SITE_FOLDER = "search-facets"
# Documents per list file: CSV and print fetch them all; 1,000 keeps 20,000 entries at
# 20 requests of about 25 KB (gzip) each.
LIST_CHUNK = 1000


@dataclass(frozen=True)
class SearchFilter:
    """One filter of the search page: URL parameter (also the data column) and codes."""

    param: str
    vocabulary: str  # vocabulary kind, "" for years
    title: str  # Thai
    title_en: str
    values: Callable[[Entry], Sequence[str]]
    multi: bool = False  # an entry may have several codes
    year_label: str = "พ.ศ. {}"  # Thai label of a year code (filters without a vocabulary)


def _listing_filter(param: str, kind: str, multi: bool = False) -> SearchFilter:
    facet = FACETS_BY_KIND[kind]
    return SearchFilter(
        param, facet.vocabulary, facet.title_th, facet.title_en, facet.values, multi
    )


# In the order the page shows them. Parameter names are the ones stats/counts.py links to.
FILTERS: tuple[SearchFilter, ...] = (
    _listing_filter("year", "years"),
    _listing_filter("type", "types"),
    _listing_filter("category", "categories"),
    _listing_filter("district", "districts"),
    _listing_filter("affiliation", "affiliations"),
    _listing_filter("subject", "subjects", multi=True),
    _listing_filter("level", "levels", multi=True),
    SearchFilter(
        "award",
        "award_levels",
        *KINDS["award_levels"],
        lambda e: (e.award.level,) if e.award else (),
    ),
)


def _period_values(kind: str, year_of: Callable[[dt.date], int]) -> Callable[[Entry], tuple]:
    def values(entry: Entry) -> tuple[str, ...]:
        date = format_period_date(entry, kind)
        return () if date is None else (str(year_of(date)),)

    return values


# Columns without a box on the page: the fiscal- and academic-year pages of `/stats/` link
# their numbers to `/search/?fiscal=2568&…` (stats/periods.py says which date counts).
PERIOD_FILTERS: tuple[SearchFilter, ...] = (
    SearchFilter(
        "fiscal",
        "",
        "ปีงบประมาณ",
        "Fiscal year",
        _period_values(FISCAL, fiscal_year_of),
        year_label="ปีงบประมาณ พ.ศ. {}",
    ),
    SearchFilter(
        "academic",
        "",
        "ปีการศึกษา",
        "Academic year",
        _period_values(ACADEMIC, academic_year_of),
        year_label="ปีการศึกษา {}",
    ),
)
# Every column of facets.json, in order.
COLUMNS = FILTERS + PERIOD_FILTERS


# --- Thai alphabetical order ----------------------------------------------------------

_PREPOSED_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")
# Tone marks, thanthakhat and mai taikhu decide order only between otherwise equal words.
_MINOR_MARKS = re.compile("[\u0e47-\u0e4c]")
_DIGITS = re.compile("[0-9]+")
_LEADING_NON_WORD = re.compile(r"^[\W_]+")
# Letters of other scripts (Latin) sort after Thai, as in ICU's Thai collation: they are
# moved to a plane above the Thai block.
_OTHER_LETTERS = re.compile(r"[^\W\d_\u0e00-\u0e7f]+")
_AFTER_THAI = 0xF0000


def _after_thai(match: re.Match) -> str:
    return "".join(chr(_AFTER_THAI + ord(char)) for char in match.group())


# Titles are normalised twice per build (sort key, list row) and school names repeat.
normalize_display = lru_cache(maxsize=1 << 16)(_normalize_display)


def format_title_sort_key(title: str) -> tuple[str, str]:
    """Sort key of a title in Thai dictionary order (pure).

    Thai is written with the vowels เ แ โ ใ ไ before the consonant they follow in speech,
    and dictionaries file เรียน under ร. Code point order would put every such word after
    ฮ. So each preposed vowel trades places with its consonant; tone marks only break ties
    (ขาว < ข่าว < ข้าว < ขาวดำ); numbers compare by value (ชุดที่ 9 < ชุดที่ 10); Latin
    letters come after Thai and ignore case. On the sample titles this is the order of
    Chromium's `Intl.Collator("th", {numeric: true})` except that a space counts (ICU skips
    it), so phrases sort word by word; the page ships the order rather than trust each
    browser's ICU. Ties between equal titles are for the caller.
    """
    text = _LEADING_NON_WORD.sub("", normalize_display(title).casefold())
    text = _PREPOSED_VOWEL.sub("\\2\\1", text)
    text = _DIGITS.sub(lambda m: m.group().lstrip("0").zfill(20), text)
    text = _OTHER_LETTERS.sub(_after_thai, text)
    return _MINOR_MARKS.sub("", text), text


# --- planning (pure) ----------------------------------------------------------------------


def order_entries(entries: Iterable[Entry]) -> list[Entry]:
    """Entries in the search index's document order (`ranking.format_order_key`)."""
    return sorted(entries, key=format_entry_order_key)


# What the page's files hold of one entry: the sort key of its title (with its id to break
# ties), its list row (id, title, school) and its codes per filter. A plain tuple: rows are
# kept per entry between builds and read back 20,000 at a time.
FacetRow = tuple[tuple[str, ...], tuple[str, str, str], tuple[tuple[str, ...], ...]]


def plan_facet_row(entry: Entry) -> FacetRow:
    return (
        (*format_title_sort_key(entry.title), entry.id),
        (entry.id, normalize_display(entry.title), normalize_display(entry.school.name)),
        tuple(tuple(search_filter.values(entry)) for search_filter in COLUMNS),
    )


def plan_filter_values(
    search_filter: SearchFilter, entries: Sequence[Entry], vocabularies: Vocabularies
) -> list[tuple[str, str]]:
    """(code, Thai label) of the values entries use: vocabulary order, years newest first."""
    used = {code for entry in entries for code in search_filter.values(entry)}
    return _label_values(search_filter, used, vocabularies)


def _label_values(
    search_filter: SearchFilter, used: set[str], vocabularies: Vocabularies
) -> list[tuple[str, str]]:
    if not search_filter.vocabulary:
        return [
            (code, search_filter.year_label.format(code)) for code in sorted(used, reverse=True)
        ]
    known = [c for c in vocabularies[search_filter.vocabulary].codes if c in used]
    unknown = sorted(used - set(known))  # only from entries that failed validation
    return [(c, vocabularies.label(search_filter.vocabulary, c)) for c in known + unknown]


def plan_facet_data(
    entries: Sequence[Entry], vocabularies: Vocabularies, rows: Sequence[FacetRow] | None = None
) -> dict:
    """The content of facets.json for entries already in document order (pure), from their
    `plan_facet_row`s when given (in the same order)."""
    rows = [plan_facet_row(e) for e in entries] if rows is None else rows
    filters = {}
    for place, search_filter in enumerate(COLUMNS):
        codes = [row[2][place] for row in rows]
        values = _label_values(search_filter, {c for cs in codes for c in cs}, vocabularies)
        number = {code: i for i, (code, _) in enumerate(values)}
        if search_filter.multi:
            docs = [[number[c] for c in cs] for cs in codes]
        else:
            docs = [number[cs[0]] if cs else -1 for cs in codes]
        filters[search_filter.param] = {
            "codes": [code for code, _ in values],
            "labels": [label for _, label in values],
            "docs": docs,
        }
    by_title = sorted(range(len(rows)), key=lambda n: rows[n][0])
    rank = [0] * len(rows)
    for position, n in enumerate(by_title):
        rank[n] = position
    return {"format": FORMAT, "documents": len(entries), "filters": filters, "titleRank": rank}


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def plan_files(
    entries: Iterable[Entry],
    vocabularies: Vocabularies,
    planned: Mapping[str, FacetRow] | None = None,
) -> dict[str, str]:
    """File name (below the version folder) → content (pure, deterministic), from the
    entries' `plan_facet_row`s by id when given."""
    ordered = order_entries(entries)
    facet_rows = [planned[e.id] if planned is not None else plan_facet_row(e) for e in ordered]
    files = {"facets.json": _dumps(plan_facet_data(ordered, vocabularies, facet_rows))}
    rows = [row[1] for row in facet_rows]
    for k in range(max(1, math.ceil(len(rows) / LIST_CHUNK))):
        files[f"list-{k}.json"] = _dumps(rows[k * LIST_CHUNK : (k + 1) * LIST_CHUNK])
    return files


def format_version(files: dict[str, str]) -> str:
    """Named by content alone: an edit that changes no facet leaves the folder (and what
    browsers and the web host hold of it) as it was; the manifest names the index."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return digest.hexdigest()[:12]


# --- writing ------------------------------------------------------------------------------


def export_facets(
    entries: Iterable[Entry],
    vocabularies: Vocabularies,
    out_dir: Path,
    index_version: str = "",
    root: Path | None = None,
    fingerprints: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the page's data into `out_dir`; returns the paths written.

    `index_version` is the search index export these document numbers belong to; the
    page refuses to combine data of two different builds. Other versions are removed.
    With `root`, the files are kept in its cache under what they show of the entries,
    and each entry's part under its fingerprint (`Catalog.fingerprints`).
    """
    entries = list(entries)
    files = (
        plan_files(entries, vocabularies)
        if root is None
        else _plan_files_cached(entries, vocabularies, root, fingerprints or {})
    )
    version = format_version(files)
    manifest = {
        "format": FORMAT,
        "version": version,
        "index": index_version,
        "documents": len(entries),
        "listChunk": LIST_CHUNK,
        "listFiles": len(files) - 1,
    }
    return write_versioned_files(Path(out_dir), files, manifest)


def _plan_files_cached(
    entries: list[Entry], vocabularies: Vocabularies, root: Path, fingerprints: Mapping[str, str]
) -> dict[str, str]:
    """`plan_files`, kept between builds under the entries' codes, titles, schools and
    fiscal and academic years: an edit of an entry's other texts makes nothing here again. After an edit of a title,
    the other entries' rows (sort keys: a twentieth of a millisecond each) are read from
    the cache."""
    inputs = (
        repr(vocabularies.by_kind),
        format_codes_digest(entries),
        hashlib.sha256(repr([(e.title, e.school.name) for e in entries]).encode()).hexdigest(),
        hashlib.sha256(
            repr([[f.values(e) for f in PERIOD_FILTERS] for e in entries]).encode()
        ).hexdigest(),
    )

    def make() -> dict[str, str]:
        rows = map_by_fingerprint(
            root, "facet-rows", "", entries, fingerprints, plan_facet_row, shards=ENTRY_SHARDS
        )
        return plan_files(entries, vocabularies, rows)

    return remember(root, "facet-files", inputs, make)


def read_index_version(site_dir: Path) -> str:
    """Version of the search index export in a built site ("" when there is none)."""
    path = Path(site_dir) / INDEX_FOLDER / MANIFEST
    if not path.is_file():
        return ""
    return json.loads(path.read_text(encoding="utf-8")).get("version", "")


def export_site_facets(catalog: Catalog, settings: SiteSettings, site_dir: Path) -> None:
    """Background exporter (after `export_site_search`, whose version it records). A live
    preview keeps the facets it has, like the search export it belongs to."""
    out_dir = Path(site_dir) / SITE_FOLDER
    if settings.preview and (out_dir / MANIFEST).is_file():
        return
    export_facets(
        catalog.entries,
        catalog.vocabularies,
        Path(site_dir) / SITE_FOLDER,
        read_index_version(site_dir),
        settings.root,
        catalog.fingerprints,
    )
