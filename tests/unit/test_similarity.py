"""Near-duplicate detection: copies are flagged with the original named, other work is not."""

from __future__ import annotations

import re

from build_tools.contribute.newentry import format_body_template
from build_tools.contribute.review import review_catalog
from build_tools.core.loader import load_repository
from build_tools.core.similarity import check_near_duplicates, format_plain, plan_shingles
from tests.conftest import REPO_ROOT, VALID_ENTRY
from tests.unit.test_checker import run_ifte

ORIGINAL = "innovations/2566/monkey-math-word-problems/index.md"
UNRELATED = "innovations/2566/reading-clinic-struggling-readers/index.md"


def sample(relative: str) -> str:
    """A bundled sample entry without its attachment list (the files are not copied)."""
    text = (REPO_ROOT / relative).read_text(encoding="utf-8")
    return re.sub(r"^attachments:\n(?:[ -].*\n)+", "", text, flags=re.MULTILINE)


def lightly_edited_copy(text: str) -> str:
    """What a copier does: new names, a few numbers and words changed, a section dropped."""
    text = text.replace("year: 2566", "year: 2568")
    text = text.replace("นางสาววิภาวรรณ คงสมบูรณ์", "นางสาวสุดารัตน์ มั่นคง")
    text = text.replace("โรงเรียนวัดเขาสามยอดวิทยา", "โรงเรียนบ้านหนองม่วง")
    text = text.replace("เมืองลพบุรี", "หนองม่วง").replace("ลิงลพบุรี", "ลิงเมืองละโว้")
    text = text.replace("28 คน", "31 คน").replace("สัปดาห์ละ 2 คาบ", "สัปดาห์ละ 3 คาบ")
    return text.split("## บทเรียนที่ได้รับ")[0]


def codes_by_path(problems):
    return {(p.path, p.code): p for p in problems}


def test_lightly_edited_copy_is_flagged_and_names_the_original(scratch_project):
    scratch_project.write(ORIGINAL, sample(ORIGINAL))
    copy = "innovations/2568/lopburi-monkey-math/index.md"
    scratch_project.write(copy, lightly_edited_copy(sample(ORIGINAL)))
    catalog = load_repository(scratch_project.root)
    assert catalog.problems == ()
    found = codes_by_path(review_catalog(catalog))
    problem = found[(copy, "near-duplicate")]
    assert "innovations/2566/monkey-math-word-problems" in problem.message_th
    assert "ลิงลพบุรีชวนคิด" in problem.message_th  # the original's title
    assert int(dict(problem.args)["percent"]) >= 70
    assert problem.severity == "warning"
    assert (ORIGINAL, "near-duplicate") not in found  # the newer entry is the likely copy


def test_unrelated_entry_is_not_flagged(scratch_project):
    scratch_project.write(ORIGINAL, sample(ORIGINAL))
    scratch_project.write(UNRELATED, sample(UNRELATED))
    catalog = load_repository(scratch_project.root)
    assert len(catalog.entries) == 2
    assert review_catalog(catalog) == []


def test_the_bundled_sample_entries_are_all_distinct():
    catalog = load_repository(REPO_ROOT)
    assert len(catalog.entries) >= 30
    assert check_near_duplicates(catalog.entries, REPO_ROOT) == []


def test_same_title_with_other_text_is_flagged(scratch_project):
    scratch_project.write(UNRELATED, sample(UNRELATED))
    title = "title: คลินิกการอ่านเพื่อแก้ปัญหานักเรียนอ่านไม่ออกเขียนไม่ได้ในโรงเรียนขนาดเล็ก"
    scratch_project.entry(content=VALID_ENTRY.replace("title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ", title))
    problems = review_catalog(load_repository(scratch_project.root))
    assert [(p.path, p.code) for p in problems] == [
        ("innovations/2567/reading-kit/index.md", "similar-title")
    ]
    assert "innovations/2566/reading-clinic-struggling-readers" in problems[0].message_th


def test_checking_one_entry_compares_it_with_every_other(scratch_project):

    scratch_project.write(ORIGINAL, sample(ORIGINAL))
    copy = "innovations/2568/lopburi-monkey-math/index.md"
    scratch_project.write(copy, lightly_edited_copy(sample(ORIGINAL)))
    result = run_ifte("check", copy, cwd=scratch_project.root)
    assert result.returncode == 0  # a warning, not an error
    assert f"{copy}: warning [near-duplicate]" in result.stdout
    assert "ตรวจ 1 ไฟล์" in result.stdout


def test_new_entries_sharing_only_the_template_are_not_duplicates(scratch_project):
    for slug, summary in (("kit-a", "ชุดกิจกรรมการอ่าน"), ("kit-b", "แบบฝึกคณิตศาสตร์")):
        text = VALID_ENTRY.split("---\n##")[0].replace(
            "ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น", summary
        )
        text = text.replace("title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ", f"title: {summary}")
        body = format_body_template() + f"\n{summary}สำหรับนักเรียนชั้น ป.4\n"
        scratch_project.entry(slug, text + "---\n" + body)
    catalog = load_repository(scratch_project.root)
    assert len(catalog.entries) == 2
    assert review_catalog(catalog) == []


def test_spacing_punctuation_and_headings_do_not_change_the_fingerprint():
    assert format_plain("การ อ่าน,  จับใจความ!\n") == format_plain("การอ่านจับใจความ")
    assert plan_shingles(format_plain("ก ข ค ง จ ฉ ช ซ ฌ"), 8) == plan_shingles("กขคงจฉชซฌ", 8)
