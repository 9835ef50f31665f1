"""Hostile entry folders: every one is named by a problem code, none crashes or stalls
the checker, and nothing of the build machine is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from build_tools.core.attachments import (
    check_attachment,
    find_regular_file,
    is_publishable_name,
    suggest_name,
)
from build_tools.core.bodycheck import check_body_complexity, iter_body_files
from build_tools.core.frontmatter import MAX_DEPTH, parse_yaml
from build_tools.core.loader import load_repository
from build_tools.core.sanitize import is_remote_url, sanitize_html
from tests.conftest import VALID_ENTRY
from tests.hostile_repo import (
    png_header,
    write_harmless_neighbours,
    write_hostile_repository,
)


@pytest.fixture
def hostile(scratch_project):
    expected = write_hostile_repository(scratch_project)
    write_harmless_neighbours(scratch_project)
    return scratch_project, expected


def test_every_hostile_entry_is_named_by_its_problem_and_left_out(hostile):
    project, expected = hostile
    catalog = load_repository(project.root)
    for slug, code in expected.items():
        found = {p.code for p in catalog.errors if f"/{slug}/" in p.path}
        assert code in found, (slug, found)
    built = {entry.slug for entry in catalog.entries}
    assert built == {"unlisted-files", "remote-images"}


def test_check_over_hostile_repository_reports_and_never_crashes(hostile):
    project, expected = hostile
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", "check", "--format", "json"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=300,  # a guard against a hang, not a measurement
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    problems = json.loads(result.stdout)
    codes = {(p["path"].split("/")[2], p["code"]) for p in problems}
    assert set(expected.items()) <= codes
    assert all(len(p["message_en"]) < 400 for p in problems)  # no 5,000-digit echo


def test_a_linked_attachment_is_never_read(scratch_project):
    folder = scratch_project.entry().parent
    os.symlink("/etc/passwd", folder / "leak.pdf")
    assert check_attachment(folder, "leak.pdf").code == "attachment-outside"
    with pytest.raises(OSError):
        find_regular_file(folder, "leak.pdf")
    (folder / "real").mkdir()
    (folder / "real" / "plan.pdf").write_bytes(b"%PDF-1.4\n")
    os.symlink("real", folder / "linked")
    assert check_attachment(folder, "real/plan.pdf").code == ""
    assert check_attachment(folder, "linked/plan.pdf").code == "attachment-outside"


def test_checking_one_path_beside_a_link_loop_works(scratch_project):
    scratch_project.entry("good")
    loop = scratch_project.entry("loop").parent
    os.symlink("loop", loop / "loop")
    good = load_repository(scratch_project.root, [scratch_project.root / "innovations/2567/good"])
    assert [e.slug for e in good.entries] == ["good"] and not good.errors
    linked = load_repository(scratch_project.root, [loop / "loop"])
    assert [p.code for p in linked.errors] == ["unsafe-file"]


def test_front_matter_depth_is_limited_before_composing():
    shallow = "keywords: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert parse_yaml("a: 1\n" + shallow, "x.md")[0] is not None
    node, problems = parse_yaml("a: " + "[" * 25_000 + "]" * 25_000, "x.md", 1)
    assert node is None and [p.code for p in problems] == ["front-matter-too-deep"]
    assert problems[0].line == 2


@pytest.mark.parametrize(
    "body",
    [
        "[" * 3000,
        "[x](" * 3000,
        "![" * 3000,
        "<a " * 3000,
        "<http://a" * 3000,
        "".join("    " * level + "- a\n" for level in range(40)),
        "".join(">" * level + " a\n" for level in range(40)),
        "- " * 200 + "a",
        "1. " * 100 + "a",
        "x <a y\n\n" * 2000,
        "<b\n\n" * 3000,
        "??? a\n" * 3000,
        "ก *a* " * 40_000,
    ],
)
def test_bodies_that_render_super_linearly_are_refused(body):
    assert check_body_complexity("ย่อหน้าแรก\n\n" + body) is not None


def test_real_bodies_are_not_refused():
    links = "\n".join(f"- [เอกสาร {n}](https://example.go.th/{n}) <br>" for n in range(300))
    table = "\n".join(f"| [ก]({n}.pdf) | <b>{n}</b> |" for n in range(300))
    nested = "".join("    " * level + "- ข้อ\n" for level in range(8))
    html = "```html\n" + "<p><a href='x'>[ลิงก์]</a></p>\n" * 2000 + "```"
    body = "\n\n".join([links, table, nested, "ข้อความ [1] และ (2) < 3", html] * 5)
    assert check_body_complexity(body) is None


def test_body_files_are_local_targets_only():
    body = (
        "![แผนภูมิ](chart.png) [รายงาน](./docs/report.pdf#page=2) [เว็บ](https://a.example/x.pdf)\n"
        '<img src="photo%201.jpg"> <a href="/abs.pdf">a</a> [ref]: appendix.pdf\n'
        "[ref2]: <other.pdf>\n[หน้า](#top) ![](//cdn.example/x.png)"
    )
    assert [name for name, _ in iter_body_files(body)] == [
        "chart.png",
        "docs/report.pdf",
        "photo 1.jpg",
        "other.pdf",
    ]


@pytest.mark.parametrize(
    ("name", "publishable"),
    [
        ("report.pdf", True),
        ("รายงาน-ฉบับที่_2.pdf", True),
        ("docs/plan.pdf", True),
        ("a b.pdf", False),
        ("a\nb.pdf", False),
        ("a\0b.pdf", False),
        (".hidden.pdf", False),
        ("-rf.pdf", False),
        ("a#b.pdf", False),
        ("x" * 200 + ".pdf", False),
    ],
)
def test_publishable_names(name, publishable):
    assert is_publishable_name(name) is publishable
    if not publishable:
        assert is_publishable_name(suggest_name(name))


def test_image_pixels_are_limited_before_decoding(scratch_project):
    folder = scratch_project.entry().parent
    (folder / "bomb.png").write_bytes(png_header(30_000, 30_000))
    (folder / "wide.png").write_bytes(png_header(40_000, 10))
    (folder / "fine.png").write_bytes(png_header(4_000, 3_000))
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    assert check_attachment(folder, "bomb.png").code == "image-too-large"
    assert check_attachment(folder, "wide.png").code == "image-too-large"
    assert check_attachment(folder, "fine.png").code == ""
    assert check_attachment(folder, "broken.png").code == "attachment-type"


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/p.gif",
        "HTTP://tracker.example/p.gif",
        "//tracker.example/p.gif",
        "/\\tracker.example/p.gif",
        "/&#9;/tracker.example/p.gif",
        " https://tracker.example/p.gif",
    ],
)
def test_remote_images_become_links(src):
    html = sanitize_html(f'<p><img src="{src}" alt="ภาพ &lt;b&gt;"></p>')
    assert "<img" not in html
    assert 'class="ifte-external-image"' in html and "ภาพ &lt;b&gt;" in html


def test_local_images_stay_images():
    for src in ("chart.png", "docs/chart.png", "/assets/logo.png", "./a.png"):
        assert not is_remote_url(src)
        assert "<img" in sanitize_html(f'<img src="{src}" alt="x">')


def test_valid_entry_still_loads(scratch_project):
    scratch_project.entry(content=VALID_ENTRY)
    catalog = load_repository(scratch_project.root)
    assert len(catalog.entries) == 1 and not catalog.errors
