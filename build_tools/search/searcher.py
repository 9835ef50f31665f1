"""The Python query path: plan, score and present results from the Whoosh index.

Used by `ifte search`, by the tests and by the benchmark. The export reads postings
through the same `IndexSearcher.postings`, so the numbers the browser sums are the
numbers this module sums (see `ranking`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from pathlib import Path

from build_tools.search.documents import FIELDS
from build_tools.search.query import Phrases, QueryPlan, plan_query
from build_tools.search.ranking import (
    WEIGHT_SCALE,
    format_average_lengths,
    format_field_factors,
    format_weight,
    idf,
)
from build_tools.thai import normalize

Postings = list[tuple[int, int]]  # (document number, quantised weight)

# Characters of context a snippet shows.
SNIPPET_CHARS = 140
# A term in more documents keeps only its highest-weighted postings (impact ordering):
# such a term has a small idf, and its full list would dominate what a browser downloads.
# The document frequency (hence idf) stays exact; a one-word query ranks exactly.
MAX_POSTINGS = 1000
# The newest documents (numbers from `format_delta_base` on) form a small delta segment of
# their own: their postings are exported in a few files of their own (`export.py`), so
# adding an entry rewrites those and not the shards of every word it holds. Each segment
# cuts its lists at `MAX_POSTINGS` on its own; a query sums both.
DELTA_DOCS = 32


def format_delta_base(document_count: int) -> int:
    """The first document number of the delta segment: the delta holds fewer than
    `DELTA_DOCS` documents and is merged into the main segment when it would fill."""
    return document_count - document_count % DELTA_DOCS


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    record: dict  # the display record (documents.plan_document): t, u, y, s, d, k, x
    matched: tuple[str, ...]  # index terms of the query this entry contains
    every_word: bool = True  # holds every word of the query (else some of them)

    @property
    def title(self) -> str:
        return self.record["t"]

    @property
    def url(self) -> str:
        return self.record["u"]


@dataclass(frozen=True)
class SearchResults:
    query: str
    plan: QueryPlan
    total: int  # entries holding every word of the query (after filters)
    partial: int  # entries holding only some of them, ranked after the others
    hits: tuple[Hit, ...]


def format_order_key(record: Mapping, facets: Mapping) -> tuple:
    """Document numbering order: oldest year first, then date submitted (none first),
    then id. A new entry is usually the newest, so it takes the next number and no other
    document's number moves: adding it rewrites only the files of its own words. Ties
    rank the highest number first (newest year, latest submitted)."""
    submitted = facets.get("submitted") or ("",)
    return (int(record["y"]), submitted[0], record["id"])


def format_entry_order_key(entry) -> tuple:
    """`format_order_key` of an entry (`model.Entry`)."""
    return (entry.year, entry.submitted.isoformat() if entry.submitted else "", entry.id)


def finish_postings(pseudo_frequencies: Mapping[int, float]) -> tuple[int, Postings]:
    """(document frequency, postings) of a term from its documents' BM25F pseudo-frequencies:
    quantised weights, at most `MAX_POSTINGS` (the highest; ties: higher number first),
    in document order."""
    frequency, result, _ = cut_postings(pseudo_frequencies, 0)
    return frequency, result


def cut_postings(
    pseudo_frequencies: Mapping[int, float], spares: int
) -> tuple[int, Postings, Postings]:
    """`finish_postings`, and the `spares` postings that follow the cut, in ranking order
    (what an incremental export promotes when a listed document drops out)."""
    result = [(n, format_weight(p)) for n, p in pseudo_frequencies.items()]
    return len(result), *cut_ranked(result, spares)


def cut_ranked(postings: Postings, spares: int) -> tuple[Postings, Postings]:
    """The `MAX_POSTINGS` best of `postings` (`rank_posting`; one per document) in
    document order, and the `spares` that follow them, in ranking order. Ranked by two
    sorts on C keys, by number (highest first) and then stably by weight, highest first:
    a key function per posting would be called millions of times by an export."""
    postings = sorted(postings)
    if len(postings) <= MAX_POSTINGS:
        return postings, []
    postings.reverse()
    postings.sort(key=itemgetter(1), reverse=True)
    below = postings[MAX_POSTINGS : MAX_POSTINGS + spares]
    del postings[MAX_POSTINGS:]
    postings.sort()
    return postings, below


def rank_posting(posting: tuple[int, int]) -> tuple[int, int]:
    """Postings rank by weight, highest first; ties by document number, highest first."""
    return -posting[1], -posting[0]


def score_documents(
    plan: QueryPlan,
    postings: Callable[[str], Postings],
    document_frequency: Callable[[str], int],
    document_count: int,
) -> dict[int, tuple[float, list[str], bool]]:
    """Sum, clause by clause, the best `idf × weight × factor` among each clause's terms.

    A document matching k of n clauses keeps k/n of its sum (coordination), and holds
    every word when it matches every clause whose postings are complete (a word so common
    that its list was cut at `MAX_POSTINGS` cannot be required, only rank): those come
    first everywhere (`rank_documents`). Mirrors `scoreDocuments` in
    ifte-search-engine.js operation by operation.
    """
    totals: dict[int, float] = {}
    matched: dict[int, list[str]] = {}
    counts: dict[int, int] = {}
    required: dict[int, int] = {}
    complete_clauses = 0
    for clause in plan.clauses:
        best: dict[int, float] = {}
        best_term: dict[int, str] = {}
        complete = True
        for term, factor in clause.alternatives:
            term_idf = idf(document_count, document_frequency(term))
            term_postings = postings(term)
            complete = complete and len(term_postings) == document_frequency(term)
            for document, weight in term_postings:
                value = term_idf * (weight / WEIGHT_SCALE) * factor
                if value > best.get(document, 0.0):
                    best[document], best_term[document] = value, term
        complete_clauses += complete
        for document, value in best.items():
            totals[document] = totals.get(document, 0.0) + value
            counts[document] = counts.get(document, 0) + 1
            required[document] = required.get(document, 0) + complete
            matched.setdefault(document, []).append(best_term[document])
    clause_count = len(plan.clauses)
    return {
        document: (
            total * counts[document] / clause_count,
            matched[document],
            required[document] == complete_clauses,
        )
        for document, total in totals.items()
    }


def rank_documents(scored: Mapping[int, tuple[float, list[str], bool]]) -> list[int]:
    """Documents holding every word first, then by score, highest first; ties by number,
    highest (newest) first."""
    return sorted(scored, key=lambda n: (not scored[n][2], -scored[n][0], -n))


def format_snippet(text: str, terms: Sequence[str], width: int = SNIPPET_CHARS) -> str:
    """A window of `text` around the first matched term, the terms marked «like this»."""
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for term in sorted(terms, key=len, reverse=True):
        start = lowered.find(term)
        while start >= 0:
            end = start + len(term)
            if all(end <= a or start >= b for a, b in spans):
                spans.append((start, end))
            start = lowered.find(term, end)
    spans.sort()
    first = spans[0][0] if spans else 0
    begin = max(0, min(first - width // 4, len(text) - width))
    end = begin + width
    parts = ["…" if begin else ""]
    cursor = begin
    for a, b in spans:
        if a >= cursor and b <= end:
            parts += [text[cursor:a], "«", text[a:b], "»"]
            cursor = b
    parts += [text[cursor:end], "…" if end < len(text) else ""]
    return "".join(parts)


class IndexSearcher:
    """Reads a Whoosh index built by `build_index`; also the `Lexicon` of the planner."""

    def __init__(self, index_dir: Path) -> None:
        from build_tools.search.index import PostingsReader, open_index  # Whoosh: on use

        self._index = open_index(Path(index_dir))
        self._reader = self._index.reader()
        self._fast = PostingsReader(self._reader)
        stored = {n: f for n, f in self._reader.iter_docs()}
        order = sorted(
            stored, key=lambda n: format_order_key(stored[n]["record"], stored[n]["facets"])
        )
        self._number = {docnum: number for number, docnum in enumerate(order)}
        self.records = [stored[n]["record"] for n in order]
        self.facets = [stored[n]["facets"] for n in order]
        lengths = [stored[n]["lengths"] for n in order]
        average_lengths = format_average_lengths(lengths)
        self._field_factors = {
            n: format_field_factors(length, average_lengths)
            for n, length in zip(order, lengths, strict=True)
        }
        self._postings: dict[str, Postings] = {}
        self._document_frequency: dict[str, int] = {}
        self._main_frequency: dict[str, int] = {}

    def close(self) -> None:
        self._reader.close()

    def __enter__(self) -> IndexSearcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def document_count(self) -> int:
        return len(self.records)

    @cached_property
    def _field_terms(self) -> dict[str, frozenset[str]]:
        return {f: frozenset(self._reader.field_terms(f)) for f in FIELDS}

    @cached_property
    def terms(self) -> list[str]:
        """Every indexed term of every text field, sorted by code point."""
        return sorted(frozenset().union(*self._field_terms.values()))

    def postings(self, term: str) -> Postings:
        """Documents containing `term` in any field, with their quantised BM25F weight.

        At most `MAX_POSTINGS` of each segment's: the highest weights (ties: higher number
        first).
        """
        cached = self._postings.get(term)
        if cached is not None:
            return cached
        pseudo_frequencies: dict[int, float] = {}
        factors = self._field_factors
        for position, field in enumerate(FIELDS):
            if term in self._field_terms[field]:
                for docnum, frequency in self._fast.postings(field, term):
                    pseudo_frequencies[docnum] = (
                        pseudo_frequencies.get(docnum, 0.0) + frequency * factors[docnum][position]
                    )
        number = self._number
        base = format_delta_base(self.document_count)
        main: dict[int, float] = {}
        delta: dict[int, float] = {}
        for n, p in pseudo_frequencies.items():
            (main if number[n] < base else delta)[number[n]] = p
        main_frequency, main_postings = finish_postings(main)
        delta_frequency, delta_postings = finish_postings(delta)
        result = main_postings + delta_postings  # numbers of the main segment come first
        frequency = main_frequency + delta_frequency
        self._document_frequency[term] = frequency
        self._main_frequency[term] = main_frequency
        if len(self._postings) < 4096:  # a few queries; the export streams every term
            self._postings[term] = result
        return result

    def main_frequency(self, term: str) -> int:
        """How many documents of the main segment hold `term` (after `postings(term)`)."""
        return self._main_frequency.get(term, 0)

    # The `Lexicon` protocol of query.plan_query.
    def document_frequency(self, term: str) -> int:
        if term not in self._document_frequency:
            if not any(term in terms for terms in self._field_terms.values()):
                return 0
            self.postings(term)
        return self._document_frequency[term]

    def terms_with_prefix(self, prefix: str) -> list[str]:
        terms = self.terms
        start = bisect.bisect_left(terms, prefix)
        end = start
        while end < len(terms) and terms[end].startswith(prefix):
            end += 1
        return terms[start:end]

    def search(
        self,
        query: str,
        limit: int = 10,
        filters: Mapping[str, str] | None = None,
        prefix: bool = True,
        phrases: Phrases | None = None,
        correct: bool = True,
    ) -> SearchResults:
        """Top `limit` entries for `query`; `filters` keep entries whose facet has the code.
        `phrases` are vocabulary a typo may be corrected to; `correct=False`: as typed."""
        plan = plan_query(query, self, prefix=prefix, phrases=phrases, correct=correct)
        scored = score_documents(plan, self.postings, self.document_frequency, self.document_count)
        if filters:
            scored = {
                n: s
                for n, s in scored.items()
                if all(code in self.facets[n].get(facet, ()) for facet, code in filters.items())
            }
        ranked = rank_documents(scored)
        every = sum(1 for value in scored.values() if value[2])
        hits = tuple(
            Hit(
                self.records[n]["id"],
                scored[n][0],
                self.records[n],
                tuple(scored[n][1]),
                scored[n][2],
            )
            for n in ranked[:limit]
        )
        return SearchResults(query, plan, every, len(scored) - every, hits)


def open_searcher(index_dir: Path) -> IndexSearcher:
    return IndexSearcher(index_dir)


def format_hit_snippet(hit: Hit) -> str:
    return format_snippet(hit.record["x"], [normalize(t) for t in hit.matched])
