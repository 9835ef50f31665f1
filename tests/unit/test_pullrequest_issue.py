"""The issue form for teachers without pull requests: generated, parsed, turned into an entry."""

from __future__ import annotations

import datetime as dt

import yaml
from click.testing import CliRunner

from build_tools.cli import main
from build_tools.contribute.issueform import (
    CONSENTS,
    ISSUE_FORM_PATH,
    format_issue_form,
    plan_form_fields,
    plan_issue_submission,
    read_attachment_urls,
    read_issue_form,
)
from build_tools.contribute.pullrequest import MARKER
from build_tools.core.loader import load_repository
from build_tools.core.vocabularies import load_vocabularies
from tests.conftest import REPO_ROOT
from tests.unit.test_similarity import ORIGINAL, sample

TODAY = dt.date(2025, 6, 15)
VALUES = {
    "title": "ชุดกิจกรรมส่งเสริมการอ่าน: นิทานลิงลพบุรี",
    "title_en": "Lopburi Monkey Tales Reading Kit",
    "type": "นวัตกรรม",
    "category": "การจัดการเรียนรู้",
    "year": "๒๕๖๘",
    "authors": "นางสาวกมลวรรณ ใจดี, ครูชำนาญการพิเศษ\nนายสมชาย รักเรียน",
    "school": "โรงเรียนบ้านโคกสำโรง",
    "district": "โคกสำโรง",
    "affiliation": "สพป.ลพบุรี เขต 1",
    "subjects": "ภาษาไทย, ศิลปะ",
    "levels": "ป.4, ป.5",
    "keywords": "การอ่าน, นิทานพื้นบ้าน",
    "summary": "ชุดกิจกรรม 6 เล่มฝึกอ่านจับใจความจากนิทานพื้นบ้านลพบุรี",
    "body": "## ความเป็นมาและความสำคัญ\n\nนักเรียนอ่านจับใจความไม่ได้\n\n### กิจกรรมย่อย\n\nอ่านนิทานทุกวัน",
    "links": "https://www.youtube.com/watch?v=abcdefghijk คลิปสาธิต",
    "files": "![photo](https://github.com/user-attachments/assets/1234-abcd)",
    "license": "CC BY 4.0",
}


def render_issue(values: dict, consent: bool = True) -> str:
    """An issue body as GitHub renders a submitted issue form."""
    parts = []
    for item in plan_form_fields():
        if item.kind == "checkboxes":
            mark = "X" if consent else " "
            text = "\n".join(f"- [{mark}] {option}" for option in CONSENTS)
        else:
            text = values.get(item.key) or "_No response_"
        parts.append(f"### {item.label}\n\n{text}")
    return "\n\n".join(parts) + "\n"


def vocabularies():
    return load_vocabularies(REPO_ROOT / "vocabularies.yml")


def test_committed_issue_form_is_generated_from_the_definitions():
    committed = (REPO_ROOT / ISSUE_FORM_PATH).read_text(encoding="utf-8")
    assert committed == format_issue_form(vocabularies()), "run: ifte issue-form"
    form = yaml.safe_load(committed)
    ids = [item.get("id") for item in form["body"] if item["type"] != "markdown"]
    assert ids == [item.key for item in plan_form_fields()]
    assert not any("อีเมล" in item.label for item in plan_form_fields())  # issues are public
    districts = next(i for i in form["body"] if i.get("id") == "district")
    assert "ลำสนธิ" in districts["attributes"]["options"]


def test_issue_body_becomes_a_draft_with_thai_labels():
    parsed = read_issue_form(render_issue(VALUES), vocabularies(), TODAY)
    assert parsed.problems == ()
    draft = parsed.draft
    assert draft.year == 2568
    assert [(a.name, a.position) for a in draft.authors] == [
        ("นางสาวกมลวรรณ ใจดี", "ครูชำนาญการพิเศษ"),
        ("นายสมชาย รักเรียน", ""),
    ]
    assert draft.subjects == ("ภาษาไทย", "ศิลปะ") and draft.levels == ("ป.4", "ป.5")
    assert draft.links == (("https://www.youtube.com/watch?v=abcdefghijk", "คลิปสาธิต"),)
    assert draft.slug == "lopburi-monkey-tales-reading-kit"
    assert "### กิจกรรมย่อย" in draft.body  # a teacher's own heading stays in the text
    assert draft.title_en == "Lopburi Monkey Tales Reading Kit"


