"""The inverted index of every analysed entry, kept between builds and patched per edit.

The browser export and related entries read every posting of every term. Building
that index from 20,000 analysed documents takes half a minute, so it is kept in
`.cache/ifte/search-pack.sqlite` (one transaction per build: never half-updated) and
a build only patches the rows of the terms an edited entry had or has. Each update
records which documents, terms and document frequencies changed since the previous
generation, so the export (`export.plan_patch`) and related entries
(`related.update_related`) redo only what those touch.

Documents are numbered in `format_order_key` order: oldest year first, then date
submitted, then id. A new entry is usually the newest, so it takes the next number and
is patched in like an edit: readers see only its words change. An edit that keeps the
order is patched in place. An entry inserted before others or removed renumbers the
others' postings as arrays, and readers see a rebuild (every number may have moved);
an entry that moved past another (a new year), a change of our code or of the
vocabulary labels rebuilds the pack. It is the one search index: the export, related
entries and the Python query path (`searcher.Searcher`: `ifte search`) all read it.
"""

from __future__ import annotations

import bisect
import json
import pickle
import sqlite3
import uuid
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path

from build_tools.core.cache import store_folder
from build_tools.core.model import Entry
from build_tools.core.vocabularies import Vocabularies
from build_tools.search import ranking
from build_tools.search.analysed import AnalysedDocument, analyse_entries, analysis_salt, source_key
from build_tools.search.documents import FIELDS
from build_tools.search.ranking import (
    Postings,
    format_averages,
    format_field_factors,
    format_weight,
    format_weights,
)

PACK_FILE = "search-pack.sqlite"  # in the store (`cache.store_folder`)
# Patching costs a few row updates per term of each changed entry; past this share of
# the catalogue, rebuilding in one pass is cheaper.
PATCH_SHARE = 0.2
# Entries analysed at a time when the pack is made again (each batch uses both cores).
REBUILD_BATCH = 4000
# Postings kept below each cut list, so that the export can patch a list an edit moved a
# document out of (`export.plan_patch`) instead of weighing the term's documents again.
SPARE_POSTINGS = 16
# Postings rows weighed or renumbered as arrays at a time (about two million postings).
BULK_ROWS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    number INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    key TEXT NOT NULL,
    record TEXT NOT NULL,
    lengths TEXT NOT NULL,
    analysis BLOB NOT NULL
);
-- What `sync` compares and `ids` lists, without reading the documents' large rows.
CREATE INDEX IF NOT EXISTS documents_keys ON documents (number, id, key);
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL,
    field TEXT NOT NULL,
    numbers BLOB NOT NULL,
    counts BLOB NOT NULL,
    PRIMARY KEY (term, field)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class PackChange:
    """What the last update changed: generation `since` → `generation`."""

    since: int
    generation: int
    rebuilt: bool  # every number may have changed
    numbers: frozenset[int]  # documents whose analysis changed
    # Terms whose postings changed, had the average lengths stayed as they were: those
    # whose quantised weight moved in a changed document. (When an average moves, every
    # weight may have; `export.plan_patch` then exports everything again.)
    terms: frozenset[str]
    # (field, term) → (documents before, after) where that number changed.
    frequencies: dict[tuple[str, str], tuple[int, int]]
    # term → change in how many documents hold it in any field (its document frequency).
    presence: dict[str, int]


ROWS_BATCH = 500  # (field, term) pairs looked up by one query of `field_rows`
# Postings rows hold `array("I")` bytes; numpy reads them as this unsigned int.
_ITEM_SIZE = array("I").itemsize
_UINT = f"u{_ITEM_SIZE}"


def _array(data: bytes) -> array:
    values = array("I")
    values.frombytes(data)
    return values


