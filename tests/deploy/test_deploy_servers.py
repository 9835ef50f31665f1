"""`ifte deploy` against real FTP, FTPS and SFTP servers on 127.0.0.1 (and a faulty link)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from build_tools.deploy.errors import DeployError, HostVerificationError, UnmanagedFileError
from build_tools.deploy.manifest import (
    GUARD_TEXT,
    LEGACY_LAYOUTS,
    RESERVED_NAMES,
    STATE_LAYOUTS,
    read_journal,
)
from tests.deploy.faults import FaultProxy
from tests.deploy.sites import list_dirs, make_site, read_tree

pytestmark = pytest.mark.server
DOT, PLAIN = STATE_LAYOUTS

CONTROL_OPS = {"RETR", "read"}
WRITE_OPS = {"STOR", "write", "MKD", "mkdir", "RNTO", "rename", "DELE", "remove", "RMD", "rmdir"}
LIST_OPS = {"NLST", "LIST", "MLSD", "list"}


def _renamed_into_place(host) -> set[str]:
    """Site paths the server saw renamed into place (control files left out)."""
    prefix = host.root.relative_to(host.home).as_posix() + "/"
    names = set()
    for _op, path in host.server.ops("RNTO", "rename"):
        relative = path.split(prefix, 1)[-1]
        if relative.split("/")[0] not in RESERVED_NAMES and "ifte-probe" not in relative:
            names.add(relative)
    return names


def test_first_deploy_makes_the_host_equal_the_site(host, tmp_path):
    site = make_site(tmp_path / "site")

    result = host.deploy(site)

    assert read_tree(host.root) == read_tree(site)
    assert result.uploaded == len(read_tree(site))
    assert (host.root / DOT.manifest).is_file()
    assert (host.root / DOT.guard).read_bytes() == GUARD_TEXT  # browsers kept out
    for leftover in (DOT.journal, DOT.staging):
        assert not (host.root / leftover).exists()


def test_no_change_deploy_reads_the_manifest_and_nothing_else(host, tmp_path):
    site = make_site(tmp_path / "site")
    host.deploy(site)
    host.server.log.clear()

    result = host.deploy(site)

    assert result.uploaded == result.deleted == 0
    ops = {op for op, _path in host.server.log}
    assert ops <= CONTROL_OPS, host.server.log  # no listing, no writes
    assert len(host.server.log) <= 2  # the manifest, and a check for a journal


def test_ten_changed_files_upload_exactly_those(host, tmp_path):
    site = make_site(tmp_path / "site")
    host.deploy(site)
    changed = sorted(p for p in read_tree(site) if p.endswith("cover.jpg"))[:8]
    for path in changed:
        data = bytearray((site / path).read_bytes())
        data[10] ^= 0xFF  # same size: a size-only comparison would miss it
        (site / path).write_bytes(bytes(data))
    (site / "index.html").write_text("<html><body>หน้าแรกใหม่</body></html>", encoding="utf-8")
    (site / "innovations/2566/entry-00003/index.html").write_bytes(b"<html>edited</html>")
    changed += ["index.html", "innovations/2566/entry-00003/index.html"]
    host.server.log.clear()

    result = host.deploy(site)

    assert result.uploaded == 10
    assert _renamed_into_place(host) == set(changed)
    assert not host.server.ops(*LIST_OPS)  # edits need no directory listing
    assert read_tree(host.root) == read_tree(site)


def test_deleted_pages_go_and_files_the_deploy_does_not_manage_stay(host, tmp_path):
    office = {
        "office/contact.html": b"office contact page",
        "innovations/2566/read-me.txt": b"left here by the office",
    }
    for path, data in office.items():
        (host.root / path).parent.mkdir(parents=True, exist_ok=True)
        (host.root / path).write_bytes(data)
    outside = host.home / "public_html/other.html"
    outside.write_bytes(b"another office site")
    site = make_site(tmp_path / "site")
    host.deploy(site)
    shutil.rmtree(site / "innovations/2566/entry-00000")
    shutil.rmtree(site / "innovations/2567/entry-00001")
    (site / "search/search_index.json").unlink()

    result = host.deploy(site)

    assert result.deleted == 5
    assert read_tree(host.root) == {**read_tree(site), **office}
    assert outside.read_bytes() == b"another office site"
    remaining = list_dirs(host.root)
    assert "innovations/2566/entry-00000" not in remaining  # emptied stale folders go
    assert "search" not in remaining
    assert "innovations/2566" in remaining  # still holds the office's file


def test_connection_cut_midway_leaves_no_partial_file_and_rerun_finishes(host, tmp_path):
    old = make_site(tmp_path / "old", pages=12, image_bytes=20_000)
    host.deploy(old)
    new = make_site(tmp_path / "new", pages=16, image_bytes=20_000, seed=99)
    shutil.rmtree(new / "innovations/2566/entry-00000")
    old_tree, new_tree = read_tree(old), read_tree(new)
    host.server.uploads = 0
    host.server.stop_on_upload = 20  # the host goes away in the middle of the pages

    with pytest.raises(DeployError) as failure:
        host.deploy(new, journal_interval=0)

    assert host.server.stopped.wait(5)
    assert "ifte deploy" in str(failure.value)  # tells staff to run it again
    for path, data in read_tree(host.root).items():
        assert data in (old_tree.get(path), new_tree.get(path)), f"{path} is half-written"
    journal = read_journal((host.root / DOT.journal).read_bytes(), DOT.journal)
    for path, entry in journal.changes.items():
        # Only confirmed work is recorded: every "done" entry is really on the host.
        on_host = host.root / path
        if entry is None:
            assert not on_host.exists()
        else:
            assert hashlib.sha256(on_host.read_bytes()).hexdigest() == entry.sha256

    host.restart()
    result = host.deploy(new)

    assert result.resumed
    assert read_tree(host.root) == new_tree
    assert not (host.root / DOT.journal).exists()
    assert not (host.root / DOT.staging).exists()  # leftover temporary files cleaned


@pytest.mark.parametrize("protocol", ["ftp", "sftp"])
def test_a_dropped_connection_is_retried_in_the_same_run(protocol, tmp_path, start):
    running = start(protocol)
    site = make_site(tmp_path / "site")
    running.server.drop_on_upload = 6
    events = []

    result = running.deploy(site, events=events)

    assert read_tree(running.root) == read_tree(site)
    assert result.uploaded == len(read_tree(site))
    assert any(event.kind == "retry" for event in events)


def test_wrong_password_is_refused_with_a_clear_error(host, tmp_path):
    site = make_site(tmp_path / "site", pages=2)
    host.password = "not-the-password"

    with pytest.raises(DeployError) as failure:
        host.deploy(site)

    message = str(failure.value)
    assert "เข้าสู่ระบบ" in message and "Login" in message and "127.0.0.1" in message
    assert not host.root.exists()


def test_a_file_the_deploy_did_not_put_there_is_never_overwritten(ftp_host, tmp_path):
    ftp_host.root.mkdir(parents=True)
    (ftp_host.root / "index.html").write_bytes(b"the office's own home page")
    site = make_site(tmp_path / "site", pages=2)

    with pytest.raises(UnmanagedFileError) as failure:
        ftp_host.deploy(site)

    assert "index.html" in str(failure.value)
    assert read_tree(ftp_host.root) == {"index.html": b"the office's own home page"}
    ftp_host.deploy(site, overwrite_unmanaged=True)
    assert read_tree(ftp_host.root) == read_tree(site)


def test_ftps_checks_the_certificate(tmp_path, start, certificate):
    running = start("ftps")
    site = make_site(tmp_path / "site", pages=2)
    with pytest.raises(HostVerificationError):
        running.deploy(site, tls_fingerprint="00" * 32)
    with pytest.raises(HostVerificationError):
        running.deploy(site, tls_fingerprint="")  # self-signed: not in the system CAs
    assert not running.root.exists()

    running.deploy(site, tls_fingerprint="", ca_file=str(certificate.cert_only))
    assert read_tree(running.root) == read_tree(site)


def test_sftp_checks_the_host_key(tmp_path, start):
    running = start("sftp")
    site = make_site(tmp_path / "site", pages=2)
    with pytest.raises(HostVerificationError) as failure:
        running.deploy(site, host_key_fingerprint="SHA256:" + "A" * 43)
    assert running.server.fingerprint in str(failure.value)  # shown, to compare by phone
    assert not running.root.exists()


def test_host_refusing_dot_files_gets_plain_names_and_a_warning(tmp_path, start):
    running = start("ftp", refuse_dot_files=True)
    site = make_site(tmp_path / "site")
    events = []
    running.deploy(site, events=events)
    assert any("dot-file" in e.message for e in events if e.kind == "warning")
    assert (running.root / PLAIN.manifest).is_file()

    running.server.log.clear()
    result = running.deploy(site)
    assert result.uploaded == 0
    assert read_tree(running.root) == read_tree(site)


def test_host_refusing_rename_over_a_file_falls_back_loudly(tmp_path, start):
    running = start("ftp", refuse_rename_over=True)
    site = make_site(tmp_path / "site")
    running.deploy(site)
    (site / "index.html").write_bytes(b"<html>new home</html>")
    (site / "404.html").write_bytes(b"<html>new 404</html>")
    events = []

    result = running.deploy(site, events=events)

    assert result.uploaded == 2
    assert [e for e in events if e.kind == "warning" and "rename over" in e.message]
    assert read_tree(running.root) == read_tree(site)


def test_host_forbidding_renames_gets_files_written_in_place_with_a_warning(tmp_path, start):
    running = start("ftp", refuse_renames=True)
    site = make_site(tmp_path / "site")
    events = []
    running.deploy(site, events=events)
    (site / "index.html").write_bytes(b"<html>new home</html>")

    result = running.deploy(site, events=events)

    assert result.uploaded == 1
    assert any("forbids renames" in e.message for e in events if e.kind == "warning")
    assert read_tree(running.root) == read_tree(site)


def test_site_with_a_reserved_name_is_refused(tmp_path):
    site = make_site(tmp_path / "site", pages=1)
    (site / DOT.folder).mkdir()
    (site / DOT.manifest).write_bytes(b"")
    from build_tools.deploy.manifest import load_local_manifest

    with pytest.raises(DeployError):
        load_local_manifest(Path(site))


# -- a bad network and a strict host -------------------------------------------------


def _assert_nothing_short_is_live_or_recorded(host, site: Path) -> None:
    full = read_tree(site)
    for path, data in read_tree(host.root).items():
        assert data == full[path], f"{path} went live short"
    journal_file = host.root / DOT.journal
    if journal_file.exists():
        journal = read_journal(journal_file.read_bytes(), DOT.journal)
        for path, entry in journal.changes.items():
            if entry is not None:
                on_host = (host.root / path).read_bytes()
                assert hashlib.sha256(on_host).hexdigest() == entry.sha256, path


def test_an_upload_cut_short_is_never_renamed_live_nor_recorded(ftp_host, tmp_path):
    site = make_site(tmp_path / "site", pages=4, image_bytes=20_000)
    with FaultProxy(ftp_host.target.port, ftp=True) as proxy:
        # Every upload over 5 KB loses its end; the server still answers 226.
        proxy.cut_uploads(after=5_000)
        with pytest.raises(DeployError) as failure:
            ftp_host.deploy(site, port=proxy.port)

    assert proxy.cuts
    assert "the host holds 5,000 bytes, not 20,000 bytes" in str(failure.value)
    _assert_nothing_short_is_live_or_recorded(ftp_host, site)
    assert not (ftp_host.root / DOT.manifest).exists()


def test_an_upload_cut_short_once_is_sent_again(ftp_host, tmp_path):
    site = make_site(tmp_path / "site", pages=4, image_bytes=20_000)
    events = []
    with FaultProxy(ftp_host.target.port, ftp=True) as proxy:
        proxy.cut_uploads(after=5_000, count=1)
        result = ftp_host.deploy(site, port=proxy.port, events=events)

    assert proxy.cuts == 1
    assert read_tree(ftp_host.root) == read_tree(site)
    assert result.uploaded == len(read_tree(site))
    assert any(e.kind == "retry" and "holds 5,000 bytes" in e.message for e in events)


def test_a_changed_byte_is_caught_where_the_server_offers_hash(tmp_path, start):
    running = start("ftp", offer_hash=True)
    running.server.corrupt_uploads = 1  # same size: only a hash can tell
    site = make_site(tmp_path / "site", pages=3)
    events = []

    running.deploy(site, events=events)

    assert running.server.corrupt_uploads == 0
    assert read_tree(running.root) == read_tree(site)
    assert any(e.kind == "retry" and "SHA-256" in e.message for e in events)


@pytest.mark.parametrize("protocol", ["ftp", "sftp"])
def test_state_dir_keeps_the_bookkeeping_outside_the_web_root(protocol, tmp_path, start):
    running = start(protocol)
    site = make_site(tmp_path / "site")

    running.deploy(site, state_dir="ifte-state")
    (site / "index.html").write_bytes(b"<html>new home</html>")
    result = running.deploy(site, state_dir="ifte-state")

    assert result.uploaded == 1
    # Nothing but the site in the web root; the manifest beside it.
    assert read_tree(running.root, skip_control=False) == read_tree(site)
    assert (running.home / "ifte-state/manifest.json.gz").is_file()
    assert not (running.home / "ifte-state/staging").exists()


def test_moving_the_bookkeeping_keeps_the_manifest_and_clears_the_old_folder(ftp_host, tmp_path):
    site = make_site(tmp_path / "site")
    ftp_host.deploy(site)
    assert (ftp_host.root / DOT.manifest).is_file()
    (site / "index.html").write_bytes(b"<html>new home</html>")

    result = ftp_host.deploy(site, state_dir="ifte-state")

    assert result.uploaded == 1  # the old manifest was found: no full upload
    assert not (ftp_host.root / DOT.folder).exists()
    assert read_tree(ftp_host.root, skip_control=False) == read_tree(site)


def test_a_manifest_in_the_root_from_an_earlier_version_is_read_and_moved(ftp_host, tmp_path):
    site = make_site(tmp_path / "site")
    ftp_host.deploy(site)
    legacy = LEGACY_LAYOUTS[0]
    (ftp_host.root / DOT.manifest).rename(ftp_host.root / legacy.manifest)
    shutil.rmtree(ftp_host.root / DOT.folder)
    (site / "index.html").write_bytes(b"<html>new home</html>")

    result = ftp_host.deploy(site)

    assert result.uploaded == 1
    assert not (ftp_host.root / legacy.manifest).exists()
    assert (ftp_host.root / DOT.manifest).is_file()
    assert read_tree(ftp_host.root) == read_tree(site)
