"""A finished build stamps its folder last, and that stamp is what `ifte deploy` accepts."""

from __future__ import annotations

from build_tools.deploy.manifest import load_local_manifest
from build_tools.deploy.stamp import STAMP_NAME, check_build_stamp


def test_the_build_leaves_a_stamp_the_deploy_accepts(built_site):
    local = load_local_manifest(built_site)

    stamp = check_build_stamp(built_site, {path: e.size for path, e in local.files.items()})

    assert stamp.file_count == len(local.files) > 100
    assert STAMP_NAME not in local.files  # checked here, never uploaded
