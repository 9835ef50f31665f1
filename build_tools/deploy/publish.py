"""Carry out a deploy plan on the host, safely and resumably.

Every file is written into a staging folder and renamed into place only once
the host holds all of it (its size, and its hash where the server can tell), so
a visitor (or a dropped connection) never sees half a file. The staging folder,
journal and manifest live in the deploy's own folder (`StateLayout`): outside
the web root with `state_dir`, else in the remote root behind a `.htaccess`.
Before touching anything the deploy writes a journal on the host that claims
the paths it is about to change, and it records each confirmed rename there
every few seconds; the manifest is replaced only after everything succeeded.
A rerun reads the journal and finishes the job, re-sending only what was not
confirmed. Transient failures (dropped connections, 4xx replies, timeouts)
reconnect and retry with exponential backoff on a few parallel connections.
"""

from __future__ import annotations

import hashlib
import posixpath
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from secrets import token_hex
from typing import Any, TypeVar

from build_tools.deploy.budget import format_bytes
from build_tools.deploy.errors import (
    DeployError,
    MassDeleteError,
    PermissionDeniedError,
    QuotaError,
    RemoteError,
    UnmanagedFileError,
    is_permission_denied,
)
from build_tools.deploy.manifest import (
    GUARD_TEXT,
    STATE_LAYOUTS,
    FileEntry,
    Journal,
    RemoteState,
    StateLayout,
    format_journal,
    format_manifest,
    plan_remote_state,
    plan_state_layouts,
    read_journal,
    read_manifest,
)
from build_tools.deploy.plan import TIER_NAMES, DeployPlan, Upload
from build_tools.deploy.remote import DeployEvent, RemoteHost
from build_tools.deploy.transport import Transport

T = TypeVar("T")
Item = TypeVar("Item")
_BATCH = 32  # renames, deletes or folders per round trip on one connection


@dataclass(frozen=True)
class DeployResult:
    uploaded: int = 0
    deleted: int = 0
    bytes_uploaded: int = 0
    resumed: bool = False
    warnings: tuple[str, ...] = ()


def read_remote_state(
    host: RemoteHost, layouts: Sequence[StateLayout] = plan_state_layouts()
) -> RemoteState:
    """The host's manifest with any interrupted deploy's journal applied.

    `layouts` are where to look, in order (`plan_state_layouts`): a journal is read
    beside the manifest found, or anywhere when there is no manifest yet.
    """

    def read(transport: Transport) -> RemoteState:
        for layout in layouts:
            data = transport.read_file(layout.manifest)
            if data is not None:
                manifest = read_manifest(data, layout.manifest)
                journal = _read_journal(transport, layout)
                journal_name = layout.journal if journal is not None else ""
                return plan_remote_state(manifest, journal, layout.manifest, journal_name, layout)
        for layout in layouts:
            journal = _read_journal(transport, layout)
            if journal is not None:
                return plan_remote_state(None, journal, "", layout.journal, layout)
        return plan_remote_state(None, None)

    try:
        return host.call("read manifest", read)
    except RemoteError as error:
        if error.denied:
            raise _denied([(".", error.reason)]) from None
        raise DeployError(
            f"อ่านรายการไฟล์บนเซิร์ฟเวอร์ไม่ได้: {error.reason}",
            f"Cannot read the host's manifest: {error.reason}",
        ) from None


def _read_journal(transport: Transport, layout: StateLayout) -> Journal | None:
    data = transport.read_file(layout.journal)
    return None if data is None else read_journal(data, layout.journal)


def check_quota(plan: DeployPlan, quota_bytes: int) -> None:
    """Refuse a deploy that would, even briefly, need more space than the plan has."""
    if plan.peak_bytes > quota_bytes:
        raise QuotaError(
            f"เว็บไซต์จะใช้พื้นที่ {format_bytes(plan.peak_bytes)} เกินโควตา "
            f"{format_bytes(quota_bytes)} — ลดขนาดไฟล์ใหญ่ (ดู ifte budget) ก่อน deploy",
            f"The site would need {format_bytes(plan.peak_bytes)} on the host, over the "
            f"{format_bytes(quota_bytes)} quota — shrink the largest files (see ifte budget)",
        )


