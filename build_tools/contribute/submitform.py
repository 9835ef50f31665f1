"""The `/submit/` page: a static form that writes a correct `index.md` in the browser.

Everything the form's script needs comes from the same definitions as the checker
and is embedded in the page as JSON: the published JSON Schema (validated by a
small schema-subset validator in `ifte-submit.js`), the problem messages of
`problems.CODES` (with `FORM_FIXES` where the checker's fix speaks of lines and files
the form does not show), the vocabularies' Thai labels, the folder-name rule, the body
template, the attachment types and the folder names already taken. No request
leaves the page until the teacher presses the GitHub button.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from build_tools.contribute.newentry import format_body_template
from build_tools.core import fields as f
from build_tools.core.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    MEDIA_TYPES,
)
from build_tools.core.entries import SLUG
from build_tools.core.problems import CODES
from build_tools.core.schema import generate_schema
from build_tools.core.site import Generated, GeneratedPage, SiteSettings
from build_tools.core.vocabularies import KINDS, Vocabularies

SUBMIT_URI = "submit/index.md"
SUBMIT_TITLE = "ส่งผลงาน"
DEFAULT_REPO_URL = "https://github.com/lopburi-peo/ifte-innovations"
DEFAULT_BRANCH = "main"

# The checker's fixes are written for someone editing index.md ("add the line …",
# "delete the line"); in the form the same problem is fixed in a field. Same rules,
# the form's own words. Codes not listed here keep the checker's fix.
FORM_FIXES: dict[str, str] = {
    "missing-field": "กรอกช่องนี้ (ช่องที่มีเครื่องหมาย * ต้องกรอก)",
    "empty-value": "กรอกช่องนี้ ถ้าเป็นแถวที่ไม่ใช้ ให้กดปุ่ม ลบ ของแถวนั้น",
    "unknown-choice": "เลือกจากรายการในช่องนี้ หรือพิมพ์ให้ตรงกับตัวเลือก",
    "wrong-type": "กรอกตามตัวอย่างใต้ช่องนี้",
    "invalid-email": "ตรวจรูปแบบ เช่น name@school.ac.th หรือเว้นว่างไว้ (ไม่บังคับ)",
    # The form writes only keys it knows: an unknown one is the site's fault, not the teacher's.
    "unknown-key": "ข้อมูลนี้ไม่ได้มาจากช่องในแบบฟอร์ม โปรดแจ้งผู้ดูแลเว็บไซต์",
    "too-long": "ย่อข้อความในช่องนี้ให้สั้นลง รายละเอียดเขียนในช่องเนื้อหา",
    "body-empty": "เขียนรายละเอียดผลงานในช่องเนื้อหา ใต้หัวข้อแต่ละหัวข้อ",
    "body-no-content": "เขียนรายละเอียดผลงานในช่องเนื้อหา ใต้หัวข้อแต่ละหัวข้อ",
    "section-empty": "เขียนเนื้อหาใต้หัวข้อนี้ในช่องเนื้อหา หรือลบหัวข้อที่ไม่ใช้",
    "email-in-text": "ลบอีเมลออกจากข้อความ ใส่อีเมลในช่องอีเมลของผู้พัฒนาแทน",
    "invalid-slug": "แก้ชื่อโฟลเดอร์ให้มีเฉพาะ a-z ตัวเล็ก ตัวเลข และขีด (-) เช่น {suggestion}",
    "duplicate-slug": "ตั้งชื่อโฟลเดอร์ใหม่ที่ไม่ซ้ำในช่องชื่อโฟลเดอร์",
}


def plan_vocabulary_paths() -> dict[str, str]:
    """Dotted front-matter path (lists as `[]`) → vocabulary kind, from the field specs."""
    paths: dict[str, str] = {}

    def walk(specs: tuple[f.FieldSpec, ...], prefix: str) -> None:
        for spec in specs:
            path = f"{prefix}{spec.name}"
            if spec.kind == f.CHOICE:
                paths[path] = spec.vocabulary
            elif spec.kind == f.CHOICES:
                paths[f"{path}[]"] = spec.vocabulary
            elif spec.children:
                walk(spec.children, f"{path}[]." if spec.kind == f.OBJECTS else f"{path}.")

    walk(f.ENTRY_FIELDS, "")
    return paths


def plan_form_data(
    vocabularies: Vocabularies, taken_slugs: Iterable[str], repo_url: str, branch: str
) -> dict:
    return {
        "schema": generate_schema(vocabularies),
        "codes": {
            c.code: {
                "severity": c.severity,
                "th": c.th,
                "en": c.en,
                "fix_th": FORM_FIXES.get(c.code, c.fix_th),
            }
            for c in CODES.values()
        },
        "kinds": {kind: th for kind, (th, _) in KINDS.items()},
        "vocabularyPaths": plan_vocabulary_paths(),
        "slugPattern": SLUG.pattern,
        "takenSlugs": sorted(set(taken_slugs)),
        "bodyTemplate": format_body_template(),
        "attachmentTypes": sorted(MEDIA_TYPES),
        "maxAttachmentMb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
        "maxImagePixels": MAX_IMAGE_PIXELS,
        "maxImageSide": MAX_IMAGE_SIDE,
        "yearRange": [f.YEAR_MIN, f.YEAR_MAX],
        "repoUrl": repo_url.rstrip("/"),
        "branch": branch,
    }


def format_form_data(data: dict) -> str:
    """JSON safe inside <script type="application/json">: no "</script>" can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def plan_field_labels() -> dict[str, dict]:
    """Labels and limits the template prints beside each control, by dotted name."""
    labels: dict[str, dict] = {}
    groups = (
        ("", f.ENTRY_FIELDS),
        ("authors.", f.AUTHOR_FIELDS),
        ("school.", f.SCHOOL_FIELDS),
        ("award.", f.AWARD_FIELDS),
        ("attachments.", f.ATTACHMENT_FIELDS),
        ("links.", f.LINK_FIELDS),
    )
    for prefix, specs in groups:
        for spec in specs:
            labels[f"{prefix}{spec.name}"] = {
                "th": spec.label_th,
                "en": spec.label_en,
                "help": spec.help_th,
                "required": spec.required,
                "max_length": spec.max_length,
                "example": ", ".join(spec.example)
                if isinstance(spec.example, list)
                else ("" if spec.example is None else str(spec.example)),
            }
    return labels


def generate_submit_page(catalog, settings: SiteSettings) -> Iterable[Generated]:
    extra = settings.extra or {}
    repo_url = str(extra.get("repo_url") or DEFAULT_REPO_URL)
    branch = str(extra.get("repo_branch") or DEFAULT_BRANCH)
    data = plan_form_data(catalog.vocabularies, catalog.folder_names, repo_url, branch)
    vocab = {
        kind: [{"th": t.th, "en": t.en} for t in catalog.vocabularies[kind].terms] for kind in KINDS
    }
    yield GeneratedPage(
        src_uri=SUBMIT_URI,
        title=SUBMIT_TITLE,
        template="submit.html",
        in_nav=True,
        context={
            "submit_data_json": format_form_data(data),
            "submit_labels": plan_field_labels(),
            "submit_vocab": vocab,
            "submit_repo_url": data["repoUrl"],
            "submit_branch": branch,
            "submit_max_mb": data["maxAttachmentMb"],
            "submit_types": ", ".join(ext.lstrip(".").upper() for ext in MEDIA_TYPES),
            "submit_office_email": str((extra.get("office") or {}).get("email") or ""),
            "submit_issue_url": f"{data['repoUrl']}/issues/new?template=submit-innovation.yml",
        },
    )
