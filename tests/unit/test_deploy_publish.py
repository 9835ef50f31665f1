"""The publisher's ordering, retries and bookkeeping, on an in-memory host."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from build_tools.deploy.config import Credentials, TargetConfig
from build_tools.deploy.errors import DeployError, RemoteError
from build_tools.deploy.manifest import (
    RESERVED_NAMES,
    STATE_LAYOUTS,
    load_local_manifest,
    read_journal,
)
from build_tools.deploy.plan import plan_deploy
from build_tools.deploy.publish import publish, read_remote_state
from build_tools.deploy.remote import RemoteHost, RetryPolicy
from build_tools.deploy.transport import Transport

TARGET = TargetConfig("t", "ftp", "h", 21, "www")
DOT = STATE_LAYOUTS[0]


class MemoryHost:
    """Files and folders of a pretend host, shared by all its connections."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.dirs: set[str] = {""}
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.fail: dict[tuple[str, str], list[RemoteError]] = {}
        self.writes_before_outage = -1

    def do(self, op: str, path: str) -> None:
        with self.lock:
            self.log.append((op, path))
            if op in ("write", "connect") and self.writes_before_outage == 0:
                raise RemoteError("connection refused", transient=True)
            if op == "write" and self.writes_before_outage > 0:
                self.writes_before_outage -= 1
            queued = self.fail.get((op, path))
            if queued:
                raise queued.pop(0)


class MemoryTransport(Transport):
    def __init__(self, host: MemoryHost):
        super().__init__(TARGET, Credentials("u", "p"))
        self.host = host

    def connect(self):
        self.host.do("connect", "")

    def close(self):
        pass

    def make_root(self):
        pass

    def read_file(self, path):
        self.host.do("read", path)
        return self.host.files.get(path)

    def write_file(self, path, source):
        self.host.do("write", path)
        self.host.files[path] = source if isinstance(source, bytes) else Path(source).read_bytes()

    def size(self, path):
        self.host.do("size", path)
        data = self.host.files.get(path)
        return None if data is None else len(data)

    def rename(self, source, target):
        self.host.do("rename", target)
        self.host.files[target] = self.host.files.pop(source)

    def delete(self, path):
        self.host.do("delete", path)
        self.host.files.pop(path, None)

    def make_dir(self, path):
        self.host.do("mkdir", path)
        self.host.dirs.add(path)

    def remove_dir(self, path):
        self.host.do("rmdir", path)
        return True

    def list_names(self, path):
        self.host.do("list", path)
        prefix = path + "/" if path else ""
        return {p[len(prefix) :].split("/")[0] for p in self.host.files if p.startswith(prefix)}


def _site(tmp_path: Path, files: dict[str, bytes]) -> Path:
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    return tmp_path


def _deploy(
    memory: MemoryHost, site: Path, sleeps: list[float] | None = None, attempts=3, connections=2
):
    sleeps = sleeps if sleeps is not None else []
    with RemoteHost(
        lambda: MemoryTransport(memory),
        connections=connections,
        retry=RetryPolicy(attempts=attempts, backoff=0.5),
        sleep=sleeps.append,
    ) as host:
        plan = plan_deploy(load_local_manifest(site), read_remote_state(host))
        return publish(plan, host, site, quota_bytes=10**6)


def _site_files(memory: MemoryHost) -> dict[str, bytes]:
    return {p: d for p, d in memory.files.items() if p.split("/")[0] not in RESERVED_NAMES}


def test_assets_land_before_pages_and_deletions_come_last(tmp_path):
    memory = MemoryHost()
    site = _site(tmp_path / "v1", {"old/index.html": b"1", "a/index.html": b"1"})
    _deploy(memory, site)
    site2 = _site(
        tmp_path / "v2", {"a/index.html": b"2", "a/pic.png": b"2", "assets/x.1.css": b"2"}
    )
    memory.log.clear()

    _deploy(memory, site2)

    placed = [path for op, path in memory.log if op in ("rename", "delete")]
    pages = placed.index("a/index.html")
    assert placed.index("a/pic.png") < pages and placed.index("assets/x.1.css") < pages
    assert placed.index("old/index.html") > pages
    assert placed[-2:] == [DOT.manifest, DOT.journal]  # manifest, then journal gone
    assert _site_files(memory) == {"a/index.html": b"2", "a/pic.png": b"2", "assets/x.1.css": b"2"}


