"""Build and update the Whoosh index of all entries (incrementally).

Each stored document carries its content hash; an unchanged entry is neither re-read
nor re-segmented on the next build. A change of analyzer rules (`ANALYZER_VERSION`)
or of PyThaiNLP rebuilds the index from scratch.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pythainlp
from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema

from build_tools.errors import IfteError
from build_tools.model import Entry
from build_tools.search.analysis import thai_analyzer
from build_tools.search.documents import FIELDS, SearchDocument, plan_document
from build_tools.thai import iter_index_tokens
from build_tools.vocabularies import Vocabularies

# Bump when thai.py, analysis.py or the schema change what gets indexed.
ANALYZER_VERSION = "1"
_MARKER = "ifte-search.json"


@dataclass(frozen=True)
class IndexStats:
    added: int
    updated: int
    removed: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def make_schema() -> Schema:
    analyzer = thai_analyzer()
    text_fields = {name: TEXT(analyzer=analyzer, phrase=False) for name in FIELDS}
    return Schema(
        id=ID(stored=True, unique=True),
        content_hash=STORED(),
        record=STORED(),  # display record shipped to browsers (documents.plan_document)
        lengths=STORED(),  # exact token count per field, for BM25F
        facets=STORED(),
        **text_fields,
    )


def _marker() -> dict:
    return {"analyzer": ANALYZER_VERSION, "pythainlp": pythainlp.__version__}


def _open_or_create(index_dir: Path) -> whoosh_index.Index:
    marker = index_dir / _MARKER
    fresh = not (marker.is_file() and json.loads(marker.read_text()) == _marker())
    if fresh or not whoosh_index.exists_in(index_dir):
        if index_dir.exists() and any(index_dir.iterdir()):
            if not (marker.is_file() or whoosh_index.exists_in(index_dir)):
                raise IfteError(
                    f"โฟลเดอร์ {index_dir} มีไฟล์อื่นอยู่ ไม่ใช่ดัชนีค้นหา — เลือกโฟลเดอร์ว่าง",
                    f"{index_dir} holds other files, not a search index — use an empty folder",
                )
            shutil.rmtree(index_dir)
        index_dir.mkdir(parents=True, exist_ok=True)
        created = whoosh_index.create_in(index_dir, make_schema())
        marker.write_text(json.dumps(_marker()))
        return created
    return whoosh_index.open_dir(index_dir)


def open_index(index_dir: Path) -> whoosh_index.Index:
    """Open an index built by `build_index`; a bilingual error if there is none."""
    if not (index_dir / _MARKER).is_file() or not whoosh_index.exists_in(index_dir):
        raise IfteError(
            f"ไม่พบดัชนีค้นหาที่ {index_dir} — สร้างเว็บไซต์ก่อน (ifte build หรือ mkdocs build)",
            f"No search index at {index_dir} — build the site first (ifte build or mkdocs build)",
        )
    return whoosh_index.open_dir(index_dir)


def _whoosh_fields(document: SearchDocument) -> dict:
    lengths = {
        name: sum(1 for _ in iter_index_tokens(text)) for name, text in document.fields.items()
    }
    return {
        "id": document.id,
        "content_hash": document.content_hash,
        "record": document.record,
        "lengths": lengths,
        "facets": document.facets,
        **document.fields,
    }


def build_index(
    entries: Iterable[Entry], index_dir: Path, vocabularies: Vocabularies | None = None
) -> IndexStats:
    """Bring the Whoosh index in `index_dir` up to date with `entries`.

    Only entries whose content hash changed are (re-)analysed; entries that disappeared
    are deleted. `vocabularies` turns codes into the Thai labels that get indexed
    (district and subject names); without it the codes themselves are indexed.
    """
    index = _open_or_create(Path(index_dir))
    with index.searcher() as searcher:
        known = {fields["id"]: fields["content_hash"] for fields in searcher.all_stored_fields()}
    added = updated = unchanged = 0
    seen: set[str] = set()
    writer = index.writer(limitmb=128)
    try:
        for entry in entries:
            document = plan_document(entry, vocabularies)
            seen.add(document.id)
            previous = known.get(document.id)
            if previous == document.content_hash:
                unchanged += 1
                continue
            if previous is None:
                writer.add_document(**_whoosh_fields(document))
                added += 1
            else:
                writer.update_document(**_whoosh_fields(document))
                updated += 1
        removed = 0
        for entry_id in known.keys() - seen:
            writer.delete_by_term("id", entry_id)
            removed += 1
    except BaseException:
        writer.cancel()
        raise
    stats = IndexStats(added, updated, removed, unchanged)
    if stats.changed:
        writer.commit()
    else:
        writer.cancel()
    return stats
