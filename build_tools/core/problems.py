"""Validation problems: one shape for every check, compiler-style output.

A `Problem` is data, never an exception, so one run can show a teacher every
mistake at once. Every code is registered in `CODES` with Thai and English text
and a documented fix; the contributor guide is generated from this table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class ProblemCode:
    code: str
    severity: str
    th: str  # message template, str.format() with the problem's arguments
    en: str
    fix_th: str
    fix_en: str


def _code(code, severity, th, en, fix_th, fix_en) -> ProblemCode:
    return ProblemCode(code, severity, th, en, fix_th, fix_en)


CODES: dict[str, ProblemCode] = {
    c.code: c
    for c in [
        # --- the file itself -------------------------------------------------------
        _code(
            "encoding-legacy",
            ERROR,
            "ไฟล์ไม่ได้บันทึกเป็น UTF-8 (ดูเหมือนเป็นรหัส TIS-620/Windows-874 แบบเก่า)",
            "The file is not UTF-8 (it looks like legacy TIS-620/Windows-874 Thai)",
            "เปิดไฟล์ใน VS Code หรือ Notepad แล้วเลือก Save with Encoding → UTF-8",
            "Open the file in VS Code or Notepad and choose Save with Encoding → UTF-8",
        ),
        _code(
            "encoding-invalid",
            ERROR,
            "ไฟล์ไม่ได้บันทึกเป็น UTF-8 (ไบต์ที่ {offset} อ่านไม่ได้)",
            "The file is not valid UTF-8 (byte {offset} cannot be decoded)",
            "บันทึกไฟล์ใหม่เป็น UTF-8",
            "Save the file again as UTF-8",
        ),
        _code(
            "file-too-large",
            ERROR,
            "ไฟล์ index.md ใหญ่ {size} ไบต์ เกินกำหนด {limit} ไบต์",
            "index.md is {size} bytes, over the limit of {limit} bytes",
            "ย่อเนื้อหา หรือย้ายรายละเอียดไปไว้ในไฟล์แนบ PDF",
            "Shorten the text or move details into a PDF attachment",
        ),
        _code(
            "folder-layout",
            ERROR,
            "ตำแหน่งไฟล์ไม่ถูกต้อง ต้องเป็น innovations/<ปี พ.ศ.>/<ชื่อโฟลเดอร์>/index.md",
            "Wrong location: entries must be innovations/<BE year>/<folder>/index.md",
            "ย้ายไฟล์ไปไว้ที่ innovations/2567/ชื่อผลงานภาษาอังกฤษ/index.md",
            "Move the file to innovations/2567/english-name/index.md",
        ),
        _code(
            "invalid-slug",
            ERROR,
            'ชื่อโฟลเดอร์ "{value}" ใช้ได้เฉพาะ a-z ตัวเล็ก ตัวเลข และขีด (-)',
            'Folder name "{value}" may only use lowercase a-z, digits and hyphens',
            "เปลี่ยนชื่อโฟลเดอร์ เช่น {suggestion}",
            "Rename the folder, e.g. {suggestion}",
        ),
        _code(
            "duplicate-slug",
            ERROR,
            'ชื่อโฟลเดอร์ "{value}" ซ้ำกับผลงาน {other}',
            'Folder name "{value}" is already used by {other}',
            "ตั้งชื่อโฟลเดอร์ใหม่ที่ไม่ซ้ำ",
            "Choose a folder name nobody else uses",
        ),
        _code(
            "unsafe-file",
            ERROR,
            "ไฟล์นี้เป็นลิงก์ (symlink) ไฟล์พิเศษ หรือมีชื่อที่มีอักขระควบคุม/ไม่ใช่ UTF-8 "
            "ระบบไม่อ่านและไม่เผยแพร่ และจะไม่สร้างหน้าผลงานในโฟลเดอร์นี้",
            "This is a link (symlink), a special file, or a name with control characters or "
            "bytes that are not UTF-8: it is never read or published, and the entry in this "
            "folder is left off the site",
            "ลบลิงก์ออก แล้ววางไฟล์จริงไว้ในโฟลเดอร์ผลงาน ตั้งชื่อด้วย a-z ตัวเลข - หรือ _",
            "Remove the link and put the real file in the entry folder, named with a-z, "
            "digits, - or _",
        ),
        # --- front matter and YAML ---------------------------------------------------
        _code(
            "front-matter-missing",
            ERROR,
            "ไม่พบส่วนข้อมูล (front matter) ที่ขึ้นต้นด้วยบรรทัด ---",
            "No front matter: the file must start with a line ---",
            "เริ่มไฟล์ด้วย --- ตามด้วยข้อมูล title: … แล้วปิดด้วย --- (ดูตัวอย่างในคู่มือ)",
            "Start the file with ---, the fields (title: …), then a closing ---",
        ),
        _code(
            "front-matter-unclosed",
            ERROR,
            "ส่วนข้อมูล (front matter) ไม่มีบรรทัด --- ปิดท้าย",
            "The front matter has no closing --- line",
            "เพิ่มบรรทัด --- หลังข้อมูลชุดสุดท้าย ก่อนเนื้อหา",
            "Add a --- line after the last field, before the body",
        ),
        _code(
            "front-matter-not-mapping",
            ERROR,
            "ส่วนข้อมูลต้องเป็นรายการ ชื่อ: ค่า",
            "The front matter must be a list of key: value pairs",
            "เขียนข้อมูลทีละบรรทัดในรูป title: ชื่อผลงาน",
            "Write one field per line as title: …",
        ),
        _code(
            "front-matter-too-large",
            ERROR,
            "ส่วนข้อมูล (front matter) ยาว {size} ไบต์ เกินกำหนด {limit} ไบต์",
            "The front matter is {size} bytes, over the limit of {limit} bytes",
            "ย้ายรายละเอียดยาว ๆ ไปไว้ในเนื้อหาใต้บรรทัด --- ปิดท้าย",
            "Move long text into the body, below the closing ---",
        ),
        _code(
            "front-matter-too-deep",
            ERROR,
            "ส่วนข้อมูลซ้อนกันลึก {depth} ชั้นขึ้นไป เกินกำหนด {limit} ชั้น",
            "The front matter nests {depth} or more levels deep, over the limit of {limit}",
            "เขียนข้อมูลตามแบบในคู่มือ รายการ […] และกลุ่มข้อมูล {{…}} ไม่ต้องซ้อนกัน",
            "Follow the guide's template: lists […] and groups {{…}} need no nesting",
        ),
        _code(
            "yaml-syntax",
            ERROR,
            "รูปแบบ YAML ผิด: {detail}",
            "YAML syntax error: {detail}",
            'ตรวจเครื่องหมาย : เว้นวรรคหลัง : และการย่อหน้าให้ตรงกัน ข้อความที่มี : ให้ครอบด้วย "…"',
            "Check colons, the space after each colon and indentation; quote text containing a colon",
        ),
        _code(
            "yaml-tab",
            ERROR,
            "ใช้ปุ่ม Tab ย่อหน้าในส่วนข้อมูล ซึ่ง YAML ไม่อนุญาต",
            "A tab is used for indentation in the front matter; YAML forbids tabs",
            "แทน Tab ด้วยการเว้นวรรค 2 ช่อง",
            "Replace each tab with two spaces",
        ),
        _code(
            "yaml-duplicate-key",
            ERROR,
            'ชื่อข้อมูล "{key}" ซ้ำ (ครั้งแรกที่บรรทัด {first_line})',
            'Key "{key}" appears twice (first on line {first_line})',
            "ลบหรือรวมบรรทัดที่ซ้ำให้เหลือบรรทัดเดียว",
            "Remove or merge the duplicate line",
        ),
        _code(
            "yaml-tag",
            ERROR,
            'ไม่อนุญาตแท็ก YAML "{tag}"',
            'YAML tag "{tag}" is not allowed',
            "ลบส่วนที่ขึ้นต้นด้วย ! ออก ใช้ข้อความธรรมดา",
            "Remove the !tag and write plain text",
        ),
        _code(
            "yaml-alias",
            ERROR,
            "ไม่อนุญาตการอ้างอิง YAML (& และ *)",
            "YAML anchors and aliases (& and *) are not allowed",
            'เขียนค่าซ้ำตรง ๆ แทนการอ้างอิง; ข้อความที่ขึ้นต้นด้วย * หรือ & ให้ครอบด้วย "…"',
            "Write the value out; quote text that starts with * or &",
        ),
        _code(
            "unknown-key",
            ERROR,
            'ไม่รู้จักข้อมูล "{key}"',
            'Unknown field "{key}"',
            "ตรวจการสะกดชื่อข้อมูล (ดูรายการข้อมูลในคู่มือ)",
            "Check the spelling against the field list",
        ),
        _code(
            "missing-field",
            ERROR,
            'ขาดข้อมูลที่จำเป็น "{key}" ({label})',
            'Required field "{key}" ({label_en}) is missing',
            "เพิ่มบรรทัด {key}: … ในส่วนข้อมูล",
            "Add a line {key}: … to the front matter",
        ),
        _code(
            "wrong-type",
            ERROR,
            "ข้อมูล {field} ต้องเป็น{expected_th} แต่พบ{found_th}",
            "{field} must be {expected_en}, found {found_en}",
            'แก้รูปแบบตามตัวอย่างในคู่มือ; ข้อความอย่าง yes/no/on ให้ครอบด้วย "…"',
            "Follow the example in the guide; quote words like yes/no/on",
        ),
        _code(
            "empty-value",
            ERROR,
            "ข้อมูล {field} ว่างเปล่า",
            "{field} is empty",
            "ใส่ค่า หรือลบบรรทัดนั้นหากไม่บังคับ",
            "Fill it in, or delete the line if optional",
        ),
        _code(
            "unknown-choice",
            ERROR,
            '{kind_th} "{value}" ไม่มีในรายการ',
            '{kind_en} "{value}" is not in the list',
            "เลือกค่าจากรายการใน vocabularies.yml (ดูคู่มือ)",
            "Use a value listed in vocabularies.yml (see the guide)",
        ),
        _code(
            "year-christian-era",
            ERROR,
            "ปี {value} ดูเหมือนเป็นปี ค.ศ. ต้องใช้ปี พ.ศ.",
            "Year {value} looks like a Christian-Era year; use the Buddhist Era",
            "บวก 543 เช่น 2024 → 2567",
            "Add 543, e.g. 2024 → 2567",
        ),
        _code(
            "year-out-of-range",
            ERROR,
            "ปี พ.ศ. {value} อยู่นอกช่วงที่รับ ({low}–{high})",
            "Year {value} is outside the accepted range ({low}–{high})",
            "ตรวจปี พ.ศ. ที่พัฒนาหรือเผยแพร่ผลงาน",
            "Check the Buddhist-Era year of the work",
        ),
        _code(
            "year-mismatch",
            ERROR,
            "ปี {value} ไม่ตรงกับโฟลเดอร์ปี {folder_year}",
            "Year {value} does not match the folder year {folder_year}",
            "แก้ year ให้ตรง หรือย้ายโฟลเดอร์ไปไว้ใต้ innovations/{value}/",
            "Fix year, or move the folder under innovations/{value}/",
        ),
        _code(
            "invalid-date",
            ERROR,
            'วันที่ "{value}" ไม่ถูกต้อง ต้องเป็น ปปปป-ดด-วว',
            'Date "{value}" must be YYYY-MM-DD',
            "เขียนวันที่แบบ ISO เช่น 2024-06-15 (ค.ศ.) หรือ 2567-06-15 (พ.ศ.)",
            "Write an ISO date such as 2024-06-15",
        ),
        _code(
            "invalid-email",
            ERROR,
            'อีเมล "{value}" ไม่ถูกต้อง',
            'E-mail "{value}" is not valid',
            "ตรวจรูปแบบ name@school.ac.th หรือลบออก (ไม่บังคับ)",
            "Use name@school.ac.th or remove it (optional)",
        ),
        _code(
            "too-long",
            ERROR,
            "ข้อมูล {field} ยาว {length} ตัวอักษร เกิน {limit}",
            "{field} is {length} characters, over {limit}",
            "ย่อให้สั้นลง รายละเอียดเขียนในเนื้อหา",
            "Shorten it; put details in the body",
        ),
        _code(
            "link-scheme",
            ERROR,
            'ลิงก์ "{value}" ต้องขึ้นต้นด้วย http:// หรือ https://',
            'Link "{value}" must start with http:// or https://',
            "คัดลอกที่อยู่เว็บเต็มจากเบราว์เซอร์",
            "Copy the full web address from the browser",
        ),
        _code(
            "unicode-normalization",
            WARNING,
            "{field} มีอักขระไทยที่พิมพ์แยกส่วน (เช่น สระอำพิมพ์เป็น ํ + า) ระบบปรับให้แล้ว",
            "{field} contains decomposed Thai characters (e.g. sara am typed as two); normalised",
            "พิมพ์สระอำด้วยปุ่มสระอำโดยตรง",
            "Type sara am with its own key",
        ),
        _code(
            "thai-digits",
            WARNING,
            '{field} ใช้เลขไทย "{value}" ระบบอ่านเป็น {converted}',
            '{field} uses Thai digits "{value}"; read as {converted}',
            "ไม่ต้องแก้ก็ได้; ใช้เลขอารบิกจะอ่านง่ายกว่าในระบบอื่น",
            "Optional: Arabic digits are easier for other systems",
        ),
        # --- attachments and links -----------------------------------------------------
        _code(
            "attachment-missing",
            ERROR,
            'ไม่พบไฟล์แนบ "{value}" ในโฟลเดอร์ผลงาน',
            'Attachment "{value}" is not in the entry folder',
            "วางไฟล์ไว้ข้าง index.md และสะกดชื่อให้ตรง (ตัวพิมพ์เล็ก/ใหญ่มีผล)",
            "Put the file beside index.md and match the name exactly (case matters)",
        ),
        _code(
            "attachment-outside",
            ERROR,
            'ไฟล์แนบ "{value}" อยู่นอกโฟลเดอร์ผลงาน',
            'Attachment "{value}" is outside the entry folder',
            "คัดลอกไฟล์มาไว้ในโฟลเดอร์ผลงาน แล้วใช้ชื่อไฟล์อย่างเดียว",
            "Copy the file into the entry folder and give just its name",
        ),
        _code(
            "attachment-type",
            ERROR,
            'ไฟล์แนบ "{value}" เป็นชนิดที่ไม่อนุญาต ({detail})',
            'Attachment "{value}" has a type that is not allowed ({detail})',
            "ใช้ได้เฉพาะ PDF, JPEG, PNG, WebP, GIF; วิดีโอให้ใส่เป็นลิงก์ YouTube",
            "Only PDF, JPEG, PNG, WebP and GIF; put videos as YouTube links",
        ),
        _code(
            "attachment-too-large",
            ERROR,
            'ไฟล์แนบ "{value}" ใหญ่ {size} เกินกำหนด {limit}',
            'Attachment "{value}" is {size}, over the limit of {limit}',
            "ย่อขนาดไฟล์ (บีบอัด PDF, ลดขนาดรูป) หรือใส่เป็นลิงก์",
            "Compress the PDF or resize the image, or link to it",
        ),
        _code(
            "attachment-name",
            ERROR,
            'ชื่อไฟล์แนบ "{value}" มีอักขระที่ใช้ไม่ได้ (ช่องว่าง เครื่องหมาย หรือขึ้นบรรทัดใหม่)',
            'Attachment name "{value}" has characters that cannot be used (spaces, '
            "symbols or line breaks)",
            "เปลี่ยนชื่อไฟล์ให้มีเฉพาะตัวอักษร ตัวเลข - _ และ . เช่น {detail}",
            "Rename the file using only letters, digits, - _ and ., e.g. {detail}",
        ),
        _code(
            "image-too-large",
            ERROR,
            'รูปภาพ "{value}" มีขนาด {detail} เกินกำหนด 50 ล้านพิกเซล (ด้านยาวไม่เกิน 20,000 px)',
            'Image "{value}" is {detail}, over the limit of 50 megapixels (and 20,000 px a side)',
            "ย่อรูปให้เล็กลง เช่น ด้านยาว 3,000 พิกเซล ก่อนแนบ",
            "Resize the image, e.g. to 3,000 pixels on its longer side, before attaching it",
        ),
        # --- content -----------------------------------------------------------------
        _code(
            "national-id",
            ERROR,
            "พบเลขประจำตัวประชาชน 13 หลัก ({masked}) ห้ามเผยแพร่ (PDPA)",
            "A Thai national ID number ({masked}) must not be published (PDPA)",
            "ลบเลขประจำตัวประชาชนออกจากไฟล์ทั้งหมด",
            "Remove the national ID number",
        ),
        _code(
            "id-like-number",
            WARNING,
            "พบตัวเลข 13 หลัก ({masked}) ซึ่งอาจเป็นเลขประจำตัวประชาชน",
            "A 13-digit number ({masked}) may be a national ID number",
            "ถ้าเป็นเลขประจำตัวประชาชนหรือเลขประจำตัวนักเรียน ให้ลบออก ถ้าเป็นเลขอื่น (เช่น ISBN) ไม่ต้องแก้",
            "If it is anyone's ID number, remove it; if it is another number (an ISBN), leave it",
        ),
        _code(
            "phone-number",
            WARNING,
            "พบหมายเลขโทรศัพท์ ({masked}) โปรดตรวจว่าได้รับความยินยอมให้เผยแพร่",
            "A phone number ({masked}) was found; check you have consent to publish it",
            "ลบเบอร์โทรศัพท์ส่วนตัว ใช้เบอร์ของสถานศึกษาแทน",
            "Remove personal numbers; use the school's number instead",
        ),
        _code(
            "student-name",
            WARNING,
            "พบชื่อนักเรียน ({masked}) การเผยแพร่ชื่อนักเรียนต้องได้รับความยินยอมจากผู้ปกครอง (PDPA)",
            "A student's name ({masked}) was found; publishing it needs parental consent (PDPA)",
            'ใช้คำกลาง ๆ แทนชื่อจริง เช่น "นักเรียนคนที่ 1" หรือ "นักเรียนชั้น ป.4"',
            'Refer to students without names, e.g. "student 1" or "a Grade 4 student"',
        ),
        _code(
            "email-in-text",
            WARNING,
            "พบอีเมล ({masked}) ในข้อความที่จะเผยแพร่บนเว็บไซต์",
            "An e-mail address ({masked}) appears in text that will be published",
            "ลบอีเมลออกจากเนื้อหา ใส่อีเมลผู้พัฒนาในช่อง authors → email ซึ่งไม่เผยแพร่",
            "Remove it from the text; put authors' addresses in authors → email (never published)",
        ),
        _code(
            "image-gps",
            WARNING,
            'รูป "{value}" มีพิกัด GPS ในข้อมูล EXIF ({detail}) ซึ่งบอกตำแหน่งที่ถ่ายภาพ',
            'Photo "{value}" carries GPS coordinates in its EXIF data ({detail})',
            "รันคำสั่ง ifte strip-gps ไฟล์รูป.jpg เพื่อลบพิกัดออกจากไฟล์ "
            "(เว็บไซต์ตัดข้อมูลนี้ออกจากรูปที่เผยแพร่เสมอ แต่ไฟล์ต้นฉบับใน GitHub ยังมีพิกัดอยู่)",
            "Run ifte strip-gps photo.jpg to remove it (the site always strips it from published "
            "copies, but the original file in the repository still has it)",
        ),
        _code(
            "near-duplicate",
            WARNING,
            'เนื้อหาคล้ายกับผลงาน {other} ("{other_title}") ประมาณร้อยละ {percent}',
            'The text is about {percent}% similar to {other} ("{other_title}")',
            "ถ้าเป็นผลงานเดียวกัน ให้แก้ไขผลงานเดิมแทนการส่งซ้ำ; ถ้าต่อยอดจากผลงานอื่น ให้อ้างอิงที่มาในเนื้อหา",
            "If it is the same work, edit the existing entry; "
            "if it builds on it, credit the source",
        ),
        _code(
            "similar-title",
            WARNING,
            'ชื่อผลงานเหมือนหรือใกล้เคียงกับผลงาน {other} ("{other_title}")',
            'The title is the same as or close to that of {other} ("{other_title}")',
            "ตรวจว่าไม่ได้ส่งผลงานซ้ำ และตั้งชื่อให้บอกความต่างจากผลงานเดิม",
            "Check it is not a resubmission, and make the title say how it differs",
        ),
        _code(
            "image-missing-alt",
            WARNING,
            'รูปภาพ "{value}" ไม่มีคำบรรยาย (alt) สำหรับผู้พิการทางสายตา',
            'Image "{value}" has no alt text for screen-reader users',
            "เขียน ![คำบรรยายรูป](รูป.jpg) โดยใส่คำบรรยายในวงเล็บเหลี่ยม",
            "Write ![description](image.jpg) with a description in the brackets",
        ),
        _code(
            "body-too-complex",
            ERROR,
            "เนื้อหาช่วงบรรทัดนี้มีเครื่องหมาย {detail} มากเกินไป ซึ่งทำให้การแปลงเป็นหน้าเว็บช้ามาก",
            "The body near this line has too many {detail_en}, which makes turning it into a web "
            "page very slow",
            "ลบเครื่องหมายที่ไม่ได้ใช้ แบ่งย่อหน้าด้วยบรรทัดว่าง และลดระดับรายการซ้อน",
            "Remove stray marks, split paragraphs with blank lines and flatten nested lists",
        ),
        _code(
            "body-too-slow",
            ERROR,
            "แปลงเนื้อหาเป็นหน้าเว็บนานเกิน {limit} วินาที จึงหยุดการสร้างเว็บไซต์",
            "Turning the body into a web page took over {limit} seconds, so the build stopped",
            "ลบเครื่องหมายที่ไม่ได้ใช้ (เช่น [ < * _) แบ่งย่อหน้าด้วยบรรทัดว่าง แล้วตรวจอีกครั้ง",
            "Remove stray marks (such as [ < * _), split paragraphs with blank lines, check again",
        ),
        _code(
            "dates-out-of-order",
            ERROR,
            "วันที่ดำเนินการเสร็จ ({finished}) อยู่ก่อนวันที่เริ่มดำเนินการ ({started})",
            "The work finished ({finished}) before it started ({started})",
            "ตรวจ started (วันที่เริ่ม) และ finished (วันที่เสร็จ) รูปแบบ ปปปป-ดด-วว",
            "Check started and finished (YYYY-MM-DD); finished must not be before started",
        ),
        _code(
            "body-no-content",
            ERROR,
            "เนื้อหามีแต่หัวข้อหรือคำแนะนำใน <!-- --> ยังไม่มีรายละเอียดผลงาน",
            "The body has only headings or <!-- --> notes: nothing about the work yet",
            "เขียนรายละเอียดผลงานใต้หัวข้อแต่ละหัวข้อ",
            "Write about the work under each heading",
        ),
        _code(
            "section-empty",
            WARNING,
            'หัวข้อ "{value}" ยังไม่มีเนื้อหา จะแสดงเป็นหัวข้อเปล่าบนเว็บไซต์',
            'The section "{value}" is empty and would be published as a bare heading',
            "เขียนเนื้อหาใต้หัวข้อนี้ หรือลบบรรทัดหัวข้อที่ไม่ใช้",
            "Write something under the heading, or remove the heading",
        ),
        _code(
            "image-not-found",
            WARNING,
            'รูป "{value}" ที่แสดงในเนื้อหาไม่มีในโฟลเดอร์ผลงาน จะแสดงเป็นรูปเสีย',
            'The image "{value}" shown in the body is not in the entry folder: it would be broken',
            "แนบไฟล์รูปชื่อนี้ไว้ในโฟลเดอร์ผลงาน (ในแบบฟอร์ม: เลือกไฟล์แล้วกด แทรกในเนื้อหา) หรือแก้ชื่อให้ตรงกับไฟล์",
            "Put the image in the entry folder (in the form: pick it, then press Insert), "
            "or correct the name",
        ),
        _code(
            "cover-not-image",
            WARNING,
            'ภาพปก "{value}" ไม่ใช่รูปของผลงานนี้ (รูปที่ใช้ได้: {choices}) การ์ดผลงานจะใช้รูปแรกในไฟล์แนบแทน',
            'The cover "{value}" is not one of this entry\'s images (images: {choices}); cards '
            "show its first image attachment instead",
            "ใส่ชื่อไฟล์รูปที่แนบไว้ใน attachments หรือแสดงในเนื้อหา เช่น cover: activity.jpg "
            "หรือลบบรรทัด cover ออก",
            "Give the name of an image listed in attachments or shown in the body, e.g. "
            "cover: activity.jpg, or remove the cover line",
        ),
        _code(
            "body-empty",
            WARNING,
            "ไม่มีเนื้อหาหลังส่วนข้อมูล",
            "The entry has no body text after the front matter",
            "เขียนรายละเอียดผลงานใต้บรรทัด --- ปิดท้าย",
            "Describe the work below the closing ---",
        ),
        # --- selection rounds and adoptions (build_tools/features/) -------------------------
        _code(
            "unknown-entry",
            ERROR,
            'ไม่มีผลงานรหัส "{value}" ในคลัง',
            'There is no entry "{value}" in the repository',
            "ใช้รหัสผลงานแบบ ปี/ชื่อโฟลเดอร์ เช่น 2567/reading-kit (ดูจากที่อยู่หน้าผลงาน)",
            "Use the entry id year/folder, e.g. 2567/reading-kit (as in the entry's web address)",
        ),
        _code(
            "unknown-member",
            ERROR,
            'ไม่มีกรรมการรหัส "{value}" ในรายชื่อคณะกรรมการ (committee)',
            'There is no committee member "{value}" in the committee list',
            "ใช้รหัสกรรมการ (id) ตามรายชื่อใน committee ของไฟล์รอบการคัดเลือก",
            "Use a member id listed under committee in the round's file",
        ),
        _code(
            "not-a-candidate",
            ERROR,
            'ผลงาน "{value}" ไม่อยู่ในรายชื่อผลงานที่เข้ารับการคัดเลือก (candidates)',
            'Entry "{value}" is not one of the round\'s candidates',
            "เพิ่มรหัสผลงานใน candidates หรือลบคะแนนของผลงานนี้ออก",
            "Add the entry to candidates, or remove its scores",
        ),
        _code(
            "conflict-of-interest",
            ERROR,
            "กรรมการ {member} ให้คะแนนผลงาน {entry} ไม่ได้: {reason_th}",
            "Member {member} may not score entry {entry}: {reason_en}",
            "ลบคะแนนนี้ออก ผลงานนี้ใช้คะแนนเฉลี่ยของกรรมการคนอื่น",
            "Remove this score: the entry's mean comes from the other members",
        ),
        _code(
            "score-missing",
            ERROR,
            "ขาดคะแนนของกรรมการ {member} สำหรับผลงาน {entry}",
            "Member {member} has no score for entry {entry}",
            "ใส่คะแนนให้ครบทุกเกณฑ์ หรือบันทึกการมีส่วนได้เสียใน conflicts หากกรรมการงดให้คะแนน",
            "Fill in every criterion, or declare a conflict in conflicts if the member abstains",
        ),
        _code(
            "score-count",
            ERROR,
            "มีคะแนน {count} ค่า แต่รอบนี้มี {expected} เกณฑ์",
            "There are {count} scores but the round has {expected} criteria",
            "ใส่คะแนนหนึ่งค่าต่อหนึ่งเกณฑ์ เรียงตามลำดับเกณฑ์ใน criteria",
            "Give one score per criterion, in the order of criteria",
        ),
        _code(
            "score-out-of-range",
            ERROR,
            "ค่า {value} อยู่นอกช่วงที่รับ ({low}–{high})",
            "Value {value} is outside the accepted range ({low}–{high})",
            "ตรวจคะแนนอีกครั้ง ใช้ตัวเลขในช่วงที่กำหนด",
            "Check the value: use a number in the range",
        ),
        _code(
            "weights-total",
            ERROR,
            "น้ำหนักของเกณฑ์รวมกันได้ {total} ต้องรวมได้ 100",
            "The criteria's weights add up to {total}; they must add up to 100",
            "ปรับ weight ของแต่ละเกณฑ์ให้รวมกันได้ 100",
            "Adjust each criterion's weight so that they add up to 100",
        ),
        _code(
            "duplicate-id",
            ERROR,
            '"{value}" ซ้ำ (ครั้งแรกที่บรรทัด {first_line})',
            '"{value}" appears twice (first on line {first_line})',
            "ลบรายการที่ซ้ำ หรือตั้งรหัสใหม่ที่ไม่ซ้ำ",
            "Remove the duplicate, or give it an id of its own",
        ),
        _code(
            "sheet-columns",
            ERROR,
            "หัวตารางของแบบให้คะแนนไม่ตรงกับรอบการคัดเลือก: {detail}",
            "The score sheet's header does not match the round: {detail_en}",
            "สร้างแบบให้คะแนนใหม่ด้วย ifte selection sheets แล้วกรอกคะแนนโดยไม่ลบหรือย้ายคอลัมน์",
            "Make new sheets with ifte selection sheets and fill them without moving columns",
        ),
    ]
}


class _Blank(dict):
    """format_map arguments where a value the check did not supply reads as "…"."""

    def __missing__(self, key: str) -> str:
        return "…"


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one file."""

    path: str  # as shown to the user, relative to the project root, POSIX separators
    line: int  # 1-based; 0 when the problem is about the whole file
    column: int  # 1-based; 0 when unknown
    code: str
    field: str = ""  # dotted path such as "school.district"
    args: tuple[tuple[str, object], ...] = ()
    hint_th: str = ""  # e.g. did-you-mean suggestions
    hint_en: str = ""

    @property
    def info(self) -> ProblemCode:
        return CODES[self.code]

    @property
    def severity(self) -> str:
        return self.info.severity

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def _args(self) -> dict[str, object]:
        return {"field": self.field, **dict(self.args)}

    @property
    def message_th(self) -> str:
        text = self.info.th.format(**self._args())
        return f"{text} — {self.hint_th}" if self.hint_th else text

    @property
    def message_en(self) -> str:
        text = self.info.en.format(**self._args())
        return f"{text} — {self.hint_en}" if self.hint_en else text

    # Fixes are templates too ("rename the folder, e.g. {suggestion}").
    @property
    def fix_th(self) -> str:
        return self.info.fix_th.format_map(_Blank(self._args()))

    @property
    def fix_en(self) -> str:
        return self.info.fix_en.format_map(_Blank(self._args()))

    @property
    def location(self) -> str:
        parts = [self.path]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)


