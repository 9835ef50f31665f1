"""The pull-request check, run locally on a sample diff, and the one summary comment."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading

import pytest
from PIL import Image

from build_tools.contribute.pullrequest import (
    BOT_LOGIN,
    MARKER,
    GitHubApi,
    PullRequestCheck,
    format_comment,
    plan_checked_entries,
    plan_checked_office_files,
    read_changed_paths,
    upsert_comment,
)
from build_tools.core.problems import format_github, make_problem
from tests.conftest import VALID_ENTRY

NEW_ENTRY = "innovations/2568/math-kit/index.md"
PHOTO = "innovations/2567/reading-kit/photo.jpg"


def git(root, *args) -> str:
    return subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def gps_photo(path):
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (14.0, 48.0, 0.0), 3: "E", 4: (100.0, 37.0, 0.0)})
    Image.new("RGB", (32, 32), "red").save(path, exif=exif)


@pytest.fixture
def pr_repo(scratch_project):
    """A repository with one entry, and a pull request that adds an entry with a
    misspelt district, a photo with GPS to the existing entry, and a README change."""
    root = scratch_project.root
    scratch_project.entry("reading-kit")
    scratch_project.write("mkdocs.yml", "site_name: x\nsite_url: https://ifte.example.go.th/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    git(root, "switch", "-q", "-c", "teacher")
    scratch_project.write(
        NEW_ENTRY,
        VALID_ENTRY.replace("year: 2567", "year: 2568")
        .replace("district: โคกสำโรง", "district: โคกสำโรงง")
        .replace("title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ", "title: แบบฝึกคณิตศาสตร์"),
    )
    gps_photo(root / PHOTO)
    scratch_project.write("README.md", "อ่านฉัน\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "pr")
    return scratch_project, base, git(root, "rev-parse", "HEAD")


def run_ifte(*args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "build_tools", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_changed_files_map_to_the_entries_that_own_them(pr_repo):
    project, base, head = pr_repo
    changed = read_changed_paths(project.root, base, head)
    assert changed == ["README.md", PHOTO, NEW_ENTRY]
    entries = plan_checked_entries(project.root, changed)
    assert [p.relative_to(project.root).as_posix() for p in entries] == [
        "innovations/2567/reading-kit/index.md",
        NEW_ENTRY,
    ]
    assert plan_checked_entries(project.root, ["vocabularies.yml"]) is None
    assert plan_checked_entries(project.root, ["README.md", ".github/x.yml"]) == []


def test_pr_check_emits_annotations_and_the_thai_summary_comment(pr_repo, tmp_path):
    project, base, head = pr_repo
    summary = tmp_path / "step-summary.md"
    env = {
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "lopburi/ifte",
        "GITHUB_RUN_ID": "42",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    result = run_ifte(
        "pr-check",
        "--base",
        base,
        "--head",
        head,
        "--comment-file",
        str(tmp_path / "comment.md"),
        cwd=project.root,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations == [
        "::warning file=innovations/2567/reading-kit/photo.jpg,title=image-gps::"
        'รูป "photo.jpg" มีพิกัด GPS ในข้อมูล EXIF (GPSLatitudeRef, GPSLatitude, '
        "GPSLongitudeRef, GPSLongitude) ซึ่งบอกตำแหน่งที่ถ่ายภาพ%0A"
        'Photo "photo.jpg" carries GPS coordinates in its EXIF data (GPSLatitudeRef, '
        "GPSLatitude, GPSLongitudeRef, GPSLongitude)%0A"
        "รันคำสั่ง ifte strip-gps ไฟล์รูป.jpg เพื่อลบพิกัดออกจากไฟล์ "
        "(เว็บไซต์ตัดข้อมูลนี้ออกจากรูปที่เผยแพร่เสมอ แต่ไฟล์ต้นฉบับใน GitHub ยังมีพิกัดอยู่)",
        "::error file=innovations/2568/math-kit/index.md,line=11,col=13,title=unknown-choice::"
        'อำเภอ "โคกสำโรงง" ไม่มีในรายการ — หมายถึง "โคกสำโรง" ใช่ไหม?%0A'
        'District "โคกสำโรงง" is not in the list — did you mean "โคกสำโรง"?%0A'
        "เลือกค่าจากรายการใน vocabularies.yml (ดูคู่มือ)",
    ]
    assert "ตรวจ 2 ไฟล์: ข้อผิดพลาด 1 รายการ, คำเตือน 1 รายการ" in result.stdout

    comment = (tmp_path / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith(MARKER + "\n## ผลการตรวจผลงานอัตโนมัติ")
    assert "❌ **พบข้อผิดพลาด 1 รายการ** และคำเตือน 1 รายการ" in comment
    assert (
        "| ❌ | `innovations/2568/math-kit/index.md:11` | "
        "[`unknown-choice`](https://ifte.example.go.th/guide/#unknown-choice) | "
        'อำเภอ "โคกสำโรงง" ไม่มีในรายการ — หมายถึง "โคกสำโรง" ใช่ไหม? '
        "(`school.district`) | เลือกค่าจากรายการใน vocabularies.yml (ดูคู่มือ) |"
    ) in comment
    assert "| ⚠️ | `innovations/2567/reading-kit/photo.jpg` |" in comment
    assert "https://github.com/lopburi/ifte/actions/runs/42" in comment
    assert "https://ifte.example.go.th/guide/" in comment
    assert summary.read_text(encoding="utf-8") == comment


def commit_branch(project, base: str, name: str, files: dict[str, str]) -> None:
    """A second pull request from the same base: a branch with these files changed."""
    git(project.root, "switch", "-q", "-c", name, base)
    for relative, content in files.items():
        project.write(relative, content)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", name)


def pr_check_head(project, base: str, comment):
    return run_ifte(
        "pr-check",
        "--base",
        base,
        "--head",
        "HEAD",
        "--comment-file",
        str(comment),
        cwd=project.root,
    )


def test_pr_without_entry_changes_passes(pr_repo, tmp_path):
    project, base, _ = pr_repo
    commit_branch(project, base, "docs", {"README.md": "เอกสาร\n"})
    result = pr_check_head(project, base, tmp_path / "c.md")
    assert result.returncode == 0
    assert "ไม่ได้แก้ไขไฟล์ผลงาน" in (tmp_path / "c.md").read_text(encoding="utf-8")


def test_clean_pr_says_it_passed(pr_repo, tmp_path):
    project, base, _ = pr_repo
    entry = VALID_ENTRY.replace("year: 2567", "year: 2568").replace(
        "title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ", "title: แบบฝึกคณิตศาสตร์"
    )
    commit_branch(project, base, "clean", {NEW_ENTRY: entry})
    result = pr_check_head(project, base, tmp_path / "c.md")
    assert result.returncode == 0, result.stdout
    assert "✅ **ผ่านการตรวจ**" in (tmp_path / "c.md").read_text(encoding="utf-8")
    assert "::" not in result.stdout


def test_teacher_text_cannot_break_the_comment_or_the_annotation():
    problem = make_problem(
        "unknown-choice",
        "innovations/2567/a,b/index.md",
        3,
        1,
        "school.district",
        value="<img src=x>|@boss `x`\n::error::50%",
        kind_th="อำเภอ",
        kind_en="District",
    )
    comment = format_comment(PullRequestCheck(("innovations/2567/a,b/index.md",), (problem,)))
    assert "<img" not in comment and "&lt;img src=x&gt;\\|&#64;boss \\`x\\`" in comment
    assert "\n::error" not in comment
    line = format_github(problem)
    assert line.count("\n") == 0 and "file=innovations/2567/a%2Cb/index.md" in line
    assert "50%25" in line and "%0A::error::" in line


# --- one comment per pull request ------------------------------------------------------


class FakeApi:
    def __init__(self, comments=None):
        self.comments = list(comments or [])
        self.calls: list[tuple] = []

    def list_comments(self, repo, number):
        self.calls.append(("list", repo, number))
        return list(self.comments)

    def create_comment(self, repo, number, body):
        self.calls.append(("create", number))
        comment = {"id": 100 + len(self.comments), "body": body, "user": {"login": BOT_LOGIN}}
        self.comments.append(comment)
        return comment

    def update_comment(self, repo, comment_id, body):
        self.calls.append(("update", comment_id))
        next(c for c in self.comments if c["id"] == comment_id)["body"] = body
        return {}


def test_summary_comment_is_created_once_then_updated():
    teacher = {"id": 1, "body": f"quoting {MARKER}", "user": {"login": "kru-a"}}
    api = FakeApi([teacher])
    assert upsert_comment(api, "o/r", 7, f"{MARKER}\nรอบแรก") == "created"
    assert upsert_comment(api, "o/r", 7, f"{MARKER}\nรอบสอง") == "updated"
    assert upsert_comment(api, "o/r", 7, f"{MARKER}\nรอบสอง") == "unchanged"
    assert [c for c in api.calls if c[0] != "list"] == [("create", 7), ("update", 101)]
    assert teacher["body"] == f"quoting {MARKER}"  # someone else's comment is never edited
    assert [c["body"] for c in api.comments if c["user"]["login"] == BOT_LOGIN] == [
        f"{MARKER}\nรอบสอง"
    ]


class _CommentsApi(http.server.BaseHTTPRequestHandler):
    """Just enough of GitHub's issue-comments API, on 127.0.0.1."""

    comments: list[dict] = []
    auth: list[str] = []

    def log_message(self, *args):
        pass

    def _send(self, data, status=200):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self):
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_GET(self):
        self.auth.append(self.headers["Authorization"])
        page = int(self.path.split("page=")[-1])
        self._send(self.comments[(page - 1) * 100 : page * 100])

    def do_POST(self):
        comment = {
            "id": len(self.comments) + 1,
            "body": self._body()["body"],
            "user": {"login": BOT_LOGIN},
        }
        self.comments.append(comment)
        self._send(comment, 201)

    def do_PATCH(self):
        comment_id = int(self.path.rsplit("/", 1)[-1])
        self.comments[comment_id - 1]["body"] = self._body()["body"]
        self._send(self.comments[comment_id - 1])


