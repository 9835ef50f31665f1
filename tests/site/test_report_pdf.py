"""The synthesis report in the built site: the PDF's extracted text has the numbers of
/stats/ for the same period and every entry's text intact, and the same data gives the
same bytes."""

from __future__ import annotations

import re
import subprocess
from collections import Counter

import pytest

from build_tools.features.network.adoptions import load_checked_adoptions
from build_tools.features.report.content import plan_report
from build_tools.features.report.pdf import render_report_pdf
from build_tools.core.loader import load_repository
from build_tools.features.stats.participation import load_participation
from build_tools.core.periods import FISCAL, Period
from tests.conftest import REPO_ROOT
from tests.site.test_stats_pages import Tables

PERIOD = "fiscal-2568"
ROW = re.compile(r"\s(\d[\d,]*)\s+(\d+\.\d)\s*$")
LATIN = re.compile(r"[A-Za-z0-9]+")
TABLES = {  # stats table → English title of the report's appendix table
    "districts": "Entries by district",
    "affiliations": "Entries by affiliation",
    "subjects": "Entries by learning area",
    "years": "Entries by year",
}


@pytest.fixture(scope="module")
def report_text(built_site) -> list[str]:
    pdf = built_site / "reports" / f"ifte-report-{PERIOD}.pdf"
    result = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def stats_tables(built_site):
    parser = Tables()
    parser.feed((built_site / "stats" / PERIOD / "index.html").read_text(encoding="utf-8"))
    return parser.tables


@pytest.mark.parametrize("key", list(TABLES))
def test_report_tables_have_the_numbers_of_the_stats_page(report_text, stats_tables, key):
    expected = [
        columns["count"][0] for code, columns in stats_tables[key].items() if code != "(total)"
    ]
    start = next(i for i, line in enumerate(report_text) if f"({TABLES[key]})" in line)
    # Rows end in a count and a share; page footers and repeated headers do not (the
    # learning-area table runs onto the next page).
    rows = [ROW.search(line) for line in report_text[start + 1 :]]
    found = [int(row[1].replace(",", "")) for row in rows if row][: len(expected)]
    assert found == expected
    assert sum(expected) > 0


def test_report_summary_matches_the_stats_overview(report_text, built_site):
    html = (built_site / "stats" / PERIOD / "index.html").read_text(encoding="utf-8")
    text = "\n".join(report_text)
    for figure, label in (
        ("entries", "(entries)"),
        ("best-practice", "(Best Practice)"),
        ("schools", "(schools)"),
    ):
        shown = re.search(rf'data-figure="{figure}">(?:<a [^>]*>)?([\d,]+)', html)[1]
        line = next(
            line for line in text.splitlines() if line.rstrip().endswith(shown) and label in line
        )
        assert line
    assert "ปีงบประมาณ พ.ศ. 2568" in text
    assert "1 ตุลาคม 2567" in text and "30 กันยายน 2568" in text


@pytest.fixture(scope="module")
def report():
    catalog = load_repository(REPO_ROOT)
    participation = load_participation(REPO_ROOT, catalog.vocabularies)
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    adoptions = load_checked_adoptions(catalog)
    return plan_report(
        catalog, Period(FISCAL, 2568), config["extra"], config["site_url"], participation, adoptions
    )


def test_best_practice_rows_keep_their_latin_text_and_digits(report_text, report):
    # fpdf2's Thai fallback font once drew a table line that began with Latin text after
    # Thai with the other font's glyph numbers: "ojng" for "2568", "B" for "(".
    start = next(i for i, line in enumerate(report_text) if line.startswith("6. "))
    end = next(i for i, line in enumerate(report_text) if line.startswith("7. "))
    section = [line for line in report_text[start:end] if report.title not in line]  # footers
    expected = Counter(LATIN.findall("6. Best Practice"))  # the heading
    for entry in report.best_practice:
        expected.update(
            LATIN.findall(f"{entry.title} {entry.school} {entry.district} {entry.award}")
        )
    assert re.search(r"\b25\d\d\b", report.best_practice[-1].award)
    assert Counter(LATIN.findall("\n".join(section))) == expected


def test_same_data_gives_the_same_pdf_bytes(built_site, report):
    made = render_report_pdf(report)
    assert made == (built_site / "reports" / f"ifte-report-{PERIOD}.pdf").read_bytes()
    assert made.startswith(b"%PDF") and b"/CreationDate (D:20250901" in made


def test_reports_page_lists_each_report_with_its_pdf(built_site):
    html = (built_site / "reports" / "index.html").read_text(encoding="utf-8")
    assert "รายงานสรุปสังเคราะห์นวัตกรรมการศึกษา ปีงบประมาณ พ.ศ. 2568" in html
    assert 'href="ifte-report-fiscal-2568.pdf"' in html or "ifte-report-fiscal-2568.pdf" in html
    assert "รายงานความก้าวหน้าการดำเนินโครงการ ไตรมาสที่ 1" in html
    # Only the newest fiscal years are built: the page says so, and how to make the others.
    assert 'data-site-years="2"' in html and "2 ปีงบประมาณล่าสุด" in html
    assert "ifte report --fiscal-year" in html and "newest fiscal years only" in html
