"""Fixtures for deploy tests against real servers on 127.0.0.1."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from build_tools.deploy.cli import open_transport
from build_tools.deploy.config import Credentials, TargetConfig
from build_tools.deploy.manifest import load_local_manifest, plan_state_layouts
from build_tools.deploy.plan import plan_deploy
from build_tools.deploy.publish import DeployResult, publish, read_remote_state
from build_tools.deploy.remote import DeployEvent, RemoteHost, RetryPolicy
from tests.deploy.servers import (
    PASSWORD,
    USER,
    Certificate,
    FtpServer,
    SftpServer,
    make_certificate,
)

REMOTE_ROOT = "public_html/ifte"
FAST_RETRY = RetryPolicy(attempts=2, backoff=0.01)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@dataclass
class Host:
    """A running test server and the deploy target pointing at it."""

    protocol: str
    server: FtpServer | SftpServer
    target: TargetConfig
    certificate: Certificate
    password: str = PASSWORD

    @property
    def home(self) -> Path:
        """The server's top folder (public_html's parent)."""
        return self.server.root

    @property
    def root(self) -> Path:
        return self.server.root / REMOTE_ROOT

    def deploy(
        self,
        site: Path,
        *,
        overwrite_unmanaged: bool = False,
        allow_mass_delete: bool = False,
        quota_bytes: int = 10**9,
        events: list[DeployEvent] | None = None,
        journal_interval: float = 2.0,
        **target_changes,
    ) -> DeployResult:
        target = replace(self.target, **target_changes)
        credentials = Credentials(USER, self.password)
        layouts = plan_state_layouts(target.state_folder)
        with RemoteHost(
            lambda: open_transport(target, credentials),
            connections=3,
            retry=FAST_RETRY,
            report=events.append if events is not None else None,
        ) as remote:
            remote.tick = 0.02
            plan = plan_deploy(load_local_manifest(site), read_remote_state(remote, layouts))
            return publish(
                plan,
                remote,
                site,
                quota_bytes=quota_bytes,
                overwrite_unmanaged=overwrite_unmanaged,
                allow_mass_delete=allow_mass_delete,
                journal_interval=journal_interval,
                layouts=layouts,
            )

    def restart(self) -> None:
        """A new server process on the same port and folder, as after a host outage."""
        self.server.stop()
        if isinstance(self.server, SftpServer):
            fresh = SftpServer(self.server.root, self.server.port, self.server.host_key)
        else:
            fresh = FtpServer(self.server.root, self.server.port, self.server.certificate)
        self.server = fresh.start()


def start_host(protocol: str, home: Path, certificate: Certificate, **server_options) -> Host:
    extra: dict[str, str] = {}
    if protocol == "sftp":
        server: FtpServer | SftpServer = SftpServer(home, **server_options).start()
        extra["host_key_fingerprint"] = server.fingerprint
    else:
        tls = certificate if protocol == "ftps" else None
        server = FtpServer(home, certificate=tls, **server_options).start()
        if tls:
            extra["tls_fingerprint"] = certificate.sha256
    target = TargetConfig(
        name="test",
        protocol=protocol,
        host="127.0.0.1",
        port=server.port,
        remote_root=REMOTE_ROOT,
        timeout=5.0,
        **extra,
    )
    return Host(protocol, server, target, certificate)


@pytest.fixture
def start(tmp_path, certificate):
    """Start a host of the given protocol (with server options); stopped after the test."""
    running: list[Host] = []

    def start(protocol: str, **server_options) -> Host:
        host = start_host(protocol, tmp_path / f"host{len(running)}", certificate, **server_options)
        running.append(host)
        return host

    yield start
    for host in running:
        host.server.stop()


@pytest.fixture(params=["ftp", "ftps", "sftp"])
def host(request, start):
    return start(request.param)


@pytest.fixture
def ftp_host(start):
    return start("ftp")
