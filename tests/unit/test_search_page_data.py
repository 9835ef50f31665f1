"""The /search/ page's data: Thai title order, facet columns, files, page context."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from build_tools.core.loader import Catalog
from build_tools.core.model import Award
from build_tools.core.site import GeneratedPage, SiteSettings
from build_tools.core.vocabularies import VOCABULARY_FILE, read_vocabularies
from build_tools.features.searchpage import (
    generate_search_page,
    plan_filter_groups,
    plan_filter_groups_cached,
)
from build_tools.search import export_search, facets
from build_tools.search.facets import (
    COLUMNS,
    FILTERS,
    LIST_CHUNK,
    export_facets,
    export_site_facets,
    format_title_sort_key,
    order_entries,
    plan_facet_data,
    plan_files,
)
from tests.conftest import REPO_ROOT
from tests.search_factory import make_entry

VOCABULARIES = read_vocabularies((REPO_ROOT / VOCABULARY_FILE).read_text(encoding="utf-8"))


def thai_sorted(titles):
    return sorted(titles, key=format_title_sort_key)


# --- Thai alphabetical order --------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("ไก่", "ขนม"),  # ไก่ files under ก: code point order puts ไ after every consonant
        ("มะม่วง", "แมว"),  # same consonant: ะ comes before แ
        ("แมว", "ยา"),  # แมว files under ม
        ("รู้", "เรียน"),  # under ร, the vowel ู before เ
        ("โรงเรียนบ้านโคก", "โรงเรียนเมือง"),  # second word: บ before ม (not เ)
        ("กง", "กา"),  # a consonant after the first comes before any vowel
        ("ขาว", "ข่าว"),  # tone marks only break ties …
        ("ข่าว", "ข้าว"),
        ("ข้าว", "ขาวดำ"),  # … they never beat a letter
        ("ชุดที่ 9", "ชุดที่ 10"),  # numbers by value
        ("ชุดที่ ๒", "ชุดที่ 10"),  # Thai digits too
        ("Active Learning", "coding"),  # Latin ignores case
        ("ฮา", "Coding"),  # Thai before Latin, as ICU's Thai collation
        ("ชุดกิจกรรม Coding", "ชุดกิจกรรมพัฒนา"),  # word by word
        ("“การอ่าน”", "ขนม"),  # leading quotes are ignored
    ],
)
def test_titles_follow_thai_dictionary_order(earlier, later):
    assert format_title_sort_key(earlier) < format_title_sort_key(later)
    assert thai_sorted([later, earlier]) == [earlier, later]


def test_code_point_order_would_get_these_wrong():
    """The reason for the key: plain sorting files every เ แ โ ใ ไ word after ฮ."""
    titles = ["เรียนรู้", "ไก่", "แมว", "ขนม", "ยา"]
    assert sorted(titles) != thai_sorted(titles)
    assert thai_sorted(titles) == ["ไก่", "ขนม", "แมว", "ยา", "เรียนรู้"]


def test_equal_titles_tie_by_id_in_the_exported_rank():
    entries = order_entries(
        [
            make_entry("b-second", "ชุดกิจกรรม"),
            make_entry("a-first", "ชุดกิจกรรม"),
            make_entry("c-other", "กการ"),
        ]
    )
    rank = plan_facet_data(entries, VOCABULARIES)["titleRank"]
    by_rank = [entries[n].slug for n in sorted(range(len(entries)), key=rank.__getitem__)]
    assert by_rank == ["c-other", "a-first", "b-second"]


# --- facet columns ------------------------------------------------------------------------


def sample_entries():
    bp = replace(
        make_entry("bp", "แนวปฏิบัติ", year=2566, district="ban-mi", type="best_practice"),
        levels=("p4", "p5"),
        category="management",
        award=Award("รางวัลดีเด่น", "province", 2566),
    )
    return [
        make_entry("reading", "การอ่าน", year=2567, district="khok-samrong"),
        replace(make_entry("math", "คณิต", year=2565, subjects=("math", "thai")), levels=("m1",)),
        bp,
        make_entry("no-subject", "ไม่มีกลุ่มสาระ", year=2567, subjects=()),
    ]


def decode(data, param, n):
    column = data["filters"][param]
    value = column["docs"][n]
    indexes = value if isinstance(value, list) else ([value] if value >= 0 else [])
    return [column["codes"][i] for i in indexes]


def test_facet_columns_hold_every_code_of_every_entry():
    entries = order_entries(sample_entries())
    data = plan_facet_data(entries, VOCABULARIES)
    assert data["documents"] == 4
    assert [f.param for f in COLUMNS] == list(data["filters"])
    for n, entry in enumerate(entries):
        for search_filter in COLUMNS:
            assert decode(data, search_filter.param, n) == list(search_filter.values(entry))


def test_facet_codes_are_in_vocabulary_order_with_thai_labels_years_newest_first():
    data = plan_facet_data(order_entries(sample_entries()), VOCABULARIES)
    assert data["filters"]["year"]["codes"] == ["2567", "2566", "2565"]
    districts = data["filters"]["district"]
    assert districts["codes"] == ["mueang-lop-buri", "khok-samrong", "ban-mi"]
    assert districts["labels"] == ["เมืองลพบุรี", "โคกสำโรง", "บ้านหมี่"]
    assert data["filters"]["award"]["labels"] == ["จังหวัด"]


def test_entries_without_a_value_get_minus_one_or_an_empty_list():
    entries = order_entries(sample_entries())
    data = plan_facet_data(entries, VOCABULARIES)
    slugs = [e.slug for e in entries]
    assert data["filters"]["award"]["docs"][slugs.index("reading")] == -1
    assert data["filters"]["subject"]["docs"][slugs.index("no-subject")] == []


def test_document_numbers_are_those_of_the_search_index_export(tmp_path):
    entries = sample_entries()
    export_search(entries, tmp_path / "search-index", VOCABULARIES)
    manifest = json.loads((tmp_path / "search-index" / "manifest.json").read_text())
    folder = tmp_path / "search-index" / manifest["folder"]
    records = [
        record
        for k in range(len(list(folder.glob("docs-*.json"))))
        for record in json.loads((folder / f"docs-{k}.json").read_text())
    ]
    files = plan_files(entries, VOCABULARIES)
    rows = json.loads(files["list-0.json"])
    assert [row[0] for row in rows] == [record["id"] for record in records]


def test_list_files_hold_id_title_and_school_in_chunks():
    entries = [
        make_entry(f"e-{i:04d}", f"เรื่อง {i}", school=f"โรงเรียน {i}") for i in range(LIST_CHUNK + 5)
    ]
    files = plan_files(entries, VOCABULARIES)
    first, second = json.loads(files["list-0.json"]), json.loads(files["list-1.json"])
    assert (len(first), len(second)) == (LIST_CHUNK, 5)
    assert first[0] == ["2567/e-0000", "เรื่อง 0", "โรงเรียน 0"]
    assert "list-2.json" not in files


# --- files ---------------------------------------------------------------------------------


def read_tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_export_is_byte_identical_for_the_same_input_whatever_the_order(tmp_path):
    entries = sample_entries()
    export_facets(entries, VOCABULARIES, tmp_path / "a", "abc123")
    export_facets(list(reversed(entries)), VOCABULARIES, tmp_path / "b", "abc123")
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")


def test_a_new_build_gets_a_new_folder_and_the_old_one_goes(tmp_path):
    out = tmp_path / "search-facets"
    export_facets(sample_entries(), VOCABULARIES, out, "index-1")
    old = json.loads((out / "manifest.json").read_text())["version"]
    (out / "keep.txt").write_text("not ours")
    export_facets(sample_entries()[:2], VOCABULARIES, out, "index-2")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["version"] != old
    assert not (out / old).exists()
    assert (out / "keep.txt").exists()
    assert manifest["index"] == "index-2"
    assert manifest["documents"] == 2 and manifest["listFiles"] == 1
    assert sorted(p.name for p in (out / manifest["version"]).iterdir()) == [
        "facets.json",
        "list-0.json",
    ]


def test_the_version_is_named_by_content_and_the_manifest_names_the_index(tmp_path):
    export_facets(sample_entries(), VOCABULARIES, tmp_path / "a", "index-1")
    export_facets(sample_entries(), VOCABULARIES, tmp_path / "b", "index-2")
    export_facets(sample_entries()[1:], VOCABULARIES, tmp_path / "c", "index-2")
    manifest = lambda d: json.loads((tmp_path / d / "manifest.json").read_text())  # noqa: E731
    # An edit that changes no facet keeps the folder browsers and the web host hold.
    assert manifest("a")["version"] == manifest("b")["version"]
    assert (manifest("a")["index"], manifest("b")["index"]) == ("index-1", "index-2")
    assert manifest("c")["version"] != manifest("b")["version"]


def test_cached_files_follow_an_edited_title_and_make_only_its_entry_again(tmp_path, monkeypatch):
    entries = sample_entries()
    fingerprints = {e.id: f"fp-{e.id}" for e in entries}
    root = tmp_path / "project"
    export_facets(entries, VOCABULARIES, tmp_path / "first", "i", root, fingerprints)
    assert read_tree(tmp_path / "first") == _export_uncached(entries, tmp_path / "plain-1")

    edited = [replace(e, title="ก่อนทุกเรื่อง") if e.slug == "math" else e for e in entries]
    expected = _export_uncached(edited, tmp_path / "plain-2")
    made = []
    monkeypatch.setattr(facets, "plan_facet_row", lambda e: made.append(e.id) or _row(e))
    fingerprints[edited[1].id] = "fp-edited"
    export_facets(edited, VOCABULARIES, tmp_path / "second", "i", root, fingerprints)
    assert made == [edited[1].id]  # the other rows come from the cache
    second = read_tree(tmp_path / "second")
    assert second == expected
    assert second != read_tree(tmp_path / "first")  # the title moved first in the order

    # A body edit (a new fingerprint, the same title and codes) makes nothing again.
    fingerprints[edited[0].id] = "fp-body"
    export_facets(edited, VOCABULARIES, tmp_path / "third", "i", root, fingerprints)
    assert made == [edited[1].id]
    assert read_tree(tmp_path / "third") == second


_row = facets.plan_facet_row


def _export_uncached(entries, out: Path) -> dict[str, bytes]:
    export_facets(entries, VOCABULARIES, out, "i")
    return read_tree(out)


def test_site_exporter_records_the_built_search_index_version(tmp_path):
    site = tmp_path / "site"
    (site / "search-index").mkdir(parents=True)
    (site / "search-index" / "manifest.json").write_text('{"version": "0123456789ab"}')
    catalog = SimpleNamespace(
        entries=tuple(sample_entries()), vocabularies=VOCABULARIES, fingerprints={}
    )
    export_site_facets(catalog, SiteSettings("s", "", tmp_path), site)
    manifest = json.loads((site / "search-facets" / "manifest.json").read_text())
    assert manifest["index"] == "0123456789ab"


# --- the page --------------------------------------------------------------------------------


def test_page_offers_only_values_the_repository_uses():
    catalog = SimpleNamespace(entries=tuple(sample_entries()), vocabularies=VOCABULARIES)
    groups = {g.param: g for g in plan_filter_groups(catalog)}
    assert list(groups) == [f.param for f in FILTERS]
    assert groups["district"].options == (
        ("mueang-lop-buri", "เมืองลพบุรี"),
        ("khok-samrong", "โคกสำโรง"),
        ("ban-mi", "บ้านหมี่"),
    )
    assert groups["year"].options[0] == ("2567", "พ.ศ. 2567")
    assert groups["level"].title == "ระดับชั้น"


def test_a_filter_nobody_uses_is_left_off_the_page():
    catalog = SimpleNamespace(entries=tuple(sample_entries()[:2]), vocabularies=VOCABULARIES)
    assert "award" not in {g.param for g in plan_filter_groups(catalog)}


def test_search_page_is_generated_in_the_navigation(tmp_path):
    catalog = Catalog(tuple(sample_entries()), (), VOCABULARIES, 0, tmp_path)
    [page] = generate_search_page(catalog, SiteSettings("s", "", tmp_path))
    assert isinstance(page, GeneratedPage)
    assert (page.src_uri, page.template, page.in_nav) == ("search/index.md", "search.html", True)
    assert page.context["search_groups"] == plan_filter_groups(catalog)
    assert [value for value, _ in page.context["search_sorts"]] == [
        "relevance",
        "newest",
        "oldest",
        "title",
    ]


def test_kept_filter_values_follow_a_change_of_an_entrys_fields(tmp_path):
    entries = tuple(sample_entries())
    catalog = Catalog(entries, (), VOCABULARIES, 0, tmp_path)
    assert plan_filter_groups_cached(catalog) == plan_filter_groups(catalog)
    moved = replace(entries[0], school=replace(entries[0].school, district="lam-sonthi"))
    changed = Catalog((moved, *entries[1:]), (), VOCABULARIES, 0, tmp_path)
    groups = {g.param: g for g in plan_filter_groups_cached(changed)}
    assert "lam-sonthi" in dict(groups["district"].options)
    assert plan_filter_groups_cached(changed) == plan_filter_groups(changed)


def test_fiscal_and_academic_columns_place_entries_by_their_dates():
    """`/stats/` links a fiscal-year number to `/search/?fiscal=2568`: 1 October starts
    the fiscal year, 16 May the academic year; an entry without dates has neither."""
    dated = replace(
        make_entry("dated", "มีวันที่", year=2567),
        submitted=dt.date(2024, 10, 1),
        started=dt.date(2024, 5, 15),
    )
    entries = order_entries([dated, make_entry("undated", "ไม่มีวันที่", year=2567)])
    data = plan_facet_data(entries, VOCABULARIES)
    slugs = [e.slug for e in entries]
    assert decode(data, "fiscal", slugs.index("dated")) == ["2568"]
    assert decode(data, "academic", slugs.index("dated")) == ["2566"]
    assert data["filters"]["fiscal"]["labels"] == ["ปีงบประมาณ พ.ศ. 2568"]
    assert data["filters"]["academic"]["labels"] == ["ปีการศึกษา 2566"]
    assert data["filters"]["fiscal"]["docs"][slugs.index("undated")] == -1
