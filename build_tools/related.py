"""Related innovations, computed at build time from the entries' search documents.

Each entry is a tf-idf vector over (field, term) pairs — the same Thai tokens search
indexes (`build_tools.search.analysed`) — and its related entries are those with the
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
from array import array
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.loader import Catalog

if TYPE_CHECKING:
    from build_tools.search.pack import SearchPack

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
    catalog: Catalog, root: Path | None = None, limit: int = RELATED_LIMIT
) -> dict[str, tuple[str, ...]]:
    """Entry id → ids of its most related entries, best first.

    Made from the entries' analysed search documents (`search.analysed`) through the
    search pack, kept under `root` when given.
    """
    from build_tools.search.pack import open_pack

    return plan_related_from_index(open_pack(catalog.entries, catalog.vocabularies, root), limit)


def plan_related_cached(
    catalog: Catalog, root: Path, stale_ok: bool = False
) -> dict[str, tuple[str, ...]]:
    """`plan_related`, skipped when no entry changed since the last build.

    The result is kept in `.cache/ifte/related.pickle`, keyed by every entry's content
    hash, so a rebuild for a template or settings change costs nothing. Entries without a
    content hash are never cached. With `stale_ok` (a live preview) the last result is
    used even after entries changed: an edit shows at once, its related list catches up
    at the next real build.
    """
    from build_tools.cache import ResultCache, code_fingerprint
    from build_tools.search.analysed import analysis_salt

    if not catalog.entries or not all(e.content_hash for e in catalog.entries):
        return plan_related(catalog, root)
    # The analyses it reads (segmentation code, vocabulary labels), then its own code.
    salt = analysis_salt(catalog.vocabularies) + code_fingerprint("related", "search.pack")
    listing = "\n".join(sorted(f"{e.id} {e.content_hash}" for e in catalog.entries))
    key = hashlib.sha256(listing.encode()).hexdigest()
    cache = ResultCache(root, "related", salt)
    result = cache.get(key)
    if result is None and stale_ok:
        stale = cache.latest()
        if stale is not None:
            return stale
    if result is None:
        result = plan_related(catalog, root)
    cache.put(key, result)
    cache.save()
    return result


def plan_related_from_index(
    index: SearchPack, limit: int = RELATED_LIMIT
) -> dict[str, tuple[str, ...]]:
    """The similarity computation itself, over the inverted index of all entries."""
    ids = dict(enumerate(index.ids()))
    count = len(ids)
    max_df = max(MIN_COMMON, int(COMMON_FACTOR * math.sqrt(count)))
    damped = [0.0] + [1.0 + math.log(f) for f in range(1, 256)]  # sublinear tf

    def tf(frequency: int) -> float:
        return damped[frequency] if frequency < 256 else 1.0 + math.log(frequency)

    # Pass 1: norms and the strongest features of every entry. A term's list length is
    # its document frequency, so most terms are skipped without reading their lists.
    norms: dict[int, float] = defaultdict(float)
    strongest: dict[int, list[tuple[float, Feature]]] = defaultdict(list)
    postings: dict[Feature, tuple] = {}
    for field, field_weight in FIELD_WEIGHTS.items():
        for term, numbers, frequencies in index.field_postings(field):
            if not 2 <= len(numbers) <= min(max_df, count - 1):  # in every entry: idf is 0
                continue
            scale = field_weight * math.log(count / len(numbers))
            feature = (field, term)
            postings[feature] = (numbers, frequencies)
            for number, frequency in zip(numbers, frequencies, strict=True):
                w = scale * tf(frequency)
                norms[number] += w * w
                heap = strongest[number]
                if len(heap) < KEY_TERMS:
                    heapq.heappush(heap, (w, feature))
                elif w > heap[0][0]:
                    heapq.heapreplace(heap, (w, feature))

    # Pass 2: the lists of key features only, then one accumulation per entry.
    keys = {feature for heap in strongest.values() for _, feature in heap}
    # Normalised weights as arrays of doubles: tens of millions of them at 20,000 entries.
    by_feature: dict[Feature, tuple[array, array]] = {}
    for field, term in sorted(keys):
        numbers, frequencies = postings[field, term]
        scale = FIELD_WEIGHTS[field] * math.log(count / len(numbers))
        weights = array(
            "d",
            (
                scale * tf(f) / math.sqrt(norms[d])
                for d, f in zip(numbers, frequencies, strict=True)
            ),
        )
        by_feature[field, term] = (numbers, weights)
    del postings
    related: dict[str, tuple[str, ...]] = {}
    for number, entry_id in ids.items():
        scores: dict[int, float] = defaultdict(float)
        for w, feature in strongest.get(number, ()):
            numbers, weights = by_feature[feature]
            for other, w_other in zip(numbers, weights, strict=True):
                scores[other] += w * w_other
        scores.pop(number, None)
        norm = math.sqrt(norms.get(number, 0.0)) or 1.0
        ranked = sorted(
            ((round(score / norm, 9), ids[other]) for other, score in scores.items()),
            key=lambda pair: (-pair[0], pair[1]),
        )
        related[entry_id] = tuple(i for s, i in ranked[:limit] if s >= MIN_SIMILARITY)
    return related


def plan_related_lookup(related: Mapping[str, tuple[str, ...]], catalog: Catalog) -> dict:
    """Entry id → related Entry objects (ids of entries no longer present are dropped)."""
    by_id = {e.id: e for e in catalog.entries}
    return {
        entry_id: tuple(by_id[i] for i in others if i in by_id)
        for entry_id, others in related.items()
    }
