"""Scoring shared by the Python query path and the browser engine.

BM25F (Robertson & Zaragoza): per-field term frequencies are length-normalised and
weighted *before* saturation, so a word in the title and the body counts as one strong
match rather than two weak ones. The saturated weight of each (term, document) pair is
computed once, at build time, and stored as a small integer; a query then only sums
`idf × weight` over its words. Python and JavaScript do the same few IEEE operations in
the same order, so both rank identically (`tests/browser/test_search_parity.py`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from operator import itemgetter

from build_tools.search.documents import FIELDS

FIELD_WEIGHTS = {"title": 4.0, "keywords": 3.0, "meta": 2.0, "summary": 1.5, "body": 1.0}
# Length normalisation per field: short fields (title, keywords, meta) barely vary.
FIELD_B = {"title": 0.5, "keywords": 0.3, "meta": 0.3, "summary": 0.75, "body": 0.75}
K1 = 1.2
# Weights are stored as integers 1..WEIGHT_SCALE: compact in JSON, exact in both languages.
WEIGHT_SCALE = 255
# A word matched only as a prefix of a longer word, or through a typo correction, counts
# a little less than an exact match of the same word.
PREFIX_FACTOR = 0.8
FUZZY_FACTOR = 0.9
# How many words a prefix expands to (most frequent first): bounds what the browser fetches.
PREFIX_EXPANSIONS = 6

assert set(FIELD_WEIGHTS) == set(FIELDS) == set(FIELD_B)


# Average lengths are rounded to steps of an eighth of an octave (about 9 %): BM25F's
# length norm barely feels such a step, and one entry added to a thousand moves an
# average across one seldom (3 significant digits moved the summary's at 1,000 entries
# once in two additions, and every weight with it).
AVERAGE_STEPS_PER_OCTAVE = 8


def format_average_lengths(lengths: Sequence[Mapping[str, int]]) -> dict[str, float]:
    """Average tokens per field, rounded (`format_averages`). One edit or addition seldom
    moves a rounded average, so it changes only the weights of the words it touches: the
    export can be patched instead of recomputed (`export.py`)."""
    totals = {f: sum(length[f] for length in lengths) for f in FIELDS}
    return format_averages(totals, len(lengths))


def _round_average(value: float) -> float:
    if value <= 0:
        return 0.0
    steps = round(math.log2(value) * AVERAGE_STEPS_PER_OCTAVE)
    return float(f"{2 ** (steps / AVERAGE_STEPS_PER_OCTAVE):.4g}")


def format_averages(totals: Mapping[str, int], count: int) -> dict[str, float]:
    """`format_average_lengths` from each field's total tokens over `count` documents."""
    return {f: _round_average(totals[f] / (count or 1)) for f in FIELDS}


def format_field_factors(
    lengths: Mapping[str, int], average_lengths: Mapping[str, float]
) -> tuple[float, ...]:
    """Per-field multipliers of one document, in `FIELDS` order: weight / length norm."""
    factors = []
    for field in FIELDS:
        average = average_lengths[field] or 1.0
        norm = 1.0 - FIELD_B[field] + FIELD_B[field] * lengths[field] / average
        factors.append(FIELD_WEIGHTS[field] / norm)
    return tuple(factors)


def format_weight(pseudo_frequency: float) -> int:
    """Quantised BM25F weight from Σ frequency × field factor over the fields."""
    saturated = pseudo_frequency / (K1 + pseudo_frequency)
    return max(1, math.floor(saturated * WEIGHT_SCALE + 0.5))


def format_weights(pseudo_frequencies):
    """`format_weight` of each of a numpy array of pseudo-frequencies: the same IEEE
    operations, one array at a time, so the same integers."""
    import numpy as np

    saturated = pseudo_frequencies / (K1 + pseudo_frequencies)
    return np.maximum(1, np.floor(saturated * WEIGHT_SCALE + 0.5).astype(np.int64))


def idf(document_count: int, document_frequency: int) -> float:
    """BM25 idf (never negative), rounded to 6 decimals so both languages agree exactly."""
    value = math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))
    return math.floor(value * 1e6 + 0.5) / 1e6


def browser_parameters() -> dict:
    """The constants the browser engine needs, shipped in the manifest."""
    return {
        "weightScale": WEIGHT_SCALE,
        "prefixFactor": PREFIX_FACTOR,
        "fuzzyFactor": FUZZY_FACTOR,
        "prefixExpansions": PREFIX_EXPANSIONS,
    }


Postings = list[tuple[int, int]]  # (document number, quantised weight)

# A term in more documents keeps only its highest-weighted postings (impact ordering):
# such a term has a small idf, and its full list would dominate what a browser downloads.
# The document frequency (hence idf) stays exact; a one-word query ranks exactly.
MAX_POSTINGS = 1000
# The newest documents (numbers from `format_delta_base` on) form a small delta segment of
# their own: their postings are exported in a few files of their own (`export.py`), so
# adding an entry rewrites those and not the shards of every word it holds. Each segment
# cuts its lists at `MAX_POSTINGS` on its own; a query sums both.
DELTA_DOCS = 32


def format_delta_base(document_count: int) -> int:
    """The first document number of the delta segment: the delta holds fewer than
    `DELTA_DOCS` documents and is merged into the main segment when it would fill."""
    return document_count - document_count % DELTA_DOCS


def format_order_key(record: Mapping, facets: Mapping) -> tuple:
    """Document numbering order: oldest year first, then date submitted (none first),
    then id. A new entry is usually the newest, so it takes the next number and no other
    document's number moves: adding it rewrites only the files of its own words. Ties
    rank the highest number first (newest year, latest submitted)."""
    submitted = facets.get("submitted") or ("",)
    return (int(record["y"]), submitted[0], record["id"])


def format_entry_order_key(entry) -> tuple:
    """`format_order_key` of an entry (`model.Entry`)."""
    return (entry.year, entry.submitted.isoformat() if entry.submitted else "", entry.id)


def cut_postings(
    pseudo_frequencies: Mapping[int, float], spares: int
) -> tuple[int, Postings, Postings]:
    """(document frequency, postings) of a term from its documents' BM25F pseudo-frequencies:
    quantised weights, at most `MAX_POSTINGS` (the highest; ties: lower number first), in
    document order; and the `spares` postings that follow the cut, in ranking order (what an
    incremental export promotes when a listed document drops out)."""
    result = [(n, format_weight(p)) for n, p in pseudo_frequencies.items()]
    return len(result), *cut_ranked(result, spares)


def cut_ranked(postings: Postings, spares: int) -> tuple[Postings, Postings]:
    """The `MAX_POSTINGS` best of `postings` (`rank_posting`; one per document) in
    document order, and the `spares` that follow them, in ranking order. Ranked by two
    sorts on C keys, by number (highest first) and then stably by weight, highest first:
    a key function per posting would be called millions of times by an export."""
    postings = sorted(postings)
    if len(postings) <= MAX_POSTINGS:
        return postings, []
    postings.reverse()
    postings.sort(key=itemgetter(1), reverse=True)
    below = postings[MAX_POSTINGS : MAX_POSTINGS + spares]
    del postings[MAX_POSTINGS:]
    postings.sort()
    return postings, below


def rank_posting(posting: tuple[int, int]) -> tuple[int, int]:
    """Postings rank by weight, highest first; ties by document number, highest first."""
    return -posting[1], -posting[0]
