"""Content-hash manifests and the journal of an unfinished deploy."""

from __future__ import annotations

import hashlib

import pytest

from build_tools.deploy.errors import DeployError
from build_tools.deploy.manifest import (
    FileEntry,
    Journal,
    Manifest,
    format_journal,
    format_manifest,
    load_local_manifest,
    plan_remote_state,
    read_journal,
    read_manifest,
)


def test_local_manifest_hashes_every_file_by_relative_path(tmp_path):
    (tmp_path / "a/b").mkdir(parents=True)
    (tmp_path / "a/b/page.html").write_bytes(b"hello")
    (tmp_path / ".htaccess").write_bytes(b"x")

    manifest = load_local_manifest(tmp_path)

    assert manifest.files == {
        ".htaccess": FileEntry(hashlib.sha256(b"x").hexdigest(), 1),
        "a/b/page.html": FileEntry(hashlib.sha256(b"hello").hexdigest(), 5),
    }
    assert manifest.total_bytes == 6


def test_missing_site_folder_says_to_build_first(tmp_path):
    with pytest.raises(DeployError) as failure:
        load_local_manifest(tmp_path / "site")
    assert "mkdocs build" in str(failure.value)


def test_manifest_round_trips_and_is_reproducible():
    manifest = Manifest({"ก/index.html": FileEntry("ab" * 32, 3), "a.css": FileEntry("cd" * 32, 9)})

    data = format_manifest(manifest)

    assert read_manifest(data, "m") == manifest
    assert format_manifest(manifest) == data  # no timestamp inside


def test_damaged_manifest_is_a_clear_error():
    with pytest.raises(DeployError) as failure:
        read_manifest(b"not gzip", ".ifte-manifest.json.gz")
    assert ".ifte-manifest.json.gz" in str(failure.value)


def test_journal_round_trips_with_deletions_and_pending():
    journal = Journal({"a": FileEntry("h", 1), "b": None}, frozenset({"c"}))

    assert read_journal(format_journal(journal), "j") == journal


def test_pending_paths_are_unknown_even_if_an_earlier_run_finished_them():
    manifest = Manifest({"a": FileEntry("old", 1)})
    journal = Journal({"a": FileEntry("new", 1)}, frozenset({"a"}))

    state = plan_remote_state(manifest, journal)

    assert state.files == {}
    assert state.unknown == {"a"}
