"""The checker, table-driven: one small bad file per problem code."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from build_tools.core.loader import load_repository
from build_tools.core.problems import CODES
from tests.conftest import REPO_ROOT, VALID_ENTRY


def replace(old: str, new: str) -> str:
    assert old in VALID_ENTRY
    return VALID_ENTRY.replace(old, new, 1)


VALID_ID = "1103702071811"  # passes the national-ID checksum

# code, file content (str or bytes), expected line, expected field
CASES = [
    ("encoding-legacy", VALID_ENTRY.encode("cp874"), 0, ""),
    ("encoding-invalid", VALID_ENTRY.encode() + b"\xff\xfe", 21, ""),
    ("file-too-large", VALID_ENTRY + "ก" * 100_000, 0, ""),
    ("front-matter-missing", "# ชื่อเรื่อง\n\nเนื้อหา\n", 1, ""),
    ("front-matter-unclosed", VALID_ENTRY.replace("---\n##", "##"), 1, ""),
    ("front-matter-not-mapping", "---\n- a\n- b\n---\nbody\n", 2, ""),
    ("yaml-syntax", replace("year: 2567", "year 2567\nfoo: [1"), 6, ""),
    ("yaml-tab", replace("    position: ครู", "\tposition: ครู"), 8, ""),
    ("yaml-duplicate-key", replace("year: 2567", "year: 2567\nyear: 2566"), 6, "year"),
    ("yaml-tag", replace("year: 2567", "year: !!python/object/apply:os.system [ls]"), 5, ""),
    ("yaml-alias", replace("keywords: [การอ่าน]", "keywords: &k [a]\nx: *k"), 15, ""),
    ("unknown-key", replace("keywords:", "keyword:"), 15, "keyword"),
    ("missing-field", replace("summary: ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น\n", ""), 2, "summary"),
    (
        "wrong-type",
        replace(
            "school:\n  name: โรงเรียนบ้านโคกสำโรง\n  district: โคกสำโรง\n"
            "  affiliation: สพป.ลพบุรี เขต 1",
            "school: โรงเรียนบ้านโคกสำโรง",
        ),
        9,
        "school",
    ),
    ("empty-value", replace("title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ", "title:"), 2, "title"),
    ("unknown-choice", replace("district: โคกสำโรง", "district: โคกสำโรงง"), 11, "school.district"),
    ("year-christian-era", replace("year: 2567", "year: 2024"), 5, "year"),
    ("year-out-of-range", replace("year: 2567", "year: 2999"), 5, "year"),
    ("year-mismatch", replace("year: 2567", "year: 2566"), 5, "year"),
    ("invalid-date", replace("year: 2567", "year: 2567\nsubmitted: 15/06/2567"), 6, "submitted"),
    (
        "invalid-email",
        replace("    position: ครู", "    email: kamonwan-at-school"),
        8,
        "authors[0].email",
    ),
    ("too-long", replace("title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ", "title: " + "ก" * 301), 2, "title"),
    (
        "link-scheme",
        replace("year: 2567", "year: 2567\nlinks:\n  - {url: 'javascript:alert(1)', title: x}"),
        7,
        "links[0].url",
    ),
    ("unicode-normalization", replace("ชุดกิจกรรม", "ชุดกิจกรรม น\u0e49\u0e4d\u0e32"), 2, "index.md"),
    ("thai-digits", replace("year: 2567", "year: ๒๕๖๗"), 5, "year"),
    (
        "attachment-missing",
        replace("year: 2567", "year: 2567\nattachments:\n  - {file: a.pdf, title: x}"),
        7,
        "attachments[0].file",
    ),
    (
        "attachment-outside",
        replace("year: 2567", "year: 2567\nattachments:\n  - {file: ../../secret.pdf, title: x}"),
        7,
        "attachments[0].file",
    ),
    ("national-id", replace("เนื้อหา", f"เลขประจำตัว {VALID_ID}"), 20, ""),
    ("phone-number", replace("เนื้อหา", "โทร 081-234-5678"), 20, ""),
    ("image-missing-alt", replace("เนื้อหา", "![](photo.jpg)"), 20, ""),
    ("body-empty", VALID_ENTRY.split("## ")[0], 18, ""),
    ("student-name", replace("เนื้อหา", "ด.ญ.มาลี ใจงาม อ่านได้คล่อง"), 20, ""),
    ("email-in-text", replace("เนื้อหา", "ติดต่อ kamonwan@school.ac.th"), 20, ""),
    ("id-like-number", replace("เนื้อหา", "ISBN 9786160000002"), 20, ""),
    ("body-no-content", replace("เนื้อหา", "<!-- เขียนที่นี่ -->"), 18, ""),
    ("section-empty", replace("เนื้อหา", "เนื้อหา\n\n## ผลการใช้\n\n<!-- ว่าง -->"), 22, ""),
    ("image-not-found", replace("เนื้อหา", "![ภาพกิจกรรม](missing.jpg)"), 20, ""),
    ("cover-not-image", replace("year: 2567", "year: 2567\ncover: missing.jpg"), 6, "cover"),
]


@pytest.mark.parametrize(("code", "content", "line", "field"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_file_reports_its_code(scratch_project, code, content, line, field):
    scratch_project.entry(content=content)
    catalog = load_repository(scratch_project.root)
    found = [p for p in catalog.problems if p.code == code]
    assert found, [f"{p.location} {p.code}" for p in catalog.problems]
    problem = found[0]
    assert problem.path == "innovations/2567/reading-kit/index.md"
    assert problem.line == line
    assert problem.field == field
    assert problem.message_th and problem.message_en


def test_every_problem_code_has_a_table_case_or_its_own_test():
    covered = {c[0] for c in CASES} | {
        "folder-layout",
        "invalid-slug",
        "duplicate-slug",
        "attachment-type",
        "attachment-too-large",
        # cross-entry and photo checks (build_tools/contribute/review.py): tests/unit/test_similarity.py,
        # tests/unit/test_images.py
        "near-duplicate",
        "similar-title",
        "image-gps",
        # hostile input: tests/unit/test_hostile_input.py (tests/hostile_repo.py)
        "unsafe-file",
        "front-matter-too-large",
        "front-matter-too-deep",
        "attachment-name",
        "image-too-large",
        "body-too-complex",
        "body-too-slow",
        # work dates: tests/unit/test_periods.py::test_finished_before_started_names_file_line_field
        "dates-out-of-order",
        # selection rounds and score sheets: tests/unit/test_selection.py
        # (test_each_bad_round_reports_its_code_and_line and the sheet tests)
        "unknown-entry",
        "unknown-member",
        "not-a-candidate",
        "conflict-of-interest",
        "score-missing",
        "score-count",
        "score-out-of-range",
        "weights-total",
        "duplicate-id",
        "sheet-columns",
    }
    assert covered == set(CODES)


def test_every_code_has_thai_english_and_fix():
    for info in CODES.values():
        assert info.th and info.en and info.fix_th and info.fix_en, info.code
        assert info.severity in ("error", "warning")


def test_valid_entry_has_no_problems(scratch_project):
    scratch_project.entry()
    catalog = load_repository(scratch_project.root)
    assert catalog.problems == ()
    (entry,) = catalog.entries
    assert entry.id == "2567/reading-kit"
    assert entry.school.district == "khok-samrong"
    assert entry.subjects == ("thai",)
    assert entry.license == "CC-BY-4.0"


def test_bom_and_crlf_are_accepted(scratch_project):
    scratch_project.entry(content=b"\xef\xbb\xbf" + VALID_ENTRY.replace("\n", "\r\n").encode())
    catalog = load_repository(scratch_project.root)
    assert catalog.problems == ()
    assert len(catalog.entries) == 1


def test_unknown_district_suggests_nearest(scratch_project):
    scratch_project.entry(content=replace("district: โคกสำโรง", "district: โคกสำโรงง"))
    (problem,) = load_repository(scratch_project.root).problems
    assert 'หมายถึง "โคกสำโรง" ใช่ไหม?' in problem.message_th
    assert 'did you mean "โคกสำโรง"?' in problem.message_en


def test_unknown_key_suggests_known_key(scratch_project):
    scratch_project.entry(content=replace("keywords:", "keywrods:"))
    (problem,) = load_repository(scratch_project.root).problems
    assert '"keywords"' in problem.message_en


def test_christian_year_hints_to_add_543(scratch_project):
    scratch_project.entry(content=replace("year: 2567", "year: 2024"))
    problems = [p for p in load_repository(scratch_project.root).problems]
    assert "2567" in problems[0].message_th


def test_aliases_and_english_labels_are_accepted(scratch_project):
    content = replace("subjects: [ภาษาไทย]", "subjects: [วิทยาศาสตร์, Mathematics]")
    scratch_project.entry(content=content.replace("สพป.ลพบุรี เขต 1", "กศน."))
    (entry,) = load_repository(scratch_project.root).entries
    assert entry.subjects == ("science", "math")
    assert entry.school.affiliation == "nfe"


def test_yaml_yes_in_a_text_field_stays_text(scratch_project):
    scratch_project.entry(content=replace("keywords: [การอ่าน]", "keywords: [yes, 2567]"))
    (entry,) = load_repository(scratch_project.root).entries
    assert entry.keywords == ("yes", "2567")


def test_alias_bomb_is_refused_quickly(scratch_project):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    scratch_project.entry(content=VALID_ENTRY.replace("---\n##", bomb + "---\n##"))
    codes = {p.code for p in load_repository(scratch_project.root).problems}
    assert codes == {"yaml-alias"}


def test_every_problem_in_one_run(scratch_project):
    content = (
        replace("district: โคกสำโรง", "district: xx")
        .replace("year: 2567", "year: 2024")
        .replace("keywords:", "keyword:")
    )
    scratch_project.entry(content=content)
    codes = {p.code for p in load_repository(scratch_project.root).problems}
    assert {"unknown-choice", "year-christian-era", "unknown-key"} <= codes


def test_folder_layout_and_slug(scratch_project):
    scratch_project.write("innovations/2567/Reading Kit/index.md")
    scratch_project.write("innovations/reading/index.md")
    codes = sorted(p.code for p in load_repository(scratch_project.root).problems)
    assert codes == ["folder-layout", "invalid-slug"]


def test_duplicate_slug_across_years(scratch_project):
    scratch_project.entry(year=2566, content=replace("year: 2567", "year: 2566"))
    scratch_project.entry(year=2567)
    problems = load_repository(scratch_project.root).problems
    assert [p.code for p in problems] == ["duplicate-slug"]
    assert problems[0].path == "innovations/2567/reading-kit/index.md"
    assert "innovations/2566/reading-kit" in problems[0].message_th


def _with_attachment(name: str) -> str:
    return replace("year: 2567", f"year: 2567\nattachments:\n  - {{file: {name}, title: x}}")


def test_attachment_type_is_checked_by_bytes(scratch_project):
    folder = scratch_project.entry(content=_with_attachment("plan.pdf")).parent
    (folder / "plan.pdf").write_bytes(b"PK\x03\x04 this is really a docx")
    (problem,) = load_repository(scratch_project.root).problems
    assert problem.code == "attachment-type"


def test_attachment_extension_not_allowed(scratch_project):
    folder = scratch_project.entry(content=_with_attachment("plan.docx")).parent
    (folder / "plan.docx").write_bytes(b"PK\x03\x04")
    (problem,) = load_repository(scratch_project.root).problems
    assert problem.code == "attachment-type"


def test_attachment_too_large(scratch_project, monkeypatch):
    monkeypatch.setattr("build_tools.core.attachments.MAX_ATTACHMENT_BYTES", 100)
    folder = scratch_project.entry(content=_with_attachment("plan.pdf")).parent
    (folder / "plan.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 200)
    (problem,) = load_repository(scratch_project.root).problems
    assert problem.code == "attachment-too-large"


def test_valid_attachment_is_recorded(scratch_project):
    folder = scratch_project.entry(content=_with_attachment("plan.pdf")).parent
    (folder / "plan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (entry,) = load_repository(scratch_project.root).entries
    assert entry.attachments[0].media_type == "application/pdf"
    assert entry.attachments[0].size == 15


def test_symlink_out_of_the_folder_is_refused(scratch_project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4\n")
    folder = scratch_project.entry(content=_with_attachment("plan.pdf")).parent
    (folder / "plan.pdf").symlink_to(outside)
    catalog = load_repository(scratch_project.root)
    assert {p.code for p in catalog.problems} == {"attachment-outside", "unsafe-file"}
    assert catalog.entries == ()


# --- the command line -------------------------------------------------------------


def run_ifte(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True
    )


def test_cli_text_output_and_exit_code(scratch_project):
    scratch_project.entry(content=replace("district: โคกสำโรง", "district: โคกสำโรงง"))
    result = run_ifte("check", cwd=scratch_project.root)
    assert result.returncode == 1
    assert (
        "innovations/2567/reading-kit/index.md:11:13: error [unknown-choice] school.district"
        in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_json_and_github_formats(scratch_project):
    scratch_project.entry(content=replace("year: 2567", "year: 2024"))
    data = json.loads(run_ifte("check", "--format", "json", cwd=scratch_project.root).stdout)
    assert data[0]["code"] == "year-christian-era" and data[0]["line"] == 5
    github = run_ifte("check", "--format", "github", cwd=scratch_project.root).stdout
    assert github.startswith("::error file=innovations/2567/reading-kit/index.md,line=5,")


def test_cli_ok_and_usage_exit_codes(scratch_project):
    scratch_project.entry()
    assert run_ifte("check", cwd=scratch_project.root).returncode == 0
    assert run_ifte("check", "--format", "xml", cwd=scratch_project.root).returncode == 2
    assert run_ifte("check", "no/such/path", cwd=scratch_project.root).returncode == 2


def test_cli_checks_only_given_paths(scratch_project):
    scratch_project.entry("good")
    scratch_project.entry("bad", replace("year: 2567", "year: 2024"))
    result = run_ifte("check", "innovations/2567/good", cwd=scratch_project.root)
    assert result.returncode == 0, result.stdout


def test_sample_repository_is_clean():
    result = run_ifte("check", cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout


def test_a_value_of_another_list_is_pointed_to_its_field_not_misspelt(scratch_project):
    scratch_project.entry(content=VALID_ENTRY.replace("[ภาษาไทย]", "[การบริหารสถานศึกษา]"))
    (problem,) = load_repository(scratch_project.root).problems
    assert problem.code == "unknown-choice" and problem.field == "subjects[0]"
    assert "ด้าน" in problem.hint_th and "การบริหารจัดการ" in problem.hint_th
    assert "ปฐมวัย" not in problem.hint_th and "category" in problem.hint_en
