"""A 12-megapixel phone photo is published web-sized, upright and without its GPS position."""

from __future__ import annotations

from PIL import Image

from build_tools.pages.images import GPS_IFD, WEB_MAX_PIXELS, read_gps_tags
from tests.conftest import VALID_ENTRY, build_scratch_site


def test_published_photo_is_resized_and_stripped(scratch_project):
    body = "![นักเรียนทำกิจกรรมกลุ่ม](activity.jpg)\n"
    folder = scratch_project.entry(content=VALID_ENTRY.replace("เนื้อหา\n", body)).parent
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone held upright
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (14.0, 48.0, 0.0), 3: "E", 4: (100.0, 37.0, 0.0)})
    original = folder / "activity.jpg"
    Image.effect_noise((4000, 3000), 60).convert("RGB").save(original, exif=exif, quality=95)

    result = build_scratch_site(scratch_project)
    assert result.returncode == 0, result.stderr

    published = scratch_project.root / "site/innovations/2567/reading-kit/activity.jpg"
    with Image.open(published) as image:
        assert image.size == (WEB_MAX_PIXELS * 3 // 4, WEB_MAX_PIXELS)  # upright, scaled
        assert not image.getexif()
    assert published.stat().st_size < original.stat().st_size / 4
    assert read_gps_tags(original)  # the teacher's file is left as it was
    page = (published.parent / "index.html").read_text(encoding="utf-8")
    assert 'src="activity.jpg"' in page and 'alt="นักเรียนทำกิจกรรมกลุ่ม"' in page
