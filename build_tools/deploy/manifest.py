"""Content-hash manifests: what the site holds, and what the host holds.

The host keeps the manifest of the last completed deploy (gzipped JSON in the
deploy's own state folder, see `StateLayout`) and, while a deploy runs, a
journal of what that deploy has already put in place or is about to touch.
Comparing hashes, never FTP modification times, is what makes a rerun after a
fresh CI build upload only real changes; the journal is what makes an
interrupted deploy resumable.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.deploy.errors import DeployError
from build_tools.deploy.stamp import STAMP_NAME

MANIFEST_FORMAT = "ifte-deploy-manifest/1"
JOURNAL_FORMAT = "ifte-deploy-journal/1"


@dataclass(frozen=True)
class StateLayout:
    """Where a deploy keeps its manifest, journal and staging folder (relative to the root).

    By default that is a folder of its own in the remote root, which a `.htaccess`
    closes to browsers; `state_dir` in deploy.yml moves it outside the web root.
    """

    folder: str  # "" for the layout of earlier versions: the files in the root itself
    manifest: str
    journal: str
    staging: str
    public: bool  # inside the web root, so browsers could ask for it

    @property
    def guard(self) -> str:
        """The `.htaccess` that keeps browsers out of a public state folder."""
        return f"{self.folder}/.htaccess" if self.folder and self.public else ""


def format_state_layout(folder: str, *, public: bool) -> StateLayout:
    return StateLayout(
        folder,
        f"{folder}/manifest.json.gz",
        f"{folder}/journal.json.gz",
        f"{folder}/staging",
        public,
    )


# Dot names first; pure-ftpd may refuse dot files, so each has a plain fallback.
STATE_DIRS = (".ifte-deploy", "ifte-deploy")
STATE_LAYOUTS = tuple(format_state_layout(folder, public=True) for folder in STATE_DIRS)
# Earlier versions kept the files in the root itself: read, then removed, by a deploy.
LEGACY_LAYOUTS = (
    StateLayout("", ".ifte-manifest.json.gz", ".ifte-journal.json.gz", ".ifte-staging", True),
    StateLayout("", "ifte-manifest.json.gz", "ifte-journal.json.gz", "ifte-staging", True),
)
RESERVED_NAMES = frozenset(
    STATE_DIRS + tuple(name for x in LEGACY_LAYOUTS for name in (x.manifest, x.journal, x.staging))
)
# Denies every request for the folder, in Apache 2.4's words and 2.2's (LiteSpeed reads both).
GUARD_TEXT = b"""# ifte deploy: bookkeeping, not for browsers.
<IfModule mod_authz_core.c>
  Require all denied
</IfModule>
<IfModule !mod_authz_core.c>
  Order allow,deny
  Deny from all
