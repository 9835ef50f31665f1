"""Counting for the statistics page: every value shown, numbers linked, gaps found."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest

from build_tools.features.stats.counts import FEW_ENTRIES, format_filter_url, plan_statistics
from tests.stats_factory import VOCABULARIES, make_catalog, make_entry


def rows(table) -> dict[str, int]:
    return {row.label.code: row.cell.count for row in table.rows}


def test_every_vocabulary_value_is_listed_even_without_entries():
    stats = plan_statistics(make_catalog(make_entry("a")))
    districts = stats.table("districts")
    assert [row.label.code for row in districts.rows] == list(VOCABULARIES["districts"].codes)
    assert rows(districts)["khok-samrong"] == 1
    assert sum(rows(districts).values()) == 1
    assert rows(stats.table("affiliations"))["nfe"] == 0


def test_years_run_from_first_to_latest_without_holes():
    stats = plan_statistics(make_catalog(make_entry("a", 2564), make_entry("b", 2566)))
    assert stats.years == (2564, 2565, 2566)
    assert rows(stats.table("years")) == {"2564": 1, "2565": 0, "2566": 1}
    assert stats.table("years").rows[0].label.label == "พ.ศ. 2564"


def test_an_entry_with_two_learning_areas_counts_in_both_rows_but_once_in_totals():
    catalog = make_catalog(make_entry("a", subjects=("thai", "math")), make_entry("b"))
    stats = plan_statistics(catalog)
    subjects = stats.table("subjects")
    assert subjects.multi_valued and subjects.entries == 2
    assert rows(subjects)["thai"] == 2 and rows(subjects)["math"] == 1
    cross = next(t for t in stats.cross_tables if t.key == "districts-subjects")
    r = [label.code for label in cross.rows].index("khok-samrong")
    columns = [label.code for label in cross.columns]
    assert cross.cells[r][columns.index("thai")].count == 2
    assert cross.cells[r][columns.index("math")].count == 1
    assert cross.row_totals[r].count == 2  # two entries, not three subject mentions


def test_best_practice_tables_count_only_best_practice_entries():
    catalog = make_catalog(
        make_entry("a", type="best_practice", district="ban-mi", affiliation="private"),
        make_entry("b", district="ban-mi"),
    )
    stats = plan_statistics(catalog)
    assert stats.best_practice == 1
    assert rows(stats.table("best-practice-districts"))["ban-mi"] == 1
    assert rows(stats.table("best-practice-affiliations")) == {
        **dict.fromkeys(VOCABULARIES["affiliations"].codes, 0),
        "private": 1,
    }


def test_numbers_link_to_search_filters_with_vocabulary_codes():
    stats = plan_statistics(make_catalog(make_entry("a", type="best_practice")), search=True)
    row = next(r for r in stats.table("best-practice-districts").rows if r.cell.count)
    parts = urlsplit(row.cell.url)
    assert parts.path == "search/"
    assert dict(parse_qsl(parts.query)) == {"district": "khok-samrong", "type": "best_practice"}
    cross = next(t for t in stats.cross_tables if t.key == "years-categories")
    cell = cross.cells[0][0]
    assert dict(parse_qsl(urlsplit(cell.url).query)) == {"year": "2567", "category": "learning"}


def test_without_a_search_page_single_values_link_to_listings_and_pairs_do_not_link():
    stats = plan_statistics(make_catalog(make_entry("a")), search=False)
    assert next(r for r in stats.table("districts").rows if r.cell.count).cell.url == (
        "districts/khok-samrong/"
    )
    cross = next(t for t in stats.cross_tables if t.key == "years-categories")
    assert cross.cells[0][0].count == 1 and cross.cells[0][0].url == ""
    assert cross.row_totals[0].url == "years/2567/"
    assert stats.table("districts").total_url == "innovations/"
    assert stats.table("best-practice-districts").total_url == ""  # no Best Practice yet


def test_table_totals_link_to_everything_they_count():
    catalog = make_catalog(make_entry("a", type="best_practice"))
    assert plan_statistics(catalog, search=True).table("districts").total_url == "search/"
    without = plan_statistics(catalog, search=False)
    assert without.table("best-practice-districts").total_url == "types/best_practice/"


@pytest.mark.parametrize("search", [True, False])
def test_zero_is_never_a_link(search):
    assert format_filter_url([("districts", "ban-mi")], 0, search) == ""


def test_year_review_shows_missing_few_and_growing_areas():
    assert FEW_ENTRIES == 1  # the expectations below are written for this threshold
    entries = [make_entry("old", 2566, district="ban-mi")]
    entries += [make_entry(f"new{i}", 2567, district="khok-samrong") for i in range(3)]
    entries += [make_entry("one", 2567, district="ban-mi")]
    stats = plan_statistics(make_catalog(*entries))
    review = next(r for r in stats.reviews if r.key == "review-districts")
    assert (review.latest_label, review.previous_label) == ("ปี พ.ศ. 2567", "ปี พ.ศ. 2566")
    status = {c.label.code: c.status for c in review.rows}
    assert status["khok-samrong"] == "up"
    assert status["ban-mi"] == "few"  # FEW_ENTRIES or fewer this year, whatever last year had
    missing = {c.label.code for c in review.missing}
    assert missing == set(VOCABULARIES["districts"].codes) - {"khok-samrong", "ban-mi"}
    assert [c.label.code for c in review.growing] == ["khok-samrong"]


def test_summary_figures_and_last_update():
    catalog = make_catalog(
        make_entry("a", school="โรงเรียน ก", updated=dt.date(2024, 5, 1)),
        make_entry("b", school="โรงเรียน ก", updated=dt.date(2024, 6, 2)),
        make_entry("c", school="โรงเรียน ข", type="best_practice"),
    )
    stats = plan_statistics(catalog)
    assert (stats.entries, stats.best_practice, stats.schools) == (3, 1, 2)
    assert stats.updated == dt.date(2024, 6, 2)


def test_an_empty_catalogue_has_zeros_and_no_review():
    stats = plan_statistics(make_catalog())
    assert stats.entries == 0 and stats.years == () and stats.reviews == ()
    assert all(row.cell.count == 0 for row in stats.table("districts").rows)


def test_kept_statistics_follow_a_change_of_what_they_count(tmp_path):
    from dataclasses import replace

    from build_tools.features.stats.counts import plan_statistics_cached

    entries = [make_entry("a"), make_entry("b", district="mueang-lopburi")]
    catalog = replace(make_catalog(*entries), root=tmp_path)
    assert plan_statistics_cached(catalog) == plan_statistics(catalog)
    moved = replace(catalog, entries=(entries[0], replace(entries[1], title="อื่น")))
    assert plan_statistics_cached(moved) == plan_statistics(catalog)  # made again, same counts
    edited = replace(entries[1], school=replace(entries[1].school, district="khok-samrong"))
    changed = replace(catalog, entries=(entries[0], edited))
    assert rows(plan_statistics_cached(changed).table("districts"))["khok-samrong"] == 2
    assert plan_statistics_cached(changed) == plan_statistics(changed)


def test_a_new_date_moves_the_kept_statistics_date_without_counting_again(tmp_path, monkeypatch):
    """An edit dates its entry anew (its commit): only "as of" follows, nothing is counted."""
    from dataclasses import replace

    from build_tools.features.stats import counts

    entries = [make_entry("a"), make_entry("b", district="mueang-lopburi")]
    catalog = replace(make_catalog(*entries), root=tmp_path)
    counts.plan_statistics_cached(catalog)
    dated = replace(entries[1], updated=dt.date(2599, 1, 2))
    changed = replace(catalog, entries=(entries[0], dated))
    expected = plan_statistics(changed)
    monkeypatch.setattr(counts, "plan_statistics", lambda *a: pytest.fail("counted again"))
    kept = counts.plan_statistics_cached(changed)
    assert kept == expected and kept.updated == dt.date(2599, 1, 2)


def test_kept_facet_counts_follow_a_change_of_an_entrys_fields(tmp_path):
    # The home page, /browse/ and the site map count entries per facet value.
    from dataclasses import replace

    from build_tools.pages.listings import FACETS, plan_facet_counts_cached, plan_facet_values

    def counts(catalog):
        return {
            facet.kind: {v.code: v.count for v in values}
            for facet, values in plan_facet_counts_cached(catalog)
        }

    entries = [make_entry("a"), make_entry("b", district="mueang-lopburi")]
    catalog = replace(make_catalog(*entries), root=tmp_path)
    fresh = [(f, plan_facet_values(f, catalog.entries, catalog.vocabularies)) for f in FACETS]
    assert plan_facet_counts_cached(catalog) == fresh
    edited = replace(entries[1], school=replace(entries[1].school, district="khok-samrong"))
    changed = replace(catalog, entries=(entries[0], edited))
    assert counts(changed)["districts"] == {"khok-samrong": 2}


def test_kept_listing_pages_show_the_entries_as_they_are_now(tmp_path):
    from dataclasses import replace

    from build_tools.pages.listings import look_up_entries, plan_listing_ids_cached, plan_listings

    def kept(catalog) -> list:
        by_id = {entry.id: entry for entry in catalog.entries}
        pages = plan_listing_ids_cached(catalog, 1)
        return [look_up_entries(page, ids, by_id) for page, ids in pages]

    entries = [make_entry("a"), make_entry("b", district="mueang-lopburi")]
    catalog = replace(make_catalog(*entries), root=tmp_path)
    assert kept(catalog) == plan_listings(catalog.entries, VOCABULARIES, 1)
    # A text edit: the same pages, kept, with the edited entry in them.
    edited = replace(entries[1], body="ข้อความใหม่", content_hash="new")
    text_edit = replace(catalog, entries=(entries[0], edited))
    pages = kept(text_edit)
    assert pages == plan_listings(text_edit.entries, VOCABULARIES, 1)
    assert any(page.entries == (edited,) and page.entries[0].body == "ข้อความใหม่" for page in pages)
    # A field edit: paged again.
    moved = replace(edited, school=replace(edited.school, district="khok-samrong"))
    field_edit = replace(catalog, entries=(entries[0], moved))
    assert kept(field_edit) == plan_listings(field_edit.entries, VOCABULARIES, 1)
