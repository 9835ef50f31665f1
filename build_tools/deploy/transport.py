"""One interface over FTP, FTPS and SFTP connections.

A transport is one connection, used by one thread at a time, with paths
relative to the target's remote root. Every method either succeeds or raises
`RemoteError` (transient: reconnect and retry; permanent: report the file), or
a `DeployError` for problems no retry can fix (login refused, wrong host key).
The publisher builds everything else — temporary names, renames, ordering —
from these few operations, so all three protocols behave the same.
"""

from __future__ import annotations

import posixpath
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from build_tools.deploy.config import Credentials, TargetConfig
from build_tools.deploy.errors import RemoteError

T = TypeVar("T")


class Transport(ABC):
    def __init__(self, target: TargetConfig, credentials: Credentials) -> None:
        self.target = target
        self.credentials = credentials

    def remote_path(self, path: str) -> str:
        """`path` relative to the remote root, as the server needs it."""
        root = self.target.remote_root
        if not path:
            return root
        return posixpath.join(root, path) if root != "/" else "/" + path

    @abstractmethod
    def connect(self) -> None:
        """Open the connection and log in."""

    @abstractmethod
    def close(self) -> None:
        """Close quietly; safe to call on a broken or unopened connection."""

    @abstractmethod
    def make_root(self) -> None:
        """Create the remote root (and its parents) if missing."""

    @abstractmethod
    def read_file(self, path: str) -> bytes | None:
        """The file's bytes, or None when it does not exist."""

    @abstractmethod
    def write_file(self, path: str, source: Path | bytes) -> None:
        """Write (or overwrite) the file from a local file or bytes."""

    @abstractmethod
    def rename(self, source: str, target: str) -> None:
        """Rename, replacing `target` where the server allows it."""

    @abstractmethod
    def delete(self, path: str) -> None:
        """Delete the file; a file that is already gone is not an error."""

    @abstractmethod
    def make_dir(self, path: str) -> None:
        """Create the directory; an existing one is not an error."""

    @abstractmethod
    def remove_dir(self, path: str) -> bool:
        """Remove the directory if it is empty; False when it is not (or is gone)."""

    @abstractmethod
    def list_names(self, path: str) -> set[str] | None:
        """Names in the directory, or None when there is no such directory."""

    # Batches: one outcome per item (None = done). Subclasses send the whole batch
    # before reading any reply, so a batch costs about one round trip, not one per
    # item. When the connection fails, every item not yet confirmed gets that
    # (transient) error: its state on the host is unknown.

    def rename_many(self, pairs: Sequence[tuple[str, str]]) -> list[RemoteError | None]:
        return self._each(lambda pair: self.rename(*pair), pairs)

    def make_dirs(self, paths: Sequence[str]) -> list[RemoteError | None]:
        return self._each(self.make_dir, paths)

    def delete_many(self, paths: Sequence[str]) -> list[RemoteError | None]:
        return self._each(self.delete, paths)

    @staticmethod
    def _each(operation: Callable[[T], None], items: Sequence[T]) -> list[RemoteError | None]:
        outcomes: list[RemoteError | None] = []
        for item in items:
            try:
                operation(item)
            except RemoteError as error:
                outcomes.append(error)
                if error.transient:
                    outcomes += [error] * (len(items) - len(outcomes))
                    break
            else:
                outcomes.append(None)
        return outcomes


def open_transport(target: TargetConfig, credentials: Credentials) -> Transport:
    """An unconnected transport for the target's protocol."""
    if target.protocol == "sftp":
        from build_tools.deploy.sftp import SftpTransport

        return SftpTransport(target, credentials)
    from build_tools.deploy.ftp import FtpsTransport, FtpTransport

    cls = FtpsTransport if target.protocol == "ftps" else FtpTransport
    return cls(target, credentials)
