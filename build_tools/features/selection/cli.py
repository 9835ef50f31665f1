"""`ifte selection …`: the office's commands for a Best Practice selection round.

    ifte selection sheets 2568        blank score sheets (CSV per member + a printable PDF)
    ifte selection read 2568 FILES…   filled sheets → the round file's `scores:` section
    ifte selection results 2568       the results (CSV) from the scores
    ifte selection award 2568         the awards written into the entries' front matter
    ifte selection certificates 2568  one certificate PDF per awarded entry and author

Every command gives the same bytes when run again on the same data.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path

import click

from build_tools.core.errors import IfteError
from build_tools.core.loader import Catalog, load_repository
from build_tools.core.problems import count_errors, format_text, sort_problems
from build_tools.core.writing import write_bytes_atomic, write_text_atomic

_ROOT = click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="โฟลเดอร์โครงการ / project folder",
)


def _load(root: Path | None, year: int):
    from build_tools.core.loader import find_project_root
    from build_tools.features.selection.rounds import format_round_path, read_round

    root = (root or find_project_root(Path.cwd())).resolve()
    file = root / format_round_path(year)
    if not file.is_file():
        raise IfteError(
            f"ไม่พบไฟล์รอบการคัดเลือก {format_round_path(year)}",
            f"No selection round file {format_round_path(year)}",
        )
    catalog = load_repository(root)
    selection, problems = read_round(file, catalog)
    _stop_on(problems)
    return root, catalog, selection


def _stop_on(problems) -> None:
    for problem in sort_problems(problems):
        click.echo(format_text(problem), err=True)
    if count_errors(problems):
        raise IfteError(
            f"พบข้อผิดพลาด {count_errors(problems)} รายการ ยังไม่ได้เขียนไฟล์ใด ๆ",
            f"{count_errors(problems)} errors found; nothing was written",
        )


def _entries(catalog: Catalog) -> dict:
    return {entry.id: entry for entry in catalog.entries}


def _scored(selection, catalog: Catalog):
    from build_tools.features.selection.results import plan_results

    if not selection.is_scored:
        raise IfteError(
            f"รอบ {selection.year} ยังไม่มีคะแนน: อ่านแบบให้คะแนนก่อนด้วย ifte selection read",
            f"Round {selection.year} has no scores yet: read the sheets first (ifte selection read)",
        )
    return plan_results(selection, _entries(catalog))


@click.group("selection")
def selection_command() -> None:
    """การคัดเลือกแนวปฏิบัติที่เป็นเลิศ (Best Practice selection rounds)."""


@selection_command.command("sheets")
@click.argument("year", type=int)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None)
@_ROOT
def sheets_command(year: int, out: Path | None, root: Path | None) -> None:
    """สร้างแบบให้คะแนน (blank score sheets: CSV per member and a printable PDF)."""
    from build_tools.features.selection.pdf import render_score_sheets_pdf
    from build_tools.features.selection.sheets import export_blank_sheets

    root, catalog, selection = _load(root, year)
    folder = out or root / "selection" / f"{year}-sheets"
    written = export_blank_sheets(selection, _entries(catalog), folder)
    pdf = folder / f"{year}-sheets.pdf"
    write_bytes_atomic(pdf, render_score_sheets_pdf(selection, _entries(catalog)))
    for path in (*written, pdf):
        click.echo(str(path))


@selection_command.command("read")
@click.argument("year", type=int)
@click.argument(
    "sheets", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True)
)
@_ROOT
def read_command(year: int, sheets: tuple[Path, ...], root: Path | None) -> None:
    """อ่านแบบให้คะแนนที่กรอกแล้ว (read filled sheets into the round file's scores)."""
    from build_tools.features.selection.rounds import format_round_path, read_round
    from build_tools.features.selection.sheets import (
        format_scores_block,
        plan_round_text,
        read_sheet,
    )

    root, catalog, selection = _load(root, year)
    scores = {member: dict(rows) for member, rows in selection.scores.items()}
    problems = []
    for sheet in sheets:
        member, rows, found = read_sheet(
            str(sheet), sheet.read_bytes(), selection, _entries(catalog)
        )
        problems += found
        if member is not None and not count_errors(found):
            scores[member] = rows
    _stop_on(problems)
    file = root / format_round_path(year)
    text = plan_round_text(file.read_text(encoding="utf-8"), format_scores_block(selection, scores))
    with tempfile.TemporaryDirectory() as scratch:  # check the whole round before writing it
        trial = Path(scratch) / file.name
        trial.write_text(text, encoding="utf-8")
        _, found = read_round(trial, catalog)
    _stop_on([dataclasses.replace(p, path=format_round_path(year)) for p in found])
    write_text_atomic(file, text)
    click.echo(
        f"บันทึกคะแนนลงใน {format_round_path(year)} แล้ว / Scores written to {format_round_path(year)}"
    )


@selection_command.command("results")
@click.argument("year", type=int)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None)
@_ROOT
def results_command(year: int, out: Path | None, root: Path | None) -> None:
    """คำนวณผลการคัดเลือก (results: weighted means, rank, award level) as CSV."""
    from build_tools.features.selection.results import format_results_csv

    root, catalog, selection = _load(root, year)
    results = _scored(selection, catalog)
    titles = {e.id: e.title for e in catalog.entries}
    path = out or root / "selection" / f"{year}-results.csv"
    write_bytes_atomic(path, format_results_csv(selection, results, titles))
    for r in results:
        award = r.award.title if r.award else "-"
        click.echo(f"{r.rank:>3}  {r.total:>6}  {award:<10}  {r.entry}")
    click.echo(str(path))


@selection_command.command("award")
@click.argument("year", type=int)
@_ROOT
def award_command(year: int, root: Path | None) -> None:
    """เขียนรางวัลลงในส่วนข้อมูลของผลงาน (write awards into the entries' front matter)."""
    from build_tools.features.selection.awards import plan_award_edits

    root, catalog, selection = _load(root, year)
    results = _scored(selection, catalog)
    for edit in plan_award_edits(selection, results, _entries(catalog), catalog.vocabularies):
        if edit.text is not None:
            write_text_atomic(edit.path, edit.text)
        click.echo(f"{edit.path.relative_to(root).as_posix()}: {edit.note_th} / {edit.note_en}")


@selection_command.command("certificates")
@click.argument("year", type=int)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True)
@_ROOT
def certificates_command(year: int, out: Path, root: Path | None) -> None:
    """สร้างเกียรติบัตร PDF (one certificate per awarded entry and author)."""
    from build_tools.features.selection.pages import plan_certificates, read_certificate_settings

    root, catalog, selection = _load(root, year)
    _scored(selection, catalog)
    settings = read_certificate_settings(root)
    for certificate in plan_certificates(selection, catalog, settings):
        path = out / certificate.name
        write_bytes_atomic(path, certificate.make())
        click.echo(str(path))
    sys.stdout.flush()
