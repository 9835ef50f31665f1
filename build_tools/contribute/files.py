"""The rules a handed-in file must pass, and how it is named and cleaned.

The form's script (`theme/assets/javascripts/ifte-submit.js`: `packageName`,
`stripPhotoMetadata`, `checkFileBytes`) mirrors these functions line for line, so a
file picked in the browser and the same file dropped into the issue form end up as the
same bytes under the same name (tests/browser/test_submit_package.py compares them).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from build_tools.core.attachments import (
    IMAGE_TYPES,
    MAX_ATTACHMENT_BYTES,
    MEDIA_TYPES,
    check_image_header,
    sniff_media_type,
)

# The one extension each accepted type is saved under.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
NAME_STEM_CHARS = 40


def format_title(original: str) -> str:
    """The teacher's own file name without its extension: the attachment's title."""
    name = unicodedata.normalize("NFC", original.replace("\\", "/").rsplit("/", 1)[-1])
    return re.sub(r"\.[^.]*$", "", name).strip() or name.strip()


def format_package_name(original: str, media_type: str, number: int, taken: set[str]) -> str:
    """A safe ASCII lowercase name for attachment `number` (1-based), unique in `taken`.

    Thai letters have no ASCII spelling the browser could share with Python, so a name
    with no ASCII letters left becomes document-N / image-N; the Thai name stays as the
    title (`format_title`).
    """
    stem = unicodedata.normalize("NFKD", format_title(original)).encode("ascii", "ignore")
    stem_text = re.sub(r"[^a-z0-9]+", "-", stem.decode().lower()).strip("-")
    stem_text = stem_text[:NAME_STEM_CHARS].strip("-")
    if not stem_text:
        stem_text = ("document" if media_type == "application/pdf" else "image") + f"-{number}"
    extension = EXTENSIONS[media_type]
    name, counter = stem_text + extension, 2
    while name in taken or name == "index.md":
        name, counter = f"{stem_text}-{counter}{extension}", counter + 1
    return name


@dataclass(frozen=True)
class FileVerdict:
    media_type: str = ""
    th: str = ""  # why the file is refused, "" when it is fine
    en: str = ""

    @property
    def ok(self) -> bool:
        return not self.th


def check_file_bytes(name: str, data: bytes) -> FileVerdict:
    """Whether `data`, handed in as `name`, is an attachment the site may publish:
    a PDF or image by its bytes (an executable or web page renamed to .pdf is not),
    within the size limit, an image whose header promises a sane number of pixels."""
    media_type = sniff_media_type(data[:16])
    claimed = MEDIA_TYPES.get("." + name.rsplit(".", 1)[-1].lower()) if "." in name else None
    if media_type is None:
        what = "ไฟล์นี้" if claimed is None else f"ไฟล์ที่ชื่อลงท้ายแบบ {claimed}"
        return FileVerdict(
            "",
            f'"{name}": {what} ไม่ใช่ PDF หรือรูปภาพ (ตรวจจากเนื้อไฟล์) รับเฉพาะ PDF, JPG, PNG, GIF, WebP',
            f'"{name}" is not a PDF or an image by its content; only PDF, JPG, PNG, GIF, WebP',
        )
    if claimed is not None and claimed != media_type:
        return FileVerdict(
            "",
            f'"{name}": ชื่อไฟล์บอกว่าเป็น {claimed} แต่เนื้อไฟล์เป็น {media_type}',
            f'"{name}" is named as {claimed} but its content is {media_type}',
        )
    if len(data) > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        return FileVerdict(
            "",
            f'"{name}": ใหญ่เกิน {limit} MB ย่อไฟล์ก่อนส่ง',
            f'"{name}" is over {limit} MB; make it smaller',
        )
    if media_type in IMAGE_TYPES:
        problem = check_image_header(io.BytesIO(data))
        if problem is not None:
            return FileVerdict(
                "",
                f'"{name}": รูปภาพเสียหรือใหญ่เกินกำหนด ({problem.detail})',
                f'"{name}": the image is damaged or too large ({problem.detail})',
            )
    return FileVerdict(media_type)


# --- photo metadata ---------------------------------------------------------------------

_EXIF = b"Exif\x00\x00"


def _read_orientation(tiff: bytes) -> int:
    """EXIF Orientation (tag 0x0112 of IFD0) from a TIFF block, 1 when absent."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return 1
    order = "little" if tiff[:2] == b"II" else "big"
    offset = int.from_bytes(tiff[4:8], order)
    if offset + 2 > len(tiff):
        return 1
    count = int.from_bytes(tiff[offset : offset + 2], order)
    for index in range(count):
        start = offset + 2 + 12 * index
        if start + 12 > len(tiff):
            break
        if int.from_bytes(tiff[start : start + 2], order) == 0x0112:
            value = int.from_bytes(tiff[start + 8 : start + 10], order)
            return value if 1 <= value <= 8 else 1
    return 1


def _orientation_segment(orientation: int) -> bytes:
    """A minimal EXIF segment holding only the orientation (big-endian TIFF)."""
    tiff = (
        b"MM\x00\x2a\x00\x00\x00\x08"
        + b"\x00\x01"
        + b"\x01\x12\x00\x03\x00\x00\x00\x01"
        + orientation.to_bytes(2, "big")
        + b"\x00\x00"
        + b"\x00\x00\x00\x00"
    )
    payload = _EXIF + tiff
    return b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload


def strip_photo_metadata(data: bytes) -> bytes:
    """`data` without EXIF, XMP and IPTC blocks (where GPS positions, camera serial
    numbers and names live); a JPEG keeps only its orientation, so it still shows the
    right way up. Other files are returned unchanged, except PNG's eXIf chunk."""
    if data.startswith(b"\xff\xd8"):
        return _strip_jpeg(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _strip_png(data)
    return data


def _strip_jpeg(data: bytes) -> bytes:
    kept = [data[:2]]
    orientation = 1
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the image data follows, copied untouched
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position : position + 2 + length]
        if marker == 0xE1:  # EXIF or XMP
            if segment[4:10] == _EXIF:
                orientation = _read_orientation(segment[10:])
        elif marker != 0xED:  # APP13: Photoshop IPTC
            kept.append(segment)
        position += 2 + length
    if orientation != 1:
        # after APP0 (JFIF) when there is one, as cameras write it
        at = 2 if len(kept) > 1 and kept[1][:2] == b"\xff\xe0" else 1
        kept.insert(at, _orientation_segment(orientation))
    kept.append(data[position:])
    return b"".join(kept)


def _strip_png(data: bytes) -> bytes:
    kept = [data[:8]]
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if kind != b"eXIf":
            kept.append(data[position:end])
        position = end
    kept.append(data[position:])
    return b"".join(kept)
