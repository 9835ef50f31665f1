"""Hostile teacher content is published as text, never as markup or script."""

from __future__ import annotations

import re

from tests.conftest import VALID_ENTRY, build_scratch_site

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_BODY = """
<script>alert('body')</script>
<iframe src="https://evil.example/"></iframe>
<p onclick="alert(1)">คลิก</p>

[ลิงก์อันตราย](javascript:alert(1))

<a href="javascript:alert(2)">อีกลิงก์</a>

## หัวข้อภาษาไทย
"""


def test_hostile_entry_renders_as_text(scratch_project):
    content = VALID_ENTRY.replace("title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ",
                                  f'title: "{HOSTILE_TITLE}"')
    content = content.replace("keywords: [การอ่าน]", 'keywords: ["<b>bold</b>"]')
    content = content.replace("  name: โรงเรียนบ้านโคกสำโรง", '  name: "<script>x()</script>"')
    scratch_project.entry(content=content + HOSTILE_BODY)
    result = build_scratch_site(scratch_project)
    assert result.returncode == 0, result.stderr
    page = (scratch_project.root / "site/innovations/2567/reading-kit/index.html").read_text()
    body = page[page.index('<article class="ifte-entry"') : page.index("</article>")]
    assert "<title>&lt;img src=x onerror=alert(1)&gt; - " in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "&lt;script&gt;x()&lt;/script&gt;" in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body
    lowered = body.lower()
    for needle in ("<script", "<iframe", "onclick", "javascript:", "<img src=x"):
        assert needle not in lowered, needle
    # A Thai heading keeps a readable anchor.
    assert 'id="หัวข้อภาษาไทย"' in body
    listing = (scratch_project.root / "site/innovations/index.html").read_text()
    assert "<img src=x" not in listing and "&lt;img src=x onerror=alert(1)&gt;" in listing


def test_invalid_entry_fails_strict_build_with_checker_message(scratch_project):
    scratch_project.entry(content=VALID_ENTRY.replace("district: โคกสำโรง", "district: โคกสำโรงง"))
    result = build_scratch_site(scratch_project, "--strict")
    assert result.returncode != 0
    assert "innovations/2567/reading-kit/index.md:11:13: error [unknown-choice]" in result.stderr
    assert 'หมายถึง "โคกสำโรง" ใช่ไหม?' in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_entry_is_left_out_of_a_lenient_build(scratch_project):
    scratch_project.entry("good")
    scratch_project.entry("bad", VALID_ENTRY.replace("year: 2567", "year: 2024"))
    result = build_scratch_site(scratch_project)
    assert result.returncode == 0, result.stderr
    assert (scratch_project.root / "site/innovations/2567/good/index.html").exists()
    assert not (scratch_project.root / "site/innovations/2567/bad/index.html").exists()
    assert "year-christian-era" in result.stderr


def test_hostile_repository_builds_without_publishing_anything_it_should_not(scratch_project):
    from tests.hostile_repo import SECRET, write_harmless_neighbours, write_hostile_repository

    expected = write_hostile_repository(scratch_project)
    write_harmless_neighbours(scratch_project)
    result = build_scratch_site(scratch_project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for slug, code in expected.items():
        assert f"/{slug}/" in result.stderr and f"[{code}]" in result.stderr, slug
    site = scratch_project.root / "site"
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    entry_files = {p for p in published if p.startswith("innovations/2567/")}
    assert {p for p in entry_files if not p.endswith((".html", ".json"))} == {
        "innovations/2567/unlisted-files/shown.png"
    }
    for slug in expected:
        assert not any(p.startswith(f"innovations/2567/{slug}/") for p in published), slug
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data and b"root:x:0:0" not in data, path
    page = (site / "innovations/2567/remote-images/index.html").read_text()
    body = page[page.index('<article class="ifte-entry"') : page.index("</article>")]
    assert "tracker.example" in body and not re.search(r"<img[^>]+tracker\.example", body)
    assert body.count('class="ifte-external-image"') == 2
    shown = (site / "innovations/2567/unlisted-files/index.html").read_text()
    assert '<img alt="แผนภูมิ" src="shown.png"' in shown or 'src="shown.png"' in shown
