"""Issue 25, end to end: a teacher hands in a full entry with a PDF and a photo through
the form's package, the office takes it in with `ifte import`, the site shows it without
the photo's GPS; the issue-form route gives the same folder byte for byte."""

from __future__ import annotations

import datetime as dt
import shutil
import urllib.parse
import zipfile

import pytest
from click.testing import CliRunner

from build_tools.cli import main
from build_tools.contribute.files import strip_photo_metadata
from tests.browser.test_submit_form import fill_valid_entry
from tests.conftest import build_scratch_site, serve_directory
from tests.contribute.helpers import git, has_gps, make_git_project, photo_with_gps, small_pdf
from tests.unit.test_checker import run_ifte
from tests.unit.test_pullrequest_issue import render_issue

pytestmark = pytest.mark.browser

FOLDER = "innovations/2568/lopburi-folktale-reading-kit"
TABLE = (
    "| ด้าน | ก่อนใช้ | หลังใช้ |\n| --- | ---: | ---: |\n"
    "| การอ่านจับใจความ | 52.4 | 81.7 |\n| การเขียนสรุป | 48.0 | 76.3 |\n"
)
PARAGRAPH = (
    "นักเรียนอ่านนิทานพื้นบ้านลพบุรีเรื่องละหนึ่งสัปดาห์ ครูตั้งคำถามให้คิดตามทีละขั้น "
    "แล้วให้นักเรียนเล่าเรื่องด้วยภาษาของตนเอง บันทึกผลในแบบสังเกตทุกครั้ง "
)


def long_body() -> str:
    """About 20 KB of Markdown: six sections, a table and the photo."""
    sections = [
        "ความเป็นมาและความสำคัญ",
        "วัตถุประสงค์",
        "ขั้นตอนการดำเนินงาน",
        "ผลการดำเนินงาน",
        "ปัจจัยความสำเร็จ",
        "บทเรียนที่ได้รับ",
    ]
    parts = []
    for number, heading in enumerate(sections):
        parts.append(f"## {heading}\n\n" + "\n\n".join([PARAGRAPH * 3] * 4) + "\n")
        if number == 3:
            parts.append(TABLE + "\n![ภาพกิจกรรมการอ่านในห้องเรียน](image-2.jpg)\n")
    body = "\n".join(parts)
    assert len(body.encode("utf-8")) >= 15_000
    return body


def issue_values(files: str) -> dict:
    """The same answers as `fill_valid_entry` (without the award, which the issue form
    does not ask), as a teacher types them into the GitHub issue form."""
    return {
        "title": "ชุดกิจกรรมพัฒนาการอ่านจับใจความ: นิทานพื้นบ้านลพบุรี",
        "title_en": "Lopburi Folktale Reading Kit",
        "type": "นวัตกรรม",
        "category": "การจัดการเรียนรู้",
        "year": "2568",
        "authors": "นางสาวกมลวรรณ ใจดี, ครูชำนาญการพิเศษ\nนายสมชาย รักเรียน",
        "school": "โรงเรียนบ้านโคกสำโรง",
        "district": "โคกสำโรง",
        "affiliation": "สพป.ลพบุรี เขต 1",
        "subjects": "ภาษาไทย",
        "levels": "ป.4, ป.5",
        "keywords": "การอ่าน, yes, นิทานพื้นบ้าน",
        "summary": "ชุดกิจกรรม 6 เล่ม: ฝึกอ่านจับใจความจากนิทานพื้นบ้านลพบุรี #1",
        "body": long_body(),
        "links": "https://www.youtube.com/watch?v=abcdefghijk คลิปสาธิต",
        "files": files,
        "license": "CC BY 4.0",
    }