def test_transient_failures_back_off_exponentially_then_succeed(tmp_path):
    memory = MemoryHost()
    site = _site(tmp_path, {"index.html": b"x"})
    flaky = RemoteError("421 too many connections", transient=True)
    memory.fail[("rename", "index.html")] = [flaky, flaky]
    sleeps: list[float] = []

    _deploy(memory, site, sleeps)

    assert sleeps == [0.5, 1.0]
    assert _site_files(memory) == {"index.html": b"x"}


def test_a_permanent_failure_names_the_file_and_is_not_recorded_as_done(tmp_path):
    memory = MemoryHost()
    site = _site(tmp_path, {"a.html": b"a", "b.html": b"b"})
    memory.fail[("rename", "b.html")] = [
        RemoteError("RNTO b.html: 553 Not allowed", transient=False)
    ]
    sleeps: list[float] = []

    with pytest.raises(DeployError) as failure:
        _deploy(memory, site, sleeps)

    assert "b.html: RNTO b.html: 553 Not allowed" in str(failure.value)
    assert sleeps == []  # permanent: not retried
    journal = read_journal(memory.files[DOT.journal], "journal")
    assert set(journal.changes) == {"a.html"}  # confirmed
    assert journal.pending == {"b.html"}  # never recorded as done
    assert DOT.manifest not in memory.files

    memory.log.clear()
    _deploy(memory, site)  # the rerun finishes the job, sending only b.html again
    assert [p for op, p in memory.log if op == "rename" and p.endswith(".html")] == ["b.html"]
    assert _site_files(memory) == {"a.html": b"a", "b.html": b"b"}


def test_an_unreachable_host_stops_the_rest_instead_of_retrying_each_file(tmp_path):
    memory = MemoryHost()
    site = _site(tmp_path, {f"p{i:02}.png": b"x" for i in range(30)})
    memory.writes_before_outage = 5  # journal + probe + three files, then the host is gone

    with pytest.raises(DeployError) as failure:
        _deploy(memory, site, attempts=2, connections=1)

    writes = [p for op, p in memory.log if op == "write"]
    assert len(writes) < 10  # not 30 files × 2 attempts
    assert "not attempted" in str(failure.value)


def test_nothing_goes_live_before_what_it_names_even_on_parallel_connections(tmp_path):
    memory = MemoryHost()
    files = {f"search-index/v1/postings-{i:03}.json": b"p%d" % i for i in range(80)}
    files["search-index/manifest.json"] = b"names the shards"
    files.update({f"innovations/2567/e{i:02}/index.html": b"e%d" % i for i in range(40)})
    files["innovations/index.html"] = b"links to the entries"
    files["index.html"] = b"links to the listing"
    site = _site(tmp_path, files)

    _deploy(memory, site, connections=4)

    renamed = [path for op, path in memory.log if op == "rename"]
    manifest = renamed.index("search-index/manifest.json")
    assert all(renamed.index(p) < manifest for p in files if "/postings-" in p)
    listing = renamed.index("innovations/index.html")
    assert all(renamed.index(p) < listing for p in files if p.startswith("innovations/2567/"))
    assert renamed.index("index.html") > listing


def test_a_short_upload_is_sent_again_and_only_the_whole_file_goes_live(tmp_path):
    memory = MemoryHost()
    site = _site(tmp_path, {"photo.jpg": b"x" * 1000, "index.html": b"<html>"})
    sent = []

    class CutOnce(MemoryTransport):
        def write_file(self, path, source):
            super().write_file(path, source)
            data = self.host.files[path]
            if len(data) == 1000 and not sent:  # the data connection ended early
                sent.append(path)
                self.host.files[path] = data[:400]

    with RemoteHost(lambda: CutOnce(memory), connections=1, sleep=lambda s: None) as host:
        plan = plan_deploy(load_local_manifest(site), read_remote_state(host))
        publish(plan, host, site, quota_bytes=10**6)

    assert sent
    assert _site_files(memory) == {"photo.jpg": b"x" * 1000, "index.html": b"<html>"}
    renamed_short = [p for op, p in memory.log if op == "rename" and p == "photo.jpg"]
    assert len(renamed_short) == 1  # renamed once: the whole file, after sending it again
