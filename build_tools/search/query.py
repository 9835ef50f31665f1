"""Turn what someone typed into a query plan: which index terms to look up, and how.

The browser cannot run PyThaiNLP, and its own `Intl.Segmenter` cuts Thai differently
from newmm. So neither side segments queries with a Thai dictionary: both cut the query
by maximal matching against the *index's own vocabulary* (`Lexicon`), which makes query
tokens index tokens by construction. The same steps, in the same order and with the same
tie-breaks, are in `planQuery` of `ifte-search-engine.js`:

1. `normalize`, `split_chunks` (thai.py).
2. Segment each Thai run: fewest unknown clusters, then fewest tokens; ties go to the
   longest first token. With `prefix`, the text at the very end may also be the start of
   an index term (search as you type).
3. Typos (not when searching exactly as typed): a Thai run that is not itself a word and
   matches only through short or function words ("weak", e.g. โคกสำโลง → โคก สำ โล ง)
   is replaced by the closest index term or vocabulary phrase (`Phrases`: districts,
   schools, learning areas, keywords), the start of one at the open end; a run that is
   not weak but one mark (tone, vowel) away from a whole phrase is that phrase; then an unknown
   piece is corrected to the closest term, trying the whole run, then the unknown piece
   with its neighbours, then alone. Closest: the Thai typing costs of `typos`, at most
   `maxCost`, first two characters kept; ties go to the more frequent, then the smaller.
4. One clause per token; a prefix clause also matches the most frequent longer terms.
   Function words (`STOP_WORDS`) make no clause: alone they neither match nor highlight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from build_tools.core.thai import MAX_TOKEN_CHARS, boundaries, normalize, split_chunks
from build_tools.search.ranking import FUZZY_FACTOR, PREFIX_EXPANSIONS, PREFIX_FACTOR
from build_tools.search.typos import load_typing_table, prefix_typo_cost, typo_cost

# Shorter prefixes match too much to be useful (and their shards are the biggest).
MIN_PREFIX_CHARS = 2
# Shorter words (a Thai syllable, a short English word) have too many neighbours within
# one edit to guess from: ทาน would become ทาง.
MIN_FUZZY_CHARS = 4
# Typo candidates share this many leading characters with what was typed: it keeps the
# candidates in the term-dictionary shard the query already loaded (see `format_shard_key`).
FUZZY_PREFIX_CHARS = 2
# Function words: they join the words people look for, and are in almost every entry.
# Shipped to the browser in the search manifest (`params.stopWords`).
STOP_WORDS = frozenset(
    "การ ของ และ ที่ ใน ความ ด้วย โดย กับ เพื่อ จาก ให้ เป็น มี ว่า ซึ่ง แก่ แห่ง หรือ แต่ ก็ จะ"
    " ได้ นี้ นั้น ต่อ สู่ อย่าง a an and of the in on for to with by".split()
)


class Lexicon(Protocol):
    """The index vocabulary, as the planner needs it."""

    def document_frequency(self, term: str) -> int: ...  # 0 when the term is not indexed

    def terms_with_prefix(self, prefix: str) -> Sequence[str]: ...  # sorted by code point


class Phrases(Protocol):
    """Vocabulary phrases a misspelt run may be corrected to (`suggestions`)."""

    # (phrase, entries using it), sorted by phrase
    def phrases_with_prefix(self, prefix: str) -> Sequence[tuple[str, int]]: ...


class NoPhrases:
    def phrases_with_prefix(self, prefix: str) -> Sequence[tuple[str, int]]:
        return ()


@dataclass(frozen=True)
class Clause:
    """One word of the query and the index terms that can satisfy it."""

    text: str  # as typed (normalised)
    kind: str  # "term" | "prefix" | "fuzzy"
    alternatives: tuple[tuple[str, float], ...]  # (index term, factor)


@dataclass(frozen=True)
class QueryPlan:
    clauses: tuple[Clause, ...]
    corrected: str | None  # the query with typos fixed ("did you mean …"), if any were
    unmatched: tuple[str, ...]  # pieces that match nothing in the index
    ignored: tuple[str, ...] = ()  # function words left out

    @property
    def terms(self) -> list[str]:
        return list(dict.fromkeys(term for c in self.clauses for term, _ in c.alternatives))


@dataclass
class _Piece:
    text: str
    kind: str  # "term" | "prefix" | "unknown" | "fuzzy"
    correction: str = ""


def format_shard_key(term: str) -> str:
    """Terms are sharded by their first two characters (see export.py)."""
    return term[:2]


def _has_prefix(lexicon: Lexicon, prefix: str) -> bool:
    return len(lexicon.terms_with_prefix(prefix)) > 0


def _closest(
    text: str, candidates: Sequence[tuple[str, int]], open_end: bool, max_cost: float = 0
) -> str | None:
    """The candidate (word, frequency) closest to `text` within `max_cost` (default
    `maxCost`; its start, at an open end); None when none is, or when `text` already is one."""
    table = load_typing_table()
    max_cost = max_cost or table["maxCost"]
    gap = int(table["maxCost"] / table["markCost"])
    best: tuple[float, int, str] | None = None
    for word, frequency in candidates:
        if open_end:
            if len(word) < len(text) - gap:
                continue
            cost, cut = prefix_typo_cost(text, word)
            word = word[:cut]
        else:
            if abs(len(word) - len(text)) > gap:
                continue
            cost = typo_cost(text, word)
        candidate = (cost, -frequency, word)
        if cost <= max_cost and (best is None or candidate < best):
            best = candidate
    if best is None or best[0] == 0:
        return None
    return best[2]


def find_correction(lexicon: Lexicon, text: str) -> str | None:
    """The closest index term to `text` (see the module docstring)."""
    if len(text) < MIN_FUZZY_CHARS:
        return None
    terms = lexicon.terms_with_prefix(text[:FUZZY_PREFIX_CHARS])
    return _closest(text, [(t, lexicon.document_frequency(t)) for t in terms], False)


def _is_strong(piece: _Piece) -> bool:
    return (
        piece.kind in ("term", "prefix")
        and len(piece.text) >= MIN_FUZZY_CHARS
        and piece.text not in STOP_WORDS
    )


def find_run_correction(
    run: str, pieces: Sequence[_Piece], lexicon: Lexicon, phrases: Phrases, at_end: bool
) -> str | None:
    """What a weak Thai run (see the module docstring) was probably meant to be."""
    if len(run) < MIN_FUZZY_CHARS or lexicon.document_frequency(run) > 0:
        return None
    key = run[:FUZZY_PREFIX_CHARS]
    candidates = [*phrases.phrases_with_prefix(key)]
    if any(_is_strong(piece) for piece in pieces):
        # Not weak, but one mark away from a known phrase (หนองมวง → หนองม่วง, which
        # also cuts into หนอง + ม + วง): that phrase was meant.
        return _closest(run, candidates, False, load_typing_table()["markCost"])
    candidates += [(t, lexicon.document_frequency(t)) for t in lexicon.terms_with_prefix(key)]
    return _closest(run, candidates, at_end)


def segment_run(run: str, lexicon: Lexicon, at_end: bool) -> list[_Piece]:
    """Cut a Thai run into index terms (maximal matching); see the module docstring."""
    n = len(run)
    bounds = boundaries(run)
    best: dict[int, tuple[int, int]] = {n: (0, 0)}  # position → (unknown clusters, tokens)
    step: dict[int, tuple[int, str]] = {}
    for k in range(len(bounds) - 2, -1, -1):
        i = bounds[k]
        choice: tuple[int, str] | None = None
        cost: tuple[int, int] | None = None
        for j in reversed(bounds[k + 1 :]):
            if j - i > MAX_TOKEN_CHARS:
                continue
            piece = run[i:j]
            open_end = at_end and j == n and j - i >= MIN_PREFIX_CHARS
            if lexicon.document_frequency(piece) > 0:
                kind = "prefix" if open_end else "term"
            elif open_end and _has_prefix(lexicon, piece):
                kind = "prefix"
            else:
                continue
            candidate = (best[j][0], best[j][1] + 1)
            if cost is None or candidate < cost:
                cost, choice = candidate, (j, kind)
        j = bounds[k + 1]
        candidate = (best[j][0] + 1, best[j][1])
        if cost is None or candidate < cost:
            cost, choice = candidate, (j, "unknown")
        best[i], step[i] = cost, choice  # type: ignore[assignment]
    pieces: list[_Piece] = []
    i = 0
    while i < n:
        j, kind = step[i]
        if kind == "unknown" and pieces and pieces[-1].kind == "unknown":
            pieces[-1].text += run[i:j]  # one unknown span, not one per cluster
        else:
            pieces.append(_Piece(run[i:j], kind))
        i = j
    return pieces


def _correct_run(pieces: list[_Piece], lexicon: Lexicon, correct: bool) -> list[_Piece]:
    """Replace unknown pieces (with neighbours, widest window first) by a typo correction."""
    while True:
        unknown = next((k for k, p in enumerate(pieces) if p.kind == "unknown"), None)
        if unknown is None:
            return pieces
        # Windows around the unknown piece, over plain neighbours only (never across an
        # earlier correction), widest first, leftmost first among equals.
        lo = unknown
        while lo > 0 and pieces[lo - 1].kind in ("term", "prefix"):
            lo -= 1
        hi = unknown + 1
        while hi < len(pieces) and pieces[hi].kind in ("term", "prefix", "unknown"):
            hi += 1
        windows = sorted(
            ((a, b) for a in range(lo, unknown + 1) for b in range(unknown + 1, hi + 1)),
            key=lambda w: (-sum(len(p.text) for p in pieces[w[0] : w[1]]), w[0]),
        )
        for a, b in windows if correct else ():
            text = "".join(p.text for p in pieces[a:b])
            correction = find_correction(lexicon, text)
            if correction is not None:
                pieces[a:b] = [_Piece(text, "fuzzy", correction)]
                break
        else:
            pieces[unknown].kind = "unmatched"


def _expand_prefix(lexicon: Lexicon, text: str) -> list[tuple[str, float]]:
    alternatives = [(text, 1.0)] if lexicon.document_frequency(text) > 0 else []
    longer = [t for t in lexicon.terms_with_prefix(text) if t != text]
    longer.sort(key=lambda t: (-lexicon.document_frequency(t), t))
    return alternatives + [(t, PREFIX_FACTOR) for t in longer[:PREFIX_EXPANSIONS]]


def plan_query(
    query: str,
    lexicon: Lexicon,
    prefix: bool = True,
    phrases: Phrases | None = None,
    correct: bool = True,
) -> QueryPlan:
    """Plan a query: `prefix` lets the last word match longer words (search as you type);
    `correct` fixes typos (off: search exactly as typed)."""
    text = normalize(query)
    chunks = split_chunks(text)
    at_end_open = prefix and bool(chunks) and text.endswith(chunks[-1][0])
    runs: list[list[_Piece]] = []
    fixed_run = False
    for position, (chunk, is_thai) in enumerate(chunks):
        at_end = at_end_open and position == len(chunks) - 1
        if is_thai:
            pieces = segment_run(chunk, lexicon, at_end)
            fix = correct and find_run_correction(
                chunk, pieces, lexicon, phrases or NoPhrases(), at_end
            )
            if fix:
                pieces, fixed_run = segment_run(fix, lexicon, at_end), True
        else:
            open_end = at_end and len(chunk) >= MIN_PREFIX_CHARS
            if lexicon.document_frequency(chunk) > 0:
                pieces = [_Piece(chunk, "prefix" if open_end else "term")]
            elif open_end and _has_prefix(lexicon, chunk):
                pieces = [_Piece(chunk, "prefix")]
            else:
                pieces = [_Piece(chunk, "unknown")]
        runs.append(_correct_run(pieces, lexicon, correct))
    clauses: list[Clause] = []
    ignored: list[str] = []
    for piece in (p for run in runs for p in run):
        if piece.kind == "term":
            alternatives = ((piece.text, 1.0),)
        elif piece.kind == "prefix":
            alternatives = tuple(_expand_prefix(lexicon, piece.text))
        elif piece.kind == "fuzzy":
            alternatives = ((piece.correction, FUZZY_FACTOR),)
        else:
            continue
        if (piece.correction or piece.text) in STOP_WORDS:
            if piece.text not in ignored:
                ignored.append(piece.text)
        elif all(c.alternatives != alternatives for c in clauses):
            clauses.append(Clause(piece.text, piece.kind, alternatives))
    corrected = None
    if fixed_run or any(p.kind == "fuzzy" for run in runs for p in run):
        corrected = " ".join("".join(p.correction or p.text for p in run) for run in runs)
    unmatched = tuple(p.text for run in runs for p in run if p.kind == "unmatched")
    return QueryPlan(tuple(clauses), corrected, unmatched, tuple(ignored))
