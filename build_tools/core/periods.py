"""Reporting periods: calendar, fiscal and academic years (พ.ศ.) and fiscal quarters.

Definitions (also in the entry guide, content/how-to-submit.md):

- ปี พ.ศ. (`year`): the calendar year, Buddhist Era, in which the entry was submitted to
  the repository; its folder is named after it.
- ปีงบประมาณ (fiscal year) N: 1 October N-1 to 30 September N. An entry belongs to the fiscal
  year (and quarter) of its `submitted` date, else of `finished`, else of `started`: the
  office reports a year's results by what reached it in that year.
- ปีการศึกษา (academic year) N: 16 May N to 15 May N+1 (term 1 from mid-May, term 2 ends
  in March; April to mid-May is the break that closes the year). An entry belongs to the
  academic year in which the work was carried out: `started`, else `finished`, else
  `submitted`.
- Quarters of a fiscal year: Q1 October–December, Q2 January–March, Q3 April–June,
  Q4 July–September.

An entry with none of those dates has no fiscal or academic year; the page says how many.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from build_tools.core.errors import IfteError
from build_tools.core.model import Entry
from build_tools.core.thaidate import BE_OFFSET

ALL = "all"
YEAR = "year"
FISCAL = "fiscal"
ACADEMIC = "academic"
QUARTER = "quarter"
# First month of each fiscal quarter, as (calendar-year offset from the fiscal year, month).
QUARTER_STARTS = {1: (-1, 10), 2: (0, 1), 3: (0, 4), 4: (0, 7)}
QUARTER_TEXT = re.compile(r"^\s*(\d{4})\s*[qQ]\s*([1-4])\s*$")


@dataclass(frozen=True)
class Period:
    kind: str  # all | year | fiscal | academic | quarter
    year: int = 0  # Buddhist Era; 0 for all years
    quarter: int = 0  # 1–4 for a fiscal quarter

    @property
    def key(self) -> str:
        """ASCII name for URLs and files: all, year-2568, fiscal-2568, fiscal-2568-q1."""
        if self.kind == ALL:
            return ALL
        if self.kind == QUARTER:
            return f"fiscal-{self.year}-q{self.quarter}"
        return f"{self.kind}-{self.year}"

    @property
    def label(self) -> str:
        if self.kind == ALL:
            return "ทุกปี"
        if self.kind == YEAR:
            return f"ปี พ.ศ. {self.year}"
        if self.kind == FISCAL:
            return f"ปีงบประมาณ พ.ศ. {self.year}"
        if self.kind == ACADEMIC:
            return f"ปีการศึกษา {self.year}"
        return f"ไตรมาสที่ {self.quarter} ปีงบประมาณ พ.ศ. {self.year}"

    @property
    def label_en(self) -> str:
        ce = self.year - BE_OFFSET
        if self.kind == ALL:
            return "all years"
        if self.kind == YEAR:
            return f"year {self.year} BE ({ce})"
        if self.kind == FISCAL:
            return f"fiscal year {self.year} BE (Oct {ce - 1} – Sep {ce})"
        if self.kind == ACADEMIC:
            return f"academic year {self.year} BE (May {ce} – May {ce + 1})"
        return f"Q{self.quarter} of fiscal year {self.year} BE"

    @property
    def dates(self) -> tuple[dt.date, dt.date] | None:
        """First and last day (Christian-Era dates), or None for periods not set by dates."""
        ce = self.year - BE_OFFSET
        if self.kind == FISCAL:
            return dt.date(ce - 1, 10, 1), dt.date(ce, 9, 30)
        if self.kind == ACADEMIC:
            return dt.date(ce, 5, 16), dt.date(ce + 1, 5, 15)
        if self.kind == QUARTER:
            offset, month = QUARTER_STARTS[self.quarter]
            first = dt.date(ce + offset, month, 1)
            after = dt.date(first.year + (month + 3 > 12), (month + 2) % 12 + 1, 1)
            return first, after - dt.timedelta(days=1)
        return None

    @property
    def previous(self) -> Period | None:
        """The period before, of the same kind (the gap lists compare with it)."""
        if self.kind == ALL:
            return None
        if self.kind == QUARTER:
            if self.quarter == 1:
                return Period(QUARTER, self.year - 1, 4)
            return Period(QUARTER, self.year, self.quarter - 1)
        return Period(self.kind, self.year - 1)

    @property
    def by_year_field(self) -> bool:
        """Counted by the entry's `year`, which the search page filters by."""
        return self.kind in (ALL, YEAR)

    def contains(self, entry: Entry) -> bool:
        if self.kind == ALL:
            return True
        if self.kind == YEAR:
            return entry.year == self.year
        date = format_period_date(entry, self.kind)
        if date is None:
            return False
        first, last = self.dates  # type: ignore[misc]
        return first <= date <= last

    def select(self, entries: Iterable[Entry]) -> tuple[Entry, ...]:
        return tuple(e for e in entries if self.contains(e))


