"""How far a typed word is from a word of the index, counted the way Thai people mistype.

A missing, extra or wrong tone mark or above/below vowel costs little, a look-alike or
sound-alike consonant (ส/ศ/ษ, น/ณ, ล/ร, …) less than another letter. The costs live in
`thai_typing.json`, which the search manifest ships to the browser (`params.typing`):
`typoCost` and `prefixTypoCost` of ifte-search-engine.js are this module, line by line,
over the same table. Costs are sums of binary fractions (0.25, 0.5, 0.75, 1), so both
languages add them exactly.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from build_tools.core.thai import boundaries

TABLE_PATH = Path(__file__).with_name("thai_typing.json")


@lru_cache(maxsize=1)
def load_typing_table() -> dict:
    """The cost table as shipped to browsers."""
    return json.loads(TABLE_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _costs() -> tuple[frozenset[str], float, float, float, dict[tuple[str, str], float]]:
    table = load_typing_table()
    pairs: dict[tuple[str, str], float] = {}
    for tier in table["alike"]:
        for group in tier["groups"]:
            for a in group:
                for b in group:
                    if a != b and (a, b) not in pairs:
                        pairs[a, b] = tier["cost"]  # the first (cheapest) tier wins
    marks = frozenset(table["marks"])
    return marks, table["markCost"], table["otherCost"], table["transposeCost"], pairs


def _table(a: str, b: str) -> list[list[float]]:
    """The weighted optimal-string-alignment table of `a` against every prefix of `b`."""
    marks, mark_cost, other_cost, transpose_cost, pairs = _costs()

    def indel(char: str) -> float:
        return mark_cost if char in marks else other_cost

    def substitute(x: str, y: str) -> float:
        if x == y:
            return 0.0
        if x in marks and y in marks:
            return mark_cost
        return pairs.get((x, y), other_cost)

    rows = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for j in range(1, len(b) + 1):
        rows[0][j] = rows[0][j - 1] + indel(b[j - 1])
    for i in range(1, len(a) + 1):
        rows[i][0] = rows[i - 1][0] + indel(a[i - 1])
        for j in range(1, len(b) + 1):
            best = min(
                rows[i - 1][j] + indel(a[i - 1]),
                rows[i][j - 1] + indel(b[j - 1]),
                rows[i - 1][j - 1] + substitute(a[i - 1], b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, rows[i - 2][j - 2] + transpose_cost)
            rows[i][j] = best
    return rows


def typo_cost(typed: str, word: str) -> float:
    """Weighted edit distance from `typed` to `word`."""
    return _table(typed, word)[-1][-1]


def prefix_typo_cost(typed: str, word: str) -> tuple[float, int]:
    """The cheapest (cost, length) of `typed` against a start of `word` that ends where a
    Thai word may end; the shortest such start among equals (search as you type)."""
    last = _table(typed, word)[-1]
    return min((last[j], j) for j in boundaries(word) if j > 0)
