"""Screenshots of each submission route for the routes page (content/contribute.md).

Run from the repository root after changing the form or its theme:

    .venv/bin/python tools/route_screenshots.py            # builds the site into a temp folder
    .venv/bin/python tools/route_screenshots.py --site site  # or uses a site already built

The real site is served on 127.0.0.1 and the real form is filled with a short example in
Debian's Chromium, at a phone width (390 px) and a laptop width (1366 px). The PNGs are
reduced to a small palette (text on flat colours loses nothing) and committed; tests check
that the page shows them, never take them again.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The browser tests' Chromium and server: the same flags, no downloads, 127.0.0.1 only.
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402

OUT = ROOT / "content" / "assets" / "routes"
WIDTHS = {390: 844, 1366: 768}  # viewport width → height
# The form's own area for each route: (file stem, CSS selector).
SHOTS = (
    ("form", "#ifte-submit > fieldset:first-of-type"),
    ("package", ".ifte-routes > li:nth-child(1)"),
    ("github", ".ifte-routes > li:nth-child(2)"),
    ("issue", ".ifte-routes > li:nth-child(3)"),
)
# px around each area: list numbers sit left of it, legends and tone marks just above;
# more above or below would show the next route's edge.
MARGIN_X, MARGIN_Y = 24, 10
# A tiny but real PDF (the form checks a file's type by its first bytes).
EXAMPLE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build_site(target: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(target)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def fill_example(page, attachment: Path) -> None:
    """A short entry, as a teacher would type it, with one PDF attached."""
    page.fill("#f-title", "ชุดกิจกรรมอ่านจับใจความด้วยนิทานพื้นบ้านลพบุรี")
    page.fill("#f-title-en", "Lopburi Folktale Reading Kit")
    page.select_option("#f-type", "นวัตกรรม")
    page.select_option("#f-category", "การจัดการเรียนรู้")
    page.fill("#f-year", "2568")
    author = '[data-row="author"] .ifte-row:nth-child(1)'
    page.fill(f'{author} [data-field="name"]', "นางสาวกมลวรรณ ใจดี")
    page.fill(f'{author} [data-field="position"]', "ครูชำนาญการพิเศษ")
    page.fill("#f-school", "โรงเรียนบ้านโคกสำโรง")
    page.select_option("#f-district", "โคกสำโรง")
    page.select_option("#f-affiliation", "สพป.ลพบุรี เขต 1")
    page.check('input[name="subjects"][value="ภาษาไทย"]')
    page.check('input[name="levels"][value="ป.4"]')
    page.fill("#f-summary", "ชุดกิจกรรม 6 เล่ม ฝึกอ่านจับใจความจากนิทานพื้นบ้านลพบุรี")
    page.fill(
        "#f-body",
        "## ความเป็นมาและความสำคัญ\n\nนักเรียนชั้น ป.4 อ่านจับใจความไม่ได้\n\n"
        "## ผลการดำเนินงาน\n\nนักเรียนร้อยละ 85 ผ่านเกณฑ์\n",
    )
    page.set_input_files("#f-files", str(attachment))
    page.click("#ifte-check")
    page.wait_for_selector("#ifte-package:not([disabled])")


def save_small(png: bytes, target: Path) -> None:
    """A palette PNG: screenshots of text on flat colours need few colours."""
    from io import BytesIO

    image = Image.open(BytesIO(png)).convert("RGB")
    small = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(target, optimize=True)


def take_screenshots(base_url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        attachment = Path(scratch) / "ใบกิจกรรม เล่ม 1.pdf"  # a Thai name, made safe by the form
        attachment.write_bytes(EXAMPLE_PDF)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width, height in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="th-TH"
                )
                page = context.new_page()
                page.goto(f"{base_url}submit/")
                page.wait_for_selector("#ifte-submit:not([hidden])")
                fill_example(page, attachment)
                page.evaluate("document.fonts.ready")
                for stem, selector in SHOTS:
                    box = page.locator(selector).bounding_box()
                    if box is None:
                        raise SystemExit(f"not on the page: {selector}")
                    scroll_x, scroll_y = page.evaluate("[window.scrollX, window.scrollY]")
                    left = max(0, box["x"] + scroll_x - MARGIN_X)
                    top = max(0, box["y"] + scroll_y - MARGIN_Y)
                    right = min(width, box["x"] + scroll_x + box["width"] + MARGIN_X)
                    clip = {
                        "x": left,
                        "y": top,
                        "width": right - left,
                        "height": box["height"] + 2 * MARGIN_Y,
                    }
                    target = out / f"{stem}-{width}.png"
                    save_small(page.screenshot(full_page=True, clip=clip), target)
                    written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site/ (default: build one now)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = args.site
        if site is None:
            site = Path(temporary) / "site"
            build_site(site)
        server, base_url = serve_directory(site)
        try:
            for path in take_screenshots(base_url, args.out):
                size = path.stat().st_size // 1024
                print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {size} KB")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