def test_form_package_to_import_to_site_and_the_issue_route_agrees(page, site_url, tmp_path):
    originals = tmp_path / "teacher"
    originals.mkdir()
    pdf, photo = originals / "รายงานผลการใช้.pdf", originals / "ภาพกิจกรรม.jpg"
    pdf.write_bytes(small_pdf())
    photo.write_bytes(photo_with_gps())
    assert has_gps(photo.read_bytes())

    # 1. The teacher fills the form in Thai and picks the two files.
    page.goto(site_url + "submit/")
    assert page.locator("#ifte-problems li").count() == 0  # nothing red before typing
    fill_valid_entry(page)
    for selector in ("#f-award-title", "#f-award-year"):
        page.fill(selector, "")
    page.select_option("#f-award-level", "")
    page.fill("#f-body", long_body())
    page.set_input_files("#f-files", [str(pdf), str(photo)])
    page.wait_for_function("document.querySelectorAll('#f-files-list li').length === 2")
    names = page.eval_on_selector_all(
        "#f-files-list [data-name]", "els => els.map(e => e.textContent)"
    )
    assert names == ["document-1.pdf", "image-2.jpg"]
    page.click("#ifte-check")
    page.wait_for_function(
        "document.getElementById('ifte-status').textContent.includes('ผ่านการตรวจ')"
    )
    preview = page.locator("#ifte-preview")
    assert preview.locator("table tbody tr").count() == 2  # a table, not raw pipes
    assert preview.locator("img[alt='ภาพกิจกรรมการอ่านในห้องเรียน']").count() == 1
    with page.expect_download() as download_info:
        page.click("#ifte-package")
    package = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(package)
    assert package.name == "ifte-lopburi-folktale-reading-kit.zip"
    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == [
            "lopburi-folktale-reading-kit/document-1.pdf",
            "lopburi-folktale-reading-kit/image-2.jpg",
            "lopburi-folktale-reading-kit/index.md",
        ]
        assert archive.testzip() is None
    assert page.watch.console_errors == [] and page.watch.external_requests == []

    # 2. The office imports it into its clone: a commit on a new branch, check passes.
    project = make_git_project(tmp_path / "office")
    result = CliRunner().invoke(
        main, ["import", str(package), "--no-pr", "--root", str(project.root)]
    )
    assert result.exit_code == 0, result.output
    assert git(project.root, "branch", "--show-current").strip() == (
        "submission/lopburi-folktale-reading-kit"
    )
    assert git(project.root, "status", "--porcelain") == ""
    check = run_ifte("check", cwd=project.root)
    assert check.returncode == 0, check.stdout
    published_photo = (project.root / FOLDER / "image-2.jpg").read_bytes()
    assert not has_gps(published_photo)
    assert published_photo == strip_photo_metadata(photo.read_bytes())  # the browser's twin

    # 3. The site shows the entry with its attachments and the photo.
    built = build_scratch_site(project)
    assert built.returncode == 0, built.stderr
    site = project.root / "site"
    html = (site / FOLDER / "index.html").read_text(encoding="utf-8")
    assert "document-1.pdf" in html and "รายงานผลการใช้" in html
    assert 'alt="ภาพกิจกรรมการอ่านในห้องเรียน"' in html and "<table" in html
    for served in (site / FOLDER).glob("*.jpg"):
        assert not has_gps(served.read_bytes())

    # 4. The same entry through the issue form, attachments served from 127.0.0.1.
    server, base = serve_directory(originals)
    try:
        files = (
            f"[{pdf.name}]({base}{urllib.parse.quote(pdf.name)})\n\n"
            f"![ภาพกิจกรรม]({base}{urllib.parse.quote(photo.name)})"
        )
        issue = tmp_path / "issue.md"
        issue.write_text(render_issue(issue_values(files)), encoding="utf-8")
        other = make_git_project(tmp_path / "issue-repo")
        args = ["issue-entry", "--body-file", str(issue), "--number", "7"]
        args += ["--out-dir", str(tmp_path / "out"), "--attachments-from", base]
        done = CliRunner().invoke(main, [*args, "--root", str(other.root)])
        assert done.exit_code == 0, done.output
    finally:
        server.shutdown()
    from_issue = {p.name: p.read_bytes() for p in (other.root / FOLDER).iterdir()}
    from_form = {p.name: p.read_bytes() for p in (project.root / FOLDER).iterdir()}
    submitted = dt.date.today().isoformat()  # both were made today
    assert f"submitted: {submitted}".encode() in from_form["index.md"]
    assert from_issue == from_form
    shutil.rmtree(site)
