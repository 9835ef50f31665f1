"""The GitHub issue form for teachers who cannot make a pull request, and its reader.

`format_issue_form` writes `.github/ISSUE_TEMPLATE/submit-innovation.yml` from the
field definitions and vocabularies (a test checks the committed file is current;
`ifte issue-form` regenerates it). GitHub renders a submitted form as
`### <label>` sections; `read_issue_form` turns them back into an `EntryDraft`,
and the issue-to-PR workflow writes, checks and proposes it as a pull request.

An issue is public from the moment it is opened, so the form never asks for an
e-mail address or phone number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from build_tools.contribute.newentry import (
    BODY_SECTIONS,
    AuthorDraft,
    EntryDraft,
    format_entry,
    format_entry_path,
    plan_unique_slug,
    resolve_choice,
    resolve_choices,
    suggest_slug,
)
from build_tools.contribute.pullrequest import MARKER, PullRequestCheck, format_cell, format_comment
from build_tools.core import fields as f
from build_tools.core.errors import IfteError
from build_tools.core.privacy import THAI_DIGITS
from build_tools.core.vocabularies import Vocabularies

ISSUE_FORM_PATH = ".github/ISSUE_TEMPLATE/submit-innovation.yml"
ISSUE_LABEL = "ส่งผลงาน"
NO_RESPONSE = "_No response_"

_SPEC = {spec.name: spec for spec in f.ENTRY_FIELDS}
_SCHOOL = {spec.name: spec for spec in f.SCHOOL_FIELDS}


@dataclass(frozen=True)
class FormField:
    key: str  # our name for the value
    kind: str  # input | textarea | dropdown | checkboxes
    label: str  # what GitHub prints as the "### " heading: the parser matches it
    description: str = ""
    required: bool = False
    vocabulary: str = ""  # dropdown options
    multiple: bool = False
    placeholder: str = ""
    value: str = ""  # textarea starting text
    options: tuple[str, ...] = ()  # checkboxes


def _label(spec: f.FieldSpec) -> str:
    return f"{spec.label_th} ({spec.label_en})"


CONSENTS = (
    "ผู้ร่วมพัฒนาทุกคนยินยอมให้เผยแพร่ผลงานนี้ (All co-authors agree to publication)",
    "ภาพที่มีนักเรียนได้รับความยินยอมจากผู้ปกครองแล้ว หรือไม่มีภาพนักเรียน "
    "(Parents consented to any student photo)",
    "ไม่มีข้อมูลส่วนบุคคลของนักเรียน เช่น ชื่อ-นามสกุล เลขประจำตัวประชาชน เบอร์โทร "
    "(No personal data of students)",
    "ยินยอมเผยแพร่ตามสัญญาอนุญาตที่เลือก (I agree to publish under the chosen licence)",
)


def plan_form_fields() -> tuple[FormField, ...]:
    body = "\n".join(f"## {heading}\n\n" for heading, _ in BODY_SECTIONS)
    return (
        FormField(
            "title",
            "input",
            _label(_SPEC["title"]),
            required=True,
            placeholder=str(_SPEC["title"].example),
        ),
        FormField(
            "title_en",
            "input",
            _label(_SPEC["title_en"]),
            "ใช้ตั้งชื่อโฟลเดอร์ของผลงาน (ไม่บังคับ)",
            placeholder=str(_SPEC["title_en"].example),
        ),
        FormField("type", "dropdown", _label(_SPEC["type"]), required=True, vocabulary="types"),
        FormField(
            "category",
            "dropdown",
            _label(_SPEC["category"]),
            required=True,
            vocabulary="categories",
        ),
        FormField(
            "year",
            "input",
            _label(_SPEC["year"]),
            "ปีที่พัฒนาหรือเผยแพร่ผลงาน เช่น 2568",
            required=True,
            placeholder="2568",
        ),
        FormField(
            "authors",
            "textarea",
            _label(_SPEC["authors"]),
            "หนึ่งคนต่อหนึ่งบรรทัด: ชื่อ-นามสกุล, ตำแหน่ง — ห้ามใส่อีเมลหรือเบอร์โทร เพราะ issue เป็นข้อมูลสาธารณะ",
            required=True,
            placeholder="นางสาวกมลวรรณ ใจดี, ครูชำนาญการพิเศษ",
        ),
        FormField(
            "school",
            "input",
            _label(_SCHOOL["name"]),
            required=True,
            placeholder=str(_SCHOOL["name"].example),
        ),
        FormField(
            "district",
            "dropdown",
            _label(_SCHOOL["district"]),
            required=True,
            vocabulary="districts",
        ),
        FormField(
            "affiliation",
            "dropdown",
            _label(_SCHOOL["affiliation"]),
            required=True,
            vocabulary="affiliations",
        ),
        FormField(
            "subjects",
            "dropdown",
            _label(_SPEC["subjects"]),
            "เลือกได้หลายข้อ",
            vocabulary="subjects",
            multiple=True,
        ),
        FormField(
            "levels",
            "dropdown",
            _label(_SPEC["levels"]),
            "เลือกได้หลายข้อ",
            vocabulary="levels",
            multiple=True,
        ),
        FormField(
            "keywords",
            "input",
            _label(_SPEC["keywords"]),
            "คั่นด้วยเครื่องหมายจุลภาค (,)",
            placeholder="การอ่านจับใจความ, นิทานพื้นบ้าน",
        ),
        FormField(
            "summary",
            "textarea",
            _label(_SPEC["summary"]),
            f"หนึ่งย่อหน้า ไม่เกิน {_SPEC['summary'].max_length} ตัวอักษร",
            required=True,
        ),
        FormField(
            "body",
            "textarea",
            "รายละเอียดผลงาน (Description)",
            "เขียนใต้หัวข้อแต่ละหัวข้อ ห้ามระบุชื่อนักเรียน",
            required=True,
            value=body,
        ),
        FormField(
            "links",
            "textarea",
            _label(_SPEC["links"]),
            "หนึ่งลิงก์ต่อหนึ่งบรรทัด: ที่อยู่เว็บ ตามด้วยคำอธิบาย",
            placeholder="https://www.youtube.com/watch?v=xxxxxxxxxxx คลิปสาธิตการสอน",
        ),
        FormField(
            "files",
            "textarea",
            "ไฟล์แนบ (Attachments)",
            "ลากไฟล์ PDF หรือรูปภาพมาวางในช่องนี้ (ไม่เกิน 20 MB ต่อไฟล์) ผู้ดูแลจะนำเข้าคลังพร้อมผลงาน",
        ),
        FormField(
            "license", "dropdown", _label(_SPEC["license"]), required=True, vocabulary="licenses"
        ),
        FormField(
            "consent", "checkboxes", "การยืนยัน (Confirmation)", required=True, options=CONSENTS
        ),
    )


# --- writing the form -----------------------------------------------------------------


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def format_issue_form(vocabularies: Vocabularies) -> str:
    """The issue form YAML (JSON-quoted strings are valid YAML)."""
    out = [
        "# Generated by `ifte issue-form` from build_tools/core/fields.py and vocabularies.yml.",
        "# Do not edit by hand: the issue-to-PR workflow reads the labels below.",
        f"name: {_q('ส่งผลงานนวัตกรรม (Submit an innovation)')}",
        f"description: {_q('สำหรับครูที่ไม่สะดวกส่ง pull request: กรอกแบบฟอร์ม ระบบจะสร้าง pull request ให้')}",  # noqa: E501
        f"title: {_q('[ส่งผลงาน] ')}",
        f"labels: [{_q(ISSUE_LABEL)}]",
        "body:",
        "  - type: markdown",
        "    attributes:",
        "      value: "
        + _q(
            "กรอกข้อมูลเป็นภาษาไทย ระบบจะตรวจข้อมูลและสร้าง pull request ให้อัตโนมัติ "
            "แล้วแจ้งผลการตรวจในความคิดเห็นของ issue นี้ แก้ไข issue ได้จนกว่าจะผ่าน\n\n"
            "**ข้อมูลใน issue เป็นสาธารณะ** ห้ามใส่เลขประจำตัวประชาชน เบอร์โทร อีเมล "
            "หรือชื่อนักเรียน"
        ),
    ]
    for item in plan_form_fields():
        out += [
            f"  - type: {item.kind}",
            f"    id: {item.key}",
            "    attributes:",
            f"      label: {_q(item.label)}",
        ]
        if item.description:
            out.append(f"      description: {_q(item.description)}")
        if item.placeholder:
            out.append(f"      placeholder: {_q(item.placeholder)}")
        if item.value:
            out.append(f"      value: {_q(item.value)}")
        if item.kind == "dropdown":
            if item.multiple:
                out.append("      multiple: true")
            out.append("      options:")
            out += [f"        - {_q(term.th)}" for term in vocabularies[item.vocabulary].terms]
            if item.key == "license":  # a wrong preselected district would go unnoticed
                out.append("      default: 0")
        if item.kind == "checkboxes":
            out.append("      options:")
            for option in item.options:
                out += [f"        - label: {_q(option)}", "          required: true"]
        elif item.required:
            out += ["    validations:", "      required: true"]
    return "\n".join(out) + "\n"


# --- reading a submitted issue ---------------------------------------------------------


def read_issue_sections(body: str) -> dict[str, str]:
    """Form label → text under its `### label` heading, as GitHub renders a submitted form.

    Only our labels start a section, so a teacher's own `###` headings stay in the text.
    """
    labels = {item.label for item in plan_form_fields()}
    sections: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        if line.startswith("### ") and line[4:].strip() in labels:
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = line[4:].strip(), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return {label: ("" if text == NO_RESPONSE else text) for label, text in sections.items()}


@dataclass(frozen=True)
class IssueEntry:
    draft: EntryDraft | None
    problems: tuple[str, ...]  # Thai/English lines for the issue comment, when draft is None


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n،]", text) if part.strip()]


def read_issue_form(body: str, vocabularies: Vocabularies, today: dt.date) -> IssueEntry:
    """An `EntryDraft` from a submitted issue, or the reasons there cannot be one yet.

    Only what the issue form itself cannot enforce is judged here (a vocabulary
    value, the year); everything else is left to the checker, which reports it
    with line numbers like for any other entry.
    """
    sections = read_issue_sections(body)
    values = {item.key: sections.get(item.label, "") for item in plan_form_fields()}
    problems: list[str] = []
    missing = [
        item.label
        for item in plan_form_fields()
        if item.required and item.kind != "checkboxes" and not values[item.key]
    ]
    if missing:
        problems.append("ยังไม่ได้กรอก (missing): " + ", ".join(missing))
    if len(re.findall(r"^- \[[xX]\] ", values["consent"], re.MULTILINE)) < len(CONSENTS):
        problems.append('ยังไม่ได้ยืนยันทุกข้อในหัวข้อ "การยืนยัน" (please tick every confirmation)')

    def choice(kind: str, text: str) -> str:
        try:
            return resolve_choice(vocabularies, kind, text) if text else ""
        except IfteError as error:
            problems.append(str(error))
            return ""

    def choices(kind: str, text: str) -> tuple[str, ...]:
        try:
            return resolve_choices(vocabularies, kind, _split_list(text))
        except IfteError as error:
            problems.append(str(error))
            return ()

    year_text = values["year"].strip().translate(THAI_DIGITS)
    year = int(year_text) if year_text.isdigit() else 0
    if year_text and not f.YEAR_MIN <= year <= f.YEAR_MAX:
        problems.append(
            f'ปี "{year_text}" ต้องเป็นปี พ.ศ. 4 หลัก เช่น {today.year + 543} '
            f"(year must be a Buddhist-Era year)"
        )
    authors = []
    for line in values["authors"].split("\n"):
        name, _, position = line.partition(",")
        if name.strip():
            authors.append(AuthorDraft(name.strip(), position.strip()))
    links = []
    for line in values["links"].split("\n"):
        url, _, title = line.strip().partition(" ")
        if url:
            links.append((url, title.strip() or url))
    draft = EntryDraft(
        title=values["title"],
        title_en=values["title_en"],
        type=choice("types", values["type"]),
        category=choice("categories", values["category"]),
        year=year,
        authors=tuple(authors),
        school_name=values["school"],
        district=choice("districts", values["district"]),
        affiliation=choice("affiliations", values["affiliation"]),
        subjects=choices("subjects", values["subjects"]),
        levels=choices("levels", values["levels"]),
        keywords=tuple(_split_list(values["keywords"])),
        summary=values["summary"],
        links=tuple(links),
        license=choice("licenses", values["license"]),
        slug=suggest_slug(values["title"], values["title_en"]),
        submitted=today,
        body=values["body"],
    )
    return IssueEntry(None if problems else draft, tuple(problems))


def attachment_section(body: str) -> str:
    """The text of the form's attachments section (where GitHub puts dropped files)."""
    label = next(item.label for item in plan_form_fields() if item.key == "files")
    return read_issue_sections(body).get(label, "")


