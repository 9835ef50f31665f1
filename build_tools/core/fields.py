"""The entry format, field by field: the one definition behind the checker, the
JSON Schema, the contributor guide and the submission form.
"""

from __future__ import annotations

from dataclasses import dataclass

# Field kinds. Vocabulary kinds name a list in vocabularies.yml.
TEXT = "text"
YEAR = "year"
DATE = "date"
BOOL = "bool"
EMAIL = "email"
URL = "url"
FILE = "file"
CHOICE = "choice"  # one vocabulary value
CHOICES = "choices"  # list of vocabulary values
TEXTS = "texts"  # list of free text
OBJECT = "object"
OBJECTS = "objects"  # list of objects

# Buddhist-Era years accepted for entries and awards.
YEAR_MIN = 2500
YEAR_MAX = 2600


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    label_th: str
    label_en: str
    help_th: str = ""
    required: bool = False
    vocabulary: str = ""  # for CHOICE / CHOICES
    max_length: int = 0  # characters, for TEXT-like values
    max_items: int = 0  # for lists
    children: tuple[FieldSpec, ...] = ()  # for OBJECT / OBJECTS
    example: object = None


AUTHOR_FIELDS = (
    FieldSpec(
        "name",
        TEXT,
        "ชื่อ-นามสกุล",
        "Full name",
        required=True,
        max_length=200,
        example="นางสาวกมลวรรณ ใจดี",
    ),
    FieldSpec("position", TEXT, "ตำแหน่ง", "Position", max_length=200, example="ครูชำนาญการพิเศษ"),
    FieldSpec(
        "email",
        EMAIL,
        "อีเมล (ไม่เผยแพร่)",
        "E-mail (never published)",
        example="kamonwan@school.ac.th",
    ),
)

SCHOOL_FIELDS = (
    FieldSpec(
        "name",
        TEXT,
        "ชื่อสถานศึกษา/หน่วยงาน",
        "School or office",
        required=True,
        max_length=200,
        example="โรงเรียนบ้านโคกสำโรง",
    ),
    FieldSpec(
        "district",
        CHOICE,
        "อำเภอ",
        "District",
        required=True,
        vocabulary="districts",
        example="โคกสำโรง",
    ),
    FieldSpec(
        "affiliation",
        CHOICE,
        "สังกัด",
        "Affiliation",
        required=True,
        vocabulary="affiliations",
        example="สพป.ลพบุรี เขต 1",
    ),
)

AWARD_FIELDS = (
    FieldSpec(
        "title",
        TEXT,
        "ชื่อรางวัล",
        "Award title",
        required=True,
        max_length=300,
        example="รางวัลนวัตกรรมดีเด่น IFTE",
    ),
    FieldSpec(
        "level",
        CHOICE,
        "ระดับรางวัล",
        "Award level",
        required=True,
        vocabulary="award_levels",
        example="จังหวัด",
    ),
    FieldSpec("year", YEAR, "ปี พ.ศ. ที่ได้รับ", "Year (BE)", required=True, example=2567),
)

ATTACHMENT_FIELDS = (
    FieldSpec(
        "file",
        FILE,
        "ชื่อไฟล์ (อยู่ในโฟลเดอร์เดียวกัน)",
        "File name (in the entry folder)",
        required=True,
        max_length=200,
        example="worksheet.pdf",
    ),
    FieldSpec(
        "title", TEXT, "คำอธิบายไฟล์", "Title", required=True, max_length=200, example="ใบกิจกรรม"
    ),
)

LINK_FIELDS = (
    FieldSpec(
        "url",
        URL,
        "ที่อยู่เว็บ",
        "URL",
        required=True,
        max_length=2000,
        example="https://www.youtube.com/watch?v=xxxxxxxxxxx",
    ),
    FieldSpec(
        "title", TEXT, "คำอธิบายลิงก์", "Title", required=True, max_length=200, example="คลิปสาธิตการสอน"
    ),
)

