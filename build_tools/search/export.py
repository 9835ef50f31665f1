"""Export the index as static files for the browser engine (`ifte-search-engine.js`).

Layout under `out_dir` (the site's `search-index/`):

    manifest.json                 fetched on the first keystroke, revalidated every time
    <version>/terms-<k>.json      term dictionary: {term: [document frequency, postings shard]}
    <version>/postings-<k>.json   {term: [doc, weight, doc delta, weight, …]}
    <version>/docs-<k>.json       display records of documents k·G … k·G+G−1

(Facet data for filtering lives beside it, in `facets.py`'s `search-facets/`.)

A term lives in term shard `fnv1a(first two characters) mod termShards`, so the planner
can look up every word that starts at a given place of the query with one small fetch.
Postings shards hold runs of consecutive terms (so a prefix's expansions usually share
one) cut at about `POSTINGS_SHARD_BYTES`. `<version>` is a hash of the content: a build
never mixes with files of another build in a browser or proxy cache.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.cache import CACHE_FOLDER, code_fingerprint
from build_tools.model import Entry
from build_tools.search.analysed import analyse_entries, analysis_salt, prune_analysis_cache
from build_tools.search.postings import AnalysedIndex, analysed_index, release_analysed_index
from build_tools.search.query import (
    FUZZY_PREFIX_CHARS,
    MIN_FUZZY_CHARS,
    MIN_PREFIX_CHARS,
    format_shard_key,
)
from build_tools.search.ranking import browser_parameters
from build_tools.search.searcher import IndexSearcher
from build_tools.thai import MAX_TOKEN_CHARS
from build_tools.vocabularies import Vocabularies
from build_tools.writing import write_text_atomic

if TYPE_CHECKING:
    from build_tools.loader import Catalog
    from build_tools.site import SiteSettings

FORMAT = 1
MANIFEST = "manifest.json"
# Average terms per dictionary shard: a query touches one shard per Thai character cluster.
TERMS_PER_SHARD = 64
POSTINGS_SHARD_BYTES = 8_000
DOCS_PER_SHARD = 4
_VERSION_NAME = re.compile("[0-9a-f]{12}")


def format_shard_number(key: str, shard_count: int) -> int:
    """32-bit FNV-1a of the key's code points; `shardOf` in the engine is its twin."""
    value = 0x811C9DC5
    for char in key:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % shard_count


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _encode_postings(postings: list[tuple[int, int]]) -> list[int]:
    flat: list[int] = []
    previous = 0
    for document, weight in postings:
        flat += (document - previous, weight)
        previous = document
    return flat


def iter_files(searcher: IndexSearcher | AnalysedIndex) -> Iterator[tuple[str, str]]:
    """(file name below the version folder, content) of the whole export, "manifest" last.

    Postings shards are yielded as they fill, so the export never holds more than one
    of them in memory (tens of megabytes of them at 20,000 entries).
    """
    terms = searcher.terms
    term_shard_count = max(1, math.ceil(len(terms) / TERMS_PER_SHARD))
    dictionary: list[dict] = [{} for _ in range(term_shard_count)]
    shard: dict[str, list[int]] = {}
    shard_number = shard_bytes = 0
    for term in terms:
        encoded = _encode_postings(searcher.postings(term))
        size = len(_dumps(encoded)) + len(term.encode()) + 4
        if shard_bytes and shard_bytes + size > POSTINGS_SHARD_BYTES:
            yield f"postings-{shard_number}.json", _dumps(shard)
            shard, shard_number, shard_bytes = {}, shard_number + 1, 0
        shard[term] = encoded
        shard_bytes += size
        key = format_shard_key(term)
        dictionary[format_shard_number(key, term_shard_count)][term] = [
            searcher.document_frequency(term),
            shard_number,
        ]
    yield f"postings-{shard_number}.json", _dumps(shard)
    for k, terms_shard in enumerate(dictionary):
        yield f"terms-{k}.json", _dumps(terms_shard)
    records = searcher.records
    for k in range(0, max(1, math.ceil(len(records) / DOCS_PER_SHARD))):
        yield f"docs-{k}.json", _dumps(records[k * DOCS_PER_SHARD : (k + 1) * DOCS_PER_SHARD])
    yield (
        "manifest",
        _dumps(
            {
                "format": FORMAT,
                "documents": len(records),
                "termShards": term_shard_count,
                "docsPerShard": DOCS_PER_SHARD,
                "params": browser_parameters()
                | {
                    "maxTokenChars": MAX_TOKEN_CHARS,
                    "minPrefixChars": MIN_PREFIX_CHARS,
                    "minFuzzyChars": MIN_FUZZY_CHARS,
                    "fuzzyPrefixChars": FUZZY_PREFIX_CHARS,
                },
            }
        ),
    )


