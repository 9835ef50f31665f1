"""The synthesis report on A4 (fpdf2): cover, summary, indicators, charts, gaps and
participation, adoption, Best Practice, every entry with a QR code, lessons, data tables.

Thai text (font, shaping, word breaks) as in every PDF of the site: `features.pdf_text`.
The creation date is the report's as-of date, drawn from the entries: the same data gives
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io

from build_tools.core.thaidate import format_thai_date
from build_tools.features.pdf_text import CELL_PADDING, FAMILY, add_fonts
from build_tools.features.report.content import (
    Report,
    format_period_span,
    format_summary_lines,
)
from build_tools.features.report.layout import format_lines
from build_tools.features.stats.counts import CountTable, CrossTable

NAVY = (26, 35, 126)
BAR = (63, 81, 181)
GREY = (90, 90, 90)
MARGIN = 18
WIDTH = 210 - 2 * MARGIN


def _report_pdf_class():
    from fpdf import FPDF

    class ReportPDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            if self.page_no() == 1:
                return
            self.set_y(-12)
            self.set_font(FAMILY, "", 9)
            self.set_text_color(*GREY)
            self.cell(0, 5, f"{self.footer_text}   หน้า {self.page_no()}", align="R")

    return ReportPDF


def _new_pdf(report: Report):
    pdf = _report_pdf_class()(format="A4")
    moment = dt.datetime.combine(report.as_of, dt.time(12), tzinfo=dt.UTC)
    pdf.set_creation_date(moment)
    pdf.set_title(report.title)
    pdf.set_author(report.office)
    pdf.set_producer("ifte report")
    add_fonts(pdf)
    pdf.set_margins(MARGIN, 16, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.footer_text = report.title
    return pdf


def _wrapped(pdf, text: str, width: float) -> str:
    return "\n".join(format_lines(text, width, pdf.get_string_width))


def _text(pdf, text: str, size: float = 12, style: str = "", color=(0, 0, 0), align="L"):
    pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(*color)
    for line in format_lines(text, WIDTH, pdf.get_string_width):
        pdf.cell(WIDTH, size * 0.55, line, align=align, new_x="LMARGIN", new_y="NEXT")


def _heading(pdf, text: str, size: float = 16) -> None:
    if pdf.get_y() > 250:
        pdf.add_page()
    pdf.ln(3)
    _text(pdf, text, size, "B", NAVY)
    pdf.ln(1)


def _cover(pdf, report: Report) -> None:
    pdf.add_page()
    pdf.set_y(60)
    _text(pdf, report.office, 18, "B", NAVY, "C")
    if report.office_en:
        _text(pdf, report.office_en, 12, "", GREY, "C")
    pdf.ln(18)
    _text(pdf, report.title, 24, "B", (0, 0, 0), "C")
    pdf.ln(4)
    _text(pdf, format_period_span(report.period), 14, "", (0, 0, 0), "C")
    _text(pdf, "คลังนวัตกรรม IFTE ลพบุรี (IFTE innovation repository)", 14, "", GREY, "C")
    pdf.ln(30)
    _text(pdf, f"ข้อมูล ณ วันที่ {format_thai_date(report.as_of)}", 14, "", (0, 0, 0), "C")
    if report.site_url:
        _text(pdf, report.site_url, 12, "", GREY, "C")


def _table(pdf, widths, header, rows, size: float = 10, align=None) -> None:
    """A table that runs across pages with its header repeated; texts break between
    words inside their cells."""
    from fpdf.fonts import FontFace

    pdf.set_font(FAMILY, "", size)
    pdf.set_text_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)  # cells take the current fill: the charts' bar colour
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        line_height=size * 0.5,
        text_align=align or ("LEFT", *(["RIGHT"] * (len(widths) - 1))),
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 234, 246)),
        repeat_headings=1,
        padding=CELL_PADDING,
    ) as table:
        room = [w - 2.5 for w in widths]  # the cells' padding
        table.row([_wrapped(pdf, h, w) for h, w in zip(header, room, strict=True)])
        for row in rows:
            table.row([_wrapped(pdf, str(c), w) for c, w in zip(row, room, strict=True)])
    pdf.ln(3)


def _count_rows(table: CountTable) -> list[tuple[str, str, str]]:
    rows = []
    for row in table.rows:
        share = 100 * row.cell.count / table.entries if table.entries else 0
        rows.append((row.label.label, f"{row.cell.count:,}", f"{share:.1f}"))
    return rows


def _count_table(pdf, table: CountTable) -> None:
    _text(pdf, f"{table.title} ({table.title_en})", 11, "B")
    rows = _count_rows(table)
    if not table.multi_valued:
        rows.append(("รวม (total)", f"{table.total:,}", "100.0" if table.entries else "0.0"))
    _table(pdf, (90, 30, 30), (table.dimension, "ผลงาน", "ร้อยละ"), rows)


def _cross_table(pdf, table: CrossTable) -> None:
    _text(pdf, f"{table.title} ({table.title_en})", 11, "B")
    columns = len(table.columns)
    first = 30
    each = (WIDTH - first) / (columns + 1)
    header = (table.row_dimension, *(c.label for c in table.columns), "รวม")
    rows = [
        (label.label, *(f"{c.count:,}" for c in cells), f"{total.count:,}")
        for label, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)
    ]
    _table(pdf, (first, *([each] * (columns + 1))), header, rows, size=8)


def _bar_chart(pdf, title: str, rows: list[tuple[str, int]]) -> None:
    """Horizontal bars drawn as vector shapes, every value written at its bar's end."""
    height = 6 + 6.2 * len(rows)
    if pdf.get_y() + height > 297 - 22:
        pdf.add_page()
    _text(pdf, title, 11, "B")
    largest = max((value for _, value in rows), default=0) or 1
    label_width, area = 52, WIDTH - 52 - 16
    for label, value in rows:
        y = pdf.get_y()
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(MARGIN, y)
        pdf.set_font(FAMILY, "", 10)
        pdf.cell(label_width - 2, 5.6, label, align="R")
        if value:
            pdf.set_fill_color(*BAR)
            pdf.rect(MARGIN + label_width, y + 0.8, area * value / largest, 4.2, style="F")
        pdf.set_xy(MARGIN + label_width + area * value / largest + 1, y)
        pdf.cell(14, 5.6, f"{value:,}")
        pdf.set_y(y + 6.2)
    pdf.ln(3)


