"""Selection rounds: validation (file and line), results and tie-break, score sheets,
awards written into entries, certificates; the whole sample round end to end."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from build_tools.core.loader import load_repository
from build_tools.features.selection.results import plan_results
from build_tools.features.selection.rounds import read_round
from build_tools.features.selection.sheets import read_sheet
from tests.conftest import REPO_ROOT
from tests.selection_factory import fill_sheet

ROUND = (REPO_ROOT / "selection" / "2568.yml").read_text(encoding="utf-8")
BLANK = ROUND[: ROUND.index("\nscores:")] + "\n"


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory) -> Path:
    """A scratch copy of the sample repository (never the real innovations/)."""
    root = tmp_path_factory.mktemp("selection")
    for name in ("innovations", "selection", "adoptions"):
        shutil.copytree(REPO_ROOT / name, root / name)
    for path in REPO_ROOT.glob("*.yml"):
        shutil.copy(path, root / path.name)
    return root


@pytest.fixture(scope="module")
def catalog(sample_project):
    return load_repository(sample_project)


def _round(catalog, text: str, tmp_path: Path):
    file = tmp_path / "2568.yml"
    file.write_text(text, encoding="utf-8")
    return read_round(file, catalog)


def _codes(problems):
    return [(p.code, p.line) for p in problems if p.is_error]


def test_the_sample_round_is_valid_and_scored(catalog, tmp_path):
    selection, problems = _round(catalog, ROUND, tmp_path)
    assert _codes(problems) == []
    assert len(selection.committee) >= 3 and len(selection.candidates) >= 10
    assert selection.conflicts and selection.is_scored


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_score_from_a_declared_conflict_is_refused_with_its_line(catalog, tmp_path):
    needle = "  m3:\n"
    text = ROUND.replace(
        needle, needle + "    2568/thai-essay-peer-feedback: [9, 9, 9, 9, 9, 9, 9]\n"
    )
    _, problems = _round(catalog, text, tmp_path)
    line = _line_of(text, "  m3:\n") + 1
    assert ("conflict-of-interest", line) in _codes(problems)
    problem = next(p for p in problems if p.code == "conflict-of-interest")
    assert "m3" in problem.message_th and "declared a conflict" in problem.message_en


def test_a_score_for_the_members_own_school_is_refused(catalog, tmp_path):
    needle = "  m2:\n"
    text = ROUND.replace(
        needle, needle + "    2567/coding-coaching-supervision: [9, 9, 9, 9, 9, 9, 9]\n"
    )
    _, problems = _round(catalog, text, tmp_path)
    assert ("conflict-of-interest", _line_of(text, needle) + 1) in _codes(problems)
    assert "own school" in next(p for p in problems if p.code == "conflict-of-interest").message_en


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (
            "2568/safe-school-management: [8, 8, 9, 8, 8, 10, 10]",
            "2568/safe-school-management: [8, 8, 9, 8, 8, 10, 11]",
            "score-out-of-range",
        ),
        (
            "2568/safe-school-management: [8, 8, 9, 8, 8, 10, 10]",
            "2568/safe-school-management: [8, 8, 9]",
            "score-count",
        ),
        (
            "2568/safe-school-management: [8, 8, 9, 8, 8, 10, 10]",
            "2568/no-such-entry: [8, 8, 9, 8, 8, 10, 10]",
            "unknown-entry",
        ),
        ("  - member: m3", "  - member: m9", "unknown-member"),
        (
            "  - 2567/young-guides-english-tourism\n",
            "  - 2567/young-guides-english-tourism\n  - 2567/young-guides-english-tourism\n",
            "duplicate-id",
        ),
        (
            "    weight: 25\n    description: ใช้",
            "    weight: 20\n    description: ใช้",
            "weights-total",
        ),
        (
            "  - 2567/young-guides-english-tourism\n",
            "  - 2567/young-guides-english-tourism\n  - 2566/reading-clinic-struggling-readers\n",
            "score-missing",
        ),
        (
            "    entry: 2568/thai-essay-peer-feedback",
            "    entry: 2566/reading-clinic-struggling-readers",
            "not-a-candidate",
        ),
    ],
)
def test_each_bad_round_reports_its_code_and_line(catalog, tmp_path, old, new, code):
    assert old in ROUND
    text = ROUND.replace(old, new, 1)
    _, problems = _round(catalog, text, tmp_path)
    found = [p for p in problems if p.code == code]
    assert found, _codes(problems)
    assert found[0].path == "2568.yml" and found[0].line > 0
    assert found[0].message_th and found[0].message_en


def test_results_rank_award_and_tie_break(catalog, tmp_path):
    # Two entries with the same total: the one with the higher mean on the heaviest
    # criterion (process, weight 25, listed before results) ranks first.
    selection, _ = _round(catalog, ROUND, tmp_path)
    entries = {e.id: e for e in catalog.entries}
    a, b = "2568/physical-fitness-tracking", "2567/school-bank-financial-literacy"
    scores = {m: dict(rows) for m, rows in selection.scores.items()}
    for member in ("m1", "m2", "m3"):
        scores[member][a] = ("5", "5", "9", "7", "5", "5", "5")  # process 9, results 7
        scores[member][b] = ("5", "5", "7", "9", "5", "5", "5")  # process 7, results 9
    import dataclasses

    tied = dataclasses.replace(selection, scores=scores)
    results = {r.entry: r for r in plan_results(tied, entries)}
    assert results[a].total == results[b].total == Decimal("65.00")
    assert results[a].rank + 1 == results[b].rank
    best = plan_results(selection, entries)[0]
    assert best.rank == 1 and best.award.id == "excellent" and best.total >= Decimal("90")
    assert [r.rank for r in plan_results(selection, entries)] == sorted(
        r.rank for r in plan_results(selection, entries)
    )
    # A member excluded from an entry leaves it the other members' mean.
    assert results["2568/thai-essay-peer-feedback"].scorers == 2


def _ifte(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "build_tools", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        cwd=root,
    )


def test_sample_round_from_blank_sheets_to_certificates(sample_project, tmp_path):
    round_file = sample_project / "selection" / "2568.yml"
    round_file.write_text(BLANK, encoding="utf-8")
    sheets = tmp_path / "sheets"
    made = _ifte(sample_project, "selection", "sheets", "2568", "--out", str(sheets))
    assert made.returncode == 0, made.stderr
    csvs = sorted(sheets.glob("*.csv"))
    assert len(csvs) == 3 and (sheets / "2568-sheets.pdf").read_bytes().startswith(b"%PDF")
    assert csvs[0].read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Thai as UTF-8
    # m3 declared a conflict with this entry: it is not on their sheet.
    assert "2568/thai-essay-peer-feedback" not in (sheets / "2568-m3.csv").read_text("utf-8-sig")

    # A refused sheet: a score above the maximum, named by sheet, row and column.
    bad = fill_sheet(sheets / "2568-m1.csv")
    text = bad.read_bytes().decode("utf-8-sig").split("\r\n")
    cells = text[2].split(",")
    cells[3] = "12"
    text[2] = ",".join(cells)
    bad.write_text("\ufeff" + "\r\n".join(text), encoding="utf-8")
    refused = _ifte(sample_project, "selection", "read", "2568", str(bad))
    assert refused.returncode == 1
    assert f"{bad}:3:4: error [score-out-of-range]" in refused.stderr
    assert "Traceback" not in refused.stderr and round_file.read_text("utf-8") == BLANK

    for sheet in csvs:
        fill_sheet(sheet)
    read = _ifte(sample_project, "selection", "read", "2568", *map(str, csvs))
    assert read.returncode == 0, read.stderr
    assert round_file.read_text("utf-8") == ROUND  # the sample's scores came this way

    first = _ifte(sample_project, "selection", "results", "2568", "--out", str(tmp_path / "r1.csv"))
    again = _ifte(sample_project, "selection", "results", "2568", "--out", str(tmp_path / "r2.csv"))
    assert first.returncode == again.returncode == 0, first.stderr
    assert (tmp_path / "r1.csv").read_bytes() == (tmp_path / "r2.csv").read_bytes()
    assert "ดีเยี่ยม" in first.stdout

    entry = sample_project / "innovations/2568/physical-fitness-tracking/index.md"
    other = sample_project / "innovations/2567/smart-farm-iot-vocational/index.md"
    before = other.read_text("utf-8")
    awarded = _ifte(sample_project, "selection", "award", "2568")
    assert awarded.returncode == 0, awarded.stderr
    after = other.read_text("utf-8")
    assert after.startswith(before[: before.index("\n---\n")])  # only lines added
    assert 'title: "แนวปฏิบัติที่เป็นเลิศ ระดับดีมาก' in after and "  year: 2568\n" in after
    assert "award:" not in entry.read_text("utf-8")  # not awarded: untouched
    assert _ifte(sample_project, "selection", "award", "2568").returncode == 0
    assert other.read_text("utf-8") == after  # running twice changes nothing
    checked = _ifte(sample_project, "check")
    assert checked.returncode == 0, checked.stdout

    out1, out2 = tmp_path / "c1", tmp_path / "c2"
    for out in (out1, out2):
        made = _ifte(sample_project, "selection", "certificates", "2568", "--out", str(out))
        assert made.returncode == 0, made.stderr
    pdfs = sorted(p.name for p in out1.glob("*.pdf"))
    assert "2567-smart-farm-iot-vocational-2.pdf" in pdfs and len(pdfs) == 7  # 5 entries, 7 authors
    for name in pdfs:
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes()


def test_a_sheet_with_a_conflicting_row_is_refused(catalog):
    selection, _ = read_round(REPO_ROOT / "selection" / "2568.yml", catalog)
    entries = {e.id: e for e in catalog.entries}
    header = "\ufeffกรรมการ (member),m3,x\r\n" + ",".join(
        ["รหัสผลงาน (entry)", "ชื่อผลงาน (title)", "สถานศึกษา (school)"]
        + [f"{n}. {c.title} (0–10)" for n, c in enumerate(selection.criteria, 1)]
        + ["หมายเหตุ (note)"]
    )
    row = "2568/thai-essay-peer-feedback,t,s,9,9,9,9,9,9,9,"
    member, _, problems = read_sheet(
        "m3.csv", (header + "\r\n" + row + "\r\n").encode(), selection, entries
    )
    assert member == "m3"
    assert [(p.code, p.line, p.column) for p in problems if p.code == "conflict-of-interest"] == [
        ("conflict-of-interest", 3, 1)
    ]
    broken = header.replace("หมายเหตุ (note)", "")[:-5]
    _, _, problems = read_sheet("m3.csv", (broken + "\r\n").encode(), selection, entries)
    assert [p.code for p in problems] == ["sheet-columns"]
