"""Thai text normalisation and tokenisation, shared by the search index and the query path.

Search quality depends on the index and the query seeing the *same* tokens, so every
rule here has a twin in `theme/assets/javascripts/ifte-search-engine.js` (`normalise`,
`splitChunks`, `isBoundary`); `tests/browser/test_search_parity.py` checks they agree.

Pipeline, one job per stage:
`normalize` → `split_chunks` (Thai runs / other words) → `segment_run` (newmm, nlpo3)
→ `subwords` (dictionary words inside a compound, so เรียนรู้ finds การเรียนรู้)
→ words of the run's other equally short segmentations (so จับใจ|ความ finds จับ|ใจความ).
"""

from __future__ import annotations

import atexit
import hashlib
import html
import os
import pickle
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from build_tools.core.writing import write_bytes_atomic

# Characters people paste in from Word/LINE that are invisible but break matching
# (dropped), and Thai digits (folded to ASCII).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_FOLDED = {**dict.fromkeys(map(ord, _INVISIBLE)), **str.maketrans(_THAI_DIGITS, "0123456789")}
# Most texts hold none of them: one search in C instead of `str.translate`, which looks
# up every character of a Thai text in a dictionary (0.4 ms for a 4,000-character body).
_TO_FOLD = re.compile(f"[{_INVISIBLE}{_THAI_DIGITS}]")
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
    text = unicodedata.normalize("NFC", text)
    if _TO_FOLD.search(text):
        text = text.translate(_FOLDED)
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


# A Thai run, or a run of other letters and digits (`str.isalnum`, that is `[^\W_]`)
# outside the Thai block, where ฯ and ๆ count as letters.
_CHUNK = re.compile(f"({_THAI_LETTER.pattern}+)|(?:(?![\u0e00-\u0e7f])[^\\W_])+")


def split_chunks(text: str) -> list[tuple[str, bool]]:
    """Split normalised text into (chunk, is_thai) runs; spaces and punctuation separate.

    A Thai run is later segmented into words; any other run of letters/digits is one word.
    """
    return [(match[0], match[1] is not None) for match in _CHUNK.finditer(text)]


def is_boundary(run: str, i: int) -> bool:
    """May a Thai word start (or end) at position `i` of `run`?"""
    if i <= 0 or i >= len(run):
        return True
    return run[i] not in _NO_BREAK_BEFORE and run[i - 1] not in _NO_BREAK_AFTER


# A cluster: one character, then each next one that may not start a word (`is_boundary`).
_CLUSTER = re.compile(
    f"(?s:.(?:(?<=[{''.join(sorted(_NO_BREAK_AFTER))}]).|[{''.join(sorted(_NO_BREAK_BEFORE))}])*)"
)


def boundaries(run: str) -> list[int]:
    """Every position of `run` where `is_boundary` holds, in order (0 and len(run) too)."""
    bounds = [match.start() for match in _CLUSTER.finditer(run)]
    bounds.append(len(run))
    return bounds


