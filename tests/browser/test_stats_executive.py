"""/stats/ for executives in Chromium at phone, laptop and desktop widths: no table hides a
column without a cue, chart labels of 12 px or more, a period selector that changes every
table, chart and the URL; printing /stats/ and /search/ shows the criteria and every table."""

from __future__ import annotations

import re
import subprocess

import pytest

pytestmark = pytest.mark.browser
WIDTHS = (390, 1366, 1920)

HIDDEN_COLUMNS = """() => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  window.dispatchEvent(new Event("resize"));
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push("page scrolls sideways");
  for (const table of document.querySelectorAll("table.ifte-stats-table")) {
    const wrap = table.closest(".ifte-table-wrap");
    const right = table.getBoundingClientRect().right;
    if (right <= wrap.getBoundingClientRect().right + 1) continue;
    const cue = wrap.previousElementSibling;
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(wrap).overflowX);
    const cueShown = cue && cue.classList.contains("ifte-scroll-cue") && !cue.hidden && cue.offsetParent;
    if (!scrolls || !cueShown) problems.push(table.dataset.table);
  }
  return problems;
}"""

LABEL_SIZES = """() => [...document.querySelectorAll("svg.ifte-chart")].flatMap((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll("text")].map((t) => [svg.id, parseFloat(getComputedStyle(t).fontSize) * scale]);
})"""

SNAPSHOT = """() => ({
  tables: Object.fromEntries([...document.querySelectorAll("table[data-table]")].map((t) => [t.dataset.table, t.textContent])),
  charts: Object.fromEntries([...document.querySelectorAll("svg.ifte-chart")].map((s) => [s.id, s.querySelector("desc").textContent])),
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_table_hides_a_column_without_a_visible_cue(page, site_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + "stats/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(HIDDEN_COLUMNS) == []
    if width == 390:  # the district × learning-area table is wider than a phone
        cue = page.locator('table[data-table="districts-subjects"]').locator(
            "xpath=../preceding-sibling::p[1]"
        )
        assert cue.is_visible() and "เลื่อน" in cue.inner_text()
    assert page.watch.console_errors == [] and page.watch.external_requests == []


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_labels_are_at_least_12_px(page, site_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + "stats/")
    sizes = page.evaluate(LABEL_SIZES)
    assert len(sizes) > 100
    small = [(chart, round(size, 1)) for chart, size in sizes if size < 12]
    assert small == []


@pytest.mark.parametrize("width", WIDTHS)
def test_period_selector_changes_every_table_chart_and_the_url(page, site_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + "stats/")
    before = page.evaluate(SNAPSHOT)
    with page.expect_navigation():
        page.select_option("#ifte-period-select", label="ปีงบประมาณ พ.ศ. 2568")
    assert page.url.endswith("/stats/fiscal-2568/")
    after = page.evaluate(SNAPSHOT)
    assert set(after["tables"]) == set(before["tables"]) and set(after["charts"]) == set(
        before["charts"]
    )
    # Adoptions record a year, not a date: a fiscal year's page counts every year and
    # says so (tests/site/test_adoption_stats.py); every other table and chart changes.
    assert page.locator('#adoption[data-every-year="true"] .ifte-note').first.is_visible()
    same = [k for k in after["tables"] if after["tables"][k] == before["tables"][k]]
    assert same == ["adoption-districts", "adoption-affiliations"]
    assert [k for k in after["charts"] if after["charts"][k] == before["charts"][k]] == [
        "chart-adoption-map"
    ]
    assert "1 ตุลาคม 2567" in page.locator(".ifte-criteria").inner_text()
    selected = page.eval_on_selector(
        "#ifte-period-select", "s => s.selectedOptions[0].dataset.period"
    )
    assert selected == "fiscal-2568"
    page.go_back()
    assert page.url.endswith("/stats/")


@pytest.mark.parametrize(
    ("period", "cell"),
    [
        (
            "fiscal-2568",
            'table[data-table="districts-subjects"] tbody td[data-count]:not([data-count="0"]) a',
        ),
        (
            "academic-2567",
            'table[data-table="districts"] tbody td[data-count]:not([data-count="0"]) a',
        ),
    ],
)
def test_fiscal_and_academic_numbers_open_the_same_entries_in_search(page, site_url, period, cell):
    page.goto(f"{site_url}stats/{period}/")
    links = page.locator(cell)
    assert links.count() >= 3
    kind, year = period.split("-")
    for i in (0, links.count() - 1):
        link = links.nth(i)
        count = int(link.inner_text().replace(",", ""))
        assert f"{kind}={year}" in link.get_attribute("href")
        with page.expect_navigation():
            link.click()
        page.wait_for_function(
            "/^(พบ|ไม่พบ)/.test(document.getElementById('ifte-sp-status').textContent)"
        )
        assert re.match(rf"พบ {count} ผลงาน", page.locator("#ifte-sp-status").inner_text())
        label = "ปีงบประมาณ พ.ศ." if kind == "fiscal" else "ปีการศึกษา"
        chip = page.get_by_role("button", name=re.compile(f"^{label} {year} — เอาตัวกรองนี้ออก"))
        assert chip.count() == 1
        page.go_back()
    assert page.watch.console_errors == []


def _printed_text(page, tmp_path) -> str:
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(text.stdout.split())


def test_printed_stats_show_criteria_and_every_table(page, site_url, tmp_path):
    page.goto(site_url + "stats/fiscal-2568/")
    page.wait_for_load_state("networkidle")
    captions = page.eval_on_selector_all(
        "table.ifte-stats-table caption span[lang=en]", "spans => spans.map((s) => s.textContent)"
    )
    assert len(captions) >= 16
    text = _printed_text(page, tmp_path)
    assert "criteria" in text and "fiscal year 2568 BE (Oct 2024 – Sep 2025)" in text
    assert "Lopburi Provincial Education Office" in text
    assert re.search(r"/stats/fiscal-2568/", text)
    missing = [c for c in captions if " ".join(c.split()) not in text]
    assert missing == []
    assert "CSV" not in text  # download links are not printed


def test_printed_search_list_shows_criteria_office_and_date(page, site_url, tmp_path):
    page.add_init_script("window.print = () => { window.__printed = true; };")
    page.goto(site_url + "search/?district=khok-samrong")
    page.wait_for_selector("[data-ifte-sp-print]:not([disabled])")
    page.locator("ol.ifte-sp__results li").first.wait_for()
    page.click("[data-ifte-sp-print]")
    page.wait_for_function("window.__printed === true")
    text = _printed_text(page, tmp_path)
    assert "Lopburi Provincial Education Office" in text
    assert "เงื่อนไข" in text and "district=khok-samrong" in text
    assert re.search(r"25\d\d", text)  # the date, in the Buddhist Era
    rows = page.locator("#ifte-sp-print tbody tr").count()
    assert rows >= 1 and f"รายการผลงาน {rows} รายการ" in text
