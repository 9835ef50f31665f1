"""Personal-data scanners (PDPA): things that must not reach the public site.

A valid Thai national ID number (13 digits whose last digit is the checksum of
the first twelve), or any 13 digits written right after "เลขประจำตัว" or
"บัตรประชาชน", is an error anywhere in an entry; other 13-digit numbers are a
warning (`id-like-number`: an ISBN is one too); phone numbers are a warning
because schools publish their own office numbers. Students' names (after ด.ช.,
ด.ญ., เด็กชาย, เด็กหญิง) and e-mail addresses in published text are warnings: a
person decides whether consent covers them. The authors' `email:` field is never
published, so addresses written there are not reported.

The rules are mirrored in `theme/assets/javascripts/ifte-submit.js` for the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ANY_THAI_DIGIT = re.compile("[๐-๙]")

# 13 digits, optionally grouped 1-4-5-2-1 with dashes or spaces, not inside a longer number.
_NATIONAL_ID = re.compile(r"(?<![\d])(\d)[- ]?(\d{4})[- ]?(\d{5})[- ]?(\d{2})[- ]?(\d)(?![\d])")
# Words that say the number after them is a personal ID, whatever its check digit.
_ID_WORDS = re.compile(r"(เลขประจำตัว|บัตรประชาชน|บัตรประจำตัว|ID card|national ID)", re.IGNORECASE)
_ID_WORDS_BEFORE = 40
# Thai mobile (06/08/09 + 8 digits) and Bangkok/provincial landlines (02/03x… + 7 digits),
# written with optional dashes or spaces, or in +66 form.
_PHONE = re.compile(r"(?<![\d])(?:\+66[- ]?|0)(?:[689](?:[- ]?\d){8}|[2-7](?:[- ]?\d){7})(?![\d])")
# The abbreviated titles are only ever written before a name; the full words also
# appear in plain prose ("เด็กชายและเด็กหญิง"), so they need a known first name after them.
_STUDENT_ABBREVIATED = re.compile(r"(ด\.\s?[ชญ]\.)\s*([\u0e01-\u0e4e]*)")
_STUDENT_SPELLED_OUT = re.compile(r"(เด็กชาย|เด็กหญิง)\s*([\u0e01-\u0e4e]+)")
# First names in PyThaiNLP's corpus that are also everyday words after "เด็กชาย".
_NOT_NAMES = frozenset({"ที่", "อายุ", "สม", "ชาย", "น้อย", "เล็ก", "โต", "คน", "วัย"})
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# `email: a@b.th` (block or flow style) is the authors' unpublished contact field.
_EMAIL_FIELD = re.compile(r"email\s*:\s*[\"']?$")


@dataclass(frozen=True)
class Finding:
    kind: str  # a problem code: "national-id" | "id-like-number" | "phone-number" | …
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


def mask_name(title: str, name: str) -> str:
    return f"{title}{name[:1]}…"


def mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:2]}…@{domain}"


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    # Imported lazily: only prose that says เด็กชาย/เด็กหญิง pays for loading the corpus.
    from pythainlp.corpus import thai_female_names, thai_male_names

    return frozenset(thai_male_names()) | frozenset(thai_female_names())


def _is_first_name(word: str) -> bool:
    return len(word) >= 2 and word not in _NOT_NAMES and word in _first_names()


def scan_student_names(text: str) -> Iterator[Finding]:
    for match in _STUDENT_ABBREVIATED.finditer(text):
        if match.group(2):
            yield Finding("student-name", match.start(), mask_name(*match.groups()))
    for match in _STUDENT_SPELLED_OUT.finditer(text):
        if _is_first_name(match.group(2)):
            yield Finding("student-name", match.start(), mask_name(*match.groups()))


def scan_emails(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        if not _EMAIL_FIELD.search(text[max(0, match.start() - 40) : match.start()]):
            yield Finding("email-in-text", match.start(), mask_email(match.group()))


def scan_personal_data(text: str) -> Iterator[Finding]:
    # Thai digits are one character each, so offsets survive the translation, which is
    # skipped (it is slow on long texts) when there is no Thai digit at all.
    plain = text.translate(THAI_DIGITS) if _ANY_THAI_DIGIT.search(text) else text
    ids = set()
    for match in _NATIONAL_ID.finditer(plain):
        digits = "".join(match.groups())
        ids.add(match.start())
        # Written as an ID (right after its name) it is one, whatever its check digit says.
        said = _ID_WORDS.search(plain[max(0, match.start() - _ID_WORDS_BEFORE) : match.start()])
        kind = "national-id" if is_national_id(digits) or said else "id-like-number"
        yield Finding(kind, match.start(), mask(digits))
    for match in _PHONE.finditer(plain):
        if match.start() not in ids:
            yield Finding("phone-number", match.start(), mask(match.group()))
    yield from scan_student_names(text)
    yield from scan_emails(text)
