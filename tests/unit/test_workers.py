"""settled_heap: planning runs without the cyclic collector, and what it planned is
left out of later collections until the next build."""

from __future__ import annotations

import gc

from build_tools.workers import settled_heap


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


def _pid_and(value: int) -> tuple[int, int]:
    import os

    return os.getpid(), value * 2


def _raise(error: Exception) -> None:
    raise error


def _die() -> None:
    import os

    os._exit(3)


def test_run_beside_gives_the_result_from_another_process():
    import os

    from build_tools.workers import run_beside

    later = run_beside(_pid_and, 21)
    pid, value = later()
    assert value == 42 and pid != os.getpid()
    assert later() == (pid, 42)  # asked again (a failed build waits for it): the same
    assert run_beside(_pid_and, 21, fork=False)() == (os.getpid(), 42)


def test_run_beside_raises_what_the_work_raised():
    import pytest

    from build_tools.errors import IfteError
    from build_tools.workers import run_beside

    with pytest.raises(IfteError, match="ข้อความ"):
        run_beside(_raise, IfteError("ข้อความ", "message"))()
    failing = run_beside(_raise, ValueError("bad value"))
    for _ in range(2):  # raised again when asked again, never read twice from its pipe
        with pytest.raises(ValueError, match="bad value"):
            failing()


def test_a_process_that_stops_without_a_result_is_an_error():
    import pytest

    from build_tools.errors import IfteError
    from build_tools.workers import run_beside

    with pytest.raises(IfteError, match="stopped"):
        run_beside(_die)()


def _result_then_save(folder) -> object:
    import time

    from build_tools.workers import ThenFinish

    def save() -> None:
        while not (folder / "go").exists():  # held until the test lets it go
            time.sleep(0.01)
        (folder / "saved").write_text("yes")

    return ThenFinish("result", save)


def test_a_result_comes_back_before_its_process_finishes_saving(tmp_path):
    from build_tools.workers import run_beside, wait_beside

    assert run_beside(_result_then_save, tmp_path)() == "result"  # not held: told to go below
    assert not (tmp_path / "saved").exists()
    (tmp_path / "go").write_text("")
    wait_beside()
    assert (tmp_path / "saved").read_text() == "yes"
    # In this process, the saving is done before the result is given.
    (tmp_path / "saved").unlink()
    assert run_beside(_result_then_save, tmp_path, fork=False)() == "result"
    assert (tmp_path / "saved").exists()


def _result_then_fail(folder) -> object:
    import time

    from build_tools.errors import IfteError
    from build_tools.workers import ThenFinish

    def write() -> None:
        while not (folder / "go").exists():
            time.sleep(0.01)
        raise IfteError("เขียนไฟล์ไม่ได้", "could not write a file")

    return ThenFinish("result", write)


def test_work_that_fails_after_its_result_fails_the_wait_for_it(tmp_path, caplog):
    # The generators give their pages, then write their files: a file they cannot write
    # must fail the build, whether it fails before or after the result was read.
    import os
    import time

    import pytest

    from build_tools.errors import IfteError
    from build_tools.workers import run_beside, wait_beside

    assert run_beside(_result_then_fail, tmp_path)() == "result"  # still finishing
    (tmp_path / "go").write_text("")
    with pytest.raises(IfteError, match="work beside the build failed"):
        wait_beside()
    wait_beside()  # a failure is reported once

    join = run_beside(_result_then_fail, tmp_path)  # "go" is there: it fails at once
    time.sleep(0.5)
    assert join() == "result"  # its process has ended by now
    with pytest.raises(IfteError, match="work beside the build failed"):
        wait_beside()
    assert os.getpid()  # this process carries on