def test_pr_comment_command_talks_to_the_api_over_http(tmp_path):
    _CommentsApi.comments = [
        {"id": i + 1, "body": "ขอบคุณ", "user": {"login": "kru"}} for i in range(120)
    ]  # more than one page
    _CommentsApi.auth = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CommentsApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        "GITHUB_TOKEN": "t0ken",
        "GITHUB_API_URL": f"http://127.0.0.1:{server.server_port}",
        "GITHUB_REPOSITORY": "lopburi/ifte",
    }
    body = tmp_path / "comment.md"
    try:
        for text, action in (("รอบแรก", "created"), ("รอบสอง", "updated")):
            body.write_text(f"{MARKER}\n{text}\n", encoding="utf-8")
            result = run_ifte(
                "pr-comment", "--number", "7", "--body-file", str(body), cwd=tmp_path, env=env
            )
            assert result.returncode == 0, result.stderr
            assert f"comment {action}" in result.stdout
        bad = run_ifte(
            "pr-comment", "--number", "7; rm -rf /", "--body-file", str(body), cwd=tmp_path, env=env
        )
        assert bad.returncode == 2
    finally:
        server.shutdown()
    ours = [c for c in _CommentsApi.comments if MARKER in c["body"]]
    assert len(ours) == 1 and ours[0]["body"].endswith("รอบสอง\n")
    assert set(_CommentsApi.auth) == {"Bearer t0ken"}


