"""Deploy targets from `deploy.yml`, and the credentials that never live there.

The file names hosts, ports and how to verify them; user names, passwords and
SSH keys come only from environment variables (named per target) or, on a
terminal, from a prompt. A credential-looking key in the file is an error so a
password cannot be committed by accident.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_tools.core.errors import ConfigError
from build_tools.core.placeholders import find_example_values, format_example_values

GB = 1000**3
PROTOCOLS = {"ftp": 21, "ftps": 21, "sftp": 22}
_FORBIDDEN_KEYS = {"user", "username", "password", "passwd", "pass", "secret", "key", "ssh_key"}
TOP_LEVEL_KEYS = {
    "default_target",
    "targets",
    "quota_gb",
    "monthly_transfer_gb",
    "page_views_per_month",
}


@dataclass(frozen=True)
class TargetConfig:
    """One place the site can be deployed to."""

    name: str
    protocol: str
    host: str
    port: int
    remote_root: str
    state_dir: str = ""  # the deploy's bookkeeping, outside the web root ("" = inside it)
    passive: bool = True
    connections: int = 4
    timeout: float = 30.0
    retries: int = 5
    user_env: str = "IFTE_DEPLOY_USER"
    password_env: str = "IFTE_DEPLOY_PASSWORD"
    ssh_key_env: str = "IFTE_DEPLOY_SSH_KEY"
    ca_file: str = ""
    tls_fingerprint: str = ""
    known_hosts: str = ""
    host_key_fingerprint: str = ""
    # A production target refuses settings that still hold example values
    # (`check_production_settings`); `production: false` marks a test server.
    production: bool = True

    @property
    def state_folder(self) -> str:
        """`state_dir` relative to the remote root (e.g. `../../ifte-state`), or ""."""
        if not self.state_dir:
            return ""
        return posixpath.relpath(self.state_dir, self.remote_root)


@dataclass(frozen=True)
class DeployConfig:
    targets: tuple[TargetConfig, ...]
    default_target: str = ""
    quota_bytes: int = 20 * GB
    monthly_transfer_bytes: int = 200 * GB
    page_views_per_month: int = 50_000

    def target(self, name: str | None) -> TargetConfig:
        """The named target, or the default one when `name` is empty."""
        wanted = name or self.default_target
        if not wanted and len(self.targets) == 1:
            return self.targets[0]
        for target in self.targets:
            if target.name == wanted:
                return target
        names = ", ".join(t.name for t in self.targets) or "-"
        if not wanted:
            raise ConfigError(
                f"มีหลายเป้าหมาย กรุณาระบุชื่อ: {names}",
                f"Several targets are configured; name one: {names}",
            )
        raise ConfigError(
            f'ไม่มีเป้าหมาย "{wanted}" ใน deploy.yml (มี: {names})',
            f'No target "{wanted}" in deploy.yml (configured: {names})',
        )


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = ""
    ssh_key: str = ""  # private key text (OpenSSH/PEM), e.g. from a CI secret


def load_deploy_config(path: Path) -> DeployConfig:
    """Read and check `deploy.yml`; relative file paths are resolved against its folder."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"ไม่พบไฟล์ตั้งค่า {path}", f"Deploy configuration {path} not found") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"อ่าน {path} ไม่ได้: {error}", f"Cannot parse {path}: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} ต้องเป็น mapping", f"{path} must be a mapping")
    _reject_unknown(path, "", data, TOP_LEVEL_KEYS)
    raw_targets = data.get("targets") or {}
    if not isinstance(raw_targets, dict):
        raise ConfigError(f"{path}: targets ต้องเป็น mapping", f"{path}: targets must be a mapping")
    targets = tuple(_read_target(path, str(name), raw or {}) for name, raw in raw_targets.items())
    return DeployConfig(
        targets=targets,
        default_target=str(data.get("default_target") or ""),
        quota_bytes=int(float(data.get("quota_gb", 20)) * GB),
        monthly_transfer_bytes=int(float(data.get("monthly_transfer_gb", 200)) * GB),
        page_views_per_month=int(data.get("page_views_per_month", 50_000)),
    )