def _qr_png(url: str) -> io.BytesIO:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return buffer


def _summary(pdf, report: Report) -> None:
    pdf.add_page()
    _heading(pdf, "1. บทสรุปผู้บริหาร (executive summary)")
    _text(pdf, f"ช่วงเวลา: {report.period.label} ({format_period_span(report.period)})", 12)
    pdf.ln(1)
    _table(pdf, (110, 64), ("รายการ", "จำนวน"), format_summary_lines(report), size=11)
    if report.stats.undated:
        _text(
            pdf,
            f"หมายเหตุ: ผลงาน {report.stats.undated:,} ผลงานไม่ได้ระบุวันที่ จึงไม่นับในช่วงเวลานี้",
            10,
            color=GREY,
        )
    _heading(pdf, "2. ตัวชี้วัดของโครงการ (project indicators)")
    for indicator in report.indicators:
        _text(pdf, f"{indicator.code} {indicator.title}", 12, "B")
        for measure in indicator.measures:
            _text(pdf, f"{measure.label}: {measure.text}", 11)
            _text(pdf, f"นิยาม: {measure.definition}", 9, color=GREY)
        if indicator.note:
            _text(pdf, indicator.note, 10, color=GREY)
        pdf.ln(1)


def _charts(pdf, report: Report) -> None:
    stats = report.stats
    _heading(pdf, "3. แผนภูมิ (charts)")
    for key in ("districts", "affiliations", "subjects", "categories"):
        table = stats.table(key)
        _bar_chart(pdf, table.title, [(r.label.label, r.cell.count) for r in table.rows])


