"""Export the index as static files for the browser engine (`ifte-search-engine.js`).

Layout under `out_dir` (the site's `search-index/`):

    manifest.json                 fetched on the first keystroke, revalidated every time
    <folder>/terms-<k>.json       term dictionary: {term: [document frequency, postings shard]}
    <folder>/postings-<s>.json    {term: [doc, weight, doc delta, weight, …]}
    <folder>/docs-<k>.json        display records of documents k·G … k·G+G−1
    <folder>/delta-<k>.json       the delta segment: {term: [document frequency, doc, weight,
                                  doc delta, weight, …]}, shard k as the dictionary's key

(Facet data for filtering lives beside it, in `facets.py`'s `search-facets/`.)

A term lives in term shard `fnv1a(first two characters) mod termShards`, so the planner
can look up every word that starts at a given place of the query with one small fetch.
Postings shards hold runs of consecutive terms (so a prefix's expansions usually share
one), cut by content and named `<s>` after their first term, so that an edit changes only
the shards of the words it touched and the export can be patched rather than remade.
The newest documents (fewer than `ranking.DELTA_DOCS`, from the manifest's `deltaBase`
on) are a segment of their own, in `DELTA_SHARDS` files: an added entry is written there
and into no term's postings shard, and the dictionary and postings shards count only the
main segment's documents. A query sums both. The delta is merged into the main segment
(the export made again) when it fills; which documents it holds follows from their count
alone, so a build from nothing makes the same files.

`<folder>` is named by the export format alone, so a file the last build did not change
keeps its address and a deploy does not upload it again. The manifest's `version`, a
hash of the content, is sent with every request (`?v=`): a browser or proxy never mixes
files of two builds. A patched version is the previous folder with the changed files
replaced.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import math
import operator
import os
import pickle
import re
import shutil
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.core.cache import store_folder
from build_tools.core.model import Entry
from build_tools.core.thai import MAX_TOKEN_CHARS
from build_tools.core.vocabularies import Vocabularies
from build_tools.core.writing import write_bytes_atomic, write_text_atomic
from build_tools.search.analysed import analysis_salt, prune_analysis_cache
from build_tools.search.pack import SPARE_POSTINGS, SearchPack, close_pack, open_pack
from build_tools.search.query import (
    FUZZY_PREFIX_CHARS,
    MIN_FUZZY_CHARS,
    MIN_PREFIX_CHARS,
    STOP_WORDS,
    format_shard_key,
)
from build_tools.search.ranking import (
    MAX_POSTINGS,
    Postings,
    browser_parameters,
    cut_ranked,
    format_delta_base,
    rank_posting,
)
from build_tools.search.typos import load_typing_table

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog
    from build_tools.core.site import SiteSettings

FORMAT = 3
MANIFEST = "manifest.json"
STATE = "state.pickle"  # beside the cached export: what a patch needs to know
# Average terms per dictionary shard: a query touches one shard per Thai character cluster.
# Shard counts are powers of two, so adding a few words seldom reshuffles the dictionary.
TERMS_PER_SHARD = 64
# Postings shards are runs of consecutive terms cut by content: after a term whose hash is
# divisible by CUT_MODULUS once the shard holds MIN_SHARD_BYTES, or at MAX_SHARD_BYTES.
# An edit moves only the cuts next to the terms it touches (about 8 KB shards at 20,000).
MIN_SHARD_BYTES = 3_000
MAX_SHARD_BYTES = 12_000
CUT_MODULUS = 8
DOCS_PER_SHARD = 4
# Files of the delta segment: a query fetches the one of each of its keys (1–3 KB gzip at
# 32 documents). Each addition rewrites most of them: 1.3 % of the files at 10,000.
DELTA_SHARDS = 128
_VERSION_NAME = re.compile("[0-9a-f]{12}")


# Files of correction candidates (`search/suggestions.py`), fetched only for a correction.
SUGGEST_SHARDS = 32


def format_shard_number(key: str, shard_count: int) -> int:
    """32-bit FNV-1a of the key's code points; `shardOf` in the engine is its twin."""
    value = 0x811C9DC5
    for char in key:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % shard_count


