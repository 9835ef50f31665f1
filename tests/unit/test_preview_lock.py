"""The lock that keeps `make serve`'s folder to one session at a time."""

from __future__ import annotations

import subprocess
import sys

from build_tools.cache import hold_lock
from build_tools.incremental import PREVIEW_MANIFEST_NAME, TEMPORARY_PREVIEW_MANIFEST_NAME
from build_tools.mkdocs_plugin import plugin as plugin_module

TRY_LOCK = "import sys; from pathlib import Path; from build_tools.cache import hold_lock; "
TRY_LOCK += "sys.exit(0 if hold_lock(Path(sys.argv[1])) else 1)"


def lock_is_free(path) -> bool:
    """Whether another process can take the lock now."""
    return subprocess.run([sys.executable, "-c", TRY_LOCK, str(path)]).returncode == 0


def test_one_process_at_a_time_holds_the_lock_until_it_lets_go(tmp_path):
    path = tmp_path / "cache" / "preview-site.lock"
    held = hold_lock(path)
    assert held is not None
    assert not lock_is_free(path)
    held.close()
    assert lock_is_free(path)  # and a process that ended let go of it too


def preview_plugin(root) -> plugin_module.IftePlugin:
    plugin = plugin_module.IftePlugin()
    plugin.root = root
    plugin.on_startup(command="serve", dirty=True)
    return plugin


def test_a_session_holding_the_lock_builds_in_the_kept_folder(tmp_path):
    first, second = preview_plugin(tmp_path), preview_plugin(tmp_path)
    try:
        assert first._preview_site() == tmp_path / ".cache/ifte/preview-site"
        assert first._manifest_name == PREVIEW_MANIFEST_NAME
        assert second._preview_site() is None
        assert second._manifest_name == TEMPORARY_PREVIEW_MANIFEST_NAME
    finally:
        first.on_shutdown()
        second.on_shutdown()
    assert lock_is_free(tmp_path / ".cache/ifte/preview-site.lock")


def test_without_locks_every_session_builds_in_a_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(plugin_module, "can_hold_locks", lambda: False)
    plugin = preview_plugin(tmp_path)
    assert plugin._preview_site() is None
    assert plugin._manifest_name == TEMPORARY_PREVIEW_MANIFEST_NAME
    assert not (tmp_path / ".cache").exists()
