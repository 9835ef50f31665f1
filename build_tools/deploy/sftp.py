"""SFTP transport on asyncssh, driven synchronously.

Each transport owns a private event loop, running in its own thread, and waits
for one coroutine at a time on it, so the publisher's worker threads treat SFTP
exactly like FTP, and a caller that already runs an event loop (a notebook, a
test driving a browser) is not disturbed. The host key
is always checked: against `known_hosts` (the target's file, else
~/.ssh/known_hosts) or a pinned `host_key_fingerprint` as `ssh-keygen -l`
prints it. Replacing a file needs OpenSSH's `posix-rename` extension; without
it the publisher falls back to delete-then-rename and says so.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

import asyncssh

from build_tools.deploy.errors import (
    HostVerificationError,
    LoginError,
    RemoteError,
    is_permission_denied,
)
from build_tools.deploy.manifest import FileEntry
from build_tools.deploy.transport import Transport, check_upload

T = TypeVar("T")
_BLOCK = 4 * 1024 * 1024
_KEEPALIVES = 3  # unanswered keepalives, `timeout / _KEEPALIVES` apart, end a connection
_SLOWEST_RATE = 32 * 1024  # bytes a second: an upload's deadline grows with its size


class _PinnedHostKey(asyncssh.SSHClient):
    def __init__(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.seen = ""

    def validate_host_public_key(self, host, addr, port, key) -> bool:
        self.seen = key.get_fingerprint("sha256")
        return self.seen == self.fingerprint


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable  # asyncssh.connect() gives an awaitable, not a coroutine


def _quiet_after_abort(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # asyncssh's own tasks for an upload outlive a connection that was aborted; what
    # they then fail with has been reported already, as that connection's failure.
    if not isinstance(context.get("exception"), (asyncssh.Error, OSError)):
        loop.default_exception_handler(context)


class SftpTransport(Transport):
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _conn: asyncssh.SSHClientConnection | None = None
    _sftp: asyncssh.SFTPClient | None = None
    _posix_rename = True
    _broken = False  # the link failed: close without waiting for the server

    def _run(self, coroutine: Awaitable[T], timeout: float | None = None) -> T:
        """Wait for `coroutine` at most `timeout` seconds (the target's by default).

        The wait is the caller's, not `asyncio.wait_for`'s: a cancelled SFTP write
        awaits the server's answer to closing its file, so on a link that has gone
        silent `wait_for` would wait for ever. At the deadline the connection is
        aborted instead, which ends every request still waiting on it.
        """
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._loop.set_exception_handler(_quiet_after_abort)
            self._thread = threading.Thread(
                target=self._loop.run_forever, daemon=True, name="ifte-sftp-loop"
            )
            self._thread.start()
        limit = timeout or self.target.timeout
        future = asyncio.run_coroutine_threadsafe(_awaited(coroutine), self._loop)
        try:
            return future.result(limit)
        except concurrent.futures.TimeoutError:
            if not self._abort():
                future.cancel()  # still connecting: nothing to abort yet
            raise TimeoutError(f"no answer within {limit:.1f} s") from None

    def _abort(self) -> bool:
        """Drop the connection without a goodbye (a silent link would not carry one);
        False when there is none."""
        conn, loop = self._conn, self._loop
        self._broken = True
        if conn is None or loop is None or loop.is_closed():
            return False
        loop.call_soon_threadsafe(conn.abort)
        return True

    def connect(self) -> None:
        self.close()
        target, credentials = self.target, self.credentials
        pinned = _PinnedHostKey(target.host_key_fingerprint)
        try:
            keys = (
                [asyncssh.import_private_key(credentials.ssh_key)] if credentials.ssh_key else None
            )
        except (asyncssh.KeyImportError, ValueError) as error:
            raise LoginError(
                f"กุญแจ SSH ในตัวแปร {target.ssh_key_env} ใช้ไม่ได้ ({error}) — ต้องเป็นกุญแจที่ไม่มีรหัสผ่าน",
                f"The SSH key in {target.ssh_key_env} cannot be used ({error}); "
                "it must be a private key without a passphrase",
            ) from None
        options: dict[str, Any] = {
            "username": credentials.user,
            "password": credentials.password or None,
            "client_keys": keys,
            "agent_path": None,
            "config": None,
            "connect_timeout": target.timeout,
            "login_timeout": target.timeout,
            # A link that stops answering (no reset) is noticed within about `timeout`
            # even in the middle of a long upload, whose own deadline is longer.
            "keepalive_interval": max(1.0, target.timeout / _KEEPALIVES),
            "keepalive_count_max": _KEEPALIVES,
        }
        if target.host_key_fingerprint:
            # No trusted keys but a non-None list: asyncssh then asks the callback.
            options["known_hosts"] = ([], [], [])
            options["server_host_key_algs"] = "default"
            options["client_factory"] = lambda: pinned
        elif target.known_hosts:
            options["known_hosts"] = target.known_hosts
        try:
            self._conn = self._run(
                asyncssh.connect(target.host, target.port, **options), target.timeout * 2
            )
            self._sftp = self._run(self._conn.start_sftp_client())
        except asyncssh.PermissionDenied as error:
            self.close()
            raise LoginError(
                f"เข้าสู่ระบบ {target.host} ไม่สำเร็จ: ชื่อผู้ใช้ รหัสผ่าน หรือกุญแจไม่ถูกต้อง ({error.reason})",
                f"Login to {target.host} failed: wrong user name, password or key ({error.reason})",
            ) from None
        except asyncssh.HostKeyNotVerifiable as error:
            self.close()
            detail = f" (server key {pinned.seen})" if pinned.seen else ""
            raise HostVerificationError(
                f"ตรวจสอบกุญแจเซิร์ฟเวอร์ของ {target.host} ไม่ผ่าน{detail}",
                f"The host key of {target.host} is not trusted{detail}: {error.reason} "
                "(set known_hosts or host_key_fingerprint in deploy.yml)",
            ) from None
        except (TimeoutError, asyncssh.Error, OSError, EOFError) as error:
            self._broken = True
            self.close()
            reason = getattr(error, "reason", "") or str(error) or type(error).__name__
            raise RemoteError(f"connect {target.host}: {reason}", transient=True) from None

    def close(self) -> None:
        conn, loop, thread, broken = self._conn, self._loop, self._thread, self._broken
        self._conn = self._sftp = self._loop = self._thread = None
        self._broken = False
        if loop is None:
            return
        if conn is not None:
            # A broken link would not carry the goodbye: drop it at once.
            loop.call_soon_threadsafe(conn.abort if broken else conn.close)
            try:
                asyncio.run_coroutine_threadsafe(conn.wait_closed(), loop).result(2)
            except Exception:
                loop.call_soon_threadsafe(conn.abort)

        async def finish() -> None:
            # asyncssh leaves reader tasks behind; end them so none is destroyed pending.
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await loop.shutdown_asyncgens()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(finish(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)
        with contextlib.suppress(RuntimeError):  # still running: its thread is a daemon
            loop.close()

    def _call(
        self,
        action: str,
        path: str,
        coroutine: Coroutine[Any, Any, T],
        timeout: float | None = None,
    ) -> T:
        if self._sftp is None:
            coroutine.close()
            raise RemoteError(f"{action} {path}: not connected", transient=True)
        try:
            return self._run(coroutine, timeout)
        except Exception as error:
            raise self._classify(action, path, error) from None

    def _classify(self, action: str, path: str, error: Exception) -> RemoteError:
        if isinstance(error, RemoteError):  # an upload that came out short: already judged
            return error
        if isinstance(error, asyncssh.SFTPError) and not isinstance(
            error, (asyncssh.SFTPConnectionLost, asyncssh.SFTPNoConnection)
        ):
            reason = error.reason or type(error).__name__
            if isinstance(error, asyncssh.SFTPPermissionDenied) and not is_permission_denied(
                reason
            ):
                reason = f"permission denied ({reason})"
            return RemoteError(f"{action} {path}: {reason}", transient=False)
        if isinstance(error, (asyncssh.Error, OSError, TimeoutError, EOFError)):
            self._broken = True
            self.close()
            reason = getattr(error, "reason", "") or str(error) or type(error).__name__
            return RemoteError(f"{action} {path}: {reason}", transient=True)
        raise error

    def _concurrently(
        self, action: str, items: Sequence[T], run: Callable[[T], Coroutine[Any, Any, None]]
    ) -> list[RemoteError | None]:
        """Issue every request before awaiting any: SFTP answers them in turn on one channel."""

        async def gather() -> list[BaseException | None]:
            return await asyncio.gather(*(run(item) for item in items), return_exceptions=True)

        results = self._call(action, f"{len(items)} files", gather())
        outcomes: list[RemoteError | None] = []
        for item, result in zip(items, results, strict=True):
            if result is None:
                outcomes.append(None)
            elif isinstance(result, Exception):
                outcomes.append(self._classify(action, str(item), result))
            else:
                raise result
        return outcomes

    def rename_many(self, pairs: Sequence[tuple[str, str]]) -> list[RemoteError | None]:
        return self._concurrently("rename", pairs, lambda pair: self._rename(*pair))

    def make_dirs(self, paths: Sequence[str]) -> list[RemoteError | None]:
        return self._concurrently("mkdir", paths, self._make_dir)

    def delete_many(self, paths: Sequence[str]) -> list[RemoteError | None]:
        return self._concurrently("remove", paths, self._delete)

    @property
    def sftp(self) -> asyncssh.SFTPClient:
        assert self._sftp is not None
        return self._sftp

    def make_root(self) -> None:
        async def make_root() -> None:
            await self.sftp.makedirs(self.remote_path(""), exist_ok=True)

        self._call("mkdir", self.remote_path(""), make_root())

    def size(self, path: str) -> int | None:
        async def size() -> int | None:
            try:
                return (await self.sftp.stat(self.remote_path(path))).size
            except asyncssh.SFTPNoSuchFile:
                return None

        return self._call("stat", path, size())

    def check_many(self, files: Sequence[tuple[str, FileEntry]]) -> list[RemoteError | None]:
        """Stat a whole batch at once (SFTP has no hash that OpenSSH offers: size only)."""

        async def check(item: tuple[str, FileEntry]) -> None:
            path, entry = item
            try:
                size = (await self.sftp.stat(self.remote_path(path))).size
            except asyncssh.SFTPNoSuchFile:
                size = None
            mismatch = check_upload(path, entry, size)
            if mismatch is not None:
                raise mismatch

        return self._concurrently("stat", files, check)

    def read_file(self, path: str) -> bytes | None:
        async def read() -> bytes | None:
            try:
                async with self.sftp.open(self.remote_path(path), "rb") as handle:
                    return await handle.read()
            except asyncssh.SFTPNoSuchFile:
                return None

        return self._call("read", path, read())

    def write_file(self, path: str, source: Path | bytes) -> None:
        size = len(source) if isinstance(source, bytes) else source.stat().st_size
        # A big file may take longer than `timeout` on a slow link; the keepalives
        # notice a silent one sooner.
        deadline = self.target.timeout + size / _SLOWEST_RATE

        async def write() -> None:
            # open/write/close, not put(): put() stats the target first, one round trip more.
            async with self.sftp.open(self.remote_path(path), "wb") as handle:
                if isinstance(source, bytes):
                    await handle.write(source)
                    return
                with source.open("rb") as local:
                    while block := local.read(_BLOCK):
                        await handle.write(block)  # asyncssh pipelines each block's requests

        self._call("write", path, write(), deadline)

    def rename(self, source: str, target: str) -> None:
        self._call("rename", target, self._rename(source, target))

    async def _rename(self, source: str, target: str) -> None:
        old, new = self.remote_path(source), self.remote_path(target)
        if self._posix_rename:
            try:
                await self.sftp.posix_rename(old, new)
                return
            except asyncssh.SFTPOpUnsupported:
                self._posix_rename = False
        await self.sftp.rename(old, new)

    def delete(self, path: str) -> None:
        self._call("remove", path, self._delete(path))

    async def _delete(self, path: str) -> None:
        with contextlib.suppress(asyncssh.SFTPNoSuchFile):
            await self.sftp.remove(self.remote_path(path))

    def make_dir(self, path: str) -> None:
        self._call("mkdir", path, self._make_dir(path))

    async def _make_dir(self, path: str) -> None:
        try:
            await self.sftp.mkdir(self.remote_path(path))
        except asyncssh.SFTPError:
            # OpenSSH answers a plain "failure" for an existing directory.
            if not await self.sftp.isdir(self.remote_path(path)):
                raise

    def remove_dir(self, path: str) -> bool:
        async def remove_dir() -> bool:
            try:
                await self.sftp.rmdir(self.remote_path(path))
            except asyncssh.SFTPError:
                return False
            return True

        return self._call("rmdir", path, remove_dir())

    def list_names(self, path: str) -> set[str] | None:
        async def list_names() -> set[str] | None:
            try:
                names = await self.sftp.listdir(self.remote_path(path))
            except (asyncssh.SFTPNoSuchFile, asyncssh.SFTPNoSuchPath):
                return None
            return {str(name) for name in names} - {".", ".."}

        return self._call("listdir", path, list_names())