def format_term_shard_count(term_count: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(1, term_count) / TERMS_PER_SHARD)))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _encode_postings(postings: Sequence[tuple[int, int]]) -> str:
    """`[doc, weight, doc delta, weight, …]`; written with list operations, not a step
    per posting: an edit of a long entry encodes a thousand lists of up to 1,000."""
    if not postings:
        return "[]"
    numbers, weights = zip(*postings, strict=True)
    flat = [0] * (2 * len(numbers))
    flat[::2] = map(operator.sub, numbers, (0, *numbers[:-1]))
    flat[1::2] = weights
    return _dumps(flat)


def _may_cut_after(term: str) -> bool:
    """Whether a postings shard holding MIN_SHARD_BYTES may end after `term`."""
    return zlib.crc32(term.encode()) % CUT_MODULUS == 0


def _is_cut(shard_bytes: int, may_cut: bool) -> bool:
    """Whether a postings shard ends after a term, holding `shard_bytes` with it."""
    return shard_bytes >= MAX_SHARD_BYTES or (may_cut and shard_bytes >= MIN_SHARD_BYTES)


class _ShardNames:
    """A postings shard is named by its first term, so a cut moving elsewhere renames no
    other shard. Names are unique within an export (a clash takes the next candidate)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def name(self, first_term: str) -> str:
        attempt = 0
        while True:
            seed = first_term if not attempt else f"{first_term}\0{attempt}"
            name = hashlib.blake2b(seed.encode(), digest_size=5).hexdigest()
            if name not in self.used:
                self.used.add(name)
                return name
            attempt += 1


@dataclass
class ExportState:
    """What the export was made from and of, so that an edit can be patched in."""

    salt: str  # the export code (`_export_key(None)`)
    pack: str  # identity of the search pack it was made from
    generation: int  # of that pack
    averages: dict[str, float]
    documents: int
    terms: list[str] = field(default_factory=list)  # sorted
    frequencies: array = field(default_factory=lambda: array("I"))  # document frequency
    sizes: array = field(default_factory=lambda: array("I"))  # bytes of `"term":[…],`
    term_shards: array = field(default_factory=lambda: array("I"))  # dictionary shard
    cuts: bytearray = field(default_factory=bytearray)  # `_may_cut_after` of each term
    shards: list[tuple[int, int, str]] = field(default_factory=list)  # `_plan_shards`
    files: dict[str, str] = field(default_factory=dict)  # name → sha256 of the content
    # Term → the postings after its list's cut, in ranking order (`SearchPack.spare_postings`)
    spares: dict[str, Postings] = field(default_factory=dict)
    base: int = 0  # the first document of the delta segment (`format_delta_base`)


def _term_entry_size(term: str, encoded: str) -> int:
    return len(_dumps(term).encode()) + 1 + len(encoded.encode()) + 1


def _term_shard(term: str, term_count: int) -> int:
    """The dictionary shard of `term` in an export of `term_count` terms."""
    return format_shard_number(format_shard_key(term), format_term_shard_count(term_count))


def _dictionary_shards(
    terms: Sequence[str], frequencies, shard_of_term, term_shards: Sequence[int]
) -> list[dict]:
    dictionary: list[dict] = [{} for _ in range(format_term_shard_count(len(terms)))]
    for term, frequency, shard, k in zip(
        terms, frequencies, shard_of_term, term_shards, strict=True
    ):
        dictionary[k][term] = [frequency, shard]
    return dictionary


def _manifest(document_count: int, term_count: int) -> str:
    return _dumps(
        {
            "format": FORMAT,
            "documents": document_count,
            "termShards": format_term_shard_count(term_count),
            "docsPerShard": DOCS_PER_SHARD,
            "deltaBase": format_delta_base(document_count),
            "deltaShards": DELTA_SHARDS,
            "params": browser_parameters()
            | {
                "maxTokenChars": MAX_TOKEN_CHARS,
                "minPrefixChars": MIN_PREFIX_CHARS,
                "minFuzzyChars": MIN_FUZZY_CHARS,
                "fuzzyPrefixChars": FUZZY_PREFIX_CHARS,
                "stopWords": sorted(STOP_WORDS),
                "typing": load_typing_table(),
                "suggestShards": SUGGEST_SHARDS,
            },
        }
    )


def _delta_files(delta: dict[str, tuple[int, Postings]]) -> Iterator[tuple[str, str]]:
    """The delta segment's files: each term in the file of its key, as the dictionary."""
    shards: list[list[str]] = [[] for _ in range(DELTA_SHARDS)]
    for term in sorted(delta):
        frequency, postings = delta[term]
        encoded = _encode_postings(postings)
        shard = format_shard_number(format_shard_key(term), DELTA_SHARDS)
        shards[shard].append(f"{_dumps(term)}:[{frequency}{',' if postings else ''}{encoded[1:]}")
    for k, parts in enumerate(shards):
        yield f"delta-{k}.json", "{" + ",".join(parts) + "}"


