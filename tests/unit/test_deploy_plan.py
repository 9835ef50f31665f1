"""Planning a deploy: what goes up, what goes away, and in which order (pure)."""

from __future__ import annotations

import pytest

from build_tools.deploy.errors import MassDeleteError, QuotaError
from build_tools.deploy.manifest import FileEntry, Journal, Manifest, plan_remote_state
from build_tools.deploy.plan import ASSETS, ENTRIES, INDEXES, PAGES, format_plan, plan_deploy
from build_tools.deploy.publish import check_mass_delete, check_quota


def _manifest(entries: dict[str, tuple[str, int]]) -> Manifest:
    return Manifest({path: FileEntry(*value) for path, value in entries.items()})


def test_same_size_edit_is_detected_by_hash():
    old = _manifest({"a.png": ("h1", 10)})
    new = _manifest({"a.png": ("h2", 10)})

    plan = plan_deploy(new, old)

    assert [(u.path, u.reason) for u in plan.uploads] == [("a.png", "changed")]


def test_unchanged_site_plans_nothing():
    site = _manifest({"index.html": ("h", 1), "assets/a.css": ("c", 2)})

    plan = plan_deploy(site, site)

    assert plan.is_empty and plan.unchanged == 2 and plan.new_dirs == ()


def test_assets_go_first_then_pages_deepest_first_then_indexes():
    site = _manifest(
        {
            "index.html": ("1", 1),
            "sitemap.xml": ("2", 1),
            "a/b/index.html": ("3", 1),
            "a/index.html": ("4", 1),
            "assets/app.123.css": ("5", 1),
            "a/b/photo.jpg": ("6", 1),
        }
    )

    plan = plan_deploy(site, Manifest())

    assert [u.path for u in plan.uploads] == [
        "a/b/photo.jpg",
        "assets/app.123.css",
        "a/b/index.html",
        "a/index.html",
        "index.html",
        "sitemap.xml",
    ]
    # Pages one depth at a time: a/index.html links to a/b/index.html.
    assert [t[0].tier for t in plan.tiers()] == [ASSETS, PAGES, PAGES, INDEXES]


def test_only_files_a_deploy_put_there_are_deleted_pages_before_assets():
    old = _manifest({"old/index.html": ("1", 1), "old/pic.png": ("2", 1), "keep.html": ("3", 1)})
    new = _manifest({"keep.html": ("3", 1)})

    plan = plan_deploy(new, old)

    assert plan.deletions == ("old/index.html", "old/pic.png")
    assert plan.stale_dirs == ("old",)


def test_new_folders_are_created_parents_first_and_known_ones_skipped():
    old = _manifest({"a/x.html": ("1", 1)})
    new = _manifest({"a/x.html": ("1", 1), "a/b/c/y.html": ("2", 1), "d/z.html": ("3", 1)})

    plan = plan_deploy(new, old)

    assert plan.new_dirs == ("d", "a/b", "a/b/c")
    assert plan.new_paths == ("a/b/c/y.html", "d/z.html")


def test_an_interrupted_deploy_is_finished_from_its_journal():
    manifest = _manifest({"a.html": ("old", 1), "b.html": ("old", 1), "gone.html": ("g", 1)})
    journal = Journal(
        changes={"a.html": FileEntry("new", 1), "gone.html": None},
        pending=frozenset({"b.html", "c.html"}),
    )
    state = plan_remote_state(manifest, journal)
    site = _manifest({"a.html": ("new", 1), "b.html": ("new", 1)})

    plan = plan_deploy(site, state)

    assert [(u.path, u.reason) for u in plan.uploads] == [("b.html", "unknown")]
    # c.html was claimed but the site no longer has it: it may be on the host, so it goes.
    assert plan.deletions == ("c.html",)
    assert state.managed == {"a.html", "b.html", "c.html"}


def test_quota_counts_the_moment_old_and_new_files_coexist():
    old = _manifest({"a.bin": ("1", 600)})
    new = _manifest({"b.bin": ("2", 500)})
    plan = plan_deploy(new, old)

    assert plan.peak_bytes == 1100  # a.bin is deleted only after b.bin is up
    check_quota(plan, 1100)
    with pytest.raises(QuotaError) as failure:
        check_quota(plan, 1000)
    assert "โควตา" in str(failure.value) and "quota" in str(failure.value)