def read_attachment_urls(body: str) -> list[str]:
    """Files the teacher dropped into the form: listed for the maintainer in the PR."""
    text = attachment_section(body)
    return re.findall(r"https://github\.com/user-attachments/[^\s)\"'>]+", text)


# --- from issue to pull request ---------------------------------------------------------


@dataclass(frozen=True)
class IssueSubmission:
    number: int
    draft: EntryDraft | None
    path: str  # innovations/<year>/<slug>/index.md, "" when there is no draft
    text: str  # the index.md to commit
    form_problems: tuple[str, ...]
    check: PullRequestCheck
    files: tuple[tuple[str, bytes], ...] = ()  # attachments to write beside index.md

    @property
    def ok(self) -> bool:
        return self.draft is not None and not self.check.errors

    @property
    def branch(self) -> str:
        return f"submission/issue-{self.number}"


def plan_issue_submission(
    root: Path,
    body: str,
    number: int,
    vocabularies: Vocabularies,
    today: dt.date,
    files: tuple[tuple[str, str, bytes], ...] = (),
) -> IssueSubmission:
    """Read the issue, write the entry text in memory and check it like a pull request,
    with `files` (safe name, title, content: the attachments taken from the issue)."""
    from build_tools.contribute.scratch import check_in_scratch

    parsed = read_issue_form(body, vocabularies, today)
    if parsed.draft is None:
        return IssueSubmission(number, None, "", "", parsed.problems, PullRequestCheck((), ()))
    draft = replace(
        parsed.draft,
        slug=plan_unique_slug(root, parsed.draft.slug),
        attachments=tuple((name, title) for name, title, _ in files),
    )
    relative = format_entry_path(draft.year, draft.slug)
    text = format_entry(draft)
    contents = tuple((name, data) for name, _, data in files)
    problems, _ = check_in_scratch(root, relative, text.encode("utf-8"), contents, vocabularies)
    check = PullRequestCheck((relative,), problems)
    return IssueSubmission(number, draft, relative, text, (), check, contents)