ENTRY_FIELDS = (
    FieldSpec(
        "title",
        TEXT,
        "ชื่อผลงาน",
        "Title",
        "ชื่อผลงานภาษาไทย",
        required=True,
        max_length=300,
        example="ชุดกิจกรรมพัฒนาการอ่านจับใจความ",
    ),
    FieldSpec(
        "title_en",
        TEXT,
        "ชื่อผลงานภาษาอังกฤษ",
        "English title",
        "ไม่บังคับ",
        max_length=300,
        example="Reading comprehension activities",
    ),
    FieldSpec(
        "type", CHOICE, "ประเภทผลงาน", "Type", required=True, vocabulary="types", example="นวัตกรรม"
    ),
    FieldSpec(
        "category",
        CHOICE,
        "ด้าน",
        "Category",
        required=True,
        vocabulary="categories",
        example="การจัดการเรียนรู้",
    ),
    FieldSpec(
        "year",
        YEAR,
        "ปี พ.ศ.",
        "Year (Buddhist Era)",
        "ปีปฏิทิน พ.ศ. ที่ดำเนินการหรือส่งผลงาน (ไม่ใช่ปีงบประมาณหรือปีการศึกษา) ตรงกับชื่อโฟลเดอร์ปี",
        required=True,
        example=2567,
    ),
    FieldSpec(
        "sample", BOOL, "ข้อมูลตัวอย่าง", "Sample entry", "ใช้เฉพาะผลงานตัวอย่างของระบบ", example=False
    ),
    FieldSpec(
        "authors",
        OBJECTS,
        "ผู้พัฒนาผลงาน",
        "Authors",
        "อย่างน้อย 1 คน",
        required=True,
        max_items=30,
        children=AUTHOR_FIELDS,
    ),
    FieldSpec(
        "school", OBJECT, "สถานศึกษา/หน่วยงาน", "School", required=True, children=SCHOOL_FIELDS
    ),
    FieldSpec(
        "subjects",
        CHOICES,
        "กลุ่มสาระการเรียนรู้",
        "Learning areas",
        vocabulary="subjects",
        max_items=12,
        example=["ภาษาไทย"],
    ),
    FieldSpec(
        "levels",
        CHOICES,
        "ระดับชั้น",
        "Levels",
        vocabulary="levels",
        max_items=25,
        example=["ป.4", "ป.5"],
    ),
    FieldSpec(
        "keywords",
        TEXTS,
        "คำสำคัญ",
        "Keywords",
        max_length=80,
        max_items=20,
        example=["การอ่านจับใจความ", "นิทานพื้นบ้าน"],
    ),
    FieldSpec(
        "summary",
        TEXT,
        "บทคัดย่อ/สรุปย่อ",
        "Summary",
        "หนึ่งย่อหน้า",
        required=True,
        max_length=1500,
        example="สรุปผลงานสั้น ๆ หนึ่งย่อหน้า",
    ),
    FieldSpec("award", OBJECT, "รางวัลที่ได้รับ", "Award", "สำหรับแนวปฏิบัติที่เป็นเลิศ", children=AWARD_FIELDS),
    FieldSpec(
        "attachments",
        OBJECTS,
        "ไฟล์แนบ",
        "Attachments",
        "PDF หรือรูปภาพ วางไว้ข้าง index.md",
        max_items=30,
        children=ATTACHMENT_FIELDS,
    ),
    FieldSpec(
        "cover",
        FILE,
        "ภาพปก",
        "Cover image",
        "ไม่บังคับ ชื่อไฟล์รูปหนึ่งในไฟล์แนบหรือในเนื้อหา แสดงบนการ์ดผลงาน ถ้าไม่ระบุใช้รูปแรกในไฟล์แนบ",
        max_length=200,
        example="activity.jpg",
    ),
    FieldSpec(
        "links", OBJECTS, "ลิงก์", "Links", "เช่น คลิป YouTube", max_items=30, children=LINK_FIELDS
    ),
    FieldSpec(
        "license",
        CHOICE,
        "สัญญาอนุญาต",
        "Licence",
        "ค่าเริ่มต้น CC BY 4.0",
        vocabulary="licenses",
        example="CC BY 4.0",
    ),
    FieldSpec(
        "submitted",
        DATE,
        "วันที่ส่งผลงาน",
        "Date submitted",
        "ปปปป-ดด-วว ใช้นับปีงบประมาณ (1 ต.ค.–30 ก.ย.)",
        example="2024-06-15",
    ),
    FieldSpec(
        "started",
        DATE,
        "วันที่เริ่มดำเนินการ",
        "Date the work started",
        "ไม่บังคับ ปปปป-ดด-วว ใช้นับปีการศึกษา (เริ่ม 16 พ.ค.)",
        example="2024-05-16",
    ),
    FieldSpec(
        "finished",
        DATE,
        "วันที่ดำเนินการเสร็จ",
        "Date the work finished",
        "ไม่บังคับ ปปปป-ดด-วว ไม่ก่อนวันที่เริ่ม",
        example="2025-03-31",
    ),
)

DEFAULT_LICENSE = "CC-BY-4.0"


def field_names(specs: tuple[FieldSpec, ...]) -> list[str]:
    return [spec.name for spec in specs]