</IfModule>
"""


def plan_state_layouts(state_dir: str = "") -> tuple[StateLayout, ...]:
    """Where an earlier deploy's bookkeeping may be, the layout to write to first.

    `state_dir` is relative to the remote root (e.g. `../../ifte-state`); every other
    layout is still read, so a host deployed to before keeps its manifest.
    """
    own = (format_state_layout(state_dir, public=False),) if state_dir else ()
    return own + STATE_LAYOUTS + LEGACY_LAYOUTS


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """Relative POSIX path → content, for every file one deploy manages."""

    files: Mapping[str, FileEntry] = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        return sum(entry.size for entry in self.files.values())


@dataclass(frozen=True)
class Journal:
    """What an unfinished deploy changed on the host, relative to the manifest.

    `changes` maps a path to its new content (or None once deleted); `pending`
    holds paths the deploy claimed but has not confirmed — their state on the
    host is unknown, so a rerun uploads or deletes them again.
    """

    changes: Mapping[str, FileEntry | None] = field(default_factory=dict)
    pending: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RemoteState:
    """The host as far as the deploy knows it (manifest with the journal applied)."""

    files: Mapping[str, FileEntry] = field(default_factory=dict)
    unknown: frozenset[str] = frozenset()
    manifest_name: str = ""  # the path of the manifest the host holds ("" = none)
    journal_name: str = ""  # set when an interrupted deploy left its journal
    journal: Journal | None = None
    layout: StateLayout | None = None  # where they were found

    @property
    def managed(self) -> frozenset[str]:
        """Every path a deploy put (or may have put) on the host: the only ones it may delete."""
        return frozenset(self.files) | self.unknown

    @property
    def total_bytes(self) -> int:
        return sum(entry.size for entry in self.files.values())


def load_local_manifest(site_dir: Path) -> Manifest:
    """Hash every file under the built site (symlinks followed, as a web server would)."""
    if not site_dir.is_dir():
        raise DeployError(
            f"ไม่พบโฟลเดอร์เว็บไซต์ {site_dir} — สร้างเว็บไซต์ก่อน (mkdocs build)",
            f"Site folder {site_dir} not found — build the site first (mkdocs build)",
        )
    files: dict[str, FileEntry] = {}
    for root, dirs, names in os.walk(site_dir, followlinks=True):
        dirs.sort()
        for name in sorted(names):
            path = Path(root, name)
            relative = path.relative_to(site_dir).as_posix()
            if relative == STAMP_NAME:
                continue  # the build's own record, checked before a deploy, not published
            if relative.split("/")[0] in RESERVED_NAMES:
                raise DeployError(
                    f"{relative}: ชื่อนี้สงวนไว้สำหรับระบบ deploy",
                    f"{relative}: this name is reserved for the deploy's own bookkeeping",
                )
            with path.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
                files[relative] = FileEntry(digest, os.fstat(handle.fileno()).st_size)
    return Manifest(files)


def format_manifest(manifest: Manifest) -> bytes:
    files = {path: [e.sha256, e.size] for path, e in sorted(manifest.files.items())}
    return _dump(MANIFEST_FORMAT, {"files": files})


def read_manifest(data: bytes, name: str) -> Manifest:
    body = _load(data, MANIFEST_FORMAT, name)
    try:
        return Manifest({str(p): FileEntry(str(h), int(s)) for p, (h, s) in body["files"].items()})
    except (ValueError, KeyError, TypeError) as error:
        raise _damaged(name, error) from None


def format_journal(journal: Journal) -> bytes:
    changes = {
        path: None if e is None else [e.sha256, e.size]
        for path, e in sorted(journal.changes.items())
    }
    return _dump(JOURNAL_FORMAT, {"changes": changes, "pending": sorted(journal.pending)})


def read_journal(data: bytes, name: str) -> Journal:
    body = _load(data, JOURNAL_FORMAT, name)
    try:
        changes = {
            str(p): None if v is None else FileEntry(str(v[0]), int(v[1]))
            for p, v in body["changes"].items()
        }
        return Journal(changes, frozenset(str(p) for p in body["pending"]))
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise _damaged(name, error) from None


def _dump(format_name: str, body: dict) -> bytes:
    text = json.dumps({"format": format_name, **body}, ensure_ascii=False, separators=(",", ":"))
    # mtime=0 keeps the bytes reproducible, so equal contents are equal files.
    return gzip.compress(text.encode("utf-8"), mtime=0)


def _load(data: bytes, format_name: str, name: str) -> dict:
    try:
        body = json.loads(gzip.decompress(data))
        if not isinstance(body, dict) or body.get("format") != format_name:
            raise ValueError(f"not {format_name}")
    except (OSError, EOFError, ValueError) as error:
        raise _damaged(name, error) from None
    return body


def _damaged(name: str, error: Exception) -> DeployError:
    return DeployError(
        f"ไฟล์ {name} บนเซิร์ฟเวอร์เสียหาย ({error}) — ลบไฟล์นี้บนโฮสต์แล้ว deploy ใหม่ "
        "พร้อม --overwrite-unmanaged",
        f"The host's {name} is damaged ({error}); delete it on the host and deploy "
        "again with --overwrite-unmanaged",
    )


def plan_remote_state(
    manifest: Manifest | None,
    journal: Journal | None,
    manifest_name: str = "",
    journal_name: str = "",
    layout: StateLayout | None = None,
) -> RemoteState:
    """Apply an interrupted deploy's journal to the last manifest."""
    files = dict(manifest.files) if manifest else {}
    unknown: set[str] = set()
    if journal:
        for path, entry in journal.changes.items():
            if entry is None:
                files.pop(path, None)
            else:
                files[path] = entry
        unknown = set(journal.pending)
        for path in unknown:
            files.pop(path, None)
    return RemoteState(files, frozenset(unknown), manifest_name, journal_name, journal, layout)
