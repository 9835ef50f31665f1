"""Attachment files: where they may live, what they may be, how big.

Everything in an entry folder comes from an untrusted pull request. A file is read
only when it is a regular file inside its entry folder, reached without following a
link (checked when it is read, not only when the entry is checked); its name must be
a plain one; its type is decided by its first bytes, not its name, so a renamed
`.exe`, `.docx` or web page cannot pass as a PDF; and an image's size in pixels is
read from its header before anything decodes it, so a small file cannot unpack into
gigabytes.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# A 50-megapixel phone photo is 8160 × 6120; decoding one takes about 200 MB.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE = 20_000
# Pillow refuses to decode beyond twice its limit: set it to ours, never its default.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
MAX_NAME_CHARS = 120

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
# Letters and digits (Thai too, with its vowel and tone marks), "-", "_" and "." in each
# part of a published name; no part starts with "." or "-". Spaces, quotes, "#", "%",
# line breaks and the like break URLs, FTP commands or shells.
_NAME_PART = re.compile(r"^[A-Za-z0-9\u0e01-\u0e5b_][A-Za-z0-9\u0e01-\u0e5b_.-]*$")


def is_safe_name(name: str) -> bool:
    """A file name the tools can read, print and store: UTF-8 text without control
    characters (a name that is not UTF-8 arrives with surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(unicodedata.category(char) == "Cc" for char in name)


def format_display_name(name: str) -> str:
    """`name` as printable text: undecodable bytes and control characters escaped."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(
        char.encode("unicode_escape").decode() if unicodedata.category(char) == "Cc" else char
        for char in text
    )


def is_publishable_name(name: str) -> bool:
    """A relative POSIX path whose every part is a plain name (`_NAME_PART`)."""
    parts = name.split("/")
    return (
        0 < len(name) <= MAX_NAME_CHARS
        and unicodedata.normalize("NFC", name) == name
        and all(_NAME_PART.match(part) and not part.endswith(".") for part in parts)
    )


def suggest_name(name: str) -> str:
    """A publishable name close to `name`, for the problem's fix."""
    parts = []
    for part in name.replace("\\", "/").split("/"):
        part = re.sub(r"[^A-Za-z0-9\u0e01-\u0e5b_.-]+", "-", part).strip(".-")
        if part:
            parts.append(part)
    return unicodedata.normalize("NFC", "/".join(parts))[:MAX_NAME_CHARS] or "file.pdf"


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


class UnsafeFileError(OSError):
    """A path that is a link, not a regular file, or outside its entry folder."""


def open_inside(folder: Path, name: str) -> int:
    """A read-only descriptor of regular file `name` (a relative POSIX path) in `folder`,
    opened part by part without following any link: a link swapped in after the check
    is refused here too. Raises `UnsafeFileError` (or another OSError: missing)."""
    parts = name.split("/")
    if not parts or any(part in ("", ".", "..") for part in parts):
        raise UnsafeFileError(name)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    in_folder = getattr(os, "O_DIRECTORY", 0)
    directory = os.open(folder, os.O_RDONLY | in_folder)
    try:
        for part in parts[:-1]:
            inner = os.open(part, flags | in_folder, dir_fd=directory)
            os.close(directory)
            directory = inner
        descriptor = os.open(parts[-1], flags, dir_fd=directory)
    except OSError as error:
        if any(os.path.islink(os.path.join(folder, *parts[:n])) for n in range(1, len(parts) + 1)):
            raise UnsafeFileError(name) from error
        raise
    finally:
        os.close(directory)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise UnsafeFileError(name)
    return descriptor


def find_regular_file(folder: Path, name: str) -> Path:
    """The path of regular file `name` in `folder`, after `open_inside` found it safe."""
    os.close(open_inside(folder, name))
    return folder.joinpath(*name.split("/"))


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
    """Whether `name` (as written in front matter or a body link) may be published."""
    relative = name.replace("\\", "/")
    if PurePosixPath(relative).is_absolute() or ".." in relative.split("/") or ":" in name:
        return AttachmentCheck("attachment-outside")
    if not is_publishable_name(relative):
        return AttachmentCheck("attachment-name", suggest_name(name))
    expected = MEDIA_TYPES.get(PurePosixPath(relative).suffix.lower())
    if expected is None:
        suffix = PurePosixPath(relative).suffix or "-"
        return AttachmentCheck("attachment-type", f"นามสกุล/extension {suffix}")
    try:
        descriptor = open_inside(folder, relative)
    except UnsafeFileError:
        return AttachmentCheck("attachment-outside")
    except OSError:
        return AttachmentCheck("attachment-missing")
    with os.fdopen(descriptor, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        actual = sniff_media_type(handle.read(16))
        if actual != expected:
            found = actual or "unknown"
            detail = f"เนื้อไฟล์ไม่ใช่/content is not {expected} ({found})"
            return AttachmentCheck("attachment-type", detail)
        if size > MAX_ATTACHMENT_BYTES:
            return AttachmentCheck("attachment-too-large", size=size)
        if actual in IMAGE_TYPES:
            handle.seek(0)
            problem = check_image_header(handle)
            if problem:
                return problem
    return AttachmentCheck(media_type=actual, size=size)


def check_image_header(handle) -> AttachmentCheck | None:
    """A problem when the image's header cannot be read or promises too many pixels;
    only the header is read, nothing is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(handle) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError:
        return AttachmentCheck("image-too-large", "> 100,000,000 px")
    except (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError):
        return AttachmentCheck("attachment-type", "ไฟล์ภาพเสีย อ่านไม่ได้/damaged image")
    if width * height * frames > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        detail = f"{width} × {height} px" + (f" × {frames} frames" if frames > 1 else "")
        return AttachmentCheck("image-too-large", detail)
    return None
