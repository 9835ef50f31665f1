"""The build's completion stamp, and the deploy refusing a folder that is not one build."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

from build_tools.deploy.errors import IncompleteBuildError
from build_tools.deploy.manifest import load_local_manifest
from build_tools.deploy.stamp import (
    STAMP_NAME,
    check_build_stamp,
    read_build_stamp,
    read_site_sizes,
    remove_build_stamp,
    write_build_stamp,
)
from build_tools.mkdocs_plugin.plugin import IftePlugin
from tests.deploy.sites import make_site


def _sizes(site):
    return {path: entry.size for path, entry in load_local_manifest(site).files.items()}


def test_a_finished_build_passes_and_its_stamp_is_not_deployed(tmp_path):
    site = make_site(tmp_path / "site", pages=3)

    stamp = check_build_stamp(site, _sizes(site))

    assert stamp.file_count == len(read_site_sizes(site)) == len(_sizes(site))
    assert STAMP_NAME not in load_local_manifest(site).files


def test_an_empty_site_folder_is_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()  # rm -rf site && mkdir site

    with pytest.raises(IncompleteBuildError) as failure:
        check_build_stamp(site, _sizes(site))

    message = str(failure.value)
    assert STAMP_NAME in message and "make site" in message
    assert "ไม่ใช่เว็บไซต์ที่สร้างเสร็จ" in message and "not a finished build" in message


def test_a_half_built_site_is_refused(tmp_path):
    site = make_site(tmp_path / "site", pages=6)
    shutil.rmtree(site / "innovations/2566")  # files the build would have written

    with pytest.raises(IncompleteBuildError) as failure:
        check_build_stamp(site, _sizes(site))

    assert "not the ones its last build left" in str(failure.value)


def test_a_file_changed_after_the_build_is_refused(tmp_path):
    site = make_site(tmp_path / "site", pages=2)
    (site / "index.html").write_bytes(b"<html>half a page")

    with pytest.raises(IncompleteBuildError):
        check_build_stamp(site, _sizes(site))


def test_a_damaged_stamp_counts_as_none(tmp_path):
    site = make_site(tmp_path / "site", pages=1)
    (site / STAMP_NAME).write_text("{not json")

    assert read_build_stamp(site) is None
    with pytest.raises(IncompleteBuildError):
        check_build_stamp(site, _sizes(site))


def test_equal_builds_write_equal_stamps(tmp_path):
    # No time in the stamp: a rebuild compares byte for byte with a fresh build.
    first = make_site(tmp_path / "a", pages=2)
    second = make_site(tmp_path / "b", pages=2)

    assert (first / STAMP_NAME).read_bytes() == (second / STAMP_NAME).read_bytes()
    remove_build_stamp(first)
    assert not (first / STAMP_NAME).exists()
    write_build_stamp(first)
    assert (first / STAMP_NAME).read_bytes() == (second / STAMP_NAME).read_bytes()


def test_the_build_removes_the_stamp_first_and_after_a_failure(tmp_path):
    site = make_site(tmp_path / "site", pages=1)
    plugin = IftePlugin()
    plugin.load_config({})

    plugin.on_pre_build(config=SimpleNamespace(site_dir=str(site)))
    assert not (site / STAMP_NAME).exists()  # a build killed from here on leaves none

    write_build_stamp(site)
    plugin.on_build_error(error=RuntimeError("strict mode: 1 warning"))
    assert not (site / STAMP_NAME).exists()
