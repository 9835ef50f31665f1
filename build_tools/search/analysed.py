"""Each entry's search document, segmented once per content and cached.

Segmenting Thai is the slow part of indexing, and it depends only on the entry (its
file, place, the vocabulary labels and our code). The result — the display record,
facets and, per field, each term with its count — is kept under
`.cache/ifte/analysis/` in one small file per entry, keyed by what it is made from
(`source_key`). The search pack (`pack`: the one index, which the browser export, related
entries and `ifte search` read) is made from these, so an unchanged entry is never
segmented twice.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from build_tools.core.cache import FileCache
from build_tools.core.model import Entry
from build_tools.core.thai import iter_index_tokens
from build_tools.core.vocabularies import Vocabularies
from build_tools.core.workers import map_in_processes
from build_tools.search.documents import FIELDS, plan_document

ANALYSIS_CACHE = "analysis"  # under .cache/ifte/


@dataclass(frozen=True)
class AnalysedDocument:
    """One entry as the search index sees it. Terms are stored compactly (one string and
    one array per field) so that thousands of them load fast and stay small in memory."""

    id: str
    key: str  # what it was made from (`source_key`); stored in the search pack
    record: dict
    facets: dict[str, tuple[str, ...]]
    packed: dict[str, tuple[str, array]]  # field → ("term\nterm…", counts)

    def field_terms(self, field: str) -> Iterator[tuple[str, int]]:
        """(term, count) pairs of one field, in the order the terms first occur."""
        text, counts = self.packed[field]
        if text:
            yield from zip(text.split("\n"), counts, strict=True)

    def length(self, field: str) -> int:
        """Number of tokens in the field (for BM25F length normalisation)."""
        return sum(self.packed[field][1])


def analysis_salt(vocabularies: Vocabularies | None) -> str:
    labels = repr(vocabularies.by_kind) if vocabularies else ""
    return hashlib.sha256(labels.encode()).hexdigest()


def source_key(entry: Entry, salt: str) -> str | None:
    """What the entry's search document is made from (its file, place, vocabulary labels
    and our code), hashed without rendering the document; None for entries not read from
    a file (tests build those in memory)."""
    if not entry.content_hash:
        return None
    source = f"{salt}\0{entry.id}\0{entry.url}\0{entry.content_hash}"
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def analyse_entry(
    entry: Entry, vocabularies: Vocabularies | None, key: str | None
) -> AnalysedDocument:
    document = plan_document(entry, vocabularies)
    packed = {}
    for field in FIELDS:
        counts = Counter(iter_index_tokens(document.fields[field]))
        packed[field] = ("\n".join(counts), array("I", counts.values()))
    return AnalysedDocument(
        document.id, key or document.content_hash, document.record, document.facets, packed
    )


def analyse_entries(
    entries: Iterable[Entry],
    vocabularies: Vocabularies | None,
    root: Path | None = None,
    workers: int | None = None,
) -> list[AnalysedDocument]:
    """Every entry's analysed document, in the order given: from the cache under `root`
    when the entry is unchanged, otherwise segmented now (in `workers` processes when
    many) and cached. Without `root` nothing is cached."""
    entries = list(entries)
    salt = analysis_salt(vocabularies)
    keys = [source_key(entry, salt) for entry in entries]
    cache = FileCache(root, ANALYSIS_CACHE) if root else None
    found: list[AnalysedDocument | None] = [
        cache.get(key, AnalysedDocument) if cache and key else None for key in keys
    ]
    missing = [i for i, document in enumerate(found) if document is None]
    fresh = map_in_processes(
        _analyse, [(entries[i], keys[i]) for i in missing], vocabularies, workers=workers
    )
    for i, document in zip(missing, fresh, strict=True):
        found[i] = document
        if cache and keys[i]:
            cache.put(keys[i], document)
    return found  # type: ignore[return-value]


def _analyse(entry_and_key: tuple[Entry, str | None], vocabularies: Vocabularies | None):
    return analyse_entry(entry_and_key[0], vocabularies, entry_and_key[1])


def prune_analysis_cache(root: Path, keys: set[str]) -> int:
    """Remove cached analyses whose key is not in `keys`; returns how many."""
    return FileCache(root, ANALYSIS_CACHE).prune(keys)
