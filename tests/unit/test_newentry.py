"""`ifte new`: scripted and interactive runs produce entries the checker accepts."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner

from build_tools.cli import main
from build_tools.contribute.newentry import (
    AuthorDraft,
    EntryDraft,
    current_be_year,
    format_entry,
    format_yaml_scalar,
    plan_unique_slug,
    suggest_slug,
)
from build_tools.core.loader import load_repository
from tests.conftest import VALID_ENTRY
from tests.unit.test_checker import run_ifte

SCRIPTED = [
    "new",
    "--yes",
    "--title",
    "ชุดกิจกรรมพัฒนาการอ่านจับใจความ: นิทานพื้นบ้านลพบุรี",
    "--title-en",
    "Reading Comprehension Kit (Lopburi Folktales)",
    "--type",
    "innovation",
    "--category",
    "การจัดการเรียนรู้",
    "--author",
    "นางสาวกมลวรรณ ใจดี|ครูชำนาญการพิเศษ|kamonwan@school.ac.th",
    "--author",
    "นายสมชาย รักเรียน",
    "--school",
    "โรงเรียนบ้านโคกสำโรง",
    "--district",
    "khok-samrong",
    "--affiliation",
    "สพป.ลบ.1",
    "--subject",
    "ภาษาไทย",
    "--level",
    "ป.4",
    "--level",
    "p5",
    "--keyword",
    "yes",
    "--keyword",
    "2567",
    "--summary",
    "ชุดกิจกรรม 6 เล่ม: ฝึกอ่านจับใจความจากนิทานพื้นบ้าน # ครบ 20 ชั่วโมง",
]


def run_new(project, *args, input=None):
    return CliRunner().invoke(main, [*args, "--root", str(project.root)], input=input)


def test_scripted_new_writes_an_entry_whose_only_problem_is_the_unwritten_body(
    scratch_project,
):
    result = run_new(scratch_project, *SCRIPTED, "--year", "2567")
    assert result.exit_code == 0, result.output
    path = scratch_project.root / "innovations/2567/reading-comprehension-kit-lopburi-folktales"
    assert (path / "index.md").is_file()
    assert "ตรวจ 1 ไฟล์: ข้อผิดพลาด 1 รายการ, คำเตือน 0 รายการ" in result.output
    assert "[body-no-content]" in result.output

    # "as written": the real command line finds only the body left to write (issue 25:
    # the template's six empty headings must not be published).
    check = run_ifte("check", cwd=scratch_project.root)
    assert check.returncode == 1, check.stdout
    assert check.stdout.count("error [") == 1 and "[body-no-content]" in check.stdout
    index = path / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("-->", "-->\nเนื้อหา", 1))
    check = run_ifte("check", cwd=scratch_project.root)
    assert check.returncode == 0 and "[section-empty]" in check.stdout, check.stdout

    (entry,) = load_repository(scratch_project.root).entries
    assert entry.school.district == "khok-samrong"
    assert entry.school.affiliation == "pesao-lopburi-1"
    assert entry.levels == ("p4", "p5")
    assert entry.keywords == ("yes", "2567")  # quoted, so YAML keeps them text
    assert entry.authors[0].email == "kamonwan@school.ac.th"
    assert entry.summary.endswith("# ครบ 20 ชั่วโมง")
    assert entry.license == "CC-BY-4.0"


def test_vocabulary_values_are_written_as_thai_labels(scratch_project):
    run_new(scratch_project, *SCRIPTED, "--year", "2567")
    text = next(scratch_project.root.glob("innovations/2567/*/index.md")).read_text("utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["type"] == "นวัตกรรม"
    assert front["school"]["district"] == "โคกสำโรง"
    assert front["school"]["affiliation"] == "สพป.ลพบุรี เขต 1"
    assert front["levels"] == ["ป.4", "ป.5"]
    assert front["license"] == "CC BY 4.0"
    assert "## ความเป็นมาและความสำคัญ" in text


def test_year_defaults_to_this_buddhist_era_year(scratch_project):
    result = run_new(scratch_project, *SCRIPTED)
    assert result.exit_code == 0, result.output
    assert list(scratch_project.root.glob(f"innovations/{current_be_year()}/*/index.md"))
    assert current_be_year(dt.date(2024, 6, 1)) == 2567


def test_missing_required_options_are_a_usage_error(scratch_project):
    result = run_new(scratch_project, "new", "--yes", "--title", "ชื่อผลงาน")
    assert result.exit_code == 2
    for option in (
        "--type",
        "--category",
        "--author",
        "--school",
        "--district",
        "--affiliation",
        "--summary",
    ):
        assert option in result.output
    assert not (scratch_project.root / "innovations").exists()


def test_unknown_choice_suggests_the_nearest_label(scratch_project):
    args = [a if a != "khok-samrong" else "โคกสำโรงง" for a in SCRIPTED]
    result = run_new(scratch_project, *args)
    assert result.exit_code == 1
    assert 'หมายถึง "โคกสำโรง" ใช่ไหม?' in result.output
    assert "Traceback" not in result.output


def test_interactive_run_asks_in_thai_with_numbered_choices(scratch_project):
    answers = (
        "\n".join(
            [
                "แบบฝึกทักษะคณิตศาสตร์ลิงลพบุรี",  # title
                "",  # English title (optional)
                "1",  # type: นวัตกรรม
                "1",  # category: การจัดการเรียนรู้
                "2024",  # a Christian-Era year is refused with a hint...
                "2567",  # ...then the Buddhist-Era year
                "นางสาววิภาวรรณ คงสมบูรณ์",
                "ครู",
                "not-an-email",
                "",  # author, bad e-mail, none
                "n",  # no second author
                "โรงเรียนวัดเขาสามยอด",  # school
                "1",  # district: เมืองลพบุรี
                "2",  # affiliation: สพป.ลพบุรี เขต 1
                "2",  # subjects: คณิตศาสตร์
                "6,7",  # levels: ป.3, ป.4
                "โจทย์ปัญหา, โพลยา",  # keywords
                "แบบฝึกทักษะการแก้โจทย์ปัญหา 6 เล่ม",  # summary
                "",  # folder name: accept the suggestion
            ]
        )
        + "\n"
    )
    result = run_new(scratch_project, "new", input=answers)
    assert result.exit_code == 0, result.output
    assert "ประเภทผลงาน (Type)" in result.output and " 1) นวัตกรรม" in result.output
    assert "เป็นปี ค.ศ. ใช้ปี พ.ศ." in result.output
    assert "อีเมลไม่ถูกต้อง" in result.output
    index = scratch_project.root / "innovations/2567"
    index = index / "baep-fuek-thaksa-khanitsat-ling-laphaburi/index.md"  # romanised Thai title
    index.write_text(index.read_text(encoding="utf-8").replace("-->", "-->\nเนื้อหา"))
    (entry,) = load_repository(scratch_project.root).entries
    assert entry.year == 2567
    assert entry.slug == "baep-fuek-thaksa-khanitsat-ling-laphaburi"  # romanised Thai title
    assert entry.subjects == ("math",)
    assert entry.levels == ("p3", "p4")
    assert entry.school.district == "mueang-lop-buri"
    assert entry.keywords == ("โจทย์ปัญหา", "โพลยา")


def test_slug_from_english_title_or_transliterated_thai():
    assert suggest_slug("ชื่อไทย", "Reading Kit: Grade 4!") == "reading-kit-grade-4"
    assert suggest_slug("การนิเทศแบบออนไลน์") == "kan-nithet-baep-onlai"
    assert suggest_slug("!!!") == "innovation"
    long = suggest_slug("x", "one two three four five six seven eight nine")
    assert long == "one-two-three-four-five-six-seven"


def test_taken_slug_gets_a_number_and_is_refused_when_forced(scratch_project):
    scratch_project.entry(
        "reading-kit", year=2566, content=VALID_ENTRY.replace("year: 2567", "year: 2566")
    )
    assert plan_unique_slug(scratch_project.root, "reading-kit") == "reading-kit-2"
    result = run_new(scratch_project, *SCRIPTED, "--slug", "reading-kit")
    assert result.exit_code == 1
    assert "reading-kit-2" in result.output


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("นวัตกรรม", "นวัตกรรม"),
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("2567", '"2567"'),
        ("2024-06-15", '"2024-06-15"'),
        ("4 ขั้นของโพลยา", "4 ขั้นของโพลยา"),
        ("ชื่อ: รอง", '"ชื่อ: รอง"'),
        ("- รายการ", '"- รายการ"'),
        ("*ดาว", '"*ดาว"'),
        ("ข้อ #1", '"ข้อ #1"'),
        ('คำว่า "อ่าน"', 'คำว่า "อ่าน"'),
        (" เว้นวรรค", '" เว้นวรรค"'),
    ],
)
def test_yaml_scalars_are_quoted_only_when_needed(value, written):
    assert format_yaml_scalar(value) == written
    assert yaml.safe_load(f"key: {written}")["key"] == value


def test_formatted_entry_reads_back_field_for_field():
    draft = EntryDraft(
        title="ก: ข",
        type="นวัตกรรม",
        category="การบริหารจัดการ",
        year=2568,
        authors=(AuthorDraft("นาย ก", "ครู", "a@b.th"),),
        school_name="โรงเรียน ข",
        district="ลำสนธิ",
        affiliation="อปท.",
        summary="บรรทัดแรก\n\nย่อหน้าสอง: #1",
        slug="x",
        links=(("https://example.org/a?b=1#c", ""),),
        submitted=dt.date(2025, 1, 2),
        body="เนื้อหา\n",
    )
    text = format_entry(draft)
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "ก: ข"
    assert front["summary"] == "บรรทัดแรก\nย่อหน้าสอง: #1"
    assert front["links"] == [
        {"url": "https://example.org/a?b=1#c", "title": "https://example.org/a?b=1#c"}
    ]
    assert front["submitted"] == dt.date(2025, 1, 2)
    assert text.endswith("---\nเนื้อหา\n")
