"""ResultCache: results kept between runs, split over files so few are rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.core import cache
from build_tools.core.cache import ResultCache, store_folder


@pytest.fixture
def writes(monkeypatch) -> list[Path]:
    written: list[Path] = []
    original = cache.write_bytes_atomic

    def write(path: Path, data: bytes) -> bool:
        written.append(path)
        return original(path, data)

    monkeypatch.setattr(cache, "write_bytes_atomic", write)
    return written


def fill(root: Path, keys: list[str]) -> None:
    results = ResultCache(root, "kind", "salt", shards=4)
    for key in keys:
        results.put(key, f"result of {key}")
    results.save()


@pytest.fixture
def keys(tmp_path, writes) -> list[str]:
    """Keys of results stored by an earlier run (whose writes are forgotten)."""
    stored = [f"key {n}" for n in range(40)]
    fill(tmp_path, stored)
    writes.clear()
    return stored


def test_results_come_back_in_a_later_run(tmp_path, keys):
    results = ResultCache(tmp_path, "kind", "salt", shards=4)
    assert results.get("key 1") == "result of key 1"
    assert results.get("other key") is None


def test_another_salt_starts_empty(tmp_path, keys):
    assert ResultCache(tmp_path, "kind", "other salt", shards=4).get("key 1") is None


def test_run_using_every_result_writes_nothing(tmp_path, keys, writes):
    results = ResultCache(tmp_path, "kind", "salt", shards=4)
    for key in keys:
        results.put(key, results.get(key))
    results.save()
    assert writes == []


def test_new_result_rewrites_only_its_own_file(tmp_path, keys, writes):
    results = ResultCache(tmp_path, "kind", "salt", shards=4)
    for key in keys:
        results.get(key)
    results.put("new key", "new result")
    results.save()
    assert writes == [results.paths[results._shard("new key")]]
    again = ResultCache(tmp_path, "kind", "salt", shards=4)
    assert again.get("new key") == "new result"
    assert all(again.get(key) == f"result of {key}" for key in keys)


def test_unused_results_are_dropped(tmp_path, keys, writes):
    results = ResultCache(tmp_path, "kind", "salt", shards=4)
    for key in keys[1:]:
        results.get(key)
    results.save()
    assert writes == [results.paths[results._shard(keys[0])]]
    again = ResultCache(tmp_path, "kind", "salt", shards=4)
    assert again.get(keys[0]) is None
    assert all(again.get(key) == f"result of {key}" for key in keys[1:])


def test_a_remembered_cache_is_read_from_disk_only_when_its_file_changed(tmp_path, monkeypatch):
    import pickle

    reads = []
    original = cache._unpickle
    monkeypatch.setattr(cache, "_unpickle", lambda data: reads.append(1) or original(data))
    monkeypatch.setattr(cache, "_READ", {})
    first = ResultCache(tmp_path, "kind", "salt", remember=True)
    first.put("a", "result of a")
    first.save()
    assert ResultCache(tmp_path, "kind", "salt", remember=True).get("a") == "result of a"
    assert reads == []  # as this process wrote it
    assert ResultCache(tmp_path, "kind", "other salt", remember=True).get("a") is None
    # Another process writes the file: it is read again.
    path = store_folder(tmp_path) / "kind.pickle"
    path.write_bytes(pickle.dumps(("salt", {"a": "changed elsewhere"})))
    assert ResultCache(tmp_path, "kind", "salt", remember=True).get("a") == "changed elsewhere"
    assert reads == [1]
    # Without `remember`, every construction reads the file.
    ResultCache(tmp_path, "kind", "salt")
    assert reads == [1, 1]


def test_a_remembered_result_is_made_again_only_when_its_inputs_change(tmp_path):
    made: list[str] = []

    def make(text: str):
        return lambda: made.append(text) or text.upper()

    assert cache.remember(tmp_path, "kind", ["a", 1], make("first")) == "FIRST"
    assert cache.remember(tmp_path, "kind", ["a", 1], make("second")) == "FIRST"
    assert cache.remember(tmp_path, "kind", ["a", 2], make("third")) == "THIRD"
    assert made == ["first", "third"]


def test_a_remembered_result_does_not_depend_on_which_equal_strings_are_shared(tmp_path):
    shared = "โรงเรียน" * 3
    first = cache.remember(tmp_path, "kind", [(shared, shared)], lambda: "made once")
    copies = ("โรงเรียน" * 3, "".join(["โรงเรียน"] * 3))  # equal, but two objects
    assert cache.remember(tmp_path, "kind", [copies], lambda: "made twice") == first


def _stored(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*/*.pickle")}


def test_a_prune_lists_only_folders_with_new_files(tmp_path, monkeypatch):
    # Prunes remember what they kept and when each folder last changed: a key dropped
    # since is removed by name, a file put since is found in its changed folder, and a
    # folder as it was is not listed at all.
    monkeypatch.setattr(cache, "RACY_NS", 0)  # times are trusted at once
    store = cache.FileCache(tmp_path, "values")
    keys = [f"{n:02x}{'k' * 30}" for n in range(0, 256, 8)]  # one per folder
    for key in keys:
        store.put(key, key)
    assert store.prune(set(keys)) == 0

    listed: list[str] = []
    scandir = cache.os.scandir
    monkeypatch.setattr(cache.os, "scandir", lambda path: listed.append(path) or scandir(path))
    assert store.prune(set(keys)) == 0
    assert listed == [store.folder]  # the cache folder itself, no shard folder

    stray = keys[3][:2] + "stray"  # put by a build of other settings: not kept
    store.put(stray, "x")
    assert store.prune(set(keys[1:])) == 2  # keys[0] by name, the stray by listing
    # Listed: the stray's folder, and the one the removal by name just changed.
    assert sorted(Path(p).name for p in listed[2:]) == [keys[0][:2], keys[3][:2]]
    assert _stored(store.folder) == set(keys[1:])


def test_a_prune_without_its_memory_lists_every_folder(tmp_path):
    store = cache.FileCache(tmp_path, "values")
    for key in ("aa1", "bb2", "cc3"):
        store.put(key, key)
    store.prune({"aa1", "bb2", "cc3"})
    (store.folder / cache.PRUNED).write_bytes(b"not a pickle")
    assert store.prune({"aa1"}) == 2
    assert _stored(store.folder) == {"aa1"}
