"""Work on both cores, and the heap of a build.

Reading entries, rendering bodies and segmenting search documents depend only on
their input, so cache misses can be processed in worker processes. Results come back
in input order: the output never depends on how many processes there were. A longer
task can run in a forked process beside the build (`run_beside`).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, NamedTuple, TypeVar

from build_tools.errors import IfteError

T = TypeVar("T")

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


def map_in_processes(
    function: Callable[..., Any],
    items: Sequence,
    *shared: Any,
    workers: int | None = None,
    chunksize: int = 16,
) -> list:
    """`[function(item, *shared) for item in items]`, in `workers` processes (default:
    one per CPU) when there are at least `PARALLEL_FROM` items."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(items) < PARALLEL_FROM:
        return [function(item, *shared) for item in items]
    # "spawn": the build may run inside a threaded process (mkdocs serve, a browser test).
    # Each chunk is pickled once, so `shared` travels once per chunk, not once per item.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        columns = [[value] * len(items) for value in shared]
        return list(pool.map(function, items, *columns, chunksize=chunksize))


@contextlib.contextmanager
def settled_heap() -> Iterator[None]:
    """Build long-lived data without the cyclic garbage collector, then freeze it.

    Each full collection walks every object alive, and a build that loads 20,000 entries
    and plans 30,000 pages triggers dozens of them while growing: a third of a
    build that changes little. Nothing planned is garbage until the build ends, so
    the collector is paused while planning, and what was planned is frozen (left out of
    later collections) when it resumes. The last build's frozen objects are released and
    collected first, so the rebuilds of a live preview free them.
    """
    enabled = gc.isenabled()
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def can_fork() -> bool:
    """Whether `run_beside` may fork: a system with fork and more than one core. Callers
    in a threaded process (a live preview's server) must not ask it to."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


class ThenFinish(NamedTuple):
    """What a function run by `run_beside` may return: its `result`, given back as soon
    as it is made, and `finish`, work left to do afterwards (saving caches), which the
    waiting process need not wait for until `wait_beside`."""

    result: Any
    finish: Callable[[], None]


# Forked processes whose result was given back but which may still be finishing, and
# those found to have failed at it.
_FINISHING: list[int] = []
_FAILED: list[int] = []


def run_beside(function: Callable[..., T], *args: Any, fork: bool = True) -> Callable[[], T]:
    """Start `function(*args)` in a forked process; the returned function waits for its
    result (picklable) and returns it, or raises what it raised. The forked process
    shares this one's memory as it was, and its writes to files are its own effects:
    the caller must not read those files before waiting (`wait_beside` for the ones a
    `ThenFinish` writes). Without fork (or with `fork=False`) the function runs in this
    process when its result is asked for."""
    if not (fork and can_fork()):
        return lambda: _finished(function(*args))
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked process: never returns
        os.close(read_end)
        _run_forked(write_end, function, args)
    os.close(write_end)

    outcome: list[tuple[bool, Any]] = []  # asked again (a failed build waits), given again

    def join() -> T:
        if not outcome:
            outcome.append(_receive(read_end, pid))
        ok, value = outcome[0]
        if not ok:
            raise value
        return value

    return join


def _receive(read_end: int, pid: int) -> tuple[bool, Any]:
    """(True, result) or (False, exception) of a forked process, read once from its pipe."""
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()  # to the end: the process closes its end when it has a result
    try:
        ok, value = pickle.loads(data)
    except (pickle.PickleError, EOFError, ValueError, TypeError):
        os.waitpid(pid, 0)
        return False, IfteError(
            "กระบวนการที่ทำงานคู่ขนานหยุดกลางคัน", "a process working beside the build stopped"
        )
    done, status = os.waitpid(pid, os.WNOHANG)
    if not done:
        _FINISHING.append(pid)  # still finishing (`ThenFinish`)
    elif status:
        _FAILED.append(pid)  # it gave its result, then failed to finish
    return ok, value


def wait_beside() -> None:
    """Wait until every process started by `run_beside` has finished its work; IfteError
    if the work one finished after its result (`ThenFinish.finish`) failed."""
    failed = bool(_FAILED)
    _FAILED.clear()
    while _FINISHING:
        _, status = os.waitpid(_FINISHING.pop(), 0)
        failed = failed or status != 0
    if failed:
        raise IfteError(
            "งานที่ทำคู่ขนานกับการสร้างเว็บล้มเหลว (ดูข้อความข้างบน)",
            "work beside the build failed (see above)",
        )


def _finished(value: Any) -> Any:
    if isinstance(value, ThenFinish):
        value.finish()
        return value.result
    return value


def _run_forked(write_end: int, function: Callable, args: tuple) -> None:
    status = 0
    try:
        finish = None
        try:
            value = function(*args)
            if isinstance(value, ThenFinish):
                value, finish = value
            reply = (True, value)
        except BaseException as error:  # raised again where the result is asked for
            reply = (False, error)
        try:
            data = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # what cannot travel is reported by its message
            message = str(reply[1] if not reply[0] else error)
            data = pickle.dumps((False, IfteError(message)), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        if finish is not None:
            try:
                finish()
            except BaseException as error:  # nobody waits for a result now: say it here
                logging.getLogger("mkdocs.plugins.ifte").error(str(error) or repr(error))
                status = 1  # `wait_beside` fails the build
    finally:
        for handler in logging.getLogger().handlers + logging.getLogger("mkdocs").handlers:
            handler.flush()
        os._exit(status)
