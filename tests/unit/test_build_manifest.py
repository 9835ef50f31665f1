"""The build manifest and the notes of what an unfinished build was writing."""

from __future__ import annotations

from build_tools.cache import CACHE_FOLDER
from build_tools.incremental import WRITING_SUFFIX, BuildManifest, mark_writing

PAGES = {"innovations/2567/a/index.md": "k1", "innovations/2567/b/index.md": "k2"}
FILES = {"data/a.json": "f1", "data/b.json": "f2"}


def finished_build(root) -> None:
    BuildManifest(
        "salt", "/site", dict(PAGES), ["innovations/2567/a/index.html"], dict(FILES)
    ).save(root)


def notes(root) -> list[str]:
    return sorted(p.name for p in (root / CACHE_FOLDER).glob(f"*{WRITING_SUFFIX}*"))


def test_a_finished_build_ends_its_notes(tmp_path):
    mark_writing(tmp_path, "pages.json", "pages", pages=PAGES)
    mark_writing(tmp_path, "pages.json", "files", files=FILES)
    assert len(notes(tmp_path)) == 2
    finished_build(tmp_path)
    assert notes(tmp_path) == []
    manifest = BuildManifest.load(tmp_path)
    assert manifest.pages == PAGES and manifest.files == FILES


def test_what_an_unfinished_build_was_writing_is_forgotten_once_and_for_good(tmp_path):
    finished_build(tmp_path)
    # Each writer (pages here, generated files in a process beside) notes its own.
    mark_writing(tmp_path, "pages.json", "pages", pages=["innovations/2567/b/index.md"])
    mark_writing(tmp_path, "pages.json", "files", files=["data/a.json"])
    manifest = BuildManifest.load(tmp_path)
    assert manifest.pages == {"innovations/2567/a/index.md": "k1"}
    assert manifest.files == {"data/b.json": "f2"}
    # What it may have written is listed, for a later build to remove if no longer made.
    assert {"innovations/2567/b/index.html", "data/a.json"} <= set(manifest.outputs)
    # Folded into the manifest: a next build that is killed before its own notes are
    # written does not bring the forgotten keys back.
    assert notes(tmp_path) == []
    assert BuildManifest.load(tmp_path) == manifest


def test_an_unreadable_note_trusts_no_key(tmp_path):
    finished_build(tmp_path)
    (tmp_path / CACHE_FOLDER / f"pages.json{WRITING_SUFFIX}.pages").write_text('{"pages": [')
    manifest = BuildManifest.load(tmp_path)
    assert manifest.pages == {} and manifest.files == {}
    assert manifest.salt == "salt"


def test_notes_are_kept_per_manifest(tmp_path):
    finished_build(tmp_path)
    mark_writing(tmp_path, "pages-preview.json", "pages", pages=PAGES)
    assert BuildManifest.load(tmp_path).pages == PAGES
