"""Printable PDFs of a round: the committee's score sheets and the certificates.

Thai text (font, shaping, word breaks) as in every PDF of the site: `features.pdf_text`.
A PDF's creation date comes from the round's data, so the same round gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from build_tools.core.thaidate import format_thai_date
from build_tools.features.pdf_text import CELL_PADDING, FAMILY, add_fonts, format_breakable
from build_tools.features.selection.results import Result
from build_tools.features.selection.rounds import Member, SelectionRound
from build_tools.features.selection.sheets import plan_sheet_rows

NAVY = (26, 35, 126)
GOLD = (176, 137, 46)


def _new_pdf(selection: SelectionRound, orientation: str):
    from fpdf import FPDF

    pdf = FPDF(orientation=orientation, format="A4")
    moment = dt.datetime.combine(selection.announced, dt.time(9), tzinfo=dt.UTC)
    pdf.set_creation_date(moment)
    pdf.set_title(selection.title)
    pdf.set_author("สำนักงานศึกษาธิการจังหวัดลพบุรี")
    add_fonts(pdf)
    pdf.set_auto_page_break(True, margin=15)
    return pdf


def _line(pdf, text: str, size: float, style: str = "", height: float = 0, color=(0, 0, 0)) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(*color)
    pdf.multi_cell(
        0, height or size * 0.55, format_breakable(text), align="C", new_x="LMARGIN", new_y="NEXT"
    )


# --- score sheets ------------------------------------------------------------------------


def render_score_sheets_pdf(
    selection: SelectionRound, entries: Mapping[str, object], members: tuple[Member, ...] = ()
) -> bytes:
    """One printable sheet per member: the criteria, then the entries they score with empty
    boxes, and a line to sign."""
    pdf = _new_pdf(selection, "P")
    pdf.set_margins(15, 15, 15)
    for member in members or selection.committee:
        pdf.add_page()
        _line(pdf, "แบบให้คะแนนการคัดเลือกแนวปฏิบัติที่เป็นเลิศ", 18, "B")
        _line(pdf, selection.title, 14)
        _line(pdf, f"กรรมการ: {member.name} ({member.position})  รหัส {member.id}", 12)
        pdf.ln(2)
        pdf.set_font(FAMILY, "", 11)
        pdf.multi_cell(
            0,
            6,
            format_breakable(
                f"ให้คะแนนแต่ละเกณฑ์ 0–{selection.score_max} คะแนน คะแนนรวมคำนวณตามน้ำหนักของเกณฑ์ "
                "กรรมการไม่ให้คะแนนผลงานของสถานศึกษาของตนเองหรือผลงานที่แจ้งการมีส่วนได้เสียไว้ "
                "(ผลงานเหล่านั้นไม่อยู่ในแบบนี้)"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
        with pdf.table(
            col_widths=(8, 60, 14, 98),
            text_align=("CENTER", "LEFT", "CENTER", "LEFT"),
            line_height=6,
            padding=CELL_PADDING,
        ) as table:
            table.row(("ที่", "เกณฑ์ (criterion)", "น้ำหนัก", "สิ่งที่พิจารณา"))
            for number, criterion in enumerate(selection.criteria, 1):
                table.row(
                    (
                        str(number),
                        format_breakable(criterion.title),
                        f"{criterion.weight}%",
                        format_breakable(criterion.description),
                    )
                )
        pdf.ln(4)
        count = len(selection.criteria)
        widths = (8, 74, *([10] * count), 28)[: 3 + count]
        with pdf.table(
            col_widths=widths, line_height=7, text_align="CENTER", padding=CELL_PADDING
        ) as table:
            table.row(("ที่", "ผลงาน (entry)", *(str(n) for n in range(1, count + 1))))
            for number, entry_id in enumerate(plan_sheet_rows(selection, member, entries), 1):
                entry = entries[entry_id]
                table.row(
                    (str(number), format_breakable(f"{entry.title} ({entry_id})"), *([""] * count))
                )
        pdf.ln(10)
        _line(pdf, "ลงชื่อ ........................................................ กรรมการ", 12)
        _line(pdf, f"({member.name})", 12)
    return bytes(pdf.output())


# --- certificates ------------------------------------------------------------------------


def format_certificate_name(entry_id: str, author_index: int) -> str:
    """The certificate's file name below the round's folder: `<year>-<slug>-<n>.pdf`."""
    return f"{entry_id.replace('/', '-')}-{author_index + 1}.pdf"


class _Line(NamedTuple):
    """A centred paragraph of a certificate."""

    text: str
    size: float
    style: str = ""
    height: float = 0  # of each of its lines (mm); 0: from the size
    color: tuple[int, int, int] = (0, 0, 0)
    gap: float = 0  # space above it (mm)


def _plan_certificate_lines(
    selection: SelectionRound, result: Result, entry, author_index: int, settings, issuer: str
) -> list[_Line]:
    author = entry.authors[author_index]
    position = f"{author.position} " if author.position else ""
    award = f"ได้รับรางวัล{selection.award_title} ระดับ{result.award.title}"
    day, month, year = format_thai_date(selection.announced).split(" ")
    return [
        _Line(issuer, 22, "B", color=NAVY),
        _Line("เกียรติบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า", 18, height=12, gap=2),
        _Line(author.name, 30, "B", height=16, color=NAVY),
        _Line(f"{position}{entry.school.name}", 17, height=10),
        _Line(award, 22, "B", height=12, color=GOLD, gap=4),
        _Line(f"ผลงานเรื่อง “{entry.title}”", 17, height=9),
        _Line(selection.title, 16, height=9),
        _Line(f"ให้ไว้ ณ วันที่ {day} {month} พ.ศ. {year}", 16, height=10),
        _Line("........................................................", 14, height=7, gap=14),
        _Line(f"({settings.get('signatory') or 'ผู้มีอำนาจลงนาม'})", 16, height=8),
        _Line(str(settings.get("signatory_title") or issuer), 16, height=8),
    ]


def _measure(pdf, line: _Line) -> float:
    """The height `line` takes, with the space above it."""
    pdf.set_font(FAMILY, line.style, line.size)
    height = line.height or line.size * 0.55
    text = format_breakable(line.text)
    return line.gap + height * len(pdf.multi_cell(0, height, text, dry_run=True, output="LINES"))


def render_certificate_pdf(
    selection: SelectionRound,
    result: Result,
    entry,
    author_index: int,
    settings: Mapping[str, object],
    root: Path,
) -> bytes:
    """One A4 landscape certificate for one author of an awarded entry. `settings` is
    mkdocs.yml `extra.certificates` (signatory, signatory_title, seal, issuer). The text,
    and the seal above it, stand in the middle of the frame, however many lines the
    entry's title takes."""
    pdf = _new_pdf(selection, "L")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, 281, 194)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.6)
    pdf.rect(12, 12, 273, 186)
    pdf.set_margins(30, 18, 30)
    issuer = str(settings.get("issuer") or "สำนักงานศึกษาธิการจังหวัดลพบุรี")
    lines = _plan_certificate_lines(selection, result, entry, author_index, settings, issuer)
    seal = str(settings.get("seal") or "")
    seal_height = 28 if seal and (root / seal).is_file() else 0
    height = seal_height + sum(_measure(pdf, line) for line in lines)
    top, bottom = 16, 180  # inside the frame, above the English line
    y = max(top, top + (bottom - top - height) / 2)
    if seal_height:
        pdf.image(root / seal, x=148.5 - 13, y=y, w=26, h=26, keep_aspect_ratio=True)
    pdf.set_y(y + seal_height)
    for line in lines:
        if line.gap:
            pdf.ln(line.gap)
        _line(pdf, line.text, line.size, line.style, line.height, line.color)
    pdf.set_y(184)
    award = result.award
    english = (
        f"Certificate: {award.title_en or award.title} — {selection.title_en or selection.title}"
    )
    _line(pdf, english, 10, color=(90, 90, 90))
    return bytes(pdf.output())
