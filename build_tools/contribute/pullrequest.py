"""The pull-request check: what a PR changed, its problems, and one Thai summary comment.

The workflow YAML in `.github/workflows/` only calls `ifte pr-check` and
`ifte pr-comment`; everything it decides is here, testable without GitHub:

- `read_changed_paths` asks git which files the PR changed (three-dot diff, as
  GitHub shows a PR), `plan_checked_entries` maps them to entry files (an added
  photo means its entry is re-checked; a change to vocabularies.yml means all), and
  `plan_checked_office_files` picks the selection rounds and adoptions files.
- `check_pull_request` runs the same checker as `ifte check` on those files.
- `format_comment` writes the summary comment; `upsert_comment` keeps exactly one
  such comment per PR, found by its marker, through a small GitHub API object.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from build_tools.contribute.review import review_catalog
from build_tools.core.errors import IfteError
from build_tools.core.loader import ENTRIES_FOLDER, load_repository
from build_tools.core.problems import Problem, count_errors, sort_problems
from build_tools.core.vocabularies import VOCABULARY_FILE
from build_tools.features.checks import (
    check_office_files,
    find_office_data_files,
    is_office_data_file,
)

MARKER = "<!-- ifte-check -->"
BOT_LOGIN = "github-actions[bot]"
GUIDE_PATH = "guide/"
MAX_COMMENT_ROWS = 60  # GitHub refuses comments over 65,536 characters


# --- what changed -------------------------------------------------------------------


def read_changed_paths(root: Path, base: str, head: str) -> list[str]:
    """Paths (relative to `root`, POSIX) added, modified or renamed between base and head."""
    try:
        top = _git(root, "rev-parse", "--show-toplevel").strip()
        out = _git(root, "diff", "--name-only", "--diff-filter=ACMR", "-z", f"{base}...{head}")
    except subprocess.CalledProcessError as error:
        raise IfteError(
            f"อ่านการเปลี่ยนแปลงจาก git ไม่ได้: {error.stderr.strip()}",
            f"git diff {base}...{head} failed",
        ) from None
    prefix = root.resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    return sorted(p[len(prefix) :] for p in out.split("\0") if p and p.startswith(prefix))


def _git(root: Path, *args: str) -> str:
    # A file name that is not UTF-8 keeps its bytes (as surrogates): the checker names it.
    return subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        errors="surrogateescape",
        check=True,
        timeout=120,
    ).stdout


def plan_checked_entries(root: Path, changed: Iterable[str]) -> list[Path] | None:
    """Entry files to check for these changed paths; None means "check everything"."""
    files: set[Path] = set()
    for name in changed:
        parts = PurePosixPath(name).parts
        if name == VOCABULARY_FILE:
            return None  # new or renamed labels can break any entry
        if not parts or parts[0] != ENTRIES_FOLDER:
            continue
        if len(parts) >= 4:  # innovations/<year>/<slug>/<file…>: the entry owning it
            index = root / ENTRIES_FOLDER / parts[1] / parts[2] / "index.md"
            if index.is_file():
                files.add(index)
                continue
        if name.endswith(".md") and (root / name).is_file():
            files.add(root / name)  # misplaced Markdown: the checker says where it belongs
    return sorted(files)


# --- checking ------------------------------------------------------------------------


@dataclass(frozen=True)
class PullRequestCheck:
    files: tuple[str, ...]  # entry, round and adoptions files checked, relative to the root
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return count_errors(self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def plan_checked_office_files(root: Path, changed: Iterable[str]) -> list[str]:
    """Selection rounds and adoptions files among the changed paths (relative, sorted);
    all of them when vocabularies.yml changed (their districts and affiliations)."""
    changed = list(changed)
    if VOCABULARY_FILE in changed:
        return sorted(find_office_data_files(root))
    return sorted(n for n in changed if is_office_data_file(n) and (root / n).is_file())


def check_pull_request(root: Path, changed: Iterable[str]) -> PullRequestCheck:
    root = root.resolve()
    changed = list(changed)
    paths = plan_checked_entries(root, changed)
    office = plan_checked_office_files(root, changed)
    checked, problems = [], []
    if paths != []:
        catalog = load_repository(root, paths)
        problems += [*catalog.problems, *review_catalog(catalog, paths)]
        entries = paths if paths is not None else (root / ENTRIES_FOLDER).glob("*/*/index.md")
        checked = sorted(p.relative_to(root).as_posix() for p in entries)
    problems += check_office_files(root, office)
    return PullRequestCheck((*checked, *office), tuple(sort_problems(problems)))


# --- the summary comment ------------------------------------------------------------


def format_cell(text: str) -> str:
    """Teacher text inside a Markdown table cell: no HTML, no table breaks, no @mentions."""
    text = " ".join(str(text).split())
    for old, new in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("|", "\\|"),
        ("`", "\\`"),
        ("@", "&#64;"),
        ("[", "\\["),
        ("]", "\\]"),
    ):
        text = text.replace(old, new)
    return text


def format_comment(check: PullRequestCheck, site_url: str = "", run_url: str = "") -> str:
    """The Thai summary comment (Markdown), starting with the marker that finds it again."""
    lines = [MARKER, "## ผลการตรวจผลงานอัตโนมัติ (ifte check)", ""]
    if not check.files:
        lines.append(
            "ℹ️ pull request นี้ไม่ได้แก้ไขไฟล์ผลงานในโฟลเดอร์ `innovations/`"
            " ไฟล์รอบการคัดเลือก (`selection/`) หรือไฟล์การนำไปใช้ (`adoptions/`)"
            " (No entry, selection round or adoptions files changed.)"
        )
    elif check.errors:
        lines.append(
            f"❌ **พบข้อผิดพลาด {check.errors} รายการ** และคำเตือน {check.warnings} "
            "รายการ — ต้องแก้ข้อผิดพลาดก่อน ผลงานจึงจะรวมเข้าคลังได้ "
            f"({check.errors} errors, {check.warnings} warnings)"
        )
    elif check.warnings:
        lines.append(
            f"⚠️ **ไม่มีข้อผิดพลาด** แต่มีคำเตือน {check.warnings} รายการ "
            "โปรดอ่านและแก้ไขถ้าจำเป็น ผู้ตรวจจะพิจารณาอีกครั้ง "
            f"(no errors, {check.warnings} warnings)"
        )
    else:
        lines.append("✅ **ผ่านการตรวจ** ไม่พบข้อผิดพลาดหรือคำเตือน (All checks passed.)")
    if check.files:
        lines += [
            "",
            f"ไฟล์ที่ตรวจ ({len(check.files)}): "
            + ", ".join(f"`{format_cell(name)}`" for name in check.files[:20])
            + (" …" if len(check.files) > 20 else ""),
        ]
    guide = f"{site_url.rstrip('/')}/{GUIDE_PATH}" if site_url else ""
    if check.problems:
        lines += ["", "| | ตำแหน่ง | รหัส | ปัญหา | วิธีแก้ |", "|---|---|---|---|---|"]
        for problem in check.problems[:MAX_COMMENT_ROWS]:
            icon = "❌" if problem.is_error else "⚠️"
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            field = f" (`{format_cell(problem.field)}`)" if problem.field else ""
            code = f"[`{problem.code}`]({guide}#{problem.code})" if guide else f"`{problem.code}`"
            lines.append(
                f"| {icon} | `{format_cell(where)}` | {code} | "
                f"{format_cell(problem.message_th)}{field} | {format_cell(problem.fix_th)} |"
            )
        hidden = len(check.problems) - MAX_COMMENT_ROWS
        if hidden > 0:
            lines.append(f"\nและอีก {hidden} รายการ ดูทั้งหมดในแท็บ Checks (and {hidden} more)")
    lines += [
        "",
        "ก่อนรวมผลงาน ผู้ตรวจจะดูรายการตรวจสอบใน pull request (ความยินยอมของผู้ร่วมพัฒนา "
        "ความยินยอมของผู้ปกครองสำหรับภาพนักเรียน ไม่มีข้อมูลส่วนบุคคลของนักเรียน และสัญญาอนุญาต)",
    ]
    if run_url:
        lines.append(
            f"\n🔎 ตัวอย่างเว็บไซต์ (preview): ดาวน์โหลด `site-preview` จาก Artifacts ของ"
            f" [การตรวจครั้งนี้]({run_url}) แตกไฟล์แล้วเปิด `index.html`"
        )
    if guide:
        lines.append(f"\n📘 รหัสปัญหาทุกรหัสและวิธีแก้อยู่ใน[คู่มือการส่งผลงาน]({guide})")
    lines.append(
        "\n<sub>ความคิดเห็นนี้ปรับปรุงอัตโนมัติทุกครั้งที่ pull request เปลี่ยน "
        "(This comment is updated on every push.)</sub>"
    )
    return "\n".join(lines) + "\n"


# --- posting it ----------------------------------------------------------------------


class CommentApi(Protocol):
    """The three calls of GitHub's issue-comments API that the comment logic needs."""

    def list_comments(self, repo: str, number: int) -> list[dict]: ...

    def create_comment(self, repo: str, number: int, body: str) -> dict: ...

    def update_comment(self, repo: str, comment_id: int, body: str) -> dict: ...


