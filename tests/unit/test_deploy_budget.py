"""The hosting budget: size against the quota, heaviest pages, monthly transfer."""

from __future__ import annotations

from build_tools.deploy.budget import (
    TrafficAssumptions,
    format_bytes,
    format_site_size,
    plan_monthly_transfer,
    report_site_size,
)


def _site(tmp_path):
    files = {
        "assets/site.css": 1000,
        "assets/logo.png": 500,
        "a/index.html": 0,
        "a/photo.jpg": 8000,
        "a/report.pdf": 50_000,
        "b/index.html": 0,
        "index.html": 0,
    }
    for path, size in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(b"x" * size)
    head = '<link rel="stylesheet" href="{up}assets/site.css"><img src="{up}assets/logo.png">'
    (tmp_path / "a/index.html").write_text(
        head.format(up="../") + '<img src="photo.jpg"><a href="report.pdf">PDF</a>'
    )
    (tmp_path / "b/index.html").write_text(head.format(up="/ifte/") + '<a href="../a/">A</a>')
    (tmp_path / "index.html").write_text(head.format(up=""))
    return tmp_path


def test_heaviest_page_counts_what_it_loads(tmp_path):
    report = report_site_size(_site(tmp_path))

    heaviest = report.heaviest_pages[0]
    assert heaviest.path == "a/index.html"
    assert heaviest.resource_bytes == 1000 + 500 + 8000  # not the linked PDF
    assert report.heaviest_files[0] == ("a/report.pdf", 50_000)
    assert report.page_count == 3 and report.file_count == 7


def test_shared_files_are_counted_once_per_visit(tmp_path):
    report = report_site_size(_site(tmp_path))

    assert report.shared_bytes == 1500  # used by every page, including via /ifte/ prefix
    assert report.average_attachment_bytes == 50_000


def test_transfer_estimate_follows_the_stated_formula():
    assumptions = TrafficAssumptions(
        page_views_per_month=3000,
        pages_per_visit=3,
        attachment_downloads_per_view=0.1,
        crawler_overhead=0.5,
    )

    estimate = plan_monthly_transfer(100, 1000, 2000, assumptions)

    assert estimate == int((3000 * 100 + 1000 * 1000 + 3000 * 0.1 * 2000) * 1.5)


def test_report_text_is_bilingual_and_flags_an_over_quota_site(tmp_path):
    report = report_site_size(_site(tmp_path), quota_bytes=10_000)

    text = format_site_size(report)

    assert report.over_quota
    assert "เกินโควตา" in text and "Over the quota" in text
    assert "สมมติฐาน / Assumptions: 50,000 page views/month" in text


def test_sizes_use_decimal_units_like_hosting_plans():
    assert format_bytes(999) == "999 B"
    assert format_bytes(20 * 1000**3) == "20.0 GB"
    assert format_bytes(1_500_000) == "1.5 MB"
