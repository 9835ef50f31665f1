"""Benchmark `ifte deploy` against `lftp mirror -R` over a slow, distant link.

Run: .venv/bin/python bench/bench_deploy.py [--files 3000] [--rtt-ms 41] [--up-mbit 20]

A generated site of several thousand files is deployed four times — first
deploy, no change, ten changed files, and a fresh rebuild with identical content
but new modification times (what every CI build looks like) — by `ifte deploy`
over FTP, FTPS and SFTP and by `lftp mirror -R --parallel=N` over FTP. All of
them talk to the same in-process servers (pyftpdlib, asyncssh) on 127.0.0.2
through a small proxy on 127.0.0.1 that adds the round-trip time and limits the
upload rate, so "time" means wall time on a link like the office's, and
"sent"/"received" are bytes on the wire, protocol overhead included.

The proxy accepts TCP connections locally at once, so a client that waits for
its data connection to open before sending the next command (lftp does) gets
that round trip for free here: the comparison leans in lftp's favour.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from build_tools.deploy.stamp import write_build_stamp  # noqa: E402
from tests.deploy.servers import (  # noqa: E402
    PASSWORD,
    USER,
    FtpServer,
    SftpServer,
    make_certificate,
)
from tests.deploy.sites import make_site  # noqa: E402

UPSTREAM = "127.0.0.2"  # where the servers listen; the proxy sits on 127.0.0.1
PASSIVE_COUNT = 128


# -- a link with latency and a limited uplink -------------------------------------


class _Bucket:
    """A shared pipe of `rate` bytes/s: each chunk leaves when the one before it has."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.free_at = 0.0

    def reserve(self, size: int, now: float) -> float:
        start = max(now, self.free_at)
        self.free_at = start + size / self.rate
        return self.free_at


async def _pump(reader, writer, bucket, delay, counters, index, hold_until):
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue(maxsize=32)

    async def receive():
        while True:
            try:
                data = await reader.read(65536)
            except OSError:
                data = b""
            now = max(loop.time(), hold_until)
            if not data:
                await queue.put((now + delay, None))
                return
            counters[index] += len(data)
            await queue.put((bucket.reserve(len(data), now) + delay, data))

    async def send():
        while True:
            when, data = await queue.get()
            pause = when - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            try:
                if data is None:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
            except OSError:
                return

    await asyncio.gather(receive(), send())


async def _serve_link(ports, rtt, up_rate, down_rate, counters, ready):
    loop = asyncio.get_running_loop()
    delay = rtt / 2
    up, down = _Bucket(up_rate), _Bucket(down_rate)
    running: set[asyncio.Task] = set()  # asyncio holds tasks weakly; a collected one dies mid-copy

    def handler(port):
        async def handle(client_reader, client_writer):
            task = asyncio.current_task()
            running.add(task)
            task.add_done_callback(running.discard)
            accepted = loop.time()
            await asyncio.sleep(delay)  # the SYN's trip to the server
            try:
                server_reader, server_writer = await asyncio.open_connection(UPSTREAM, port)
            except OSError:
                client_writer.close()
                return
            # The client could not really send before its handshake completed.
            hold = accepted + rtt
            await asyncio.gather(
                _pump(client_reader, server_writer, up, delay, counters, 0, hold),
                _pump(server_reader, client_writer, down, delay, counters, 1, 0.0),
                return_exceptions=True,
            )
            for writer in (client_writer, server_writer):
                writer.close()

        return handle

    servers = [await asyncio.start_server(handler(p), "127.0.0.1", p) for p in ports]
    ready.set()
    await asyncio.gather(*(s.serve_forever() for s in servers))


def _run_link(ports, rtt, up_rate, down_rate, counters, ready):
    asyncio.run(_serve_link(ports, rtt, up_rate, down_rate, counters, ready))


# -- servers in their own process -------------------------------------------------


