"""The build manifest is trusted only for the folder whose stamp carries its key."""

from __future__ import annotations

from build_tools.deploy.stamp import read_build_stamp, remove_build_stamp, write_build_stamp
from build_tools.pipeline.incremental import BuildManifest, trusted_manifest

PAGES = {"innovations/2567/a/index.md": "k1", "innovations/2567/b/index.md": "k2"}
FILES = {"data/a.json": "f1"}


def finished_build(root, site, pages=PAGES) -> BuildManifest:
    manifest = BuildManifest("salt", dict(pages), ["innovations/2567/a/index.html"], dict(FILES))
    write_build_stamp(site, manifest.key)
    manifest.save(root)
    return manifest


def stamped_key(site) -> str:
    stamp = read_build_stamp(site)
    return stamp.build_key if stamp else ""


def test_the_manifest_of_the_folders_last_build_is_trusted(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    manifest = finished_build(tmp_path, site)
    assert trusted_manifest(tmp_path, "pages.json", stamped_key(site)) == manifest


def test_a_build_that_did_not_finish_leaves_nothing_to_trust(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    finished_build(tmp_path, site)
    remove_build_stamp(site)  # what a build does first; killed before its end
    assert trusted_manifest(tmp_path, "pages.json", stamped_key(site)) == BuildManifest()


def test_a_manifest_saved_for_another_folder_is_not_trusted(tmp_path):
    """A build killed after saving its manifest but before its folder replaced site/."""
    site, building = tmp_path / "site", tmp_path / "site.building"
    site.mkdir()
    building.mkdir()
    finished_build(tmp_path, site)
    finished_build(tmp_path, building, {**PAGES, "innovations/2567/c/index.md": "k3"})
    assert trusted_manifest(tmp_path, "pages.json", stamped_key(site)) == BuildManifest()


def test_equal_builds_have_equal_keys_and_different_builds_different_ones():
    one = BuildManifest("salt", dict(PAGES), ["a"], dict(FILES))
    assert one.key == BuildManifest("salt", dict(PAGES), ["a"], dict(FILES)).key
    assert one.key != BuildManifest("salt", {**PAGES, "x/index.md": "k"}, ["a"], {}).key
    assert one.key != BuildManifest("other", dict(PAGES), ["a"], dict(FILES)).key