def _gaps(pdf, report: Report) -> None:
    _heading(pdf, "4. จุดที่ยังขาดและการมีส่วนร่วม (gaps and participation)")
    for review in report.stats.reviews:
        _text(pdf, review.title, 12, "B")
        missing = ", ".join(c.label.label for c in review.missing) or "ไม่มี"
        few = ", ".join(f"{c.label.label} ({c.latest.count})" for c in review.few) or "ไม่มี"
        growing = ", ".join(f"{c.label.label} (+{c.difference})" for c in review.growing)
        _text(pdf, f"ยังไม่มีผลงาน: {missing}", 11)
        _text(pdf, f"มีน้อย: {few}", 11)
        _text(pdf, f"เพิ่มขึ้น: {growing or 'ไม่มี'}", 11)
        pdf.ln(2)
    if not report.rates:
        _text(pdf, "ยังไม่มีข้อมูลจำนวนสถานศึกษา (participation.yml)", 11, color=GREY)
        return
    if report.participation and report.participation.sample:
        _text(pdf, "หมายเหตุ: จำนวนสถานศึกษาเป็นตัวเลขตัวอย่าง (sample figures)", 10, color=GREY)
    for kind, dimension in (("districts", "อำเภอ"), ("affiliations", "สังกัด")):
        _text(pdf, f"สถานศึกษาที่มีผลงาน / ทั้งหมด ราย{dimension}", 11, "B")
        rows = [
            (
                r.label,
                f"{r.taking_part:,}",
                f"{r.schools:,}" if r.schools else "-",
                f"{r.percent:.1f}" if r.percent is not None else "-",
            )
            for r in report.rates[kind]
        ]
        _table(pdf, (70, 34, 34, 34), (dimension, "มีผลงาน", "ทั้งหมด", "ร้อยละ"), rows)


def _adoption(pdf, report: Report) -> None:
    """Indicator 6.1.3: where the innovations were adopted (the numbers of /network/)."""
    adoption = report.adoption
    if adoption is None:
        return
    _heading(pdf, "5. การนำผลงานไปใช้ (adoption, ตัวชี้วัด 6.1.3)")
    if adoption.every_year:
        _text(
            pdf,
            "การนำไปใช้แต่ละครั้งระบุเพียงปี พ.ศ. ไม่ระบุวันที่ จึงนับทุกปี ไม่แยกตามช่วงเวลาของรายงานนี้"
            " (adoptions record a calendar year only: every year is counted)",
            10,
            color=GREY,
        )
    if adoption.sample:
        _text(pdf, "หมายเหตุ: ข้อมูลการนำไปใช้เป็นข้อมูลตัวอย่าง (sample data)", 10, color=GREY)
    figures = [
        ("ครั้งที่มีการนำไปใช้ (adoptions)", f"{adoption.total:,}"),
        ("สถานศึกษาที่นำไปใช้ (adopting schools)", f"{adoption.schools:,}"),
        (
            "อำเภอที่นำไปใช้ (districts reached)",
            f"{adoption.districts_reached} จาก {len(adoption.by_district)}",
        ),
        (
            "ผลงานที่มีผู้นำไปใช้ (innovations adopted)",
            f"{adoption.adopted_entries:,} จาก {adoption.entries:,} ({adoption.indicator}%)",
        ),
    ]
    _table(pdf, (110, 64), ("รายการ", "จำนวน"), figures, size=11)
    for rows, dimension in ((adoption.by_district, "อำเภอ"), (adoption.by_affiliation, "สังกัด")):
        _text(pdf, f"การนำไปใช้ ราย{dimension}ของสถานศึกษาที่นำไปใช้", 11, "B")
        body = [(row.label, f"{row.count:,}") for row in rows]
        body.append(("รวม (total)", f"{adoption.total:,}"))
        _table(pdf, (90, 30), (dimension, "แห่ง"), body)
    _text(pdf, "ผลงานที่มีผู้นำไปใช้มากที่สุด (most adopted)", 11, "B")
    if not adoption.most_adopted:
        _text(pdf, "ยังไม่มีข้อมูลการนำไปใช้", 11)
        return
    rows = [
        (str(n), item.title, item.school, f"{item.count:,}")
        for n, item in enumerate(adoption.most_adopted, 1)
    ]
    _table(
        pdf,
        (10, 100, 46, 18),
        ("ที่", "ผลงาน", "สถานศึกษา", "แห่ง"),
        rows,
        align=("RIGHT", "LEFT", "LEFT", "RIGHT"),
    )