def iter_files(searcher: SearchPack, state: ExportState | None = None) -> Iterator[tuple[str, str]]:
    """(file name below the version folder, content) of the whole export, "manifest" last.

    Postings shards are yielded as they fill, so the export never holds more than one
    of them in memory (tens of megabytes of them at 20,000 entries). With `state`, what
    an incremental update needs is recorded in it.
    """
    names = _ShardNames()
    terms: list[str] = []
    frequencies = array("I")
    sizes = array("I")
    cuts = bytearray()
    shards: list[tuple[int, int, str]] = []
    shard_of_term: list[str] = []
    shard: list[str] = []
    shard_name = ""
    shard_bytes = 0
    spares: dict[str, Postings] = {}
    delta = searcher.delta_postings()
    for term, frequency, postings in searcher.iter_postings():
        if not frequency:
            continue  # only in the delta segment
        if state is not None:
            spared = searcher.spare_postings(term)
            if spared:
                spares[term] = spared
        if not shard:
            shard_name = names.name(term)
        encoded = _encode_postings(postings)
        shard.append(f"{_dumps(term)}:{encoded}")
        size = _term_entry_size(term, encoded)
        shard_bytes += size
        terms.append(term)
        frequencies.append(frequency)
        sizes.append(size)
        cuts.append(_may_cut_after(term))
        shard_of_term.append(shard_name)
        if _is_cut(shard_bytes, cuts[-1]):
            shards.append((len(terms) - len(shard), len(terms), shard_name))
            yield f"postings-{shard_name}.json", "{" + ",".join(shard) + "}"
            shard, shard_bytes = [], 0
    if shard or not terms:
        shard_name = shard_name if shard else names.name("")
        shards.append((len(terms) - len(shard), len(terms), shard_name))
        yield f"postings-{shard_name}.json", "{" + ",".join(shard) + "}"
    term_shards = array("I", (_term_shard(term, len(terms)) for term in terms))
    dictionary = _dictionary_shards(terms, frequencies, shard_of_term, term_shards)
    for k, terms_shard in enumerate(dictionary):
        yield f"terms-{k}.json", _dumps(terms_shard)
    records = searcher.records
    for k in range(0, max(1, math.ceil(len(records) / DOCS_PER_SHARD))):
        yield f"docs-{k}.json", _dumps(records[k * DOCS_PER_SHARD : (k + 1) * DOCS_PER_SHARD])
    yield from _delta_files(delta)
    if state is not None:
        state.base = format_delta_base(len(records))
        state.terms, state.frequencies, state.sizes = terms, frequencies, sizes
        state.term_shards, state.spares = term_shards, spares
        state.cuts, state.shards = cuts, shards
    yield "manifest", _manifest(len(records), len(terms))


def _plan_shards(
    terms: Sequence[str], sizes: Sequence[int], cuts: bytes | bytearray
) -> list[tuple[int, int, str]]:
    """(start, end, name) of each postings shard: the cuts `iter_files` makes, from the
    terms' sizes and `_may_cut_after` flags."""
    names = _ShardNames()
    shards = []
    start = shard_bytes = 0
    for index, (size, may_cut) in enumerate(zip(sizes, cuts, strict=True)):
        shard_bytes += size
        if _is_cut(shard_bytes, may_cut):
            shards.append((start, index + 1, names.name(terms[start])))
            start, shard_bytes = index + 1, 0
    if start < len(terms) or not terms:
        shards.append((start, len(terms), names.name(terms[start] if terms else "")))
    return shards


