"""Build and update the Whoosh index of all entries (incrementally).

Each stored document carries its content hash; an unchanged entry is neither re-read
nor re-segmented on the next build. An index made by other code or other packages
(`cache.build_fingerprint`) is made again from scratch.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.matching import WrappingMatcher
from whoosh.reading import TermNotFound

from build_tools.cache import build_fingerprint
from build_tools.errors import IfteError
from build_tools.model import Entry
from build_tools.search.analysed import (
    AnalysedDocument,
    analyse_entries,
    analysis_salt,
    source_key,
)
from build_tools.search.analysis import thai_analyzer
from build_tools.search.documents import FIELDS
from build_tools.vocabularies import Vocabularies

_MARKER = "ifte-search.json"


@dataclass(frozen=True)
class IndexStats:
    added: int
    updated: int
    removed: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def make_schema() -> Schema:
    analyzer = thai_analyzer()
    text_fields = {name: TEXT(analyzer=analyzer, phrase=False) for name in FIELDS}
    return Schema(
        id=ID(stored=True, unique=True),
        content_hash=STORED(),
        record=STORED(),  # display record shipped to browsers (documents.plan_document)
        lengths=STORED(),  # exact token count per field, for BM25F
        facets=STORED(),
        **text_fields,
    )


def _marker() -> dict:
    return {"build": build_fingerprint()}


def _open_or_create(index_dir: Path) -> whoosh_index.Index:
    marker = index_dir / _MARKER
    fresh = not (marker.is_file() and json.loads(marker.read_text()) == _marker())
    if fresh or not whoosh_index.exists_in(index_dir):
        if index_dir.exists() and any(index_dir.iterdir()):
            if not (marker.is_file() or whoosh_index.exists_in(index_dir)):
                raise IfteError(
                    f"โฟลเดอร์ {index_dir} มีไฟล์อื่นอยู่ ไม่ใช่ดัชนีค้นหา — เลือกโฟลเดอร์ว่าง",
                    f"{index_dir} holds other files, not a search index — use an empty folder",
                )
            shutil.rmtree(index_dir)
        index_dir.mkdir(parents=True, exist_ok=True)
        created = whoosh_index.create_in(index_dir, make_schema())
        marker.write_text(json.dumps(_marker()))
        return created
    return whoosh_index.open_dir(index_dir)


def open_index(index_dir: Path) -> whoosh_index.Index:
    """Open an index built by `build_index`; a bilingual error if there is none."""
    if not (index_dir / _MARKER).is_file() or not whoosh_index.exists_in(index_dir):
        raise IfteError(
            f"ไม่พบดัชนีค้นหาที่ {index_dir} — สร้างเว็บไซต์ก่อน (ifte build หรือ mkdocs build)",
            f"No search index at {index_dir} — build the site first (ifte build or mkdocs build)",
        )
    return whoosh_index.open_dir(index_dir)


def _whoosh_fields(document: AnalysedDocument) -> dict:
    # Whoosh indexes a tuple of strings as given, without calling the analyzer again:
    # each text was segmented once (search.analysed), and its exact length is known.
    tokens = {
        field: tuple(term for term, count in document.field_terms(field) for _ in range(count))
        for field in FIELDS
    }
    return {
        "id": document.id,
        "content_hash": document.key,
        "record": document.record,
        "lengths": {field: document.length(field) for field in FIELDS},
        "facets": document.facets,
        **tokens,
    }


def _known(index: whoosh_index.Index) -> dict[str, str]:
    with index.searcher() as searcher:
        return {fields["id"]: fields["content_hash"] for fields in searcher.all_stored_fields()}


def build_index(
    entries: Iterable[Entry],
    index_dir: Path,
    vocabularies: Vocabularies | None = None,
    workers: int | None = None,
    root: Path | None = None,
) -> IndexStats:
    """Bring the Whoosh index in `index_dir` up to date with `entries`.

    Only entries whose file (or, for entries not read from a file, whose search document)
    changed are analysed again; entries that disappeared are deleted. `vocabularies` turns
    codes into the Thai labels that get indexed (district and subject names); without it
    the codes themselves are indexed. When many entries changed, Thai segmentation runs
    in `workers` processes (default: CPU count); with `root`, analyses the site build
    cached there are reused.
    """
    entries = list(entries)
    index = _open_or_create(Path(index_dir))
    known = _known(index)
    salt = analysis_salt(vocabularies)
    # Entries without a file hash (built in memory) have no source key: analyse them, and
    # `_apply` compares their document hash instead.
    changed = [e for e in entries if (key := source_key(e, salt)) is None or known.get(e.id) != key]
    documents = analyse_entries(changed, vocabularies, root, workers)
    return _apply(index, known, {e.id for e in entries}, documents)


def _apply(
    index: whoosh_index.Index,
    known: dict[str, str],
    ids: set[str],
    documents: Iterable[AnalysedDocument],
) -> IndexStats:
    changed = [d for d in documents if known.get(d.id) != d.key]
    removed = known.keys() - ids
    updated = sum(1 for document in changed if document.id in known)
    stats = IndexStats(len(changed) - updated, updated, len(removed), len(ids) - len(changed))
    if not stats.changed:
        return stats
    writer = index.writer(limitmb=256)
    try:
        for entry_id in removed:
            writer.delete_by_term("id", entry_id)
        for document in changed:
            fields = _whoosh_fields(document)
            if document.id in known:
                writer.update_document(**fields)
            else:
                writer.add_document(**fields)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return stats


class PostingsReader:
    """Fast reading of (document number, frequency) lists from an open Whoosh reader.

    Whoosh steps through postings one at a time behind a wrapper per segment and one
    for deleted documents; reading whole blocks of each segment and skipping deleted
    documents from a set is about twice as fast, which matters for the export and the
    related-entries pass (both read every posting of the index).
    """

    def __init__(self, reader) -> None:
        self._leaves = [
            (leaf, offset, leaf.deleted_docs_set if leaf.has_deletions() else None)
            for leaf, offset in reader.leaf_readers()
        ]

    def postings(self, field: str, term: str | bytes) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for leaf, offset, deleted in self._leaves:
            try:
                matcher = leaf.postings(field, term)
            except TermNotFound:  # a small segment from an incremental update
                continue
            while isinstance(matcher, WrappingMatcher):  # the deleted-documents filter
                matcher = matcher.child
            if not hasattr(matcher, "_read_ids"):  # another codec: the public, slower way
                pairs = ((d, int(f)) for d, f in matcher.items_as("frequency"))
            else:
                pairs = _block_pairs(matcher)
            found.extend(
                (docnum + offset, frequency)
                for docnum, frequency in pairs
                if deleted is None or docnum not in deleted
            )
        return found


def _block_pairs(matcher) -> Iterator[tuple[int, int]]:
    # whoosh.codec.whoosh3.W3LeafMatcher internals (Whoosh-Reloaded is pinned): a block
    # holds arrays of ids and weights; for our Frequency fields the weight is the count.
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        yield from zip(matcher._ids, map(int, matcher._weights), strict=True)
        matcher._next_block()
