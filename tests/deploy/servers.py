"""Real FTP, FTPS and SFTP servers on 127.0.0.1, in-process, for deploy tests and the bench.

pyftpdlib serves FTP and explicit FTPS (self-signed certificate made here);
asyncssh serves SFTP with a fresh ed25519 host key. Each server runs its own
event loop in a thread, logs the operations clients make (so tests can check
what a deploy did on the wire) and can imitate the hosts we meet: dropping a
connection on the N-th upload, stopping outright mid-deploy, refusing dot-file
names or renames over an existing file (pure-ftpd).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import ipaddress
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

USER, PASSWORD = "deploy", "s3cret-test"
# A handler of our own stops pyftpdlib from configuring chatty INFO logging.
logging.getLogger("pyftpdlib").addHandler(logging.NullHandler())
logging.getLogger("pyftpdlib").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Certificate:
    pem: Path  # certificate followed by its key, as pyftpdlib wants it
    cert_only: Path  # the certificate alone: a CA file for clients
    sha256: str  # lowercase hex of the DER certificate


def make_certificate(directory: Path) -> Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "server.pem").write_bytes(cert_pem + key_pem)
    (directory / "ca.pem").write_bytes(cert_pem)
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    return Certificate(directory / "server.pem", directory / "ca.pem", digest)


class _Server:
    """What both server kinds share: a thread, an operation log, failure switches."""

    def __init__(self, root: Path, port: int = 0, address: str = "127.0.0.1") -> None:
        self.root = root
        self.port = port
        self.address = address
        self.log: list[tuple[str, str]] = []
        self.uploads = 0
        self.drop_on_upload = 0  # close the uploading connection on this upload (1-based)
        self.stop_on_upload = 0  # stop the whole server on this upload
        self.on_upload = None  # called with the upload count, e.g. to kill the client
        self.on_data = None  # SFTP: called on every block of data written
        self.stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, op: str, path: str) -> None:
        """Log an operation; paths relative to the login folder, whatever the protocol."""
        self.log.append((op, path.lstrip("/")))

    def ops(self, *names: str) -> list[tuple[str, str]]:
        return [entry for entry in self.log if entry[0] in names]

    def count_upload(self) -> str:
        """Called on every upload; says what the failure switches want done."""
        self.uploads += 1
        if self.on_upload is not None:
            self.on_upload(self.uploads)
        if self.stop_on_upload and self.uploads == self.stop_on_upload:
            return "stop"
        if self.drop_on_upload and self.uploads == self.drop_on_upload:
            return "drop"
        return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class FtpServer(_Server):
    """pyftpdlib on 127.0.0.1; FTPS (explicit TLS, required) when given a certificate."""

    def __init__(
        self,
        root: Path,
        port: int = 0,
        certificate: Certificate | None = None,
        refuse_dot_files: bool = False,
        refuse_rename_over: bool = False,
        refuse_renames: bool = False,
        address: str = "127.0.0.1",
        passive_ports: range | None = None,
        read_only: bool = False,
        offer_hash: bool = False,
    ) -> None:
        super().__init__(root, port, address)
        self.passive_ports = passive_ports
        self.read_only = read_only  # the account may list and read, nothing more
        self.offer_hash = offer_hash  # HASH (SHA-256), as ProFTPD's mod_digest offers it
        self.corrupt_uploads = 0  # flip a byte (same size) in this many stored site files
        self.certificate = certificate
        self.refuse_dot_files = refuse_dot_files
        self.refuse_rename_over = refuse_rename_over
        self.refuse_renames = refuse_renames
        self._stop_requested = threading.Event()

    def _handler(self) -> type[FTPHandler]:
        server = self
        base = TLS_FTPHandler if self.certificate else FTPHandler

        class Handler(base):  # type: ignore[misc,valid-type]
            auth_failed_timeout = 0.05
            proto_cmds = {
                **base.proto_cmds,
                "HASH": dict(perm="r", auth=True, arg=True, help="Syntax: HASH <SP> file-name."),
            }

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if server.offer_hash:
                    self._extra_feats.append("HASH SHA-256*")

            def ftp_HASH(self, path):
                if not server.offer_hash:
                    self.respond("502 Command not implemented.")
                    return
                try:
                    data = Path(path).read_bytes()
                except OSError:
                    self.respond("550 No such file.")
                    return
                digest = hashlib.sha256(data).hexdigest()
                name = self.fs.fs2ftp(path)
                self.respond(f"213 SHA-256 0-{max(0, len(data) - 1)} {digest} {name}")

            def on_file_received(self, file):
                # Files of 2 KB and more: the site's images, not the deploy's bookkeeping.
                if server.corrupt_uploads and os.path.getsize(file) >= 2000:
                    server.corrupt_uploads -= 1
                    with open(file, "r+b") as handle:
                        first = handle.read(1)
                        handle.seek(0)
                        handle.write(bytes([first[0] ^ 0xFF]))

            if server.certificate:
                certfile = str(server.certificate.pem)
                tls_control_required = True
                tls_data_required = True
                ssl_context = None  # one context per server, not shared across tests

            def _refuse_dot(self, path: str) -> bool:
                if server.refuse_dot_files and os.path.basename(path).startswith("."):
                    self.respond("553 Prohibited file name.")  # what pure-ftpd answers
                    return True
                return False

            def ftp_STOR(self, file, mode="w"):
                server.record("STOR", self.fs.fs2ftp(file))
                if self._refuse_dot(file):
                    return None
                action = server.count_upload()
                if action == "drop":
                    self.close()
                    return None
                result = super().ftp_STOR(file, mode)
                if action == "stop":
                    server._stop_requested.set()
                return result

            def ftp_RETR(self, file):
                server.record("RETR", self.fs.fs2ftp(file))
                return super().ftp_RETR(file)

            def ftp_NLST(self, path):
                server.record("NLST", self.fs.fs2ftp(path))
                return super().ftp_NLST(path)

            def ftp_LIST(self, path):
                server.record("LIST", self.fs.fs2ftp(path))
                return super().ftp_LIST(path)

            def ftp_MLSD(self, path):
                server.record("MLSD", self.fs.fs2ftp(path))
                return super().ftp_MLSD(path)

            def ftp_MKD(self, path):
                server.record("MKD", self.fs.fs2ftp(path))
                if self._refuse_dot(path):
                    return None
                return super().ftp_MKD(path)

            def ftp_RNFR(self, path):
                if server.refuse_renames:
                    self.respond("550 Permission denied.")
                    return None
                return super().ftp_RNFR(path)

            def ftp_RNTO(self, path):
                server.record("RNTO", self.fs.fs2ftp(path))
                if self._refuse_dot(path):
                    self._rnfr = None
                    return None
                if server.refuse_rename_over and os.path.exists(path):
                    self._rnfr = None
                    self.respond("553 Rename/move failure: destination exists.")
                    return None
                return super().ftp_RNTO(path)

            def ftp_DELE(self, path):
                server.record("DELE", self.fs.fs2ftp(path))
                return super().ftp_DELE(path)

            def ftp_RMD(self, path):
                server.record("RMD", self.fs.fs2ftp(path))
                return super().ftp_RMD(path)

        return Handler

    def start(self) -> FtpServer:
        self.root.mkdir(parents=True, exist_ok=True)
        handler = self._handler()
        authorizer = DummyAuthorizer()
        perm = "elr" if self.read_only else "elradfmwMT"  # pyftpdlib: 550 Not enough privileges
        authorizer.add_user(USER, PASSWORD, str(self.root), perm=perm)
        handler.authorizer = authorizer
        handler.passive_ports = self.passive_ports
        self._server = FTPServer((self.address, self.port), handler, ioloop=IOLoop())
        self._server.max_cons = 64
        self.port = self._server.address[1]
        self.stopped.clear()
        self._stop_requested.clear()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stop_requested.is_set():
            self._server.ioloop.loop(timeout=0.02, blocking=False)
        self._server.close_all()  # every client connection drops, mid-transfer or not
        self.stopped.set()

    def stop(self) -> None:
        self._stop_requested.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None


class SftpServer(_Server):
    """asyncssh SFTP on 127.0.0.1, chrooted to `root`, password login."""

    def __init__(
        self,
        root: Path,
        port: int = 0,
        host_key=None,
        address: str = "127.0.0.1",
        read_only: bool = False,
    ) -> None:
        super().__init__(root, port, address)
        self.read_only = read_only  # every change answered FX_PERMISSION_DENIED
        self.host_key = host_key or asyncssh.generate_private_key("ssh-ed25519")
        self.fingerprint = self.host_key.get_fingerprint("sha256")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connections: set[asyncssh.SSHServerConnection] = set()

    def _factories(self):
        server = self

        class Auth(asyncssh.SSHServer):
            def connection_made(self, conn):
                self.conn = conn
                server._connections.add(conn)

            def connection_lost(self, exc):
                server._connections.discard(self.conn)

            def begin_auth(self, username):
                return True

            def password_auth_supported(self):
                return True

            def validate_password(self, username, password):
                return username == USER and password == PASSWORD

        def denied() -> None:
            if server.read_only:
                raise asyncssh.SFTPPermissionDenied("Permission denied")

        class Files(asyncssh.SFTPServer):
            def __init__(self, chan):
                super().__init__(chan, chroot=str(server.root))

            def open(self, path, pflags, attrs):
                name = path.decode()
                if pflags & asyncssh.FXF_WRITE:
                    server.record("write", name)
                    denied()
                    action = server.count_upload()
                    if action == "drop":
                        self.channel.get_connection().abort()
                    elif action == "stop":
                        server._loop.call_soon(server._halt)
                else:
                    server.record("read", name)
                return super().open(path, pflags, attrs)

            def write(self, file_obj, offset, data):
                if server.on_data is not None:  # e.g. the link goes silent mid-upload
                    server.on_data()
                return super().write(file_obj, offset, data)

            def scandir(self, path):
                server.record("list", path.decode())
                return super().scandir(path)

            def mkdir(self, path, attrs):
                server.record("mkdir", path.decode())
                denied()
                return super().mkdir(path, attrs)

            def posix_rename(self, oldpath, newpath):
                server.record("rename", newpath.decode())
                denied()
                return super().posix_rename(oldpath, newpath)

            def rename(self, oldpath, newpath):
                server.record("rename", newpath.decode())
                denied()
                return super().rename(oldpath, newpath)

            def remove(self, path):
                server.record("remove", path.decode())
                denied()
                return super().remove(path)

            def rmdir(self, path):
                server.record("rmdir", path.decode())
                denied()
                return super().rmdir(path)

        return Auth, Files

    def start(self) -> SftpServer:
        self.root.mkdir(parents=True, exist_ok=True)
        ready = threading.Event()
        self.stopped.clear()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            auth, files = self._factories()
            self._listener = self._loop.run_until_complete(
                asyncssh.listen(
                    self.address,
                    self.port,
                    server_host_keys=[self.host_key],
                    server_factory=auth,
                    sftp_factory=files,
                    allow_scp=False,
                    reuse_address=True,
                )
            )
            self.port = self._listener.get_port()
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(asyncio.sleep(0.05))
            self._loop.close()
            self.stopped.set()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(5)
        return self

    def _halt(self) -> None:
        self._listener.close()
        for conn in list(self._connections):
            conn.abort()
        self._loop.stop()

    def stop(self) -> None:
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._halt)
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
