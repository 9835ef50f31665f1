"""The contributor guide (`/guide/`), generated from the definitions it explains.

Field reference from `fields.ENTRY_FIELDS`, allowed values from the vocabularies,
every problem code with its fix from `problems.CODES`, and the example file from
`newentry.format_entry`: when any of them changes, the guide changes with it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from build_tools.contribute.newentry import (
    BODY_SECTIONS,
    AuthorDraft,
    AwardDraft,
    EntryDraft,
    format_entry,
)
from build_tools.core import fields as f
from build_tools.core.attachments import MAX_ATTACHMENT_BYTES, MEDIA_TYPES, format_size
from build_tools.core.problems import CODES, ERROR
from build_tools.core.site import Generated, GeneratedPage, SiteSettings
from build_tools.core.vocabularies import KINDS, Vocabularies
from build_tools.pages.images import WEB_MAX_BYTES, WEB_MAX_PIXELS

GUIDE_URI = "guide/index.md"
GUIDE_TITLE = "คู่มือการส่งผลงาน"

_KIND_TEXT = {
    f.TEXT: "ข้อความ",
    f.YEAR: "ปี พ.ศ. 4 หลัก",
    f.DATE: "วันที่ ปปปป-ดด-วว",
    f.BOOL: "true / false",
    f.EMAIL: "อีเมล",
    f.URL: "ที่อยู่เว็บ http(s)://…",
    f.FILE: "ชื่อไฟล์ในโฟลเดอร์ผลงาน",
    f.CHOICE: "เลือกหนึ่งค่า",
    f.CHOICES: "รายการ เลือกได้หลายค่า",
    f.TEXTS: "รายการข้อความ",
    f.OBJECT: "กลุ่มข้อมูล",
    f.OBJECTS: "รายการกลุ่มข้อมูล",
}
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _md(text: str) -> str:
    """Our own text inside Markdown: no HTML, no accidental emphasis or table breaks."""
    text = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)


def _template(text: str) -> str:
    return _md(_PLACEHOLDER.sub("…", text))


def plan_example_draft() -> EntryDraft:
    """An entry filled with the `example` of every field definition."""
    ex = {spec.name: spec.example for spec in f.ENTRY_FIELDS}
    school = {spec.name: spec.example for spec in f.SCHOOL_FIELDS}
    author = {spec.name: spec.example for spec in f.AUTHOR_FIELDS}
    award = {spec.name: spec.example for spec in f.AWARD_FIELDS}
    attachment = {spec.name: spec.example for spec in f.ATTACHMENT_FIELDS}
    link = {spec.name: spec.example for spec in f.LINK_FIELDS}
    return EntryDraft(
        title=ex["title"],
        title_en=ex["title_en"],
        type=ex["type"],
        category=ex["category"],
        year=ex["year"],
        authors=(AuthorDraft(author["name"], author["position"], author["email"]),),
        school_name=school["name"],
        district=school["district"],
        affiliation=school["affiliation"],
        subjects=tuple(ex["subjects"]),
        levels=tuple(ex["levels"]),
        keywords=tuple(ex["keywords"]),
        summary=ex["summary"],
        award=AwardDraft(award["title"], award["level"], award["year"]),
        attachments=((attachment["file"], attachment["title"]),),
        links=((link["url"], link["title"]),),
        license=ex["license"],
        slug="reading-kit",
        body="\n".join(f"## {heading}\n\n{text}\n" for heading, text in _EXAMPLE_BODY),
    )


# Something under every heading: the checker warns of empty sections (section-empty).
_EXAMPLE_BODY = (
    ("ความเป็นมาและความสำคัญ", "นักเรียนชั้น ป.4 ร้อยละ 40 อ่านจับใจความไม่ได้ตามเกณฑ์"),
    ("วัตถุประสงค์", "1. เพื่อพัฒนาการอ่านจับใจความ\n2. เพื่อปลูกฝังนิสัยรักการอ่าน"),
    ("ขั้นตอนการดำเนินงาน", "ใช้ชุดกิจกรรม 6 เล่ม สัปดาห์ละ 2 ชั่วโมง เป็นเวลา 10 สัปดาห์"),
    ("ผลการดำเนินงาน", "นักเรียนร้อยละ 85 ผ่านเกณฑ์การอ่านจับใจความ"),
    ("ปัจจัยความสำเร็จ", "นิทานพื้นบ้านที่นักเรียนคุ้นเคย และการมีส่วนร่วมของผู้ปกครอง"),
    ("บทเรียนที่ได้รับ", "ควรเริ่มจากเรื่องสั้นแล้วค่อยเพิ่มความยาว"),
)


def _format_example(value: object) -> str:
    """A value as it is written in the file, safe inside a code span in a table cell."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = ", ".join(map(str, value))
    else:
        text = str(value)
    return text.replace("`", "'").replace("|", "/")


