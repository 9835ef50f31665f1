"""`/reports/`: the synthesis report of each fiscal year and the quarterly progress
reports of the newest one, each as an HTML page and an A4 PDF."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from build_tools.core.loader import Catalog
from build_tools.core.site import Generated, GeneratedFile, GeneratedPage, SiteSettings
from build_tools.core.thaidate import format_thai_date
from build_tools.features.network.adoptions import load_checked_adoptions
from build_tools.features.report.content import (
    REPORT_FOLDER,
    SITE_YEARS,
    Report,
    format_period_span,
    format_summary_lines,
    plan_report,
    plan_site_periods,
)
from build_tools.features.report.pdf import render_report_pdf
from build_tools.features.stats.participation import load_participation


def format_report_key(report: Report) -> str:
    """What a report's PDF is made from: its content (the dataclasses' repr), this
    package's code and the PDF libraries' versions. An unchanged key keeps the file."""
    digest = hashlib.sha256(repr(report).encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    for package in ("fpdf2", "uharfbuzz", "segno", "fonttools"):
        digest.update(version(package).encode())
    return digest.hexdigest()


def generate_report_pages(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    participation = load_participation(settings.root, catalog.vocabularies)
    adoptions = load_checked_adoptions(catalog)
    listed = []
    for period in plan_site_periods(catalog):
        report = plan_report(
            catalog, period, settings.extra, settings.site_url, participation, adoptions
        )
        pdf_path = f"{REPORT_FOLDER}/{report.file_stem}.pdf"
        yield GeneratedFile(
            pdf_path, lambda report=report: render_report_pdf(report), format_report_key(report)
        )
        item = {
            "title": report.title,
            "span": format_period_span(period),
            "url": f"{REPORT_FOLDER}/{period.key}/",
            "pdf": pdf_path,
            "quarterly": report.quarterly,
            "entries": report.stats.entries,
        }
        listed.append(item)
        yield GeneratedPage(
            f"{REPORT_FOLDER}/{period.key}/index.md",
            report.title,
            "report.html",
            context={
                "report": report,
                "report_item": item,
                "summary_lines": format_summary_lines(report),
                "as_of": format_thai_date(report.as_of),
                "stats_url": f"stats/{period.key}/" if period.kind != "quarter" else "",
            },
        )
    yield GeneratedPage(
        f"{REPORT_FOLDER}/index.md",
        "รายงานสรุปสังเคราะห์นวัตกรรม",
        "report.html",
        context={"reports": listed, "site_years": SITE_YEARS},
    )
