"""Reporting periods: fiscal year (1 Oct – 30 Sep), academic year (from 16 May), quarters,
and the work dates that place an entry in them."""

from __future__ import annotations

import datetime as dt

import pytest

from build_tools.core.errors import IfteError
from build_tools.core.loader import load_repository
from build_tools.core.periods import (
    ACADEMIC,
    FISCAL,
    QUARTER,
    YEAR,
    Period,
    academic_year_of,
    fiscal_year_of,
    plan_periods,
    quarter_of,
    read_period,
)
from build_tools.features.stats.counts import plan_statistics
from tests.conftest import VALID_ENTRY
from tests.stats_factory import make_catalog, make_entry


@pytest.mark.parametrize(
    ("date", "fiscal"),
    [
        (dt.date(2024, 9, 30), 2567),  # 30 Sep 2567: last day of fiscal 2567
        (dt.date(2024, 10, 1), 2568),  # 1 Oct 2567: first day of fiscal 2568
        (dt.date(2025, 9, 30), 2568),  # 30 Sep 2568: last day of fiscal 2568
        (dt.date(2025, 10, 1), 2569),
    ],
)
def test_fiscal_year_2568_runs_from_1_october_2567_to_30_september_2568(date, fiscal):
    assert fiscal_year_of(date) == fiscal
    entry = make_entry("a", submitted=date)
    assert Period(FISCAL, 2568).contains(entry) == (fiscal == 2568)
    assert Period(FISCAL, 2568).dates == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))


@pytest.mark.parametrize(
    ("date", "academic"),
    [
        (dt.date(2025, 5, 15), 2567),
        (dt.date(2025, 5, 16), 2568),  # 16 May 2568: first day of academic year 2568
        (dt.date(2026, 3, 31), 2568),  # end of term 2
        (dt.date(2026, 5, 15), 2568),
        (dt.date(2026, 5, 16), 2569),
    ],
)
def test_academic_year_starts_on_16_may(date, academic):
    assert academic_year_of(date) == academic
    assert Period(ACADEMIC, 2568).contains(make_entry("a", started=date)) == (academic == 2568)


def test_quarters_split_the_fiscal_year_and_follow_on():
    assert quarter_of(dt.date(2024, 12, 31)) == Period(QUARTER, 2568, 1)
    assert quarter_of(dt.date(2025, 1, 1)) == Period(QUARTER, 2568, 2)
    assert quarter_of(dt.date(2025, 9, 30)) == Period(QUARTER, 2568, 4)
    assert Period(QUARTER, 2568, 1).dates == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert Period(QUARTER, 2568, 4).dates == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert Period(QUARTER, 2568, 1).previous == Period(QUARTER, 2567, 4)
    assert Period(QUARTER, 2568, 1).key == "fiscal-2568-q1"


def test_fiscal_year_counts_submission_and_academic_year_the_work():
    entry = make_entry("a", 2568, submitted=dt.date(2025, 10, 6), started=dt.date(2025, 3, 1))
    assert Period(FISCAL, 2569).contains(entry) and not Period(FISCAL, 2568).contains(entry)
    assert Period(ACADEMIC, 2567).contains(entry)
    undated = make_entry("b", 2568)
    assert not any(Period(kind, 2568).contains(undated) for kind in (FISCAL, ACADEMIC))
    assert Period(YEAR, 2568).contains(undated)


def test_periods_listed_and_statistics_limited_to_one_period():
    catalog = make_catalog(
        make_entry("a", 2567, submitted=dt.date(2024, 9, 30), district="ban-mi"),
        make_entry("b", 2567, submitted=dt.date(2024, 10, 1)),
        make_entry("c", 2568, submitted=dt.date(2025, 1, 5)),
        make_entry("d", 2568),
    )
    keys = [p.key for p in plan_periods(catalog.entries)]
    assert keys == [
        "all", "year-2568", "year-2567", "fiscal-2568", "fiscal-2567",
        "academic-2567",
    ]  # fmt: skip
    stats = plan_statistics(catalog, search=True, period=Period(FISCAL, 2568))
    assert stats.entries == 2 and stats.undated == 1
    districts = {r.label.code: r.cell for r in stats.table("districts").rows}
    assert districts["khok-samrong"].count == 2 and districts["ban-mi"].count == 0
    assert districts["khok-samrong"].url == "search/?district=khok-samrong&fiscal=2568"
    without_search = plan_statistics(catalog, search=False, period=Period(FISCAL, 2568))
    plain = {r.label.code: r.cell for r in without_search.table("districts").rows}
    assert plain["khok-samrong"].url == ""  # no listing page holds a fiscal year
    review = stats.reviews[0]
    assert review.previous_label == "ปีงบประมาณ พ.ศ. 2567"
    by_year = plan_statistics(catalog, search=True, period=Period(YEAR, 2567))
    cell = {r.label.code: r.cell for r in by_year.table("districts").rows}["ban-mi"]
    assert cell.count == 1 and cell.url == "search/?district=ban-mi&year=2567"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((None, 2568, None), Period(FISCAL, 2568)),
        ((2567, None, None), Period(YEAR, 2567)),
        ((None, None, "2568q2"), Period(QUARTER, 2568, 2)),
    ],
)
def test_report_options_name_one_period(args, expected):
    assert read_period(*args) == expected


@pytest.mark.parametrize("args", [(2567, 2568, None), (2024, None, None), (None, None, "2568Q5")])
def test_wrong_report_options_get_a_bilingual_error(args):
    with pytest.raises(IfteError) as error:
        read_period(*args)
    assert error.value.thai and error.value.english


def test_finished_before_started_names_file_line_field(scratch_project):
    content = VALID_ENTRY.replace(
        "year: 2567", "year: 2567\nstarted: 2024-06-01\nfinished: 2024-05-01", 1
    )
    scratch_project.entry(content=content)
    catalog = load_repository(scratch_project.root)
    (problem,) = [p for p in catalog.problems if p.code == "dates-out-of-order"]
    assert (problem.path, problem.line, problem.field) == (
        "innovations/2567/reading-kit/index.md",
        7,
        "finished",
    )
    assert "1 มิถุนายน 2567" in problem.message_th and "before it started" in problem.message_en
    assert catalog.entries == ()


def test_work_dates_are_read_into_the_entry(scratch_project):
    content = VALID_ENTRY.replace(
        "year: 2567", "year: 2567\nstarted: 2567-05-16\nfinished: 2025-03-31", 1
    )
    scratch_project.entry(content=content)
    (entry,) = load_repository(scratch_project.root).entries
    assert (entry.started, entry.finished) == (dt.date(2024, 5, 16), dt.date(2025, 3, 31))