MASS_DELETE_SHARE = 0.10  # of the files on the host
MASS_DELETE_MINIMUM = 20  # fewer is never a mass deletion, however small the site


def check_mass_delete(plan: DeployPlan, allowed: bool = False) -> None:
    """Refuse to delete a large share of the live site unless told to (--allow-mass-delete).

    A site folder that lost files (a build gone wrong, a wrong --site-dir) would
    otherwise take them off the web.
    """
    live, doomed = len(plan.remote.managed), len(plan.deletions)
    if allowed or doomed <= max(MASS_DELETE_MINIMUM, MASS_DELETE_SHARE * live):
        return
    share = 100 * doomed / live if live else 100
    raise MassDeleteError(
        f"deploy นี้จะลบ {doomed:,} จาก {live:,} ไฟล์บนเว็บไซต์จริง ({share:.0f}%) — ตรวจว่า "
        "โฟลเดอร์เว็บไซต์สร้างครบและเป็นโฟลเดอร์ที่ถูกต้อง (ดูด้วย --dry-run) ถ้าตั้งใจลบจริง "
        "สั่งซ้ำพร้อม --allow-mass-delete ไม่มีอะไรบนโฮสต์ถูกเปลี่ยน",
        f"This deploy would delete {doomed:,} of the {live:,} files on the live site "
        f"({share:.0f}%). Check that the site folder is complete and the right one (see "
        "--dry-run); if the deletions are meant, run again with --allow-mass-delete. "
        "Nothing on the host was changed.",
    )


def find_unmanaged(plan: DeployPlan, host: RemoteHost) -> tuple[str, ...]:
    """New paths where the host already holds a file no deploy put there.

    Lists only the directories on the way to new files, top down, and stops
    where a directory does not exist — so a deploy that only edits files lists
    nothing, and a first deploy into an empty folder lists one directory.
    """
    new = plan.new_paths
    if not new:
        return ()
    children: dict[str, set[str]] = {}
    for path in new:
        child = posixpath.dirname(path)
        while child:
            parent = posixpath.dirname(child)
            children.setdefault(parent, set()).add(child)
            child = parent
    listings: dict[str, set[str]] = {}
    found: dict[str, set[str] | None] = {}
    level = [""]
    while level:
        failures = host.map(
            lambda d: f"list {d or '.'}",
            lambda t, d: found.__setitem__(d, t.list_names(d)),
            level,
        )
        if failures:
            raise _failed("ตรวจรายการไฟล์บนเซิร์ฟเวอร์ไม่สำเร็จ", "Could not list", failures)
        next_level = []
        for directory in level:
            names = found.get(directory)
            if names is not None:
                listings[directory] = names
                next_level += sorted(
                    c for c in children.get(directory, ()) if posixpath.basename(c) in names
                )
        level = next_level
    return tuple(p for p in new if posixpath.basename(p) in listings.get(posixpath.dirname(p), ()))


def publish(
    plan: DeployPlan,
    host: RemoteHost,
    site_dir: Path,
    *,
    quota_bytes: int,
    overwrite_unmanaged: bool = False,
    allow_mass_delete: bool = False,
    journal_interval: float = 2.0,
    layouts: Sequence[StateLayout] = plan_state_layouts(),
) -> DeployResult:
    """Make the host match the plan's local manifest; raise `DeployError` on failure.

    The bookkeeping goes where `layouts[0]` says (see `plan_state_layouts`).
    """
    check_quota(plan, quota_bytes)
    check_mass_delete(plan, allow_mass_delete)
    if plan.is_empty and plan.remote.journal is None:
        return DeployResult()
    if not overwrite_unmanaged:
        clashes = find_unmanaged(plan, host)
        if clashes:
            listed = "\n".join(f"  {path}" for path in clashes[:20])
            more = f"\n  … (+{len(clashes) - 20})" if len(clashes) > 20 else ""
            raise UnmanagedFileError(
                f"มีไฟล์บนเซิร์ฟเวอร์ {len(clashes)} ไฟล์ที่ ifte deploy ไม่ได้วางไว้ "
                f"แต่เว็บไซต์จะเขียนทับ:\n{listed}{more}",
                f"{len(clashes)} files on the host were not put there by ifte deploy but the "
                "site would overwrite them. Move them away, or rerun with --overwrite-unmanaged "
                "if they are an older copy of this site.",
            )
    return _Publisher(plan, host, site_dir, journal_interval, layouts).run()