def format_issue_comment(submission: IssueSubmission, site_url: str = "") -> str:
    """The one summary comment on the issue (same marker and layout as on a pull request)."""
    if submission.draft is None:
        lines = [
            MARKER,
            "## ผลการตรวจแบบฟอร์มส่งผลงาน",
            "",
            "❌ ยังสร้างผลงานจากแบบฟอร์มนี้ไม่ได้ โปรดแก้ไข issue (ปุ่ม ··· → Edit) ระบบจะตรวจใหม่อัตโนมัติ",
            "",
        ]
        lines += [f"- {format_cell(problem)}" for problem in submission.form_problems]
        return "\n".join(lines) + "\n"
    if submission.ok:
        head = (
            f"ระบบสร้างไฟล์ `{submission.path}` และเปิด pull request จากสาขา "
            f"`{submission.branch}` แล้ว ผู้ดูแลจะตรวจและรวมผลงานเข้าคลัง"
        )
    else:
        head = (
            "ยังเปิด pull request ไม่ได้เพราะพบข้อผิดพลาดด้านล่าง โปรดแก้ไข issue "
            "(ปุ่ม ··· → Edit) ระบบจะตรวจใหม่อัตโนมัติ"
        )
    body = format_comment(submission.check, site_url=site_url)
    marker_line, rest = body.split("\n", 1)
    return f"{marker_line}\n{head}\n\n{rest}"


