"""The inverted index of all analysed documents, in memory, for the build's exports.

The browser export and related entries read every posting of every term. Whoosh
keeps postings compressed on disk behind a per-term lookup, fine for queries but slow
for reading everything; this index is made in one pass over the analysed documents
(`analysed.py`) and gives the same numbers as `IndexSearcher` (the Python query path
over Whoosh), so the export is the same whichever it is made from
(`tests/unit/test_search_export.py`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence

from build_tools.search.analysed import AnalysedDocument
from build_tools.search.documents import FIELDS
from build_tools.search.ranking import format_field_factors
from build_tools.search.searcher import Postings, finish_postings, format_order_key


def analysed_index(documents: Sequence[AnalysedDocument]) -> AnalysedIndex:
    """`AnalysedIndex(documents)`, shared by the callers of one build (related entries,
    then the export) when they pass the same documents."""
    key = tuple(document.key for document in documents)
    if _LAST and _LAST[0] == key:
        return _LAST[1]
    index = AnalysedIndex(documents)
    _LAST[:] = [key, index]
    return index


_LAST: list = []  # [keys, index] of the last call: one build's index, not a growing cache


def release_analysed_index() -> None:
    """Let the last index go (hundreds of megabytes for a large catalogue)."""
    _LAST.clear()


class AnalysedIndex:
    """Documents numbered in export order; per field, term → (numbers, counts)."""

    def __init__(self, documents: Sequence[AnalysedDocument]) -> None:
        self.documents = sorted(documents, key=lambda d: format_order_key(d.record))
        self.records = [d.record for d in self.documents]
        self.facets = [d.facets for d in self.documents]
        lengths = [{f: d.length(f) for f in FIELDS} for d in self.documents]
        count = len(lengths) or 1
        average_lengths = {f: sum(length[f] for length in lengths) / count for f in FIELDS}
        self._factors = [format_field_factors(length, average_lengths) for length in lengths]
        self._fields: dict[str, dict[str, tuple[array, array]]] = {f: {} for f in FIELDS}
        for number, document in enumerate(self.documents):
            for field in FIELDS:
                table = self._fields[field]
                for term, frequency in document.field_terms(field):
                    lists = table.get(term)
                    if lists is None:
                        lists = table[term] = (array("I"), array("I"))
                    lists[0].append(number)
                    lists[1].append(frequency)
        self._document_frequency: dict[str, int] = {}

    @property
    def document_count(self) -> int:
        return len(self.documents)

    @property
    def terms(self) -> list[str]:
        """Every indexed term of every text field, sorted by code point."""
        return sorted(set().union(*self._fields.values()))

    def postings(self, term: str) -> Postings:
        """As `IndexSearcher.postings`: (number, quantised BM25F weight), the same sums in
        the same order."""
        pseudo_frequencies: dict[int, float] = {}
        factors = self._factors
        for position, field in enumerate(FIELDS):
            lists = self._fields[field].get(term)
            if lists is not None:
                for number, frequency in zip(*lists, strict=True):
                    pseudo_frequencies[number] = (
                        pseudo_frequencies.get(number, 0.0) + frequency * factors[number][position]
                    )
        frequency, result = finish_postings(pseudo_frequencies)
        self._document_frequency[term] = frequency
        return result

    def document_frequency(self, term: str) -> int:
        if term not in self._document_frequency:
            self.postings(term)
        return self._document_frequency[term]

    # What related entries read: one field's terms in code point order, with their lists.
    def field_postings(self, field: str) -> Iterator[tuple[str, array, array]]:
        table = self._fields[field]
        for term in sorted(table):
            numbers, frequencies = table[term]
            yield term, numbers, frequencies
