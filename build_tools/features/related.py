"""Related innovations, computed at build time from the entries' search documents.

Each entry is a tf-idf vector over (field, term) pairs — the same Thai tokens search
indexes (`build_tools.search.analysed`) — and its related entries are those with the
highest cosine similarity to its `KEY_TERMS` strongest terms. Terms found in a single
entry relate nothing and terms found in very many entries mean nothing, so both are
skipped before their postings are read; that also keeps the work near-linear:

- one pass over the term dictionary, reading the postings of the remaining terms
  (weights, norms, each entry's key terms),
- then, for each entry, only the postings of its key terms (short lists, by design).

Ties are broken by entry id, so the result is the same on every build. After an edit,
`update_related` applies the search pack's change to the last result instead of starting
again, and gets exactly what a fresh computation would.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.core.loader import Catalog

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
# Entries less similar than this are not shown, even if fewer than the limit remain (or
# none). In the sample catalogue related entries that share a topic score 0.08 and more,
# and those that share only common words (STEM drip irrigation and a Thai dance, 0.072)
# less; about a third of the sample's links fall under the floor, no entry loses all.
MIN_SIMILARITY = 0.08
# Document frequencies count in steps of 10 %: a one-entry change moves few of them.
FREQUENCY_STEP = 1.1
# An edit that changes the weight of words found in more than this share of the entries
# (and more than AFFECTED_MIN of them) is applied by computing everything again. At
# 20,000 entries, updating after an edit that re-weighs 1,650 of them takes 4.8 s in its
# process, computing everything again about 6 s.
AFFECTED_SHARE = 0.1
AFFECTED_MIN = 50

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
    """`plan_related`, skipped when no entry changed since the last build, and updated
    only where an edit can matter when few entries changed (`update_related`).

    The result is kept in the store, keyed by every entry's content hash, so a rebuild
    for a template or settings change costs nothing. Entries without a content hash are
    never cached. With `stale_ok` (a live preview) the last result is used even after
    entries changed: an edit shows at once, its related list catches up at the next
    real build.
    """
    from build_tools.core.cache import ResultCache
    from build_tools.search.pack import open_pack

    if not catalog.entries or not all(e.content_hash for e in catalog.entries):
        return plan_related(catalog, root)
    salt = _salt(catalog)
    listing = "\n".join(sorted(f"{e.id} {e.content_hash}" for e in catalog.entries))
    key = hashlib.sha256(listing.encode()).hexdigest()
    cache = ResultCache(root, "related", salt, remember=True)
    result = cache.get(key)
    if result is None and stale_ok:
        stale = cache.latest()
        if stale is not None:
            return stale  # never kept under the key of entries it was not made from
    if result is None:
        pack = open_pack(catalog.entries, catalog.vocabularies, root)
        states = ResultCache(root, "related-state", salt)
        state = states.latest()
        if not (isinstance(state, RelatedState) and update_related(pack, state)):
            state = RelatedState(pack.identity, pack.generation)
            plan_related_from_index(pack, RELATED_LIMIT, state)
        result = state.result(pack.ids())
        states.put(key, state)
        states.save()
    cache.put(key, result)
    cache.save()
    return result


def _salt(catalog: Catalog) -> str:
    from build_tools.search.analysed import analysis_salt

    # The analyses it reads (vocabulary labels).
    return analysis_salt(catalog.vocabularies)


class KeyFeatures:
    """Each entry's key features with their weights, in key order (the order scores are
    summed in: heaviest first, ties in feature order), packed as flat arrays over a table of features: 600,000 of
    them at 20,000 entries load and save in milliseconds, where tuples took a second per
    build. An entry's keys are unpacked when read; `[number] = keys` replaces them.
    Features no entry uses any more stay in the table until everything is computed again.
    """

    def __init__(self, key_lists: list[list[tuple[float, Feature]]]) -> None:
        self.table: list[Feature] = []
        self.starts = array("I", bytes(4 * (len(key_lists) + 1)))
        self.ids, self.weights = array("I"), array("d")
        self.replaced = dict(enumerate(key_lists))
        self.__dict__.update(self._packed())

    @classmethod
    def packed(cls, table: list[Feature], starts, ids, weights) -> KeyFeatures:
        """Made from numpy arrays: entry n's keys are `table[ids[i]]` with `weights[i]`
        for i from `starts[n]` to `starts[n + 1]`; the table keeps the features used."""
        import numpy as np

        used = np.unique(ids)
        keys = cls([])
        keys.table = [table[i] for i in used.tolist()]
        keys.starts, keys.ids, keys.weights = array("I"), array("I"), array("d")
        keys.starts.frombytes(np.asarray(starts, _UINT).tobytes())
        keys.ids.frombytes(np.searchsorted(used, ids).astype(_UINT).tobytes())
        keys.weights.frombytes(np.asarray(weights, np.float64).tobytes())
        return keys

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, number: int) -> list[tuple[float, Feature]]:
        keys = self.replaced.get(number)
        if keys is None:
            start, end = self.starts[number], self.starts[number + 1]
            weights, ids, table = self.weights[start:end], self.ids[start:end], self.table
            keys = [(w, table[i]) for w, i in zip(weights, ids, strict=True)]
        return keys

    def __setitem__(self, number: int, keys: list[tuple[float, Feature]]) -> None:
        self.replaced[number] = keys

    def repack(self) -> None:
        """Pack the replaced keys into the arrays (which `update_related` reads)."""
        if self.replaced:
            self.__dict__.update(self._packed())

    def __getstate__(self) -> dict:
        return self._packed() if self.replaced else self.__dict__

    def _packed(self) -> dict:
        """The attributes with the replaced keys packed in; the others are copied as they
        are, a slice each."""
        table = list(self.table)
        numbering = {feature: i for i, feature in enumerate(table)}
        starts, ids, weights = array("I", [0]), array("I"), array("d")
        for number in range(len(self)):
            keys = self.replaced.get(number)
            if keys is None:
                start, end = self.starts[number], self.starts[number + 1]
                ids += self.ids[start:end]
                weights += self.weights[start:end]
            else:
                for w, feature in keys:
                    i = numbering.get(feature)
                    if i is None:
                        i = numbering[feature] = len(table)
                        table.append(feature)
                    ids.append(i)
                    weights.append(w)
            starts.append(len(ids))
        return {"table": table, "starts": starts, "ids": ids, "weights": weights, "replaced": {}}


class FeatureCounts:
    """Documents per feature, for the 200,000 features of 20,000 entries: per field, its
    terms (sorted) and their counts, looked up by bisection. Saved as one text of terms
    and an array of counts per field, they load and save in milliseconds; a dictionary of
    (field, term) tuples took a fifth of a second on every edit."""

    def __init__(self, counts: dict[Feature, int] | None = None) -> None:
        by_field: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for (field_name, term), count in (counts or {}).items():
            by_field[field_name].append((term, count))
        self.fields: dict[str, tuple[list[str], array]] = {}
        for field_name, pairs in by_field.items():
            pairs.sort()
            self.fields[field_name] = ([t for t, _ in pairs], array("I", [n for _, n in pairs]))

    def _find(self, feature: Feature) -> tuple[list[str], array, int, bool]:
        terms, counts = self.fields.setdefault(feature[0], ([], array("I")))
        index = bisect.bisect_left(terms, feature[1])
        return terms, counts, index, index < len(terms) and terms[index] == feature[1]

    def get(self, feature: Feature, default: int = 0) -> int:
        _, counts, index, found = self._find(feature)
        return counts[index] if found else default

    def __setitem__(self, feature: Feature, count: int) -> None:
        terms, counts, index, found = self._find(feature)
        if found:
            counts[index] = count
        else:
            terms.insert(index, feature[1])
            counts.insert(index, count)

    def pop(self, feature: Feature, default: int | None = None) -> int | None:
        terms, counts, index, found = self._find(feature)
        if not found:
            return default
        del terms[index]
        return counts.pop(index)

    def __getstate__(self) -> dict:
        packed = {}
        for field_name, (terms, counts) in self.fields.items():
            text = "\0".join(terms)
            # A term holding NUL (never made by the segmenter) is kept as a list.
            packed[field_name] = (text if text.count("\0") == len(terms) - 1 else terms, counts)
        return packed

    def __setstate__(self, packed: dict) -> None:
        self.fields = {
            field_name: (terms.split("\0") if isinstance(terms, str) else terms, counts)
            for field_name, (terms, counts) in packed.items()
        }
        for field_name, (terms, counts) in self.fields.items():
            if terms == [""] and not counts:  # "".split("\0") of no terms
                self.fields[field_name] = ([], counts)


@dataclass
class RelatedState:
    """What the last computation found, so that an edit can be applied to it: per entry
    number its norm, key features and related list, and every feature's frequency."""

    pack: str  # identity of the search pack
    generation: int  # of that pack
    norms: array = field(default_factory=lambda: array("d"))
    keys: KeyFeatures = field(default_factory=lambda: KeyFeatures([]))
    lists: list[list[tuple[float, str]]] = field(default_factory=list)  # (score, id)
    frequencies: FeatureCounts = field(default_factory=FeatureCounts)  # documents per feature

    def result(self, ids: list[str]) -> dict[str, tuple[str, ...]]:
        return {ids[n]: tuple(i for _, i in ranked) for n, ranked in enumerate(self.lists)}