def _field_items(specs: Iterable[f.FieldSpec], prefix: str = "", depth: int = 0):
    """The field reference as a (nested) list: it reflows on a phone, where a
    six-column table would need sideways scrolling."""
    indent = "    " * depth
    for spec in specs:
        key = f"{prefix}{spec.name}"
        parts = [f"**`{key}`** — {_md(spec.label_th)} *({_md(spec.label_en)})*"]
        if spec.required:
            parts.append("**บังคับ**")
        kind = _KIND_TEXT[spec.kind]
        if spec.vocabulary:
            kind += f" จาก[{KINDS[spec.vocabulary][0]}](#vocabulary-{spec.vocabulary})"
        parts.append(kind)
        if spec.help_th:
            parts.append(_md(spec.help_th))
        if spec.max_length:
            parts.append(f"ไม่เกิน {spec.max_length} ตัวอักษร")
        if spec.max_items:
            parts.append(f"ไม่เกิน {spec.max_items} รายการ")
        if spec.example is not None and spec.kind not in (f.OBJECT, f.OBJECTS):
            parts.append(f"ตัวอย่าง `{_format_example(spec.example)}`")
        yield f"{indent}- " + " · ".join(parts)
        if spec.children:
            child_prefix = f"{key}[]." if spec.kind == f.OBJECTS else f"{key}."
            yield from _field_items(spec.children, child_prefix, depth + 1)


