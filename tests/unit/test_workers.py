"""settled_heap: planning runs without the cyclic collector, and what it planned is
left out of later collections until the next build."""

from __future__ import annotations

import gc

from build_tools.core.workers import settled_heap


class Node:
    def __init__(self) -> None:
        self.itself = self  # a cycle: only the cyclic collector frees it


def test_the_collector_pauses_in_the_block_and_resumes_after():
    assert gc.isenabled()
    try:
        with settled_heap():
            assert not gc.isenabled()
            kept = [Node() for _ in range(100)]
        assert gc.isenabled()
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        with settled_heap():  # the next build releases the last one's objects first
            assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with settled_heap():
            pass
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_garbage_made_in_one_build_is_freed_by_the_next():
    import weakref

    try:
        with settled_heap():
            garbage = Node()
            ref = weakref.ref(garbage)
            del garbage
        gc.collect()
        assert ref() is not None  # frozen with the build's data
        with settled_heap():
            assert ref() is None
    finally:
        gc.unfreeze()