def _split_shard(data: bytes, sizes: Sequence[int]) -> list[bytes]:
    """The `"term":[…]` parts of an exported postings shard, cut by the terms' sizes
    (`ExportState.sizes`) without parsing it. ValueError if they do not fit."""
    if not sizes or len(data) != sum(sizes) + 1 or data[:1] != b"{":
        raise ValueError("a postings shard is not the one recorded")
    parts = []
    offset = 1
    for size in sizes:
        end = offset + size - 1
        if data[end : end + 1] not in (b",", b"}"):
            raise ValueError("a postings shard is not the one recorded")
        parts.append(data[offset:end])
        offset = end + 1
    return parts


def _patch_postings(
    old: list[int],
    old_frequency: int,
    changed: frozenset[int],
    fresh: dict[int, int],
    spares: Postings = (),
) -> tuple[int | None, Postings, Postings] | None:
    """A term's postings after the `changed` documents were analysed again, from its
    exported postings (`old`, delta-encoded), the `spares` that followed their cut, and
    the changed documents' new weights (`fresh`): (document frequency, or None when it
    follows from the presence counts; postings; spares). None when the list was cut and
    may now need a document from below its spares: the term is weighed again."""
    numbers = list(accumulate(old[::2]))
    weights = old[1::2]
    listed = list(zip(numbers, weights, strict=True))
    candidates = [p for p in listed if p[0] not in changed] + list(fresh.items())
    frequency = None
    if old_frequency > MAX_POSTINGS:
        # Unchanged documents keep their weights, so every one not listed nor spare ranks
        # below the last of those: the documents ranking above it are all known.
        number, weight = spares[-1] if spares else max(listed, key=rank_posting)
        candidates += [p for p in spares if p[0] not in changed]
        # rank_posting(p) <= rank_posting((number, weight)), written out: lists are long.
        candidates = [p for p in candidates if p[1] > weight or p[1] == weight and p[0] >= number]
        if len(candidates) < MAX_POSTINGS:
            return None
    else:
        frequency = len(candidates)  # the old list was complete, so this one is
    return frequency, *cut_ranked(candidates, SPARE_POSTINGS)


