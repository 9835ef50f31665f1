"""Parallel connections to one host, with retries that survive a flaky link.

`RemoteHost` keeps a main connection for bookkeeping and a small pool of
worker connections (one per thread, opened only when needed, so a no-change
deploy opens one). Every operation runs through `call`: a transient failure —
a dropped connection, a 4xx reply, a timeout — closes the connection, waits
(1 s, 2 s, 4 s, …) and retries on a fresh one; a permanent failure is returned
to the caller, who names the file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TypeVar

from build_tools.deploy.errors import RemoteError
from build_tools.deploy.transport import Transport

T = TypeVar("T")
Item = TypeVar("Item")
_NOT_ATTEMPTED = "ไม่ได้ทำเพราะเกิดข้อผิดพลาดก่อนหน้า / not attempted after an earlier failure"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # tries per operation, the first included
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_backoff: float = 20.0

    def delay(self, attempt: int) -> float:
        return min(self.max_backoff, self.backoff * 2 ** (attempt - 1))


@dataclass(frozen=True)
class DeployEvent:
    kind: str  # "upload", "delete", "retry", "warning" or "step"
    path: str = ""
    size: int = 0
    message: str = ""


class RemoteHost:
    """A main connection plus up to `connections` parallel ones to one target.

    Connections open lazily, one per thread, so a no-change deploy opens one.
    """

    def __init__(
        self,
        connect: Callable[[], Transport],
        connections: int = 4,
        retry: RetryPolicy | None = None,
        report: Callable[[DeployEvent], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._factory = connect
        self._size = connections
        self.retry = retry or RetryPolicy()
        self._report = report or (lambda event: None)
        self._sleep = sleep
        self._lock = threading.Lock()
        self._local = threading.local()
        self._open: list[Transport] = []
        self._executor: ThreadPoolExecutor | None = None
        self.tick = 0.5  # how often `map` wakes its caller while work runs

    def __enter__(self) -> RemoteHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        with self._lock:
            transports, self._open = self._open, []
        for transport in transports:
            transport.close()

    def report(self, event: DeployEvent) -> None:
        with self._lock:
            self._report(event)

    def _transport(self) -> Transport:
        transport = getattr(self._local, "transport", None)
        if transport is None:
            transport = self._factory()
            with self._lock:
                self._open.append(transport)
            transport.connect()
            self._local.transport = transport
        return transport

    def _drop(self) -> None:
        transport, self._local.transport = getattr(self._local, "transport", None), None
        if transport is not None:
            transport.close()

    def call(self, what: str, operation: Callable[[Transport], T]) -> T:
        """Run `operation` on this thread's connection, retrying transient failures."""
        attempt = 1
        while True:
            try:
                return operation(self._transport())
            except RemoteError as error:
                if not error.transient:
                    raise
                self._drop()
                if attempt >= self.retry.attempts:
                    raise
                delay = self.retry.delay(attempt)
                self.report(
                    DeployEvent(
                        "retry",
                        what,
                        message=f"{error.reason} — retry {attempt}/{self.retry.attempts - 1} "
                        f"in {delay:.1f} s",
                    )
                )
                self._sleep(delay)
                attempt += 1

    def map(
        self,
        describe: Callable[[Item], str],
        operation: Callable[[Transport, Item], object],
        items: Sequence[Item],
        on_wait: Callable[[], None] | None = None,
    ) -> list[tuple[Item, str]]:
        """Run `operation` for every item on the parallel connections; return the failures.

        A failure that outlived its retries means the host is unreachable, so the
        items not yet started are skipped rather than each waiting out its own
        retries. A `DeployError` (login refused, wrong host key) stops everything.
        """
        if not items:
            return []
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._size, thread_name_prefix="ifte-deploy")
        stop = threading.Event()

        def task(item: Item) -> tuple[Item, str] | None:
            if stop.is_set():
                return item, _NOT_ATTEMPTED
            try:
                self.call(describe(item), lambda transport: operation(transport, item))
            except RemoteError as error:
                if error.transient:
                    stop.set()
                return item, error.reason
            return None

        pending = {self._executor.submit(task, item) for item in items}
        failures: list[tuple[Item, str]] = []
        try:
            while pending:
                done, pending = wait(pending, timeout=self.tick, return_when=FIRST_EXCEPTION)
                for future in done:
                    outcome = future.result()
                    if outcome is not None:
                        failures.append(outcome)
                if on_wait is not None:
                    on_wait()
        except BaseException:
            stop.set()
            for future in pending:
                future.cancel()
            raise
        return failures