_DAMPED = [0.0] + [1.0 + math.log(f) for f in range(1, 256)]


def _tf(frequency: int) -> float:
    """Sublinear term frequency."""
    return _DAMPED[frequency] if frequency < 256 else 1.0 + math.log(frequency)


def _max_frequency(count: int) -> int:
    return min(max(MIN_COMMON, int(COMMON_FACTOR * math.sqrt(count))), count - 1)


def _scale(field_name: str, frequency: int, count: int) -> float | None:
    """A feature's idf weight, or None when it relates nothing (too rare or common).

    The frequency is rounded to a step of about a tenth of itself (`FREQUENCY_STEP`):
    an edit that adds a word found in 300 entries then seldom changes that word's weight
    in the other 300, so few entries need to be weighed again (`update_related`)."""
    if not 2 <= frequency <= _max_frequency(count):
        return None
    rounded = FREQUENCY_STEP ** round(math.log(frequency, FREQUENCY_STEP))
    return FIELD_WEIGHTS[field_name] * math.log(count / rounded)


def _rank(
    number: int, scores: dict[int, float], norms, ids: list[str], limit: int
) -> list[tuple[float, str]]:
    """The `limit` best of `scores` (rounded, ties by id), those similar enough."""
    scores.pop(number, None)
    norm = math.sqrt(norms[number]) or 1.0
    if len(scores) > limit:
        # Only scores that round to at least what the limit-th best rounds to can place:
        # rounding moves a score by less than 1e-9 · norm, so none further below it can.
        floor = sorted(scores.values(), reverse=True)[limit - 1] - 2e-9 * norm
        scores = {other: score for other, score in scores.items() if score >= floor}
    ranked = sorted(
        ((round(score / norm, 9), ids[other]) for other, score in scores.items()),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return [(s, i) for s, i in ranked[:limit] if s >= MIN_SIMILARITY]


# Scores held at once while ranking (a batch of entries against every entry): 32 MB.
BATCH_CELLS = 1 << 22
_UINT = f"u{array('I').itemsize}"  # numpy's name for the arrays' unsigned int


def _damped(counts):
    """`_tf` of each of `counts` (a numpy array): the same doubles, looked up."""
    import numpy as np

    top = int(counts.max(initial=0))
    table = _DAMPED if top < len(_DAMPED) else [_tf(f) for f in range(top + 1)]
    return np.array(table)[counts]


def _spread(starts, spans):
    """For runs `starts[i]` … `starts[i] + spans[i]` laid end to end (numpy arrays): each
    element's run, and its position."""
    import numpy as np

    run_of = np.repeat(np.arange(len(spans)), spans)
    return run_of, np.arange(len(run_of)) + np.repeat(starts - (np.cumsum(spans) - spans), spans)


class _Rows:
    """Posting lists of features laid end to end, as numpy arrays: row r is
    `numbers[offsets[r]:offsets[r + 1]]`, and `weights` their idf × tf, made over the
    holders' norms by `normalise` (what pass 2 sums)."""

    def __init__(self, numbers: bytes, counts: bytes, lengths: list[int], scales: list[float]):
        """`numbers` and `counts`: every row's, as the bytes of unsigned int arrays, one
        row after another; `lengths` and `scales`: each row's length and idf weight."""
        import numpy as np

        self.numbers = np.frombuffer(numbers, _UINT)
        counts_of = np.frombuffer(counts, _UINT)
        self.offsets = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
        # scale × tf, element by element: the same doubles `scale * _tf(f)` gives.
        self.weights = np.repeat(np.array(scales, np.float64), lengths)
        self.weights *= _damped(counts_of)

    def normalise(self, norms) -> None:
        import numpy as np

        self.weights /= np.sqrt(norms[self.numbers])


def _rank_keyed(
    numbers: list[int], pair_starts, pair_rows, pair_weights, rows: _Rows, norms, ids, limit
) -> list[list[tuple[float, str]]]:
    """The related lists of the entries `numbers`. Entry `numbers[i]` is scored over its
    key features, `pair_rows[pair_starts[i]:pair_starts[i + 1]]` (rows of `rows`) with
    their weights, in key order. `np.bincount` adds the products into each score one by
    one in that order, from 0.0, so every score is bit for bit the sum Python's loop over
    the same features makes; a batch of entries is scored against every entry at once."""
    import numpy as np

    count = len(ids)
    spans_of = np.diff(rows.offsets)
    batch = max(1, BATCH_CELLS // max(count, 1))
    lists = []
    for first in range(0, len(numbers), batch):
        chunk = numbers[first : first + batch]
        low, high = pair_starts[first], pair_starts[first + len(chunk)]
        keyed, weights = pair_rows[low:high], pair_weights[low:high]
        pair_of, positions = _spread(rows.offsets[keyed], spans_of[keyed])
        scorer = np.repeat(
            np.arange(len(chunk)), np.diff(pair_starts[first : first + len(chunk) + 1])
        )
        cells = scorer[pair_of] * count + rows.numbers[positions]
        scores = np.bincount(cells, weights[pair_of] * rows.weights[positions], len(chunk) * count)
        # The cells scored, found in a mask of bytes (an eighth of the scores to scan),
        # but not an entry's own.
        touched = np.zeros(len(chunk) * count, bool)
        touched[cells] = True
        touched[np.arange(len(chunk)) * count + np.asarray(chunk)] = False
        cells = np.flatnonzero(touched)
        bounds = np.searchsorted(cells, np.arange(len(chunk) + 1) * count).tolist()
        others, values = cells % count, scores[cells]
        for index, number in enumerate(chunk):
            low, high = bounds[index], bounds[index + 1]
            if high - low > limit:
                # What `_rank` keeps, and a margin more: it cuts again, exactly.
                row = values[low:high]
                kth = np.partition(row, high - low - limit)[high - low - limit]
                kept = low + np.flatnonzero(row >= kth - 4e-9 * (math.sqrt(norms[number]) or 1.0))
            else:
                kept = slice(low, high)
            # Python floats: `_rank` rounds them as Python does.
            scored = dict(zip(others[kept].tolist(), values[kept].tolist(), strict=True))
            lists.append(_rank(number, scored, norms, ids, limit))
    return lists


def plan_related_from_index(
    index: SearchPack, limit: int = RELATED_LIMIT, state: RelatedState | None = None
) -> dict[str, tuple[str, ...]]:
    """The similarity computation itself, over the inverted index of all entries. With
    `state`, what `update_related` needs is kept in it."""
    import numpy as np

    ids = index.ids()
    count = len(ids)
    frequencies: dict[Feature, int] = {}

    # Pass 1: the features that weigh, in feature order, and their lists. A term's list
    # length is its document frequency, so most terms are skipped without reading them.
    features: list[Feature] = []
    scales: list[float] = []
    lengths: list[int] = []
    all_numbers, all_counts = bytearray(), bytearray()
    item = array("I").itemsize
    most = _max_frequency(count)
    for field_name in FIELD_WEIGHTS:
        for term, numbers, counts in index.field_postings(field_name):
            frequency = len(numbers) // item
            frequencies[field_name, term] = frequency
            if 2 <= frequency <= most:
                features.append((field_name, term))
                scales.append(_scale(field_name, frequency, count))
                lengths.append(frequency)
                all_numbers += numbers
                all_counts += counts
    rows = _Rows(all_numbers, all_counts, lengths, scales)
    del all_counts
    # Each entry's norm: its squared weights added one by one, in feature order.
    norms = np.bincount(rows.numbers, rows.weights * rows.weights, count)
    # Each entry's key features: the KEY_TERMS heaviest, heaviest first, ties in feature
    # order; scores are summed in this order, here and in `update_related` alike.
    feature_of = np.repeat(np.arange(len(features), dtype=np.int32), np.diff(rows.offsets))
    order = np.lexsort((feature_of, -rows.weights, rows.numbers))
    holders = rows.numbers[order]
    place = np.arange(len(order)) - np.searchsorted(holders, np.arange(count))[holders]
    chosen = order[place < KEY_TERMS]
    del order, holders, place
    pair_starts = np.searchsorted(rows.numbers[chosen], np.arange(count + 1))
    pair_rows, pair_weights = feature_of[chosen], rows.weights[chosen]
    del feature_of, chosen

    # Pass 2: every entry scored over its key features' normalised lists.
    rows.normalise(norms)
    ranked = _rank_keyed(
        list(range(count)), pair_starts, pair_rows, pair_weights, rows, norms, ids, limit
    )
    if state is not None:
        state.norms = array("d", norms.tobytes())
        state.keys = KeyFeatures.packed(features, pair_starts, pair_rows, pair_weights)
        state.lists = ranked
        state.frequencies = FeatureCounts(frequencies)
    return {ids[n]: tuple(i for _, i in listed) for n, listed in enumerate(ranked)}


def update_related(pack: SearchPack, state: RelatedState, limit: int = RELATED_LIMIT) -> bool:
    """Apply the pack's last change to `state`: exactly what `plan_related_from_index`
    would now compute, reading only the entries an edit can affect. False (and `state`
    unusable) when that is not known to be few.

    An edit changes the analysed entry and the frequency of the words it added or
    removed. Entries holding a word whose weight that changes (`affected`) get new
    norms and key features, and their lists are computed again. Every other entry keeps
    its key features and norm, so its similarity to an unaffected entry is unchanged: its
    list can only gain an affected entry, or must be computed again if it showed one.
    """
    import numpy as np

    change = pack.change
    ids = pack.ids()
    count = len(ids)
    if (
        (state.pack, state.generation) != (pack.identity, change.since)
        or change.rebuilt
        or len(state.norms) != count
    ):
        return False
    affected = set(change.numbers)
    for (field_name, term), (before, after) in change.frequencies.items():
        if after:
            state.frequencies[field_name, term] = after
        else:
            state.frequencies.pop((field_name, term), None)
        if _scale(field_name, before, count) != _scale(field_name, after, count):
            affected.update(pack.field_row(field_name, term)[0])
    if len(affected) > max(AFFECTED_MIN, AFFECTED_SHARE * count):
        return False

    # New norms and key features of the affected entries, and their normalised weights
    # of the features other entries are keyed by (to score those entries against them).
    keys = state.keys
    keys.repack()  # the others' keys are read from the packed arrays
    weigher = _Weigher(state.frequencies, keys.table, count)
    shared_ids, shared_numbers, shared_weights = [], [], []
    for number in sorted(affected):
        norm, top, table_ids, weights = weigher.weigh(pack.document(number))
        state.norms[number], keys[number] = norm, top
        shared = table_ids >= 0
        if norm and shared.any():
            shared_ids.append(table_ids[shared])
            shared_numbers.append(np.full(np.count_nonzero(shared), number))
            shared_weights.append(weights[shared] / math.sqrt(norm))
    norms = np.frombuffer(state.norms, np.float64)  # every norm is final now

    # Entries showing an affected entry are ranked again with the affected ones.
    shown = {ids[number] for number in affected}
    again = affected | {
        number for number, listed in enumerate(state.lists) if any(i in shown for _, i in listed)
    }
    ordered = sorted(again)
    for number, listed in zip(
        ordered, _rank_again(pack, state, ordered, norms, ids, limit), strict=True
    ):
        state.lists[number] = listed
    # Every other entry keyed by an affected entry's feature can only gain one.
    owners, starts, others, sums = _score_against(
        keys,
        np.array(ordered, dtype=np.int64),
        np.concatenate([np.zeros(0, np.int64), *shared_ids]),
        np.concatenate([np.zeros(0, np.int64), *shared_numbers]),
        np.concatenate([np.zeros(0, np.float64), *shared_weights]),
        count,
    )
    best = np.maximum.reduceat(sums, starts[:-1]).tolist() if owners else []
    for index, number in enumerate(owners):
        listed = state.lists[number]
        if len(listed) == limit:
            # A full list keeps its entries when the best new score, rounded as `_rank`
            # rounds it, is below its last: most of thousands of entries holding a common
            # word of an edited title.
            norm = math.sqrt(state.norms[number]) or 1.0
            if round(best[index] / norm, 9) < listed[-1][0]:
                continue
        low, high = starts[index], starts[index + 1]
        scores = dict(zip(others[low:high].tolist(), sums[low:high].tolist(), strict=True))
        fresh = _rank(number, scores, state.norms, ids, limit)
        merged = sorted(listed + fresh, key=lambda pair: (-pair[0], pair[1]))
        state.lists[number] = merged[:limit]
    state.generation = change.generation
    return True


class _Weigher:
    """Weighs an analysed document as pass 1 does: the features that weigh, in feature
    order, with their weights, norm and key features, and where each stands in a table of
    features (the packed keys')."""

    def __init__(self, frequencies: FeatureCounts, table: list[Feature], count: int) -> None:
        import numpy as np

        most = _max_frequency(count)
        keyed: dict[str, dict[str, int]] = defaultdict(dict)
        for i, (field_name, term) in enumerate(table):
            keyed[field_name][term] = i
        self.fields = {}
        for field_name in FIELD_WEIGHTS:
            terms, counts = frequencies.fields.get(field_name, ([], array("I")))
            # A feature's idf weight by its document frequency; NaN where it weighs nothing.
            by_frequency = [_scale(field_name, f, count) for f in range(most + 2)]
            self.fields[field_name] = (
                dict(zip(terms, counts, strict=True)),
                np.array([np.nan if s is None else s for s in by_frequency]),
                keyed[field_name],
            )

    def weigh(self, document) -> tuple[float, list[tuple[float, Feature]], object, object]:
        """(norm, key features, table ids (-1: not in the table), weights) of `document`:
        the norm its weights' squares added one by one in feature order (as np.bincount
        adds them in pass 1), the keys heaviest first, ties in feature order."""
        import numpy as np

        features: list[Feature] = []
        weights, table_ids = [], []
        for field_name in FIELD_WEIGHTS:
            text, counts = document.packed[field_name]
            if not text:
                continue
            terms = text.split("\n")
            known, scales, keyed = self.fields[field_name]
            frequencies = np.fromiter((known.get(t, 0) for t in terms), np.int64, len(terms))
            scale = scales[np.minimum(frequencies, len(scales) - 1)]
            weighing = sorted(np.flatnonzero(~np.isnan(scale)).tolist(), key=terms.__getitem__)
            if not weighing:
                continue
            weights.append(scale[weighing] * _damped(np.array(counts, np.int64)[weighing]))
            for i in weighing:
                features.append((field_name, terms[i]))
                table_ids.append(keyed.get(terms[i], -1))
        if not features:
            return 0.0, [], np.zeros(0, np.int64), np.zeros(0, np.float64)
        w = np.concatenate(weights)
        norm = float(np.cumsum(w * w)[-1])
        top = np.argsort(-w, kind="stable")[:KEY_TERMS].tolist()
        keys = [(float(w[i]), features[i]) for i in top]
        return norm, keys, np.array(table_ids, dtype=np.int64), w


def _score_against(keys: KeyFeatures, skip, feature_ids, numbers, weights, count: int):
    """The scores of every entry keyed by a feature of `feature_ids` (but those in
    `skip`) against the affected entries `numbers` holding it with normalised `weights`:
    each key weight times those weights, added in key order as pass 2 adds them.

    Returns the scored entries (ascending), where each one's scores start in the next two
    arrays (and where the last ends), the affected entries scored against and the scores.
    """
    import numpy as np

    key_ids = np.frombuffer(keys.ids, _UINT)
    positions = np.flatnonzero(np.isin(key_ids, feature_ids))
    owners = np.searchsorted(np.frombuffer(keys.starts, _UINT), positions, side="right") - 1
    keep = ~np.isin(owners, skip)
    positions, owners = positions[keep], owners[keep]
    # Each keyed position meets every affected entry holding its feature.
    by_feature = np.argsort(feature_ids, kind="stable")
    feature_ids, numbers, weights = (
        feature_ids[by_feature],
        numbers[by_feature],
        weights[by_feature],
    )
    wanted = key_ids[positions]
    first = np.searchsorted(feature_ids, wanted, side="left")
    pair_of, met = _spread(first, np.searchsorted(feature_ids, wanted, side="right") - first)
    cells = owners[pair_of].astype(np.int64) * count + numbers[met]
    products = np.frombuffer(keys.weights, np.float64)[positions][pair_of] * weights[met]
    cells, inverse = np.unique(cells, return_inverse=True)
    sums = np.bincount(inverse, products, len(cells))  # one by one, in key order
    owner_of = cells // count
    scored = np.flatnonzero(np.diff(owner_of, prepend=-1))
    starts = np.append(scored, len(cells))
    return owner_of[scored].tolist(), starts, cells % count, sums


def _rank_again(
    pack: SearchPack, state: RelatedState, numbers: list[int], norms, ids: list[str], limit: int
) -> list[list[tuple[float, str]]]:
    """The lists of `numbers` computed again over their key features, as pass 2 does:
    hundreds of entries, when an edit moves the weight of a word they share."""
    import numpy as np

    keyed = [state.keys[number] for number in numbers]
    needed = sorted({feature for keys in keyed for _, feature in keys})
    row_of = {feature: row for row, feature in enumerate(needed)}
    lists = pack.field_rows(needed)
    scales = [_scale(f[0], len(n), len(ids)) for f, (n, _) in zip(needed, lists, strict=True)]
    rows = _Rows(
        b"".join(n for n, _ in lists),
        b"".join(c for _, c in lists),
        [len(n) for n, _ in lists],
        scales,
    )
    rows.normalise(norms)
    pair_starts = np.cumsum([0] + [len(keys) for keys in keyed])
    pair_rows = np.array([row_of[f] for keys in keyed for _, f in keys], dtype=np.int64)
    pair_weights = np.array([w for keys in keyed for w, _ in keys], dtype=np.float64)
    return _rank_keyed(numbers, pair_starts, pair_rows, pair_weights, rows, norms, ids, limit)