def test_api_refuses_to_start_without_a_token():
    from build_tools.core.errors import IfteError

    with pytest.raises(IfteError):
        GitHubApi("")


def test_workflows_only_call_ifte_commands_that_exist():
    """The YAML holds no logic of its own: every `ifte` it runs is a real sub-command."""
    import re

    import click
    import yaml

    from build_tools.cli import main
    from tests.conftest import REPO_ROOT

    called = set()
    for path in sorted((REPO_ROOT / ".github/workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                called |= set(re.findall(r"\bifte ([a-z-]+)", step.get("run", "")))
    assert called == {"pr-check", "pr-comment", "issue-entry"}
    context = click.Context(main)
    assert all(main.get_command(context, name) is not None for name in called)


def test_pr_check_names_links_and_undecodable_names_a_pull_request_adds(pr_repo, tmp_path):
    project, base, _ = pr_repo
    root = project.root
    folder = root / "innovations/2567/reading-kit"
    os.symlink("/etc/passwd", folder / "leak.pdf")
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe.pdf"), "wb") as handle:
        handle.write(b"%PDF-1.4\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "hostile")
    head = git(root, "rev-parse", "HEAD")
    result = run_ifte("pr-check", "--base", base, "--head", head, cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "file=innovations/2567/reading-kit/leak.pdf,title=unsafe-file" in result.stdout
    assert "reading-kit/\\xff\\xfe.pdf,title=unsafe-file" in result.stdout


ADOPTION = """- school: โรงเรียนตัวอย่าง
  district: โคกสำโรงง
  affiliation: สพป.ลพบุรี เขต 1
  year: 2568
  how: ใช้ตามต้นแบบ
  result: อ่านคล่องขึ้น
"""
ADOPTIONS_FILE = "adoptions/2567/reading-kit.yml"
ROUND_FILE = "selection/2568.yml"


def test_pr_check_and_check_read_the_round_and_adoptions_files_changed(pr_repo, tmp_path):
    project, base, _ = pr_repo
    files = {ADOPTIONS_FILE: ADOPTION, ROUND_FILE: "year: 2568\n", "selection/notes.yml": "x\n"}
    commit_branch(project, base, "office", files)
    changed = read_changed_paths(project.root, base, "HEAD")
    assert plan_checked_entries(project.root, changed) == []
    assert plan_checked_office_files(project.root, changed) == [ADOPTIONS_FILE, ROUND_FILE]
    assert plan_checked_office_files(project.root, ["vocabularies.yml"]) == [
        ADOPTIONS_FILE,
        ROUND_FILE,
    ]
    result = pr_check_head(project, base, tmp_path / "c.md")
    assert result.returncode == 1, result.stdout + result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert any(
        f"file={ADOPTIONS_FILE},line=2," in a and "title=unknown-choice" in a for a in annotations
    )
    assert any(f"file={ROUND_FILE}," in a for a in annotations)
    comment = (tmp_path / "c.md").read_text(encoding="utf-8")
    assert f"`{ADOPTIONS_FILE}`" in comment and "ไม่ได้แก้ไขไฟล์ผลงาน" not in comment
    # `ifte check PATH` checks the file it is given, against every entry.
    checked = run_ifte("check", ADOPTIONS_FILE, cwd=project.root)
    assert checked.returncode == 1
    assert f"{ADOPTIONS_FILE}:2:" in checked.stdout and "unknown-choice" in checked.stdout
    assert ROUND_FILE not in checked.stdout and "ตรวจ 1 ไฟล์" in checked.stdout
    project.write(ADOPTIONS_FILE, ADOPTION.replace("โคกสำโรงง", "โคกสำโรง"))
    assert run_ifte("check", ADOPTIONS_FILE, cwd=project.root).returncode == 0
