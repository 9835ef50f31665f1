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
