"""The Whoosh index and the Python query path (`ifte search`) over a small corpus."""

from __future__ import annotations

import dataclasses
import json

import pytest

from build_tools import workers
from build_tools.errors import IfteError
from build_tools.search import analysed as search_analysed
from build_tools.search import build_index, open_searcher
from build_tools.search import index as search_index
from build_tools.vocabularies import load_vocabularies
from tests.conftest import REPO_ROOT
from tests.search_factory import CORPUS, make_entry

VOCABULARIES = load_vocabularies(REPO_ROOT / "vocabularies.yml")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("index")
    build_index(CORPUS, index_dir, VOCABULARIES)
    with open_searcher(index_dir) as searcher:
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


def test_rebuilding_skips_unchanged_entries_and_applies_changes(tmp_path):
    first = build_index(CORPUS, tmp_path, VOCABULARIES)
    assert (first.added, first.unchanged) == (len(CORPUS), 0)
    changed = dataclasses.replace(CORPUS[0], title="ชุดฝึกอ่านนิทานพื้นบ้าน")
    second = build_index((changed, *CORPUS[1:4]), tmp_path, VOCABULARIES)
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 1, 1, 3)
    with open_searcher(tmp_path) as searcher:
        assert searcher.document_count == 4
        assert top_ids(searcher, "นิทาน") == ["2567/reading-kit"]
        assert top_ids(searcher, "บริหาร") == []


def test_an_index_made_by_other_code_is_made_again_from_scratch(tmp_path, monkeypatch):
    build_index(CORPUS[:2], tmp_path)
    monkeypatch.setattr(search_index, "build_fingerprint", lambda: "other-code")
    stats = build_index(CORPUS[:2], tmp_path)
    assert stats.added == 2
    assert json.loads((tmp_path / "ifte-search.json").read_text())["build"] == "other-code"


def test_build_index_refuses_a_folder_that_is_not_an_index(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(IfteError):
        build_index(CORPUS, tmp_path)
    assert (tmp_path / "notes.txt").exists()


def test_opening_a_missing_index_is_a_bilingual_error(tmp_path):
    with pytest.raises(IfteError, match="No search index"):
        open_searcher(tmp_path / "missing")


def test_markup_in_a_title_is_indexed_as_text(tmp_path):
    hostile = make_entry("hostile", "<img src=x onerror=alert(1)> ชุดฝึก")
    build_index([hostile], tmp_path)
    with open_searcher(tmp_path) as searcher:
        assert searcher.search("ชุดฝึก").hits[0].title == "<img src=x onerror=alert(1)> ชุดฝึก"


def test_parallel_analysis_builds_the_same_index(tmp_path, monkeypatch):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build_index(CORPUS, serial, VOCABULARIES, workers=1)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    build_index(CORPUS, parallel, VOCABULARIES, workers=2)
    with open_searcher(serial) as one, open_searcher(parallel) as other:
        assert one.terms == other.terms
        assert all(one.postings(t) == other.postings(t) for t in one.terms)


def test_unchanged_files_are_recognised_without_rendering_their_documents(tmp_path, monkeypatch):
    hashed = [dataclasses.replace(e, content_hash=f"file-{i}") for i, e in enumerate(CORPUS)]
    build_index(hashed, tmp_path, VOCABULARIES)

    def refuse(*args):
        raise AssertionError("an unchanged entry was rendered again")

    with monkeypatch.context() as patch:
        patch.setattr(search_analysed, "plan_document", refuse)
        stats = build_index(hashed, tmp_path, VOCABULARIES)
    assert stats.unchanged == len(CORPUS) and not stats.changed

    edited = dataclasses.replace(hashed[0], title="ชุดฝึกอ่านนิทานพื้นบ้าน", content_hash="file-0b")
    stats = build_index([edited, *hashed[1:]], tmp_path, VOCABULARIES)
    assert (stats.updated, stats.unchanged) == (1, len(CORPUS) - 1)
    with open_searcher(tmp_path) as searcher:
        assert top_ids(searcher, "นิทาน")[0] == edited.id
