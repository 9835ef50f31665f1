"""Thai normalisation and tokenisation shared by the search index and queries."""

from __future__ import annotations

import functools
import random
import shutil
from pathlib import Path

import pytest

from build_tools.core import thai


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("น\u0e4d\u0e32", "น\u0e33"),  # sara am typed as nikhahit + sara aa
        ("น\u0e4d\u0e49\u0e32", "น\u0e49\u0e33"),  # ... with the tone mark in between
        ("ก\u0e48\u0e34ง", "ก\u0e34\u0e48ง"),  # tone typed before the upper vowel
        ("ก\u0e34\u0e48\u0e48ง", "ก\u0e34\u0e48ง"),  # doubled tone mark
        ("\u0e40\u0e40ม่", "\u0e41ม่"),  # two sara e for sara ae
        ("การ\u200bเรียน", "การเรียน"),  # zero-width space from a word processor
        ("พ.ศ. ๒๕๖๗", "พ.ศ. 2567"),  # Thai digits
        # every invisible character, among Thai digits
        ("\ufeffพ.ศ.\u00ad ๒๕\u200d๖๗\u2060 ครั้ง\u200cที่ ๑\u200b", "พ.ศ. 2567 ครั้งที่ 1"),
    ],
)
def test_normalize_display_folds_variants_that_look_identical(typed, expected):
    assert thai.normalize_display(typed) == expected


def test_normalize_lowercases_but_display_form_keeps_case():
    assert thai.normalize("STEM ศึกษา") == "stem ศึกษา"
    assert thai.normalize_display("STEM ศึกษา") == "STEM ศึกษา"


def test_split_chunks_separates_thai_runs_from_other_words():
    chunks = thai.split_chunks(thai.normalize("ชุดกิจกรรม STEM-Education ป.4 ฯลฯ ดีๆ"))
    assert chunks == [
        ("ชุดกิจกรรม", True),
        ("stem", False),
        ("education", False),
        ("ป", True),
        ("4", False),
        ("ล", True),  # ฯ and ๆ are separators, not letters
        ("ดี", True),
    ]


@pytest.mark.parametrize(
    ("run", "position", "allowed"),
    [
        ("กา", 1, False),  # before a following vowel
        ("เก", 1, False),  # after a leading vowel
        ("กิ่ง", 1, False),  # before an upper vowel
        ("กิ่ง", 3, True),
        ("ไม้", 1, False),
        ("ใจความ", 2, True),
    ],
)
def test_is_boundary_keeps_vowels_and_marks_with_their_consonant(run, position, allowed):
    assert thai.is_boundary(run, position) is allowed


def test_tokenize_segments_thai_with_newmm_and_keeps_latin_words():
    assert thai.tokenize("จับใจความ STEM") == ["จับ", "ใจความ", "stem"]


@pytest.mark.parametrize(
    ("compound", "inner"),
    [
        ("การเรียนรู้", "เรียนรู้"),
        ("การเรียนรู้", "เรียน"),  # found recursively inside เรียนรู้
        ("ทางการเงิน", "การเงิน"),
        ("ขนาดเล็ก", "เล็ก"),
        ("คณิตศาสตร์", "ศาสตร์"),
    ],
)
def test_subwords_finds_dictionary_words_inside_a_compound(compound, inner):
    assert inner in thai.subwords(compound)


def test_subwords_skips_syllable_debris_and_short_words():
    assert thai.subwords("กิจกรรม") == ("กิจ", "กรรม")  # not กร, รม
    assert thai.subwords("ใจ") == ()
    assert thai.subwords("stem") == ()


def test_index_tokens_follow_each_word_with_its_subwords():
    assert list(thai.iter_index_tokens("ขนาดเล็ก")) == ["ขนาดเล็ก", "ขนาด", "เล็ก"]


def test_overlong_tokens_are_not_indexed():
    assert thai.tokenize("a" * (thai.MAX_TOKEN_CHARS + 1) + " ok") == ["ok"]


def _split_chunks_by_character(text):
    """`split_chunks` as first written, one character at a time: the reference."""
    chunks, start, kind = [], 0, None
    for i, char in enumerate(text):
        if thai.is_thai_letter(char):
            char_kind = "thai"
        elif char.isalnum() and not "\u0e00" <= char <= "\u0e7f":
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


def _random_texts(count, alphabet, longest, seed):
    rnd = random.Random(seed)
    return ["".join(rnd.choices(alphabet, k=rnd.randint(0, longest))) for _ in range(count)]


# Every Thai code point, and letters, digits, marks and punctuation of other scripts.
_ALPHABET = [chr(c) for c in range(0x0E00, 0x0E80)] + list(
    "aZ09_ -.\n\u00e9\u00b2\u00bd\u0661\u200b"
)


def test_split_chunks_matches_the_character_by_character_rule():
    for text in _random_texts(20_000, _ALPHABET, 12, seed=1):
        assert thai.split_chunks(text) == _split_chunks_by_character(text), text


def test_boundaries_are_the_positions_is_boundary_allows():
    for text in _random_texts(20_000, _ALPHABET, 12, seed=2):
        assert thai.boundaries(text) == [
            i for i in range(len(text) + 1) if thai.is_boundary(text, i)
        ], text


