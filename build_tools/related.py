"""Related innovations, computed at build time from the Whoosh search index.

Each entry is a tf-idf vector over the index's (field, term) pairs — the same Thai
tokens search uses (`build_tools.search`) — and its related entries are those with the
highest cosine similarity to its `KEY_TERMS` strongest terms. Terms found in a single
entry relate nothing and terms found in very many entries mean nothing, so both are
skipped before their postings are read; that also keeps the work near-linear:

- one pass over the term dictionary, reading the postings of the remaining terms
  (weights, norms, each entry's key terms),
- then, for each entry, only the postings of its key terms (short lists, by design).

Ties are broken by entry id, so the result is the same on every build.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from tempfile import TemporaryDirectory

from build_tools.loader import Catalog

# How much a shared word counts, by where it occurs. `meta` holds school, district,
# learning areas and authors' names: a little context, not the main signal.
FIELD_WEIGHTS = {"title": 3.0, "keywords": 3.0, "summary": 1.5, "body": 1.0, "meta": 0.5}
KEY_TERMS = 30
# A term in more than COMMON_FACTOR·√N of N entries is too common to relate two of them
# (38 entries: 24; 1,000: 126; 20,000: 565), and no small catalogue drops below
# MIN_COMMON. The √N bound also keeps every posting list read short.
COMMON_FACTOR = 4.0
MIN_COMMON = 5
RELATED_LIMIT = 4
# Entries less similar than this are not shown, even if fewer than the limit remain.
MIN_SIMILARITY = 0.02

Feature = tuple[str, str]  # (field, term)


def plan_related(
    catalog: Catalog, index_dir: Path | None = None, limit: int = RELATED_LIMIT
) -> dict[str, tuple[str, ...]]:
    """Entry id → ids of its most related entries, best first.

    `index_dir`: a Whoosh index made by `build_tools.search.build_index` (brought up to
    date here, incrementally); without it, or while another build of the same project is
    writing it, a temporary index is built and dropped.
    """
    from whoosh.index import LockError

    from build_tools.search.index import build_index, open_index

    if index_dir is None:
        with TemporaryDirectory(prefix="ifte-related-") as temporary:
            return plan_related(catalog, Path(temporary) / "index", limit)
    try:
        build_index(catalog.entries, index_dir, catalog.vocabularies)
    except LockError:
        return plan_related(catalog, None, limit)
    reader = open_index(index_dir).reader()
    try:
        return plan_related_from_reader(reader, limit)
    finally:
        reader.close()


def plan_related_cached(
    catalog: Catalog, root: Path, index_dir: Path | None = None, stale_ok: bool = False
) -> dict[str, tuple[str, ...]]:
    """`plan_related`, skipped when no entry changed since the last build.

    The result is kept in `.cache/ifte/related.pickle`, keyed by every entry's content
    hash, so a rebuild for a template or settings change costs nothing. Entries without a
    content hash are never cached. With `stale_ok` (a live preview) the last result is
    used even after entries changed: an edit shows at once, its related list catches up
    at the next real build.
    """
    from build_tools.cache import ResultCache, code_fingerprint

    if not catalog.entries or not all(e.content_hash for e in catalog.entries):
        return plan_related(catalog, index_dir)
    vocabularies = repr(catalog.vocabularies.by_kind).encode()
    salt = (
        code_fingerprint("related", "thai", "search.analysis", "search.documents", "search.index")
        + hashlib.sha256(vocabularies).hexdigest()[:16]
    )
    listing = "\n".join(sorted(f"{e.id} {e.content_hash}" for e in catalog.entries))
    key = hashlib.sha256(listing.encode()).hexdigest()
    cache = ResultCache(root, "related", salt)
    result = cache.get(key)
    if result is None and stale_ok:
        stale = cache.latest()
        if stale is not None:
            return stale
    if result is None:
        result = plan_related(catalog, index_dir)
    cache.put(key, result)
    cache.save()
    return result


def plan_related_from_reader(reader, limit: int = RELATED_LIMIT) -> dict[str, tuple[str, ...]]:
    """The similarity computation itself, on an open Whoosh reader."""
    from build_tools.search.index import PostingsReader

    ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
    count = len(ids)
    max_df = max(MIN_COMMON, int(COMMON_FACTOR * math.sqrt(count)))
    # Deleted entries stay in the postings until segments merge: filter them out.
    deleted = reader.doc_count_all() - count
    damped = [0.0] + [1.0 + math.log(f) for f in range(1, 256)]  # sublinear tf

    fast = PostingsReader(reader)

    def postings(field: str, term) -> list[tuple[int, int]]:
        return fast.postings(field, term)  # deleted entries left out

    def tf(frequency: int) -> float:
        return damped[frequency] if frequency < 256 else 1.0 + math.log(frequency)

    # Pass 1: norms and the strongest features of every entry. The term dictionary gives
    # each term's document frequency, so most terms are skipped without reading postings.
    norms: dict[int, float] = defaultdict(float)
    strongest: dict[int, list[tuple[float, Feature]]] = defaultdict(list)
    for field, field_weight in FIELD_WEIGHTS.items():
        if field not in reader.indexed_field_names():
            continue
        for term, info in reader.iter_field(field):
            if not 2 <= info.doc_frequency() <= max_df + deleted:
                continue
            docs = postings(field, term)
            if not 2 <= len(docs) <= min(max_df, count - 1):  # in every entry: idf is 0
                continue
            scale = field_weight * math.log(count / len(docs))
            feature = (field, _text(term))
            for docnum, frequency in docs:
                w = scale * tf(frequency)
                norms[docnum] += w * w
                heap = strongest[docnum]
                if len(heap) < KEY_TERMS:
                    heapq.heappush(heap, (w, feature))
                elif w > heap[0][0]:
                    heapq.heapreplace(heap, (w, feature))

    # Pass 2: the postings of key features only, then one accumulation per entry.
    keys = {feature for heap in strongest.values() for _, feature in heap}
    by_feature: dict[Feature, list[tuple[int, float]]] = {}
    for field, term in sorted(keys):
        docs = postings(field, term)
        scale = FIELD_WEIGHTS[field] * math.log(count / len(docs))
        by_feature[field, term] = [(d, scale * tf(f) / math.sqrt(norms[d])) for d, f in docs]
    related: dict[str, tuple[str, ...]] = {}
    for docnum, entry_id in ids.items():
        scores: dict[int, float] = defaultdict(float)
        for w, feature in strongest.get(docnum, ()):
            for other, w_other in by_feature[feature]:
                scores[other] += w * w_other
        scores.pop(docnum, None)
        norm = math.sqrt(norms.get(docnum, 0.0)) or 1.0
        ranked = sorted(
            ((round(score / norm, 9), ids[other]) for other, score in scores.items()),
            key=lambda pair: (-pair[0], pair[1]),
        )
        related[entry_id] = tuple(i for s, i in ranked[:limit] if s >= MIN_SIMILARITY)
    return related


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def plan_related_lookup(related: Mapping[str, tuple[str, ...]], catalog: Catalog) -> dict:
    """Entry id → related Entry objects (ids of entries no longer present are dropped)."""
    by_id = {e.id: e for e in catalog.entries}
    return {
        entry_id: tuple(by_id[i] for i in others if i in by_id)
        for entry_id, others in related.items()
    }
