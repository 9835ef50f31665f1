"""What one synthesis report says (pure): the numbers of `/stats/` for the same period,
participation, indicators, Best Practice, every entry with its address, and lessons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from build_tools.core.loader import Catalog
from build_tools.core.periods import ALL, FISCAL, QUARTER, Period
from build_tools.core.thaidate import format_thai_date
from build_tools.features.network.adoptions import Adoption
from build_tools.features.network.counts import AdoptionCounts, plan_period_adoptions
from build_tools.features.report.lessons import read_lesson
from build_tools.features.stats.counts import Statistics, plan_statistics
from build_tools.features.stats.indicators import Indicator, plan_indicators
from build_tools.features.stats.participation import Participation, Rate, plan_rates

REPORT_FOLDER = "reports"
SITE_YEARS = 2  # fiscal years whose reports the site carries


@dataclass(frozen=True)
class ReportEntry:
    id: str
    title: str
    school: str
    district: str
    areas: str  # learning areas, or the category when none is given
    url: str  # absolute when the site's address is known
    award: str = ""  # "รางวัลดีเด่น (ระดับจังหวัด) พ.ศ. 2567" for Best Practice
    lesson: str = ""


@dataclass(frozen=True)
class Report:
    period: Period
    title: str
    office: str
    office_en: str
    site_url: str
    as_of: dt.date  # the newest date of the period's entries: the same data, the same date
    stats: Statistics
    previous: Statistics | None  # the period before, for the summary's changes
    indicators: tuple[Indicator, ...]
    rates: Mapping[str, tuple[Rate, ...]]
    participation: Participation | None
    entries: tuple[ReportEntry, ...]
    adoption: AdoptionCounts | None = None  # indicator 6.1.3: the numbers of /network/

    @property
    def best_practice(self) -> tuple[ReportEntry, ...]:
        return tuple(e for e in self.entries if e.award)

    @property
    def quarterly(self) -> bool:
        return self.period.kind == QUARTER

    @property
    def file_stem(self) -> str:
        return f"ifte-report-{self.period.key}"


def format_report_title(period: Period) -> str:
    if period.kind == QUARTER:
        return f"รายงานความก้าวหน้าการดำเนินโครงการ {period.label}"
    return f"รายงานสรุปสังเคราะห์นวัตกรรมการศึกษา {period.label}"


def plan_report(
    catalog: Catalog,
    period: Period,
    extra: Mapping,
    site_url: str,
    participation: Participation | None,
    adoptions: Sequence[Adoption] = (),
) -> Report:
    """The report of one period. `extra` is mkdocs.yml `extra:` (the office); `adoptions`
    from `features.network` (`load_checked_adoptions`)."""
    vocabularies = catalog.vocabularies
    stats = plan_statistics(catalog, search=False, period=period)
    before = period.previous
    previous = plan_statistics(catalog, search=False, period=before) if before else None
    chosen = period.select(catalog.entries)
    rates = {}
    if participation:
        for kind in ("districts", "affiliations"):
            rates[kind] = plan_rates(participation, chosen, vocabularies, kind)
    entries = []
    for entry in sorted(chosen, key=lambda e: (e.school.district, e.school.name, e.title)):
        areas = ", ".join(vocabularies.label("subjects", s) for s in entry.subjects)
        award = ""
        if entry.award:
            level = vocabularies.label("award_levels", entry.award.level)
            award = f"{entry.award.title} ({level}) พ.ศ. {entry.award.year}"
        elif entry.is_best_practice:
            award = vocabularies.label("types", entry.type)
        entries.append(
            ReportEntry(
                entry.id,
                entry.title,
                entry.school.name,
                vocabularies.label("districts", entry.school.district),
                areas or vocabularies.label("categories", entry.category),
                f"{site_url}{entry.url}",
                award,
                read_lesson(entry.body),
            )
        )
    dates = [d for e in chosen for d in (e.submitted, e.started, e.finished) if d]
    as_of = max(dates, default=None) or (period.dates[1] if period.dates else dt.date(2000, 1, 1))
    office = extra.get("office") or {}
    adoption = plan_period_adoptions(catalog, adoptions, period)
    return Report(
        period,
        format_report_title(period),
        str(office.get("name", "")),
        str(office.get("name_en", "")),
        site_url,
        as_of,
        stats,
        previous,
        plan_indicators(chosen, vocabularies, participation, as_of, adoption),
        rates,
        participation,
        tuple(entries),
        adoption,
    )


def format_summary_lines(report: Report) -> list[tuple[str, str]]:
    """The executive summary in numbers: (label, value) pairs, the same figures as the
    overview of `/stats/` for the period."""
    stats = report.stats
    districts = stats.table("districts")
    with_entries = sum(1 for row in districts.rows if row.cell.count)
    lines = [
        ("ผลงานทั้งหมด (entries)", f"{stats.entries:,}"),
        ("แนวปฏิบัติที่เป็นเลิศ (Best Practice)", f"{stats.best_practice:,}"),
        ("สถานศึกษา/หน่วยงาน (schools)", f"{stats.schools:,}"),
        ("อำเภอที่มีผลงาน (districts with entries)", f"{with_entries} จาก {len(districts.rows)}"),
    ]
    if report.previous is not None and report.period.kind != ALL:
        change = stats.entries - report.previous.entries
        lines.append(
            (
                f"เทียบกับ{report.period.previous.label} (change)",  # type: ignore[union-attr]
                f"จาก {report.previous.entries:,} เป็น {stats.entries:,} ({change:+,})",
            )
        )
    total = sum(r.schools for r in report.rates.get("districts", ()))
    if total:
        part = sum(r.taking_part for r in report.rates["districts"])
        lines.append(
            (
                "อัตราการมีส่วนร่วมของสถานศึกษา (participation)",
                f"{part:,} จาก {total:,} ({100 * part / total:.1f}%)",
            )
        )
    return lines


def format_period_span(period: Period) -> str:
    if not period.dates:
        return period.label
    first, last = period.dates
    return f"{format_thai_date(first)} – {format_thai_date(last)}"


def plan_site_periods(catalog: Catalog) -> tuple[Period, ...]:
    """Reports the site carries: the two newest fiscal years with entries and the
    quarters of the newest one (the quarterly progress reports). A PDF takes seconds to
    make, so older years are left to `ifte report --fiscal-year`."""
    from build_tools.core.periods import fiscal_year_of, format_period_date, quarter_of

    years, quarters = set(), set()
    for entry in catalog.entries:
        date = format_period_date(entry, FISCAL)
        if date:
            years.add(fiscal_year_of(date))
            quarters.add(quarter_of(date))
    if not years:
        return ()
    newest = max(years)
    return (
        *(Period(FISCAL, y) for y in sorted(years, reverse=True)[:SITE_YEARS]),
        *sorted((q for q in quarters if q.year == newest), key=lambda q: q.quarter),
    )