@lru_cache(maxsize=1)
def _dictionary_folder() -> Path:
    """Where the files made from PyThaiNLP's word list are kept, for every process that
    segments: nlpo3 reads its dictionary from a file, and the word automaton loads in a
    third of the time it takes to build.

    A per-user cache folder, not the shared temporary one (another user could put a file
    there), named by the word list's content; a new temporary folder if it cannot be made.
    """
    import importlib.util

    package = importlib.util.find_spec("pythainlp")
    automaton = importlib.util.find_spec("ahocorasick")
    if package is None or not package.submodule_search_locations or automaton is None:
        raise ImportError("pythainlp and pyahocorasick are needed to segment Thai")
    try:  # the list's file, read as bytes: far quicker than importing PyThaiNLP
        words = (
            Path(package.submodule_search_locations[0]) / "corpus" / "words_th.txt"
        ).read_bytes()
    except OSError:  # laid out otherwise by another version of PyThaiNLP
        words = "\n".join(sorted(_dictionary())).encode()
    # The automaton's file format is its library's: a reinstalled library makes it again.
    made_by = f"{automaton.origin}\0{Path(str(automaton.origin)).stat().st_size}"
    name = hashlib.sha256(words + made_by.encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "ifte" / f"thai-words-{name}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder
    except OSError:  # this process's own, removed when it ends (processes forked share it)
        folder = Path(tempfile.mkdtemp(prefix="ifte-thai-words-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return folder


def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words  # bundled with the wheel: works offline

    return thai_words()


@lru_cache(maxsize=1)
def _automaton():
    """An Aho-Corasick automaton of the dictionary words `_words_on_best_segmentations`
    uses (2 to `MAX_TOKEN_CHARS` characters): one pass over a run finds all of them, about
    three times faster than looking up each piece in a set of word prefixes."""
    import ahocorasick

    path = _dictionary_folder() / "words.automaton"
    try:
        return ahocorasick.load(str(path), pickle.loads)
    except (OSError, ValueError, EOFError):  # not made yet, or unreadable: make it again
        pass
    automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
    for word in _dictionary():
        if _MIN_SUBWORD_CHARS <= len(word) <= MAX_TOKEN_CHARS:
            automaton.add_word(word)
    automaton.make_automaton()
    # Saved under a temporary name, then renamed: processes segmenting at once may race.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        automaton.save(str(temporary))  # lengths only: nothing pickled
        os.replace(temporary, path)
    except OSError:
        pass  # kept in memory only
    finally:
        temporary.unlink(missing_ok=True)
    return automaton


@lru_cache(maxsize=1)
def _segmenter() -> str:
    """nlpo3's name for PyThaiNLP's word list, loaded once per process from a file kept in
    `_dictionary_folder` (written once, atomically)."""
    import nlpo3

    path = _dictionary_folder() / "words.txt"
    if not path.exists():
        write_bytes_atomic(path, "\n".join(sorted(_dictionary())).encode())
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
    # A cost (unknown clusters, words) is packed into one int, unknown·(n+1) + words:
    # a text has at most n words, so the ints order like the pairs (and add like them).
    unknown, word = n + 1, 1
    bounds = boundaries(text)
    at_bound = set(bounds)
    # (start, end, cost), sorted by start: dictionary words from bound to bound...
    edges = [
        (end + 1 - length, end + 1, word)
        for end, length in _automaton().iter(text)
        if end + 1 in at_bound and end + 1 - length in at_bound and length != n
    ]
    if allow_unknown:  # ...and each cluster as an unknown piece
        edges.extend((i, j, unknown) for i, j in pairwise(bounds))
    edges.sort()
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


# Words that begin a compound (การ + งานอาชีพ, ความ + รู้): a line never breaks after them.
_BOUND_PREFIXES = frozenset({"การ", "ความ", "นัก", "ผู้", "ชาว"})
_THAI_RUN = re.compile("[\u0e01-\u0e4e]+")


def format_word_breaks(text: str) -> str:
    """`text` as HTML (escaped), each Thai word from our segmentation in a
    `<span class="ifte-w">` (CSS: no wrap inside) with a `<wbr>` between words: a title
    breaks only between words, never inside one ("บูรณ|าการ"). Short pieces (a loanword's syllable: สะ|เต็ม) and
    compound prefixes stay with the word after them."""
    pieces: list[str] = []
    last = 0
    for match in _THAI_RUN.finditer(text):
        pieces.append(html.escape(text[last : match.start()]))
        words: list[str] = []
        joined = False
        for word in segment_run(match.group()):
            if words and joined:
                words[-1] += word
            else:
                words.append(word)
            joined = len(word) <= 2 or word in _BOUND_PREFIXES
        # A word in a no-wrap box: Chromium's own Thai breaking ignores keep-all.
        pieces.append("<wbr>".join(f'<span class="ifte-w">{html.escape(w)}</span>' for w in words))
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return "".join(pieces)
