"""deploy.yml targets and where credentials may (not) come from."""

from __future__ import annotations

import pytest

from build_tools.core.errors import ConfigError
from build_tools.deploy.config import (
    format_tls_fingerprint,
    load_deploy_config,
    read_credentials,
)


def _write(tmp_path, text: str):
    path = tmp_path / "deploy.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_target_defaults_fill_port_and_credential_variables(tmp_path):
    config = load_deploy_config(
        _write(
            tmp_path, "targets:\n  p: {protocol: sftp, host: h, remote_root: public_html/ifte/}\n"
        )
    )

    target = config.target(None)

    assert (target.port, target.remote_root, target.connections) == (22, "public_html/ifte", 4)
    assert (target.user_env, target.password_env) == ("IFTE_DEPLOY_USER", "IFTE_DEPLOY_PASSWORD")
    assert config.quota_bytes == 20 * 1000**3


@pytest.mark.parametrize("key", ["password", "user", "ssh_key"])
def test_a_credential_in_the_file_is_refused(tmp_path, key):
    path = _write(
        tmp_path, f"targets:\n  p: {{protocol: ftp, host: h, remote_root: r, {key}: x}}\n"
    )
    with pytest.raises(ConfigError) as failure:
        load_deploy_config(path)
    assert key in str(failure.value) and "environment" in str(failure.value)


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("{protocol: scp, host: h, remote_root: r}", "protocol"),
        ("{protocol: ftp, remote_root: r}", "host"),
        ("{protocol: ftp, host: h, remote_root: r, pasive: true}", "pasive"),
        ("{protocol: ftp, host: h, remote_root: r, host_key_fingerprint: x}", "sftp"),
        ("{protocol: sftp, host: h, remote_root: r, connections: 50}", "connections"),
    ],
)
def test_bad_targets_name_the_setting(tmp_path, target, fragment):
    with pytest.raises(ConfigError) as failure:
        load_deploy_config(_write(tmp_path, f"targets:\n  p: {target}\n"))
    assert fragment in str(failure.value)


def test_fingerprint_accepts_the_colon_form_browsers_show():
    colons = "SHA256:" + ":".join(["AB"] * 32)
    assert format_tls_fingerprint(colons) == "ab" * 32
    with pytest.raises(ConfigError):
        format_tls_fingerprint("sha256:1234")


def test_several_targets_need_a_name(tmp_path):
    config = load_deploy_config(
        _write(
            tmp_path,
            "targets:\n  a: {protocol: ftp, host: h, remote_root: r}\n"
            "  b: {protocol: ftp, host: h, remote_root: r}\n",
        )
    )
    with pytest.raises(ConfigError):
        config.target(None)
    assert config.target("b").name == "b"


def test_credentials_come_from_the_environment_or_the_prompt(tmp_path):
    config = load_deploy_config(
        _write(
            tmp_path,
            "targets:\n  p: {protocol: sftp, host: h, remote_root: r, password_env: OFFICE_PW}\n",
        )
    )
    target = config.target("p")

    from_env = read_credentials(target, {"IFTE_DEPLOY_USER": "u", "OFFICE_PW": "pw"})
    asked = []
    prompted = read_credentials(
        target, {}, prompt=lambda label, hide: asked.append(hide) or ("pw2" if hide else "u2")
    )

    assert (from_env.user, from_env.password) == ("u", "pw")
    assert (prompted.user, prompted.password) == ("u2", "pw2")
    assert asked == [False, True]  # the password is typed hidden
    with pytest.raises(ConfigError) as failure:
        read_credentials(target, {"IFTE_DEPLOY_USER": "u"})
    assert "OFFICE_PW" in str(failure.value)


def test_an_ssh_key_variable_replaces_the_password_for_sftp(tmp_path):
    config = load_deploy_config(
        _write(tmp_path, "targets:\n  p: {protocol: sftp, host: h, remote_root: r}\n")
    )
    credentials = read_credentials(
        config.target("p"), {"IFTE_DEPLOY_USER": "u", "IFTE_DEPLOY_SSH_KEY": "KEY"}
    )
    assert (credentials.password, credentials.ssh_key) == ("", "KEY")


def test_an_unusable_ssh_key_is_a_clear_login_error():
    from build_tools.deploy.config import Credentials, TargetConfig
    from build_tools.deploy.errors import LoginError
    from build_tools.deploy.sftp import SftpTransport

    target = TargetConfig("p", "sftp", "127.0.0.1", 1, "r")
    transport = SftpTransport(target, Credentials("u", ssh_key="not a key"))

    with pytest.raises(LoginError) as failure:
        transport.connect()
    assert "IFTE_DEPLOY_SSH_KEY" in str(failure.value)


@pytest.mark.parametrize(
    ("remote_root", "state_dir", "folder"),
    [
        ("public_html/ifte", "ifte-state", "../../ifte-state"),
        ("public_html/ifte", "private/ifte/", "../../private/ifte"),
        ("/var/www/ifte", "/var/ifte-state", "../../ifte-state"),
    ],
)
def test_state_dir_is_reached_from_the_remote_root(tmp_path, remote_root, state_dir, folder):
    path = _write(
        tmp_path,
        f"targets:\n  p: {{protocol: sftp, host: h, remote_root: {remote_root}, "
        f"state_dir: {state_dir}}}\n",
    )

    assert load_deploy_config(path).target(None).state_folder == folder


@pytest.mark.parametrize(
    ("remote_root", "state_dir", "fragment"),
    [
        ("public_html/ifte", "public_html/ifte/state", "outside remote_root"),
        ("public_html/ifte", "public_html", "must not contain remote_root"),
        ("public_html/ifte", "/home/u/state", "written like remote_root"),
        ("public_html/ifte", "../state", "must not contain .."),
    ],
)
def test_state_dir_inside_the_web_root_is_refused(tmp_path, remote_root, state_dir, fragment):
    path = _write(
        tmp_path,
        f"targets:\n  p: {{protocol: ftp, host: h, remote_root: {remote_root}, "
        f"state_dir: {state_dir}}}\n",
    )

    with pytest.raises(ConfigError) as failure:
        load_deploy_config(path)

    assert "state_dir" in str(failure.value) and fragment in str(failure.value)
