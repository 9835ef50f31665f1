"""Vocabulary phrases a misspelt query is corrected to ("หมายถึง … ใช่ไหม?").

The index knows words (โคก, สำโรง); people type places, schools, learning areas and
keywords whole (โคกสำโรง), and misspell them whole. This module lists those phrases with
the number of entries using each, for the planner (`query.Phrases`): `ifte search` makes
them from the catalogue, the browser reads them from the site's `search-suggest/<k>.json`
(`{phrase: entries}`, shard `k` = `export.format_shard_number` of the first two
characters, mod `SUGGEST_SHARDS`), fetched only when a query needs a correction.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from build_tools.core.cache import map_by_fingerprint
from build_tools.core.model import Entry
from build_tools.core.thai import normalize, split_chunks
from build_tools.core.vocabularies import Vocabularies
from build_tools.search.export import SUGGEST_SHARDS, format_shard_number
from build_tools.search.query import FUZZY_PREFIX_CHARS, format_shard_key

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog
    from build_tools.core.site import GeneratedFile, SiteSettings

SITE_FOLDER = "search-suggest"
# Fixed, so the browser knows it from the search manifest; a few KB each at 20,000 entries.
_VOCABULARY_KINDS = ("districts", "affiliations", "subjects", "levels", "categories", "types")
_SCHOOL_PREFIX = "โรงเรียน"


def _phrase(text: str) -> str | None:
    """The text as one normalised Thai run, or None (only Thai runs are corrected whole)."""
    text = normalize(text).strip()
    chunks = split_chunks(text)
    if len(chunks) == 1 and chunks[0][1] and chunks[0][0] == text:
        return text
    return None


def _entry_phrases(entry: Entry, vocabularies: Vocabularies | None) -> set[str]:
    school = entry.school.name
    texts = [school, school.removeprefix(_SCHOOL_PREFIX), *entry.keywords]
    if vocabularies is not None:
        codes = {
            "districts": [entry.school.district],
            "affiliations": [entry.school.affiliation],
            "subjects": entry.subjects,
            "levels": entry.levels,
            "categories": [entry.category],
            "types": [entry.type],
        }
        texts += [vocabularies.label(kind, code) for kind in codes for code in codes[kind]]
    return {phrase for text in texts if (phrase := _phrase(text))}


def plan_phrases(
    entries: Iterable[Entry], vocabularies: Vocabularies | None, catalog: Catalog | None = None
) -> dict[str, int]:
    """Every phrase → the number of entries using it; vocabulary labels count at least 1.
    With the `catalog`, each entry's phrases are kept under its fingerprint."""
    counts: Counter[str] = Counter()
    if catalog is not None:
        kept = map_by_fingerprint(
            catalog.root,
            "suggest-phrases",
            "",
            entries,
            catalog.fingerprints,
            lambda entry: sorted(_entry_phrases(entry, vocabularies)),
        )
        for phrases in kept.values():
            counts.update(phrases)
    else:
        for entry in entries:
            counts.update(_entry_phrases(entry, vocabularies))
    if vocabularies is not None:
        for kind in _VOCABULARY_KINDS:
            for term in vocabularies[kind].terms:
                if (phrase := _phrase(term.th)) and phrase not in counts:
                    counts[phrase] = 1
    return dict(sorted(counts.items()))


class PhraseList:
    """`query.Phrases` over `plan_phrases`."""

    def __init__(self, phrases: dict[str, int]) -> None:
        self._items = sorted(phrases.items())
        self._keys = [phrase for phrase, _ in self._items]

    def phrases_with_prefix(self, prefix: str) -> Sequence[tuple[str, int]]:
        start = bisect.bisect_left(self._keys, prefix)
        end = start
        while end < len(self._keys) and self._keys[end].startswith(prefix):
            end += 1
        return self._items[start:end]


def format_suggestion_shards(phrases: dict[str, int]) -> list[str]:
    """The `SUGGEST_SHARDS` files' contents (pure)."""

    shards: list[dict[str, int]] = [{} for _ in range(SUGGEST_SHARDS)]
    for phrase, count in sorted(phrases.items()):
        key = format_shard_key(phrase[:FUZZY_PREFIX_CHARS])
        shards[format_shard_number(key, SUGGEST_SHARDS)][phrase] = count
    return [json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in shards]


def generate_suggestion_files(catalog: Catalog, settings: SiteSettings) -> Iterator[GeneratedFile]:
    """Page generator: `search-suggest/<k>.json` (unchanged files are not rewritten)."""
    from build_tools.core.site import GeneratedFile

    phrases = plan_phrases(catalog.entries, catalog.vocabularies, catalog)
    for number, content in enumerate(format_suggestion_shards(phrases)):
        yield GeneratedFile(f"{SITE_FOLDER}/{number}.json", content)