def find_summary_comment(comments: Iterable[dict]) -> dict | None:
    """Our earlier comment: posted by the workflow bot and carrying the marker.

    Someone quoting the marker in their own comment is ignored, not overwritten.
    """
    for comment in comments:
        user = comment.get("user") or {}
        if user.get("login") == BOT_LOGIN and MARKER in (comment.get("body") or ""):
            return comment
    return None


def upsert_comment(api: CommentApi, repo: str, number: int, body: str) -> str:
    """Create the summary comment, or update the existing one; returns what happened."""
    if MARKER not in body:
        body = f"{MARKER}\n{body}"
    existing = find_summary_comment(api.list_comments(repo, number))
    if existing is None:
        api.create_comment(repo, number, body)
        return "created"
    if existing.get("body") == body:
        return "unchanged"
    api.update_comment(repo, int(existing["id"]), body)
    return "updated"


class GitHubApi:
    """GitHub REST API over urllib with the workflow's GITHUB_TOKEN (no extra packages)."""

    def __init__(self, token: str, api_url: str = "https://api.github.com") -> None:
        if not token:
            raise IfteError("ไม่มี GITHUB_TOKEN", "GITHUB_TOKEN is not set")
        self.token = token
        self.api_url = api_url.rstrip("/")

    def _call(self, method: str, path: str, data: dict | None = None):
        request = urllib.request.Request(
            f"{self.api_url}{path}",
            method=method,
            data=json.dumps(data).encode() if data is not None else None,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (https API)
            return json.load(response)

    def list_comments(self, repo: str, number: int) -> list[dict]:
        comments: list[dict] = []
        page = 1
        while True:
            batch = self._call(
                "GET", f"/repos/{repo}/issues/{number}/comments?per_page=100&page={page}"
            )
            comments += batch
            if len(batch) < 100:
                return comments
            page += 1

    def create_comment(self, repo: str, number: int, body: str) -> dict:
        return self._call("POST", f"/repos/{repo}/issues/{number}/comments", {"body": body})

    def update_comment(self, repo: str, comment_id: int, body: str) -> dict:
        return self._call("PATCH", f"/repos/{repo}/issues/comments/{comment_id}", {"body": body})

    def read_head_sha(self, repo: str, number: int) -> str:
        """The commit a pull request's branch points at ("" for an issue)."""
        try:
            pull = self._call("GET", f"/repos/{repo}/pulls/{number}")
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return ""
            raise
        return str((pull.get("head") or {}).get("sha") or "")


def api_from_environment() -> GitHubApi:
    return GitHubApi(
        os.environ.get("GITHUB_TOKEN", ""),
        os.environ.get("GITHUB_API_URL", "https://api.github.com"),
    )
