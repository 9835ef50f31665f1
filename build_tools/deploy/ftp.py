"""FTP and FTPS (explicit TLS) transports on the standard library's `ftplib`.

Two details make FTPS work on real hosts: data connections resume the control
connection's TLS session (vsftpd's default `require_ssl_reuse=YES` answers 522
otherwise), and data sockets set TCP_NODELAY (without it the TLS shutdown after
each file waits on a delayed ACK, 23–43 ms per file). The server's certificate
is always verified — against the system CAs, a `ca_file`, or a pinned SHA-256
fingerprint; there is deliberately no switch to skip verification.
"""

from __future__ import annotations

import contextlib
import ftplib
import hashlib
import io
import os
import posixpath
import re
import socket
import ssl
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TypeVar

from build_tools.deploy.errors import (
    HostVerificationError,
    LoginError,
    RemoteError,
    is_permission_denied,
)
from build_tools.deploy.manifest import FileEntry
from build_tools.deploy.transport import Transport, check_upload

_BLOCK = 64 * 1024
_EARLY_SEND = 256 * 1024  # a refused STOR of this much still fits in the socket buffers
_PIPELINE = 32  # commands in flight per connection: a few KB, far below socket buffers
T = TypeVar("T")


def _no_delay(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _Pipelined:
    """An ftplib client that spends fewer round trips per file.

    Round trips decide a deploy's time: at 40 ms each, one saved per file is
    15 s over 3,000 files on 8 connections. So TYPE I goes once per connection
    (ftplib repeats it before every transfer), the transfer command goes out
    while the data connection opens, and a small plain-FTP upload is sent
    without waiting for the 150 reply (a refusal still arrives, and is read).
    """

    _binary = False

    def _binary_mode(self) -> None:
        if not self._binary:
            self.voidcmd("TYPE I")
            self._binary = True

    def retrlines(self, cmd, callback=None):
        self._binary = False  # ftplib switches to TYPE A for listings
        return ftplib.FTP.retrlines(self, cmd, callback)

    def _open_data(self, cmd: str) -> tuple[socket.socket, bool]:
        """The data connection, and whether the 1xx reply was already read."""
        if not self.passiveserver:
            conn, _size = ftplib.FTP.ntransfercmd(self, cmd)
            return conn, True
        host, port = self.makepasv()
        self.putcmd(cmd)
        try:
            conn = socket.create_connection((host, port), self.timeout)
        except OSError:
            self.getresp()  # a refusal (550 …) explains a failed data connection best
            raise
        _no_delay(conn)
        return conn, False

    def _preliminary(self) -> None:
        resp = self.getresp()
        if resp[0] == "2":
            resp = self.getresp()
        if resp[0] != "1":
            raise ftplib.error_reply(resp)

    def _wrap_data(self, conn: socket.socket) -> socket.socket:
        return conn

    def ntransfercmd(self, cmd, rest=None):
        conn, ready = self._open_data(cmd)
        try:
            if not ready:
                self._preliminary()
            return self._wrap_data(conn), None
        except BaseException:
            conn.close()
            raise

    def retrieve(self, cmd: str, callback) -> None:
        self._binary_mode()
        with self.transfercmd(cmd) as data:
            while chunk := data.recv(_BLOCK):
                callback(chunk)
            if isinstance(data, ssl.SSLSocket):
                data.unwrap()
        self.voidresp()

    def store(self, cmd: str, source: BinaryIO, size: int) -> None:
        self._binary_mode()
        conn, ready = self._open_data(cmd)
        # TLS cannot start before the server is ready, so FTPS always waits.
        early = not ready and size <= _EARLY_SEND and not isinstance(self, ftplib.FTP_TLS)
        try:
            if not ready and not early:
                self._preliminary()
            with self._wrap_data(conn) as data:
                while chunk := source.read(_BLOCK):
                    data.sendall(chunk)
                if isinstance(data, ssl.SSLSocket):
                    data.unwrap()  # close_notify: the server must see the upload was whole
        except OSError:
            conn.close()
            if early:
                self._preliminary()  # a refused STOR explains the broken connection
            raise
        if early:
            self._preliminary()
        self.voidresp()


class _FTP(_Pipelined, ftplib.FTP):
    pass


class _FTP_TLS(_Pipelined, ftplib.FTP_TLS):
    """Data connections resume the control connection's TLS session."""

    pinned_sha256 = ""

    def _wrap_data(self, conn: socket.socket) -> socket.socket:
        if not self._prot_p:
            return conn
        data = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        if self.pinned_sha256:
            self.check_pin(data)
        return data

    def check_pin(self, sock: ssl.SSLSocket) -> None:
        der = sock.getpeercert(binary_form=True)
        if der is None and getattr(sock, "session_reused", False):
            return  # a resumed session is the pinned server's by construction
        seen = hashlib.sha256(der or b"").hexdigest()
        if seen != self.pinned_sha256:
            pretty = ":".join(seen[i : i + 2] for i in range(0, 64, 2)).upper()
            raise HostVerificationError(
                f"ใบรับรองของ {self.host} ไม่ตรงกับ tls_fingerprint ที่ตั้งไว้ (ได้ sha256:{pretty})",
                f"The certificate of {self.host} does not match tls_fingerprint "
                f"(server presented sha256:{pretty})",
            )


class FtpTransport(Transport):
    _ftp: ftplib.FTP | None = None
    _home = "/"
    _hashing: str | None = None  # "HASH", "XSHA256" or "" (neither); None: not asked yet

    def _new_client(self) -> _FTP | _FTP_TLS:
        return _FTP(timeout=self.target.timeout)

    def _secure(self, ftp: ftplib.FTP) -> None:
        """Hook for FTPS: upgrade the control connection before logging in."""

    def connect(self) -> None:
        self.close()
        ftp = self._new_client()
        with self._errors("connect", self.target.host):
            ftp.connect(self.target.host, self.target.port)
            _no_delay(ftp.sock)
            self._secure(ftp)
            try:
                ftp.login(self.credentials.user, self.credentials.password)
            except ftplib.error_perm as error:
                ftp.close()
                raise LoginError(
                    f"เข้าสู่ระบบ {self.target.host} ไม่สำเร็จ: ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง ({error})",
                    f"Login to {self.target.host} failed: wrong user name or password ({error})",
                ) from None
            if isinstance(ftp, ftplib.FTP_TLS):
                ftp.prot_p()
            ftp.set_pasv(self.target.passive)
            # Absolute paths from here on: no CWD state to lose on reconnect.
            self._home = ftp.pwd() or "/"
        self._ftp = ftp

    def close(self) -> None:
        ftp, self._ftp, self._hashing = self._ftp, None, None
        if ftp is not None:
            with contextlib.suppress(Exception):
                ftp.close()

    def remote_path(self, path: str) -> str:
        relative = super().remote_path(path)
        return relative if relative.startswith("/") else posixpath.join(self._home, relative)

    @property
    def ftp(self) -> _FTP | _FTP_TLS:
        if self._ftp is None:
            raise RemoteError("not connected", transient=True)
        return self._ftp

    @contextlib.contextmanager
    def _errors(self, action: str, path: str) -> Iterator[None]:
        try:
            yield
        except ssl.SSLCertVerificationError as error:
            self.close()
            raise HostVerificationError(
                f"ตรวจสอบใบรับรองของ {self.target.host} ไม่ผ่าน: {error.verify_message}",
                f"Cannot verify the certificate of {self.target.host}: {error.verify_message}"
                " (set ca_file or tls_fingerprint in deploy.yml)",
            ) from None
        except ftplib.error_perm as error:
            raise RemoteError(f"{action} {path}: {error}", transient=False) from None
        except (ftplib.Error, OSError, EOFError) as error:
            # 4xx replies, dropped or timed-out connections: worth reconnecting for.
            self.close()
            raise RemoteError(
                f"{action} {path}: {error or type(error).__name__}", transient=True
            ) from None

    def make_root(self) -> None:
        root = self.remote_path("")
        with self._errors("CWD", root):
            try:
                self.ftp.cwd(root)
                return
            except ftplib.error_perm:
                pass
        parts = root.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            self._mkd("/" + "/".join(parts[:depth]))

    def read_file(self, path: str) -> bytes | None:
        buffer = io.BytesIO()
        name = self.remote_path(path)
        with self._errors("RETR", path):
            try:
                self.ftp.retrieve(f"RETR {name}", buffer.write)
            except ftplib.error_perm:
                # 550 missing, or 553 where pure-ftpd hides dot files: either way
                # there is nothing to read, and the plain-name fallback is tried.
                return None
        return buffer.getvalue()

    def write_file(self, path: str, source: Path | bytes) -> None:
        command = f"STOR {self.remote_path(path)}"
        with self._errors("STOR", path):
            if isinstance(source, bytes):
                self.ftp.store(command, io.BytesIO(source), len(source))
            else:
                with source.open("rb") as handle:
                    self.ftp.store(command, handle, os.fstat(handle.fileno()).st_size)

    def size(self, path: str) -> int | None:
        with self._errors("SIZE", path):
            self.ftp._binary_mode()  # servers refuse SIZE in ASCII mode
            try:
                return _parse_size(self.ftp.sendcmd(f"SIZE {self.remote_path(path)}"))
            except ftplib.error_perm as error:
                if _missing(error):
                    return None
                raise

    def _hash_command(self) -> str:
        """HASH (draft-bryan-ftpext-hash) or XSHA256, where the server offers them.

        FEAT is asked once per connection; most shared hosts offer neither, and then
        only the size is checked (`check_many`).
        """
        if self._hashing is not None:
            return self._hashing
        self._hashing = ""
        with self._errors("FEAT", ""):
            try:
                features = self.ftp.sendcmd("FEAT").splitlines()[1:-1]
            except ftplib.error_perm:
                return ""  # 500/502: no FEAT
            for line in features:
                name, _space, options = line.strip().upper().partition(" ")
                if name == "HASH" and "SHA-256" in options:
                    if "SHA-256*" not in options:  # not the selected one yet
                        try:
                            self.ftp.sendcmd("OPTS HASH SHA-256")
                        except ftplib.error_perm:
                            continue
                    self._hashing = "HASH"
                    break
                if name == "XSHA256":
                    self._hashing = "XSHA256"
        return self._hashing

    def check_many(self, files: Sequence[tuple[str, FileEntry]]) -> list[RemoteError | None]:
        """SIZE (and HASH) for a whole batch in one round trip."""
        if not files:
            return []
        hashing = self._hash_command()
        with self._errors("TYPE", "I"):
            self.ftp._binary_mode()

        def build(item: tuple[str, FileEntry]) -> list[str]:
            name = self.remote_path(item[0])
            return [f"SIZE {name}"] + ([f"{hashing} {name}"] if hashing else [])

        def judge(item: tuple[str, FileEntry], replies) -> RemoteError | None:
            path, entry = item
            reply = replies[0]
            if isinstance(reply, ftplib.Error) and not _missing(reply):
                transient = isinstance(reply, ftplib.error_temp)
                return RemoteError(f"SIZE {path}: {reply}", transient=transient)
            try:
                size = None if isinstance(reply, ftplib.Error) else _parse_size(reply)
            except ftplib.error_proto as error:
                return RemoteError(f"SIZE {path}: {error}", transient=False)
            digest = None
            if hashing and not isinstance(replies[1], ftplib.Error):
                digest = _parse_digest(replies[1])
            return check_upload(path, entry, size, digest)

        return self._batches(files, build, judge)

    def rename(self, source: str, target: str) -> None:
        outcome = self.rename_many([(source, target)])[0]
        if outcome is not None:
            raise outcome

    def _pipeline(self, commands: list[str]) -> tuple[list[str | ftplib.Error], str]:
        """Send every command, then read the replies in order.

        Servers read commands one after another from the connection, so this is
        plain FTP without the wait between lines (lftp pipelines the same way).
        Returns the replies (an error object for a 4xx/5xx) and, if the
        connection failed part-way, why — the missing replies are then unknown.
        """
        if any(c in command for command in commands for c in "\r\n"):
            raise RemoteError("a file name contains a line break", transient=False)
        ftp = self.ftp
        replies: list[str | ftplib.Error] = []
        try:
            ftp.sock.sendall("".join(f"{c}\r\n" for c in commands).encode(ftp.encoding))
            for _command in commands:
                try:
                    replies.append(ftp.getresp())
                except (ftplib.error_perm, ftplib.error_temp) as error:
                    replies.append(error)
        except (ftplib.Error, OSError, EOFError) as error:
            self.close()
            return replies, str(error) or type(error).__name__
        return replies, ""

    def _batches(self, items: Sequence[T], build, judge) -> list[RemoteError | None]:
        """Pipeline `build(item)` commands in chunks; `judge(item, replies)` gives the outcome."""
        outcomes: list[RemoteError | None] = []
        for start in range(0, len(items), _PIPELINE):
            chunk = items[start : start + _PIPELINE]
            commands = [build(item) for item in chunk]
            replies, lost = self._pipeline([c for group in commands for c in group])
            at = 0
            for item, group in zip(chunk, commands, strict=True):
                mine = replies[at : at + len(group)]
                at += len(group)
                if len(mine) < len(group):
                    outcomes.append(RemoteError(f"{group[-1]}: {lost}", transient=True))
                else:
                    outcomes.append(judge(item, mine))
            if lost:
                error = RemoteError(f"connection lost: {lost}", transient=True)
                return outcomes + [error] * (len(items) - len(outcomes))
        return outcomes

    def rename_many(self, pairs: Sequence[tuple[str, str]]) -> list[RemoteError | None]:
        def build(pair):
            return [f"RNFR {self.remote_path(pair[0])}", f"RNTO {self.remote_path(pair[1])}"]

        def judge(pair, replies):
            for reply in replies:  # a refused RNFR makes RNTO answer 503: report the first
                if isinstance(reply, ftplib.Error):
                    transient = isinstance(reply, ftplib.error_temp)
                    return RemoteError(f"RNTO {pair[1]}: {reply}", transient=transient)
            return None

        return self._batches(pairs, build, judge)

    def make_dirs(self, paths: Sequence[str]) -> list[RemoteError | None]:
        def judge(path, replies):
            if not isinstance(replies[0], ftplib.Error):
                return None
            try:
                with self._errors("MKD", path):
                    self._check_dir(self.remote_path(path), replies[0])
            except RemoteError as error:
                return error
            return None

        return self._batches(paths, lambda p: [f"MKD {self.remote_path(p)}"], judge)

    def delete_many(self, paths: Sequence[str]) -> list[RemoteError | None]:
        def judge(path, replies):
            reply = replies[0]
            if not isinstance(reply, ftplib.Error) or str(reply).startswith("550"):
                return None  # 550: already gone
            transient = isinstance(reply, ftplib.error_temp)
            return RemoteError(f"DELE {path}: {reply}", transient=transient)

        return self._batches(paths, lambda p: [f"DELE {self.remote_path(p)}"], judge)

    def delete(self, path: str) -> None:
        with self._errors("DELE", path):
            try:
                self.ftp.delete(self.remote_path(path))
            except ftplib.error_perm as error:
                if not str(error).startswith("550"):
                    raise

    def make_dir(self, path: str) -> None:
        self._mkd(self.remote_path(path))

    def _mkd(self, name: str) -> None:
        with self._errors("MKD", name):
            try:
                self.ftp.mkd(name)
            except ftplib.error_perm as error:
                self._check_dir(name, error)

    def _check_dir(self, name: str, refusal: ftplib.Error) -> None:
        """After a refused MKD: "exists" and "forbidden" share reply codes; CWD tells them apart."""
        try:
            self.ftp.cwd(name)
        except ftplib.error_perm:
            raise ftplib.error_perm(f"cannot create directory {name}: {refusal}") from None

    def remove_dir(self, path: str) -> bool:
        with self._errors("RMD", path):
            try:
                self.ftp.rmd(self.remote_path(path))
            except ftplib.error_perm:
                return False
        return True

    def list_names(self, path: str) -> set[str] | None:
        with self._errors("NLST", path):
            try:
                names = self.ftp.nlst(self.remote_path(path))
            except (ftplib.error_perm, ftplib.error_temp):
                return None  # 550/450: no such directory (some servers: empty)
        return {posixpath.basename(n.rstrip("/")) for n in names} - {"", ".", ".."}


def _missing(reply: ftplib.Error) -> bool:
    """A 550 that says the file is not there (550 is also "permission denied")."""
    text = str(reply)
    return text.startswith("550") and not is_permission_denied(text)


def _parse_size(reply: str) -> int:
    try:
        return int(reply[3:].strip())
    except ValueError:
        raise ftplib.error_proto(f"unexpected SIZE reply: {reply}") from None


_SHA256 = re.compile(r"\b[0-9a-fA-F]{64}\b")


def _parse_digest(reply: str) -> str | None:
    """The SHA-256 in a HASH reply (`213 SHA-256 0-49 <hex> <name>`) or an XSHA256 one."""
    found = _SHA256.search(reply[4:])
    return found.group().lower() if found else None


class FtpsTransport(FtpTransport):
    """Explicit TLS (AUTH TLS on the FTP port), control and data encrypted."""

    def _new_client(self) -> ftplib.FTP:
        target = self.target
        if target.tls_fingerprint:
            # Pinning replaces CA trust: the exact certificate is checked below.
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            context = ssl.create_default_context(cafile=target.ca_file or None)
        client = _FTP_TLS(context=context, timeout=target.timeout)
        client.pinned_sha256 = target.tls_fingerprint
        return client

    def _secure(self, ftp: ftplib.FTP) -> None:
        assert isinstance(ftp, _FTP_TLS)
        ftp.auth()
        if ftp.pinned_sha256:
            try:
                ftp.check_pin(ftp.sock)
            except HostVerificationError:
                ftp.close()
                raise
