"""The loader's file scan and its stat-keyed cache: a changed file is always read again."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from build_tools.core import loader
from build_tools.core.cache import store_folder
from build_tools.core.errors import IfteError
from build_tools.core.loader import find_entry_files, load_repository
from tests.conftest import VALID_ENTRY

HOUR_NS = 3600 * 10**9


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Entry files the loader reads (their bytes, not just their stat)."""
    read: list[Path] = []
    original = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.suffix == ".md":
            read.append(path)
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return read


@pytest.fixture
def validated(monkeypatch) -> list[Path]:
    """Entry files the loader validates (cache misses)."""
    done: list[Path] = []
    original = loader._read_one

    def read_one(path_and_data, root, vocabularies):
        done.append(Path(path_and_data[0]))
        return original(path_and_data, root, vocabularies)

    monkeypatch.setattr(loader, "_read_one", read_one)
    return done


def retime_same_day(path: Path) -> None:
    """Move the file's mtime to another time of the same UTC day (its ctime stays: only a
    write or chmod sets it). `updated` is read from it when no commit dates the file, so
    moving it an hour back changed the entry between 00:00 and 01:00 UTC."""
    stat = path.stat()
    day = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    noon_ns = int((day + dt.timedelta(hours=12)).timestamp()) * 1_000_000_000
    moved = noon_ns if noon_ns != stat.st_mtime_ns else noon_ns + HOUR_NS
    os.utime(path, ns=(stat.st_atime_ns, moved))


def title_of(root: Path) -> str:
    (entry,) = load_repository(root).entries
    return entry.title


