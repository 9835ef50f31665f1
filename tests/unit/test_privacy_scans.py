"""PDPA scanners beyond national IDs: students' names and e-mail addresses in text."""

from __future__ import annotations

import pytest

from build_tools.core.loader import load_repository
from build_tools.core.privacy import scan_personal_data
from tests.conftest import VALID_ENTRY


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in scan_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("ด.ช.สมชาย ใจดี อ่านได้", "ด.ช.ส…"),
        ("ด.ญ. มาลี ใจงาม", "ด.ญ.ม…"),
        ("เด็กหญิงมาลี ใจงาม ได้รางวัล", "เด็กหญิงม…"),
        ("เด็กชาย สมชาย", "เด็กชายส…"),
    ],
)
def test_student_names_after_titles_are_found_and_masked(text, masked):
    assert kinds(text) == [("student-name", masked)]


@pytest.mark.parametrize(
    "text",
    [
        "นักเรียนทั้งเด็กชายและเด็กหญิงเข้าร่วม",
        "เด็กชายที่มีความบกพร่องทางการเรียนรู้",
        "เด็กหญิง 12 คน",
        "ด.ช. 5 คน ด.ญ. 7 คน",
        "เด็กชาย อายุ 10 ปี",
    ],
)
def test_prose_about_boys_and_girls_is_not_a_name(text):
    assert kinds(text) == []


def test_email_in_text_is_found_but_the_authors_email_field_is_not():
    assert kinds("ติดต่อ kru.a@school.ac.th ได้") == [("email-in-text", "kr…@school.ac.th")]
    assert kinds("  - name: ก\n    email: kru.a@school.ac.th\n") == []
    assert kinds('- {name: ก, email: "kru.a@school.ac.th"}') == []
    assert kinds("@school.ac.th และ a@b") == []


def test_findings_point_at_the_line_in_the_entry(scratch_project):
    body = "ผลงานของ ด.ญ.มาลี ใจงาม\n\nติดต่อ kru.a@school.ac.th\n"
    scratch_project.entry(content=VALID_ENTRY.replace("เนื้อหา\n", body))
    problems = load_repository(scratch_project.root).problems
    assert [(p.code, p.line, p.severity) for p in problems] == [
        ("student-name", 20, "warning"),
        ("email-in-text", 22, "warning"),
    ]
    assert "ด.ญ.ม…" in problems[0].message_th and "มาลี" not in problems[0].message_th
