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
from build_tools.deploy.manifest import FileEntry

T = TypeVar("T")


class Transport(ABC):
    def __init__(self, target: TargetConfig, credentials: Credentials) -> None:
        self.target = target
        self.credentials = credentials

    def remote_path(self, path: str) -> str:
        """`path` relative to the remote root, as the server needs it.

        `..` is resolved here (a `state_dir` outside the web root is `../…` from it),
        so servers never see it.
        """
        root = self.target.remote_root
        if not path:
            return root
        return posixpath.normpath(posixpath.join(root, path) if root != "/" else "/" + path)

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
    def size(self, path: str) -> int | None:
        """The file's size in bytes, or None when there is no such file."""

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

    def check_many(self, files: Sequence[tuple[str, FileEntry]]) -> list[RemoteError | None]:
        """Whether each uploaded file on the host is the one sent (see `check_upload`);
        by size here, by hash too where a transport's server can tell."""
        outcomes: list[RemoteError | None] = []
        for path, entry in files:
            try:
                outcomes.append(check_upload(path, entry, self.size(path)))
            except RemoteError as error:
                outcomes.append(error)
                if error.transient:
                    outcomes += [error] * (len(files) - len(outcomes))
                    break
        return outcomes

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


def check_upload(
    path: str, entry: FileEntry, size: int | None, sha256: str | None = None
) -> RemoteError | None:
    """Whether the host's `path`, of `size` bytes and the SHA-256 the server computed
    (None where it cannot), is `entry`.

    A file that is not is a transient failure: the connection cut it short (a server
    may answer 226 to a data connection that merely closed early), and sending it
    again is the cure. It must never be renamed into place nor recorded as done.
    """
    if size != entry.size:
        held = "nothing" if size is None else f"{size:,} bytes"
        return RemoteError(
            f"{path}: after the upload the host holds {held}, not {entry.size:,} bytes",
            transient=True,
        )
    if sha256 is not None and sha256 != entry.sha256:
        return RemoteError(f"{path}: the host's copy differs (SHA-256 {sha256})", transient=True)
    return None
