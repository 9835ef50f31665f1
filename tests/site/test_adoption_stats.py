"""Adoption (indicator 6.1.3) on /stats/ and in the synthesis report: the numbers of
/network/, and a calendar year's page counts that year's adoptions only."""

from __future__ import annotations

import re
import subprocess

import pytest

from build_tools.features.network.adoptions import load_adoptions
from build_tools.core.loader import load_repository
from tests.conftest import REPO_ROOT
from tests.site.test_stats_pages import read_tables

ROW = re.compile(r'<tr data-code="([^"]+)"><th scope="row">[^<]*</th><td>(\d+)</td></tr>')
NETWORK_MOST = re.compile(r'<li data-entry-id="([^"]+)">.*?นำไปใช้แล้ว (\d+) แห่ง</li>')
STATS_MOST = re.compile(r'<li data-entry-id="([^"]+)">.*?<span data-count="(\d+)">')


@pytest.fixture(scope="module")
def network_html(built_site) -> str:
    return (built_site / "network" / "index.html").read_text(encoding="utf-8")


def _network_table(html: str, key: str) -> dict[str, int]:
    table = re.search(rf'<table[^>]*data-table="{key}">(.*?)</table>', html, re.S)[1]
    return {code: int(count) for code, count in ROW.findall(table)}


def _stats_table(tables: dict, key: str) -> dict[str, int]:
    rows = tables[f"adoption-{key}"].items()
    return {code: c["count"][0] for code, c in rows if code != "(total)" and c["count"][0]}


def _figure(html: str, name: str, attribute: str) -> str:
    return re.search(rf'{attribute}="{name}">(?:ร้อยละ )?([\d.,]+)', html)[1]


@pytest.mark.parametrize("period", ["", "fiscal-2568/"])
def test_stats_adoption_section_has_the_numbers_of_the_network_page(
    built_site, network_html, period
):
    page = built_site / "stats" / period / "index.html"
    html, tables = page.read_text(encoding="utf-8"), read_tables(page)
    for key in ("districts", "affiliations"):
        assert _stats_table(tables, key) == _network_table(network_html, key) != {}
    for name in ("total", "schools", "indicator"):
        assert _figure(html, name, "data-adoption") == _figure(network_html, name, "data-figure")
    assert STATS_MOST.findall(html) == NETWORK_MOST.findall(network_html) != []
    # Adoptions give a year, no date: a fiscal year's page counts every year and says so.
    assert ('data-every-year="true"' in html) == bool(period)
    assert "แห่ง" in html.split('id="chart-adoption-map"')[1].split("</svg>")[0]


@pytest.mark.parametrize("year", [2567, 2568])
def test_year_pages_count_their_own_adoptions(built_site, year):
    adoptions, _ = load_adoptions(load_repository(REPO_ROOT))
    expected = sum(1 for a in adoptions if a.year == year)
    assert 0 < expected < len(adoptions)
    html = (built_site / "stats" / f"year-{year}" / "index.html").read_text(encoding="utf-8")
    assert _figure(html, "total", "data-adoption") == str(expected)
    assert 'data-every-year="false"' in html


def test_report_pdf_has_the_adoption_numbers(built_site, network_html):
    pdf = built_site / "reports" / "ifte-report-fiscal-2568.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # pdftotext puts a space after sara am (ำ) of shaped text: "การนำ ไปใช้".
    text = text.replace("ำ ", "ำ")
    section = text.split("5. การนำผลงานไปใช้ (adoption")[1].split("6. ผลการคัดเลือก")[0]
    total = _figure(network_html, "total", "data-figure")
    assert re.search(rf"\(adoptions\)\s+{total}\s*$", section, re.M)
    for code, count in _network_table(network_html, "districts").items():
        label = re.search(rf'data-code="{code}"><th scope="row">([^<]+)<', network_html)[1]
        assert re.search(rf"^\s*{label}\s+{count}\s*$", section, re.M), label
    for _, count in NETWORK_MOST.findall(network_html):
        assert re.search(rf"\s{count}\s*$", section, re.M)
