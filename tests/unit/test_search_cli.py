"""`ifte search`: the site's search on the command line."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from build_tools.cli import main
from tests.conftest import VALID_ENTRY


def run(project, *args):
    return CliRunner().invoke(main, ["search", *args, "--root", str(project.root)])


def test_search_prints_ranked_entries_with_a_marked_snippet(scratch_project):
    scratch_project.entry("reading-kit")
    result = run(scratch_project, "ใจความ")
    assert result.exit_code == 0, result.output
    assert "ชุดกิจกรรมพัฒนาการอ่านจับใจความ" in result.output
    assert "innovations/2567/reading-kit/" in result.output
    assert "«ใจความ»" in result.output


def test_json_output_and_filters(scratch_project):
    scratch_project.entry("reading-kit")
    scratch_project.entry(
        "other-district", VALID_ENTRY.replace("district: โคกสำโรง", "district: บ้านหมี่")
    )
    result = run(scratch_project, "การอ่าน", "--district", "บ้านหมี่", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["id"] for r in data["results"]] == ["2567/other-district"]
    assert data["results"][0]["district"] == "บ้านหมี่"
    assert run(scratch_project, "การอ่าน", "--year", "๒๕๖๖", "--json").output.count('"id"') == 0


def test_a_typo_reports_the_correction(scratch_project):
    scratch_project.entry("reading-kit")
    result = run(scratch_project, "จับใจความสำคัญ ภาษาไท", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["total"] == 1
    result = run(scratch_project, "กิจกรรมพัฒนากรอ่าน")  # กรอ่าน: one letter missing
    assert "did you mean" in result.output


def test_an_unknown_district_is_a_usage_error_with_a_suggestion(scratch_project):
    scratch_project.entry("reading-kit")
    result = run(scratch_project, "การอ่าน", "--district", "โคกสำโรงง")
    assert result.exit_code == 2
    assert "โคกสำโรง" in result.output


def test_a_fresh_clone_searches_and_later_edits_are_found(scratch_project):
    entry = scratch_project.entry("reading-kit")
    assert not (scratch_project.root / ".cache").exists()
    assert run(scratch_project, "ใจความ", "--json").output.count('"id"') == 1
    assert list((scratch_project.root / ".cache").rglob("search-pack.sqlite"))
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("เนื้อหา", "เนื้อหาเรื่องดินสอพอง"), encoding="utf-8")
    assert run(scratch_project, "ดินสอพอง", "--json").output.count('"id"') == 1


def test_a_pack_held_by_a_build_is_a_bilingual_error(scratch_project, monkeypatch):
    from build_tools.search.pack import SearchPack

    def locked(*args):
        raise sqlite3.OperationalError("database is locked")

    scratch_project.entry("reading-kit")
    monkeypatch.setattr(SearchPack, "update", locked)
    result = run(scratch_project, "ใจความ")
    assert result.exit_code == 1
    assert "ค้นหา" in result.output and "Cannot open the search index" in result.output
    assert "Traceback" not in result.output
