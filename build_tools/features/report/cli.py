"""`ifte report`: the synthesis report of one period as an A4 PDF (and its summary)."""

from __future__ import annotations

from pathlib import Path

import click

from build_tools.core.placeholders import read_site_settings
from build_tools.core.writing import write_bytes_atomic


@click.command("report")
@click.option("--fiscal-year", type=int, default=None, help="ปีงบประมาณ พ.ศ. / BE fiscal year")
@click.option("--year", type=int, default=None, help="ปี พ.ศ. ของผลงาน / BE year of entries")
@click.option("--quarter", default=None, help="ไตรมาสของปีงบประมาณ เช่น 2568Q1 / fiscal quarter")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=None)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="ไฟล์ PDF / PDF file (default: ifte-report-<period>.pdf)",
)
def report_command(
    fiscal_year: int | None,
    year: int | None,
    quarter: str | None,
    root: Path | None,
    output: Path | None,
) -> None:
    """รายงานสรุปสังเคราะห์นวัตกรรม (PDF) ของปีงบประมาณ ปี พ.ศ. หรือไตรมาส
    (synthesis report of a fiscal year, year or quarter)."""
    from build_tools.core.loader import find_project_root, load_repository
    from build_tools.core.periods import read_period
    from build_tools.features.network.adoptions import load_checked_adoptions
    from build_tools.features.report.content import format_summary_lines, plan_report
    from build_tools.features.report.pdf import render_report_pdf
    from build_tools.features.stats.participation import load_participation

    period = read_period(year, fiscal_year, quarter)
    root = (root or find_project_root(Path.cwd())).resolve()
    catalog = load_repository(root)
    config = read_site_settings(root / "mkdocs.yml")
    site_url = str(config.get("site_url") or "")
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    participation = load_participation(root, catalog.vocabularies)
    adoptions = load_checked_adoptions(catalog)
    extra = config.get("extra") or {}
    report = plan_report(catalog, period, extra, site_url, participation, adoptions)
    target = output or Path(f"{report.file_stem}.pdf")
    write_bytes_atomic(target, render_report_pdf(report))
    click.echo(report.title)
    for label, value in format_summary_lines(report):
        click.echo(f"  {label}: {value}")
    click.echo(f"เขียนไฟล์ / wrote {target}")
