"""Thai full-text search: a Whoosh index at build time, static shards for the browser.

Stages, one module each, plain data between them:
`documents` (entry → search document) → `analysed` (Thai segmentation, once per
content, cached) → `postings` (all documents' inverted index, in memory) → `export`
(sharded term dictionary, postings and document records for the browser). `index`
keeps a Whoosh index of the same analysed documents, updated incrementally, for the
Python query path. The query path exists twice with the same rules: `query`/`searcher`
(Python: `ifte search`, tests, bench) and `theme/assets/javascripts/ifte-search-engine.js`
(browser). `ranking` holds the scoring constants both read.
"""

from build_tools.search.export import export_search
from build_tools.search.index import build_index
from build_tools.search.searcher import IndexSearcher, open_searcher

__all__ = ["IndexSearcher", "build_index", "export_search", "open_searcher"]