def _run_servers(home: Path, ports: dict, certificate, stop, ready) -> None:
    passive = range(ports["passive"], ports["passive"] + PASSIVE_COUNT)
    servers = [
        FtpServer(home, ports["ftp"], address=UPSTREAM, passive_ports=passive).start(),
        FtpServer(
            home, ports["ftps"], certificate, address=UPSTREAM, passive_ports=passive
        ).start(),
        SftpServer(home, ports["sftp"], address=UPSTREAM).start(),
    ]
    ready.put(servers[2].fingerprint)
    stop.wait()
    for server in servers:
        server.stop()


def _free_block(count: int) -> int:
    """A run of ports free on both 127.0.0.1 and 127.0.0.2."""
    for _ in range(200):
        base = random.randint(20000, 60000 - count)
        try:
            for port in range(base, base + count):
                for address in ("127.0.0.1", UPSTREAM):
                    with socket.socket() as probe:
                        probe.bind((address, port))
        except OSError:
            continue
        return base
    raise SystemExit("no free port range")


# -- the runs -------------------------------------------------------------------


def _deploy_config(path: Path, ports: dict, fingerprints: dict, connections: int) -> None:
    lines = ["targets:"]
    for protocol in ("ftp", "ftps", "sftp"):
        lines += [
            f"  {protocol}:",
            f"    protocol: {protocol}",
            "    host: 127.0.0.1",
            f"    port: {ports[protocol]}",
            f"    remote_root: bench-{protocol}",
            f"    connections: {connections}",
        ]
        if protocol == "ftps":
            lines.append(f"    tls_fingerprint: sha256:{fingerprints['tls']}")
        if protocol == "sftp":
            lines.append(f"    host_key_fingerprint: {fingerprints['ssh']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _ours(protocol: str, config: Path, site: Path) -> list[str]:
    # The deploy command alone: `ifte`'s own start-up (it imports every sub-command)
    # is reported once, separately.
    return [
        sys.executable, "-c", "from build_tools.deploy.cli import deploy_command as c; c()",
        protocol, "--config", str(config), "--site-dir", str(site),
    ]  # fmt: skip


def _lftp(port: int, site: Path, connections: int) -> list[str]:
    script = (
        "set ftp:ignore-pasv-address yes; set ftp:ssl-allow no; set net:max-retries 2; "
        f"open -u {USER},{PASSWORD} -p {port} 127.0.0.1; "
        f"mirror -R --parallel={connections} {site} bench-lftp"
    )
    return ["lftp", "-c", script]


def _measure(command: list[str], counters) -> tuple[float, int, int, str]:
    counters[0] = counters[1] = 0
    env = {**os.environ, "IFTE_DEPLOY_USER": USER, "IFTE_DEPLOY_PASSWORD": PASSWORD}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    elapsed = time.perf_counter() - started
    time.sleep(0.3)  # let the proxy drain the last bytes into its counters
    note = "" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[-200:]}"
    return elapsed, counters[0], counters[1], note


def _change_ten(site: Path) -> None:
    images = sorted(site.glob("innovations/*/*/cover.jpg"))[:8]
    for image in images:
        data = bytearray(image.read_bytes())
        data[100] ^= 0xFF  # same size
        image.write_bytes(bytes(data))
    for page in sorted(site.glob("innovations/*/*/index.html"))[:2]:
        page.write_text(page.read_text(encoding="utf-8") + "<!-- edit -->", encoding="utf-8")
    write_build_stamp(site)  # as the build that made the edit would: the deploy checks it


def _rebuild(site: Path) -> None:
    """Same bytes, new modification times: a fresh CI checkout and build."""
    later = time.time() + 3600
    for path in site.rglob("*"):
        if path.is_file():
            os.utime(path, (later, later))


