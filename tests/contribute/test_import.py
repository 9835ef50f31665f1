"""`ifte import`: a package becomes a commit on a new branch; hostile ones write nothing."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_tools.cli import main
from build_tools.contribute.files import strip_photo_metadata
from build_tools.contribute.package import MAX_FILES
from tests.conftest import VALID_ENTRY
from tests.contribute.helpers import (
    git,
    has_gps,
    make_git_project,
    photo_with_gps,
    small_pdf,
    snapshot,
)

ENTRY = VALID_ENTRY.replace(
    "summary: ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น\n",
    "summary: ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น\n"
    "attachments:\n"
    "  - file: document-1.pdf\n"
    "    title: รายงานผลการใช้\n"
    "  - file: image-2.jpg\n"
    "    title: ภาพกิจกรรม\n",
).replace("เนื้อหา\n", "เนื้อหา\n\n![ภาพกิจกรรมการอ่าน](image-2.jpg)\n")


def make_zip(path: Path, members: list[tuple[str, bytes]], links: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return path


def good_members(folder: str = "reading-kit") -> list[tuple[str, bytes]]:
    return [
        (f"{folder}/index.md", ENTRY.encode()),
        (f"{folder}/document-1.pdf", small_pdf()),
        (f"{folder}/image-2.jpg", photo_with_gps()),
    ]


def run_import(root: Path, package: Path):
    return CliRunner().invoke(main, ["import", str(package), "--no-pr", "--root", str(root)])


def test_a_package_becomes_a_commit_on_a_new_branch_without_gps(tmp_path):
    project = make_git_project(tmp_path / "repo")
    package = make_zip(tmp_path / "entry.zip", good_members())
    result = run_import(project.root, package)
    assert result.exit_code == 0, result.output
    assert git(project.root, "branch", "--show-current").strip() == "submission/reading-kit"
    files = git(project.root, "show", "--name-only", "--format=", "HEAD").split()
    folder = "innovations/2567/reading-kit"
    assert files == [f"{folder}/document-1.pdf", f"{folder}/image-2.jpg", f"{folder}/index.md"]
    photo = (project.root / folder / "image-2.jpg").read_bytes()
    assert not has_gps(photo) and photo == strip_photo_metadata(photo_with_gps())
    assert "gh pr create --head submission/reading-kit" in result.output
    assert "ได้รับผลงาน" in result.output  # the reply for the teacher
    checked = CliRunner().invoke(main, ["check", "--root", str(project.root)])
    assert checked.exit_code == 0, checked.output


def test_a_clashing_folder_name_gets_a_number(tmp_path):
    project = make_git_project(tmp_path / "repo")
    project.entry("reading-kit")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "existing")
    result = run_import(project.root, make_zip(tmp_path / "e.zip", good_members()))
    assert result.exit_code == 0, result.output
    assert (project.root / "innovations/2567/reading-kit-2/index.md").is_file()


EXE = b"MZ\x90\x00" + b"\x00" * 200
HTML = b"<!doctype html><script>alert(1)</script>"


def hostile_packages(tmp_path: Path) -> dict[str, Path]:
    good = good_members()
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "index.md").write_text(ENTRY, encoding="utf-8")
    (folder / "document-1.pdf").symlink_to("/etc/passwd")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.md", ENTRY)
        archive.writestr("image-2.jpg", b"\xff\xd8\xff" + b"\x00" * 15_000_000)
    (tmp_path / "bomb.zip").write_bytes(bomb.getvalue())
    return {
        "dot-dot": make_zip(tmp_path / "a.zip", [*good, ("../../evil.pdf", small_pdf())]),
        "absolute": make_zip(tmp_path / "b.zip", [*good, ("/tmp/evil.pdf", small_pdf())]),
        "link": make_zip(
            tmp_path / "c.zip",
            [*good, ("reading-kit/x.pdf", b"/etc/passwd")],
            ("reading-kit/x.pdf",),
        ),
        "folder-link": folder,
        "bomb": tmp_path / "bomb.zip",
        "too-many": make_zip(
            tmp_path / "d.zip",
            [*good, *((f"reading-kit/p{n}.pdf", small_pdf()) for n in range(MAX_FILES))],
        ),
        "exe-as-pdf": make_zip(tmp_path / "e.zip", [*good[:2], ("reading-kit/image-2.jpg", EXE)]),
        "html-as-image": make_zip(
            tmp_path / "f.zip", [*good[:2], ("reading-kit/image-2.jpg", HTML)]
        ),
        "html-as-pdf": make_zip(
            tmp_path / "g.zip", [good[0], ("reading-kit/document-1.pdf", HTML)]
        ),
    }


REASONS = {
    "dot-dot": "ชี้ออกนอกโฟลเดอร์",
    "absolute": "ชี้ออกนอกโฟลเดอร์",
    "link": "ลิงก์",
    "folder-link": "ลิงก์",
    "bomb": "zip bomb",
    "too-many": f"เกิน {MAX_FILES} ไฟล์",
    "exe-as-pdf": "ไม่ใช่ PDF หรือรูปภาพ",
    "html-as-image": "ไม่ใช่ PDF หรือรูปภาพ",
    "html-as-pdf": "ไม่ใช่ PDF หรือรูปภาพ",
}


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_hostile_packages_are_refused_with_nothing_written(tmp_path, kind):
    project = make_git_project(tmp_path / "repo")
    before = snapshot(project.root)
    result = run_import(project.root, hostile_packages(tmp_path)[kind])
    assert result.exit_code == 1
    assert "ไม่รับแพ็กเกจนี้" in result.output and "Package refused" in result.output
    assert REASONS[kind] in result.output
    assert "Traceback" not in result.output
    assert snapshot(project.root) == before
    assert not (tmp_path / "evil.pdf").exists() and not Path("/tmp/evil.pdf").exists()


def test_an_entry_with_errors_is_not_imported(tmp_path):
    project = make_git_project(tmp_path / "repo")
    before = snapshot(project.root)
    members = [("index.md", ENTRY.replace("district: โคกสำโรง", "district: ไม่มี").encode())]
    result = run_import(project.root, make_zip(tmp_path / "bad.zip", members + good_members()[1:]))
    assert result.exit_code == 1 and "unknown-choice" in result.output
    assert snapshot(project.root) == before
