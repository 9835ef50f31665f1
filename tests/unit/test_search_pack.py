"""The search pack (build_tools/search/pack.py) and the patched export it allows.

An edit patches the pack and the export; the result must be byte for byte what a
build from scratch makes, whichever path it took.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import pickle
import random
from types import SimpleNamespace

import pytest

from build_tools.core.cache import store_folder
from build_tools.core.site import SiteSettings
from build_tools.core.vocabularies import load_vocabularies
from build_tools.search import export as search_export
from build_tools.search.pack import SearchPack, close_pack
from tests.conftest import REPO_ROOT
from tests.search_factory import make_entry

VOCABULARIES = load_vocabularies(REPO_ROOT / "vocabularies.yml")
WORDS = (
    "การอ่าน การเขียน นักเรียน ครู ชุมชน โครงงาน ทักษะ คณิตศาสตร์ วิทยาศาสตร์ ภาษาไทย "
    "กิจกรรม ผลสัมฤทธิ์ แบบฝึก นิทาน เกม ดนตรี สุขภาพ เกษตร อาหาร ห้องสมุด ออนไลน์ "
    "สะเต็ม robot coding พลังงาน ขยะ น้ำ ป่า ศิลปะ กีฬา ประวัติศาสตร์ ท้องถิ่น"
).split()


# Words few entries share: what relates two entries.
RARE = [
    f"{a}{b}"
    for a in ("red", "blue", "gold", "dark", "soft", "wild")
    for b in "fox owl bee elk yak".split()
]


def make_corpus(count: int = 30, seed: int = 7) -> tuple:
    chance = random.Random(seed)
    entries = []
    for i in range(count):
        body = " ".join(chance.choice(WORDS) for _ in range(120))
        body += " " + " ".join(chance.sample(RARE, 6))
        entry = make_entry(
            f"entry-{i:02d}",
            f"{chance.choice(WORDS)}{chance.choice(WORDS)} ชุดที่ {i}",
            " ".join(chance.choice(WORDS) for _ in range(12)),
            body,
            year=2565 + i % 3,
            keywords=(chance.choice(WORDS), chance.choice(WORDS)),
        )
        entries.append(dataclasses.replace(entry, content_hash=f"h{i}"))
    return tuple(entries)


def edit(entries: tuple, index: int, old: str, new: str, tag: str) -> tuple:
    entry = entries[index]
    assert old in entry.body
    changed = dataclasses.replace(entry, body=entry.body.replace(old, new, 1), content_hash=tag)
    return entries[:index] + (changed,) + entries[index + 1 :]


def pack_rows(pack: SearchPack) -> tuple:
    db = pack._db
    return (
        db.execute("SELECT number, id, key, record, lengths FROM documents ORDER BY 1").fetchall(),
        db.execute("SELECT * FROM postings ORDER BY term, field").fetchall(),
    )


@pytest.fixture(autouse=True)
def _no_shared_pack():
    yield
    close_pack()


@pytest.fixture(autouse=True)
def _main_segment_only(monkeypatch):
    """Every document in the main segment (a delta of 1 is always empty), unless a test
    sets a delta of its own: these corpora are smaller than a real delta."""
    from build_tools.search import ranking

    monkeypatch.setattr(ranking, "DELTA_DOCS", 1)


def test_a_patched_pack_equals_one_built_from_scratch(tmp_path):
    entries = make_corpus()
    pack = SearchPack(tmp_path / "pack.sqlite")
    pack.sync(entries, VOCABULARIES, tmp_path)
    first = pack.generation
    edited = edit(entries, 5, entries[5].body.split()[3], "ปลาทู", "e1")
    pack.sync(edited, VOCABULARIES, tmp_path)
    change = pack.change
    assert (change.since, change.generation, change.rebuilt) == (first, first + 1, False)
    assert change.numbers == {pack.ids().index(entries[5].id)}
    assert "ปลาทู" in change.terms
    fresh = SearchPack(None)
    fresh.sync(edited, VOCABULARIES, None)
    assert pack_rows(pack) == pack_rows(fresh)
    # Nothing changed: no new generation.
    pack.sync(edited, VOCABULARIES, tmp_path)
    assert pack.generation == first + 1


def test_a_longer_body_changes_only_the_words_whose_weight_moved(tmp_path):
    # One more word normalises every word of the body again, but most quantised weights
    # stay: those words' postings, and the export files holding them, are unchanged.
    entries = make_corpus()
    pack = SearchPack(tmp_path / "pack.sqlite")
    pack.sync(entries, VOCABULARIES, tmp_path)
    number = pack.ids().index(entries[5].id)
    before = pack.document_weights(number)
    own = entries[5].body.split()
    edited = edit(entries, 5, own[-1], f"{own[-1]} ปลาทู", "longer")
    pack.sync(edited, VOCABULARIES, tmp_path)
    after = pack.document_weights(number)
    assert pack.average_lengths() == _fresh_pack(entries).average_lengths()  # patchable
    moved = {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
    assert pack.change.terms == moved
    assert "ปลาทู" in moved and len(moved) < len(after) // 2
    assert pack_rows(pack) == pack_rows(_fresh_pack(edited))


def test_a_moved_entry_rebuilds_the_pack(tmp_path):
    entries = make_corpus()
    pack = SearchPack(tmp_path / "pack.sqlite")
    pack.sync(entries, VOCABULARIES, tmp_path)
    identity = pack.identity
    moved = dataclasses.replace(entries[4], year=2599, content_hash="moved")
    pack.sync(entries[:4] + (moved,) + entries[5:], VOCABULARIES, tmp_path)
    assert pack.change.rebuilt and pack.identity != identity and pack.ids()[-1] == moved.id


@pytest.mark.parametrize("change", ["added", "removed", "added, removed and edited"])
def test_added_or_removed_entries_renumber_the_pack_into_a_fresh_one(tmp_path, monkeypatch, change):
    entries = make_corpus()
    pack = SearchPack(tmp_path / "pack.sqlite")
    pack.sync(entries, VOCABULARIES, tmp_path)
    identity = pack.identity
    added = dataclasses.replace(
        entries[7], slug="entry-07b", title="ปลาทูแม่กลอง", content_hash="added"
    )
    if change == "added":
        changed = entries + (added,)
    elif change == "removed":
        changed = entries[:3] + entries[4:]
    else:
        changed = edit(entries[:3] + entries[4:] + (added,), 10, "ครู", "ปลาช่อน", "e")
    fresh = _fresh_pack(changed)
    monkeypatch.setattr(SearchPack, "_rebuild", lambda *a: pytest.fail("rebuilt"))
    pack.sync(changed, VOCABULARIES, tmp_path)
    assert pack.change.rebuilt and pack.identity != identity
    assert pack_rows(pack) == pack_rows(fresh)
    assert pack.average_lengths() == fresh.average_lengths()


def export_once(root, entries, site):
    catalog = SimpleNamespace(entries=entries, vocabularies=VOCABULARIES)
    search_export.export_site_search(catalog, SiteSettings("s", "", root), site)
    close_pack()


def exported_files(site) -> dict:
    folder = site / "search-index"
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_edit_patches_the_export_into_what_a_fresh_build_makes(tmp_path, monkeypatch):
    entries = make_corpus()
    export_once(tmp_path / "repo", entries, tmp_path / "site")
    before = exported_files(tmp_path / "site")
    word = entries[8].body.split()[10]
    edited = edit(entries, 8, word, "ปลาทู", "e1")  # one word for another: same lengths

    made_again = []
    real = search_export.iter_files
    monkeypatch.setattr(search_export, "iter_files", lambda *a: made_again.append(1) or real(*a))
    export_once(tmp_path / "repo", edited, tmp_path / "site")
    assert not made_again, "the export was made again instead of patched"
    patched = exported_files(tmp_path / "site")

    export_once(tmp_path / "fresh", edited, tmp_path / "fresh-site")
    assert patched == exported_files(tmp_path / "fresh-site")
    assert patched != before
    # Most files are the previous version's, hard-linked into the new one.
    old_version = json.loads(before[search_export.Path("manifest.json")])["folder"]
    new_version = json.loads(patched[search_export.Path("manifest.json")])["folder"]
    kept = {p.name for p in before if p.parts[0] == old_version}
    same = {p.name for p in patched if p.parts[0] == new_version} & kept
    changed = [
        n
        for n in same
        if before[search_export.Path(old_version, n)] != patched[search_export.Path(new_version, n)]
    ]
    assert len(same) - len(changed) > len(patched) // 2


def test_a_cached_shard_unlike_its_record_makes_the_export_again(tmp_path, monkeypatch):
    # The patch copies unchanged terms as the bytes the state says they take: a shard
    # whose bytes moved (the same JSON, its last term spaced) must not be cut at the
    # recorded places.
    entries = make_corpus()
    export_once(tmp_path / "repo", entries, tmp_path / "site")
    folder = (
        store_folder(tmp_path / "repo") / search_export.EXPORT_CACHE / search_export.SITE_FOLDER
    )
    version = json.loads((folder / "manifest.json").read_text())["folder"]
    for shard in (folder / version).glob("postings-*.json"):
        data = shard.read_bytes()
        shard.unlink()  # the site folder's hard link keeps what it had
        comma = data.rindex(b"],")
        shard.write_bytes(data[:comma] + b"], " + data[comma + 2 :])
    edited = edit(entries, 8, entries[8].body.split()[10], "ปลาทู", "e1")
    made_again = []
    real = search_export.iter_files
    monkeypatch.setattr(search_export, "iter_files", lambda *a: made_again.append(1) or real(*a))
    export_once(tmp_path / "repo", edited, tmp_path / "site")
    assert made_again
    export_once(tmp_path / "fresh", edited, tmp_path / "fresh-site")
    assert exported_files(tmp_path / "site") == exported_files(tmp_path / "fresh-site")


@pytest.mark.parametrize("delta_docs", [1, 8])  # 8: the newest 6 of 30 in a delta
@pytest.mark.parametrize("max_postings", [1000, 5])  # 5: most lists are cut short
@pytest.mark.parametrize(
    "change",
    [
        "one word",
        "add words",
        "remove a word",
        "gain a shared word",
        "lose a shared word",
        "new year",
        "added entry",
        "appended entry",
        "removed entry",
        "several edits",
    ],
)
def test_any_edit_gives_the_export_a_fresh_build_makes(
    tmp_path, monkeypatch, change, max_postings, delta_docs
):
    from build_tools.search import ranking

    monkeypatch.setattr(ranking, "DELTA_DOCS", delta_docs)
    monkeypatch.setattr(ranking, "MAX_POSTINGS", max_postings)
    monkeypatch.setattr(search_export, "MAX_POSTINGS", max_postings)
    entries = make_corpus()
    export_once(tmp_path / "repo", entries, tmp_path / "site")
    if change == "one word":
        edited = edit(entries, 8, entries[8].body.split()[10], "ปลาทู", "o")
    elif change == "add words":
        # Long enough to move the rounded average body length (a step is about 9 %).
        edited = edit(entries, 3, "ครู", "ครู ปลาทู ปลาช่อน robotics " * 200, "a")
    elif change == "remove a word":
        word = entries[11].body.split()[0]
        edited = edit(entries, 11, word + " ", "", "r")
    elif change in ("gain a shared word", "lose a shared word"):
        # A word in more entries than a list holds: its count moves without a recount.
        held = lambda word: sum(word in e.body.split() for e in entries)  # noqa: E731
        own = entries[5].body.split()
        if change == "gain a shared word":
            word = next(w for w in RARE if w not in own and held(w) > 5)
            edited = edit(entries, 5, own[-1], f"{own[-1]} {word}", "g")
        else:
            word = next(w for w in own[-6:] if held(w) > 5)
            edited = edit(entries, 5, f" {word}", "", "l")
    elif change == "new year":
        edited = entries[:2] + (dataclasses.replace(entries[2], year=2570, content_hash="y"),)
        edited += entries[3:]
    elif change == "added entry":
        edited = entries + (dataclasses.replace(entries[6], slug="entry-06b", content_hash="n"),)
    elif change == "appended entry":  # the newest, as the submission form dates it
        new = dataclasses.replace(
            entries[7],
            slug="entry-new",
            year=2567,
            submitted=datetime.date(2025, 1, 1),
            content_hash="p",
        )
        edited = entries + (new,)
    elif change == "removed entry":
        edited = entries[:12] + entries[13:]
    else:
        edited = edit(edit(entries, 0, "ครู", "อาจารย์", "s1"), 20, "เกม", "เกมกระดาน", "s2")
    patched = []
    plan_patch = search_export.plan_patch
    monkeypatch.setattr(
        search_export, "plan_patch", lambda *a: patched.append(plan_patch(*a)) or patched[-1]
    )
    export_once(tmp_path / "repo", edited, tmp_path / "site")
    export_once(tmp_path / "fresh", edited, tmp_path / "fresh-site")
    assert exported_files(tmp_path / "site") == exported_files(tmp_path / "fresh-site")
    # Patched, not made again, unless the edit moved an average length or an entry.
    moved = change in ("new year", "added entry", "removed entry")
    merged = change == "appended entry" and delta_docs == 1  # the delta filled: merged
    # An edit in each segment at once is made again (a rare case, kept simple).
    both = change == "several edits" and delta_docs == 8
    expected = [] if moved else [change != "add words" and not merged and not both]
    assert [files is not None for files in patched] == expected


def test_a_document_leaving_a_cut_list_is_replaced_from_its_spares(tmp_path, monkeypatch):
    # Lists cut at 5: a listed entry that keeps a common word once (its weight drops out
    # of the list) is replaced by the first spare, without weighing the word's entries
    # again; edits in a row use up spares, and every export equals a fresh one.
    from build_tools.search import pack as search_pack
    from build_tools.search import ranking

    monkeypatch.setattr(ranking, "MAX_POSTINGS", 5)
    monkeypatch.setattr(search_export, "MAX_POSTINGS", 5)
    weighed: list[str] = []
    patches = []
    plan_patch = search_export.plan_patch
    monkeypatch.setattr(
        search_export, "plan_patch", lambda *a: patches.append(plan_patch(*a)) or patches[-1]
    )
    postings = search_pack.SearchPack.postings
    monkeypatch.setattr(
        search_pack.SearchPack,
        "postings",
        lambda pack, term: weighed.append(term) or postings(pack, term),
    )
    entries = make_corpus()
    export_once(tmp_path / "repo", entries, tmp_path / "site")
    state_file = store_folder(tmp_path / "repo") / search_export.EXPORT_CACHE / "state.pickle"
    word = "ครู"
    spare_counts = []
    for step in range(2):
        spare_counts.append(len(pickle.loads(state_file.read_bytes()).spares[word]))
        top = _listed_numbers(tmp_path / "site", word)
        ids = _fresh_pack(entries).ids()
        index = next(  # an entry with the word in its body only
            i
            for i, e in enumerate(entries)
            if ids.index(e.id) in top and word not in f"{e.title} {e.summary} {e.keywords}"
        )
        # The word once, another in its other places: the body keeps its length (so the
        # average lengths stay and the export is patched) and the entry leaves the list.
        body = entries[index].body.replace(word, "zebra", entries[index].body.count(word) - 1)
        once = dataclasses.replace(entries[index], body=body, content_hash=f"once{step}")
        entries = entries[:index] + (once,) + entries[index + 1 :]
        weighed.clear()
        patches.clear()
        export_once(tmp_path / "repo", entries, tmp_path / "site")
        assert patches and patches[0] is not None, "made again instead of patched"
        assert word not in weighed
        export_once(tmp_path / "fresh", entries, tmp_path / "fresh-site")
        assert exported_files(tmp_path / "site") == exported_files(tmp_path / "fresh-site")
        assert ids.index(entries[index].id) not in _listed_numbers(tmp_path / "site", word)
    spare_counts.append(len(pickle.loads(state_file.read_bytes()).spares[word]))
    assert spare_counts[0] == search_pack.SPARE_POSTINGS
    assert spare_counts == sorted(spare_counts, reverse=True) and spare_counts[-1] < spare_counts[0]


def _listed_numbers(site, word: str) -> set[int]:
    from itertools import accumulate

    folder = site / search_export.SITE_FOLDER
    version = json.loads((folder / "manifest.json").read_text())["folder"]
    for shard in (folder / version).glob("postings-*.json"):
        lists = json.loads(shard.read_text())
        if word in lists:
            return set(accumulate(lists[word][::2]))
    raise AssertionError(f"{word} not exported")


@pytest.mark.parametrize(
    "change",
    ["one word", "add words", "remove a word", "repeat", "rewrite", "unrelated", "several edits"],
)
def test_related_entries_after_an_edit_equal_a_fresh_computation(tmp_path, monkeypatch, change):
    from build_tools.features import related

    # Always update, however many entries an edit affects: the hardest case for exactness.
    monkeypatch.setattr(related, "AFFECTED_MIN", 10_000)
    entries = make_corpus(60)
    catalog = SimpleNamespace(entries=entries, vocabularies=VOCABULARIES)
    before = related.plan_related_cached(catalog, tmp_path)
    if change == "one word":
        edited = edit(entries, 8, entries[8].body.split()[10], "ปลาทู", "o")
    elif change == "add words":
        # Long enough to move the rounded average body length (a step is about 9 %).
        edited = edit(entries, 3, "ครู", "ครู ปลาทู ปลาช่อน robotics " * 200, "a")
    elif change == "remove a word":
        edited = edit(entries, 11, entries[11].body.split()[0] + " ", "", "r")
    elif change == "repeat":  # its title words again: no frequency changes, one entry affected
        words, rest = entries[7].title.split(" ", 1)
        title = f"{words} {words} {words} {words} {rest}"
        repeated = dataclasses.replace(entries[7], title=title, content_hash="p")
        edited = entries[:7] + (repeated,) + entries[8:]
    elif change == "rewrite":  # another entry's text: they become each other's closest
        source = entries[40]
        copy = dataclasses.replace(
            entries[5],
            title=source.title,
            summary=source.summary,
            keywords=source.keywords,
            body=source.body,
            content_hash="w",
        )
        edited = entries[:5] + (copy,) + entries[6:]
    elif change == "unrelated":  # words no other entry has: it now relates to nothing
        unique = " ".join(f"zq{n}x" for n in range(40))
        alone = dataclasses.replace(
            entries[5], title=unique, summary=unique, keywords=(), body=unique, content_hash="u"
        )
        edited = entries[:5] + (alone,) + entries[6:]
    else:
        edited = edit(edit(entries, 0, "ครู", "อาจารย์", "s1"), 20, "เกม", "เกมกระดาน", "s2")
    calls = []
    full = related.plan_related_from_index
    monkeypatch.setattr(related, "plan_related_from_index", lambda *a: calls.append(1) or full(*a))
    catalog.entries = edited
    patched = related.plan_related_cached(catalog, tmp_path)
    assert not calls, "computed again instead of updated"
    close_pack()
    fresh = full(_fresh_pack(edited))
    assert patched == fresh
    # Every score too, to the last bit of its rounding: the update summed as pass 2 does.
    assert _saved_state(catalog, tmp_path).lists == _fresh_state(edited).lists
    if change == "repeat":  # lists of entries it did not affect now show it
        gained = [i for i, ids in patched.items() if entries[7].id in set(ids) - set(before[i])]
        assert gained
    if change == "unrelated":  # lists that showed it no longer do, nor does any other
        assert any(entries[5].id in ids for ids in before.values())
        assert not any(entries[5].id in ids for ids in patched.values())
    if change == "rewrite":  # the test means something: lists did change
        assert patched[entries[5].id][0] == entries[40].id != before[entries[5].id][0]


def test_related_entries_after_edits_in_a_row_equal_a_fresh_computation(tmp_path, monkeypatch):
    # The second update reads the state the first one saved, with its key features
    # repacked: what a teacher's second save in a row meets.
    from build_tools.features import related

    monkeypatch.setattr(related, "AFFECTED_MIN", 10_000)
    entries = make_corpus(60)
    catalog = SimpleNamespace(entries=entries, vocabularies=VOCABULARIES)
    related.plan_related_cached(catalog, tmp_path)
    full = related.plan_related_from_index
    calls = []
    monkeypatch.setattr(related, "plan_related_from_index", lambda *a: calls.append(1) or full(*a))
    source = entries[40]
    for step, index in enumerate((5, 12)):
        copy = dataclasses.replace(
            entries[index],
            title=source.title,
            summary=source.summary,
            keywords=source.keywords,
            body=source.body,
            content_hash=f"row{step}",
        )
        entries = entries[:index] + (copy,) + entries[index + 1 :]
        catalog.entries = entries
        patched = related.plan_related_cached(catalog, tmp_path)
        close_pack()
        assert patched == full(_fresh_pack(entries))
    assert not calls, "computed again instead of updated"
    # Both copies of entry 40's text: each other's closest, with entry 40.
    assert set(patched[entries[12].id][:2]) == {entries[5].id, source.id}


def test_related_entries_updated_after_an_edit_equal_a_fresh_computation(tmp_path, monkeypatch):
    from build_tools.features import related

    monkeypatch.setattr(related, "AFFECTED_MIN", 10_000)
    entries = make_corpus(60)
    catalog = SimpleNamespace(entries=entries, vocabularies=VOCABULARIES)
    related.plan_related_cached(catalog, tmp_path)
    edited = edit(entries, 8, entries[8].body.split()[10], "ปลาทู", "o")
    catalog.entries = edited
    updated = related.plan_related_cached(catalog, tmp_path)
    close_pack()
    assert updated == related.plan_related_from_index(_fresh_pack(edited))
    # The result is kept: the next build reads it and works nothing out.
    from build_tools.search import pack

    def not_opened(*args):
        raise AssertionError("the pack is not opened for a kept result")

    monkeypatch.setattr(pack, "open_pack", not_opened)
    assert related.plan_related_cached(catalog, tmp_path) == updated


def test_key_features_keep_each_heap_through_a_save():
    import pickle

    from build_tools.features.related import KeyFeatures

    heaps = [
        [(0.5, ("body", "ครู")), (0.7, ("title", "เกม"))],
        [],
        [(0.2, ("body", "ครู")), (0.9, ("body", "นิทาน"))],
    ]
    keys = KeyFeatures(heaps)
    assert [keys[n] for n in range(3)] == heaps
    keys[1] = [(0.4, ("meta", "ลพบุรี"))]
    keys[2] = [(0.3, ("title", "เกม"))]
    saved = pickle.loads(pickle.dumps(keys))
    assert [saved[n] for n in range(3)] == [heaps[0], keys[1], keys[2]]
    assert not saved.replaced
    keys.repack()  # the same, in place
    assert not keys.replaced
    assert [keys[n] for n in range(3)] == [saved[n] for n in range(3)]
    assert list(keys.ids) == list(saved.ids) and list(keys.starts) == [0, 2, 3, 4]


def test_key_features_packed_from_arrays_read_as_lists():
    import numpy as np

    from build_tools.features.related import KeyFeatures

    table = [("body", "ครู"), ("title", "เกม"), ("body", "นิทาน"), ("meta", "ลพบุรี")]
    keys = KeyFeatures.packed(
        table, np.array([0, 2, 2, 4]), np.array([1, 0, 2, 0]), np.array([0.7, 0.5, 0.9, 0.2])
    )
    assert [keys[n] for n in range(3)] == [
        [(0.7, ("title", "เกม")), (0.5, ("body", "ครู"))],
        [],
        [(0.9, ("body", "นิทาน")), (0.2, ("body", "ครู"))],
    ]
    assert ("meta", "ลพบุรี") not in keys.table  # only the features keyed


def _saved_state(catalog, root):
    from build_tools.core.cache import ResultCache
    from build_tools.features import related

    return ResultCache(root, "related-state", related._salt(catalog)).latest()


def _fresh_state(entries):
    from build_tools.features import related

    state = related.RelatedState("", 0)
    related.plan_related_from_index(_fresh_pack(entries), related.RELATED_LIMIT, state)
    return state


def test_related_scores_in_batches_equal_sums_made_one_by_one(monkeypatch):
    """Pass 2 adds each entry's scores with numpy, a batch of entries at once: the lists
    equal those of adding the same products one by one in Python, over the key features
    in key order, for every entry."""
    import math
    from collections import defaultdict

    from build_tools.features import related

    monkeypatch.setattr(related, "BATCH_CELLS", 150)  # 2 entries a batch: 30 batches
    pack = _fresh_pack(make_corpus(60))
    state = related.RelatedState("", 0)
    related.plan_related_from_index(pack, related.RELATED_LIMIT, state)
    ids, count = pack.ids(), len(pack.ids())
    rows = {}
    for number in range(count):
        keys = state.keys[number]
        weights = [w for w, _ in keys]
        assert weights == sorted(weights, reverse=True) and len(keys) <= related.KEY_TERMS
        scores = defaultdict(float)
        for w, feature in keys:
            if feature not in rows:
                numbers, counts = pack.field_row(*feature)
                scale = related._scale(feature[0], len(numbers), count)
                rows[feature] = [
                    (d, scale * related._tf(f) / math.sqrt(state.norms[d]))
                    for d, f in zip(numbers, counts, strict=True)
                ]
            for other, w_other in rows[feature]:
                scores[other] += w * w_other
        assert state.lists[number] == related._rank(
            number, scores, state.norms, ids, related.RELATED_LIMIT
        )
    assert sum(len(listed) for listed in state.lists) > count  # the test means something


def _fresh_pack(entries) -> SearchPack:
    pack = SearchPack(None)
    pack.sync(entries, VOCABULARIES, None)
    return pack


def test_rows_looked_up_in_batches_equal_those_looked_up_one_by_one(monkeypatch):
    from build_tools.search import pack as pack_module

    monkeypatch.setattr(pack_module, "ROWS_BATCH", 3)
    pack = _fresh_pack(make_corpus(20))
    features = [("body", term) for term, _, _ in list(pack.field_postings("body"))[:7]]
    features += [("title", "ไม่มีคำนี้"), ("meta", features[0][1])]
    rows = pack.field_rows(features)
    assert rows == [pack.field_row(*feature) for feature in features]
    assert rows[-2] == (pack_module.array("I"), pack_module.array("I"))  # no such term
    assert all(len(numbers) == len(counts) > 0 for numbers, counts in rows[:7])


def test_a_damaged_pack_file_is_made_again(tmp_path):
    entries = make_corpus(5)
    path = tmp_path / "pack.sqlite"
    path.write_bytes(b"not a database, the end of an interrupted copy" * 100)
    pack = SearchPack(path)
    pack.sync(entries, VOCABULARIES, tmp_path)
    assert pack.document_count == 5


def test_a_pack_made_in_batches_equals_one_made_at_once(tmp_path, monkeypatch):
    from build_tools.search import pack as pack_module

    entries = make_corpus()
    whole = _fresh_pack(entries)
    monkeypatch.setattr(pack_module, "REBUILD_BATCH", 7)
    batched = SearchPack(tmp_path / "pack.sqlite")
    batched.sync(entries, VOCABULARIES, tmp_path)
    assert pack_rows(batched) == pack_rows(whole)


def test_ranking_rounds_and_breaks_ties_as_a_full_sort_does():
    """`_rank` rounds and sorts only the scores that can place: the same lists as
    rounding and sorting them all, near-ties across the cut included."""
    import math
    import random

    from build_tools.features.related import MIN_SIMILARITY, _rank

    rnd = random.Random(7)
    ids = [f"entry-{n:04d}" for n in range(400)]
    for _ in range(300):
        norm2 = rnd.choice([1e-6, 0.5, 3.0, 40.0])
        norms = [norm2] * len(ids)
        best = rnd.uniform(0.01, 0.6) * math.sqrt(norm2)
        scores = {n: rnd.uniform(0, best) for n in range(1, rnd.randint(2, 400))}
        for n in rnd.sample(sorted(scores), min(6, len(scores))):  # ties, and all but ties
            scores[n] = best - rnd.choice([0.0, 1e-10, 4e-10, 1e-9, 3e-9]) * math.sqrt(norm2)
        norm = math.sqrt(norm2)
        everything = sorted(
            ((round(s / norm, 9), ids[o]) for o, s in scores.items() if o != 0),
            key=lambda pair: (-pair[0], pair[1]),
        )
        expected = [(s, i) for s, i in everything[:4] if s >= MIN_SIMILARITY]
        assert _rank(0, dict(scores), norms, ids, 4) == expected


def test_postings_are_cut_in_ranking_order_with_their_spares():
    import random

    from build_tools.search.ranking import MAX_POSTINGS, cut_ranked, rank_posting

    rnd = random.Random(11)
    for size in (3, MAX_POSTINGS, MAX_POSTINGS + 1, MAX_POSTINGS + 40, 3000):
        numbers = rnd.sample(range(10 * size), size)
        postings = [(n, rnd.randint(1, 12)) for n in numbers]  # many equal weights
        ranked = sorted(postings, key=rank_posting)
        kept, spares = cut_ranked(postings, 16)
        assert kept == sorted(ranked[:MAX_POSTINGS])
        assert spares == ranked[MAX_POSTINGS : MAX_POSTINGS + 16]


def test_feature_counts_act_as_a_dictionary_and_survive_a_pickle():
    from build_tools.features.related import FeatureCounts

    generator = random.Random(7)
    words = ["ครู", "การอ่าน", "a", "", "z\0z", "ปลาทู", "เกม", "robot"]
    fields = ["title", "body", "meta"]
    expected = {(f, w): generator.randint(1, 9) for f in fields for w in words[:5]}
    counts = FeatureCounts(dict(expected))
    for step in range(300):
        feature = (generator.choice(fields), generator.choice(words))
        action = generator.random()
        if action < 0.4:
            counts[feature] = expected[feature] = generator.randint(1, 99)
        elif action < 0.6:
            assert counts.pop(feature) == expected.pop(feature, None)
        assert counts.get(feature, 0) == expected.get(feature, 0)
        if step % 50 == 0:
            counts = pickle.loads(pickle.dumps(counts))
    for feature in {(f, w) for f in fields for w in words}:
        assert counts.get(feature, 0) == expected.get(feature, 0)
    empty = pickle.loads(pickle.dumps(FeatureCounts({("body", "x"): 1})))
    empty.pop(("body", "x"))
    assert pickle.loads(pickle.dumps(empty)).get(("body", "x")) == 0


@pytest.mark.parametrize("batch", [7, 10_000])  # 7 rows: terms run across batches
def test_postings_weighed_with_numpy_equal_a_python_loop(monkeypatch, batch):
    """`iter_postings` and `postings` weigh rows with numpy; a Python loop that sums each
    document's count × factor in FIELDS order and cuts with `cut_postings` gives the same
    document frequencies, weights, cut lists and spares."""
    from build_tools.search import pack as pack_module
    from build_tools.search import ranking
    from build_tools.search.documents import FIELDS
    from build_tools.search.pack import SPARE_POSTINGS, _array
    from build_tools.search.ranking import format_field_factors

    monkeypatch.setattr(ranking, "MAX_POSTINGS", 5)  # most lists are cut
    monkeypatch.setattr(pack_module, "BULK_ROWS", batch)
    pack = _fresh_pack(make_corpus())
    averages = pack.average_lengths()
    factors = [format_field_factors(lengths, averages) for lengths in pack._lengths()]
    rows = pack._db.execute("SELECT term, field, numbers, counts FROM postings ORDER BY term")
    expected: dict[str, dict[int, float]] = {}
    by_term: dict[str, dict[str, tuple]] = {}
    for term, field, numbers, counts in rows:
        by_term.setdefault(term, {})[field] = (_array(numbers), _array(counts))
    for term, fields in by_term.items():
        sums = expected[term] = {}
        for position, field in enumerate(FIELDS):
            for number, count in zip(*fields.get(field, ((), ())), strict=True):
                sums[number] = sums.get(number, 0.0) + count * factors[number][position]
    weighed = [(term, f, p, pack.spare_postings(term)) for term, f, p in pack.iter_postings()]
    assert [term for term, *_ in weighed] == sorted(expected)
    cut = 0
    for term, frequency, postings, spares in weighed:
        assert (frequency, postings, spares) == ranking.cut_postings(expected[term], SPARE_POSTINGS)
        assert pack.postings(term) == postings and pack.document_frequency(term) == frequency
        assert pack.spare_postings(term) == spares
        cut += frequency > 5
    assert cut > 10  # the cut lists were checked, not only whole ones
    assert pack.postings("ไม่มีคำนี้") == [] and pack.document_frequency("ไม่มีคำนี้") == 0


def test_weights_of_an_array_equal_those_weighed_one_by_one():
    import numpy as np

    from build_tools.search.ranking import format_weight, format_weights

    rnd = random.Random(5)
    values = [0.0, 1e-9, 0.002, 0.5, 1.2, 3.0, 7.7, 1e6]
    values += [rnd.uniform(0, 30) for _ in range(20_000)]
    values += [rnd.expovariate(2.0) for _ in range(20_000)]
    assert format_weights(np.array(values)).tolist() == [format_weight(v) for v in values]


def _postings_holding(files: dict, folder: str, number: int) -> tuple[set[str], set[str]]:
    """(postings file names, terms) whose lists hold document `number`."""
    from itertools import accumulate

    names, terms = set(), set()
    for path, data in files.items():
        if path.parts[0] == folder and path.name.startswith("postings-"):
            for term, flat in json.loads(data).items():
                if number in accumulate(flat[::2]):
                    names.add(path.name)
                    terms.add(term)
    return names, terms


def test_adding_an_entry_rewrites_only_the_delta_segment(tmp_path, monkeypatch):
    # 300 entries over a vocabulary of 4,000 words, every body as long as every other;
    # the real delta (32): documents 288 on are in it.
    from build_tools.search import ranking

    monkeypatch.setattr(ranking, "DELTA_DOCS", 32)
    chance = random.Random(26)
    vocabulary = [f"w{chance.randrange(26**4):05x}" for _ in range(4000)]

    def entry(i: int, year: int, submitted=None):
        words = lambda n: " ".join(chance.choice(vocabulary) for _ in range(n))  # noqa: E731
        made = make_entry(f"entry-{i:03d}", f"{words(3)} {i}", words(10), words(150), year=year)
        return dataclasses.replace(made, submitted=submitted, content_hash=f"a{i}")

    entries = tuple(entry(i, 2564 + i % 5) for i in range(300))
    # The newest, as the submission form dates it: it takes number 300.
    added = entries + (entry(300, 2568, datetime.date(2025, 6, 1)),)
    export_once(tmp_path / "repo", entries, tmp_path / "site")
    before = exported_files(tmp_path / "site")

    made_again = []
    real = search_export.iter_files
    monkeypatch.setattr(search_export, "iter_files", lambda *a: made_again.append(1) or real(*a))
    export_once(tmp_path / "repo", added, tmp_path / "site")
    assert not made_again, "the export was made again instead of patched"
    after = exported_files(tmp_path / "site")
    export_once(tmp_path / "fresh", added, tmp_path / "fresh-site")
    assert after == exported_files(tmp_path / "fresh-site")  # = a build from nothing

    manifest = json.loads(after[search_export.Path("manifest.json")])
    assert manifest["deltaBase"] == 288 and manifest["documents"] == 301
    changed = {p for p in after.keys() | before.keys() if before.get(p) != after.get(p)}
    assert changed <= after.keys()  # nothing removed
    names = {p.name for p in changed if p.parts[0] == manifest["folder"]}
    assert {search_export.Path("manifest.json")} | {
        search_export.Path(manifest["folder"], name) for name in names
    } == changed
    # Only the delta segment's files (those of its keys), its records and the manifest.
    delta = {n for n in names if n.startswith("delta-")}
    assert names - delta == {f"docs-{300 // search_export.DOCS_PER_SHARD}.json"}
    assert 0 < len(delta) <= search_export.DELTA_SHARDS
    # Every word of the new entry is in the delta files, with the newest number.
    assert any(
        300 in {sum(flat[1 : i + 2 : 2]) for i in range(0, len(flat) - 1, 2)}
        for name in delta
        for flat in json.loads(after[search_export.Path(manifest["folder"], name)]).values()
    )
