"""Thai text normalisation and tokenisation, shared by the search index and the query path.

Search quality depends on the index and the query seeing the *same* tokens, so every
rule here has a twin in `theme/assets/javascripts/ifte-search-engine.js` (`normalise`,
`splitChunks`, `isBoundary`); `tests/browser/test_search_parity.py` checks they agree.

Pipeline, one job per stage (like a Whoosh analyzer):
`normalize` → `split_chunks` (Thai runs / other words) → `segment_run` (newmm, nlpo3)
→ `subwords` (dictionary words inside a compound, so เรียนรู้ finds การเรียนรู้)
→ words of the run's other equally short segmentations (so จับใจ|ความ finds จับ|ใจความ).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from build_tools.writing import write_bytes_atomic

# Characters people paste in from Word/LINE that are invisible but break matching.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Upper and lower vowels (and mai han-akat, phinthu) that sit on a consonant.
_ABOVE_BELOW = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
_TONES = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"  # four tone marks + thanthakhat
# A tone typed before its vowel (ก่ิ) renders like the canonical order (กิ่) but compares unequal.
_TONE_BEFORE_VOWEL = re.compile(f"([{_TONES}])([{_ABOVE_BELOW}])")
# Repeated identical combining marks (ก่่) come from sticky keys and render as one mark.
_DOUBLED_MARK = re.compile(f"([{_ABOVE_BELOW}{_TONES}\u0e4d])\\1+")

# Letters and marks that make up Thai words. Excluded on purpose: ฯ (abbreviation mark),
# ๆ (repetition mark), ๏ ๚ ๛ (punctuation) act as separators, and Thai digits have
# been folded to ASCII by `normalize`.
_THAI_LETTER = re.compile("[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]")
# A cluster may not start with a following vowel or a combining mark...
_NO_BREAK_BEFORE = frozenset(
    "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45"
    + "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
)
# ...nor end right after a leading vowel, which belongs to the consonant that follows it.
_NO_BREAK_AFTER = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")

# Index tokens longer than this are dropped: they are URLs, runs of digits or garbage,
# and the browser's query segmenter never looks further ahead than this.
MAX_TOKEN_CHARS = 30
# Dictionary words this short carry no meaning as parts of a compound (ก, ฆ).
_MIN_SUBWORD_CHARS = 2
# Shorter words are one or two syllables: splitting them again yields debris (ประถม → ถม).
_MIN_COMPOUND_CHARS = 6


def normalize_display(text: str) -> str:
    """Fix Thai encoding variants that look identical on screen but compare unequal.

    Keeps letter case, so the result can be shown to people (snippets).
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_THAI_DIGITS)
    # Sara am typed as nikhahit + sara aa (ํา), possibly with a tone mark in between.
    text = re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", text)
    text = _TONE_BEFORE_VOWEL.sub("\\2\\1", text)
    text = _DOUBLED_MARK.sub("\\1", text)
    # Two sara e (เเ) typed for sara ae (แ): a common habit that defeats every search.
    return text.replace("\u0e40\u0e40", "\u0e41")


def normalize(text: str) -> str:
    """`normalize_display` plus lower case: the form both index and queries are compared in."""
    return normalize_display(text).lower()


def is_thai_letter(char: str) -> bool:
    return bool(_THAI_LETTER.match(char))


def split_chunks(text: str) -> list[tuple[str, bool]]:
    """Split normalised text into (chunk, is_thai) runs; spaces and punctuation separate.

    A Thai run is later segmented into words; any other run of letters/digits is one word.
    """
    chunks: list[tuple[str, bool]] = []
    start, kind = 0, None
    for i, char in enumerate(text):
        if is_thai_letter(char):
            char_kind = "thai"
        elif char.isalnum() and not "\u0e00" <= char <= "\u0e7f":  # ฯ ๆ are "letters" too
            char_kind = "word"
        else:
            char_kind = None
        if char_kind != kind:
            if kind is not None:
                chunks.append((text[start:i], kind == "thai"))
            start, kind = i, char_kind
    if kind is not None:
        chunks.append((text[start:], kind == "thai"))
    return chunks


def is_boundary(run: str, i: int) -> bool:
    """May a Thai word start (or end) at position `i` of `run`?"""
    if i <= 0 or i >= len(run):
        return True
    return run[i] not in _NO_BREAK_BEFORE and run[i - 1] not in _NO_BREAK_AFTER


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words  # bundled with the wheel: works offline

    return thai_words()


@lru_cache(maxsize=1)
def _word_prefixes() -> frozenset[str]:
    """Every dictionary word and each of its beginnings: a text that is not in here
    starts no dictionary word, so the segmentation search stops extending it."""
    return frozenset(word[:k] for word in _dictionary() for k in range(1, len(word) + 1))


@lru_cache(maxsize=1)
def _segmenter() -> str:
    """nlpo3's name for PyThaiNLP's word list, loaded once per process.

    nlpo3 reads its dictionary from a file, so the list is written once to the temporary
    folder (named by its content, written atomically: worker processes may race)."""
    import nlpo3

    words = "\n".join(sorted(_dictionary())).encode()
    path = Path(tempfile.gettempdir()) / f"ifte-words-{hashlib.sha256(words).hexdigest()[:16]}.txt"
    if not path.exists():
        write_bytes_atomic(path, words)
    nlpo3.load_dict(str(path), "ifte")
    return "ifte"