def _mb(size: int) -> str:
    return f"{size / 1e6:8.2f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000, help="site size in files")
    parser.add_argument("--image-kb", type=int, default=15, help="bytes per entry image, KB")
    parser.add_argument("--rtt-ms", type=float, default=41.0)
    parser.add_argument("--up-mbit", type=float, default=20.0)
    parser.add_argument("--down-mbit", type=float, default=100.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--protocols", default="ftp,ftps,sftp")
    args = parser.parse_args()
    protocols = [p for p in args.protocols.split(",") if p]

    work = Path(tempfile.mkdtemp(prefix="ifte-bench-deploy-"))
    try:
        _bench(args, protocols, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bench(args, protocols: list[str], work: Path) -> None:
    site = make_site(
        work / "site", pages=max(1, (args.files - 5) // 2), image_bytes=args.image_kb * 1000
    )
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    certificate = make_certificate(work / "tls")
    base = _free_block(PASSIVE_COUNT + 3)
    ports = {"passive": base, "ftp": base + PASSIVE_COUNT, "ftps": base + PASSIVE_COUNT + 1,
             "sftp": base + PASSIVE_COUNT + 2}  # fmt: skip

    context = mp.get_context("fork")
    stop, found = context.Event(), context.Queue()
    servers = context.Process(
        target=_run_servers, args=(work / "home", ports, certificate, stop, found), daemon=True
    )
    servers.start()
    ssh_fingerprint = found.get(timeout=30)
    counters = context.Array("q", 2, lock=False)
    link_ready = context.Event()
    link = context.Process(
        target=_run_link,
        args=(list(range(base, base + PASSIVE_COUNT + 3)), args.rtt_ms / 1000,
              args.up_mbit * 1e6 / 8, args.down_mbit * 1e6 / 8, counters, link_ready),
        daemon=True,
    )  # fmt: skip
    link.start()
    link_ready.wait(30)

    config = work / "deploy.yml"
    _deploy_config(
        config, ports, {"tls": certificate.sha256, "ssh": ssh_fingerprint}, args.connections
    )
    tools = [(f"ifte deploy {p}", _ours(p, config, site)) for p in protocols]
    if shutil.which("lftp"):
        tools.append(("lftp mirror -R", _lftp(ports["ftp"], site, args.connections)))
    else:
        print("lftp is not installed (apt-get install lftp): reporting ifte deploy only\n")

    print(
        f"Deploy benchmark: {len(files):,} files, {total / 1e6:.1f} MB; link RTT "
        f"{args.rtt_ms:g} ms, up {args.up_mbit:g} Mbit/s, down {args.down_mbit:g} Mbit/s; "
        f"{args.connections} parallel connections\n"
    )
    print(f"(load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "build_tools", "--help"], capture_output=True, cwd=REPO)
    print(f"(`ifte` start-up, all sub-commands imported: {time.perf_counter() - started:.2f} s)\n")
    print(f"{'tool':<20} {'scenario':<26} {'time':>9} {'sent':>11} {'received':>11}")
    results: dict[tuple[str, str], float] = {}
    scenarios = [
        ("first deploy", None),
        ("no change", None),
        ("ten files changed", _change_ten),
        ("rebuild, same content", _rebuild),
    ]
    for scenario, prepare in scenarios:
        if prepare:
            prepare(site)
        for name, command in tools:
            elapsed, sent, received, note = _measure(command, counters)
            results[(name, scenario)] = elapsed
            print(
                f"{name:<20} {scenario:<26} {elapsed:8.2f}s {_mb(sent)} {_mb(received)} {note}",
                flush=True,
            )
    if ("lftp mirror -R", "first deploy") in results and "ftp" in protocols:
        print("\nlftp time / ifte deploy ftp time:")
        for scenario, _prepare in scenarios:
            ratio = results[("lftp mirror -R", scenario)] / results[("ifte deploy ftp", scenario)]
            print(f"  {scenario:<26} {ratio:6.2f}x")
    print(f"(load average at end: {os.getloadavg()[0]:.1f})")
    stop.set()
    servers.join(10)
    link.terminate()


if __name__ == "__main__":
    main()
