"""`ifte import`: office staff take in an entry handed in outside GitHub.

A package (the form's ZIP, a folder, or a saved issue body) is read and checked as
untrusted input (`package.read_package`: nothing is written when it is refused), its
photos are cleaned of location data, the entry is checked by the checker in a
temporary copy, and only then placed in `innovations/<year>/<slug>/` (the slug from
the package's folder or the title, `-2`, `-3`… on a clash) and committed on a new
branch of the local clone. The pull request is opened with `gh` when it is installed
and logged in; otherwise its command is printed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from build_tools.contribute.files import strip_photo_metadata
from build_tools.contribute.issuefiles import read_issue_files, take_issue_files
from build_tools.contribute.newentry import (
    FALLBACK_SLUG,
    format_entry,
    format_entry_path,
    plan_unique_slug,
    suggest_slug,
)
from build_tools.contribute.package import Package, PackageError, read_package
from build_tools.contribute.scratch import check_in_scratch, write_entry
from build_tools.core.entries import SLUG
from build_tools.core.errors import IfteError
from build_tools.core.privacy import THAI_DIGITS
from build_tools.core.problems import Problem, count_errors
from build_tools.core.vocabularies import Vocabularies

_FRONT_VALUE = r"^{key}:[ \t]*(.+?)[ \t]*$"


@dataclass(frozen=True)
class ImportPlan:
    path: str  # innovations/<year>/<slug>/index.md
    title: str
    index: bytes
    files: tuple[tuple[str, bytes], ...]
    problems: tuple[Problem, ...]

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0]

    @property
    def ok(self) -> bool:
        return not count_errors(list(self.problems))


def _front_value(text: str, key: str) -> str:
    """A plain or double-quoted scalar of the front matter, read without YAML: the
    package is untrusted and this runs before the checker has looked at it."""
    front = text.split("\n---", 1)[0]
    match = re.search(_FRONT_VALUE.format(key=key), front, re.MULTILINE)
    if not match:
        return ""
    value = match.group(1)
    if value.startswith('"'):
        try:
            return str(json.loads(value))
        except ValueError:
            return value.strip('"')
    return value.strip("'")


def read_issue_package(
    body: str, vocabularies: Vocabularies, today: dt.date, prefixes: tuple[str, ...]
) -> Package:
    """A package from a saved issue-form body, its attachments downloaded."""
    from build_tools.contribute.issueform import attachment_section, read_issue_form

    parsed = read_issue_form(body, vocabularies, today)
    if parsed.draft is None:
        raise PackageError(
            "แบบฟอร์มยังไม่ครบ: " + "; ".join(parsed.problems),
            "The issue form is incomplete",
        )
    taken, problems = take_issue_files(read_issue_files(attachment_section(body), prefixes))
    if problems:
        raise PackageError("ไฟล์แนบใช้ไม่ได้: " + "; ".join(problems), "Unusable attachments")
    draft = replace(parsed.draft, attachments=tuple((f.name, f.title) for f in taken))
    files = tuple((f.name, f.data) for f in taken)
    return Package(draft.slug, format_entry(draft).encode("utf-8"), files)


def read_handed_in(
    path: Path, vocabularies: Vocabularies, today: dt.date, prefixes: tuple[str, ...]
) -> Package:
    """A ZIP, a folder, or an issue body saved as .md/.txt."""
    if path.is_file() and not path.is_symlink() and path.suffix.lower() in (".md", ".txt"):
        if path.stat().st_size > 1024 * 1024:
            raise PackageError("ไฟล์ issue ใหญ่เกิน 1 MB", "The issue body is over 1 MB")
        return read_issue_package(path.read_text(encoding="utf-8"), vocabularies, today, prefixes)
    return read_package(path)


def plan_import(root: Path, package: Package, vocabularies: Vocabularies) -> ImportPlan:
    """Where the entry goes and what the checker says of it there (checked in a
    temporary copy: nothing is written into `root`)."""
    try:
        text = package.index.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    year = _front_value(text, "year").translate(THAI_DIGITS)
    if not re.fullmatch(r"\d{4}", year):
        raise PackageError(
            "ไม่พบปี พ.ศ. (year: 2568) ในไฟล์ index.md", "index.md has no year (year: 2568)"
        )
    slug = package.folder if SLUG.match(package.folder or "") else ""
    if not slug:
        title, title_en = _front_value(text, "title"), _front_value(text, "title_en")
        slug = suggest_slug(title, title_en) if title or title_en else FALLBACK_SLUG
    slug = plan_unique_slug(root, slug)
    relative = format_entry_path(int(year), slug)
    files = tuple((name, strip_photo_metadata(data)) for name, data in package.files)
    problems, entry = check_in_scratch(root, relative, package.index, files, vocabularies)
    title = entry.title if entry else _front_value(text, "title")
    return ImportPlan(relative, title, package.index, files, problems)


# --- git -------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def check_git(root: Path) -> None:
    """Refuse early (before anything is written) when `root` is not a usable clone."""
    if shutil.which("git") is None or _git(root, "rev-parse", "--is-inside-work-tree").returncode:
        raise IfteError(
            f"{root} ไม่ใช่โฟลเดอร์ git (ใช้ git clone คลังก่อน)",
            f"{root} is not a git clone",
        )


def plan_branch(root: Path, slug: str) -> str:
    branch, number = f"submission/{slug}", 2
    while not _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").returncode:
        branch, number = f"submission/{slug}-{number}", number + 1
    return branch


def commit_import(root: Path, plan: ImportPlan) -> str:
    """Write the entry on a new branch and commit it (only its folder); the branch."""
    branch = plan_branch(root, plan.folder.rsplit("/", 1)[-1])
    switched = _git(root, "switch", "-c", branch)
    if switched.returncode:
        raise IfteError(
            f"สร้างสาขา {branch} ไม่ได้: {switched.stderr.strip()}",
            f"Cannot create branch {branch}",
        )
    write_entry(root / plan.folder, plan.index, plan.files)
    message = f"ส่งผลงาน: {plan.title} ({plan.folder})"
    for args in (("add", "--", plan.folder), ("commit", "-q", "-m", message, "--", plan.folder)):
        done = _git(root, *args)
        if done.returncode:
            raise IfteError(
                f"git {args[0]} ไม่สำเร็จ: {done.stderr.strip()}", f"git {args[0]} failed"
            )
    return branch


def plan_pr_commands(branch: str, plan: ImportPlan) -> tuple[tuple[str, ...], ...]:
    """The commands that push the branch and open its pull request (argument lists:
    the title is the teacher's text and never goes through a shell)."""
    title = f"ส่งผลงาน: {plan.title}"
    body = f"ผลงานที่สำนักงานนำเข้าด้วย ifte import: `{plan.folder}/`"
    return (
        ("git", "push", "-u", "origin", branch),
        ("gh", "pr", "create", "--head", branch, "--title", title, "--body", body),
    )


def format_commands(commands: tuple[tuple[str, ...], ...]) -> str:
    return "\n".join(shlex.join(command) for command in commands)


def gh_ready() -> bool:
    if shutil.which("gh") is None:
        return False
    return subprocess.run(["gh", "auth", "status"], capture_output=True).returncode == 0


def format_reply(plan: ImportPlan, site_url: str = "") -> str:
    """A Thai message staff can paste in reply to the teacher (e-mail or LINE)."""
    url = f"{site_url.rstrip('/')}/{plan.folder}/" if site_url else f"/{plan.folder}/"
    warnings = [p for p in plan.problems if not p.is_error]
    lines = [
        f'ได้รับผลงาน "{plan.title}" แล้ว ขอบคุณครับ/ค่ะ',
        f"นำเข้าคลังพร้อมไฟล์แนบ {len(plan.files)} ไฟล์ (ลบพิกัด GPS ออกจากรูปแล้ว)",
        "ผู้ดูแลจะตรวจอีกครั้งก่อนเผยแพร่ เมื่อเผยแพร่แล้วดูได้ที่:",
        url,
    ]
    if warnings:
        lines.append(f"ข้อสังเกต {len(warnings)} ข้อ ผู้ดูแลอาจขอให้แก้ไข:")
        lines += [f"- {p.message_th}" for p in warnings[:10]]
    return "\n".join(lines)
