"""Reading a handed-in package (a ZIP from the form, or a folder) as untrusted input.

Everything is checked before anything is written: each member's path (no `../`, no
absolute or drive paths, no links or special files), how many there are, their sizes as
declared and as actually read while streaming (a zip bomb declares little and expands
to gigabytes), the expansion ratio, and each file's type by its bytes
(`files.check_file_bytes`). A refusal is a `PackageError` with Thai and English text;
the package is then read entirely into memory, never onto disk.
"""

from __future__ import annotations

import os
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from build_tools.contribute.files import check_file_bytes
from build_tools.core.attachments import MAX_ATTACHMENT_BYTES, is_publishable_name
from build_tools.core.errors import IfteError
from build_tools.core.frontmatter import MAX_FILE_BYTES

MAX_FILES = 30
MAX_TOTAL_BYTES = 100 * 1024 * 1024
# PDFs and photos barely compress; a member that shrank more than this is a bomb.
MAX_RATIO = 100
_CHUNK = 64 * 1024
# What zip tools add on their own: skipped, never read.
_JUNK_PARTS = ("__MACOSX",)
_JUNK_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")
ENTRY_FILE = "index.md"


class PackageError(IfteError):
    """A package refused as unsafe or unusable; nothing has been written."""


@dataclass(frozen=True)
class Package:
    folder: str  # the package's own folder name ("" when the files are at its top)
    index: bytes  # index.md
    files: tuple[tuple[str, bytes], ...]  # attachments: (name, content)


def _refuse(th: str, en: str) -> PackageError:
    return PackageError(f"ไม่รับแพ็กเกจนี้: {th}", f"Package refused: {en}")


def _is_junk(name: str) -> bool:
    parts = name.split("/")
    return parts[0] in _JUNK_PARTS or parts[-1] in _JUNK_NAMES


def check_member_name(name: str) -> None:
    """Refuse a member path that could land outside the folder it is unpacked into."""
    if (
        not name
        or "\\" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or any(part in ("..", ".") for part in name.split("/"))
        or "\x00" in name
    ):
        raise _refuse(
            f'มีไฟล์ที่ชี้ออกนอกโฟลเดอร์ "{name}"', f'a path points outside the folder: "{name}"'
        )


def read_package(path: Path) -> Package:
    """The package at `path` (a .zip file or a folder), checked and in memory."""
    if path.is_symlink():
        raise _refuse("เป็นลิงก์ ไม่ใช่ไฟล์", "it is a link, not a file")
    if path.is_dir():
        members = _read_folder(path)
    elif zipfile.is_zipfile(path):
        members = _read_zip(path)
    else:
        raise _refuse("ไม่ใช่ไฟล์ ZIP หรือโฟลเดอร์", "it is neither a ZIP file nor a folder")
    return _plan_package(members)


