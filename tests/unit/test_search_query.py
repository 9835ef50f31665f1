"""Query planning: maximal matching against the index vocabulary, prefixes, typos."""

from __future__ import annotations

import bisect

import pytest

from build_tools.search.query import STOP_WORDS, plan_query
from build_tools.search.ranking import FUZZY_FACTOR, PREFIX_FACTOR
from build_tools.search.suggestions import PhraseList
from build_tools.search.typos import prefix_typo_cost, typo_cost


class FakeLexicon:
    def __init__(self, frequencies: dict[str, int]) -> None:
        self.frequencies = frequencies
        self.terms = sorted(frequencies)

    def document_frequency(self, term: str) -> int:
        return self.frequencies.get(term, 0)

    def terms_with_prefix(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self.terms, prefix)
        found = []
        for term in self.terms[start:]:
            if not term.startswith(prefix):
                break
            found.append(term)
        return found


LEXICON = FakeLexicon(
    {
        "การ": 50,
        "การเรียนรู้": 30,
        "เรียนรู้": 30,
        "เรียน": 40,
        "รู้": 45,
        "จับ": 5,
        "ใจความ": 4,
        "ใจ": 9,
        "ความ": 60,
        "ฉลาด": 3,
        "ทางการเงิน": 2,
        "คณิตศาสตร์": 7,
        "คณิต": 7,
        "ศาสตร์": 8,
        "ขนาดเล็ก": 6,
        "ขนาด": 6,
        "เล็ก": 6,
        "stem": 4,
        "steam": 1,
        "scratch": 2,
        "ทาง": 20,
        "โคก": 5,
        "สำ": 20,
        "สำโรง": 3,
        "โล": 9,
        "ง": 30,
        "อ่าน": 12,
        "งาน": 20,
        "การงาน": 7,
        "สะ": 2,
        "เต": 9,
        "เต็ม": 3,
        "ม": 30,
    }
)
PHRASES = PhraseList({"โคกสำโรง": 3, "การอ่าน": 1, "สะเต็มศึกษา": 2, "โคกเจริญ": 2})


def clause_terms(plan):
    return [[term for term, _ in clause.alternatives] for clause in plan.clauses]


def test_a_compound_in_the_vocabulary_stays_one_token():
    plan = plan_query("การเรียนรู้", LEXICON, prefix=False)
    assert clause_terms(plan) == [["การเรียนรู้"]]


def test_a_run_is_cut_into_fewest_index_terms():
    plan = plan_query("ความฉลาดรู้ทางการเงิน", LEXICON, prefix=False)
    assert clause_terms(plan) == [["ฉลาด"], ["รู้"], ["ทางการเงิน"]]
    assert plan.ignored == ("ความ",)


def test_function_words_alone_make_no_clause():
    plan = plan_query("การ", LEXICON, prefix=False)
    assert plan.clauses == ()
    assert plan.ignored == ("การ",)
    assert {"การ", "ของ", "และ", "ที่", "ใน"} <= STOP_WORDS


def test_a_misspelt_place_is_corrected_to_the_vocabulary_phrase():
    plan = plan_query("โคกสำโลง", LEXICON, phrases=PHRASES)
    assert plan.corrected == "โคกสำโรง"
    assert clause_terms(plan)[0] == ["โคก"]


def test_a_missing_tone_mark_prefers_the_phrase_over_a_more_frequent_word():
    plan = plan_query("การอาน", LEXICON, prefix=False, phrases=PHRASES)
    assert plan.corrected == "การอ่าน"
    assert clause_terms(plan) == [["อ่าน"]]


def test_a_missing_vowel_at_the_open_end_corrects_to_the_start_of_a_phrase():
    plan = plan_query("สะเตม", LEXICON, phrases=PHRASES)
    assert plan.corrected == "สะเต็ม"


