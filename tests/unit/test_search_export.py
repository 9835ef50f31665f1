"""The static files the browser engine reads (build_tools/search/export.py)."""

from __future__ import annotations

import json

import pytest

from build_tools.search import export_search, open_searcher
from build_tools.search.export import DELTA_SHARDS, DOCS_PER_SHARD, format_shard_number
from build_tools.search.query import format_shard_key
from tests.search_factory import CORPUS


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The export of the pack `ifte search` reads, and that searcher."""
    root = tmp_path_factory.mktemp("export")
    with open_searcher(CORPUS) as searcher:
        paths = export_search(searcher.pack, root / "out")
        manifest = json.loads((root / "out" / "manifest.json").read_text())
        yield root, paths, manifest, searcher


def read(root, manifest, name):
    return json.loads((root / "out" / manifest["folder"] / name).read_text())


def read_postings(root, manifest, term):
    """(document frequency, [(number, weight)]) of `term` as the browser decodes them."""
    shard = format_shard_number(format_shard_key(term), manifest["termShards"])
    df, postings_shard = read(root, manifest, f"terms-{shard}.json")[term]
    encoded = read(root, manifest, f"postings-{postings_shard}.json")[term]
    documents = [sum(encoded[0 : i + 1 : 2]) for i in range(0, len(encoded), 2)]
    return df, list(zip(documents, encoded[1::2], strict=True))


def test_the_manifest_names_a_versioned_folder_holding_every_other_file(exported):
    root, paths, manifest, _ = exported
    assert paths[0] == root / "out" / "manifest.json"
    assert all(p.parent.name == manifest["folder"] for p in paths[1:])
    assert manifest["documents"] == len(CORPUS)
    assert {"weightScale", "prefixFactor", "maxTokenChars"} <= set(manifest["params"])


def test_each_term_lives_in_the_shard_of_its_first_two_characters(exported):
    root, _, manifest, _ = exported
    for k in range(manifest["termShards"]):
        for term in read(root, manifest, f"terms-{k}.json"):
            assert format_shard_number(format_shard_key(term), manifest["termShards"]) == k


def _decoded(encoded: list[int]) -> list[tuple[int, int]]:
    documents = [sum(encoded[0 : i + 1 : 2]) for i in range(0, len(encoded), 2)]
    return list(zip(documents, encoded[1::2], strict=True))


def test_exported_postings_equal_the_python_query_path(exported):
    # Both segments: the main one's shards, then the delta's (the newest documents).
    root, _, manifest, searcher = exported
    for term in ("ใจความ", "เรียนรู้", "stem", "ขนาด"):
        key = format_shard_key(term)
        shard = format_shard_number(key, manifest["termShards"])
        df, postings = 0, []
        if term in (dictionary := read(root, manifest, f"terms-{shard}.json")):
            df, postings_shard = dictionary[term]
            postings = _decoded(read(root, manifest, f"postings-{postings_shard}.json")[term])
            assert df == len(postings)
        delta = read(
            root, manifest, f"delta-{format_shard_number(key, manifest['deltaShards'])}.json"
        )
        if term in delta:
            df += delta[term][0]
            postings += _decoded(delta[term][1:])
        assert postings == searcher.postings(term) and postings
        assert df == searcher.document_frequency(term) == len(postings)


def test_a_corpus_smaller_than_the_delta_is_all_in_the_delta(exported):
    root, _, manifest, _ = exported
    assert manifest["deltaBase"] == 0 and manifest["deltaShards"] == DELTA_SHARDS
    assert read(root, manifest, "terms-0.json") == {}


def test_document_shards_hold_records_oldest_first_so_new_entries_append(exported):
    root, _, manifest, _ = exported
    records = read(root, manifest, "docs-0.json")
    assert len(records) == min(DOCS_PER_SHARD, len(CORPUS))
    years = [r["y"] for r in records]
    assert years == sorted(years)


def test_the_version_changes_with_content_and_stale_versions_are_removed(tmp_path):
    export_search(CORPUS, tmp_path / "out")
    first = json.loads((tmp_path / "out" / "manifest.json").read_text())["version"]
    export_search(CORPUS, tmp_path / "out")
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["version"] == first
    (tmp_path / "out" / "unrelated").mkdir()
    export_search(CORPUS[:3], tmp_path / "out")
    second = json.loads((tmp_path / "out" / "manifest.json").read_text())["version"]
    assert second != first
    folder = json.loads((tmp_path / "out" / "manifest.json").read_text())["folder"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        ["manifest.json", folder, "unrelated"]
    )


def test_export_accepts_entries_directly(tmp_path):
    paths = export_search(CORPUS[:2], tmp_path)
    assert json.loads(paths[0].read_text())["documents"] == 2


def test_shard_numbers_are_32_bit_fnv_1a_of_code_points():
    # Pinned values: the browser engine's shardOf is checked against the same function.
    assert format_shard_number("ใจ", 2**32) == 2785605774
    assert [format_shard_number(k, 97) for k in ("ใจ", "st", "ก")] == [29, 20, 23]


def test_site_exporter_reuses_its_cached_export_for_an_empty_site_folder(tmp_path, monkeypatch):
    import dataclasses
    from types import SimpleNamespace

    from build_tools.core.site import SiteSettings
    from build_tools.core.vocabularies import load_vocabularies
    from build_tools.search import export as search_export
    from tests.conftest import REPO_ROOT

    entries = tuple(dataclasses.replace(e, content_hash=f"h{i}") for i, e in enumerate(CORPUS))
    catalog = SimpleNamespace(
        entries=entries, vocabularies=load_vocabularies(REPO_ROOT / "vocabularies.yml")
    )
    settings = SiteSettings("s", "", tmp_path)
    search_export.export_site_search(catalog, settings, tmp_path / "a")

    def refuse(*args):
        raise AssertionError("the export was computed again")

    with monkeypatch.context() as patch:
        patch.setattr(search_export, "export_search", refuse)
        search_export.export_site_search(catalog, settings, tmp_path / "b")
    files = lambda site: {  # noqa: E731
        p.relative_to(site): p.read_bytes()
        for p in (site / "search-index").rglob("*")
        if p.is_file()
    }
    assert files(tmp_path / "a") == files(tmp_path / "b") and len(files(tmp_path / "b")) > 3

    # An edited entry makes a new export, and the old version folder leaves the site.
    old = json.loads((tmp_path / "b/search-index/manifest.json").read_text())["version"]
    edited = (dataclasses.replace(entries[0], title="ชุดฝึกอ่านนิทาน", content_hash="new"),)
    catalog.entries = edited + entries[1:]
    search_export.export_site_search(catalog, settings, tmp_path / "b")
    new = json.loads((tmp_path / "b/search-index/manifest.json").read_text())["version"]
    assert new != old and not (tmp_path / "b/search-index" / old).exists()


@pytest.mark.parametrize("delta_docs", [64, 2, 1])  # all in the delta, both, all in main
def test_the_export_equals_the_weights_summed_in_python_from_each_analysed_entry(
    tmp_path, monkeypatch, delta_docs
):
    """The pack weighs whole rows with numpy; the export must hold what the ranking defines,
    worked out here one analysed entry at a time: per term, Σ count × field factor in FIELDS
    order, quantised and cut (`cut_postings`) in each segment on its own, documents in
    `format_order_key` order."""
    from build_tools.core.vocabularies import load_vocabularies
    from build_tools.search import ranking as search_ranking
    from build_tools.search.analysed import analyse_entries
    from build_tools.search.documents import FIELDS
    from build_tools.search.ranking import (
        cut_postings,
        format_average_lengths,
        format_delta_base,
        format_field_factors,
        format_order_key,
    )
    from tests.conftest import REPO_ROOT

    monkeypatch.setattr(search_ranking, "DELTA_DOCS", delta_docs)
    vocabularies = load_vocabularies(REPO_ROOT / "vocabularies.yml")
    documents = sorted(
        analyse_entries(CORPUS, vocabularies), key=lambda d: format_order_key(d.record, d.facets)
    )
    lengths = [{field: d.length(field) for field in FIELDS} for d in documents]
    averages = format_average_lengths(lengths)
    sums: dict[str, dict[int, float]] = {}
    for number, (document, length) in enumerate(zip(documents, lengths, strict=True)):
        factors = format_field_factors(length, averages)
        for position, field in enumerate(FIELDS):
            for term, count in document.field_terms(field):
                row = sums.setdefault(term, {})
                row[number] = row.get(number, 0.0) + count * factors[position]

    export_search(CORPUS, tmp_path / "out", vocabularies)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    exported = {
        term: read_postings(tmp_path, manifest, term)
        for k in range(manifest["termShards"])
        for term in read(tmp_path, manifest, f"terms-{k}.json")
    }
    exported_delta = {
        term: (value[0], _decoded(value[1:]))
        for k in range(manifest["deltaShards"])
        for term, value in read(tmp_path, manifest, f"delta-{k}.json").items()
    }
    base = format_delta_base(len(documents))

    def expected(numbers: range) -> dict:
        cut = {
            t: cut_postings({n: p for n, p in row.items() if n in numbers}, 0)[:2]
            for t, row in sums.items()
        }
        return {term: lists for term, lists in cut.items() if lists[0]}

    assert len(sums) > 100
    assert exported == expected(range(base))
    assert exported_delta == expected(range(base, len(documents)))
    shards = range(0, len(documents), DOCS_PER_SHARD)
    shipped = [r for k, _ in enumerate(shards) for r in read(tmp_path, manifest, f"docs-{k}.json")]
    assert [r["id"] for r in shipped] == [d.id for d in documents]
