"""participation.yml: schools per district and affiliation, checked with file and line."""

from __future__ import annotations

from build_tools.features.stats.participation import plan_rates, read_participation
from tests.stats_factory import VOCABULARIES, make_entry


def test_bad_participation_data_names_file_line_and_field():
    text = "districts:\n  โคกสำโรงง: 5\n  บ้านหมี่: ห้า\nschool: []\n"
    data, problems = read_participation(text, "participation.yml", VOCABULARIES)
    assert data is None
    found = {(p.code, p.line, p.field) for p in problems}
    assert found == {
        ("unknown-choice", 2, "districts.โคกสำโรงง"),
        ("wrong-type", 3, "districts.บ้านหมี่"),
        ("unknown-key", 4, "school"),
    }
    assert all(p.path == "participation.yml" and p.message_th and p.message_en for p in problems)


def test_rates_count_schools_with_entries_over_all_schools():
    text = "districts:\n  โคกสำโรง: 4\n  ban-mi: 2\naffiliations:\n  สพป.ลพบุรี เขต 1: 6\n"
    data, problems = read_participation(text, "participation.yml", VOCABULARIES)
    assert problems == []
    entries = [
        make_entry("a", school="โรงเรียน ก"),
        make_entry("b", school="โรงเรียน  ก"),  # the same school, spaced differently
        make_entry("c", school="โรงเรียน ข"),
    ]
    rates = {r.code: r for r in plan_rates(data, entries, VOCABULARIES, "districts")}
    assert (rates["khok-samrong"].taking_part, rates["khok-samrong"].schools) == (2, 4)
    assert rates["khok-samrong"].percent == 50.0
    assert rates["ban-mi"].taking_part == 0 and rates["ban-mi"].percent == 0.0


def test_a_school_list_limits_participation_to_listed_schools():
    text = (
        "schools:\n"
        "  - {name: โรงเรียน ก, district: โคกสำโรง, affiliation: สพป.ลพบุรี เขต 1}\n"
        "  - {name: โรงเรียน ค, district: โคกสำโรง, affiliation: สพป.ลพบุรี เขต 1}\n"
    )
    data, problems = read_participation(text, "participation.yml", VOCABULARIES)
    assert problems == [] and data.districts == {"khok-samrong": 2}
    entries = [make_entry("a", school="โรงเรียน ก"), make_entry("b", school="ศูนย์ ง")]
    (rate,) = plan_rates(data, entries, VOCABULARIES, "districts")
    assert (rate.taking_part, rate.schools) == (1, 2)
