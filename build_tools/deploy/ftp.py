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
import posixpath
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

from build_tools.deploy.errors import HostVerificationError, LoginError, RemoteError
from build_tools.deploy.transport import Transport

_BLOCK = 64 * 1024


def _no_delay(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _Pipelined:
    """Round trips saved per file; at 40 ms each they decide a 3,000-file deploy.

    The transfer command goes out while the data connection is still opening,
    and RNFR/RNTO travel together: servers read commands in order, so this is
    plain FTP, just without waiting between lines.
    """

    def ntransfercmd(self, cmd, rest=None):
        if not self.passiveserver or rest is not None:
            conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
            _no_delay(conn)
            return conn, size
        host, port = self.makepasv()
        self.putcmd(cmd)
        try:
            conn = socket.create_connection((host, port), self.timeout)
        except OSError:
            self.getresp()  # a refusal (550 …) explains a failed data connection best
            raise
        _no_delay(conn)
        try:
            resp = self.getresp()
            if resp[0] == "2":
                resp = self.getresp()
            if resp[0] != "1":
                raise ftplib.error_reply(resp)
        except BaseException:
            conn.close()
            raise
        return conn, ftplib.parse150(resp) if resp[:3] == "150" else None

    def rename(self, fromname, toname):
        if any(c in fromname + toname for c in "\r\n"):
            raise ftplib.error_perm("553 file name contains a line break")
        self.sock.sendall(f"RNFR {fromname}\r\nRNTO {toname}\r\n".encode(self.encoding))
        replies = []
        for _ in range(2):  # read both replies even after a refusal, to stay in step
            try:
                replies.append(self.getresp())
            except (ftplib.error_perm, ftplib.error_temp) as error:
                replies.append(error)
        for reply in replies:
            if isinstance(reply, Exception):
                raise reply
        if not replies[0].startswith("3"):
            raise ftplib.error_reply(replies[0])
        return replies[1]


class _FTP(_Pipelined, ftplib.FTP):
    pass


class _FTP_TLS(_Pipelined, ftplib.FTP_TLS):
    """FTP_TLS whose data connections reuse the control session and skip Nagle."""

    pinned_sha256 = ""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = _Pipelined.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(
                conn, server_hostname=self.host, session=self.sock.session
            )
            if self.pinned_sha256:
                self.check_pin(conn)
        return conn, size

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

    def _new_client(self) -> ftplib.FTP:
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
        ftp, self._ftp = self._ftp, None
        if ftp is not None:
            with contextlib.suppress(Exception):
                ftp.close()

    def remote_path(self, path: str) -> str:
        relative = super().remote_path(path)
        return relative if relative.startswith("/") else posixpath.join(self._home, relative)

    @property
    def ftp(self) -> ftplib.FTP:
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
                self.ftp.retrbinary(f"RETR {name}", buffer.write, blocksize=_BLOCK)
            except ftplib.error_perm:
                # 550 missing, or 553 where pure-ftpd hides dot files: either way
                # there is nothing to read, and the plain-name fallback is tried.
                return None
        return buffer.getvalue()

    def write_file(self, path: str, source: Path | bytes) -> None:
        with self._errors("STOR", path):
            if isinstance(source, bytes):
                self.ftp.storbinary(f"STOR {self.remote_path(path)}", io.BytesIO(source), _BLOCK)
            else:
                with source.open("rb") as handle:
                    self.ftp.storbinary(f"STOR {self.remote_path(path)}", handle, _BLOCK)

    def rename(self, source: str, target: str) -> None:
        with self._errors("RNTO", target):
            self.ftp.rename(self.remote_path(source), self.remote_path(target))

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
            except ftplib.error_perm:
                # "Exists" and "forbidden" share reply codes; CWD tells them apart.
                try:
                    self.ftp.cwd(name)
                except ftplib.error_perm:
                    raise ftplib.error_perm(f"550 cannot create directory {name}") from None

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