class SearchPack:
    """Documents numbered in export order; per (term, field), the numbers of the documents
    containing it and how often. The export and `searcher.Searcher` read it."""

    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = _connect(path)
        except sqlite3.DatabaseError:  # not a database (a damaged cache): start again
            path.unlink()
            self._db = _connect(path)
        self._factors = None  # numpy array: numpy is loaded only when weights are needed
        self._document_frequency: dict[str, int] = {}
        self._spares: dict[str, Postings] = {}

    def close(self) -> None:
        self._db.close()

    # --- bookkeeping -----------------------------------------------------------------
    def _meta(self, name: str, default: str = "") -> str:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, name: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    @property
    def generation(self) -> int:
        return int(self._meta("generation", "0"))

    @property
    def change(self) -> PackChange:
        data = json.loads(self._meta("change", "null") or "null")
        if not data:
            return PackChange(-1, self.generation, True, frozenset(), frozenset(), {}, {})
        return PackChange(
            data["since"],
            data["generation"],
            data["rebuilt"],
            frozenset(data["numbers"]),
            frozenset(data["terms"]),
            {(f, t): (before, after) for f, t, before, after in data["frequencies"]},
            data.get("presence", {}),
        )

    def _record_change(
        self,
        rebuilt: bool,
        numbers: Iterable[int],
        terms: Iterable[str],
        frequencies: dict[tuple[str, str], tuple[int, int]] | None = None,
        presence: dict[str, int] | None = None,
    ) -> None:
        since = self.generation
        change = {
            "since": since,
            "generation": since + 1,
            "rebuilt": rebuilt,
            "numbers": sorted(numbers),
            "terms": sorted(terms),
            "frequencies": [
                [f, t, before, after]
                for (f, t), (before, after) in sorted((frequencies or {}).items())
                if before != after
            ],
            "presence": {t: d for t, d in sorted((presence or {}).items()) if d},
        }
        self._set_meta("generation", str(since + 1))
        self._set_meta("change", json.dumps(change, ensure_ascii=False))
        self._factors = None
        self._document_frequency = {}
        self._spares = {}

    # --- keeping it up to date ------------------------------------------------------------
    def update(
        self, entries: Sequence[Entry], vocabularies: Vocabularies | None, root: Path | None
    ) -> None:
        """`sync`, one process at a time: a build and `ifte search` beside it both update
        the pack in the cache, and `sync` patches what it read, so another process's patch
        in between would be applied twice. An immediate transaction holds the write lock
        from the first read (another process waits for it: `_connect`)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self.sync(entries, vocabularies, root)
        except BaseException:
            if self._db.in_transaction:
                self._db.rollback()
            raise
        if self._db.in_transaction:  # nothing changed: `sync` wrote nothing
            self._db.commit()

    def sync(
        self, entries: Sequence[Entry], vocabularies: Vocabularies | None, root: Path | None
    ) -> None:
        """Make the pack hold exactly `entries` (analysed through the cache under `root`)."""
        ordered = sorted(entries, key=ranking.format_entry_order_key)
        salt = analysis_salt(vocabularies)
        keys = [source_key(entry, salt) for entry in ordered]
        pack_salt = salt
        stored = self._db.execute("SELECT id, key FROM documents ORDER BY number").fetchall()
        if self._meta("salt") != pack_salt or None in keys:
            self._rebuild(ordered, vocabularies, root, pack_salt)
            return
        if [e.id for e in ordered] != [row[0] for row in stored]:
            if self._append(ordered, keys, stored, vocabularies, root):
                return
            if not self._renumber(ordered, keys, stored, vocabularies, root):
                self._rebuild(ordered, vocabularies, root, pack_salt)
            return
        changed = [n for n, key in enumerate(keys) if key != stored[n][1]]
        if not changed:
            return
        if len(changed) > PATCH_SHARE * len(ordered):
            self._rebuild(ordered, vocabularies, root, pack_salt)
            return
        fresh = analyse_entries([ordered[n] for n in changed], vocabularies, root)
        averages = self.average_lengths()
        with self._db:
            terms: set[str] = set()
            frequencies: dict[tuple[str, str], tuple[int, int]] = {}
            presence: dict[str, int] = {}
            for number, document in zip(changed, fresh, strict=True):
                terms |= self._patch(number, document, averages, frequencies, presence)
            self._record_change(False, changed, terms, frequencies, presence)

    def _rebuild(
        self,
        entries: Sequence[Entry],
        vocabularies: Vocabularies | None,
        root: Path | None,
        salt: str,
    ) -> None:
        """Make the pack again from `entries` (in export order). They are analysed a batch
        at a time: 20,000 analysed documents at once take half a gigabyte. Each batch's
        postings of a field are sorted by term with numpy and kept as bytes, and each term's
        row is its parts of every batch, joined: 26 million postings at 20,000 entries,
        which appending to a list per term took a minute to gather."""
        import numpy as np

        numbering: dict[str, dict[str, int]] = {field: {} for field in FIELDS}
        # Per field, per batch: its documents' numbers and counts, by term, and where each
        # term's run ends (in postings; a term numbered after the batch has none in it).
        gathered: dict[str, list[tuple[bytes, bytes, list[int]]]] = {f: [] for f in FIELDS}
        totals = dict.fromkeys(FIELDS, 0)
        with self._db:
            self._db.execute("DELETE FROM documents")
            self._db.execute("DELETE FROM postings")
            for start in range(0, len(entries), REBUILD_BATCH):
                batch = analyse_entries(entries[start : start + REBUILD_BATCH], vocabularies, root)
                for field in FIELDS:
                    number_of = numbering[field]
                    numbered, lengths, counts = [], [], []
                    for document in batch:
                        text, field_counts = document.packed[field]
                        words = text.split("\n") if text else []
                        # New words numbered by a set operation, every word looked up by
                        # `map`: no Python call per posting. (The numbers only group them.)
                        new = set(words).difference(number_of)
                        first = len(number_of)
                        number_of.update(zip(new, range(first, first + len(new)), strict=True))
                        numbered.append(
                            np.fromiter(map(number_of.__getitem__, words), np.int32, len(words))
                        )
                        lengths.append(len(words))
                        counts.append(field_counts)
                    terms = np.concatenate([np.zeros(0, np.int32), *numbered])
                    counted = np.frombuffer(b"".join(counts), _UINT)
                    totals[field] += int(counted.sum())
                    holders = np.repeat(np.arange(start, start + len(batch), dtype=_UINT), lengths)
                    # Stable: each term's documents stay in ascending order.
                    order = np.argsort(terms, kind="stable")
                    ends = np.cumsum(np.bincount(terms, minlength=len(number_of))).tolist()
                    gathered[field].append(
                        (holders[order].tobytes(), counted[order].tobytes(), ends)
                    )
                self._db.executemany(
                    "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                    (_document_row(n, d) for n, d in enumerate(batch, start)),
                )
                del batch
            for field in FIELDS:
                rows = _term_rows(field, list(numbering.pop(field)), gathered.pop(field))
                self._db.executemany("INSERT INTO postings VALUES (?, ?, ?, ?)", rows)
            self._set_meta("totals", json.dumps(totals))
            self._set_meta("salt", salt)
            self._set_meta("identity", uuid.uuid4().hex)
            self._record_change(True, range(len(entries)), ())

    def _append(
        self,
        entries: Sequence[Entry],
        keys: list[str],
        stored: list[tuple[str, str]],
        vocabularies: Vocabularies | None,
        root: Path | None,
    ) -> bool:
        """New entries after every stored one (in numbering order), and perhaps a few
        edits: each kept document keeps its number, the new ones take the next, and all
        are patched in as edits are (readers patch too). False, with nothing done,
        otherwise."""
        if len(entries) <= len(stored) or [e.id for e in entries[: len(stored)]] != [
            row[0] for row in stored
        ]:
            return False
        # The stored documents are the first ones: the rest are new.
        changed = [n for n, row in enumerate(stored) if keys[n] != row[1]]
        fresh = changed + list(range(len(stored), len(entries)))
        if len(fresh) > PATCH_SHARE * len(entries):
            return False
        analysed = analyse_entries([entries[n] for n in fresh], vocabularies, root)
        averages = self.average_lengths()
        with self._db:
            terms: set[str] = set()
            frequencies: dict[tuple[str, str], tuple[int, int]] = {}
            presence: dict[str, int] = {}
            for number, document in zip(fresh, analysed, strict=True):
                old = None if number < len(stored) else _nothing(document)
                terms |= self._patch(number, document, averages, frequencies, presence, old)
            self._record_change(False, fresh, terms, frequencies, presence)
        return True

    def _renumber(
        self,
        entries: Sequence[Entry],
        keys: list[str],
        stored: list[tuple[str, str]],
        vocabularies: Vocabularies | None,
        root: Path | None,
    ) -> bool:
        """A few entries added or removed: each kept document takes its number in
        `entries` (every postings row renumbered as arrays, `_renumbered`), and the added
        and edited ones are patched in, without analysing the others again. Numbers moved,
        so readers see a rebuild (a new identity). False, with nothing done, after larger
        changes or when a kept entry moved past another (its year changed)."""
        import numpy as np

        position = {entry.id: n for n, entry in enumerate(entries)}
        remap = np.array([position.get(i, -1) for i, _ in stored], np.int64)
        kept = remap[remap >= 0]
        removed = np.flatnonzero(remap < 0).tolist()
        before = dict(stored)
        fresh = [
            n
            for n, (e, key) in enumerate(zip(entries, keys, strict=True))
            if before.get(e.id) != key
        ]
        if np.any(np.diff(kept) <= 0) or len(fresh) + len(removed) > PATCH_SHARE * len(entries):
            return False
        analysed = analyse_entries([entries[n] for n in fresh], vocabularies, root)
        with self._db:
            totals = json.loads(self._meta("totals"))
            for number in removed:
                (lengths,) = self._db.execute(
                    "SELECT lengths FROM documents WHERE number = ?", (number,)
                ).fetchone()
                for field, length in zip(FIELDS, lengths.split(","), strict=True):
                    totals[field] -= int(length)
            self._set_meta("totals", json.dumps(totals))
            rows = self._db.execute(
                "SELECT term, field, numbers, counts FROM postings ORDER BY term, field"
            ).fetchall()
            self._db.execute("DELETE FROM postings")
            self._db.executemany(
                "INSERT INTO postings VALUES (?, ?, ?, ?)", _renumbered(rows, remap)
            )
            del rows
            self._db.executemany("DELETE FROM documents WHERE number = ?", [(n,) for n in removed])
            # Kept documents move in two steps (through negative numbers): no number is
            # held by two documents at once.
            moves = [
                (new, old)
                for old, new in zip(np.flatnonzero(remap >= 0).tolist(), kept.tolist(), strict=True)
                if old != new
            ]
            update = "UPDATE documents SET number = ? WHERE number = ?"
            self._db.executemany(update, [(-1 - new, old) for new, old in moves])
            self._db.executemany(update, [(new, -1 - new) for new, _ in moves])
            averages, frequencies, presence = self.average_lengths(), {}, {}
            for number, document in zip(fresh, analysed, strict=True):
                old = self.document(number) if document.id in before else _nothing(document)
                self._patch(number, document, averages, frequencies, presence, old)
            self._set_meta("identity", uuid.uuid4().hex)
            self._record_change(True, range(len(entries)), ())
        return True

    def _patch(
        self,
        number: int,
        document: AnalysedDocument,
        averages: dict[str, float],
        frequencies: dict[tuple[str, str], tuple[int, int]],
        presence: dict[str, int],
        old: AnalysedDocument | None = None,
    ) -> set[str]:
        """Replace document `number`'s postings (those of `old`, stored unless given) by
        `document`'s; returns the terms whose weight in it moved (under `averages`, the
        lengths before the update), and notes in `frequencies` how many documents each
        changed row had and has, and in `presence` how the number of documents holding a
        term in any field moved."""
        old = old or self.document(number)
        # A length change normalises every word of the field again, yet most quantised
        # weights stay: only the words whose weight moved change the export.
        weights_before = _document_weights(old, averages)
        weights_after = _document_weights(document, averages)
        touched = {
            term
            for term in weights_before.keys() | weights_after.keys()
            if weights_before.get(term) != weights_after.get(term)
        }
        totals = json.loads(self._meta("totals"))
        for field in FIELDS:
            totals[field] += document.length(field) - old.length(field)
            before = dict(old.field_terms(field))
            after = dict(document.field_terms(field))
            for term in before.keys() | after.keys():
                if before.get(term) == after.get(term):
                    continue
                numbers, counts = self.field_row(field, term)
                at = bisect.bisect_left(numbers, number)
                if at < len(numbers) and numbers[at] == number:
                    del numbers[at], counts[at]
                before_count = len(numbers) + (term in before)
                if term in after:
                    numbers.insert(at, number)
                    counts.insert(at, after[term])
                first = frequencies.get((field, term), (before_count, 0))[0]
                frequencies[field, term] = (first, len(numbers))
                if numbers:
                    self._db.execute(
                        "INSERT OR REPLACE INTO postings VALUES (?, ?, ?, ?)",
                        (term, field, numbers.tobytes(), counts.tobytes()),
                    )
                else:
                    self._db.execute(
                        "DELETE FROM postings WHERE term = ? AND field = ?", (term, field)
                    )
        for term in weights_before.keys() ^ weights_after.keys():
            presence[term] = presence.get(term, 0) + (1 if term in weights_after else -1)
        self._set_meta("totals", json.dumps(totals))
        self._db.execute(
            "REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?)", _document_row(number, document)
        )
        return touched

    # --- reading ---------------------------------------------------------------------------
    @property
    def document_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM documents").fetchone()[0]

    @property
    def records(self) -> list[dict]:
        rows = self._db.execute("SELECT record FROM documents ORDER BY number")
        return [json.loads(record) for (record,) in rows]

    def document(self, number: int) -> AnalysedDocument:
        """The analysed document numbered `number`."""
        row = self._db.execute("SELECT analysis FROM documents WHERE number = ?", (number,))
        return pickle.loads(row.fetchone()[0])

    def record(self, number: int) -> dict:
        row = self._db.execute("SELECT record FROM documents WHERE number = ?", (number,))
        return json.loads(row.fetchone()[0])

    def _lengths(self) -> list[dict[str, int]]:
        rows = self._db.execute("SELECT lengths FROM documents ORDER BY number")
        return [dict(zip(FIELDS, map(int, text.split(",")), strict=True)) for (text,) in rows]

    def _field_factors(self):
        """Per document, per field (in FIELDS order): the BM25F factor, as a numpy array."""
        if self._factors is None:
            import numpy as np

            average = self.average_lengths()
            factors = [format_field_factors(length, average) for length in self._lengths()]
            self._factors = np.array(factors, dtype=np.float64).reshape(-1, len(FIELDS))
        return self._factors

    def average_lengths(self) -> dict[str, float]:
        """`format_average_lengths` of every document, from the totals kept per field."""
        return format_averages(json.loads(self._meta("totals")), self.document_count)

    @property
    def delta_base(self) -> int:
        return ranking.format_delta_base(self.document_count)

    def delta_postings(self) -> dict[str, tuple[int, Postings]]:
        """Term → (document frequency, postings) in the delta segment's documents
        (`format_delta_base` on), each list cut on its own as the main segment's are."""
        return format_delta_lists(
            (number, self.document_weights(number))
            for number in range(self.delta_base, self.document_count)
        )

    def postings(self, term: str) -> Postings:
        """The main segment's (number, quantised BM25F
        weight) of documents before `delta_base`, at most `MAX_POSTINGS` of them; the
        document frequency is theirs too."""
        rows = self._db.execute(
            "SELECT term, field, numbers, counts FROM postings WHERE term = ?", (term,)
        ).fetchall()
        weighed = list(_weigh_rows(rows, self._field_factors(), self.delta_base)) or [
            (term, 0, [], [])
        ]
        _, frequency, postings, spares = weighed[0]
        self._document_frequency[term] = frequency
        if spares:
            self._spares[term] = spares
        return postings

    def document_frequency(self, term: str) -> int:
        if term not in self._document_frequency:
            self.postings(term)
        return self._document_frequency.get(term, 0)

    def spare_postings(self, term: str) -> Postings:
        """The postings that follow the cut of `term`'s list (at most `SPARE_POSTINGS`, in
        ranking order), once, after its postings were read."""
        return self._spares.pop(term, [])

    def document_weights(self, number: int) -> dict[str, int]:
        """Term → quantised weight in document `number`: its postings, summed as `_finish`
        sums them (the same floats)."""
        return _document_weights(self.document(number), self.average_lengths())

    def iter_postings(self) -> Iterator[tuple[str, int, Postings]]:
        """(term, document frequency, postings) of every term, in code point order, in the
        main segment (`postings`; 0 and none for a term only the delta holds): one pass
        over the table, weighed a batch of rows at a time (`_weigh_rows`)."""
        factors = self._field_factors()
        base = self.delta_base
        rows = self._db.execute("SELECT term, field, numbers, counts FROM postings ORDER BY term")
        for batch in _whole_terms(rows, BULK_ROWS):
            for term, frequency, postings, spares in _weigh_rows(batch, factors, base):
                if spares:
                    self._spares[term] = spares
                yield term, frequency, postings

    def field_postings(self, field: str) -> Iterator[tuple[str, bytes, bytes]]:
        """One field's terms in code point order, with their numbers and counts as the
        bytes of unsigned int arrays (what related entries read: most lists are skipped by
        their length, without being unpacked)."""
        rows = self._db.execute(
            "SELECT term, numbers, counts FROM postings WHERE field = ? ORDER BY term", (field,)
        )
        yield from rows

    def field_row(self, field: str, term: str) -> tuple[array, array]:
        """The numbers and counts of the documents holding `term` in `field` (empty when
        none does)."""
        row = self._db.execute(
            "SELECT numbers, counts FROM postings WHERE term = ? AND field = ?", (term, field)
        ).fetchone()
        return (_array(row[0]), _array(row[1])) if row else (array("I"), array("I"))

    def field_rows(self, features: list[tuple[str, str]]) -> list[tuple[array, array]]:
        """`field_row` of each (field, term) of `features`, looked up in batches: the key
        features of hundreds of entries ranked again are tens of thousands."""
        by_field: dict[str, list[str]] = {}
        for field, term in features:
            by_field.setdefault(field, []).append(term)
        found: dict[tuple[str, str], tuple[bytes, bytes]] = {}
        for field, terms in by_field.items():
            for start in range(0, len(terms), ROWS_BATCH):
                batch = terms[start : start + ROWS_BATCH]
                rows = self._db.execute(
                    "SELECT term, numbers, counts FROM postings"
                    f" WHERE field = ? AND term IN ({','.join('?' * len(batch))})",
                    [field, *batch],
                )
                found.update(((field, term), (numbers, counts)) for term, numbers, counts in rows)
        empty = (b"", b"")
        return [tuple(map(_array, found.get(feature, empty))) for feature in features]

    def terms(self, prefix: str = "") -> list[str]:
        """The terms starting with `prefix` (every term by default), in code point order
        (SQLite compares UTF-8 bytes, which sort as code points). Read from `prefix` on
        along the primary key, and no further than the last of them."""
        rows = self._db.execute(
            "SELECT DISTINCT term FROM postings WHERE term >= ? ORDER BY term", (prefix,)
        )
        found = [term for (term,) in takewhile(lambda row: row[0].startswith(prefix), rows)]
        rows.close()
        return found

    def ids(self) -> list[str]:
        return [i for (i,) in self._db.execute("SELECT id FROM documents ORDER BY number")]

    def keys(self) -> set[str]:
        """The analysis cache keys of the documents (what `prune_analysis_cache` keeps)."""
        return {key for (key,) in self._db.execute("SELECT key FROM documents")}

    @property
    def identity(self) -> str:
        """A name for this pack file, new whenever it is rebuilt: a patch made against
        another pack's generations is never applied."""
        return self._meta("identity")