def plan_files(searcher: IndexSearcher | AnalysedIndex) -> dict[str, str]:
    """File name (below the version folder) → content, for the whole export (pure)."""
    return dict(iter_files(searcher))


def export_search(
    source: Path | Iterable[Entry],
    out_dir: Path,
    vocabularies: Vocabularies | None = None,
) -> list[Path]:
    """Write the browser's search files into `out_dir`; returns the paths written.

    `source` is a Whoosh index folder made by `build_index`, or entries (analysed
    here). Both give the same files. Other version folders in `out_dir` are removed.
    """
    if isinstance(source, Path):
        with IndexSearcher(source) as searcher:
            return _write_export(iter_files(searcher), Path(out_dir))
    index = analysed_index(analyse_entries(source, vocabularies))
    return _write_export(iter_files(index), Path(out_dir))


def _write_export(files: Iterable[tuple[str, str]], out_dir: Path) -> list[Path]:
    """Write the files into a folder named by their hash (`out_dir/<version>/`), then the
    manifest naming it; other version folders are removed. Written file by file, as
    `iter_files` makes them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = out_dir / ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    digest = hashlib.sha256()
    names: list[str] = []
    manifest: dict = {}
    for name, content in files:
        if name == "manifest":
            manifest = json.loads(content)
            continue
        data = content.encode()
        digest.update(name.encode() + b"\0" + data + b"\0")
        (partial / name).write_bytes(data)
        names.append(name)
    version = manifest["version"] = digest.hexdigest()[:12]
    _remove_versions(out_dir)
    partial.rename(out_dir / version)
    # Written last and atomically: a visitor never gets a manifest naming missing files.
    manifest_path = out_dir / MANIFEST
    write_text_atomic(manifest_path, _dumps(manifest))
    return [manifest_path, *(out_dir / version / name for name in sorted(names))]


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
        path.write_text(content, encoding="utf-8")
        written.append(path)
    # Written last and atomically: a visitor never gets a manifest naming missing files.
    manifest_path = out_dir / MANIFEST
    write_text_atomic(manifest_path, _dumps(manifest))
    return [manifest_path, *written]


# Where `ifte search` keeps its Whoosh index between runs, relative to the project root
# (updated incrementally from the analyses the site build cached); `make clean` removes it.
INDEX_CACHE = Path(".cache") / "search-index"
# The last export, kept so a full build into an empty site folder needs no recomputation.
EXPORT_CACHE = Path(CACHE_FOLDER) / "search-export"
SITE_FOLDER = "search-index"


def export_site_search(catalog: Catalog, settings: SiteSettings, site_dir: Path) -> str | None:
    """Post-build exporter (site.POST_BUILD_EXPORTERS): the browser's search files.

    The export is made in the cache (`EXPORT_CACHE`) and mirrored into `site_dir`. When
    the entries, vocabularies and search code are those of the cached export, nothing is
    computed: a rebuild that changed no entry rewrites nothing, and a full build (empty
    `site_dir`) only links or copies the files.
    """
    out_dir = Path(site_dir) / SITE_FOLDER
    cached = settings.root / EXPORT_CACHE
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
        documents = analyse_entries(catalog.entries, catalog.vocabularies, settings.root)
        prune_analysis_cache(settings.root, documents)
        stamp.unlink(missing_ok=True)  # a half-made export never passes for a finished one
        _write_export(iter_files(analysed_index(documents)), cached / SITE_FOLDER)
        release_analysed_index()  # the export is its last reader in a build
        write_text_atomic(stamp, key)
    _mirror_export(cached / SITE_FOLDER, out_dir)
    return None


def _export_key(catalog: Catalog) -> str:
    parts = [
        FORMAT,
        analysis_salt(catalog.vocabularies),  # segmentation code and vocabulary labels
        code_fingerprint("search.postings", "search.searcher", "search.export", "search.ranking"),
        sorted((e.id, e.content_hash) for e in catalog.entries),
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _read_version(out_dir: Path) -> str:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _cached_export_matches(cached: Path, stamp: Path, key: str) -> bool:
    try:
        if stamp.read_text(encoding="utf-8") != key:
            return False
    except OSError:
        return False
    version = _read_version(cached / SITE_FOLDER)
    return bool(version) and (cached / SITE_FOLDER / version).is_dir()


def _mirror_export(source: Path, out_dir: Path) -> None:
    """Make `out_dir` hold the export in `source`: the version folder is hard-linked
    (copied across file systems), other versions are removed, the manifest comes last."""
    version = _read_version(source)
    if _read_version(out_dir) == version and (out_dir / version).is_dir():
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_versions(out_dir)
    shutil.copytree(source / version, out_dir / version, copy_function=_link_or_copy)
    write_text_atomic(out_dir / MANIFEST, (source / MANIFEST).read_text(encoding="utf-8"))


def _link_or_copy(source: str, target: str) -> None:
    # Safe to share: every export file is written once under a new version name, never
    # rewritten in place.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
