"""Attachment files: where they may live, what they may be, how big.

The type is decided by the file's first bytes, not its name, so a renamed
`.exe` or `.docx` cannot pass as a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

# extension → media type, and the signature the bytes must start with
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def sniff_media_type(head: bytes) -> str | None:
    """Media type from the first 16 bytes of a file, or None if not an allowed type."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class AttachmentCheck:
    code: str = ""  # problem code, "" when fine
    detail: str = ""
    media_type: str = ""
    size: int = 0


def format_size(size: int) -> str:
    """Human size for people, e.g. '1.2 MB'."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def check_attachment(folder: Path, name: str) -> AttachmentCheck:
    relative = PurePosixPath(name.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or ":" in name:
        return AttachmentCheck("attachment-outside")
    path = folder / relative
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return AttachmentCheck("attachment-missing")
    if not resolved.is_relative_to(folder.resolve()):  # e.g. a symlink pointing elsewhere
        return AttachmentCheck("attachment-outside")
    if not resolved.is_file():
        return AttachmentCheck("attachment-missing")
    size = resolved.stat().st_size
    expected = MEDIA_TYPES.get(relative.suffix.lower())
    if expected is None:
        return AttachmentCheck("attachment-type", f"นามสกุล/extension {relative.suffix or '-'}")
    with resolved.open("rb") as handle:
        actual = sniff_media_type(handle.read(16))
    if actual != expected:
        found = actual or "unknown"
        return AttachmentCheck("attachment-type", f"เนื้อไฟล์ไม่ใช่/content is not {expected} ({found})")
    if size > MAX_ATTACHMENT_BYTES:
        return AttachmentCheck("attachment-too-large", size=size)
    return AttachmentCheck(media_type=actual, size=size)
