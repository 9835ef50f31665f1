"""Attachments a teacher dropped into the GitHub issue form, taken into the entry.

GitHub writes each dropped file into the issue body as a link
(`[รายงาน.pdf](https://github.com/user-attachments/files/…)`) or an image
(`![ภาพกิจกรรม](https://github.com/user-attachments/assets/…)` or an `<img>` tag).
Each is downloaded only from an allowed address, with the package's limits, checked
by its bytes, named and cleaned exactly as the form's package does
(`files.format_package_name`, `files.strip_photo_metadata`): both routes give the
same folder.
"""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass

from build_tools.contribute.files import (
    check_file_bytes,
    format_package_name,
    format_title,
    strip_photo_metadata,
)
from build_tools.contribute.package import MAX_FILES
from build_tools.core.attachments import MAX_ATTACHMENT_BYTES

GITHUB_ATTACHMENTS = "https://github.com/user-attachments/"
TIMEOUT_SECONDS = 30
_MARKDOWN = re.compile(r"(!?)\[([^\]\n]*)\]\((\S+?)\)")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\b(alt|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


@dataclass(frozen=True)
class IssueFile:
    text: str  # what GitHub wrote as the link text or alt: the teacher's file name
    url: str


@dataclass(frozen=True)
class TakenFile:
    name: str  # safe name in the entry folder
    title: str  # the teacher's own name
    data: bytes


def read_issue_files(text: str, prefixes: tuple[str, ...]) -> list[IssueFile]:
    """The files in the issue's attachments section, in order, from allowed addresses."""
    found: list[tuple[int, IssueFile]] = []
    for match in _MARKDOWN.finditer(text):
        found.append((match.start(), IssueFile(match.group(2).strip(), match.group(3))))
    for match in _IMG.finditer(text):
        attributes = {k.lower(): v for k, v in _ATTRIBUTE.findall(match.group())}
        if "src" in attributes:
            found.append((match.start(), IssueFile(attributes.get("alt", ""), attributes["src"])))
    files = [item for _, item in sorted(found, key=lambda pair: pair[0])]
    return [item for item in files if item.url.startswith(prefixes)]


def download(url: str) -> bytes:
    """At most MAX_ATTACHMENT_BYTES + 1 bytes of `url` (more means too large)."""
    request = urllib.request.Request(url, headers={"User-Agent": "ifte-issue-entry"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        return response.read(MAX_ATTACHMENT_BYTES + 1)


def take_issue_files(files: list[IssueFile], fetch=download) -> tuple[list[TakenFile], list[str]]:
    """(files taken in, problems as "Thai (English)" lines for the issue comment)."""
    taken: list[TakenFile] = []
    problems: list[str] = []
    if len(files) > MAX_FILES:
        problems.append(f"ไฟล์แนบเกิน {MAX_FILES} ไฟล์ (more than {MAX_FILES} attachments)")
        files = files[:MAX_FILES]
    names: set[str] = set()
    for item in files:
        label = item.text or item.url.rsplit("/", 1)[-1]
        try:
            data = fetch(item.url)
        except (OSError, ValueError) as error:
            problems.append(f'ดาวน์โหลด "{label}" ไม่ได้ (cannot download: {error})')
            continue
        verdict = check_file_bytes(label if "." in label else "", data)
        if not verdict.ok:
            problems.append(f"{verdict.th} ({verdict.en})")
            continue
        name = format_package_name(label, verdict.media_type, len(taken) + 1, names)
        names.add(name)
        taken.append(TakenFile(name, format_title(label), strip_photo_metadata(data)))
    return taken, problems