def make_problem(
    code: str,
    path: str,
    line: int = 0,
    column: int = 0,
    field: str = "",
    hint: tuple[str, str] | None = None,
    **args: object,
) -> Problem:
    if code not in CODES:  # a programming error, caught by the tests of every code
        raise KeyError(f"unregistered problem code {code!r}")
    hint_th, hint_en = hint or ("", "")
    shown = tuple((name, _shorten(value)) for name, value in args.items())
    return Problem(path, line, column, code, field, shown, hint_th, hint_en)


MAX_SHOWN_CHARS = 80  # of a value quoted in a message: a 5,000-digit year needs no echo


def _shorten(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_SHOWN_CHARS:
        return value[: MAX_SHOWN_CHARS - 1] + "…"
    return value


def did_you_mean(suggestion: str | None) -> tuple[str, str] | None:
    if not suggestion:
        return None
    return (f'หมายถึง "{suggestion}" ใช่ไหม?', f'did you mean "{suggestion}"?')


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.code))


def count_errors(problems: Iterable[Problem]) -> int:
    return sum(1 for p in problems if p.is_error)


def format_text(problem: Problem) -> str:
    field = f" {problem.field}" if problem.field else ""
    return (
        f"{problem.location}: {problem.severity} [{problem.code}]{field}\n"
        f"    {problem.message_th}\n"
        f"    {problem.message_en}\n"
        f"    วิธีแก้ / Fix: {problem.fix_th} / {problem.fix_en}"
    )


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the changed line."""
    level = "error" if problem.is_error else "warning"
    props = [f"file={_escape_github(problem.path, True)}"]
    if problem.line:
        props.append(f"line={problem.line}")
    if problem.column:
        props.append(f"col={problem.column}")
    props.append(f"title={problem.code}")
    # Messages quote the teacher's text, which may hold %, newlines or "::".
    message = "%0A".join(
        _escape_github(text) for text in (problem.message_th, problem.message_en, problem.fix_th)
    )
    return f"::{level} {','.join(props)}::{message}"


def _escape_github(text: str, is_property: bool = False) -> str:
    """Workflow-command escaping (as in @actions/core's escapeData/escapeProperty)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def problem_to_dict(problem: Problem) -> dict[str, object]:
    data = asdict(problem)
    data.pop("args")
    data.pop("hint_th")
    data.pop("hint_en")
    data.update(
        severity=problem.severity,
        message_th=problem.message_th,
        message_en=problem.message_en,
        fix_th=problem.fix_th,
        fix_en=problem.fix_en,
    )
    return data


def format_json(problems: Iterable[Problem]) -> str:
    return json.dumps([problem_to_dict(p) for p in problems], ensure_ascii=False, indent=2)


def format_summary(problems: list[Problem], files: int) -> str:
    errors = count_errors(problems)
    warnings = len(problems) - errors
    return (
        f"ตรวจ {files} ไฟล์: ข้อผิดพลาด {errors} รายการ, คำเตือน {warnings} รายการ\n"
        f"Checked {files} files: {errors} errors, {warnings} warnings"
    )


def format_build_problems(problems: Iterable[Problem]) -> list[tuple[bool, str]]:
    """(is an error, text) of each problem a build meets, then how many files are left off."""
    problems = list(problems)
    lines = [(problem.is_error, format_text(problem)) for problem in problems]
    files = len({p.path for p in problems if p.is_error})
    if files:
        lines.append(
            (
                True,
                f"ผลงาน {files} ไฟล์มีข้อผิดพลาดและไม่ถูกนำขึ้นเว็บไซต์ — แก้ตามข้อความข้างบน "
                f"แล้วตรวจด้วย `ifte check` / {files} entry files have errors and are left off "
                "the site; fix them and run `ifte check`.",
            )
        )
    return lines