class _Publisher:
    def __init__(
        self,
        plan: DeployPlan,
        host: RemoteHost,
        site_dir: Path,
        interval: float,
        layouts: Sequence[StateLayout],
    ):
        self.plan, self.host, self.site_dir, self.interval = plan, host, site_dir, interval
        self.layout = layouts[0]  # the plain-named one where the host refuses dot files
        self.run_id = token_hex(4)
        self._counter = iter(range(1 << 62))
        journal = plan.remote.journal
        self.changes: dict[str, FileEntry | None] = dict(journal.changes) if journal else {}
        self.pending: set[str] = set(journal.pending) if journal else set()
        self.lock = threading.Lock()
        self.dirty = False
        self.flushed_at = 0.0
        self.flush_cost = 0.0
        self.direct = False  # the host refuses renames: write in place
        self.rename_replaces = True  # False: delete the old file before renaming over it
        self.warnings: list[str] = []
        self.uploaded = self.deleted = self.bytes_uploaded = 0

    @property
    def staging(self) -> str:
        return self.layout.staging

    def warn(self, thai: str, english: str) -> None:
        message = f"{thai} / {english}"
        self.warnings.append(message)
        self.host.report(DeployEvent("warning", message=message))

    def step(self, message: str) -> None:
        self.host.report(DeployEvent("step", message=message))

    def run(self) -> DeployResult:
        plan = self.plan
        resumed = plan.remote.journal is not None
        if resumed:
            self.step("ทำต่อจากครั้งที่แล้วที่ไม่เสร็จ / resuming an interrupted deploy")
        self._remote("remote root", lambda t: t.make_root())
        self._prepare_state(resumed)
        self.pending |= {u.path for u in plan.uploads} | set(plan.deletions)
        self._write_journal()
        self._make_dirs()
        for tier in plan.tiers():
            self.step(f"upload {TIER_NAMES[tier[0].tier]}: {len(tier)}")
            self._upload_tier(tier)
        if plan.deletions:
            self.step(f"delete: {len(plan.deletions)}")
        self._in_batches(
            "ลบไฟล์เก่าไม่สำเร็จ",
            "Delete failed",
            list(plan.deletions),
            lambda t, paths: t.delete_many(paths),
            self._deleted,
        )
        self._remove_stale_dirs()
        self._write_manifest()
        return DeployResult(
            self.uploaded, self.deleted, self.bytes_uploaded, resumed, tuple(self.warnings)
        )

    # -- setup ---------------------------------------------------------------

    def _prepare_state(self, resumed: bool) -> None:
        """The deploy's own folder (manifest, journal, staging), closed to browsers."""
        try:
            self._make_state_dirs(self.layout)
        except RemoteError as error:
            if error.transient or error.denied or self.layout != STATE_LAYOUTS[0]:
                raise _failed(
                    "สร้างโฟลเดอร์ของระบบ deploy ไม่สำเร็จ",
                    "Could not create the deploy's own folder",
                    [(self.layout.folder, error.reason)],
                ) from None
            plain = STATE_LAYOUTS[1]
            try:
                self._make_state_dirs(plain)
            except RemoteError as second:
                raise _failed(
                    "สร้างโฟลเดอร์ของระบบ deploy ไม่สำเร็จ",
                    "Could not create the deploy's own folder",
                    [(self.layout.folder, error.reason), (plain.folder, second.reason)],
                ) from None
            self.layout = plain
            self.warn(
                f"เซิร์ฟเวอร์ไม่ยอมรับชื่อที่ขึ้นต้นด้วยจุด จะใช้โฟลเดอร์ {plain.folder}/ แทน",
                f"the host refuses dot-file names ({error.reason}); using {plain.folder}/ "
                "for the manifest, journal and staging folder",
            )
        if self.layout.guard:
            self._guard_state_dir()
        if resumed:
            stagings = {self.staging}
            if self.plan.remote.layout is not None:
                stagings.add(self.plan.remote.layout.staging)
            for staging in sorted(stagings):
                leftovers = self._remote("staging", lambda t, s=staging: t.list_names(s)) or set()
                self._in_batches(
                    "ล้างไฟล์ชั่วคราวไม่สำเร็จ",
                    "Cleaning the staging folder failed",
                    [f"{staging}/{name}" for name in sorted(leftovers)],
                    lambda t, paths: t.delete_many(paths),
                    lambda path: None,
                )
        self._probe_rename()

    def _make_state_dirs(self, layout: StateLayout) -> None:
        parts = layout.folder.split("/")
        up = len(parts) - len([part for part in parts if part != ".."])  # `state_dir`: ../..
        folders = ["/".join(parts[:end]) for end in range(up + 1, len(parts) + 1)]
        for folder in [*folders, layout.staging]:
            self.host.call("state", lambda t, folder=folder: t.make_dir(folder))

    def _guard_state_dir(self) -> None:
        """A `.htaccess` denying browsers the manifest, journal and staged files."""
        guard = self.layout.guard
        try:
            self.host.call(guard, lambda t: t.write_file(guard, GUARD_TEXT))
        except RemoteError as error:
            if error.transient:
                raise _failed(
                    "คำสั่งบนเซิร์ฟเวอร์ไม่สำเร็จ", "Remote operation failed", [(guard, error.reason)]
                ) from None
            self.warn(
                f"เขียน {guard} ไม่ได้ ผู้เข้าชมอาจเปิดดูไฟล์ในโฟลเดอร์ {self.layout.folder}/ ได้ "
                "ตั้ง state_dir ใน deploy.yml ให้อยู่นอกโฟลเดอร์เว็บ",
                f"cannot write {guard} ({error.reason}): browsers may read the deploy's "
                f"bookkeeping in {self.layout.folder}/; set state_dir in deploy.yml to a "
                "folder outside the web root",
            )

    def _probe_rename(self) -> None:
        """Some hosts forbid renames; find out once, before any page is touched."""
        probe = f"{self.staging}/{self.run_id}-probe"
        # Into the web root, where the site's files go: a `state_dir` on another disk
        # cannot rename there, and must be found out now.
        moved = f"ifte-probe-{self.run_id}.tmp"
        self._remote("probe", lambda t: t.write_file(probe, b"ifte deploy probe\n"))
        try:
            self.host.call("probe", lambda t: t.rename(probe, moved))
        except RemoteError as error:
            if error.transient:
                raise _failed(
                    "ทดสอบเซิร์ฟเวอร์ไม่สำเร็จ", "Probe failed", [(probe, error.reason)]
                ) from None
            self.direct = True
            self.warn(
                "เซิร์ฟเวอร์ไม่อนุญาตให้เปลี่ยนชื่อไฟล์ จะเขียนทับไฟล์โดยตรง ผู้เข้าชมอาจเห็นไฟล์ที่ยังอัปโหลดไม่ครบชั่วขณะ",
                f"the host forbids renames ({error.reason}); files are written in place, so a "
                "visitor may briefly see a partly uploaded file",
            )
            self._remote("probe", lambda t: t.delete(probe))
            return
        self._remote("probe", lambda t: t.delete(moved))

    def _make_dirs(self) -> None:
        by_depth: dict[int, list[str]] = {}
        for directory in self.plan.new_dirs:
            by_depth.setdefault(directory.count("/"), []).append(directory)
        for depth in sorted(by_depth):  # parents before children
            self._in_batches(
                "สร้างโฟลเดอร์ไม่สำเร็จ",
                "Could not create folders",
                by_depth[depth],
                lambda t, dirs: t.make_dirs(dirs),
                lambda directory: None,
            )

    # -- the work ------------------------------------------------------------

    def _upload_tier(self, tier: Sequence[Upload]) -> None:
        """Send the tier's files into staging, then rename them into place in batches.

        Staging first means a batch of renames — one round trip for dozens of
        files — is all that separates the old pages from the new ones.
        """
        if self.direct:

            def write_in_place(transport: Transport, upload: Upload) -> None:
                transport.write_file(upload.path, self.site_dir / upload.path)
                _raise_first(transport.check_many([(upload.path, upload.entry)]))
                self._placed(upload)

            failures = self.host.map(lambda u: u.path, write_in_place, tier, self._maybe_flush)
            if failures:
                raise self._stopped("อัปโหลดไม่สำเร็จ", "Upload failed", failures)
            return
        staged = {u.path: f"{self.staging}/{self.run_id}-{next(self._counter)}" for u in tier}
        failures = self.host.map(
            lambda u: u.path,
            lambda t, u: t.write_file(staged[u.path], self.site_dir / u.path),
            tier,
            self._maybe_flush,
        )
        if failures:
            raise self._stopped("อัปโหลดไม่สำเร็จ", "Upload failed", failures)

        def place(transport: Transport, uploads: list[Upload]) -> list[RemoteError | None]:
            # Only a staged file that is whole goes live; a short one is sent again.
            checks = transport.check_many([(staged[u.path], u.entry) for u in uploads])
            whole = [u for u, check in zip(uploads, checks, strict=True) if check is None]
            renamed = iter(rename(transport, whole) if whole else [])
            return [next(renamed) if check is None else check for check in checks]

        def rename(transport: Transport, uploads: list[Upload]) -> list[RemoteError | None]:
            if not self.rename_replaces:
                return [
                    self._outcome(lambda u=u: self._replace(transport, staged[u.path], u))
                    for u in uploads
                ]
            outcomes = transport.rename_many([(staged[u.path], u.path) for u in uploads])
            for index, (upload, outcome) in enumerate(zip(uploads, outcomes, strict=True)):
                if (
                    outcome is not None
                    and not outcome.transient
                    and not outcome.denied  # deleting first would only leave a hole
                    and upload.reason != "new"
                ):
                    # pure-ftpd and SFTP without posix-rename refuse to rename over a file.
                    outcomes[index] = self._outcome(
                        lambda u=upload, o=outcome: self._replace(transport, staged[u.path], u, o)
                    )
            return outcomes

        def restage(transport: Transport, uploads: list[Upload]) -> None:
            # A rename whose reply was lost may or may not have happened: send the file again.
            for upload in uploads:
                transport.write_file(staged[upload.path], self.site_dir / upload.path)

        self._in_batches("อัปโหลดไม่สำเร็จ", "Upload failed", list(tier), place, self._placed, restage)

    def _replace(
        self,
        transport: Transport,
        temporary: str,
        upload: Upload,
        refusal: RemoteError | None = None,
    ) -> None:
        """Rename over an existing file on hosts that refuse to: delete it first."""
        transport.delete(upload.path)
        transport.rename(temporary, upload.path)
        if refusal is None:
            return
        with self.lock:
            if not self.rename_replaces:
                return
            self.rename_replaces = False
        self.warn(
            "เซิร์ฟเวอร์ไม่ยอมเปลี่ยนชื่อทับไฟล์เดิม จะลบไฟล์เดิมก่อน (หน้านั้นหายไปชั่วครู่ระหว่างสองคำสั่ง)",
            f"the host cannot rename over an existing file ({refusal.reason}); deleting "
            "first, which leaves a brief gap per file",
        )

    @staticmethod
    def _outcome(operation: Callable[[], None]) -> RemoteError | None:
        try:
            operation()
        except RemoteError as error:
            return error
        return None

    def _placed(self, upload: Upload) -> None:
        with self.lock:
            self.changes[upload.path] = upload.entry
            self.pending.discard(upload.path)
            self.dirty = True
            self.uploaded += 1
            self.bytes_uploaded += upload.entry.size
        self.host.report(DeployEvent("upload", upload.path, upload.entry.size))

    def _deleted(self, path: str) -> None:
        with self.lock:
            self.changes[path] = None
            self.pending.discard(path)
            self.dirty = True
            self.deleted += 1
        self.host.report(DeployEvent("delete", path))

    def _in_batches(
        self,
        thai: str,
        english: str,
        items: list[Item],
        run: Callable[[Transport, list[Item]], list[RemoteError | None]],
        done: Callable[[Item], None],
        redo: Callable[[Transport, list[Item]], None] | None = None,
    ) -> None:
        """Run `run` over batches on the parallel connections; retry what was not confirmed.

        An item whose outcome was lost with the connection is retried with its
        batch (after `redo`, e.g. uploading the file again); an item refused
        outright is reported, never recorded as done.
        """
        batches = [_Batch(items[i : i + _BATCH]) for i in range(0, len(items), _BATCH)]

        def operation(transport: Transport, batch: _Batch) -> None:
            if redo is not None and batch.unconfirmed:
                redo(transport, [batch.items[i] for i in sorted(batch.unconfirmed)])
            todo = [i for i in range(len(batch.items)) if i not in batch.settled]
            outcomes = run(transport, [batch.items[i] for i in todo])
            lost = None
            for index, outcome in zip(todo, outcomes, strict=True):
                if outcome is None:
                    batch.settled.add(index)
                    batch.unconfirmed.discard(index)
                    done(batch.items[index])
                elif outcome.transient:
                    batch.unconfirmed.add(index)
                    lost = outcome
                else:
                    batch.settled.add(index)
                    batch.failed[index] = outcome.reason
            if lost is not None:
                raise lost

        given_up = self.host.map(
            lambda b: f"{_label(b.items[0])} (+{len(b.items) - 1})",
            operation,
            batches,
            self._maybe_flush,
        )
        failures = [(_label(b.items[i]), why) for b in batches for i, why in b.failed.items()]
        for batch, why in given_up:
            failures += [
                (_label(item), why) for i, item in enumerate(batch.items) if i not in batch.settled
            ]
        if failures:
            raise self._stopped(thai, english, failures)

    def _stopped(self, thai: str, english: str, failures: list[tuple[Any, str]]) -> DeployError:
        """Record what did finish, then the error to raise; the failures are the story."""
        try:
            self._write_journal()
        except DeployError:
            pass  # the host is unreachable; the journal from the last flush stands
        return _failed(thai, english, [(_label(item), why) for item, why in failures])

    def _remove_stale_dirs(self) -> None:
        # Deepest first; a folder that still holds someone else's files stays.
        by_depth: dict[int, list[str]] = {}
        for directory in self.plan.stale_dirs:
            by_depth.setdefault(directory.count("/"), []).append(directory)
        for depth in sorted(by_depth, reverse=True):
            self.host.map(lambda d: d, lambda t, d: t.remove_dir(d), by_depth[depth])

    # -- bookkeeping on the host ------------------------------------------------

    def _maybe_flush(self) -> None:
        # On a slow link a big journal costs real time: keep it under ~20% of the run.
        wait = max(self.interval, 4 * self.flush_cost)
        if self.dirty and time.monotonic() - self.flushed_at >= wait:
            self._write_journal()

    def _write_journal(self) -> None:
        started = time.monotonic()
        with self.lock:
            data = format_journal(Journal(dict(self.changes), frozenset(self.pending)))
            self.dirty = False
        self._write_control(self.layout.journal, data)
        self.flushed_at = time.monotonic()
        self.flush_cost = self.flushed_at - started

    def _write_control(self, name: str, data: bytes) -> None:
        entry = FileEntry(hashlib.sha256(data).hexdigest(), len(data))

        def send(transport: Transport, path: str) -> None:
            transport.write_file(path, data)
            _raise_first(transport.check_many([(path, entry)]))

        if self.direct:
            self._remote(name, lambda t: send(t, name))
            return
        temporary = f"{self.staging}/{self.run_id}-{next(self._counter)}"
        self._remote(name, lambda t: send(t, temporary))
        if self.rename_replaces:
            self._remote(name, lambda t: t.rename(temporary, name))
        else:
            self._remote(name, lambda t: (t.delete(name), t.rename(temporary, name)))

    def _write_manifest(self) -> None:
        layout, remote = self.layout, self.plan.remote
        self._write_control(layout.manifest, format_manifest(self.plan.local))
        stale = {layout.journal, remote.journal_name, remote.manifest_name} - {"", layout.manifest}
        for name in sorted(stale):
            self._remote(name, lambda t, name=name: t.delete(name))
        self.host.call("staging", lambda t: t.remove_dir(layout.staging))
        if remote.layout is not None and remote.layout != layout:
            self._retire(remote.layout)

    def _retire(self, old: StateLayout) -> None:
        """Clear away the folder an earlier deploy kept its bookkeeping in (best effort)."""

        def clear(transport: Transport) -> None:
            transport.remove_dir(old.staging)
            if old.guard:
                transport.delete(old.guard)
            if old.folder:
                transport.remove_dir(old.folder)

        try:
            self.host.call("clean up", clear)
        except RemoteError as error:
            self.warn(
                f"ลบโฟลเดอร์เก่าของระบบ deploy ไม่ได้ ({old.folder or old.staging}) ลบเองได้",
                f"could not remove the deploy's old folder {old.folder or old.staging} "
                f"({error.reason}); it may be removed by hand",
            )

    def _remote(self, what: str, operation: Callable[[Transport], T]) -> T:
        try:
            return self.host.call(what, operation)
        except RemoteError as error:
            raise _failed(
                "คำสั่งบนเซิร์ฟเวอร์ไม่สำเร็จ", "Remote operation failed", [(what, error.reason)]
            ) from None


