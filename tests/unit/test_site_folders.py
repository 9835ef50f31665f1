"""The new site folder starts as the served one's files, hard-linked (pipeline/folders.py)."""

from __future__ import annotations

import os

from build_tools.pipeline.folders import mirror_links, prepare_building, previous_folder, swap_in


def tree(root) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_stale_folder_is_made_the_served_one_linked_file_for_file(tmp_path):
    site, stale = tmp_path / "site", tmp_path / "stale"
    write(
        site, {"index.html": "home", "a/index.html": "a", "b": "b is a file now", "c/d/e.txt": "e"}
    )
    write(
        stale,
        {
            "index.html": "old home",
            "a/index.html": "old a",
            "b/index.html": "b was a page",
            "gone/x.json": "x",
            "c/f.txt": "f",
        },
    )
    os.link(site / "c/d/e.txt", stale / "e-linked")  # the same file under another name
    mirror_links(site, stale)
    assert tree(stale) == tree(site)  # same names, same inodes, same bytes
    assert not (stale / "gone").exists()


def test_the_previous_site_is_kept_and_reused_and_never_shares_a_changed_file(tmp_path):
    site = tmp_path / "site"
    write(site, {"index.html": "one", "page/index.html": "page one"})
    building = prepare_building(site, full=False)
    (building / "index.html").unlink()  # as the adapter does before MkDocs writes
    (building / "index.html").write_text("two")
    assert (site / "index.html").read_text() == "one"  # the served file kept its bytes
    swap_in(building, site)
    assert (site / "index.html").read_text() == "two"
    assert previous_folder(site).is_dir() and not building.exists()

    again = prepare_building(site, full=False)  # from the previous site, brought up to date
    assert not previous_folder(site).exists()
    assert tree(again) == tree(site)
    assert (again / "page/index.html").read_text() == "page one"


def test_a_full_build_starts_empty_and_drops_the_previous_site(tmp_path):
    site = tmp_path / "site"
    write(site, {"index.html": "one"})
    swap_in(prepare_building(site, full=False), site)
    building = prepare_building(site, full=True)
    assert list(building.iterdir()) == [] and not previous_folder(site).exists()