def _read_zip(path: Path) -> list[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _refuse(f"เปิดไฟล์ ZIP ไม่ได้ ({error})", f"cannot open the ZIP ({error})") from None
    with archive:
        infos = [info for info in archive.infolist() if not _is_junk(info.filename)]
        files = []
        for info in infos:
            check_member_name(info.filename.rstrip("/") if info.is_dir() else info.filename)
            mode = info.external_attr >> 16
            kind = stat.S_IFMT(mode)
            if kind == stat.S_IFLNK or kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise _refuse(
                    f'มีลิงก์หรือไฟล์พิเศษ "{info.filename}"',
                    f'it holds a link or special file: "{info.filename}"',
                )
            if info.flag_bits & 0x1:
                raise _refuse(f'มีไฟล์ที่ตั้งรหัสผ่าน "{info.filename}"', f'"{info.filename}" is encrypted')
            if not info.is_dir():
                files.append(info)
        _check_counts(
            [(info.filename, info.file_size) for info in files],
            sum(info.compress_size for info in files),
        )
        total = 0
        members = []
        for info in files:
            limit = _limit_for(info.filename)
            data = bytearray()
            try:
                with archive.open(info) as stream:
                    while chunk := stream.read(_CHUNK):
                        data += chunk
                        # the declared size is not trusted: count what comes out
                        if len(data) > limit or total + len(data) > MAX_TOTAL_BYTES:
                            raise _too_big(info.filename, limit)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                raise _refuse(
                    f'อ่าน "{info.filename}" ไม่ได้ ({error})',
                    f'cannot read "{info.filename}" ({error})',
                ) from None
            total += len(data)
            members.append((info.filename, bytes(data)))
        return members


def _limit_for(name: str) -> int:
    return MAX_FILE_BYTES if name.rsplit("/", 1)[-1] == ENTRY_FILE else MAX_ATTACHMENT_BYTES


def _too_big(name: str, limit: int) -> PackageError:
    return _refuse(
        f'"{name}" ใหญ่เกิน {limit // 1024:,} KB หรือแพ็กเกจรวมเกิน {MAX_TOTAL_BYTES // 2**20} MB',
        f'"{name}" is over {limit // 1024:,} KB, or the package over {MAX_TOTAL_BYTES // 2**20} MB',
    )


def _check_counts(sizes: list[tuple[str, int]], packed: int) -> None:
    if len(sizes) > MAX_FILES:
        raise _refuse(
            f"มีไฟล์ {len(sizes)} ไฟล์ เกิน {MAX_FILES} ไฟล์",
            f"it holds {len(sizes)} files, over {MAX_FILES}",
        )
    for name, size in sizes:
        if size > _limit_for(name):
            raise _too_big(name, _limit_for(name))
    declared = sum(size for _, size in sizes)
    if declared > MAX_TOTAL_BYTES:
        raise _too_big("ZIP", MAX_TOTAL_BYTES)
    if declared > 1024 * 1024 and declared > MAX_RATIO * max(packed, 1):
        raise _refuse(
            f"ขยายได้ใหญ่กว่าขนาดไฟล์ ZIP เกิน {MAX_RATIO} เท่า (zip bomb)",
            f"it expands over {MAX_RATIO} times its packed size (a zip bomb)",
        )


def _read_folder(folder: Path) -> list[tuple[str, bytes]]:
    found: list[tuple[str, Path]] = []

    def walk(current: Path, prefix: str) -> None:
        with os.scandir(current) as items:
            for item in items:
                name = prefix + item.name
                if _is_junk(name):
                    continue
                if item.is_symlink() or not (
                    item.is_file(follow_symlinks=False) or item.is_dir(follow_symlinks=False)
                ):
                    raise _refuse(
                        f'มีลิงก์หรือไฟล์พิเศษ "{name}"', f'it holds a link or special file: "{name}"'
                    )
                if item.is_dir(follow_symlinks=False):
                    walk(Path(item.path), name + "/")
                else:
                    found.append((name, Path(item.path)))
                if len(found) > MAX_FILES:
                    _check_counts([(n, 0) for n, _ in found], 0)

    walk(folder, "")
    sizes = [(name, path.lstat().st_size) for name, path in found]
    _check_counts(sizes, sum(size for _, size in sizes))
    members = []
    for name, path in found:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(_limit_for(name) + 1)
        if len(data) > _limit_for(name):
            raise _too_big(name, _limit_for(name))
        members.append((name, data))
    return [(name, data) for name, data in members]


def _plan_package(members: list[tuple[str, bytes]]) -> Package:
    """Find index.md (at the top or in one folder) and check every other file."""
    tops = {name.split("/", 1)[0] for name, _ in members if "/" in name}
    folder = ""
    if len(tops) == 1 and all("/" in name for name, _ in members):
        folder = tops.pop()
        members = [(name.split("/", 1)[1], data) for name, data in members]
    index = [data for name, data in members if name == ENTRY_FILE]
    if not index:
        raise _refuse("ไม่มีไฟล์ index.md (ไฟล์ผลงานจากแบบฟอร์ม)", "it has no index.md (the entry file)")
    files = []
    for name, data in members:
        if name == ENTRY_FILE:
            continue
        name = unicodedata.normalize("NFC", name)
        if not is_publishable_name(name):
            raise _refuse(
                f'ชื่อไฟล์ "{name}" ใช้ไม่ได้ (ใช้ได้เฉพาะตัวอักษร ตัวเลข - _ .)',
                f'the file name "{name}" is not allowed (letters, digits, - _ . only)',
            )
        verdict = check_file_bytes(PurePosixPath(name).name, data)
        if not verdict.ok:
            raise _refuse(verdict.th, verdict.en)
        files.append((name, data))
    return Package(folder, index[0], tuple(sorted(files)))
