"""Dates as Thai people read them: Buddhist Era, Thai month names."""

from __future__ import annotations

import datetime as dt

BE_OFFSET = 543
MONTHS_TH = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_TH_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def to_buddhist_year(year: int) -> int:
    return year + BE_OFFSET


def format_thai_date(date: dt.date | None, short: bool = False) -> str:
    """'23 พฤศจิกายน 2569' (or '23 พ.ย. 2569'); '' for None."""
    if date is None:
        return ""
    months = MONTHS_TH_SHORT if short else MONTHS_TH
    return f"{date.day} {months[date.month - 1]} {to_buddhist_year(date.year)}"
