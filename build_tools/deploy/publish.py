"""Carry out a deploy plan on the host, safely and resumably.

Every file is written into a staging folder in the remote root and renamed
into place, so a visitor (or a dropped connection) never sees half a file.
Before touching anything the deploy writes a journal on the host that claims
the paths it is about to change, and it records each confirmed rename there
every few seconds; the manifest is replaced only after everything succeeded.
A rerun reads the journal and finishes the job, re-sending only what was not
confirmed. Transient failures (dropped connections, 4xx replies, timeouts)
reconnect and retry with exponential backoff on a few parallel connections.
"""

from __future__ import annotations

import posixpath
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from secrets import token_hex
from typing import Any, TypeVar

from build_tools.deploy.budget import format_bytes
from build_tools.deploy.errors import DeployError, QuotaError, RemoteError, UnmanagedFileError
from build_tools.deploy.manifest import (
    JOURNAL_NAMES,
    MANIFEST_NAMES,
    STAGING_NAMES,
    FileEntry,
    Journal,
    RemoteState,
    format_journal,
    format_manifest,
    plan_remote_state,
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


def read_remote_state(host: RemoteHost) -> RemoteState:
    """The host's manifest with any interrupted deploy's journal applied."""

    def read(transport: Transport) -> RemoteState:
        manifest, manifest_name = _read_first(transport, MANIFEST_NAMES, read_manifest)
        # A journal sits beside the manifest under the same naming (dot or plain).
        journal_names = (
            JOURNAL_NAMES[MANIFEST_NAMES.index(manifest_name) :][:1]
            if manifest_name
            else JOURNAL_NAMES
        )
        journal, journal_name = _read_first(transport, journal_names, read_journal)
        return plan_remote_state(manifest, journal, manifest_name, journal_name)

    try:
        return host.call("read manifest", read)
    except RemoteError as error:
        raise DeployError(
            f"อ่านรายการไฟล์บนเซิร์ฟเวอร์ไม่ได้: {error.reason}",
            f"Cannot read the host's manifest: {error.reason}",
        ) from None


def _read_first(
    transport: Transport, names: Sequence[str], parse: Callable[[bytes, str], T]
) -> tuple[T | None, str]:
    for name in names:
        data = transport.read_file(name)
        if data is not None:
            return parse(data, name), name
    return None, ""


def check_quota(plan: DeployPlan, quota_bytes: int) -> None:
    """Refuse a deploy that would, even briefly, need more space than the plan has."""
    if plan.peak_bytes > quota_bytes:
        raise QuotaError(
            f"เว็บไซต์จะใช้พื้นที่ {format_bytes(plan.peak_bytes)} เกินโควตา "
            f"{format_bytes(quota_bytes)} — ลดขนาดไฟล์ใหญ่ (ดู ifte budget) ก่อน deploy",
            f"The site would need {format_bytes(plan.peak_bytes)} on the host, over the "
            f"{format_bytes(quota_bytes)} quota — shrink the largest files (see ifte budget)",
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
    journal_interval: float = 2.0,
) -> DeployResult:
    """Make the host match the plan's local manifest; raise `DeployError` on failure."""
    check_quota(plan, quota_bytes)
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
    return _Publisher(plan, host, site_dir, journal_interval).run()


class _Publisher:
    def __init__(self, plan: DeployPlan, host: RemoteHost, site_dir: Path, interval: float):
        self.plan, self.host, self.site_dir, self.interval = plan, host, site_dir, interval
        self.run_id = token_hex(4)
        self._counter = iter(range(1 << 62))
        journal = plan.remote.journal
        self.changes: dict[str, FileEntry | None] = dict(journal.changes) if journal else {}
        self.pending: set[str] = set(journal.pending) if journal else set()
        self.lock = threading.Lock()
        self.dirty = False
        self.flushed_at = 0.0
        self.flush_cost = 0.0
        self.plain_names = False  # the host refuses dot files
        self.direct = False  # the host refuses renames: write in place
        self.rename_replaces = True  # False: delete the old file before renaming over it
        self.warnings: list[str] = []
        self.uploaded = self.deleted = self.bytes_uploaded = 0

    @property
    def staging(self) -> str:
        return STAGING_NAMES[self.plain_names]

    def warn(self, thai: str, english: str) -> None:
        message = f"{thai} / {english}"
        self.warnings.append(message)
        self.host.report(DeployEvent("warning", message=message))

    def step(self, message: str) -> None:
        self.host.report(DeployEvent("step", message=message))

    def run(self) -> DeployResult:
        plan, host = self.plan, self.host
        resumed = plan.remote.journal is not None
        if resumed:
            self.step("ทำต่อจากครั้งที่แล้วที่ไม่เสร็จ / resuming an interrupted deploy")
        host.call("remote root", lambda t: t.make_root())
        self._prepare_staging(resumed)
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

    def _prepare_staging(self, resumed: bool) -> None:
        try:
            self.host.call("staging", lambda t: t.make_dir(STAGING_NAMES[0]))
        except RemoteError as error:
            if error.transient:
                raise _failed(
                    "เตรียมโฟลเดอร์ชั่วคราวไม่สำเร็จ", "Staging failed", [(".", error.reason)]
                ) from None
            self.plain_names = True
            self.warn(
                "เซิร์ฟเวอร์ไม่ยอมรับชื่อไฟล์ที่ขึ้นต้นด้วยจุด จะใช้ชื่อ ifte-manifest.json.gz แทน",
                f"the host refuses dot-file names ({error.reason}); using plain names for "
                "the manifest, journal and staging folder",
            )
            self._remote("staging", lambda t: t.make_dir(self.staging))
        if resumed:
            leftovers = self._remote("staging", lambda t: t.list_names(self.staging)) or set()
            self._in_batches(
                "ล้างไฟล์ชั่วคราวไม่สำเร็จ",
                "Cleaning the staging folder failed",
                [f"{self.staging}/{name}" for name in sorted(leftovers)],
                lambda t, paths: t.delete_many(paths),
                lambda path: None,
            )
        self._probe_rename()

    def _probe_rename(self) -> None:
        """Some hosts forbid renames; find out once, before any page is touched."""
        probe = f"{self.staging}/{self.run_id}-probe"
        moved = f"{'' if self.plain_names else '.'}ifte-probe-{self.run_id}"
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
            if not self.rename_replaces:
                return [
                    self._outcome(lambda u=u: self._replace(transport, staged[u.path], u))
                    for u in uploads
                ]
            outcomes = transport.rename_many([(staged[u.path], u.path) for u in uploads])
            for index, (upload, outcome) in enumerate(zip(uploads, outcomes, strict=True)):
                if outcome is not None and not outcome.transient and upload.reason != "new":
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
        self._write_control(JOURNAL_NAMES[self.plain_names], data)
        self.flushed_at = time.monotonic()
        self.flush_cost = self.flushed_at - started

    def _write_control(self, name: str, data: bytes) -> None:
        if self.direct:
            self._remote(name, lambda t: t.write_file(name, data))
            return
        temporary = f"{self.staging}/{self.run_id}-{next(self._counter)}"
        self._remote(name, lambda t: t.write_file(temporary, data))
        if self.rename_replaces:
            self._remote(name, lambda t: t.rename(temporary, name))
        else:
            self._remote(name, lambda t: (t.delete(name), t.rename(temporary, name)))

    def _write_manifest(self) -> None:
        manifest_name = MANIFEST_NAMES[self.plain_names]
        self._write_control(manifest_name, format_manifest(self.plan.local))
        stale = {JOURNAL_NAMES[self.plain_names], self.plan.remote.journal_name}
        if self.plan.remote.manifest_name not in ("", manifest_name):
            stale.add(self.plan.remote.manifest_name)
        for name in sorted(stale - {""}):
            self._remote(name, lambda t, name=name: t.delete(name))
        self.host.call("staging", lambda t: t.remove_dir(self.staging))

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


def _label(item: object) -> str:
    return item.path if isinstance(item, Upload) else str(item)


def _failed(thai: str, english: str, failures: Iterable[tuple[str, str]]) -> DeployError:
    failures = list(failures)
    shown = "\n".join(f"  {path}: {reason}" for path, reason in failures[:20])
    more = f"\n  … (+{len(failures) - 20})" if len(failures) > 20 else ""
    return DeployError(
        f"{thai} {len(failures)} รายการ:\n{shown}{more}\n"
        "งานที่เสร็จแล้วถูกบันทึกไว้ สั่ง ifte deploy อีกครั้งเพื่อทำต่อ",
        f"{english}: {len(failures)} item(s), listed above. "
        "Finished work is recorded; run ifte deploy again to finish.",
    )
