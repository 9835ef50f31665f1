"""Per-entry parts of page keys and page data kept between builds, by entry fingerprint."""

from __future__ import annotations

from build_tools.core import loader
from build_tools.core.cache import store_folder
from build_tools.core.loader import load_repository
from build_tools.core.site import SiteSettings
from build_tools.features.discovery import (
    EntryDescriptions,
    format_script_json,
    plan_entry_jsonld,
    plan_open_graph,
)
from build_tools.pages.presentation import present_entry
from build_tools.pipeline.incremental import output_path, plan_card_keys
from tests.conftest import VALID_ENTRY


def card_keys(root, presented: list[str]) -> dict[str, str]:
    catalog = load_repository(root)

    def present(entry):
        presented.append(entry.id)
        return present_entry(entry, catalog.vocabularies)

    return plan_card_keys(catalog.entries, catalog.fingerprints, present, root, "salt")


def test_cards_are_presented_again_only_for_changed_entries(scratch_project):
    scratch_project.entry("kit-a")
    path = scratch_project.entry("kit-b")
    presented: list[str] = []
    first = card_keys(scratch_project.root, presented)
    assert sorted(presented) == ["2567/kit-a", "2567/kit-b"]
    presented.clear()
    assert card_keys(scratch_project.root, presented) == first
    assert presented == []
    path.write_text(VALID_ENTRY.replace("ชุดกิจกรรม", "ชุดฝึก"), encoding="utf-8")
    changed = card_keys(scratch_project.root, presented)
    assert presented == ["2567/kit-b"]
    assert changed["2567/kit-a"] == first["2567/kit-a"]
    assert changed["2567/kit-b"] != first["2567/kit-b"]


def test_card_key_ignores_what_the_card_does_not_show(scratch_project):
    path = scratch_project.entry()
    first = card_keys(scratch_project.root, [])
    path.write_text(VALID_ENTRY.replace("เนื้อหา", "เนื้อหาที่แก้ไขแล้ว"), encoding="utf-8")
    presented: list[str] = []
    assert card_keys(scratch_project.root, presented) == first
    assert presented == ["2567/reading-kit"]  # its fingerprint changed: presented again


def test_kept_descriptions_equal_fresh_ones_and_follow_the_settings(scratch_project, monkeypatch):
    monkeypatch.setattr(loader, "RACY_NS", 0)
    scratch_project.entry()
    catalog = load_repository(scratch_project.root)
    (entry,) = catalog.entries
    settings = SiteSettings("คลัง", "https://a.example/", scratch_project.root)
    fresh = (
        format_script_json(plan_entry_jsonld(entry, catalog.vocabularies, settings)),
        plan_open_graph(entry, catalog.vocabularies, settings),
    )
    assert EntryDescriptions(catalog, settings)(entry) == fresh
    kept = list((store_folder(scratch_project.root) / "entry-descriptions").rglob("*.pickle"))
    assert len(kept) == 1
    assert EntryDescriptions(catalog, settings)(entry) == fresh  # from the cache
    moved = SiteSettings("คลัง", "https://b.example/", scratch_project.root)
    jsonld, _ = EntryDescriptions(catalog, moved)(entry)
    assert "https://b.example/innovations/2567/reading-kit/" in jsonld
    EntryDescriptions(catalog, moved).prune()  # the first address's description is gone
    assert not kept[0].exists()


def test_every_page_is_expected_where_mkdocs_writes_it():
    # A page no longer made is removed from the site only if its output is known.
    assert output_path("index.md") == "index.html"
    assert output_path("innovations/2567/kit/index.md") == "innovations/2567/kit/index.html"
    assert output_path("privacy.md") == "privacy/index.html"
    assert output_path("stats/districts.md") == "stats/districts/index.html"
    assert output_path("guide/README.md") == "guide/index.html"