@dataclass
class _Batch:
    """Items sent together; which of them are settled survives a retry of the batch."""

    items: list
    settled: set[int] = field(default_factory=set)  # done, or refused for good
    unconfirmed: set[int] = field(default_factory=set)  # outcome lost with the connection
    failed: dict[int, str] = field(default_factory=dict)


def _raise_first(outcomes: Iterable[RemoteError | None]) -> None:
    for outcome in outcomes:
        if outcome is not None:
            raise outcome


def _label(item: object) -> str:
    return item.path if isinstance(item, Upload) else str(item)


def _failed(thai: str, english: str, failures: Iterable[tuple[str, str]]) -> DeployError:
    failures = list(failures)
    denied = [(path, reason) for path, reason in failures if is_permission_denied(reason)]
    if denied:
        return _denied(denied)
    return DeployError(
        f"{thai} {len(failures)} รายการ:\n{_list(failures)}\n"
        "งานที่เสร็จแล้วถูกบันทึกไว้ สั่ง ifte deploy อีกครั้งเพื่อทำต่อ",
        f"{english}: {len(failures)} item(s), listed above. "
        "Finished work is recorded; run ifte deploy again to finish.",
    )


def _denied(failures: list[tuple[str, str]]) -> PermissionDeniedError:
    return PermissionDeniedError(
        f"โฮสต์ไม่อนุญาตให้บัญชีนี้เขียนหรือลบ {len(failures)} รายการ (permission denied):\n"
        f"{_list(failures)}\n"
        "ขอให้ผู้ให้บริการโฮสต์เปิดสิทธิ์เขียนโฟลเดอร์ remote_root (และ state_dir ถ้าตั้งไว้) "
        "ให้บัญชี FTP/SFTP นี้ แล้วสั่ง ifte deploy อีกครั้ง",
        f"Permission denied: the host does not let this account change {len(failures)} "
        "item(s), listed above. Ask the hosting provider to give the FTP/SFTP account write "
        "access to remote_root (and state_dir, if set), then run ifte deploy again.",
    )


def _list(failures: list[tuple[str, str]]) -> str:
    shown = "\n".join(f"  {path}: {reason}" for path, reason in failures[:20])
    more = f"\n  … (+{len(failures) - 20})" if len(failures) > 20 else ""
    return shown + more