def test_searching_as_typed_corrects_nothing():
    plan = plan_query("โคกสำโลง", LEXICON, phrases=PHRASES, correct=False)
    assert plan.corrected is None
    assert plan_query("คณิตศาตร์", LEXICON, correct=False).unmatched == ("ศาตร์",)


def test_a_run_holding_a_strong_word_is_not_replaced_whole():
    plan = plan_query("โคกเรียน", LEXICON, prefix=False, phrases=PHRASES)
    assert plan.corrected is None


def test_the_last_word_also_matches_longer_terms_as_you_type():
    plan = plan_query("การเรีย", LEXICON)
    assert plan.clauses[0].kind == "prefix"
    assert clause_terms(plan) == [["การเรียนรู้"]]
    assert plan.clauses[0].alternatives[0][1] == PREFIX_FACTOR


def test_an_exact_last_word_keeps_full_weight_and_adds_expansions_by_frequency():
    plan = plan_query("เรียน", LEXICON)
    assert plan.clauses[0].alternatives == (("เรียน", 1.0), ("เรียนรู้", PREFIX_FACTOR))


def test_a_trailing_space_turns_prefix_matching_off():
    plan = plan_query("เรียน ", LEXICON)
    assert clause_terms(plan) == [["เรียน"]]


def test_a_thai_typo_is_corrected_to_the_nearest_frequent_term():
    plan = plan_query("คณิตศาตร์", LEXICON)
    assert clause_terms(plan) == [["คณิตศาสตร์"]]
    assert plan.clauses[0].alternatives[0][1] == FUZZY_FACTOR
    assert plan.corrected == "คณิตศาสตร์"


def test_a_typo_inside_a_longer_query_is_corrected_with_its_neighbours():
    plan = plan_query("การเรียนรู้คณิตศาตร์", LEXICON, prefix=False)
    assert clause_terms(plan) == [["การเรียนรู้"], ["คณิตศาสตร์"]]
    assert plan.corrected == "การเรียนรู้คณิตศาสตร์"


def test_a_latin_typo_is_corrected():
    plan = plan_query("scrach", LEXICON, prefix=False)
    assert clause_terms(plan) == [["scratch"]]
    assert plan.corrected == "scratch"


def test_short_unknown_words_are_not_guessed_at():
    plan = plan_query("ทาน", LEXICON, prefix=False)  # would be ทาง, one edit away
    assert plan.clauses == ()
    assert plan.unmatched == ("ทาน",)
    assert plan.corrected is None


def test_mixed_thai_and_english_words_become_separate_clauses():
    plan = plan_query("STEM ขนาดเล็ก", LEXICON, prefix=False)
    assert clause_terms(plan) == [["stem"], ["ขนาดเล็ก"]]


def test_repeated_words_count_once():
    assert len(plan_query("เรียน เรียน", LEXICON, prefix=False).clauses) == 1


@pytest.mark.parametrize(
    ("typed", "word", "cost"),
    [
        ("การอาน", "การอ่าน", 0.25),  # missing tone mark
        ("ภาษาองกฤษ", "ภาษาอังกฤษ", 0.25),  # missing above vowel
        ("กิน", "กีน", 0.25),  # wrong vowel mark
        ("โคกสำโลง", "โคกสำโรง", 0.5),  # ล/ร
        ("ศึกษา", "สึกษา", 0.5),  # ศ/ส
        ("นิเทด", "นิเทศ", 0.75),  # sound alike as a final
        ("การอาน", "การงาน", 1.0),  # another letter
        ("stme", "stem", 0.5),  # transposition
        ("steam", "stem", 1.0),
    ],
)
def test_thai_typing_costs(typed, word, cost):
    assert typo_cost(typed, word) == cost
    assert typo_cost(word, typed) == cost


def test_the_prefix_cost_ends_where_a_thai_word_may_end():
    assert prefix_typo_cost("สะเตม", "สะเต็มศึกษา") == (0.25, 6)
