"""Adoptions as data: checked like entries (file, line, field), contacts never published."""

from __future__ import annotations

import shutil

from build_tools.core.loader import load_repository
from build_tools.features.checks import check_office_data
from build_tools.features.network.adoptions import load_adoptions
from build_tools.features.network.pages import format_adoptions_csv, plan_network
from tests.conftest import REPO_ROOT

GOOD = """- school: โรงเรียนตัวอย่าง
  district: โคกสำโรง
  affiliation: สพป.ลพบุรี เขต 1
  year: 2568
  adapted: true
  how: ปรับใช้กับชั้น ป.4
  result: อ่านคล่องขึ้น
  contact: 081-234-5678 ครูสมศรี
"""


def _project(scratch_project, text: str, place: str = "2567/reading-kit"):
    scratch_project.entry()
    file = scratch_project.root / "adoptions" / f"{place}.yml"
    file.parent.mkdir(parents=True)
    file.write_text(text, encoding="utf-8")
    return load_repository(scratch_project.root)


def test_an_adoption_is_read_and_its_contact_is_never_kept(scratch_project):
    catalog = _project(scratch_project, GOOD)
    adoptions, problems = load_adoptions(catalog)
    assert problems == [] and len(adoptions) == 1
    assert adoptions[0].district == "khok-samrong" and adoptions[0].adapted
    csv = format_adoptions_csv(adoptions, catalog).decode("utf-8-sig")
    assert "ครูสมศรี" not in csv and "081" not in csv and "โรงเรียนตัวอย่าง" in csv
    network = plan_network(catalog, adoptions)
    assert network["total"] == 1 and network["most_adopted"][0]["count"] == 1


def test_bad_adoptions_name_file_line_and_field(scratch_project):
    text = GOOD.replace("district: โคกสำโรง", "district: โคกสำโรงง").replace(
        "year: 2568", "year: 2024"
    )
    text += "  colour: red\n"
    catalog = _project(scratch_project, text)
    found = {(p.code, p.line, p.field) for p in check_office_data(catalog)}
    assert ("unknown-choice", 2, "[0].district") in found
    assert ("year-christian-era", 4, "[0].year") in found
    assert ("unknown-key", 9, "[0].colour") in found
    assert all(p.path == "adoptions/2567/reading-kit.yml" for p in check_office_data(catalog))


def test_an_adoption_of_an_unknown_entry_is_an_error(scratch_project):
    catalog = _project(scratch_project, GOOD, place="2567/no-such-kit")
    assert [p.code for p in check_office_data(catalog)] == ["unknown-entry"]


def test_the_sample_adoptions_are_valid_and_marked_as_samples(tmp_path):
    for name in ("innovations", "adoptions"):
        shutil.copytree(REPO_ROOT / name, tmp_path / name)
    shutil.copy(REPO_ROOT / "vocabularies.yml", tmp_path)
    catalog = load_repository(tmp_path)
    adoptions, problems = load_adoptions(catalog)
    assert problems == [] and len({a.entry for a in adoptions}) >= 3
    assert all(a.sample for a in adoptions)