def plan_patch(
    pack: SearchPack, state: ExportState, read_old: Callable[[str], bytes]
) -> dict[str, bytes] | None:
    """The files an update of the pack changes, name → content, or None when it cannot be
    patched (the export must be made again). `read_old` reads a file of the export `state`
    describes. `state` is updated to describe the patched export.

    A long entry's edit can move most of its words' weights, so a thousand postings
    shards of 125,000 terms change: the work is per touched term and per changed shard,
    whose unchanged terms are copied as the bytes they were (never parsed and written
    again), not per term of the export."""
    change = pack.change
    if (
        change.since != state.generation
        or change.rebuilt
        or pack.average_lengths() != state.averages
    ):
        return None
    # Entries appended (`SearchPack._append`) keep every other number: only the idf of
    # the browser's sums moves, and it is computed there from the manifest's count. They
    # go into the delta segment, unless it fills: then it is merged (made again).
    documents = pack.document_count
    base = pack.delta_base
    main_numbers = {n for n in change.numbers if n < base}
    if base != state.base or main_numbers and len(main_numbers) != len(change.numbers):
        return None
    old_terms, old_sizes, old_shards = state.terms, state.sizes, state.shards
    old_starts = [start for start, _, _ in old_shards]
    split: dict[int, list[bytes]] = {}

    def old_shard(index: int) -> int:
        return bisect.bisect_right(old_starts, index) - 1

    def old_part(index: int) -> bytes:
        """The exported `"term":[…]` of old term `index`."""
        shard = old_shard(index)
        if shard not in split:
            start, end, name = old_shards[shard]
            split[shard] = _split_shard(read_old(f"postings-{name}.json"), old_sizes[start:end])
        return split[shard][index - old_starts[shard]]

    def old_index(term: str) -> int | None:
        index = bisect.bisect_left(old_terms, term)
        return index if index < len(old_terms) and old_terms[index] == term else None

    # The averages did not move, so only the changed documents' weights did.
    weights = {number: pack.document_weights(number) for number in main_numbers}
    touched: dict[str, tuple[int, str]] = {}
    for term in sorted(change.terms) if main_numbers else ():
        index = old_index(term)
        old_frequency = state.frequencies[index] if index is not None else 0
        old: list[int] = []
        if index is not None:
            old = json.loads(old_part(index)[len(_dumps(term).encode()) + 1 :])
        fresh = {n: w[term] for n, w in weights.items() if term in w}
        spares = state.spares.get(term, ())
        patched = _patch_postings(old, old_frequency, change.numbers, fresh, spares)
        if patched is None:
            postings = pack.postings(term)
            frequency = pack.document_frequency(term)
            spares = pack.spare_postings(term)
        else:
            frequency, postings, spares = patched
            if frequency is None:  # a long list: its count moved only where presence did
                frequency = old_frequency + change.presence.get(term, 0)
        touched[term] = (frequency, _encode_postings(postings))
        if spares:
            state.spares[term] = list(spares)
        else:
            state.spares.pop(term, None)

    # The new term list is the old one with the touched terms updated, added or removed:
    # copied in slices between them.
    events = [(bisect.bisect_left(old_terms, term), term) for term in touched]
    present = [i < len(old_terms) and old_terms[i] == term for i, term in events]
    count = len(old_terms) + sum(
        bool(touched[term][0]) - here for (_, term), here in zip(events, present, strict=True)
    )
    same_dictionary = format_term_shard_count(count) == format_term_shard_count(len(old_terms))
    terms: list[str] = []
    frequencies, sizes, term_shards, cuts = array("I"), array("I"), array("I"), bytearray()
    touched_at: list[int] = []  # where touched terms are in the new list
    previous = 0
    for (index, term), here in [*zip(events, present, strict=True), ((len(old_terms), ""), None)]:
        terms += old_terms[previous:index]
        frequencies += state.frequencies[previous:index]
        sizes += old_sizes[previous:index]
        term_shards += state.term_shards[previous:index]
        cuts += state.cuts[previous:index]
        if here is None:
            break
        previous = index + here
        frequency, encoded = touched[term]
        if frequency:
            touched_at.append(len(terms))
            terms.append(term)
            frequencies.append(frequency)
            sizes.append(_term_entry_size(term, encoded))
            term_shards.append(state.term_shards[index] if here else _term_shard(term, count))
            cuts.append(_may_cut_after(term))
    if not same_dictionary:
        term_shards = array("I", (_term_shard(t, count) for t in terms))
    shards = _plan_shards(terms, sizes, cuts)

    files: dict[str, bytes] = {}
    old_by_name = {name: (start, end) for start, end, name in old_shards}
    moved = set(touched)  # terms whose dictionary entry changes
    for start, end, name in shards:
        first = bisect.bisect_left(touched_at, start)
        untouched = first == len(touched_at) or touched_at[first] >= end
        old = old_by_name.get(name)
        if untouched and old is not None and old_terms[old[0] : old[1]] == terms[start:end]:
            continue  # the same file as before
        parts = []
        for term in terms[start:end]:
            if term in touched:
                parts.append(f"{_dumps(term)}:{touched[term][1]}".encode())
                continue
            index = old_index(term)
            parts.append(old_part(index))
            if old_shards[old_shard(index)][2] != name:
                moved.add(term)
        files[f"postings-{name}.json"] = b"{" + b",".join(parts) + b"}"

    # Dictionary shards: those holding a term whose entry changed, or all of them when
    # their number did.
    shard_count = format_term_shard_count(count)
    stale = {_term_shard(t, count) for t in moved} if same_dictionary else set(range(shard_count))
    dictionary: dict[int, dict] = {k: {} for k in stale}
    shard_of_term: list[str] = []
    for start, end, name in shards:
        shard_of_term += [name] * (end - start)
    for term, frequency, shard, k in zip(
        terms, frequencies, shard_of_term, term_shards, strict=True
    ):
        if k in dictionary:
            dictionary[k][term] = [frequency, shard]
    for k in sorted(stale):
        files[f"terms-{k}.json"] = _dumps(dictionary[k]).encode()
    for k in sorted({number // DOCS_PER_SHARD for number in change.numbers}):
        first = k * DOCS_PER_SHARD
        numbers = range(first, min(first + DOCS_PER_SHARD, documents))
        files[f"docs-{k}.json"] = _dumps([pack.record(n) for n in numbers]).encode()
    if len(main_numbers) != len(change.numbers):
        for name, content in _delta_files(pack.delta_postings()):
            data = content.encode()
            if state.files.get(name) != hashlib.sha256(data).hexdigest():
                files[name] = data
    files["manifest"] = _manifest(documents, len(terms)).encode()
    state.documents = documents

    keep = {f"postings-{name}.json" for _, _, name in shards}
    keep |= {f"terms-{k}.json" for k in range(shard_count)}
    keep |= {name for name in state.files if name.startswith(("docs-", "delta-"))}
    state.files = {name: sha for name, sha in state.files.items() if name in keep}
    state.generation = change.generation
    state.terms, state.frequencies, state.sizes = terms, frequencies, sizes
    state.term_shards, state.cuts, state.shards = term_shards, cuts, shards
    return files


def plan_files(searcher: SearchPack) -> dict[str, str]:
    """File name (below the version folder) → content, for the whole export (pure)."""
    return dict(iter_files(searcher))


def export_search(
    source: SearchPack | Iterable[Entry],
    out_dir: Path,
    vocabularies: Vocabularies | None = None,
) -> list[Path]:
    """Write the browser's search files into `out_dir`; returns the paths written.

    `source` is an open search pack (`Searcher.pack`: what `ifte search` reads), or
    entries (analysed and packed here). Other version folders in `out_dir` are removed.
    """
    if isinstance(source, SearchPack):
        return _write_export(iter_files(source), Path(out_dir))
    pack = SearchPack(None)
    try:
        pack.sync(list(source), vocabularies, None)
        return _write_export(iter_files(pack), Path(out_dir))
    finally:
        pack.close()


def format_folder() -> str:
    """The folder of the export's files: named by the format alone, so that the files a
    build did not change keep their addresses (what a deploy compares)."""
    return hashlib.sha256(f"ifte-search\0{FORMAT}".encode()).hexdigest()[:12]


def _format_version(hashes: dict[str, str]) -> str:
    """The export's version: a hash of every file's name and content hash."""
    digest = hashlib.sha256()
    for name in sorted(hashes):
        digest.update(f"{name}\0{hashes[name]}\0".encode())
    return digest.hexdigest()[:12]


def _write_export(
    files: Iterable[tuple[str, str]], out_dir: Path, state: ExportState | None = None
) -> list[Path]:
    """Write the files into a folder named by their hash (`out_dir/<version>/`), then the
    manifest naming it; other version folders are removed. Written file by file, as
    `iter_files` makes them. With `state`, the files' hashes are recorded in it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = out_dir / ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    hashes: dict[str, str] = {}
    manifest: dict = {}
    for name, content in files:
        if name == "manifest":
            manifest = json.loads(content)
            continue
        data = content.encode()
        hashes[name] = hashlib.sha256(data).hexdigest()
        (partial / name).write_bytes(data)
    if state is not None:
        state.files = hashes
    return _publish_version(out_dir, partial, manifest, hashes)


def _publish_version(out_dir: Path, partial: Path, manifest: dict, hashes: dict) -> list[Path]:
    manifest["version"] = _format_version(hashes)
    folder = manifest["folder"] = format_folder()
    _remove_versions(out_dir)
    partial.rename(out_dir / folder)
    # Written last and atomically: a visitor never gets a manifest naming missing files.
    manifest_path = out_dir / MANIFEST
    write_text_atomic(manifest_path, _dumps(manifest))
    return [manifest_path, *(out_dir / folder / name for name in sorted(hashes))]


def _write_patch(
    files: dict[str, bytes], removed: set[str], state: ExportState, out_dir: Path
) -> str:
    """Write a patched export (`plan_patch`) over the current version in `out_dir`: its
    folder holds the new version, with the changed files replaced and `removed` ones
    gone. Returns the version it replaced."""
    old_version = _read_version(out_dir)
    old_folder = _read_folder(out_dir)
    manifest = json.loads(files.pop("manifest"))
    for name, content in files.items():
        state.files[name] = hashlib.sha256(content).hexdigest()
    manifest["version"] = _format_version(state.files)
    manifest["folder"] = format_folder()

    def put(folder: Path) -> None:
        for name, content in files.items():
            with open(os.path.join(folder, name), "wb") as file:
                file.write(content)

    _renew_version(out_dir, old_folder, removed | set(files), put, manifest)
    return old_version


def _renew_version(
    out_dir: Path, old: str, stale: set[str], put: Callable[[Path], None], manifest: dict
) -> None:
    """Turn folder `old` into `manifest["folder"]`: the `stale` files go, `put` adds the
    new ones. The folder is renamed, not copied: it holds tens of thousands of files at
    20,000 entries. Files are replaced, never rewritten in place, so a hard link
    elsewhere keeps its content."""
    partial = out_dir / ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    (out_dir / old).rename(partial)
    for name in stale:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(partial, name))
    put(partial)
    _remove_versions(out_dir)
    partial.rename(out_dir / manifest["folder"])
    # Written last and atomically: a visitor never gets a manifest naming missing files.
    write_text_atomic(out_dir / MANIFEST, _dumps(manifest))


def _remove_versions(out_dir: Path, keep: str = "") -> None:
    """Remove the version folders in `out_dir` (other than `keep`); other files stay."""
    for stale in out_dir.iterdir():
        if stale.is_dir() and _VERSION_NAME.fullmatch(stale.name) and stale.name != keep:
            shutil.rmtree(stale)


def write_versioned_files(out_dir: Path, files: dict[str, str], manifest: dict) -> list[Path]:
    """Write `files` into `out_dir/<manifest["version"]>/`, then `out_dir/manifest.json`.

    Other version folders are removed. Returns the manifest path, then the files'.
    """
    version = manifest["version"]
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_versions(out_dir, keep=version)
    version_dir = out_dir / version
    version_dir.mkdir(exist_ok=True)
    written = []
    for name, content in sorted(files.items()):
        path = version_dir / name
        write_text_atomic(path, content)  # a version named by content may be there already
        written.append(path)
    # Written last and atomically: a visitor never gets a manifest naming missing files.
    manifest_path = out_dir / MANIFEST
    write_text_atomic(manifest_path, _dumps(manifest))
    return [manifest_path, *written]


# In the store (`cache.store_folder`): the last export, kept so a full build into an
# empty site folder needs no recomputation.
EXPORT_CACHE = "search-export"
SITE_FOLDER = "search-index"


def export_site_search(catalog: Catalog, settings: SiteSettings, site_dir: Path) -> str | None:
    """Background exporter (site.BACKGROUND_EXPORTERS): the browser's search files.

    The export is made in the cache (`EXPORT_CACHE`) and mirrored into `site_dir`. When
    the entries, vocabularies and search code are those of the cached export, nothing is
    computed: a rebuild that changed no entry rewrites nothing, and a full build (empty
    `site_dir`) only links or copies the files. After an edit, only the files holding the
    words the edit touched are made again (`plan_patch`), from the search pack.
    """
    out_dir = Path(site_dir) / SITE_FOLDER
    cached = store_folder(settings.root) / EXPORT_CACHE
    stamp = cached / "key"
    key = _export_key(catalog)
    fresh = _cached_export_matches(cached, stamp, key)
    if not fresh and settings.preview and _read_version(cached / SITE_FOLDER):
        # A live preview keeps the last export: segmenting and exporting the whole
        # catalogue on every save would delay the page being edited.
        _mirror_export(cached / SITE_FOLDER, out_dir)
        return (
            "ค้นหา: ตัวอย่างสดใช้ดัชนีของการสร้างครั้งก่อน (ifte build ปรับปรุงให้) / "
            "search: the preview uses the last build's index (ifte build refreshes it)"
        )
    if not fresh:
        pack = open_pack(catalog.entries, catalog.vocabularies, settings.root)
        prune_analysis_cache(settings.root, pack.keys())
        stamp.unlink(missing_ok=True)  # a half-made export never passes for a finished one
        salt = _export_key(None)
        state = _load_state(cached, salt, pack.identity)
        folder = cached / SITE_FOLDER
        since, changed = "", frozenset()
        files = None
        if state is not None:
            version_dir = folder / _read_folder(folder)
            before = set(state.files)
            try:
                files = plan_patch(pack, state, partial(_read_bytes, version_dir))
            except (OSError, ValueError, KeyError):  # the cached export is incomplete
                files = None
        if files is None:
            state = ExportState(
                salt, pack.identity, pack.generation, pack.average_lengths(), pack.document_count
            )
            _write_export(iter_files(pack, state), folder, state)
        else:
            removed = before - set(state.files) - set(files)
            changed = frozenset(removed | set(files) - {"manifest"})
            since = _write_patch(files, removed, state, folder)
        write_bytes_atomic(cached / STATE, pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
        close_pack()  # the export is its last reader in a build
        write_text_atomic(stamp, key)
        _mirror_export(folder, out_dir, since, changed)
        return None
    _mirror_export(cached / SITE_FOLDER, out_dir)
    return None


def _read_bytes(folder: Path, name: str) -> bytes:
    with open(os.path.join(folder, name), "rb") as file:
        return file.read()


def _load_state(cached: Path, salt: str, identity: str) -> ExportState | None:
    """The state of the cached export, if it was made by this code from this pack."""
    try:
        state = pickle.loads((cached / STATE).read_bytes())
    except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if not isinstance(state, ExportState) or (state.salt, state.pack) != (salt, identity):
        return None
    return state


def _export_key(catalog: Catalog | None) -> str:
    """What the export is made from: our code, and (given a catalogue) its entries with
    the segmentation code and vocabulary labels."""
    parts: list = [FORMAT]
    if catalog is not None:
        parts.append(analysis_salt(catalog.vocabularies))
        parts.append(sorted((e.id, e.content_hash) for e in catalog.entries))
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _read_version(out_dir: Path) -> str:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _read_folder(out_dir: Path) -> str:
    """The folder of the export in `out_dir` ("" when there is none)."""
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["folder"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _cached_export_matches(cached: Path, stamp: Path, key: str) -> bool:
    try:
        if stamp.read_text(encoding="utf-8") != key:
            return False
    except OSError:
        return False
    folder = _read_folder(cached / SITE_FOLDER)
    return bool(folder) and (cached / SITE_FOLDER / folder).is_dir()


def _mirror_export(
    source: Path, out_dir: Path, since: str = "", changed: frozenset[str] = frozenset()
) -> None:
    """Make `out_dir` hold the export in `source`: the folder is hard-linked (copied
    across file systems), other folders are removed, the manifest comes last. When
    `out_dir` holds version `since` and only the files `changed` differ from it, only
    those are replaced."""
    version, folder = _read_version(source), _read_folder(source)
    here = _read_folder(out_dir)
    if _read_version(out_dir) == version and here == folder and (out_dir / folder).is_dir():
        # The version names the files, not the manifest's settings (new code may change
        # those alone): the manifest is compared on its own.
        text = (source / MANIFEST).read_text(encoding="utf-8")
        if (out_dir / MANIFEST).read_text(encoding="utf-8") != text:
            write_text_atomic(out_dir / MANIFEST, text)
        return
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    if since and _read_version(out_dir) == since and here and (out_dir / here).is_dir():

        def put(target: Path) -> None:
            for name in changed:
                with contextlib.suppress(FileNotFoundError):  # removed from the export
                    _link_or_copy(os.path.join(source, folder, name), os.path.join(target, name))

        _renew_version(out_dir, here, set(changed), put, manifest)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_versions(out_dir)
    shutil.copytree(source / folder, out_dir / folder, copy_function=_link_or_copy)
    write_text_atomic(out_dir / MANIFEST, _dumps(manifest))


def _link_or_copy(source: str, target: str) -> None:
    # Safe to share: every export file is written once under a new version name, never
    # rewritten in place.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