# Runs repeat (set phrases, headings), but most are unique sentences: a bounded cache
# keeps the common ones without growing each worker process by hundreds of megabytes.
@lru_cache(maxsize=50_000)
def segment_run(run: str) -> tuple[str, ...]:
    """Segment one Thai run with newmm (dictionary maximal matching) over PyThaiNLP's
    dictionary, through nlpo3, PyThaiNLP's Rust port of it: the same words, eight times
    faster, and no dictionary trie to build in Python (a second per process).

    Cached per run: Thai puts spaces between phrases, and phrases repeat across entries.
    """
    import nlpo3

    return tuple(token for token in nlpo3.segment(run, _segmenter()) if not token.isspace())


@lru_cache(maxsize=200_000)
def subwords(token: str) -> tuple[str, ...]:
    """Dictionary words inside a compound token, so that an inner word finds the compound.

    Takes every word on a *shortest* segmentation of the token into dictionary words
    (other than the token itself), then the same inside those words, recursively:
    การเรียนรู้ → การ, การเรียน, เรียนรู้, รู้, เรียน. Shortest segmentations only, and
    only for tokens of `_MIN_COMPOUND_CHARS` or more, keep out syllable debris
    (กิจกรรม gives กิจ, กรรม but not กร, รม).
    """
    if len(token) < _MIN_COMPOUND_CHARS or not is_thai_letter(token[0]):
        return ()
    found: dict[str, None] = {}
    for word in _words_on_best_segmentations(token, allow_unknown=False):
        found[word] = None
        found.update(dict.fromkeys(subwords(word)))
    found.pop(token, None)
    return tuple(found)


def _words_on_best_segmentations(text: str, allow_unknown: bool) -> list[str]:
    """Dictionary words lying on any best segmentation of `text` (other than `text` itself).

    Best = fewest unknown clusters, then fewest words. Without `allow_unknown` the text
    must split completely into dictionary words, or nothing is returned.
    """
    n = len(text)
    words, prefixes = _dictionary(), _word_prefixes()
    # A cost (unknown clusters, words) is packed into one int, unknown·(n+1) + words:
    # a text has at most n words, so the ints order like the pairs (and add like them).
    unknown, word = n + 1, 1
    bounds = [i for i in range(n + 1) if is_boundary(text, i)]
    edges: list[tuple[int, int, int]] = []  # (start, end, cost), sorted by start
    for k, i in enumerate(bounds[:-1]):
        if allow_unknown:
            edges.append((i, bounds[k + 1], unknown))
        for j in bounds[k + 1 :]:
            piece = text[i:j]
            if j - i > MAX_TOKEN_CHARS or piece not in prefixes:
                break
            if j - i >= _MIN_SUBWORD_CHARS and (i, j) != (0, n) and piece in words:
                edges.append((i, j, word))
    worst = (n + 1) * (n + 2)  # more than any real cost
    from_start = [worst] * (n + 1)  # best cost of text[:i]
    from_start[0] = 0
    for i, j, cost in edges:  # every edge into i comes before the edges out of i
        if from_start[i] + cost < from_start[j]:
            from_start[j] = from_start[i] + cost
    best = from_start[n]
    if best >= worst:
        return []
    to_end = [worst] * (n + 1)  # best cost of text[j:]
    to_end[n] = 0
    for i, j, cost in reversed(edges):
        if cost + to_end[j] < to_end[i]:
            to_end[i] = cost + to_end[j]
    return [
        text[i:j]
        for i, j, cost in edges
        if cost == word and from_start[i] + word + to_end[j] == best
    ]


@lru_cache(maxsize=50_000)
def _run_index_tokens(run: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for token in segment_run(run):
        if len(token) <= MAX_TOKEN_CHARS:
            tokens.append(token)
            tokens.extend(subwords(token))
    # Words of the run's other best segmentations: newmm cuts จับใจความ as จับ|ใจความ, but a
    # query may be cut as จับใจ|ความ (as short); indexing both makes either one match.
    seen = set(tokens)
    tokens.extend(w for w in _words_on_best_segmentations(run, True) if w not in seen)
    return tuple(tokens)


def tokenize(text: str) -> list[str]:
    """Words of `text` in order: normalised, Thai runs segmented with newmm, no subwords."""
    tokens: list[str] = []
    for chunk, is_thai in split_chunks(normalize(text)):
        tokens.extend(segment_run(chunk) if is_thai else (chunk,))
    return [token for token in tokens if len(token) <= MAX_TOKEN_CHARS]


def iter_index_tokens(text: str) -> Iterator[str]:
    """The tokens the search index stores for `text`: each word, then its subwords, then
    the words of other equally good segmentations of its Thai run."""
    for chunk, is_thai in split_chunks(normalize(text)):
        if is_thai:
            yield from _run_index_tokens(chunk)
        elif len(chunk) <= MAX_TOKEN_CHARS:
            yield chunk
