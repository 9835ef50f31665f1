"""Personal-data scanners (PDPA): things that must not reach the public site.

A valid Thai national ID number (13 digits whose last digit is the checksum of
the first twelve) is an error anywhere in an entry; phone numbers are a warning
because schools publish their own office numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# 13 digits, optionally grouped 1-4-5-2-1 with dashes or spaces, not inside a longer number.
_NATIONAL_ID = re.compile(r"(?<![\d])(\d)[- ]?(\d{4})[- ]?(\d{5})[- ]?(\d{2})[- ]?(\d)(?![\d])")
# Thai mobile (06/08/09 + 8 digits) and Bangkok/provincial landlines (02/03x… + 7 digits),
# written with optional dashes or spaces, or in +66 form.
_PHONE = re.compile(r"(?<![\d])(?:\+66[- ]?|0)(?:[689](?:[- ]?\d){8}|[2-7](?:[- ]?\d){7})(?![\d])")


@dataclass(frozen=True)
class Finding:
    kind: str  # "national-id" | "phone-number"
    start: int  # character offset in the scanned text
    masked: str  # safe to print: never the whole number


def is_national_id(digits: str) -> bool:
    if len(digits) != 13 or not digits.isdigit() or digits[0] == "0":
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def mask(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return digits[:2] + "x" * (len(digits) - 4) + digits[-2:]


def scan_personal_data(text: str) -> Iterator[Finding]:
    # Thai digits are one character each, so offsets survive the translation.
    plain = text.translate(THAI_DIGITS)
    ids = set()
    for match in _NATIONAL_ID.finditer(plain):
        digits = "".join(match.groups())
        if is_national_id(digits):
            ids.add(match.start())
            yield Finding("national-id", match.start(), mask(digits))
    for match in _PHONE.finditer(plain):
        if match.start() not in ids:
            yield Finding("phone-number", match.start(), mask(match.group()))
