"""`ifte deploy` and `ifte budget` as staff run them: exit codes and messages."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_tools.cli import main
from tests.deploy.faults import FaultProxy
from tests.deploy.servers import PASSWORD, USER
from tests.deploy.sites import make_site, read_tree

REPO = Path(__file__).resolve().parents[2]
ENV = {"IFTE_DEPLOY_USER": USER, "IFTE_DEPLOY_PASSWORD": PASSWORD}


def _config(tmp_path: Path, host, target_changes: dict | None = None, **top) -> Path:
    target = {
        "protocol": host.target.protocol,
        "host": "127.0.0.1",
        "port": host.target.port,
        "remote_root": host.target.remote_root,
        "retries": 1,
        "timeout": 5,
        **(target_changes or {}),
    }
    if host.target.tls_fingerprint:
        target["tls_fingerprint"] = "sha256:" + host.target.tls_fingerprint.upper()
    if host.target.host_key_fingerprint:
        target["host_key_fingerprint"] = host.target.host_key_fingerprint
    path = tmp_path / "deploy.yml"
    path.write_text(yaml.safe_dump({"targets": {"office": target}, **top}), encoding="utf-8")
    return path


def _run(*args: str, env=ENV):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.server
def test_deploy_command_uploads_then_reports_nothing_changed(host, tmp_path):
    site = make_site(tmp_path / "site", pages=3)
    config = _config(tmp_path, host)

    first = _run("deploy", "--config", str(config), "--site-dir", str(site))
    again = _run("deploy", "office", "--config", str(config), "--site-dir", str(site))

    assert first.exit_code == 0, first.output
    assert read_tree(host.root) == read_tree(site)
    assert again.exit_code == 0, again.output
    assert "Nothing changed" in again.output


@pytest.mark.server
def test_wrong_password_exits_1_with_a_bilingual_message(host, tmp_path):
    site = make_site(tmp_path / "site", pages=1)
    config = _config(tmp_path, host)

    result = _run(
        "deploy", "--config", str(config), "--site-dir", str(site),
        env={**ENV, "IFTE_DEPLOY_PASSWORD": "wrong"},
    )  # fmt: skip

    assert result.exit_code == 1
    assert "เข้าสู่ระบบ" in result.output and "Login to 127.0.0.1 failed" in result.output
    assert "Traceback" not in result.output


@pytest.mark.server
def test_dry_run_lists_every_change_and_touches_nothing(ftp_host, tmp_path):
    site = make_site(tmp_path / "site", pages=2)
    config = _config(tmp_path, ftp_host)

    result = _run("deploy", "--dry-run", "--config", str(config), "--site-dir", str(site))

    assert result.exit_code == 0, result.output
    for path, _data in read_tree(site).items():
        assert f"+ {path}  (" in result.output
    total = sum(len(data) for data in read_tree(site).values())
    assert f"({total} B)" in result.output
    assert not ftp_host.server.ops("STOR", "MKD", "RNTO", "DELE")
    assert not ftp_host.root.exists()


@pytest.mark.server
def test_deploy_refuses_to_go_past_the_quota(ftp_host, tmp_path):
    site = make_site(tmp_path / "site", pages=2)
    config = _config(tmp_path, ftp_host, quota_gb=0.000001)  # 1 KB

    result = _run("deploy", "--config", str(config), "--site-dir", str(site))

    assert result.exit_code == 1
    assert "โควตา" in result.output and "quota" in result.output
    assert not ftp_host.server.ops("STOR")


@pytest.mark.server
def test_a_killed_deploy_leaves_no_partial_file_and_a_rerun_finishes(ftp_host, tmp_path):
    old = make_site(tmp_path / "old", pages=6, image_bytes=50_000)
    new = make_site(tmp_path / "new", pages=10, image_bytes=50_000, seed=3)
    config = _config(tmp_path, ftp_host)
    assert _run("deploy", "--config", str(config), "--site-dir", str(old)).exit_code == 0
    command = [sys.executable, "-m", "build_tools", "deploy", "--config", str(config),
               "--site-dir", str(new)]  # fmt: skip
    deploy = subprocess.Popen(command, env={**os.environ, **ENV}, cwd=REPO, stderr=subprocess.PIPE)
    ftp_host.server.uploads = 0
    ftp_host.server.on_upload = lambda count: count == 12 and os.kill(deploy.pid, signal.SIGKILL)

    deploy.wait(60)

    assert deploy.returncode == -signal.SIGKILL
    old_tree, new_tree = read_tree(old), read_tree(new)
    for path, data in read_tree(ftp_host.root).items():
        assert data in (old_tree.get(path), new_tree.get(path)), f"{path} is half-written"
    ftp_host.server.on_upload = None
    rerun = _run("deploy", "--config", str(config), "--site-dir", str(new))
    assert rerun.exit_code == 0, rerun.output
    assert "resuming" in rerun.output
    assert read_tree(ftp_host.root) == new_tree


def test_missing_password_variable_is_named(tmp_path):
    config = tmp_path / "deploy.yml"
    config.write_text(
        "targets:\n  office: {protocol: sftp, host: h.example, remote_root: public_html}\n"
    )
    site = make_site(tmp_path / "site", pages=1)

    result = _run(
        "deploy", "--config", str(config), "--site-dir", str(site),
        env={"IFTE_DEPLOY_USER": "u", "IFTE_DEPLOY_PASSWORD": ""},
    )  # fmt: skip

    assert result.exit_code == 1
    assert "IFTE_DEPLOY_PASSWORD" in result.output


def test_unknown_target_is_a_usage_error(tmp_path):
    config = tmp_path / "deploy.yml"
    config.write_text("targets:\n  office: {protocol: ftp, host: h, remote_root: www}\n")

    result = _run("deploy", "staging", "--config", str(config), "--site-dir", str(tmp_path))

    assert result.exit_code == 2
    assert "staging" in result.output


def test_budget_command_prints_size_and_transfer(tmp_path):
    site = make_site(tmp_path / "site", pages=3)

    result = _run("budget", "--site-dir", str(site), "--config", str(tmp_path / "none.yml"))

    assert result.exit_code == 0, result.output
    assert "Site size" in result.output and "20.0 GB" in result.output
    assert "Estimated monthly transfer" in result.output


# -- what a deploy refuses, and how it fails ---------------------------------------------


def _deploy_site(config: Path, site: Path, *flags: str):
    return _run("deploy", "--config", str(config), "--site-dir", str(site), *flags)


@pytest.mark.server
def test_an_empty_site_folder_never_deletes_the_live_site(ftp_host, tmp_path):
    site = make_site(tmp_path / "site", pages=4)
    config = _config(tmp_path, ftp_host)
    assert _deploy_site(config, site).exit_code == 0
    live = read_tree(ftp_host.root)
    shutil.rmtree(site)
    site.mkdir()  # rm -rf site && mkdir site
    ftp_host.server.log.clear()

    result = _deploy_site(config, site)

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "not a finished build" in result.output and "ไม่ใช่เว็บไซต์ที่สร้างเสร็จ" in result.output
    assert not ftp_host.server.log  # refused before connecting
    assert read_tree(ftp_host.root) == live


@pytest.mark.server
def test_a_half_built_site_is_refused_and_the_host_untouched(ftp_host, tmp_path):
    site = make_site(tmp_path / "site", pages=6)
    config = _config(tmp_path, ftp_host)
    assert _deploy_site(config, site).exit_code == 0
    live = read_tree(ftp_host.root)
    shutil.rmtree(site / "innovations")  # a build that stopped part-way (its stamp stale)

    result = _deploy_site(config, site)

    assert result.exit_code == 1
    assert "not the ones its last build left" in result.output
    assert read_tree(ftp_host.root) == live


@pytest.mark.server
def test_deleting_most_of_the_live_site_needs_allow_mass_delete(ftp_host, tmp_path):
    config = _config(tmp_path, ftp_host)
    assert _deploy_site(config, make_site(tmp_path / "big", pages=30)).exit_code == 0
    live = read_tree(ftp_host.root)
    small = make_site(tmp_path / "small", pages=2)  # a whole build, but far smaller

    for flags in ((), ("--dry-run",)):
        refused = _deploy_site(config, small, *flags)
        assert refused.exit_code == 1, flags
        assert "--allow-mass-delete" in refused.output and "ลบ" in refused.output
    assert read_tree(ftp_host.root) == live

    allowed = _deploy_site(config, small, "--allow-mass-delete")
    assert allowed.exit_code == 0, allowed.output
    assert read_tree(ftp_host.root) == read_tree(small)


@pytest.mark.server
@pytest.mark.parametrize("protocol", ["ftp", "sftp"])
def test_a_silent_link_ends_the_deploy_within_its_retries(protocol, start, tmp_path):
    running = start(protocol)
    site = make_site(tmp_path / "site", pages=6)
    with FaultProxy(running.target.port, ftp=protocol == "ftp") as proxy:
        config = _config(tmp_path, running, {"port": proxy.port, "timeout": 2, "retries": 2})

        # The link stops answering in the middle of the uploads, and stays silent: over
        # SFTP once the fourth file's data flows (a write cancelled then waits on its close).
        def fourth_upload(count: int) -> None:
            if count == 4 and protocol == "sftp":
                running.server.on_data = proxy.go_silent
            elif count == 4:
                proxy.go_silent()

        running.server.on_upload = fourth_upload
        command = [sys.executable, "-m", "build_tools", "deploy", "--config", str(config),
                   "--site-dir", str(site)]  # fmt: skip
        try:
            result = subprocess.run(
                command,
                env={**os.environ, **ENV},
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=120,  # timeout 2 s × 2 tries, plus backoff: far less than this
            )
        except subprocess.TimeoutExpired:
            pytest.fail("ifte deploy was still running 120 s into a silent link")

    assert proxy.silent.is_set()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "ifte deploy" in result.stderr  # says to run it again


@pytest.mark.server
@pytest.mark.parametrize("protocol", ["ftp", "sftp"])
@pytest.mark.parametrize("root_exists", [True, False], ids=["root-exists", "no-root"])
def test_permission_denied_is_one_clear_bilingual_error(protocol, root_exists, start, tmp_path):
    running = start(protocol, read_only=True)
    if root_exists:
        running.root.mkdir(parents=True)
    site = make_site(tmp_path / "site", pages=2)

    result = _deploy_site(_config(tmp_path, running), site)

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert "Permission denied" in result.output and "ไม่อนุญาต" in result.output
    assert "dot-file" not in result.output
