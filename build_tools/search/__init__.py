"""Thai full-text search: one index (the search pack), static shards for the browser.

Stages, one module each, plain data between them:
`documents` (entry → search document) → `analysed` (Thai segmentation, once per
content, cached) → `pack` (the inverted index of every analysed document, kept in the
cache and patched per edit) → `export` (sharded term dictionary, postings and document
records for the browser). The query path exists twice with the same rules:
`query`/`searcher` (Python, over the pack: `ifte search`, tests, bench) and
`theme/assets/javascripts/ifte-search-engine.js` (browser, over the export). `ranking`
holds the scoring constants both read.
"""

from __future__ import annotations

import importlib

# Imported when first used: a site build needs none of PyThaiNLP's modules until it
# segments an edited entry, and importing them costs a tenth of a second.
_EXPORTS = {
    "Searcher": "searcher",
    "export_search": "export",
    "open_searcher": "searcher",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