def format_delta_lists(
    weights: Iterable[tuple[int, dict[str, int]]],
) -> dict[str, tuple[int, Postings]]:
    """Term → (document frequency, postings cut as `ranking.cut_ranked` cuts) from each
    document's number and term weights, in number order."""
    lists: dict[str, Postings] = {}
    for number, document in weights:
        for term, weight in document.items():
            lists.setdefault(term, []).append((number, weight))
    return {term: (len(found), ranking.cut_ranked(found, 0)[0]) for term, found in lists.items()}


def _renumbered(
    rows: list[tuple[str, str, bytes, bytes]], remap
) -> Iterator[tuple[str, str, bytes, bytes]]:
    """`rows` with each document number mapped by `remap` (old number → new, -1 for a
    document removed), `BULK_ROWS` at a time; a row left with no document is dropped.
    `remap` keeps the order of the numbers it keeps, so each row stays sorted."""
    import numpy as np

    for start in range(0, len(rows), BULK_ROWS):
        batch = rows[start : start + BULK_ROWS]
        numbers = remap[np.frombuffer(b"".join(row[2] for row in batch), _UINT)]
        counts = np.frombuffer(b"".join(row[3] for row in batch), _UINT)
        holders = np.repeat(np.arange(len(batch)), [len(row[2]) // _ITEM_SIZE for row in batch])
        kept = numbers >= 0
        ends = (np.cumsum(np.bincount(holders[kept], minlength=len(batch))) * _ITEM_SIZE).tolist()
        numbers_kept = numbers[kept].astype(_UINT).tobytes()
        counts_kept = counts[kept].tobytes()
        begin = 0
        for (term, field, _, _), end in zip(batch, ends, strict=True):
            if end > begin:
                yield term, field, numbers_kept[begin:end], counts_kept[begin:end]
            begin = end


def _nothing(document: AnalysedDocument) -> AnalysedDocument:
    """An analysed document with no words, standing for one not in the pack before."""
    empty = {field: ("", array("I")) for field in FIELDS}
    return AnalysedDocument(document.id, "", {}, {}, empty)


def _whole_terms(rows: sqlite3.Cursor, size: int) -> Iterator[list[tuple]]:
    """The rows of `rows` (ordered by term) about `size` at a time, never a term's split."""
    held: list[tuple] = []
    while batch := rows.fetchmany(size):
        batch = held + batch
        cut = len(batch)
        while cut and batch[cut - 1][0] == batch[-1][0]:
            cut -= 1
        held = batch[cut:]  # the last term's rows may go on in the next fetch
        if cut:
            yield batch[:cut]
    if held:
        yield held


def _weigh_rows(
    rows: Sequence[tuple[str, str, bytes, bytes]], factors, base: int
) -> Iterator[tuple[str, int, Postings, Postings]]:
    """(term, document frequency, postings, spares) of each term of `rows` (its every
    (term, field, numbers, counts) row, terms one after another), as `cut_postings` makes
    them from the BM25F pseudo-frequencies: count × `factors[number, field]`, summed in
    FIELDS order. Weighed with numpy, postings of a whole batch at once: `np.bincount`
    adds each document's products in the order given (field by field), so the floats,
    and the weights, are those a Python loop makes (`cut_postings` of the sums)."""
    import numpy as np

    if not rows:
        return
    terms: dict[str, int] = {}
    by_field: list[list[tuple[int, bytes, bytes]]] = [[] for _ in FIELDS]
    for term, field, numbers, counts in rows:
        by_field[FIELDS.index(field)].append((terms.setdefault(term, len(terms)), numbers, counts))
    documents = len(factors)
    keys, products = [], []
    for position, part in enumerate(by_field):
        if not part:
            continue
        numbers = np.frombuffer(b"".join(numbers for _, numbers, _ in part), _UINT)
        counts = np.frombuffer(b"".join(counts for _, _, counts in part), _UINT)
        holders = np.repeat(
            np.array([term for term, _, _ in part], np.int64),
            [len(numbers) // _ITEM_SIZE for _, numbers, _ in part],
        )
        keys.append(holders * documents + numbers)
        products.append(counts * factors[numbers, position])
    # Unique (term, number) keys, sorted: each term's documents in ascending order.
    pairs, which = np.unique(np.concatenate(keys), return_inverse=True)
    pseudo_frequencies = np.bincount(which, weights=np.concatenate(products))
    weights = format_weights(pseudo_frequencies)
    numbers = pairs % documents
    if base < documents:  # the main segment's postings only (the delta's: `delta_postings`)
        main = numbers < base
        pairs, weights, numbers = pairs[main], weights[main], numbers[main]
    ends = np.cumsum(np.bincount(pairs // documents, minlength=len(terms))).tolist()
    number_list, weight_list = numbers.tolist(), weights.tolist()
    cut = ranking.MAX_POSTINGS
    start = 0
    for term, end in zip(terms, ends, strict=True):
        if end - start <= cut:
            postings = list(zip(number_list[start:end], weight_list[start:end], strict=True))
            yield term, end - start, postings, []
        else:  # the best `cut` (`rank_posting`: weight down, number down), spares next
            ranked = np.lexsort((-numbers[start:end].astype(np.int64), -weights[start:end])) + start
            kept = np.sort(ranked[:cut])
            below = ranked[cut : cut + SPARE_POSTINGS]
            postings = list(zip(numbers[kept].tolist(), weights[kept].tolist(), strict=True))
            spares = list(zip(numbers[below].tolist(), weights[below].tolist(), strict=True))
            yield term, end - start, postings, spares
        start = end


def _document_weights(document: AnalysedDocument, averages: dict[str, float]) -> dict[str, int]:
    """Term → quantised weight in `document` under the average lengths `averages`."""
    lengths = {field: document.length(field) for field in FIELDS}
    factors = format_field_factors(lengths, averages)  # what `_field_factors` holds
    pseudo_frequencies: dict[str, float] = {}
    for position, field in enumerate(FIELDS):
        for term, count in document.field_terms(field):
            pseudo_frequencies[term] = pseudo_frequencies.get(term, 0.0) + count * factors[position]
    return {term: format_weight(value) for term, value in pseudo_frequencies.items()}


def _connect(path: Path | None) -> sqlite3.Connection:
    # `mkdocs serve` builds in a new thread each time; one build uses it at a time, and a
    # build in another process (`ifte build` beside the preview) waits for the other's.
    db = sqlite3.connect(
        ":memory:" if path is None else str(path), timeout=120, check_same_thread=False
    )
    try:
        db.executescript(_SCHEMA)
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _term_rows(
    field: str, words: list[str], parts: list[tuple[bytes, bytes, list[int]]]
) -> Iterator[tuple[str, str, bytes, bytes]]:
    """The postings rows of one field, in term order: each term's numbers and counts joined
    from its run in every batch (`parts`, as `SearchPack._rebuild` gathers them; `words`
    by term number)."""
    for i in sorted(range(len(words)), key=words.__getitem__):
        runs = [
            (numbers, counts, (ends[i - 1] if i else 0) * _ITEM_SIZE, ends[i] * _ITEM_SIZE)
            for numbers, counts, ends in parts
            if i < len(ends)  # numbered before the batch's end
        ]
        yield (
            words[i],
            field,
            b"".join(numbers[start:end] for numbers, _, start, end in runs),
            b"".join(counts[start:end] for _, counts, start, end in runs),
        )


def _document_row(number: int, document: AnalysedDocument) -> tuple:
    lengths = ",".join(str(document.length(field)) for field in FIELDS)
    record = json.dumps(document.record, ensure_ascii=False)  # key order is shipped as is
    analysis = pickle.dumps(document, pickle.HIGHEST_PROTOCOL)
    return (number, document.id, document.key, record, lengths, analysis)


def open_pack(
    entries: Sequence[Entry], vocabularies: Vocabularies | None, root: Path | None = None
) -> SearchPack:
    """The pack of `entries`, brought up to date: kept under `root`'s cache between builds,
    in memory without `root`. One build's callers (related entries, then the export) share
    it; `close_pack` lets it go."""
    path = store_folder(root) / PACK_FILE if root else None
    if _OPEN and _OPEN[0] == path and path is not None:
        pack = _OPEN[1]
        synced, with_vocabularies = _OPEN[2]
        if synced is entries and with_vocabularies is vocabularies:
            return pack  # the same (immutable) entries: already in step
    else:
        close_pack()
        pack = SearchPack(path)
    pack.update(entries, vocabularies, root)
    # A tuple cannot change behind our back; another sequence is synced every time.
    _OPEN[:] = [path, pack, (entries if isinstance(entries, tuple) else None, vocabularies)]
    return pack


_OPEN: list = []  # [path, pack, what it was synced with] of this build


def close_pack() -> None:
    if _OPEN:
        _OPEN[1].close()
        _OPEN.clear()