@functools.lru_cache(maxsize=1)
def _prefixes():
    return {word[:k] for word in thai._dictionary() for k in range(1, len(word) + 1)}


def _best_segmentation_words_by_prefixes(text, allow_unknown):
    """`_words_on_best_segmentations` as first written (each piece looked up in a set of
    word prefixes, no automaton): the reference the automaton must agree with."""
    words, prefixes = thai._dictionary(), _prefixes()
    n = len(text)
    unknown, word = n + 1, 1
    bounds = [i for i in range(n + 1) if thai.is_boundary(text, i)]
    edges = []
    for k, i in enumerate(bounds[:-1]):
        if allow_unknown:
            edges.append((i, bounds[k + 1], unknown))
        for j in bounds[k + 1 :]:
            piece = text[i:j]
            if j - i > thai.MAX_TOKEN_CHARS or piece not in prefixes:
                break
            if j - i >= 2 and (i, j) != (0, n) and piece in words:
                edges.append((i, j, word))
    worst = (n + 1) * (n + 2)
    from_start = [0] + [worst] * n
    for i, j, cost in edges:
        from_start[j] = min(from_start[j], from_start[i] + cost)
    if from_start[n] >= worst:
        return []
    to_end = [worst] * n + [0]
    for i, j, cost in reversed(edges):
        to_end[i] = min(to_end[i], cost + to_end[j])
    return [
        text[i:j]
        for i, j, cost in edges
        if cost == word and from_start[i] + word + to_end[j] == from_start[n]
    ]


def test_words_on_best_segmentations_agree_with_looking_up_every_piece(monkeypatch):
    reference = functools.lru_cache(maxsize=None)(thai._dictionary)
    monkeypatch.setattr(thai, "_dictionary", reference)  # the reference reads it often
    rnd = random.Random(3)
    words = sorted(reference())
    for _ in range(300):
        text = "".join(rnd.choices(words, k=rnd.randint(1, 4)))
        if rnd.random() < 0.3:  # a stray character: unknown clusters
            at = rnd.randint(0, len(text))
            text = text[:at] + rnd.choice(_ALPHABET[:90]) + text[at:]
        for allow_unknown in (True, False):
            expected = _best_segmentation_words_by_prefixes(text, allow_unknown)
            assert thai._words_on_best_segmentations(text, allow_unknown) == expected, text
    # Both two-word cuts of จับใจความ, not the three-word one through ใจ.
    assert thai._words_on_best_segmentations("จับใจความ", True) == ["จับ", "จับใจ", "ใจความ", "ความ"]


@pytest.fixture
def fresh_dictionary_files(tmp_path, monkeypatch):
    """The dictionary's files made again under a cache folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cached = (thai._dictionary_folder, thai._automaton, thai._segmenter)
    for function in cached:
        function.cache_clear()
    yield tmp_path / "cache"
    for function in cached:
        function.cache_clear()


def test_dictionary_files_are_made_once_then_read_without_the_word_list(
    fresh_dictionary_files, monkeypatch
):
    assert thai._words_on_best_segmentations("จับใจความ", True)
    folder = thai._dictionary_folder()
    assert folder.parent == fresh_dictionary_files / "ifte"
    assert {path.name for path in folder.iterdir()} == {"words.automaton"}
    thai._segmenter()
    assert sorted(path.name for path in folder.iterdir()) == ["words.automaton", "words.txt"]

    # Another process (the caches cleared) reads the files: the word list is not read.
    thai._automaton.cache_clear()
    monkeypatch.setattr(thai, "_dictionary", lambda: pytest.fail("word list read again"))
    assert thai._words_on_best_segmentations("จับใจความ", True)


def test_an_unreadable_automaton_file_is_made_again(fresh_dictionary_files):
    thai._automaton()
    path = thai._dictionary_folder() / "words.automaton"
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[: size // 3])  # cut short, as by a full disk
    thai._automaton.cache_clear()
    assert thai._words_on_best_segmentations("ขนาดเล็ก", False) == ["ขนาด", "เล็ก"]
    assert path.stat().st_size == size
    assert [p.name for p in path.parent.iterdir()] == ["words.automaton"]  # no leftovers


def test_a_cache_folder_that_cannot_be_made_falls_back_to_a_temporary_one(
    fresh_dictionary_files,
):
    fresh_dictionary_files.write_text("a file where the folder should be")
    folder = thai._dictionary_folder()
    try:
        assert fresh_dictionary_files not in folder.parents
        assert thai._words_on_best_segmentations("ขนาดเล็ก", False) == ["ขนาด", "เล็ก"]
        assert (folder / "words.automaton").exists()
    finally:
        shutil.rmtree(folder)


def test_a_temporary_dictionary_folder_goes_with_its_process(tmp_path):
    import os
    import subprocess
    import sys

    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the folder should be")
    code = (
        "from build_tools.core import thai; print(thai._dictionary_folder()); "
        "assert thai._words_on_best_segmentations('ขนาดเล็ก', False)"
    )
    environment = {**os.environ, "XDG_CACHE_HOME": str(not_a_folder)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.strip())
    assert folder.name.startswith("ifte-thai-words-") and not folder.exists()
