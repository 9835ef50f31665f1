"""The Python query path (`ifte search`) over the search pack of a small corpus."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from build_tools.core import workers
from build_tools.core.cache import store_folder
from build_tools.core.vocabularies import load_vocabularies
from build_tools.search import analysed as search_analysed
from build_tools.search import open_searcher
from build_tools.search import pack as search_pack
from build_tools.search.pack import PACK_FILE, SearchPack
from tests.conftest import REPO_ROOT
from tests.search_factory import CORPUS, make_entry

VOCABULARIES = load_vocabularies(REPO_ROOT / "vocabularies.yml")
# As entries read from files are: with a content hash, so the pack can patch them.
HASHED = tuple(dataclasses.replace(e, content_hash=f"file-{i}") for i, e in enumerate(CORPUS))


@pytest.fixture(scope="module")
def searcher():
    with open_searcher(CORPUS, VOCABULARIES) as searcher:
        yield searcher


def top_ids(searcher, query, **options):
    return [hit.id for hit in searcher.search(query, **options).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("เรียนรู้", "2566/active-learning"),  # inside การเรียนรู้
        ("ใจความ", "2567/reading-kit"),  # inside จับใจความ
        ("ฉลาดรู้", "2565/finance-market"),  # inside ความฉลาดรู้ทางการเงิน
        ("ขนาดเล็ก", "2566/small-school"),
        ("ทานตะว", "2564/stem-sunflower"),  # prefix, as typed
        ("คณิตศาตร์", "2565/finance-market"),  # one typo
        ("stem ปฐมวัย", "2564/stem-sunflower"),  # mixed Thai and English
        ("โคกสำโรง", "2567/reading-kit"),  # district label, indexed from its code
        ("sunflowers", "2564/stem-sunflower"),  # English title
    ],
)
def test_search_finds_the_entry(searcher, query, expected):
    assert top_ids(searcher, query)[0] == expected


def test_entries_matching_every_word_rank_first(searcher):
    ids = top_ids(searcher, "ขนาดเล็ก บ้านหมี่")
    assert ids[0] == "2566/small-school"


def test_a_title_match_outranks_a_body_match(searcher):
    ids = top_ids(searcher, "ขนาดเล็ก")  # small-school: title; stem-sunflower: body only
    assert ids.index("2566/small-school") < ids.index("2564/stem-sunflower")


def test_filters_keep_only_entries_with_the_facet_code(searcher):
    found = top_ids(searcher, "โรงเรียน", filters={"district": "ban-mi"})
    assert sorted(found) == ["2565/finance-market", "2566/small-school"]
    assert top_ids(searcher, "ขนาดเล็ก", filters={"year": "2567"}) == []


def test_results_carry_the_display_record_and_matched_terms(searcher):
    hit = searcher.search("ใจความ").hits[0]
    assert hit.url == "innovations/2567/reading-kit/"
    assert hit.record["d"] == "โคกสำโรง"
    assert "ใจความ" in hit.matched


def test_nothing_matches_nonsense(searcher):
    results = searcher.search("ซซซซซซ")
    assert results.total == 0 and results.hits == ()


def test_the_pack_in_the_cache_follows_edits_and_removals(tmp_path):
    with open_searcher(HASHED, VOCABULARIES, tmp_path) as searcher:
        assert searcher.document_count == len(CORPUS)
    changed = dataclasses.replace(HASHED[0], title="ชุดฝึกอ่านนิทานพื้นบ้าน", content_hash="new")
    with open_searcher((changed, *HASHED[1:4]), VOCABULARIES, tmp_path) as searcher:
        assert searcher.document_count == 4
        assert top_ids(searcher, "นิทาน") == ["2567/reading-kit"]
        assert top_ids(searcher, "บริหาร") == []


def test_a_fresh_clone_gets_its_pack_made_in_the_cache(tmp_path):
    assert not any(tmp_path.iterdir())
    with open_searcher(HASHED, VOCABULARIES, tmp_path) as searcher:
        assert top_ids(searcher, "ใจความ")[0] == "2567/reading-kit"
    assert (store_folder(tmp_path) / PACK_FILE).is_file()


def test_markup_in_a_title_is_indexed_as_text():
    hostile = make_entry("hostile", "<img src=x onerror=alert(1)> ชุดฝึก")
    with open_searcher([hostile]) as searcher:
        assert searcher.search("ชุดฝึก").hits[0].title == "<img src=x onerror=alert(1)> ชุดฝึก"


def test_terms_with_a_prefix_are_those_of_the_whole_list(searcher):
    terms = searcher.terms
    assert terms == sorted(terms) and len(terms) > 50
    for prefix in ("ก", "การ", "ใจ", "s", "st", "zz", "ซซซ"):
        assert searcher.terms_with_prefix(prefix) == [t for t in terms if t.startswith(prefix)]


def test_parallel_analysis_makes_the_same_pack(monkeypatch):
    with open_searcher(CORPUS, VOCABULARIES) as one:
        monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
        with open_searcher(CORPUS, VOCABULARIES) as other:
            assert one.terms == other.terms
            assert all(one.postings(t) == other.postings(t) for t in one.terms)


def test_unchanged_files_are_recognised_without_rendering_their_documents(tmp_path, monkeypatch):
    open_searcher(HASHED, VOCABULARIES, tmp_path).close()

    def refuse(*args):
        raise AssertionError("an unchanged entry was rendered again")

    with monkeypatch.context() as patch:
        patch.setattr(search_analysed, "plan_document", refuse)
        open_searcher(HASHED, VOCABULARIES, tmp_path).close()

    edited = dataclasses.replace(HASHED[0], title="ชุดฝึกอ่านนิทานพื้นบ้าน", content_hash="file-0b")
    with open_searcher([edited, *HASHED[1:]], VOCABULARIES, tmp_path) as searcher:
        number = searcher.pack.ids().index(edited.id)  # documents are numbered oldest first
        assert searcher.pack.change.numbers == {number} and not searcher.pack.change.rebuilt
        assert top_ids(searcher, "นิทาน")[0] == edited.id


def test_an_update_beside_another_process_waits_for_it(tmp_path, monkeypatch):
    """`ifte search` and a build update the same pack. While one update has read the pack
    and is analysing, another process cannot begin its own from the same reading (it
    would renumber numbers already renumbered): it waits, here refused at once."""
    path = tmp_path / PACK_FILE
    first = SearchPack(path)
    first.update(HASHED[1:], VOCABULARIES, None)
    second = SearchPack(path)
    second._db.execute("PRAGMA busy_timeout = 0")  # refuse instead of waiting
    tried, refused = [], []
    analyse = search_pack.analyse_entries

    def analyse_while_another_updates(*args, **options):
        if not tried:  # once: the other update analyses through here too
            tried.append(True)
            try:
                second.update(HASHED, VOCABULARIES, None)  # an entry added: renumbered
            except sqlite3.OperationalError:
                refused.append(True)
        return analyse(*args, **options)

    monkeypatch.setattr(search_pack, "analyse_entries", analyse_while_another_updates)
    first.update(HASHED, VOCABULARIES, None)
    monkeypatch.undo()
    second.update(HASHED, VOCABULARIES, None)
    fresh = SearchPack(None)
    fresh.sync(HASHED, VOCABULARIES, None)
    assert refused
    assert list(second.iter_postings()) == list(fresh.iter_postings())
    assert second.average_lengths() == fresh.average_lengths()
    for pack in (first, second, fresh):
        pack.close()