def _best_practice(pdf, report: Report) -> None:
    _heading(pdf, "6. ผลการคัดเลือกแนวปฏิบัติที่เป็นเลิศ (Best Practice)")
    if not report.best_practice:
        _text(pdf, "ไม่มีแนวปฏิบัติที่เป็นเลิศในช่วงเวลานี้", 11)
        return
    rows = [(e.title, e.school, e.district, e.award) for e in report.best_practice]
    _table(pdf, (64, 44, 24, 42), ("ผลงาน", "สถานศึกษา", "อำเภอ", "รางวัล"), rows, align="LEFT")


def _entries(pdf, report: Report) -> None:
    from fpdf.fonts import FontFace

    pdf.add_page()
    _heading(pdf, f"7. ผลงานทั้งหมดในช่วงเวลานี้ ({len(report.entries):,} ผลงาน)")
    _text(pdf, "สแกน QR code เพื่อเปิดหน้าผลงานบนเว็บไซต์ (scan to open the entry page)", 10)
    pdf.set_font(FAMILY, "", 10)
    with pdf.table(
        col_widths=(8, 118, 22, 26),
        width=174,
        align="LEFT",
        line_height=5,
        text_align=("RIGHT", "LEFT", "LEFT", "CENTER"),
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 234, 246)),
        v_align="TOP",
        padding=CELL_PADDING,
    ) as table:
        table.row(("ที่", "ผลงาน สถานศึกษา และที่อยู่เว็บ", "อำเภอ", "QR"))
        for number, entry in enumerate(report.entries, 1):
            row = table.row()
            row.cell(str(number))
            text = f"{entry.title}\n{entry.school} · {entry.areas}\n{entry.url}"
            row.cell(_wrapped(pdf, text, 115), link=entry.url if "://" in entry.url else None)
            row.cell(_wrapped(pdf, entry.district, 19))
            row.cell(img=_qr_png(entry.url), img_fill_width=True)
    pdf.ln(3)


def _lessons(pdf, report: Report) -> None:
    _heading(pdf, "8. บทเรียนที่ได้รับ (lessons learned)")
    _text(pdf, "สรุปจากหัวข้อ “บทเรียนที่ได้รับ” ของแต่ละผลงาน", 10, color=GREY)
    pdf.ln(1)
    for entry in report.entries:
        if not entry.lesson:
            continue
        if pdf.get_y() > 255:
            pdf.add_page()
        _text(pdf, f"{entry.title} — {entry.school}", 11, "B")
        _text(pdf, entry.lesson, 11)
        pdf.ln(2)


def _appendix(pdf, report: Report) -> None:
    pdf.add_page()
    _heading(pdf, "ภาคผนวก: ตารางข้อมูล (appendix: data tables)")
    stats = report.stats
    for table in stats.tables + stats.best_practice_tables:
        _count_table(pdf, table)
    for cross in stats.cross_tables:
        _cross_table(pdf, cross)


def render_report_pdf(report: Report) -> bytes:
    pdf = _new_pdf(report)
    _cover(pdf, report)
    _summary(pdf, report)
    _charts(pdf, report)
    _gaps(pdf, report)
    _adoption(pdf, report)
    _best_practice(pdf, report)
    _entries(pdf, report)
    _lessons(pdf, report)
    _appendix(pdf, report)
    return bytes(pdf.output())
