"""Generate the small attachments (PDF worksheets, PNG/JPEG charts) of the sample entries.

Run from the repository root:  .venv/bin/python tools/make_sample_attachments.py
The outputs are committed beside each sample `index.md`; rerun only when changing them.

Thai text is drawn by Pillow with the self-hosted Sarabun files (theme/assets/fonts/sarabun)
and its libraqm layout, which shapes Thai marks correctly. fpdf2 cannot shape Thai without
the optional uharfbuzz package, so PDF text is English and each PDF's Thai heading is a
rasterised Pillow image. Where Pillow lacks raqm, every label falls back to its English text
rather than printing Thai with misplaced vowels and tone marks.

All data in these files is fictional, like the sample entries themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont, features

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = ROOT / "theme" / "assets" / "fonts" / "sarabun"
ENTRIES = ROOT / "innovations"

# Fixed so that rerunning the script yields byte-identical PDFs (no spurious git diffs).
PDF_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
SAMPLE_NOTE = "Sample attachment - fictional data for demonstrating the IFTE Lopburi repository."

INK = (38, 50, 56)
GRID = (207, 216, 220)
COLOURS = [(0, 121, 107), (255, 160, 0), (63, 81, 181), (216, 67, 21), (124, 179, 66)]


@dataclass(frozen=True)
class Label:
    """A caption in Thai with its English fallback."""

    th: str
    en: str


class TextPainter:
    """Draws mixed Thai/Latin strings: the Sarabun subsets split Thai and Latin glyphs."""

    def __init__(self) -> None:
        self.thai = features.check("raqm")
        self._cache: dict[tuple[str, int, bool], ImageFont.FreeTypeFont] = {}

    def text_of(self, label: Label | str) -> str:
        if isinstance(label, str):
            return label
        return label.th if self.thai else label.en

    def _font(self, script: str, size: int, bold: bool) -> ImageFont.FreeTypeFont:
        key = (script, size, bold)
        if key not in self._cache:
            weight = 700 if bold else 400
            path = FONT_DIR / f"sarabun-{script}-{weight}-normal.woff2"
            self._cache[key] = ImageFont.truetype(str(path), size)
        return self._cache[key]

    def _runs(self, text: str, size: int, bold: bool) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        runs: list[tuple[str, str]] = []
        for char in text:
            script = "thai" if "\u0e00" <= char <= "\u0e7f" else "latin"
            if char == " " and runs:
                script = runs[-1][0]  # a space belongs to the run it follows
            if runs and runs[-1][0] == script:
                runs[-1] = (script, runs[-1][1] + char)
            else:
                runs.append((script, char))
        return [(chunk, self._font(script, size, bold)) for script, chunk in runs]

    def width(self, label: Label | str, size: int, bold: bool = False) -> float:
        runs = self._runs(self.text_of(label), size, bold)
        return sum(font.getlength(chunk) for chunk, font in runs)

    def draw(
        self,
        draw: ImageDraw.ImageDraw,
        xy: tuple[float, float],
        label: Label | str,
        size: int,
        *,
        bold: bool = False,
        fill: tuple[int, int, int] = INK,
        anchor: str = "left",
    ) -> None:
        x, y = xy
        if anchor == "center":
            x -= self.width(label, size, bold) / 2
        elif anchor == "right":
            x -= self.width(label, size, bold)
        for chunk, font in self._runs(self.text_of(label), size, bold):
            draw.text((x, y), chunk, font=font, fill=fill, anchor="ls")
            x += font.getlength(chunk)


PAINTER = TextPainter()


# --- images -------------------------------------------------------------------------------


def new_canvas(width: int, height: int, title: Label) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    PAINTER.draw(draw, (width / 2, 52), title, 34, bold=True, anchor="center")
    PAINTER.draw(
        draw,
        (width / 2, height - 16),
        Label("ข้อมูลสมมติเพื่อสาธิตระบบ (sample data)", "Sample data - fictional"),
        18,
        fill=(120, 144, 156),
        anchor="center",
    )
    return image, draw


def save_png(image: Image.Image, path: Path) -> None:
    # Flat diagrams compress far better as a small palette than as true colour.
    image.quantize(colors=48, dither=Image.Dither.NONE).save(path, optimize=True)


def plot_axes(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    y_max: int,
    y_step: int,
    y_label: Label,
) -> None:
    left, top, right, bottom = box
    for value in range(0, y_max + 1, y_step):
        y = bottom - (bottom - top) * value / y_max
        draw.line([(left, y), (right, y)], fill=GRID, width=1)
        PAINTER.draw(draw, (left - 10, y + 6), str(value), 18, anchor="right")
    draw.line([(left, top), (left, bottom), (right, bottom)], fill=INK, width=2)
    PAINTER.draw(draw, (left, top - 18), y_label, 20)


def make_growth_chart(path: Path) -> None:
    image, draw = new_canvas(
        1000, 620, Label("ความสูงของต้นทานตะวันที่เด็กบันทึก", "Sunflower height recorded by children")
    )
    box = (110, 130, 930, 520)
    plot_axes(draw, box, 120, 20, Label("ความสูง (ซม.)", "Height (cm)"))
    weeks = range(1, 9)
    groups = {
        Label("กลุ่มดอกเหลือง", "Group Yellow"): [4, 11, 22, 37, 55, 74, 92, 108],
        Label("กลุ่มผึ้งน้อย", "Group Bee"): [3, 9, 18, 30, 46, 63, 80, 97],
        Label("กลุ่มตะวันยิ้ม", "Group Sunny"): [5, 12, 20, 33, 49, 68, 85, 101],
    }
    left, top, right, bottom = box
    step = (right - left) / (len(weeks) + 0.5)
    for week in weeks:
        PAINTER.draw(draw, (left + step * week, bottom + 28), str(week), 18, anchor="center")
    PAINTER.draw(
        draw, ((left + right) / 2, bottom + 60), Label("สัปดาห์ที่", "Week"), 20, anchor="center"
    )
    for index, (name, heights) in enumerate(groups.items()):
        colour = COLOURS[index]
        points = [
            (left + step * w, bottom - (bottom - top) * h / 120)
            for w, h in zip(weeks, heights, strict=True)
        ]
        draw.line(points, fill=colour, width=4)
        for x, y in points:
            draw.ellipse([x - 6, y - 6, x + 6, y + 6], fill=colour)
        legend_y = 160 + index * 34
        draw.rectangle([150, legend_y - 16, 176, legend_y], fill=colour)
        PAINTER.draw(draw, (186, legend_y), name, 20)
    save_png(image, path)


def make_reading_chart(path: Path) -> None:
    image, draw = new_canvas(
        1000, 620, Label("จำนวนนักเรียนตามระดับการอ่าน ป.1–ป.3", "Pupils by reading level, P1-P3")
    )
    box = (110, 130, 930, 500)
    plot_axes(draw, box, 35, 5, Label("จำนวนนักเรียน (คน)", "Pupils"))
    levels = [
        (Label("ไม่รู้จักพยัญชนะ", "No letters"), 6, 0),
        (Label("สะกดคำไม่ได้", "Cannot spell"), 11, 3),
        (Label("อ่านไม่คล่อง", "Not fluent"), 14, 12),
        (Label("อ่านคล่อง", "Fluent"), 15, 31),
    ]
    left, top, right, bottom = box
    slot = (right - left) / len(levels)
    for index, (name, start, end) in enumerate(levels):
        centre = left + slot * (index + 0.5)
        for offset, value, colour in ((-38, start, COLOURS[1]), (4, end, COLOURS[0])):
            y = bottom - (bottom - top) * value / 35
            draw.rectangle([centre + offset, y, centre + offset + 34, bottom], fill=colour)
            PAINTER.draw(draw, (centre + offset + 17, y - 8), str(value), 18, anchor="center")
        PAINTER.draw(draw, (centre, bottom + 30), name, 20, anchor="center")
    for index, name in enumerate(
        (Label("ต้นปีการศึกษา", "Start of year"), Label("ปลายปีการศึกษา", "End of year"))
    ):
        x = 640 + index * 150
        draw.rectangle([x, 96, x + 22, 116], fill=COLOURS[1 - index])
        PAINTER.draw(draw, (x + 30, 114), name, 18)
    save_png(image, path)


def make_coding_grid(path: Path) -> None:
    image, draw = new_canvas(1000, 760, Label("ภารกิจลิงน้อยตามหากล้วย", "Little monkey finds bananas"))
    cell, origin_x, origin_y = 80, 90, 100
    for row in range(6):
        for col in range(6):
            x, y = origin_x + col * cell, origin_y + row * cell
            draw.rectangle([x, y, x + cell, y + cell], outline=INK, width=2, fill=(250, 250, 250))
    for col, row in ((2, 1), (2, 2), (4, 3), (1, 4)):
        x, y = origin_x + col * cell, origin_y + row * cell
        draw.rectangle([x + 6, y + 6, x + cell - 6, y + cell - 6], fill=(144, 164, 174))
    # monkey start
    x, y = origin_x + 0 * cell + cell / 2, origin_y + 5 * cell + cell / 2
    draw.ellipse([x - 28, y - 28, x + 28, y + 28], fill=(121, 85, 72))
    draw.ellipse([x - 16, y - 12, x + 16, y + 22], fill=(215, 204, 200))
    for col, row in ((5, 0), (3, 2)):
        bx, by = origin_x + col * cell + cell / 2, origin_y + row * cell + cell / 2
        draw.arc([bx - 26, by - 30, bx + 22, by + 18], 20, 160, fill=(251, 192, 45), width=12)
    legend = [
        (Label("ลิงน้อย (จุดเริ่มต้น)", "Monkey (start)"), (121, 85, 72)),
        (Label("กล้วย", "Banana"), (251, 192, 45)),
        (Label("สิ่งกีดขวาง", "Obstacle"), (144, 164, 174)),
    ]
    for index, (name, colour) in enumerate(legend):
        x = origin_x + index * 210
        draw.rectangle([x, 618, x + 24, 642], fill=colour)
        PAINTER.draw(draw, (x + 32, 640), name, 20)
    cards = [
        Label("เดินหน้า", "Forward"),
        Label("เลี้ยวซ้าย", "Turn left"),
        Label("เลี้ยวขวา", "Turn right"),
        Label("วนซ้ำ", "Repeat"),
        Label("ถ้า…แล้ว", "If...then"),
    ]
    PAINTER.draw(draw, (620, 130), Label("บัตรคำสั่ง", "Command cards"), 26, bold=True)
    for index, card in enumerate(cards):
        top = 150 + index * 92
        draw.rounded_rectangle([620, top, 900, top + 72], 14, fill=COLOURS[index])
        PAINTER.draw(
            draw, (760, top + 46), card, 26, bold=True, fill=(255, 255, 255), anchor="center"
        )
    save_png(image, path)


def draw_box(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], label: Label, colour
) -> None:
    draw.rounded_rectangle(box, 16, fill=colour)
    centre_x = (box[0] + box[2]) / 2
    centre_y = (box[1] + box[3]) / 2
    PAINTER.draw(
        draw, (centre_x, centre_y + 9), label, 24, bold=True, fill=(255, 255, 255), anchor="center"
    )


def draw_arrow(draw: ImageDraw.ImageDraw, start: tuple[int, int], end: tuple[int, int]) -> None:
    draw.line([start, end], fill=INK, width=4)
    (x0, y0), (x1, y1) = start, end
    length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    head = [
        (x1, y1),
        (x1 - 16 * ux + 8 * uy, y1 - 16 * uy - 8 * ux),
        (x1 - 16 * ux - 8 * uy, y1 - 16 * uy + 8 * ux),
    ]
    draw.polygon(head, fill=INK)


def make_drip_diagram(path: Path) -> None:
    image, draw = new_canvas(
        1000, 600, Label("ระบบน้ำหยดพลังงานแสงอาทิตย์", "Solar-powered drip irrigation")
    )
    draw_box(draw, (60, 120, 280, 200), Label("แผงโซลาร์เซลล์", "Solar panel"), COLOURS[1])
    draw_box(draw, (390, 120, 610, 200), Label("บอร์ดควบคุม", "Controller"), COLOURS[2])
    draw_box(draw, (720, 120, 940, 200), Label("ปั๊มน้ำ", "Water pump"), COLOURS[0])
    draw_box(
        draw, (370, 300, 630, 380), Label("เซนเซอร์ความชื้นดิน", "Soil moisture sensor"), COLOURS[3]
    )
    draw_arrow(draw, (280, 160), (388, 160))
    draw_arrow(draw, (610, 160), (718, 160))
    draw_arrow(draw, (500, 300), (500, 204))
    draw.line([(830, 200), (830, 460), (120, 460)], fill=(2, 136, 209), width=8)
    for x in range(160, 820, 110):
        draw.ellipse([x - 7, 470, x + 7, 484], fill=(2, 136, 209))
        draw.polygon([(x, 500), (x - 26, 540), (x + 26, 540)], fill=COLOURS[4])
    PAINTER.draw(draw, (840, 440), Label("ท่อน้ำหยด", "Drip line"), 20)
    # JPEG on purpose: the sample set should exercise both image formats.
    image.save(path, "JPEG", quality=82, optimize=True)


def make_iot_diagram(path: Path) -> None:
    image, draw = new_canvas(
        1000, 600, Label("การเชื่อมต่อระบบฟาร์มอัจฉริยะ", "Smart farm IoT connections")
    )
    sensors = [
        Label("อุณหภูมิ", "Temperature"),
        Label("ความชื้นอากาศ", "Air humidity"),
        Label("ความชื้นดิน", "Soil moisture"),
        Label("ความเข้มแสง", "Light"),
    ]
    for index, sensor in enumerate(sensors):
        top = 110 + index * 100
        draw_box(draw, (40, top, 260, top + 70), sensor, COLOURS[3])
        draw_arrow(draw, (260, top + 35), (358, 290))
    draw_box(draw, (360, 250, 620, 330), Label("ไมโครคอนโทรลเลอร์", "Microcontroller"), COLOURS[2])
    draw_box(draw, (720, 110, 960, 180), Label("แดชบอร์ดออนไลน์", "Online dashboard"), COLOURS[0])
    draw_arrow(draw, (620, 270), (718, 150))
    actuators = [
        Label("พัดลม", "Fan"),
        Label("ม่านพรางแสง", "Shade net"),
        Label("ระบบพ่นหมอก", "Mist"),
    ]
    for index, actuator in enumerate(actuators):
        top = 250 + index * 90
        draw_box(draw, (720, top, 960, top + 64), actuator, COLOURS[1])
        draw_arrow(draw, (620, 300), (718, top + 32))
    save_png(image, path)


def make_safety_cycle(path: Path) -> None:
    image, draw = new_canvas(900, 700, Label("เฝ้าระวัง ป้องกัน ช่วยเหลือ", "Monitor, prevent, support"))
    steps = [
        (Label("เฝ้าระวัง", "Monitor"), (330, 110, 570, 190)),
        (Label("ป้องกัน", "Prevent"), (600, 300, 840, 380)),
        (Label("ช่วยเหลือ", "Support"), (330, 490, 570, 570)),
        (Label("ทบทวน", "Review"), (60, 300, 300, 380)),
    ]
    for index, (label, box) in enumerate(steps):
        draw_box(draw, box, label, COLOURS[index])
    draw_arrow(draw, (570, 170), (680, 296))
    draw_arrow(draw, (680, 380), (574, 520))
    draw_arrow(draw, (330, 520), (220, 384))
    draw_arrow(draw, (220, 300), (326, 170))
    PAINTER.draw(
        draw,
        (450, 350),
        Label("นักเรียน ครู ผู้ปกครอง ชุมชน", "Pupils, teachers, parents"),
        22,
        anchor="center",
    )
    save_png(image, path)


# --- PDFs ---------------------------------------------------------------------------------


def heading_image(label: Label) -> Image.Image:
    """Render a heading at 3x so it stays sharp when placed in the PDF."""
    size = 54
    width = int(PAINTER.width(label, size, bold=True)) + 20
    image = Image.new("RGB", (width, 86), "white")
    PAINTER.draw(ImageDraw.Draw(image), (10, 64), label, size, bold=True, fill=(0, 0, 0))
    return image.convert("L")


def new_pdf(heading: Label, subtitle: str) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(PDF_DATE)
    pdf.set_title(subtitle)
    pdf.set_author("IFTE Lopburi sample data")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    image = heading_image(heading)
    pdf.image(image, x=15, y=14, h=12)
    pdf.set_xy(15, 28)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "I", 9)
    pdf.set_text_color(96, 125, 139)
    pdf.cell(0, 6, SAMPLE_NOTE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    return pdf


def make_phonics_cards(path: Path) -> None:
    pdf = new_pdf(Label("บัตรคำโฟนิกส์", "Phonics cards"), "Phonics cards - short vowel words (P1-P2)")
    words = ["cat", "map", "bag", "hen", "bed", "pen", "pig", "sit", "fox", "dog", "sun", "cup"]
    for index, word in enumerate(words):
        col, row = index % 3, index // 3
        x, y = 15 + col * 62, 52 + row * 53
        pdf.set_draw_color(0, 121, 107)
        pdf.set_line_width(0.8)
        pdf.rect(x, y, 56, 48, round_corners=True, style="D")
        pdf.set_xy(x, y + 8)
        pdf.set_font("Helvetica", "B", 30)
        pdf.cell(56, 16, word, align="C")
        pdf.set_xy(x, y + 30)
        pdf.set_font("Helvetica", "", 14)
        pdf.cell(56, 8, " - ".join(word), align="C")
    pdf.set_xy(15, 266)
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, "Cut along the lines. Game: say each sound, then blend the word aloud.")
    pdf.output(str(path))


def write_lines(pdf: FPDF, lines: list[str], size: int = 11) -> None:
    pdf.set_font("Helvetica", "", size)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def make_budget_worksheet(path: Path) -> None:
    pdf = new_pdf(
        Label("ใบกิจกรรมวางแผนงบประมาณ", "Budget worksheet"),
        "Monthly budget plan for a fictional family (M2)",
    )
    write_lines(
        pdf,
        [
            "The fictional Somsuk family sells vegetables at the Saturday market. "
            "Their income this "
            "month is 18,000 baht. Plan their spending so that they save at least 10 percent.",
        ],
    )
    rows = [
        ("Food", "", ""),
        ("Transport", "", ""),
        ("Electricity and water", "", ""),
        ("School supplies", "", ""),
        ("Market stall fee", "", ""),
        ("Savings (at least 10%)", "", ""),
        ("Total", "", ""),
    ]
    pdf.ln(2)
    with pdf.table(col_widths=(80, 50, 50), text_align=("LEFT", "RIGHT", "RIGHT")) as table:
        header = table.row()
        for text in ("Item", "Planned (baht)", "Percent of income"):
            header.cell(text)
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(text)
    pdf.ln(6)
    write_lines(
        pdf,
        [
            "1. Which item is a need and which is a want? Explain your choice.",
            "2. A shop offers 15% off a 1,200-baht fan. The bank pays 1.5% interest a year. "
            "Should the family buy the fan now or save first? Show your working.",
        ],
    )
    pdf.output(str(path))


def make_word_problems(path: Path) -> None:
    pdf = new_pdf(
        Label("แบบฝึกลิงลพบุรีชวนคิด", "Lopburi monkey word problems"),
        "Word problems with Polya's four steps (P3)",
    )
    problems = [
        "At the monkey festival there are 45 plates of fruit. The monkeys finish 28 plates. "
        "How many plates are left?",
        "A vendor sells 6 bags of bananas. Each bag holds 8 bananas. How many bananas in all?",
        "Grandma has 72 baht and shares it equally among 4 grandchildren. How much does each get?",
        "A group of 36 monkeys sits on the temple wall. 19 more arrive and 12 leave. "
        "How many monkeys are on the wall now?",
    ]
    steps = ["What do we know?", "What is asked?", "Plan: which operation?", "Check the answer"]
    for number, problem in enumerate(problems, start=1):
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 6, f"{number}. {problem}", new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 1
        for index, step in enumerate(steps):
            x = 15 + index * 45
            pdf.set_draw_color(63, 81, 181)
            pdf.rect(x, y, 43, 22)
            pdf.set_xy(x + 1, y + 1)
            pdf.set_font("Helvetica", "", 8)
            pdf.cell(41, 4, step)
        pdf.set_y(y + 26)
    pdf.output(str(path))


def make_analytical_questions(path: Path) -> None:
    pdf = new_pdf(
        Label("คำถามการคิดวิเคราะห์", "Analytical thinking questions"),
        "Situation: water in a reservoir (M3, PISA-style)",
    )
    write_lines(
        pdf,
        [
            "The chart shows the fictional percentage of storage in a large reservoir in Lopburi "
            "province at the start of each month.",
        ],
    )
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    values = [62, 55, 47, 38, 31, 36]
    base_y, left = pdf.get_y() + 60, 30
    pdf.set_draw_color(38, 50, 56)
    pdf.line(left, base_y, left + 140, base_y)
    pdf.line(left, base_y, left, base_y - 55)
    pdf.set_font("Helvetica", "", 9)
    for index, (month, value) in enumerate(zip(months, values, strict=True)):
        x = left + 8 + index * 22
        pdf.set_fill_color(0, 121, 107)
        pdf.rect(x, base_y - value * 0.8, 14, value * 0.8, style="F")
        pdf.text(x + 2, base_y + 5, month)
        pdf.text(x + 3, base_y - value * 0.8 - 2, f"{value}%")
    pdf.set_y(base_y + 12)
    write_lines(
        pdf,
        [
            "Q1 (multiple choice). In which month did the storage fall the most compared with the "
            "month before?  A) Feb  B) Mar  C) Apr  D) May",
            "Q2 (complex). True or false: (a) storage fell every month; (b) storage in June was "
            "about half of January.",
            "Q3 (open). A farmer says the reservoir will be empty by September. Use the data to "
            "agree or disagree and explain your reasoning.",
        ],
    )
    pdf.output(str(path))


def make_bar_model_examples(path: Path) -> None:
    pdf = new_pdf(Label("ตัวอย่างบาร์โมเดล", "Bar model examples"), "Bar model examples (P4-P6)")
    examples = [
        (
            "Part-whole: 3/5 of the class are girls. There are 18 girls. How many pupils?",
            [3, 2],
            "18",
        ),
        (
            "Comparison: Nid has 240 baht, 3 times as much as Tong. How much does Tong have?",
            [3, 1],
            "240",
        ),
        (
            "Ratio: Red and blue beads are 2 : 5. There are 35 beads. How many are red?",
            [2, 5],
            "35",
        ),
    ]
    for text, parts, total in examples:
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 4
        x = 20.0
        unit = 150 / sum(parts)
        for index, count in enumerate(parts):
            colour = (0, 121, 107) if index == 0 else (255, 160, 0)
            pdf.set_fill_color(*colour)
            for _ in range(count):
                pdf.rect(x, y, unit, 10, style="DF")
                x += unit
        pdf.set_font("Helvetica", "", 10)
        pdf.text(175, y + 7, f"total {total}")
        pdf.set_y(y + 20)
    write_lines(
        pdf, ["Draw the bars first, then decide the operation. Explain your drawing to a friend."]
    )
    pdf.output(str(path))


# --- main ---------------------------------------------------------------------------------

MAKERS = {
    "2564/phonics-card-games/phonics-cards.pdf": make_phonics_cards,
    "2564/sunflower-stem-kindergarten/sunflower-growth-chart.png": make_growth_chart,
    "2565/financial-literacy-community-market/budget-worksheet.pdf": make_budget_worksheet,
    "2565/unplugged-coding-primary/coding-grid.png": make_coding_grid,
    "2566/monkey-math-word-problems/word-problems.pdf": make_word_problems,
    "2566/reading-clinic-struggling-readers/reading-progress.png": make_reading_chart,
    "2567/stem-drip-irrigation/drip-irrigation.jpg": make_drip_diagram,
    "2567/analytical-thinking-question-bank/analytical-questions.pdf": make_analytical_questions,
    "2567/smart-farm-iot-vocational/smart-farm-diagram.png": make_iot_diagram,
    "2568/safe-school-management/safety-process.png": make_safety_cycle,
    "2568/bar-model-math-problem-solving/bar-model-examples.pdf": make_bar_model_examples,
}


def main() -> None:
    if not PAINTER.thai:
        print("Pillow has no raqm layout: labels fall back to English.")
    for relative, maker in MAKERS.items():
        path = ENTRIES / relative
        if not path.parent.is_dir():
            raise SystemExit(f"missing sample entry folder: {path.parent}")
        maker(path)
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
