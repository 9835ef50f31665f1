"""Thai normalisation and tokenisation shared by the search index and queries."""

from __future__ import annotations

import pytest

from build_tools import thai


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
