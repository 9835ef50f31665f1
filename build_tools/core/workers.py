"""The build's one process pool, and its heap.

Reading entries, rendering bodies and segmenting search documents depend only on
their input, so cache misses can be processed in worker processes. Results come back
in input order: the output never depends on how many processes there were.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

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