def _read_target(path: Path, name: str, raw: Mapping) -> TargetConfig:
    where = f"targets.{name}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: {where} ต้องเป็น mapping", f"{path}: {where} must be a mapping")
    leaked = sorted(set(raw) & _FORBIDDEN_KEYS)
    if leaked:
        raise ConfigError(
            f"{path}: {where}.{leaked[0]} — ห้ามเก็บชื่อผู้ใช้/รหัสผ่านในไฟล์ ให้ใช้ตัวแปรสภาพแวดล้อม",
            f"{path}: {where}.{leaked[0]} — credentials must not be stored in the repository; "
            "use environment variables (user_env / password_env)",
        )
    fields = set(TargetConfig.__dataclass_fields__) - {"name"}
    _reject_unknown(path, where, raw, fields)
    protocol = str(raw.get("protocol", "")).lower()
    if protocol not in PROTOCOLS:
        raise ConfigError(
            f"{path}: {where}.protocol ต้องเป็น ftp, ftps หรือ sftp (ได้ {protocol or 'ว่าง'})",
            f"{path}: {where}.protocol must be ftp, ftps or sftp (got {protocol or 'nothing'})",
        )
    for required in ("host", "remote_root"):
        if not raw.get(required):
            raise ConfigError(
                f"{path}: ต้องระบุ {where}.{required}", f"{path}: {where}.{required} is required"
            )
    values = {key: raw[key] for key in fields if key in raw}
    values["protocol"] = protocol
    values["port"] = int(raw.get("port") or PROTOCOLS[protocol])
    values["remote_root"] = str(raw["remote_root"]).strip().rstrip("/") or "/"
    if raw.get("state_dir"):
        values["state_dir"] = _read_state_dir(path, where, raw["state_dir"], values["remote_root"])
    for file_key in ("ca_file", "known_hosts"):
        if values.get(file_key):
            values[file_key] = str((path.parent / str(values[file_key])).resolve())
    if values.get("tls_fingerprint"):
        values["tls_fingerprint"] = format_tls_fingerprint(str(values["tls_fingerprint"]))
    if protocol != "ftps" and (values.get("ca_file") or values.get("tls_fingerprint")):
        raise ConfigError(
            f"{path}: ca_file/tls_fingerprint ใช้ได้กับ ftps เท่านั้น",
            f"{path}: ca_file/tls_fingerprint only apply to ftps",
        )
    if protocol != "sftp" and (values.get("known_hosts") or values.get("host_key_fingerprint")):
        raise ConfigError(
            f"{path}: known_hosts/host_key_fingerprint ใช้ได้กับ sftp เท่านั้น",
            f"{path}: known_hosts/host_key_fingerprint only apply to sftp",
        )
    if not 1 <= int(values.get("connections", 4)) <= 16:
        raise ConfigError(
            f"{path}: {where}.connections ต้องอยู่ระหว่าง 1–16",
            f"{path}: {where}.connections must be between 1 and 16",
        )
    return TargetConfig(name=name, **values)


