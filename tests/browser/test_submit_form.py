"""The /submit/ form in headless Chromium, used as a teacher would use it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from build_tools.contribute.newentry import AuthorDraft, AwardDraft, EntryDraft, format_entry
from build_tools.core.loader import load_repository
from build_tools.core.problems import CODES
from tests.unit.test_checker import run_ifte

pytestmark = pytest.mark.browser

REPO = "https://github.com/lopburi-peo/ifte-innovations"


def fill_valid_entry(page) -> None:
    page.fill("#f-title", "ชุดกิจกรรมพัฒนาการอ่านจับใจความ: นิทานพื้นบ้านลพบุรี")
    page.fill("#f-title-en", "Lopburi Folktale Reading Kit")
    page.select_option("#f-type", "นวัตกรรม")
    page.select_option("#f-category", "การจัดการเรียนรู้")
    page.fill("#f-year", "2568")
    page.fill('[data-row="author"] .ifte-row:nth-child(1) [data-field="name"]', "นางสาวกมลวรรณ ใจดี")
    page.fill(
        '[data-row="author"] .ifte-row:nth-child(1) [data-field="position"]', "ครูชำนาญการพิเศษ"
    )
    page.click('[data-add="author"]')
    page.fill('[data-row="author"] .ifte-row:nth-child(2) [data-field="name"]', "นายสมชาย รักเรียน")
    page.fill("#f-school", "โรงเรียนบ้านโคกสำโรง")
    page.select_option("#f-district", "โคกสำโรง")
    page.select_option("#f-affiliation", "สพป.ลพบุรี เขต 1")
    page.check('input[name="subjects"][value="ภาษาไทย"]')
    page.check('input[name="levels"][value="ป.4"]')
    page.check('input[name="levels"][value="ป.5"]')
    page.fill("#f-keywords", "การอ่าน, yes, นิทานพื้นบ้าน")
    page.fill("#f-summary", "ชุดกิจกรรม 6 เล่ม: ฝึกอ่านจับใจความจากนิทานพื้นบ้านลพบุรี #1")
    page.fill(
        "#f-body",
        "## ความเป็นมา\n\nนักเรียนชั้น ป.4 อ่านจับใจความไม่ได้\n\n## ขั้นตอน\n\n1. อ่านนิทาน\n2. ตอบคำถาม\n",
    )
    page.click('[data-add="link"]')
    page.fill('[data-row="link"] [data-field="url"]', "https://www.youtube.com/watch?v=abcdefghijk")
    page.fill('[data-row="link"] [data-field="title"]', "คลิปสาธิต")
    page.fill("#f-award-title", "รางวัลนวัตกรรมดีเด่น")
    page.select_option("#f-award-level", "จังหวัด")
    page.fill("#f-award-year", "2568")
    page.click("#ifte-check")  # show every problem, touched or not


def expected_draft(submitted: dt.date) -> EntryDraft:
    """The same answers given to the Python writer (`ifte new`, the issue form)."""
    return EntryDraft(
        title="ชุดกิจกรรมพัฒนาการอ่านจับใจความ: นิทานพื้นบ้านลพบุรี",
        title_en="Lopburi Folktale Reading Kit",
        type="นวัตกรรม",
        category="การจัดการเรียนรู้",
        year=2568,
        authors=(
            AuthorDraft("นางสาวกมลวรรณ ใจดี", "ครูชำนาญการพิเศษ"),
            AuthorDraft("นายสมชาย รักเรียน"),
        ),
        school_name="โรงเรียนบ้านโคกสำโรง",
        district="โคกสำโรง",
        affiliation="สพป.ลพบุรี เขต 1",
        subjects=("ภาษาไทย",),
        levels=("ป.4", "ป.5"),
        keywords=("การอ่าน", "yes", "นิทานพื้นบ้าน"),
        summary="ชุดกิจกรรม 6 เล่ม: ฝึกอ่านจับใจความจากนิทานพื้นบ้านลพบุรี #1",
        award=AwardDraft("รางวัลนวัตกรรมดีเด่น", "จังหวัด", 2568),
        links=(("https://www.youtube.com/watch?v=abcdefghijk", "คลิปสาธิต"),),
        license="CC BY 4.0",
        slug="lopburi-folktale-reading-kit",
        submitted=submitted,
        body="## ความเป็นมา\n\nนักเรียนชั้น ป.4 อ่านจับใจความไม่ได้\n\n## ขั้นตอน\n\n"
        "1. อ่านนิทาน\n2. ตอบคำถาม\n",
    )


def test_form_writes_a_file_that_ifte_check_accepts(page, site_url, scratch_project, tmp_path):
    page.goto(site_url + "submit/")
    assert page.locator("#ifte-download").is_disabled()  # an empty form cannot be sent
    fill_valid_entry(page)
    # Checked after the last answer (the award year), and nothing to report.
    page.wait_for_function(
        "document.getElementById('ifte-output').textContent.includes('  year: 2568')"
        " && document.getElementById('ifte-status').textContent.includes('ผ่านการตรวจ')"
    )
    assert page.locator("#ifte-problems li").count() == 0
    assert page.input_value("#f-slug") == "lopburi-folktale-reading-kit"  # from the English title
    path = page.text_content("#ifte-path")
    assert path == "innovations/2568/lopburi-folktale-reading-kit/index.md"

    with page.expect_download() as download_info:
        page.click("#ifte-download")
    download = download_info.value
    assert download.suggested_filename == "index.md"
    saved = tmp_path / "index.md"
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8")

    # The file, put where the form says, passes the checker with nothing to report.
    scratch_project.write(path, text)
    catalog = load_repository(scratch_project.root)
    assert catalog.problems == ()
    (entry,) = catalog.entries
    assert entry.school.district == "khok-samrong" and entry.award.level == "province"
    check = run_ifte("check", cwd=scratch_project.root)
    assert check.returncode == 0, check.stdout

    # Byte for byte what the Python writer makes of the same answers.
    submitted = entry.submitted
    assert text == format_entry(expected_draft(submitted))

    # The GitHub button copies the file (any length) and opens "create new file" at the
    # right path, with no content in the address.
    page.evaluate(
        "() => { window.open = (u) => { window.__opened = u; return null; };"
        " navigator.clipboard.writeText = (t) => { window.__copied = t; return Promise.resolve(); }; }"
    )
    page.click("#ifte-github")
    page.locator("#ifte-github-done").wait_for()
    parts = urlsplit(page.evaluate("window.__opened"))
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPO}/new/main"
    assert parse_qs(parts.query) == {"filename": [path]}
    assert page.evaluate("window.__copied") == text

    preview = page.locator("#ifte-preview")
    assert preview.locator("h1").text_content() == entry.title
    assert preview.locator("ol li").count() == 2
    assert page.watch.console_errors == []
    assert page.watch.external_requests == []


def test_national_id_blocks_the_file_until_removed(page, site_url):
    page.goto(site_url + "submit/")
    fill_valid_entry(page)
    page.fill("#f-body", "## ความเป็นมา\n\nครูผู้สอน เลขประจำตัว 1-1037-02071-81-1\n")
    problem = page.locator('#ifte-problems li[data-code="national-id"]')
    problem.wait_for()
    assert "ห้ามเผยแพร่ (PDPA)" in problem.text_content()
    assert "1103702071811" not in page.content()  # the number is never echoed
    assert page.locator("#ifte-download").is_disabled()
    assert page.locator("#ifte-github").is_disabled()
    assert page.locator("#ifte-package").is_disabled()
    assert page.get_attribute("#f-body", "aria-invalid") == "true"
    note_id = page.get_attribute("#f-body", "aria-describedby").split()[-1]
    assert "เลขประจำตัวประชาชน" in page.text_content(f"#{note_id}")

    page.fill("#f-body", "## ความเป็นมา\n\nไม่มีข้อมูลส่วนบุคคล\n")
    page.wait_for_function("!document.getElementById('ifte-download').disabled")
    assert page.locator('#ifte-problems li[data-code="national-id"]').count() == 0
    assert page.watch.console_errors == []


def test_checker_rules_show_while_typing(page, site_url):
    page.goto(site_url + "submit/")
    fill_valid_entry(page)
    page.fill("#f-year", "2024")
    page.fill("#f-slug", "Reading Kit")
    page.select_option("#f-district", "")
    page.fill("#f-summary", "ติดต่อ ด.ญ.มาลี ใจงาม โทร 081-234-5678")
    expected = [
        "year-christian-era",
        "invalid-slug",
        "empty-value",
        "student-name",
        "phone-number",
    ]
    # The form re-checks 150 ms after the last keystroke: wait until it has seen them all.
    page.wait_for_function(
        "codes => codes.every(c => document.querySelector(`#ifte-problems li[data-code=${c}]`))",
        arg=expected,
    )
    codes = page.eval_on_selector_all("#ifte-problems li", "els => els.map(e => e.dataset.code)")
    assert set(codes) <= set(CODES)  # the checker's own codes, nothing invented
    christian = page.text_content('#ifte-problems li[data-code="year-christian-era"]')
    assert "ปี 2024 ดูเหมือนเป็นปี ค.ศ." in christian and "2567" in christian
    assert "reading-kit" in page.text_content('#ifte-problems li[data-code="invalid-slug"]')
    empty = page.text_content('#ifte-problems li[data-code="empty-value"]')
    assert "วิธีแก้: กรอกช่องนี้" in empty and "บรรทัด" not in empty  # the form's own words

    # Work in progress survives a reload (kept in this browser only).
    page.reload()
    assert page.input_value("#f-title").startswith("ชุดกิจกรรมพัฒนาการอ่าน")
    assert (
        page.input_value('[data-row="author"] .ifte-row:nth-child(2) [data-field="name"]')
        == "นายสมชาย รักเรียน"
    )
    assert page.watch.console_errors == []