def test_entry_files_are_found_in_sorted_order_without_following_linked_folders(tmp_path):
    for relative in (
        "innovations/2567/a-b/index.md",
        "innovations/2567/a/index.md",
        "innovations/2567/a/notes/extra.md",
        "innovations/2567/a/photo.png",
        "innovations/2566/z/index.md",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    (tmp_path / "innovations/2567/linked").symlink_to(tmp_path / "innovations/2566/z")
    found = find_entry_files(tmp_path)
    expected = sorted(p for p in (tmp_path / "innovations").rglob("*.md") if p.is_file())
    assert found == expected
    assert [p.relative_to(tmp_path / "innovations").as_posix() for p in found] == [
        "2566/z/index.md",
        "2567/a/index.md",
        "2567/a/notes/extra.md",
        "2567/a-b/index.md",
    ]


def test_folders_whose_time_did_not_change_are_not_listed_again(tmp_path, monkeypatch):
    from build_tools.core import cache

    monkeypatch.setattr(cache, "RACY_NS", 0)
    for relative in ("innovations/2567/a/index.md", "innovations/2567/b/index.md"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    for folder in ("innovations", "innovations/2567", "innovations/2567/a", "innovations/2567/b"):
        os.utime(tmp_path / folder, ns=(10**18, 10**18))  # long ago: their times are trusted
    memory = tmp_path / "folders.pickle"
    listed: list[str] = []
    list_folder = cache._list_folder
    monkeypatch.setattr(cache, "_list_folder", lambda f: listed.append(f) or list_folder(f))

    def find() -> list[str]:
        listings = cache.FolderListings(memory)
        found = loader._find_entry_names(tmp_path, None, listings)
        listings.save()
        return [name[len(str(tmp_path)) + 1 :] for name in found]

    first = find()
    assert len(listed) == 4  # innovations, 2567, a, b
    listed.clear()
    assert find() == first and listed == []
    # A file added (its folder's time changes) is found; the other folders are not listed.
    (tmp_path / "innovations/2567/b/extra.md").write_text("y")
    old = os.stat(tmp_path / "innovations/2567/a").st_mtime_ns
    assert find() == sorted([*first, "innovations/2567/b/extra.md"])
    assert listed == [str(tmp_path / "innovations/2567/b")]
    assert os.stat(tmp_path / "innovations/2567/a").st_mtime_ns == old
    # A folder changed just now is listed again next time: its time may not move.
    monkeypatch.setattr(cache, "RACY_NS", 10**18)
    (tmp_path / "innovations/2567/c").mkdir()
    (tmp_path / "innovations/2567/c/index.md").write_text("z")
    listed.clear()
    find()
    listed.clear()
    find()
    assert str(tmp_path / "innovations/2567") in listed


def test_what_other_code_kept_is_never_read(scratch_project, monkeypatch):
    from build_tools.core import cache

    scratch_project.entry()
    load_repository(scratch_project.root)
    kept = cache.store_folder(scratch_project.root)
    assert list((kept / "entries").glob("*.pickle"))
    # Other code (an edit of build_tools/, an upgraded package) keeps its results apart.
    monkeypatch.setattr(cache, "build_fingerprint", lambda: "other-code")
    assert cache.store_folder(scratch_project.root) != kept
    assert not (cache.store_folder(scratch_project.root) / "entries").exists()
    cache.remove_retired_caches(scratch_project.root)
    assert not kept.exists()


def test_unchanged_file_is_not_read_again(scratch_project, reads, monkeypatch):
    monkeypatch.setattr(loader, "RACY_NS", 0)
    path = scratch_project.entry()
    load_repository(scratch_project.root)
    assert reads == [path.resolve()]
    reads.clear()
    (entry,) = load_repository(scratch_project.root).entries
    assert reads == []
    assert entry.title == "ชุดกิจกรรมพัฒนาการอ่านจับใจความ"


def test_new_times_with_the_same_content_are_not_validated_again(
    scratch_project, reads, validated, monkeypatch
):
    monkeypatch.setattr(loader, "RACY_NS", 0)
    path = scratch_project.entry()
    before = load_repository(scratch_project.root)
    assert validated == [path.resolve()]
    validated.clear()
    reads.clear()
    retime_same_day(path)  # e.g. a checkout that wrote the same bytes again
    after = load_repository(scratch_project.root)
    assert reads == [path.resolve()]  # hashed again, since its stat changed
    assert validated == []  # but the same bytes give the cached result
    assert after.entries == before.entries


def test_edit_keeping_size_and_mtime_is_read_again(scratch_project, monkeypatch):
    monkeypatch.setattr(loader, "RACY_NS", 0)
    path = scratch_project.entry()
    assert title_of(scratch_project.root) == "ชุดกิจกรรมพัฒนาการอ่านจับใจความ"
    stat = path.stat()
    edited = VALID_ENTRY.replace("การอ่านจับ", "การฟังๆจับ")  # as many UTF-8 bytes
    assert len(edited.encode()) == stat.st_size
    while path.stat().st_ctime_ns == stat.st_ctime_ns:  # the clock ticks every few ms
        time.sleep(0.001)
        path.write_text(edited, encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert title_of(scratch_project.root) == "ชุดกิจกรรมพัฒนาการฟังๆจับใจความ"


def test_file_written_shortly_before_a_build_is_read_again(scratch_project, monkeypatch):
    # Timestamps are coarse: a second write within the same tick leaves the size, the times
    # and the inode as they were (here: all of its stat), so recent files are not trusted.
    path = scratch_project.entry().resolve()
    frozen, real_stat = path.stat(), Path.stat

    def stat(self: Path, *, follow_symlinks: bool = True):
        return frozen if self == path else real_stat(self, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(Path, "stat", stat)
    assert title_of(scratch_project.root) == "ชุดกิจกรรมพัฒนาการอ่านจับใจความ"
    path.write_text(VALID_ENTRY.replace("การอ่านจับ", "การฟังๆจับ"), encoding="utf-8")
    assert title_of(scratch_project.root) == "ชุดกิจกรรมพัฒนาการฟังๆจับใจความ"


def test_changed_attachment_is_checked_again(scratch_project, monkeypatch):
    monkeypatch.setattr(loader, "RACY_NS", 0)
    content = VALID_ENTRY.replace(
        "year: 2567", "year: 2567\nattachments:\n  - {file: plan.pdf, title: แผน}"
    )
    folder = scratch_project.entry(content=content).parent
    (folder / "plan.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 100)
    (entry,) = load_repository(scratch_project.root).entries
    assert entry.attachments[0].size == 109
    (folder / "plan.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 200)
    (entry,) = load_repository(scratch_project.root).entries
    assert entry.attachments[0].size == 209


def test_fingerprint_follows_the_entry_and_its_date(scratch_project, monkeypatch):
    monkeypatch.setattr(loader, "RACY_NS", 0)
    path = scratch_project.entry()

    def fingerprint(mtime: str) -> str:
        seconds = dt.datetime.fromisoformat(mtime).timestamp()
        os.utime(path, (seconds, seconds))
        return load_repository(scratch_project.root).fingerprints["2567/reading-kit"]

    first = fingerprint("2024-05-01T08:00:00+00:00")
    assert fingerprint("2024-05-01T08:00:00+00:00") == first
    assert fingerprint("2024-05-01T09:00:00+00:00") == first  # same "last updated" date
    dated = fingerprint("2024-06-01T08:00:00+00:00")
    assert dated != first
    path.write_text(VALID_ENTRY.replace("เนื้อหา", "เนื้อหาใหม่"), encoding="utf-8")
    assert fingerprint("2024-06-01T08:00:00+00:00") not in (first, dated)


def test_only_listed_attachments_and_files_the_body_shows_are_published(scratch_project):
    content = VALID_ENTRY.replace(
        "summary:", "attachments:\n  - file: a/b.pdf\n    title: แผน\nsummary:"
    )
    folder = scratch_project.entry(content=content + "\n![ภาพ](photo.png) [x](a-c.pdf)\n").parent
    (folder / "a").mkdir()
    for relative in ("a/b.pdf", "a-c.pdf", "unlisted.pdf"):
        (folder / relative).write_bytes(b"%PDF-1.4\n")
    (folder / "notes.txt").write_bytes(b"x")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # damaged: refused
    catalog = load_repository(scratch_project.root)
    assert [p.code for p in catalog.problems] == ["attachment-type"]
    (folder / "photo.png").unlink()  # a missing body image is a broken link, not a file
    (entry,) = load_repository(scratch_project.root).entries
    assert entry.published_files == ("a/b.pdf", "a-c.pdf")


def test_a_loaded_entry_reads_its_body_from_its_file_only_when_asked(scratch_project, reads):
    path = scratch_project.entry().resolve()
    body = VALID_ENTRY.split("---\n", 2)[2]
    load_repository(scratch_project.root)
    reads.clear()
    (entry,) = load_repository(scratch_project.root).entries
    cached = (store_folder(scratch_project.root) / "entries").glob("*.pickle")
    assert not any(body[:40].encode() in p.read_bytes() for p in cached)  # not in the cache
    assert entry.body == body
    assert entry.replace(title="อื่น").body == body
    assert path in reads


def test_a_body_changed_after_loading_is_an_error_not_another_entry(scratch_project):
    path = scratch_project.entry()
    (entry,) = load_repository(scratch_project.root).entries
    path.write_text(VALID_ENTRY.replace("เนื้อหา", "ข้อความอื่น"), encoding="utf-8")
    with pytest.raises(IfteError, match="during the build"):
        _ = entry.body


def test_folder_names_include_entries_that_failed_validation(scratch_project):
    scratch_project.entry("reading-kit")
    scratch_project.entry("broken-kit", "---\ntitle: [\n---\nเนื้อหา\n")
    scratch_project.write("innovations/2567/reading-kit/notes/extra.md", "x")
    catalog = load_repository(scratch_project.root)
    assert [e.slug for e in catalog.entries] == ["reading-kit"]
    assert catalog.folder_names == {"reading-kit", "broken-kit"}  # the submit form warns of both


def test_an_entrys_codes_key_is_cached_with_it_and_follows_what_files_it_not_its_texts(
    scratch_project,
):
    path = scratch_project.entry()
    (entry,) = load_repository(scratch_project.root).entries
    key = entry.codes_key
    school = entry.school
    assert entry.replace(school=replace(school, district="ban-mi")).codes_key != key
    assert entry.replace(school=replace(school, name="โรงเรียนอื่น")).codes_key != key
    assert entry.replace(subjects=("math",)).codes_key != key
    assert entry.replace(slug="other-kit").codes_key != key  # the catalogue order
    # Counts, filters and listing pages show no text: an edit of one counts nothing again.
    assert entry.replace(title="อื่น", summary="สรุปใหม่").codes_key == key
    assert entry.replace(body="อีกเรื่องหนึ่ง").codes_key == key
    # The next build reads the key with the cached entry instead of hashing it again.
    cached = (store_folder(scratch_project.root) / "entries").glob("*.pickle")
    assert any(key.encode() in p.read_bytes() for p in cached)
    (again,) = load_repository(scratch_project.root).entries
    assert again.codes_key == key
    path.write_text(VALID_ENTRY.replace("levels: [ป.4]", "levels: [ป.4, ป.5]"), "utf-8")
    (edited,) = load_repository(scratch_project.root).entries
    assert edited.codes_key != key
