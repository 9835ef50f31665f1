"""The Python query path: plan, score and present results from the search pack.

Used by `ifte search`, by the tests and by the benchmark. It reads the pack the build
keeps and exports (`pack`), so the numbers the browser sums are the numbers this module
sums (see `ranking`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.core.cache import store_folder
from build_tools.core.model import Entry
from build_tools.core.thai import normalize
from build_tools.core.vocabularies import Vocabularies
from build_tools.search.documents import plan_facets
from build_tools.search.query import Phrases, QueryPlan, plan_query
from build_tools.search.ranking import (
    WEIGHT_SCALE,
    Postings,
    idf,
)

if TYPE_CHECKING:
    from build_tools.search.pack import SearchPack

# Characters of context a snippet shows.
SNIPPET_CHARS = 140


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


class Searcher:
    """The Python query path over the search pack (`pack.SearchPack`): the index the build
    keeps, so the numbers summed here are those the export ships. Also the `Lexicon` of
    the planner. Made by `open_searcher`."""

    def __init__(self, pack: SearchPack, entries: Sequence[Entry]) -> None:
        self.pack = pack
        self.records = pack.records
        by_id = {entry.id: entry for entry in entries}
        # Facets come from the entries (as the search page's data do), not from the
        # pack's stored analyses: unpickling thousands of those to filter would be slow.
        self.facets = [plan_facets(by_id[record["id"]]) for record in self.records]
        self._postings: dict[str, Postings] = {}
        self._prefixed: dict[str, list[str]] = {}
        # The newest documents' lists (the delta segment), cut on their own as the export's.
        self._delta = pack.delta_postings()

    def close(self) -> None:
        self.pack.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def document_count(self) -> int:
        return len(self.records)

    @cached_property
    def terms(self) -> list[str]:
        """Every indexed term of every text field, sorted by code point."""
        return self.pack.terms()

    def postings(self, term: str) -> Postings:
        """Documents containing `term` in any field, with their quantised BM25F weight.

        At most `MAX_POSTINGS` of each segment's: the highest weights (ties: higher number
        first).
        """
        cached = self._postings.get(term)
        if cached is None:
            delta = self._delta.get(term, (0, []))[1]
            # Numbers of the main segment come first.
            cached = self._postings[term] = self.pack.postings(term) + list(delta)
        return cached

    def main_frequency(self, term: str) -> int:
        """How many documents of the main segment hold `term`."""
        return self.pack.document_frequency(term)

    # The `Lexicon` protocol of query.plan_query.
    def document_frequency(self, term: str) -> int:
        return self.pack.document_frequency(term) + self._delta.get(term, (0, []))[0]

    def terms_with_prefix(self, prefix: str) -> list[str]:
        # The planner asks for the same prefixes over and over while it segments a query.
        found = self._prefixed.get(prefix)
        if found is None:
            found = self._prefixed[prefix] = self.pack.terms(prefix)
        return found

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


def open_searcher(
    entries: Iterable[Entry], vocabularies: Vocabularies | None = None, root: Path | None = None
) -> Searcher:
    """The query path over the search pack of `entries`, first brought up to date as a
    build brings it (only entries changed since are analysed again): the pack kept in
    `root`'s cache, which the build shares, or one in memory without `root`."""
    from build_tools.search.pack import PACK_FILE, SearchPack  # the pack imports this module

    entries = tuple(entries)
    pack = SearchPack(store_folder(root) / PACK_FILE if root else None)
    try:
        pack.update(entries, vocabularies, root)
        return Searcher(pack, entries)
    except BaseException:
        pack.close()
        raise


def format_hit_snippet(hit: Hit) -> str:
    return format_snippet(hit.record["x"], [normalize(t) for t in hit.matched])