def _read_state_dir(path: Path, where: str, raw: object, remote_root: str) -> str:
    """A folder beside the web root, written the way `remote_root` is (both from the
    login folder, or both absolute), so that one can be reached from the other."""
    state_dir = posixpath.normpath(str(raw).strip())
    root = posixpath.normpath(remote_root)
    if state_dir.startswith("/") != root.startswith("/"):
        thai = "ต้องเขียนแบบเดียวกับ remote_root (ทั้งคู่เทียบจากโฟลเดอร์ที่เข้าระบบ หรือทั้งคู่เป็นพาธเต็ม)"
        english = "must be written like remote_root (both from the login folder, or both absolute)"
    elif ".." in state_dir.split("/"):
        thai, english = "ต้องไม่มี ..", "must not contain .."
    elif _inside(state_dir, root):
        thai = "ต้องอยู่นอกโฟลเดอร์ remote_root (นอกโฟลเดอร์เว็บ)"
        english = "must be outside remote_root (outside the web root)"
    elif _inside(root, state_dir):
        thai, english = "ต้องไม่ครอบโฟลเดอร์ remote_root", "must not contain remote_root"
    else:
        return state_dir
    raise ConfigError(f"{path}: {where}.state_dir {thai}", f"{path}: {where}.state_dir {english}")


def _inside(path: str, folder: str) -> bool:
    return path == folder or folder in ("/", ".") or path.startswith(folder.rstrip("/") + "/")


def _reject_unknown(path: Path, where: str, raw: Mapping, allowed: set[str]) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        key = f"{where}.{unknown[0]}" if where else unknown[0]
        raise ConfigError(
            f"{path}: ไม่รู้จักค่าตั้ง {key} (ที่ใช้ได้: {', '.join(sorted(allowed))})",
            f"{path}: unknown setting {key} (known: {', '.join(sorted(allowed))})",
        )


def format_tls_fingerprint(text: str) -> str:
    """Normalise `sha256:AB:CD:…` (as browsers and openssl print it) to lowercase hex."""
    value = text.strip().lower()
    if value.startswith("sha256:"):
        value = value[len("sha256:") :]
    value = value.replace(":", "").replace(" ", "")
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ConfigError(
            f"tls_fingerprint ไม่ถูกต้อง: {text} (ต้องเป็น SHA-256 ของใบรับรอง)",
            f"Invalid tls_fingerprint {text!r}: expected the certificate's SHA-256",
        )
    return value


def read_credentials(
    target: TargetConfig,
    environ: Mapping[str, str] = os.environ,
    prompt: Callable[[str, bool], str] | None = None,
) -> Credentials:
    """Credentials from the target's environment variables, else from `prompt`.

    `prompt(label, hide)` is only passed when a person is at a terminal; in CI a
    missing variable is an error that names it.
    """
    user = environ.get(target.user_env, "")
    password = environ.get(target.password_env, "")
    ssh_key = environ.get(target.ssh_key_env, "") if target.protocol == "sftp" else ""
    if prompt is not None:
        if not user:
            user = prompt(f"ชื่อผู้ใช้ / User for {target.host}", False)
        if not password and not ssh_key:
            password = prompt(f"รหัสผ่าน / Password for {user}@{target.host}", True)
    if not user or not (password or ssh_key):
        missing = target.user_env if not user else target.password_env
        raise ConfigError(
            f"ไม่มีข้อมูลเข้าระบบ: ตั้งตัวแปรสภาพแวดล้อม {missing} "
            f"(ผู้ใช้ {target.user_env}, รหัสผ่าน {target.password_env})",
            f"No credentials: set the environment variable {missing} "
            f"(user {target.user_env}, password {target.password_env})",
        )
    return Credentials(user=user, password=password, ssh_key=ssh_key)


def check_production_settings(target: TargetConfig, site_settings: Mapping) -> None:
    """Refuse to deploy to a production target while its host or the site's settings
    (mkdocs.yml `site_url`, `extra`: read by `placeholders.read_site_settings`) hold
    example values: visitors would see sample contacts and links to a sample address."""
    if not target.production:
        return
    found = list(find_example_values({f"deploy.yml targets.{target.name}.host": target.host}))
    found += find_example_values(site_settings)
    if found:
        message = format_example_values(found, "ifte deploy")
        raise ConfigError(
            f"ไม่นำขึ้นเป้าหมายจริง ({target.name}) — {message}",
            "A production target is not deployed to with example settings "
            "(a test server: production: false in deploy.yml).",
        )