def format_pull_request(submission: IssueSubmission, attachment_urls: list[str]) -> tuple[str, str]:
    """(title, body) of the pull request opened for an issue."""
    assert submission.draft is not None
    title = " ".join(f"ส่งผลงาน: {submission.draft.title}".split())[:250]
    lines = [
        f"ผลงานจากแบบฟอร์ม issue #{submission.number} (Closes #{submission.number})",
        "",
        f"ไฟล์: `{submission.path}`",
    ]
    if submission.files:
        lines += ["", "ไฟล์แนบจาก issue (ตรวจชนิดไฟล์และลบพิกัด GPS แล้ว) รวมอยู่ใน pull request นี้:"]
        lines += [f"- `{name}`" for name, _ in submission.files]
    elif attachment_urls:
        lines += [
            "",
            "**ไฟล์แนบที่ครูอัปโหลดไว้ใน issue** — ผู้ดูแลโปรดดาวน์โหลด วางไว้ในโฟลเดอร์ผลงาน "
            "และเพิ่มในรายการ `attachments:` ก่อนรวม:",
        ]
        lines += [f"- {url}" for url in attachment_urls]
    lines += ["", "ผู้ส่งยืนยันในแบบฟอร์มแล้ว:"] + [f"- [x] {consent}" for consent in CONSENTS]
    return title, "\n".join(lines) + "\n"
