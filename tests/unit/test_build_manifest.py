"""The build manifest and the note of what an unfinished build was writing."""

from __future__ import annotations

from build_tools.cache import CACHE_FOLDER
from build_tools.incremental import WRITING_SUFFIX, BuildManifest, mark_writing

PAGES = {"innovations/2567/a/index.md": "k1", "innovations/2567/b/index.md": "k2"}
FILES = {"data/a.json": "f1", "data/b.json": "f2"}


def finished_build(root) -> None:
    BuildManifest(
        "salt", "/site", dict(PAGES), ["innovations/2567/a/index.html"], dict(FILES)
    ).save(root)


def test_a_finished_build_ends_its_note(tmp_path):
    mark_writing(tmp_path, "pages.json", PAGES, FILES)
    finished_build(tmp_path)
    assert not (tmp_path / CACHE_FOLDER / f"pages.json{WRITING_SUFFIX}").exists()
    manifest = BuildManifest.load(tmp_path)
    assert manifest.pages == PAGES and manifest.files == FILES


def test_what_an_unfinished_build_was_writing_is_forgotten_once_and_for_good(tmp_path):
    finished_build(tmp_path)
    mark_writing(tmp_path, "pages.json", ["innovations/2567/b/index.md"], ["data/a.json"])
    manifest = BuildManifest.load(tmp_path)
    assert manifest.pages == {"innovations/2567/a/index.md": "k1"}
    assert manifest.files == {"data/b.json": "f2"}
    # What it may have written is listed, for a later build to remove if no longer made.
    assert {"innovations/2567/b/index.html", "data/a.json"} <= set(manifest.outputs)
    # Folded into the manifest: a next build that is killed before its own note is written
    # does not bring the forgotten keys back.
    assert not (tmp_path / CACHE_FOLDER / f"pages.json{WRITING_SUFFIX}").exists()
    assert BuildManifest.load(tmp_path) == manifest


def test_an_unreadable_note_trusts_no_page(tmp_path):
    finished_build(tmp_path)
    (tmp_path / CACHE_FOLDER / f"pages.json{WRITING_SUFFIX}").write_text('{"pages": [')
    manifest = BuildManifest.load(tmp_path)
    assert manifest.pages == {} and manifest.files == {}
    assert manifest.salt == "salt"


def test_notes_are_kept_per_manifest(tmp_path):
    finished_build(tmp_path)
    mark_writing(tmp_path, "pages-preview.json", PAGES, FILES)
    assert BuildManifest.load(tmp_path).pages == PAGES