def format_guide(vocabularies: Vocabularies, site_url: str = "", repo_url: str = "") -> str:
    """The whole guide as Markdown (Thai, English in parentheses where it helps)."""
    types = ", ".join(ext.lstrip(".").upper() for ext in MEDIA_TYPES)
    issue_form = (
        f"{repo_url.rstrip('/')}/issues/new?template=submit-innovation.yml" if repo_url else ""
    )
    out = [
        "คู่มือนี้สร้างจากนิยามข้อมูลและกฎการตรวจชุดเดียวกับที่ระบบใช้ตรวจผลงาน "
        "จึงตรงกับระบบเสมอ (This guide is generated from the checker's own definitions.)",
        "",
        "## ส่งผลงานได้ 4 ทาง",
        "",
        "เรียงจากง่ายที่สุด ภาพหน้าจอของแต่ละทางอยู่ในหน้า [ส่งผลงาน (ทุกช่องทาง)](../contribute.md) "
        "(Four routes, easiest first; screenshots of each are on the routes page.)",
        "",
        "1. **แบบฟอร์ม → ดาวน์โหลดแพ็กเกจ (ZIP)** สำหรับครูที่ไม่มีบัญชี GitHub — "
        "กรอก[แบบฟอร์มส่งผลงาน](../submit/index.md) แนบไฟล์ในแบบฟอร์ม "
        "แล้วส่งไฟล์ ZIP ให้สำนักงานทางอีเมลหรือ LINE",
        "2. **แบบฟอร์ม issue บน GitHub** สำหรับผู้ที่มีบัญชี GitHub (ไม่ต้อง fork)"
        + (f" — [เปิดแบบฟอร์ม issue]({issue_form})" if issue_form else ""),
        "3. **สร้างไฟล์ใน GitHub / pull request** สำหรับผู้ที่คุ้นเคยกับ GitHub — "
        "จากแบบฟอร์ม หรือด้วยคำสั่ง `ifte new` บนเครื่องของท่าน",
        "4. **นำเข้าโดยเจ้าหน้าที่** — เจ้าหน้าที่สำนักงานรับแพ็กเกจด้วยคำสั่ง `ifte import`",
        "",
        "ทุกทางตรวจด้วยกฎชุดเดียวกัน และได้ผลเหมือนกัน คือไฟล์ "
        "`innovations/<ปี พ.ศ.>/<ชื่อโฟลเดอร์>/index.md` พร้อมไฟล์แนบใน pull request "
        "ซึ่งระบบตรวจอัตโนมัติ และผู้ดูแลตรวจก่อนนำขึ้นเว็บไซต์",
        "",
        "### ทางที่ 1: แบบฟอร์ม → ดาวน์โหลดแพ็กเกจ",
        "",
        "1. เปิดหน้า [ส่งผลงาน](../submit/index.md) กรอกข้อมูลทุกช่องที่มีเครื่องหมาย * "
        "ข้อความสีแดงคือสิ่งที่ต้องแก้ สีส้มคือคำเตือนให้ตรวจ",
        "2. เลือกไฟล์แนบ (PDF รูปภาพ) ในแบบฟอร์ม ระบบตรวจชนิดและขนาด ตั้งชื่อไฟล์ให้ปลอดภัย "
        "ลบพิกัด GPS และย่อรูปที่ใหญ่มาก ในเบราว์เซอร์ของท่านเอง",
        "3. กด **ตรวจ** เมื่อไม่มีข้อผิดพลาด กด **ดาวน์โหลดแพ็กเกจ (ZIP)**",
        "4. ส่งไฟล์ ZIP ให้สำนักงานทางอีเมลหรือ LINE ไม่ต้องแตกไฟล์ เจ้าหน้าที่นำเข้าแล้วตอบกลับเมื่อรับผลงาน",
        "",
        "### ทางที่ 2: แบบฟอร์ม issue",
        "",
        "กรอกแบบฟอร์ม issue ชื่อ **ส่งผลงานนวัตกรรม** ลากไฟล์แนบมาวางในช่องไฟล์แนบ "
        "ระบบอ่านแบบฟอร์ม สร้างไฟล์ผลงาน ตรวจ และเปิด pull request ให้พร้อมไฟล์แนบ "
        "แล้วแจ้งผลในความคิดเห็นของ issue ถ้ามีข้อผิดพลาด "
        "ให้แก้ไข issue (ปุ่ม ··· → Edit) ระบบจะตรวจใหม่ **ข้อมูลใน issue เป็นสาธารณะ** "
        "จึงไม่มีช่องอีเมล",
        "",
        "### ทางที่ 3: สร้างไฟล์ใน GitHub / pull request",
        "",
        "1. สมัครบัญชี GitHub (ฟรี) ที่ github.com แล้วเข้าสู่ระบบ",
        "2. กรอก[แบบฟอร์มส่งผลงาน](../submit/index.md) แล้วกด **คัดลอกและเปิด GitHub** "
        "ระบบคัดลอกไฟล์ `index.md` ทั้งไฟล์ (ยาวเท่าใดก็ได้) และเปิดหน้าสร้างไฟล์โดยใส่ชื่อไฟล์ไว้ให้แล้ว",
        "3. คลิกช่องเนื้อหาในหน้า GitHub แล้ววาง (Ctrl+V) กด **Commit changes…** → "
        "**Propose changes** (GitHub สร้างสำเนาคลัง (fork) ให้อัตโนมัติ)",
        "4. กด **Create pull request** ทำเครื่องหมาย [x] ในรายการตรวจสอบทุกข้อ "
        "แล้วกด **Create pull request** อีกครั้ง",
        "",
        "ผู้ที่ใช้ git ได้ สร้างผลงานบนเครื่องด้วยคำสั่ง `ifte new` แทนแบบฟอร์มได้:",
        "",
        "```",
        "ifte new            # ถามทีละข้อเป็นภาษาไทย",
        "ifte check innovations/2568/ชื่อโฟลเดอร์",
        "```",
        "",
        "คำสั่งถามชื่อผลงาน ประเภท ด้าน (เลือกเป็นหมายเลข) ปี พ.ศ. (ค่าเริ่มต้นคือปีปัจจุบัน) "
        "ผู้พัฒนา สถานศึกษา อำเภอ สังกัด และเสนอชื่อโฟลเดอร์จากชื่อภาษาอังกฤษหรือถอดเสียงจากชื่อภาษาไทย "
        "ไฟล์ที่สร้างผ่านการตรวจทันที จากนั้นเขียนเนื้อหาใต้หัวข้อ แล้ว commit และเปิด pull request "
        "ใช้แบบไม่ถามได้ด้วย `--yes` และตัวเลือก `--title --type --category --district "
        "--affiliation --school --author --summary` (ดู `ifte new --help`)",
        "",
        "#### ไฟล์แนบและรูปภาพ",
        "",
        "หลังสร้าง pull request แล้ว เปิดแท็บ **Files changed** → ปุ่ม **···** ของไฟล์ "
        "→ **View file** → ไปที่โฟลเดอร์ผลงาน (สาขาของ pull request) → **Add file → Upload files** "
        "ลากไฟล์มาวาง แล้วกด **Commit changes** ไฟล์จะเข้าไปอยู่ใน pull request เดียวกัน "
        "ชื่อไฟล์ต้องตรงกับที่กรอกในหัวข้อไฟล์แนบ (ตัวพิมพ์เล็ก/ใหญ่มีผล)",
        "",
        f"- ชนิดไฟล์ที่รับ: {types} ขนาดไม่เกิน {format_size(MAX_ATTACHMENT_BYTES)} ต่อไฟล์ "
        "วิดีโอให้ใส่เป็นลิงก์ YouTube",
        f"- รูปภาพที่กว้างหรือสูงเกิน {WEB_MAX_PIXELS} พิกเซล หรือใหญ่เกิน "
        f"{format_size(WEB_MAX_BYTES)} ระบบย่อให้อัตโนมัติเมื่อสร้างเว็บไซต์ "
        "และตัดข้อมูล EXIF (รวมพิกัด GPS) ออกจากรูปที่เผยแพร่",
        "- ใส่รูปในเนื้อหาด้วย `![คำบรรยายรูป](ชื่อไฟล์.jpg)` คำบรรยายช่วยผู้พิการทางสายตา",
        "",
        "### ทางที่ 4: นำเข้าโดยเจ้าหน้าที่",
        "",
        "```",
        "ifte import package.zip      # or a folder, or an issue body",
        "```",
        "",
        "คำสั่งตรวจแพ็กเกจ (ปฏิเสธไฟล์อันตรายก่อนเขียนสิ่งใด) วางผลงานใน "
        "`innovations/<ปี พ.ศ.>/<ชื่อโฟลเดอร์>/` สร้าง commit ใน branch ใหม่ "
        "พิมพ์คำสั่ง `gh pr create` และข้อความสรุปภาษาไทยสำหรับตอบกลับครู",
        "",
        "## หลังส่ง pull request",
        "",
        "- ระบบตรวจเฉพาะผลงานที่ pull request แก้ไข ปัญหาแสดงที่บรรทัดในแท็บ **Files changed** "
        "และสรุปเป็นภาษาไทยในความคิดเห็นเดียว ซึ่งปรับปรุงทุกครั้งที่แก้ไฟล์",
        "- ตัวอย่างเว็บไซต์ (preview) อยู่ใน Artifacts ของการตรวจ ชื่อ `site-preview`",
        "- **ข้อผิดพลาด** (error) ต้องแก้ก่อนรวม **คำเตือน** (warning) ผู้ดูแลจะพิจารณา",
        "- ระบบเตือนเมื่อผลงานคล้ายผลงานที่มีอยู่แล้วมาก (ชื่อหรือเนื้อหา) ถ้าต่อยอดจากผลงานอื่น ให้อ้างอิงที่มาในเนื้อหา",
        "",
        "## ข้อมูลส่วนบุคคล (PDPA)",
        "",
        "- ห้ามเผยแพร่เลขประจำตัวประชาชน (ระบบไม่ยอมรับ) ชื่อ-นามสกุลนักเรียน เบอร์โทรส่วนตัว "
        "และอีเมลในเนื้อหา (ระบบเตือน)",
        "- อีเมลของผู้พัฒนาใส่ในช่อง `authors` → `email` ได้ ใช้ติดต่อเท่านั้น ไม่แสดงบนเว็บไซต์",
        "- รูปที่มีนักเรียนต้องได้รับความยินยอมจากผู้ปกครอง รูปถ่ายจากโทรศัพท์มักมีพิกัด GPS "
        "ลบได้ด้วย `ifte strip-gps ชื่อไฟล์.jpg`",
        "",
        "## ตัวอย่างไฟล์ index.md",
        "",
        "````markdown",
        format_entry(plan_example_draft()).rstrip("\n"),
        "````",
        "",
        "หัวข้อในเนื้อหาที่แนะนำ: " + ", ".join(_md(h) for h, _ in BODY_SECTIONS),
        "",
        "## ข้อมูลแต่ละช่อง (field reference)",
        "",
        *_field_items(f.ENTRY_FIELDS),
        "",
        "ค่าที่เป็นรายการเลือก เขียนเป็นภาษาไทยตามรายการด้านล่าง (ระบบรับชื่อภาษาอังกฤษ และชื่ออื่นที่ระบุไว้ด้วย)",
        "",
        "## ค่าที่เลือกได้ (vocabularies)",
        "",
    ]
    for kind, (kind_th, kind_en) in KINDS.items():
        out += [f"### {_md(kind_th)} ({_md(kind_en)}) {{#vocabulary-{kind}}}", ""]
        for term in vocabularies[kind].terms:
            aliases = ", ".join(_md(a) for a in term.aliases)
            also = f" — เขียนแบบอื่นได้: {aliases}" if aliases else ""
            out.append(f"- **{_md(term.th)}** *({_md(term.en)})*{also}")
        out.append("")
    out += [
        "## รหัสปัญหาทั้งหมด (problem codes)",
        "",
        "ผลการตรวจแสดงในรูป `ไฟล์:บรรทัด:คอลัมน์: error [รหัส] ชื่อข้อมูล` ค้นหารหัสในหน้านี้เพื่อดูวิธีแก้",
        "",
    ]
    for info in CODES.values():
        level = "ข้อผิดพลาด (error)" if info.severity == ERROR else "คำเตือน (warning)"
        out += [
            f"### {info.code} {{#{info.code}}}",
            "",
            f"**{level}** — {_template(info.th)}",
            "",
            f"*{_template(info.en)}*",
            "",
            f"**วิธีแก้:** {_template(info.fix_th)} ({_template(info.fix_en)})",
            "",
        ]
    return "\n".join(out)


def generate_guide_page(catalog, settings: SiteSettings) -> Iterable[Generated]:
    repo_url = str(settings.extra.get("repo_url", "")) if settings.extra else ""
    body = format_guide(catalog.vocabularies, settings.site_url, repo_url)
    yield GeneratedPage(
        src_uri=GUIDE_URI,
        title=GUIDE_TITLE,
        template="main.html",
        in_nav=True,
        body=f"# {GUIDE_TITLE}\n\n{body}\n",
    )