def format_period_date(entry: Entry, kind: str) -> dt.date | None:
    """The date that places an entry in a fiscal (or quarter) or academic year."""
    if kind == ACADEMIC:
        order = (entry.started, entry.finished, entry.submitted)
    else:
        order = (entry.submitted, entry.finished, entry.started)
    return next((date for date in order if date is not None), None)


def fiscal_year_of(date: dt.date) -> int:
    """Buddhist-Era fiscal year of a date: October starts the next fiscal year."""
    return date.year + BE_OFFSET + (1 if date.month >= 10 else 0)


def academic_year_of(date: dt.date) -> int:
    """Buddhist-Era academic year of a date: it starts on 16 May."""
    return date.year + BE_OFFSET - (0 if (date.month, date.day) >= (5, 16) else 1)


def quarter_of(date: dt.date) -> Period:
    quarter = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3}.get(date.month, 4)
    return Period(QUARTER, fiscal_year_of(date), quarter)


def plan_periods(entries: Sequence[Entry]) -> tuple[Period, ...]:
    """The periods of the statistics page: all years, then each calendar, fiscal and
    academic year that has entries, newest first within each kind."""
    years = {e.year for e in entries}
    fiscal, academic = set(), set()
    for entry in entries:
        date = format_period_date(entry, FISCAL)
        if date is not None:
            fiscal.add(fiscal_year_of(date))
        date = format_period_date(entry, ACADEMIC)
        if date is not None:
            academic.add(academic_year_of(date))
    return (
        Period(ALL),
        *(Period(YEAR, y) for y in sorted(years, reverse=True)),
        *(Period(FISCAL, y) for y in sorted(fiscal, reverse=True)),
        *(Period(ACADEMIC, y) for y in sorted(academic, reverse=True)),
    )


def count_undated(entries: Iterable[Entry], kind: str) -> int:
    """Entries no fiscal or academic year can hold: they have none of the dates."""
    return sum(1 for e in entries if format_period_date(e, kind) is None)


def read_period(year: int | None, fiscal_year: int | None, quarter: str | None) -> Period:
    """The period a command names (`ifte report`): at most one of the three options."""
    given = [v for v in (year, fiscal_year, quarter) if v]
    if len(given) > 1:
        raise IfteError(
            "เลือกได้อย่างเดียว: --year หรือ --fiscal-year หรือ --quarter",
            "Choose only one of --year, --fiscal-year, --quarter",
        )
    for value in (year, fiscal_year):
        if value and not 2500 <= value <= 2700:
            raise IfteError(
                f"ปี {value} ไม่ใช่ปี พ.ศ. (เช่น 2568) — ถ้าเป็น ค.ศ. ให้บวก 543",
                f"{value} is not a Buddhist-Era year (e.g. 2568); add 543 to a Christian-Era year",
            )
    if quarter:
        match = QUARTER_TEXT.match(quarter)
        if not match or not 2500 <= int(match[1]) <= 2700:
            raise IfteError(
                f'ไตรมาส "{quarter}" ต้องเขียนเป็นปีงบประมาณ พ.ศ. ตามด้วย Q1–Q4 เช่น 2568Q1',
                f'Quarter "{quarter}" must be a BE fiscal year and Q1–Q4, e.g. 2568Q1',
            )
        return Period(QUARTER, int(match[1]), int(match[2]))
    if year:
        return Period(YEAR, year)
    if fiscal_year:
        return Period(FISCAL, fiscal_year)
    return Period(ALL)
