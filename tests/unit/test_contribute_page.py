"""The routes page (content/contribute.md): its screenshots, and pages that agree on the routes."""

from __future__ import annotations

import re

from PIL import Image

from build_tools.contribute.guide import format_guide
from build_tools.core.vocabularies import load_vocabularies
from tests.conftest import REPO_ROOT

CONTENT = REPO_ROOT / "content"
IMAGE = re.compile(r"!\[([^\]]+)\]\((assets/routes/([a-z]+)-(\d+)\.png)\)")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def test_routes_page_shows_every_route_at_both_widths():
    text = (CONTENT / "contribute.md").read_text(encoding="utf-8")
    shown = IMAGE.findall(text)
    pairs = {(stem, int(width)) for _, _, stem, width in shown}
    assert pairs == {(s, w) for s in ("form", "package", "github", "issue") for w in (390, 1366)}
    for alt, path, _, width in shown:
        assert THAI.search(alt), path  # Thai alternative text
        with Image.open(CONTENT / path) as image:  # taken, committed, small
            assert image.format == "PNG" and image.width <= int(width), path
        assert (CONTENT / path).stat().st_size < 100_000, path
    captions = re.findall(r"^\*ภาพที่ \d+ .+\*$", text, re.MULTILINE)
    assert len(captions) == 4


def test_screenshot_script_takes_what_the_page_shows():
    script = (REPO_ROOT / "tools/route_screenshots.py").read_text(encoding="utf-8")
    for stem in ("form", "package", "github", "issue"):
        assert f'("{stem}", ' in script
    assert "executable_path=CHROMIUM" in script and "playwright install" not in script


def test_the_three_pages_agree_on_four_routes():
    contribute = (CONTENT / "contribute.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d)\. ", contribute, re.MULTILINE)
    assert rows == ["1", "2", "3", "4"]
    how_to = (CONTENT / "how-to-submit.md").read_text(encoding="utf-8")
    assert "4 ทาง" in how_to and "(contribute.md)" in how_to
    guide = format_guide(load_vocabularies(REPO_ROOT / "vocabularies.yml"))
    assert "## ส่งผลงานได้ 4 ทาง" in guide and "(../contribute.md)" in guide
    for text in (contribute, how_to, guide):
        assert not re.search(r"ได้ [23] (วิธี|ทาง)", text)
