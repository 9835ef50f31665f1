"""The project's indicators 6.1.1–6.1.3 for one period, each with its definition.

The project plan's indicators: every area has models it really uses (6.1.1), provincial
information on innovations that is complete, clear and current (6.1.2), and a
cooperation network (6.1.3). They are measured from what the repository holds; where a
figure needs data the office has not given (the number of schools), it says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools.core.model import Entry
from build_tools.core.thaidate import format_thai_date
from build_tools.core.vocabularies import Vocabularies
from build_tools.features.stats.participation import Participation, plan_rates

if TYPE_CHECKING:
    from build_tools.features.network.counts import AdoptionCounts


@dataclass(frozen=True)
class Measure:
    label: str  # Thai, with English in brackets
    numerator: int
    denominator: int  # 0: not known
    definition: str  # how it is counted, Thai then English

    @property
    def percent(self) -> float | None:
        return 100 * self.numerator / self.denominator if self.denominator else None

    @property
    def text(self) -> str:
        """ "9 จาก 11 (81.8%)", or the bare number when there is no denominator."""
        if not self.denominator:
            return f"{self.numerator:,}"
        return f"{self.numerator:,} จาก {self.denominator:,} ({self.percent:.1f}%)"


@dataclass(frozen=True)
class Indicator:
    code: str  # "6.1.1"
    title: str
    title_en: str
    measures: tuple[Measure, ...]
    note: str = ""


def is_complete(entry: Entry) -> bool:
    """Complete for 6.1.2: learning areas or levels, keywords, the submission date, the
    work dates, and a file or link to try the work."""
    return bool(
        (entry.subjects or entry.levels)
        and entry.keywords
        and entry.submitted
        and (entry.started or entry.finished)
        and (entry.attachments or entry.links)
    )


def plan_indicators(
    entries: Sequence[Entry],
    vocabularies: Vocabularies,
    participation: Participation | None,
    updated: dt.date | None,
    adoption: AdoptionCounts | None = None,
) -> tuple[Indicator, ...]:
    districts = vocabularies["districts"].codes
    with_model = {e.school.district for e in entries if e.is_best_practice}
    schools = {e.school.name.strip() for e in entries}
    with_entries = {e.school.district for e in entries}
    total_schools = sum(participation.districts.values()) if participation else 0
    taking_part = (
        sum(r.taking_part for r in plan_rates(participation, entries, vocabularies, "districts"))
        if participation
        else len(schools)
    )
    models = Indicator(
        "6.1.1",
        "ทุกพื้นที่มีต้นแบบที่นำไปใช้จริง",
        "Every area has models in real use",
        (
            Measure(
                "อำเภอที่มีแนวปฏิบัติที่เป็นเลิศ (districts with a Best Practice)",
                len(with_model & set(districts)),
                len(districts),
                "อำเภอที่มีผลงานประเภทแนวปฏิบัติที่เป็นเลิศอย่างน้อย 1 ผลงานในช่วงเวลานี้ ÷ อำเภอทั้งหมด"
                " / districts with at least one Best Practice entry in the period ÷ all districts",
            ),
            Measure(
                "อำเภอที่มีผลงาน (districts with entries)",
                len(with_entries & set(districts)),
                len(districts),
                "อำเภอที่มีผลงานอย่างน้อย 1 ผลงาน ÷ อำเภอทั้งหมด"
                " / districts with at least one entry ÷ all districts",
            ),
        ),
    )
    complete = sum(1 for e in entries if is_complete(e))
    current = f"ข้อมูลปรับปรุงล่าสุด {format_thai_date(updated)} (last updated)" if updated else ""
    information = Indicator(
        "6.1.2",
        "สารสนเทศนวัตกรรมระดับจังหวัดครบถ้วน ชัดเจน เป็นปัจจุบัน",
        "Provincial information on innovations: complete, clear, current",
        (
            Measure(
                "ผลงานที่มีข้อมูลครบ (entries with complete data)",
                complete,
                len(entries),
                "ผลงานที่ระบุกลุ่มสาระหรือระดับชั้น คำสำคัญ วันที่ส่ง วันที่ดำเนินการ"
                " และไฟล์แนบหรือลิงก์ ÷ ผลงานทั้งหมดในช่วงเวลานี้"
                " / entries giving learning areas or levels, keywords, the submission date,"
                " the work dates and a file or link ÷ all entries in the period",
            ),
        ),
        current,
    )
    network = Indicator(
        "6.1.3",
        "เครือข่ายความร่วมมือ",
        "Cooperation network",
        (
            Measure(
                "สถานศึกษาที่ร่วมส่งผลงาน (schools taking part)",
                taking_part,
                total_schools,
                "สถานศึกษา/หน่วยงานที่มีผลงานในช่วงเวลานี้ ÷ สถานศึกษาทั้งหมด (จาก participation.yml)"
                " / schools with an entry in the period ÷ all schools (participation.yml)",
            ),
            Measure(
                "ผลงานที่พัฒนาร่วมกันตั้งแต่ 2 คน (entries by two or more authors)",
                sum(1 for e in entries if len(e.authors) >= 2),
                len(entries),
                "ผลงานที่มีผู้พัฒนาตั้งแต่ 2 คนขึ้นไป ÷ ผลงานทั้งหมด"
                " / entries with two or more authors ÷ all entries",
            ),
            *(() if adoption is None else (_adoption_measure(adoption),)),
        ),
        "" if participation else "ยังไม่มีจำนวนสถานศึกษาทั้งหมด (no school counts given)",
    )
    return models, information, network


def _adoption_measure(adoption: AdoptionCounts) -> Measure:
    when = (
        "ทุกปี เพราะการนำไปใช้ระบุเพียงปี พ.ศ. (every year: adoptions give a year only)"
        if adoption.every_year
        else "ในช่วงเวลานี้ (in the period)"
    )
    return Measure(
        "ผลงานที่มีสถานศึกษาอื่นนำไปใช้ (innovations adopted by other schools)",
        adoption.adopted_entries,
        adoption.entries,
        f"ผลงานที่มีสถานศึกษานำไปใช้อย่างน้อย 1 แห่ง {when} ÷ ผลงานทั้งหมดในคลัง"
        " / innovations adopted at least once ÷ every innovation in the repository"
        " (adoptions/, as on /network/)",
    )