def test_missing_answers_and_unticked_consent_are_reported():
    values = {**VALUES, "title": "", "summary": "", "district": "โคกสำโรงง"}
    parsed = read_issue_form(render_issue(values, consent=False), vocabularies(), TODAY)
    assert parsed.draft is None
    text = "\n".join(parsed.problems)
    assert "ชื่อผลงาน (Title)" in text and "บทคัดย่อ/สรุปย่อ (Summary)" in text
    assert "การยืนยัน" in text
    assert 'หมายถึง "โคกสำโรง" ใช่ไหม?' in text


def run_issue_entry(project, tmp_path, values: dict, number: int) -> list[str]:
    """`ifte issue-entry` as the workflow runs it; returns its step outputs."""
    body = tmp_path / "issue.md"
    body.write_text(render_issue(values), encoding="utf-8")
    outputs = tmp_path / "outputs.txt"
    args = [
        "issue-entry",
        "--body-file",
        str(body),
        "--number",
        str(number),
        "--out-dir",
        str(tmp_path / "out"),
        "--github-output",
        str(outputs),
        "--root",
        str(project.root),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return outputs.read_text().splitlines()


def test_issue_entry_command_writes_an_entry_that_passes_check(scratch_project, tmp_path):
    # no attachment: downloading one is tested in tests/unit/test_import.py
    outputs = run_issue_entry(scratch_project, tmp_path, {**VALUES, "files": ""}, 12)
    folder = "innovations/2568/lopburi-monkey-tales-reading-kit"
    assert outputs == ["ok=true", "branch=submission/issue-12", f"folder={folder}"]
    catalog = load_repository(scratch_project.root)
    assert catalog.problems == ()
    (entry,) = catalog.entries
    assert entry.id == "2568/lopburi-monkey-tales-reading-kit"
    title = (tmp_path / "out" / "pr-title.txt").read_text(encoding="utf-8")
    assert title == "ส่งผลงาน: ชุดกิจกรรมส่งเสริมการอ่าน: นิทานลิงลพบุรี\n"
    pr_body = (tmp_path / "out" / "pr-body.md").read_text(encoding="utf-8")
    assert "Closes #12" in pr_body
    comment = (tmp_path / "out" / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith(MARKER) and "✅ **ผ่านการตรวจ**" in comment
    assert f"`{folder}/index.md`" in comment


def test_issue_with_a_national_id_opens_no_pull_request(scratch_project, tmp_path):
    values = {**VALUES, "summary": "ครูเลขประจำตัว 1103702071811", "files": ""}
    assert "ok=false" in run_issue_entry(scratch_project, tmp_path, values, 13)
    assert not (scratch_project.root / "innovations").exists()
    comment = (tmp_path / "out" / "comment.md").read_text(encoding="utf-8")
    assert "`national-id`" in comment and "ยังเปิด pull request ไม่ได้" in comment
    assert "1103702071811" not in comment


def test_issue_copying_an_existing_entry_is_warned_about(scratch_project):
    scratch_project.write(ORIGINAL, sample(ORIGINAL))
    values = {**VALUES, "body": sample(ORIGINAL).split("\n---\n", 1)[1]}
    submission = plan_issue_submission(
        scratch_project.root, render_issue(values), 14, vocabularies(), TODAY
    )
    assert submission.ok  # a warning does not stop the pull request
    assert [p.code for p in submission.check.problems] == ["near-duplicate"]


def test_attachment_urls_are_collected_for_the_maintainer():
    assert read_attachment_urls(render_issue(VALUES)) == [
        "https://github.com/user-attachments/assets/1234-abcd"
    ]
