"""Build and update the Whoosh index of all entries (incrementally).

Each stored document carries its content hash; an unchanged entry is neither re-read
nor re-segmented on the next build. A change of analyzer rules (`ANALYZER_VERSION`)
or of PyThaiNLP rebuilds the index from scratch.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pythainlp
from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.matching import WrappingMatcher
from whoosh.reading import TermNotFound

from build_tools.cache import code_fingerprint
from build_tools.errors import IfteError
from build_tools.model import Entry
from build_tools.search.analysis import thai_analyzer
from build_tools.search.documents import FIELDS, SearchDocument, plan_document
from build_tools.thai import iter_index_tokens
from build_tools.vocabularies import Vocabularies

# Bump when thai.py, analysis.py or the schema change what gets indexed.
ANALYZER_VERSION = "2"
_MARKER = "ifte-search.json"
# Below this many changed entries, starting worker processes costs more than it saves.
_PARALLEL_FROM = 200


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
    return {"analyzer": ANALYZER_VERSION, "pythainlp": pythainlp.__version__}


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


def _analysis_salt(vocabularies: Vocabularies | None) -> str:
    labels = repr(vocabularies.by_kind) if vocabularies else ""
    code = code_fingerprint("thai", "search.analysis", "search.documents", "search.index")
    return hashlib.sha256(f"{code}\0{labels}".encode()).hexdigest()


def _source_key(entry: Entry, salt: str) -> str | None:
    """What the entry's search document is made from (its file, place, vocabulary labels
    and our code), hashed without rendering the document: an unchanged entry costs a
    hash, not Markdown and segmentation. None for entries not read from a file."""
    if not entry.content_hash:
        return None
    source = f"{salt}\0{entry.id}\0{entry.url}\0{entry.content_hash}"
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _whoosh_fields(document: SearchDocument) -> dict:
    # Whoosh indexes a tuple of strings as given, without calling the analyzer again:
    # each text is segmented once, and its exact length is known for BM25F.
    tokens = {name: tuple(iter_index_tokens(text)) for name, text in document.fields.items()}
    return {
        "id": document.id,
        "content_hash": document.content_hash,
        "record": document.record,
        "lengths": {name: len(field_tokens) for name, field_tokens in tokens.items()},
        "facets": document.facets,
        **tokens,
    }


def build_index(
    entries: Iterable[Entry],
    index_dir: Path,
    vocabularies: Vocabularies | None = None,
    workers: int | None = None,
) -> IndexStats:
    """Bring the Whoosh index in `index_dir` up to date with `entries`.

    Only entries whose content hash changed are (re-)analysed; entries that disappeared
    are deleted. `vocabularies` turns codes into the Thai labels that get indexed
    (district and subject names); without it the codes themselves are indexed. When many
    entries changed, Thai segmentation runs in `workers` processes (default: CPU count).
    """
    index = _open_or_create(Path(index_dir))
    with index.searcher() as searcher:
        known = {fields["id"]: fields["content_hash"] for fields in searcher.all_stored_fields()}
    changed: list[SearchDocument] = []
    seen: set[str] = set()
    salt = _analysis_salt(vocabularies)
    for entry in entries:
        seen.add(entry.id)
        key = _source_key(entry, salt)
        if key is None or known.get(entry.id) != key:
            document = plan_document(entry, vocabularies)
            key = key or document.content_hash
            if known.get(entry.id) != key:
                changed.append(dataclasses.replace(document, content_hash=key))
    removed = known.keys() - seen
    updated = sum(1 for document in changed if document.id in known)
    stats = IndexStats(len(changed) - updated, updated, len(removed), len(seen) - len(changed))
    if not stats.changed:
        return stats
    writer = index.writer(limitmb=256)
    try:
        for entry_id in removed:
            writer.delete_by_term("id", entry_id)
        for fields in _analyse(changed, workers):
            if fields["id"] in known:
                writer.update_document(**fields)
            else:
                writer.add_document(**fields)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return stats


def _analyse(documents: list[SearchDocument], workers: int | None) -> Iterator[dict]:
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(documents) < _PARALLEL_FROM:
        yield from map(_whoosh_fields, documents)
        return
    # "spawn": the build may run inside a threaded process (mkdocs serve, a test browser).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_whoosh_fields, documents, chunksize=16)


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
