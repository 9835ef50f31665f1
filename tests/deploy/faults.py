"""A TCP proxy on 127.0.0.1 that stands between a deploy and a test server and misbehaves
like a bad network: it can end an FTP upload's data connection early while the client
goes on sending (the server, seeing the connection close, answers 226 for a short file),
or go silent — forward nothing more, close nothing — on every connection, new ones too.

For FTP it rewrites the server's 227 (PASV) replies so that data connections pass
through the proxy as well. Blocking sockets and one thread per direction: simple, and
plenty for a test's handful of connections.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading

_PASV = re.compile(rb"^227 .*\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)")


class FaultProxy:
    def __init__(self, server_port: int, ftp: bool = False) -> None:
        self.server_port = server_port
        self.ftp = ftp
        self.cut_after = 0  # bytes of an upload let through before its data connection ends
        self.cuts_left = 0  # how many uploads to cut short (each larger than cut_after)
        self.cuts = 0
        self.silent = threading.Event()
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = self._listen()
        self.port = self._listener.getsockname()[1]

    def __enter__(self) -> FaultProxy:
        self._spawn(self._accept_forever, self._listener, self._relay_control)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def cut_uploads(self, after: int, count: int = 1_000_000) -> None:
        self.cut_after, self.cuts_left = after, count

    def go_silent(self) -> None:
        """From now on nothing passes either way, and nothing is closed."""
        self.silent.set()

    def stop(self) -> None:
        self.stopped.set()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    # -- plumbing -----------------------------------------------------------------

    def _listen(self) -> socket.socket:
        listener = socket.create_server(("127.0.0.1", 0))
        self._keep(listener)
        return listener

    def _keep(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
        return sock

    def _spawn(self, target, *args) -> None:
        threading.Thread(target=target, args=args, daemon=True).start()

    def _accept_forever(self, listener: socket.socket, relay, once: bool = False) -> None:
        while not self.stopped.is_set():
            try:
                client, _address = listener.accept()
            except OSError:
                return
            self._keep(client)
            relay(client)
            if once:
                return

    def _wait_if_silent(self) -> bool:
        """Hold on while silent; False once the proxy is stopped."""
        while self.silent.is_set():
            if self.stopped.wait(0.05):
                return False
        return not self.stopped.is_set()

    def _connect(self, port: int) -> socket.socket | None:
        try:
            return self._keep(socket.create_connection(("127.0.0.1", port), timeout=10))
        except OSError:
            return None

    def _relay_control(self, client: socket.socket) -> None:
        def start() -> None:
            if not self._wait_if_silent():
                return
            upstream = self._connect(self.server_port)
            if upstream is None:
                client.close()
                return
            upstream.settimeout(None)
            self._spawn(self._pump, client, upstream, None)
            self._spawn(self._pump, upstream, client, self._ftp_replies() if self.ftp else None)

        self._spawn(start)

    def _pump(self, source: socket.socket, target: socket.socket, transform=None) -> None:
        """Forward until `source` closes. `transform(chunk)` gives the bytes to send
        instead, and whether to end the connection towards `target` after them (what
        `source` sends after that is read and dropped)."""
        ended = False
        while True:
            try:
                chunk = source.recv(65536)
            except OSError:
                chunk = b""
            if not self._wait_if_silent():
                return
            if not chunk:
                if not ended:
                    with contextlib.suppress(OSError):
                        target.shutdown(socket.SHUT_WR)
                return
            if ended:
                continue
            if transform is not None:
                chunk, ended = transform(chunk)
            try:
                target.sendall(chunk)
                if ended:
                    target.shutdown(socket.SHUT_WR)
            except OSError:
                return

    def _ftp_replies(self):
        pending = b""

        def transform(chunk: bytes) -> tuple[bytes, bool]:
            nonlocal pending
            *lines, pending = (pending + chunk).split(b"\r\n")  # replies come in lines
            return b"".join(self._rewrite_pasv(line) + b"\r\n" for line in lines), False

        return transform

    def _upload_cutter(self):
        sent = 0

        def transform(chunk: bytes) -> tuple[bytes, bool]:
            nonlocal sent
            with self._lock:
                cut = self.cuts_left > 0 and sent + len(chunk) > self.cut_after
                if cut:
                    self.cuts_left -= 1
                    self.cuts += 1
            if cut:  # the server sees the upload end here, and answers 226
                chunk = chunk[: self.cut_after - sent]
            sent += len(chunk)
            return chunk, cut

        return transform

    def _rewrite_pasv(self, line: bytes) -> bytes:
        found = _PASV.match(line)
        if not found:
            return line
        numbers = [int(n) for n in found.groups()]
        server_data_port = numbers[4] * 256 + numbers[5]
        listener = self._listen()
        port = listener.getsockname()[1]
        self._spawn(
            self._accept_forever,
            listener,
            lambda client: self._relay_data(client, server_data_port),
            True,
        )
        return b"227 Entering Passive Mode (127,0,0,1,%d,%d)." % (port // 256, port % 256)

    def _relay_data(self, client: socket.socket, server_data_port: int) -> None:
        upstream = self._connect(server_data_port)
        if upstream is None:
            client.close()
            return
        upstream.settimeout(None)
        self._spawn(self._pump, client, upstream, self._upload_cutter())
        self._spawn(self._pump, upstream, client, None)