def test_dry_run_text_lists_marks_sizes_and_totals():
    old = _manifest({"x.html": ("1", 5), "gone.css": ("2", 5)})
    new = _manifest({"x.html": ("9", 2048), "n.js": ("3", 10)})

    text = format_plan(plan_deploy(new, old))

    assert "+ n.js  (10 B, 10 B)" in text
    assert "~ x.html  (2.0 KB, 2048 B)" in text
    assert "- gone.css" in text
    assert "Upload 2 files, 2.1 KB (2058 B); delete 1" in text


def _tier_of(plan, path: str) -> int:
    """The position of the batch that puts `path` live."""
    return next(i for i, tier in enumerate(plan.tiers()) if path in {u.path for u in tier})


def test_search_shards_go_live_before_the_search_manifest_that_names_them():
    # As `make site` writes them: the browser reads manifest.json first to find the shards.
    site = _manifest(
        {
            "search-index/manifest.json": ("m", 1),
            "search-index/87b23f553c2b/terms-4.json": ("t", 1),
            "search-index/87b23f553c2b/postings-39d54e659b.json": ("p", 1),
            "search-facets/manifest.json": ("fm", 1),
            "search-facets/23a5ead77605/facets.json": ("f", 1),
            "search/index.html": ("s", 1),
        }
    )

    plan = plan_deploy(site, Manifest())

    for shard in (
        "search-index/87b23f553c2b/terms-4.json",
        "search-index/87b23f553c2b/postings-39d54e659b.json",
    ):
        assert _tier_of(plan, shard) < _tier_of(plan, "search-index/manifest.json")
    facets = "search-facets/23a5ead77605/facets.json"
    assert _tier_of(plan, facets) < _tier_of(plan, "search-facets/manifest.json")
    assert plan.tiers()[-1][0].tier == INDEXES


def test_entry_pages_go_live_before_the_listings_that_link_to_them():
    site = _manifest(
        {
            "innovations/2567/reading-kit/index.html": ("e", 1),
            "innovations/2567/reading-kit/kit.pdf": ("a", 1),
            "innovations/page/2/index.html": ("l2", 1),
            "innovations/index.html": ("l", 1),
            "districts/ban-mi/index.html": ("d", 1),
            "years/2567/index.html": ("y", 1),
            "index.html": ("home", 1),
            "sitemap.xml": ("sm", 1),
            "feeds/rss.xml": ("rss", 1),
        }
    )

    plan = plan_deploy(site, Manifest())

    entry = _tier_of(plan, "innovations/2567/reading-kit/index.html")
    assert _tier_of(plan, "innovations/2567/reading-kit/kit.pdf") < entry
    assert plan.tiers()[entry][0].tier == ENTRIES
    for listing in ("innovations/page/2/index.html", "districts/ban-mi/index.html"):
        assert entry < _tier_of(plan, listing)
    # The first page of a listing links to its second page, the home page to everything.
    assert _tier_of(plan, "innovations/page/2/index.html") < _tier_of(
        plan, "innovations/index.html"
    )
    last = max(_tier_of(plan, p) for p in site.files if p.endswith(".html") and p != "index.html")
    for index in ("index.html", "sitemap.xml", "feeds/rss.xml"):
        assert _tier_of(plan, index) > last


def test_deleting_most_of_the_live_site_is_refused_without_the_flag():
    live = _manifest({f"p{i}/index.html": (str(i), 1) for i in range(400)})
    empty = _manifest({"index.html": ("0", 1)})
    plan = plan_deploy(empty, live)

    with pytest.raises(MassDeleteError) as failure:
        check_mass_delete(plan)

    message = str(failure.value)
    assert "400 จาก 400" in message and "--allow-mass-delete" in message and "ไฟล์" in message
    check_mass_delete(plan, allowed=True)


def test_a_few_deletions_are_never_a_mass_deletion():
    small = _manifest({f"p{i}.html": (str(i), 1) for i in range(30)})
    big = _manifest({f"p{i}.html": (str(i), 1) for i in range(500)})
    # 15 of 15 is all, but under the minimum; 45 of 500 is under a tenth.
    check_mass_delete(plan_deploy(Manifest(), Manifest(dict(list(small.files.items())[:15]))))
    check_mass_delete(plan_deploy(Manifest(dict(list(big.files.items())[45:])), big))
    with pytest.raises(MassDeleteError):
        check_mass_delete(plan_deploy(Manifest(), small))
